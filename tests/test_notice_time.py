"""The notice atop Fava's own pages under Fava's time filter, and on a share a cap holds.

Real Fava (tests/fava_client.py) on the shipped books and on a small book,
through Flask's test client. Fava's time filter clamps the entries it shows
(what lies before the window becomes opening balances, what lies after is
dropped, and the balance assertions with it); the notice reads the window
against the books' whole entries instead, as `leakledger statement` does.
Figures are the arithmetic of docs/sources.md's figures, written out.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from conftest import LEDGER_DIR
from fava_client import LEAK_MODEL, fava, get_json
from ledgers import OPENS, RULES, cap, figure, ledger_text, payment

from leakledger.periods import Period
from leakledger.presentation import range_text
from leakledger.reports import TOTAL_ROW
from leakledger.statements import load_statement

BOUNDS = f"{LEAK_MODEL}/bounds"
COMBINED = "Both: OpenAI and Microsoft added together"


def notice(client, slug: str, **query) -> str:
    """The notice's text for a book and a query ("" where there is none)."""
    found = get_json(client, f"/{slug}/{BOUNDS}", **query)["notice"]
    return found["text"] if found else ""


@pytest.mark.parametrize("book", [COMBINED, "OpenAI"])
def test_the_balance_sheet_under_a_year_reads_the_balances_at_its_end(shipped_fava, book):
    slug = shipped_fava.slugs[book]
    text = notice(shipped_fava.client, slug, page="balance_sheet", time="2025")
    # Z2: OpenAI's cash at 2025-12-31 is ~25B, stated to the billion: asserted on 2026-01-01 as 25B ± 500M.
    # Fava's clamp drops that assertion (it lies after the window); the books keep it.
    assert "Assets:OpenAI:Cash 24.5B–25.5B" in text
    assert "24.944B" not in text
    # The pad that makes up that cash, 25B − the flows the books itemize by then, carries the same ± 500M
    # and the ranges of Z2's audited figures behind those flows; and OpenAI's receivable is at least the 0 it
    # shows: Microsoft's 20% for 2025 cannot be solved (no 2025-Q4 payment).
    assert "Equity:OpenAI:Unitemized " in text and "Assets:OpenAI:Due:Microsoft ≥ 0" in text
    # OpenAI owes 0.2 x 13.065B..13.075B − 865.8M = 1.7472B..1.7492B at the end of 2025, less what the Jan–Sep
    # payments settled of Microsoft's 2025 share, not known: at most 1,749,200,000 (inverted, as shown).
    assert "Liabilities:OpenAI:Due:Microsoft ≤ 1,749,200,000 (shown: 1,748,200,000)" in text


def test_the_balance_sheet_notice_under_a_year_is_the_statement_s_column_for_it(shipped_fava):
    # Each range the notice gives under time=2025 is the one `leakledger statement OpenAI` gives at 2025's end.
    text = notice(shipped_fava.client, shipped_fava.slugs["OpenAI"], page="balance_sheet", time="2025")
    statement = load_statement(LEDGER_DIR / "openai.beancount", "OpenAI")
    ranged = 0
    for line in statement.balances:
        cell = line.cells["2025"]
        if cell.interval is None or cell.interval.low is None or cell.interval.high is None:
            continue
        # Fava inverts liabilities and equity (the books' invert-income-liabilities-equity): so does the notice
        shown = -cell.interval if line.account.split(":", 1)[0] in ("Liabilities", "Equity") else cell.interval
        assert f"{line.account} {range_text(shown)}" in text
        ranged += 1
    # the cash, the pad's equity, and Microsoft's equity in it: 11.6B funded by 2025-09-30, 11.8B by 2026-03-31,
    # so at 2025-12-31 between 11.6B and 11.8B (the Due liability is a bound, above)
    assert ranged == 3


@pytest.mark.parametrize("book", [COMBINED, "OpenAI"])
def test_the_balance_sheet_under_a_year_past_the_last_entry_still_says_what_it_shows(shipped_fava, book):
    text = notice(shipped_fava.client, shipped_fava.slugs[book], page="balance_sheet", time="2026")
    # TI-Q1: ~73B at 2026-03-31 (± 500M), then Microsoft's 2026-Q2 funding, 11.9B − 11.8B = 100M:
    # 73.1B ± 500M, which Fava shows as its midpoint.
    assert "Assets:OpenAI:Cash 72.6B–73.6B" in text
    assert "Assets:OpenAI:Due:Microsoft ≥ 0" in text
    # what OpenAI owes: its 2026 20% is in force and no 2026 revenue posts, and its 2025 payments netted a share
    # not known: Fava shows the flows the books record, 1,748,200,000, which is no bound either way
    assert "the sum of the flows the books record by then: Liabilities:OpenAI:Due:Microsoft at 2026-12-31" in text
    assert "Equity:OpenAI:Unitemized" in text


@pytest.mark.parametrize("book", [COMBINED, "OpenAI"])
def test_the_income_statement_under_a_year_says_what_is_not_known_and_what_is_partial(shipped_fava, book):
    text = notice(shipped_fava.client, shipped_fava.slugs[book], page="income_statement", time="2025")
    # Microsoft's 20% for 2025 cannot be solved: the net payments cover 2025-01..2025-09 only. Fava shows the
    # line blank.
    assert "Not known (shown blank, not zero): Income:OpenAI:RevenueShare:Microsoft for 2025" in text
    # Z's inference: 2025-Q1..Q3 (2,075M + 2,947M + 3,648M = 8,670M), no 2025-Q4 figure.
    assert "Expenses:OpenAI:Compute:Inference (covers 2025-01..2025-09)" in text.split("Partial")[1]
    # Z2's 13.07B is 13.065B..13.075B; OpenAI's 20% of it 2.613B..2.615B: the year's own.
    assert "Income:OpenAI:Revenue 13.065B–13.075B;" in text
    assert "Expenses:OpenAI:RevenueShare:Microsoft 2.613B–2.615B" in text
    assert "more than the window" not in text


@pytest.mark.parametrize(
    ("time", "label"),
    [("2025-Q4", "2025-Q4"), ("2025-12", "2025-12"), ("2025-10 - 2025-12", "2025-Q4"), ("2025-12-31", "2025-12-31")],
)
def test_a_year_s_figure_under_a_shorter_window_says_it_covers_the_year(shipped_fava, time, label):
    text = notice(shipped_fava.client, shipped_fava.slugs["OpenAI"], page="income_statement", time=time)
    # Z2's 2025 figures are dated 2025-12-31, inside each window: Fava shows the whole year's in it.
    assert "Income:OpenAI:Revenue 13.065B–13.075B (covers 2025, more than the window)" in text
    # 0.2 x 13.065B..13.075B = 2.613B..2.615B
    assert "Expenses:OpenAI:RevenueShare:Microsoft 2.613B–2.615B (covers 2025, more than the window)" in text
    # Z's inference ends with 2025-Q3: nothing of it is dated inside these windows, and Fava shows it blank.
    assert f"Expenses:OpenAI:Compute:Inference for {label} (recorded for other periods)" in text


def test_a_window_the_books_record_nothing_in_has_no_notice(shipped_fava):
    assert notice(shipped_fava.client, shipped_fava.slugs["OpenAI"], page="income_statement", time="2019") == ""
    # and a time filter Fava cannot read is no notice, not a 500
    assert notice(shipped_fava.client, shipped_fava.slugs["OpenAI"], time="2024-13") == ""


#: A cap of 1,000 on OpenAI's 20%, counted from 2023-01-01: the recorded 2,000 of 2023-Q1 and of Q2 accrue 400
#: each; the net payments of 400 in Q3 and Q4 imply a revenue of at least 2,000 each (no Microsoft base has a
#: figure), whose 20% would be at least 400 each, but the cap leaves 1,000 − 800 = 200 in Q3 and 0 in Q4.
CAP_BINDS = (
    cap(day="2023-01-01", amount="1000.00 USD", counts_from="2023-01-01")
    + figure("revenue", "2023-03-31", "2023-01-01", "2000.00", "rev-2023-q1", "#assumed", source="test")
    + figure("revenue", "2023-06-30", "2023-04-01", "2000.00", "rev-2023-q2", "#assumed", source="test")
    + payment("2023-09-30", "2023-07-01", "400.00", "pay-2023-q3", source="test")
    + payment("2023-12-31", "2023-10-01", "400.00", "pay-2023-q4", source="test")
)


@pytest.fixture(scope="module")
def cap_binds(tmp_path_factory):
    path = tmp_path_factory.mktemp("capbind") / "books.beancount"
    extension = '\n2019-01-01 custom "fava-extension" "leakledger.fava_ext"\n'
    path.write_text(ledger_text(OPENS + RULES + CAP_BINDS) + extension, encoding="utf-8")
    return path, fava(path)


@pytest.mark.parametrize("query", [{}, {"page": "income_statement"}, {"time": "2023"}, {"time": "2023-07 - 2023-12"}])
def test_a_share_the_cap_holds_is_no_lower_bound_in_the_notice(cap_binds, query):
    path, books = cap_binds
    text = notice(books.client, books.slug, **query)
    # OpenAI's 20% in 2023: 400 + 400 + 200 (capped) + 0 = 1,000, exactly the cap, whatever the revenue under it.
    statement = load_statement(path, "OpenAI")
    share = statement.cell("Expenses:OpenAI:RevenueShare:Microsoft", TOTAL_ROW)
    assert share.amount == Decimal("1000.00") and not share.lower_bound
    # The implied revenue of 2023-H2 (≥ 2,000 + ≥ 2,000) is still a lower bound, and so named.
    assert text.startswith("≥ Lower bounds, 2023-H2: Income:OpenAI:Revenue is at least what is shown")
    assert "Expenses:OpenAI:RevenueShare:Microsoft" not in text
    assert "Income:Microsoft:RevenueShare:OpenAI" not in text


def test_the_window_statement_is_the_books_own_column_for_it():
    # The statement over one window, read against the whole books, is the year's column where the window is
    # the year (`leakledger statement OpenAI`'s 2025 column), cell for cell.
    from leakledger.book_model import BookModel
    from leakledger.reports import load_clean
    from leakledger.statements import income_statement

    entries, options = load_clean(LEDGER_DIR / "main.beancount")
    model = BookModel(entries, options)
    year = model.statement("OpenAI", "year")
    window = income_statement(
        entries, options, "OpenAI", "year", model.index, Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    )
    assert window.labels == ("2025", TOTAL_ROW) and window.balances == ()
    for line in year.lines:
        mine, theirs = window.cell(line.key, "2025"), year.cell(line.key, "2025")
        assert (mine.amount, mine.interval, mine.lower_bound, mine.covers, mine.not_known) == (
            theirs.amount,
            theirs.interval,
            theirs.lower_bound,
            theirs.covers,
            theirs.not_known,
        ), line.key


@pytest.mark.parametrize(("book", "entity"), [("openai.beancount", "OpenAI"), ("microsoft.beancount", "Microsoft")])
def test_a_balance_at_a_day_is_the_balance_sheet_s_column_ending_that_day(book, entity):
    # closing_balances(end) reads only the entries by `end` and the assertions (unless a pad by then rests on later
    # moves): each of `statement --by quarter`'s columns, read that way, is the same, cell for cell.
    statement = load_statement(LEDGER_DIR / book, entity, "quarter")
    columns = statement.balance_columns
    # 2024 and 2025 (one row each: the audited years), 2026-Q1, 2026-Q2: all but the last read by `end`, OpenAI's
    # pads of 2025-12-31 and 2026-01-01 among them (asserted the day after 2025-12-31 and 2026-03-31)
    assert [column.label for column in columns] == ["2024", "2025", "2026-Q1", "2026-Q2"]
    for column in columns:
        at_end = {line.account: line.cells[TOTAL_ROW] for line in statement.closing_balances(column.period.end)}
        for line in statement.balances:
            cell = line.cells[column.label]
            if line.account not in at_end:  # nothing recorded by then: not known in the column, not shown at all
                assert cell.amount is None and cell.not_known, (column.label, line.account)
                continue
            read = at_end[line.account]
            assert (read.amount, read.interval) == (cell.amount, cell.interval), (column.label, line.account)
            assert (read.not_known is None) == (cell.not_known is None), (column.label, line.account)


@pytest.mark.parametrize("book", [COMBINED, "OpenAI"])
def test_a_balance_the_books_do_not_know_at_the_window_s_end_says_so(shipped_fava, book):
    text = notice(shipped_fava.client, shipped_fava.slugs[book], page="balance_sheet", time="2024")
    # OpenAI's cash is first fixed by the assertion of 2026-01-01 (for 2025-12-31): at the end of 2024 Fava shows
    # only the flows the books record, 3,946,200,000 of income less 12,480,000,000 of costs = −8,533,800,000
    # (the 493.8M net payment settles the two 20% shares within the year), not OpenAI's cash.
    assert "Not known, shown as the sum of the flows the books record by then: Assets:OpenAI:Cash at 2024-12-31" in text
    # Microsoft's funding is recorded as 11.6B funded from 2019-07-22 to 2025-09-30 (10-Q): at the end of 2024
    # none to all of it had been funded, so Fava's blank is a range, 0..11.6B (inverted, as Fava shows equity);
    # the pad to OpenAI's cash on 2026-01-01 is not known then (not zero, only unrecorded)
    assert "Equity:OpenAI:Investment:Microsoft 0–11.6B (shown: posted 0, not its midpoint)" in text
    assert "Not known (shown blank, not zero): Equity:OpenAI:Unitemized at 2024-12-31" in text
    # without a time filter every cash balance Fava shows is past its first assertion
    assert "Assets:OpenAI:Cash at" not in notice(shipped_fava.client, shipped_fava.slugs[book], page="balance_sheet")


@pytest.mark.parametrize("book", [COMBINED, "OpenAI"])
def test_the_leak_model_page_over_a_window_with_no_figure_says_which_shares_are_not_known(shipped_fava, book):
    """2026: no figure of the table posts (OpenAI's 2026-Q1 revenue is a reported record; the 19M 2026-Q1 loss and
    the funding's remainders do post, but in no column of it: the note said "No figure posts"), but OpenAI's 20% is
    in force all year and Microsoft's on Bing and Azure OpenAI Service until the 2026-04-27 agreement: not known,
    not nothing."""
    slug = shipped_fava.slugs[book]
    html = shipped_fava.get(f"{LEAK_MODEL}/", slug=slug, time="2026").get_data(as_text=True)
    assert (
        "No figure of this table (payments, shares, revenue, inference) posts in 2026, but shares were in force in "
        "it: Income:OpenAI:Revenue → Microsoft 20%;"
    ) in html
    assert "Income:Microsoft:Bing → OpenAI 20%, 2026-01-01..2026-04-26" in html
    assert "so each share is not known, not zero" in html
    # after the last rule ends (OpenAI's 20% runs to 2030-12-31) nothing is in force: nothing to say but that
    later = shipped_fava.get(f"{LEAK_MODEL}/", slug=slug, time="2031").get_data(as_text=True)
    assert "No figures for these filters." in later and "shares were in force" not in later
