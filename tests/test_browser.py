"""The books in a real headless Chromium, against a live `leakledger serve`.

The session's Chromium and server (tests/in_chromium.py, through conftest).
Each page must render its figures and a chart with no console errors;
screenshots go to test-output/.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from in_chromium import TREE_TABLE, chart_periods, chart_with_content, leak_charts_drawn, load, screenshot

# docs/sources.md: OpenAI's audited 2024 revenue (the second leak), and its 20%.
REVENUE_2024 = Decimal("3700000000")
OPENAI_SHARE_2024 = Decimal("0.20") * REVENUE_2024  # 740,000,000
# As stated, "3.7B" is 3,650,000,000..3,750,000,000: OpenAI's 20% is 730,000,000..750,000,000, shown as a range.
OPENAI_SHARE_RANGE_2024 = "730M–750M"
# OpenAI's cash in the books: ~73,000,000,000 asserted at 2026-03-31 (TI-Q1, padded), plus Microsoft's
# funding after it: 11,900,000,000 - 11,800,000,000 = 100,000,000.
OPENAI_CASH = Decimal("73000000000") + (Decimal("11900000000") - Decimal("11800000000"))  # 73,100,000,000


@pytest.fixture
def server(served) -> str:
    """The base URL of the shipped books (a copy) on the session's server."""
    return served.url()


def test_income_statement(page, server):
    load(page, f"{server}income_statement/?time=2024")
    page.wait_for_selector(TREE_TABLE)
    page.get_by_text(f"{REVENUE_2024:,.2f}", exact=True).first.wait_for()  # OpenAI revenue, 2024
    chart_with_content(page, "svg")
    screenshot(page, "income-statement")
    assert page.errors == []


def test_balance_sheet_filtered_to_openai(page, server):
    load(page, f"{server}balance_sheet/?account=OpenAI")
    page.wait_for_selector(TREE_TABLE)
    assert page.input_value("input[placeholder='Account']") == "OpenAI"  # Fava's account filter
    page.get_by_text(f"{OPENAI_CASH:,.2f}", exact=True).first.wait_for()  # Assets:OpenAI:Cash
    chart_with_content(page, "svg")
    screenshot(page, "balance-sheet-openai")
    assert page.errors == []


def shows_the_2024_revenue_entries(page) -> None:
    """Fava's journal filtered by the links of 2024's audited revenue and payment, and all derived from them."""
    page.wait_for_url("**/journal/?filter=%5Erevenue-2024*")
    # The audited revenue, the payment total, and Microsoft's share solved from the two.
    page.get_by_text("OpenAI revenue (2024), audited").first.wait_for()
    page.get_by_text("Revenue share OpenAI paid Microsoft, net (2024)").first.wait_for()
    page.get_by_text("Microsoft's share to OpenAI (2024), solved", exact=False).first.wait_for()
    assert page.errors == []


def test_leak_model_page(page, server):
    load(page, f"{server}extension/LeakModel/", height=2200)
    page.wait_for_selector("#leak-reconcile")
    assert page.title().startswith("Leak model")
    row = page.locator("#leak-periods tr", has_text="2024").first
    implied = row.get_by_role("link", name=OPENAI_SHARE_RANGE_2024, exact=True)
    implied.wait_for()
    row.get_by_text(f"midpoint {OPENAI_SHARE_2024:,.0f}", exact=True).wait_for()  # the amount the books post
    leak_charts_drawn(page)
    screenshot(page, "leak-model")
    assert page.errors == []

    # The figure links to the entries it comes from: Fava's journal filtered by the link.
    implied.click()
    shows_the_2024_revenue_entries(page)


def test_a_bar_opens_its_entries(page, server):
    load(page, f"{server}extension/LeakModel/")
    leak_charts_drawn(page)
    # The middle of the 2024 bar of OpenAI's 20% (the first bar of the shares chart).
    x, y = page.eval_on_selector(
        "#chart-shares canvas",
        """canvas => {
        const bar = window.Chart.getChart(canvas).getDatasetMeta(0).data[0];
        return [bar.x, (bar.y + bar.base) / 2];
    }""",
    )
    page.click("#chart-shares canvas", position={"x": x, "y": y})
    shows_the_2024_revenue_entries(page)


def test_leak_model_charts_after_fava_navigation(page, server):
    """Fava's router swaps pages in place: the charts draw again on every return."""
    load(page, f"{server}extension/LeakModel/")
    leak_charts_drawn(page)
    page.evaluate("window.sameDocument = true")
    sidebar = page.locator("aside")
    for _ in range(2):
        sidebar.get_by_role("link", name="Income Statement", exact=True).click()
        page.wait_for_url("**/income_statement/")
        page.wait_for_selector(TREE_TABLE)
        sidebar.get_by_role("link", name="Leak model", exact=True).click()
        page.wait_for_url("**/extension/LeakModel/")
        leak_charts_drawn(page)
    # Fava's time filter reloads the page in place: the charts redraw with the filtered figures.
    page.fill("input[placeholder='Time']", "2025")
    page.press("input[placeholder='Time']", "Enter")
    page.wait_for_url("**/extension/LeakModel/?time=2025")
    page.wait_for_function("document.querySelector('#leak-periods td.period').innerText.startsWith('2025')")
    leak_charts_drawn(page)
    assert chart_periods(page) == ["2025"]
    assert page.evaluate("window.sameDocument") is True  # Fava's router, not a full page load
    screenshot(page, "leak-model-after-navigation")
    assert page.errors == []


def test_leak_model_follows_fava_filters(page, server):
    load(page, f"{server}extension/LeakModel/?time=2025&by=half", height=1400)
    page.wait_for_selector("#leak-periods")
    periods = page.locator("#leak-periods tbody td.period").all_inner_texts()
    # OpenAI's 20% of the audited 2025 revenue spans the year: its halves are not known, one row.
    assert [p.split("\n")[0] for p in periods] == ["2025", "total"]
    assert page.input_value("input[placeholder='Time']") == "2025"
    leak_charts_drawn(page)
    assert chart_periods(page) == ["2025"]
    # Each chart says what each of its bars covers: the audited 13.07B and OpenAI's 20% of it the whole year,
    # the leak's inference and net payments Jan-Sep (2025-Q1..Q3); never "figures for 2025-01..2025-09" for all.
    labels = page.eval_on_selector_all(
        "#chart-revenue-vs-inference canvas, #chart-shares canvas",
        "canvases => canvases.map(canvas => window.Chart.getChart(canvas).data.labels[0])",
    )
    assert [label[:2] for label in labels] == [
        ["2025", "revenue 2025; inference 2025-01..2025-09"],
        ["2025", "OpenAI 20% 2025; net 2025-01..2025-09"],
    ]
    screenshot(page, "leak-model-2025")
    assert page.errors == []


def test_leak_model_as_known_on_the_leaks_day(page, server):
    """The page's as-of choice: pick 2025-11-12, and the page shows the books as known that day."""
    load(page, f"{server}extension/LeakModel/")
    page.select_option("form.as-of select[name='as-of']", "2025-11-12")
    page.click("form.as-of button[type='submit']")
    page.wait_for_url("**as-of=2025-11-12**")
    page.click("#leak-moves-box summary")  # the moves, folded under their count
    page.wait_for_selector("#leak-moves", state="visible")
    # What the leak moved: 2024's implied revenue, 493,800,000 / 0.20 as a lower bound, from not known.
    row = page.locator("#leak-moves tr", has_text="2024 implied revenue")
    implied_2024 = 493_800_000 / Decimal("0.20")  # 2,469,000,000
    assert row.locator("td").all_inner_texts() == ["2024 implied revenue", "not known", f"≥ {implied_2024:,.0f}"]
    assert page.input_value("form.as-of select[name='as-of']") == "2025-11-12"
    leak_charts_drawn(page)
    page.click("#leak-moves-box summary")
    screenshot(page, "leak-model-as-of")
    assert page.errors == []
