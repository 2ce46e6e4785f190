"""The three books in real headless Chromium, against a live `leakledger serve`.

The session's Chromium and server (tests/in_chromium.py, through conftest).
Each company's Income Statement holds only its own accounts; every report
page and the Leak model answer in every book. Screenshots go to
test-output/.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import first_leak_books
from fava.application import CLIENT_SIDE_REPORTS
from in_chromium import TREE_TABLE, leak_charts_drawn, load, screenshot, serve_also

SLUGS = {"both": "both-openai-and-microsoft-added-together", "OpenAI": "openai", "Microsoft": "microsoft"}
# docs/sources.md, 2024: OpenAI's audited revenue and total costs (the second leak), its 20% of that
# revenue, and Microsoft's income (inference on Azure and OpenAI's 20%).
REVENUE_2024 = Decimal("3700000000")
OPENAI_SHARE_2024 = Decimal("0.20") * REVENUE_2024  # 740,000,000
OPENAI_EXPENSES_2024 = Decimal("12480000000")  # its expenses are the audited total, once
MICROSOFT_INCOME_2024 = Decimal("3767100000") + OPENAI_SHARE_2024  # 4,507,100,000
#: Account leaves only the other company has.
ONLY = {
    "OpenAI": ("Inference", "Training"),
    "Microsoft": ("Bing", "AzureOpenAIService", "OpenAICompute", "OpenAILosses"),
}
ACCOUNT_HREF = re.compile(r"/account/((?:Assets|Liabilities|Equity|Income|Expenses)(?::[^/?]+)*)/?")


@pytest.fixture
def origin(served):
    """http://127.0.0.1:PORT/ of the session's server (the shipped books are its first)."""
    assert served.url() == f"{served.origin}{SLUGS['both']}/"
    return served.origin


def accounts_linked(page) -> set[str]:
    hrefs = page.eval_on_selector_all(f"{TREE_TABLE.split(',')[0]} a, .tree-table a", "as => as.map(a => a.href)")
    return {m[1] for href in hrefs if (m := ACCOUNT_HREF.search(href))}


@pytest.mark.parametrize(
    "entity, other, shown",
    [
        ("OpenAI", "Microsoft", (REVENUE_2024, OPENAI_EXPENSES_2024)),
        ("Microsoft", "OpenAI", (MICROSOFT_INCOME_2024,)),
    ],
)
def test_a_company_s_income_statement(page, origin, entity, other, shown):
    load(page, f"{origin}{SLUGS[entity]}/income_statement/?time=2024")
    page.wait_for_selector(TREE_TABLE)
    for figure in shown:
        page.locator(TREE_TABLE).get_by_text(f"{figure:,.2f}", exact=True).first.wait_for()
    linked = accounts_linked(page)
    assert any(f":{entity}" in a for a in linked), linked
    assert not [a for a in linked if a.split(":")[1:2] == [other]], linked
    tree = " ".join(page.locator(TREE_TABLE).all_inner_texts())
    assert not [leaf for leaf in ONLY[other] if leaf in tree], tree
    assert page.title().startswith("Income Statement") and entity in page.title()
    screenshot(page, f"income-statement-{entity.lower()}")
    assert page.errors == []


def test_the_file_switcher_offers_the_three_books(page, origin):
    load(page, f"{origin}{SLUGS['OpenAI']}/balance_sheet/")
    page.wait_for_selector(TREE_TABLE)
    hrefs = page.eval_on_selector_all("header a", "as => as.map(a => a.getAttribute('href'))")
    for slug in (SLUGS["both"], SLUGS["Microsoft"]):
        assert any(h and h.startswith(f"/{slug}/") for h in hrefs), hrefs
    screenshot(page, "balance-sheet-openai-book")
    assert page.errors == []


@pytest.mark.parametrize("book", list(SLUGS))
def test_every_report_page_answers_in_every_book(page, origin, book):
    for report in (*CLIENT_SIDE_REPORTS, "extension/LeakModel"):
        response = page.goto(f"{origin}{SLUGS[book]}/{report}/", wait_until="load")
        assert response.status == 200, (book, report, response.status)
        page.wait_for_selector("article")
    assert page.errors == []


def test_the_leak_model_in_a_company_book(page, origin):
    load(page, f"{origin}{SLUGS['Microsoft']}/extension/LeakModel/", height=2200)
    page.locator("#leak-periods tr", has_text="2024").get_by_text(f"{OPENAI_SHARE_2024:,.0f}").wait_for()
    leak_charts_drawn(page)
    screenshot(page, "leak-model-microsoft-book")
    assert page.errors == []


#: The first leak's books (payments alone): every implied revenue is a lower bound.
FIRST_LEAK = serve_also("first-leak-bounds", first_leak_books)


@pytest.mark.parametrize("report", ["income_statement", "balance_sheet", "journal", "query"])
def test_fava_s_own_pages_say_where_figures_are_lower_bounds(page, served, report):
    # No Bing or Azure OpenAI Service revenue is recorded, so each payment's implied revenue is a lower
    # bound, over the leak's quarters 2024-Q1..2025-Q3.
    load(page, f"{served.url(FIRST_LEAK)}{report}/")
    notice = page.locator(".leak-bound-notice")
    notice.wait_for()
    assert notice.count() == 1
    text = notice.inner_text()
    assert text.startswith("≥ Lower bounds, 2024-01..2025-09: Income:OpenAI:Revenue, Expenses:OpenAI:RevenueShare")
    assert notice.locator("a").get_attribute("href") == f"/{served.slugs[FIRST_LEAK]}/extension/LeakModel/"
    if report == "income_statement":
        screenshot(page, "income-statement-bound-notice", full_page=False)
    assert page.errors == []


def test_the_notice_names_ranges_and_partial_totals_where_no_figure_in_view_is_a_bound(page, served, origin):
    # 2026 holds no payment, so no implied revenue: nothing in view is a lower bound. The 10-K's FY2026 gain
    # "6.5B" (-6.55B..-6.45B) less its parts (2025-Q3's 4.1B loss, 2025-Q4's "about 10B" gain, which the nine
    # months' 5.9B gain pins: the three quarters are -5.95B..-5.85B) leaves 2026-Q2 at -700M..-500M; with 2026-Q1's
    # 19M loss, 2026 is -681M to -481M.
    load(page, f"{served.url(FIRST_LEAK)}income_statement/?time=2026")
    notice = page.locator(".leak-bound-notice")
    notice.wait_for()
    text = notice.inner_text()
    assert "Lower bounds" not in text and "Expenses:Microsoft:OpenAILosses -681M to -481M" in text
    # The shipped books record 2024's and 2025's revenue: nothing is implied, but Z2's "13.07B" is
    # 13.065B..13.075B, and Fava's Income Statement for 2025 shows its midpoint: the notice says so.
    load(page, f"{origin}{SLUGS['OpenAI']}/income_statement/?time=2025")
    notice.wait_for()
    text = notice.inner_text()
    assert text.startswith("Ranges, shown at their midpoints: Income:OpenAI:Revenue 13.065B–13.075B")
    screenshot(page, "income-statement-range-notice", full_page=False)
    # Unfiltered, Fava sums all time: with 2026 not known (no revenue recorded, OpenAI's 20% in force), 2024's
    # 3.65B..3.75B plus 2025's is at least 16,715,000,000, and Microsoft's 20% at least 2024's 236,200,000.
    load(page, f"{origin}{SLUGS['OpenAI']}/income_statement/")
    notice.wait_for()
    text = notice.inner_text()
    assert "Income:OpenAI:Revenue ≥ 16,715,000,000 (shown: 16,770,000,000) (not known for 2026)" in text
    assert "Income:OpenAI:RevenueShare:Microsoft ≥ 236,200,000 (shown: 246,200,000) (not known for 2025, 2026)" in text
    screenshot(page, "income-statement-bound-notice", full_page=False)
    load(page, f"{origin}{SLUGS['OpenAI']}/balance_sheet/")
    notice.wait_for()
    # what OpenAI owes after the books' last entry: its 2026 20% and the share its 2025 payments netted not known
    assert "the sum of the flows the books record by then: Liabilities:OpenAI:Due:Microsoft" in notice.inner_text()
    screenshot(page, "balance-sheet-range-notice", full_page=False)
    assert page.errors == []
    # The Leak model page itself states its bounds in its tables, with no notice.
    load(page, f"{served.url(FIRST_LEAK)}extension/LeakModel/")
    assert page.locator(".leak-bound-notice").count() == 0


def test_the_journal_reads_each_rule_with_its_rate(page, origin):
    # ledger/rules.beancount: 20% both ways from 2019-07-22; Microsoft's two bases at 0 from 2026-04-27.
    load(page, f"{origin}{SLUGS['both']}/journal/?time=2019")
    page.wait_for_selector("li.custom.revenue-share .leak-rule")
    rules = [" ".join(t.split()) for t in page.locator("li.custom.revenue-share .description").all_inner_texts()]
    assert "revenue-share Income:Microsoft:Bing → OpenAI 20%" in rules
    assert "revenue-share Income:OpenAI:Revenue → Microsoft 20%" in rules
    assert not [r for r in rules if '"' in r]  # the quoted payee is gone: the rule reads whole
    screenshot(page, "journal-rules", full_page=False)
    load(page, f"{origin}{SLUGS['both']}/journal/?time=2026")
    page.wait_for_selector("li.custom.revenue-share .leak-rule")
    rules = [" ".join(t.split()) for t in page.locator("li.custom.revenue-share .description").all_inner_texts()]
    assert "revenue-share Income:Microsoft:Bing → OpenAI 0%" in rules
    # OpenAI's own book lists Microsoft's rules too (its 20% of Bing is OpenAI's income): they read whole there,
    # where they kept the quoted payee (the rules it was told of were those on accounts open in its book)
    load(page, f"{origin}{SLUGS['OpenAI']}/journal/?time=2019")
    page.wait_for_selector("li.custom.revenue-share .leak-rule")
    rules = [" ".join(t.split()) for t in page.locator("li.custom.revenue-share .description").all_inner_texts()]
    assert "revenue-share Income:Microsoft:Bing → OpenAI 20%" in rules and not [r for r in rules if '"' in r]
    screenshot(page, "journal-rules-openai", full_page=False)
    assert page.errors == []
