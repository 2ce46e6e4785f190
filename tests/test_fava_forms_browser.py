"""Figures typed in Fava read like `leakledger add`'s: its add-transaction form and its editor, in Chromium.

Fava's form writes metadata as text, so `period-start: "2025-10-01"`; the
figures plugin reads that text as the date. Each test drives a live
copy of the books on the session's `leakledger serve` in its headless
Chromium (tests/in_chromium.py), then loads the books through Beancount.
"""

from __future__ import annotations

import datetime

from conftest import first_leak_books, snapshot
from in_chromium import screenshot, serve_also
from ledgers import D, implied

from leakledger.books import load_books
from leakledger.company_books import company_view_of

# A made-up Q4 payment of 300.00: it implies 300 / 0.20 = 1,500.00 of OpenAI revenue.
LEGS = [
    ("Liabilities:OpenAI:Due:Microsoft", "300.00 USD"),
    ("Assets:OpenAI:Cash", "-300.00 USD"),
    ("Assets:Microsoft:Cash", "300.00 USD"),
    ("Assets:Microsoft:Due:OpenAI", "-300.00 USD"),
]


#: A copy of the first leak's books for each test, since each writes the same Q4 figure into its own.
#: Payments alone there (no 2025 revenue recorded), so the Q4 payment implies its own revenue.
FORM, EDITOR = serve_also("add-form", first_leak_books), serve_also("editor", first_leak_books)


def books(served, name: str):
    """(base URL, main.beancount) of one copy of the books on the session's server."""
    return served.url(name), served.books[name]


def q4_is_read_as_a_dated_figure(ledger) -> None:
    entries, errors, options = load_books(ledger)
    assert errors == [], [e.message for e in errors]
    [fig] = [e for e in entries if "revenue-share-2025-q4" in getattr(e, "links", ()) and "generated" not in e.tags]
    assert fig.meta["period-start"] == datetime.date(2025, 10, 1)  # the text "2025-10-01", read as the date
    view = company_view_of(options)  # a company's book keeps the model whole beside its own postings
    assert implied(view.whole if view else entries)["2025-Q4"] == D("1500.00")  # 300 / 0.20


def test_the_add_transaction_form_writes_a_figure_the_books_read(page, served):
    base, ledger = books(served, FORM)
    before = snapshot(ledger.parent)
    page.goto(f"{base}journal/#add-transaction", wait_until="networkidle")
    form = page.locator("dialog form")
    form.locator("input[type=date]").fill("2025-12-31")
    form.get_by_placeholder("Narration").fill(
        "Revenue share OpenAI paid Microsoft, net (2025-Q4) #leaked ^revenue-share-2025-q4"
    )
    metadata = (
        ("metric", "revenue-share"),
        ("period-start", "2025-10-01"),
        ("source", "Test form"),
        ("known-since", "2026-01-15"),  # a metadata line: the day its source made it public
    )
    for key, value in metadata:
        form.locator("button[title='Add metadata']").first.click()
        form.get_by_placeholder("Key").last.fill(key)
        form.get_by_placeholder("Value").last.fill(value)
    for i, (account, amount) in enumerate(LEGS):
        form.get_by_placeholder("Account").nth(i).fill(account)
        form.get_by_placeholder("Amount").nth(i).fill(amount)
    screenshot(page, "fava-add-figure-form", full_page=False)
    with page.expect_response(lambda r: "/api/add_entries" in r.url) as saved:
        form.locator("button[type=submit]").click()
    assert saved.value.ok, saved.value.text()
    folder = ledger.parent
    # Into the year file for its date (2025.beancount's insert-entry option), nothing else.
    written = (folder / "2025.beancount").read_text()
    assert 'period-start: "2025-10-01"' in written  # Fava writes the metadata as text
    assert 'known-since: "2026-01-15"' in written
    after = snapshot(folder)
    assert [name for name in after if after[name] != before.get(name)] == ["2025.beancount"]
    # Every book reads it: both companies, each company's, every scenario.
    for book in [
        ledger,
        folder / "openai.beancount",
        folder / "microsoft.beancount",
        *(folder / "scenarios").glob("*.beancount"),
    ]:
        q4_is_read_as_a_dated_figure(book)
    # Known from 2026-01-15: the books as of the day before have no 2025-Q4 payment, as of that day they do.
    for day, count in (("2026-01-14", 0), ("2026-01-15", 1)):
        entries, errors, _ = load_books(ledger, datetime.date.fromisoformat(day))
        assert errors == []
        assert (
            sum("revenue-share-2025-q4" in getattr(e, "links", ()) and "generated" not in e.tags for e in entries)
            == count
        )
    # Fava reloads the books: no error line for the figure.
    page.goto(f"{base}errors/", wait_until="networkidle")
    assert "period-start" not in page.inner_text("article")


def test_the_editor_saves_a_figure_with_a_text_period_start(page, served):
    base, ledger = books(served, EDITOR)
    year = ledger.parent / "2025.beancount"
    page.goto(f"{base}editor/?file_path={year}", wait_until="networkidle")
    editor = page.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+End")
    text = (
        '\n\n2025-12-31 * "Revenue share OpenAI paid Microsoft, net (2025-Q4)" #leaked ^revenue-share-2025-q4\n'
        '  metric: "revenue-share"\n  period-start: "2025-10-01"\n  source: "Test editor"\n'
        + "".join(f"  {account}  {amount}\n" for account, amount in LEGS)
    )
    page.keyboard.insert_text(text)
    with page.expect_response(lambda r: "/api/source" in r.url and r.request.method == "PUT") as saved:
        page.keyboard.press("Control+s")
    assert saved.value.ok, saved.value.text()
    screenshot(page, "fava-editor-figure", full_page=False)
    assert 'period-start: "2025-10-01"' in year.read_text()
    q4_is_read_as_a_dated_figure(ledger)


def test_the_add_form_refuses_a_negative_payment_and_says_why(page, served):
    """A payment typed negative is refused before Fava saves it (leakledger.model.sign_error, as `add` refuses
    `-300M`), and the form shows the one line; only a losses-share figure may be negative (a gain)."""
    base, ledger = books(served, FORM)
    before = snapshot(ledger.parent)
    page.goto(f"{base}journal/#add-transaction", wait_until="networkidle")
    form = page.locator("dialog form")
    form.locator("input[type=date]").fill("2025-12-31")
    form.get_by_placeholder("Narration").fill("Revenue share OpenAI paid Microsoft, net (2025-Q4) #leaked")
    for key, value in (("metric", "revenue-share"), ("period-start", "2025-10-01"), ("source", "Test form")):
        form.locator("button[title='Add metadata']").first.click()
        form.get_by_placeholder("Key").last.fill(key)
        form.get_by_placeholder("Value").last.fill(value)
    for i, (account, amount) in enumerate(LEGS):  # each leg's sign turned: a payment of -300.00
        form.get_by_placeholder("Account").nth(i).fill(account)
        form.get_by_placeholder("Amount").nth(i).fill(amount[1:] if amount.startswith("-") else f"-{amount}")
    with page.expect_response(lambda r: "/api/add_entries" in r.url) as refused:
        form.locator("button[type=submit]").click()
    assert refused.value.status == 400
    said = "amount '-300.00' is negative: a revenue-share figure is a positive total"
    page.get_by_text(said).first.wait_for()
    screenshot(page, "fava-add-form-negative-payment", full_page=False)
    assert snapshot(ledger.parent) == before
