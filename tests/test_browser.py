"""The books in a real headless Chromium, against a live `leakledger serve`.

Debian's chromium driven by Playwright (never a downloaded browser). Each page
must render its figures and a chart with no console errors; screenshots go to
test-output/. Without chromium these tests skip, unless LEAKLEDGER_REQUIRE_BROWSER=1
(CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from decimal import Decimal

import pytest
from conftest import ROOT

from bench.common import serving

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-output"
#: Fava 1.30's account tree on its income statement and balance sheet.
TREE_TABLE = ".tree-table-new, .tree-table"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# docs/sources.md: OpenAI's audited 2024 revenue (the second leak), and its 20%.
REVENUE_2024 = Decimal("3700000000")
OPENAI_SHARE_2024 = Decimal("0.20") * REVENUE_2024  # 740,000,000
# OpenAI's cash in the books: ~73,000,000,000 asserted at 2026-03-31 (TI-Q1, padded), plus Microsoft's
# funding after it: 11,900,000,000 - 11,800,000,000 = 100,000,000.
OPENAI_CASH = Decimal("73000000000") + (Decimal("11900000000") - Decimal("11800000000"))  # 73,100,000,000


def _browser_missing() -> str | None:
    if shutil.which("chromium") is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright python package is not installed"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _browser_missing()
    if missing:
        if os.environ.get("LEAKLEDGER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LEAKLEDGER_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server(browser):
    """The base URL of a live `leakledger serve` on a free port (port 0: the OS picks it)."""
    with serving() as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def load(page, url: str, *, height: int = 1000):
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, (url, response.status)
    page.set_viewport_size({"width": 1400, "height": height})
    return response


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def chart_with_content(page, selector: str) -> None:
    """An SVG chart (Fava's own) that holds drawn marks (bars, lines or paths)."""
    page.wait_for_selector(selector, state="visible")
    marks = page.eval_on_selector_all(
        selector, "svgs => svgs.map(s => s.querySelectorAll('rect, path, line, circle').length)"
    )
    assert max(marks) > 3, (selector, marks)


#: How many pixels of a canvas are painted (alpha > 0), and its size on the page.
PAINTED = """canvas => {
    const {width, height} = canvas;
    const box = canvas.getBoundingClientRect();
    if (!width || !height) return {painted: 0, total: 0, shown: [box.width, box.height]};
    const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted++;
    return {painted, total: width * height, shown: [box.width, box.height]};
}"""
LEAK_CHARTS = ("#chart-revenue-vs-inference", "#chart-shares")
#: The periods along each Leak model chart's axis (a label may add the span its figures cover).
CHART_PERIODS = """canvases => canvases.map(canvas =>
    window.Chart.getChart(canvas).data.labels.map(label => Array.isArray(label) ? label[0] : label))"""


def chart_periods(page) -> list[str]:
    periods = page.eval_on_selector_all(", ".join(f"{c} canvas" for c in LEAK_CHARTS), CHART_PERIODS)
    assert len(periods) == 2 and periods[0] == periods[1], periods
    return periods[0]


def leak_charts_drawn(page) -> None:
    """Both Leak model charts drawn by Chart.js: canvases on the page with bars painted on them."""
    for chart in LEAK_CHARTS:
        page.wait_for_selector(f"{chart}[data-state=drawn] canvas", state="visible")
        canvas = page.eval_on_selector(f"{chart} canvas", PAINTED)
        assert min(canvas["shown"]) > 100, (chart, canvas)
        # Axes and labels alone paint well under 1% of the canvas; the bars paint far more.
        assert canvas["painted"] > canvas["total"] * 0.02, (chart, canvas)
    # Exactly these two charts are alive: a reload or a return to the page destroys the old ones.
    assert page.evaluate("Object.keys(window.Chart.instances).length") == 2


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
    implied = page.locator("#leak-periods tr", has_text="2024").get_by_text(f"{OPENAI_SHARE_2024:,.0f}")
    implied.wait_for()
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
    screenshot(page, "leak-model-2025")
    assert page.errors == []
