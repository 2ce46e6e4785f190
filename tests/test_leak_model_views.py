"""The Leak model page tells the truth: books with errors, periods of different length, seven quarters.

A real Fava (Flask test client, tests/fava_client.py) and the session's
headless Chromium and server (tests/in_chromium.py) on copies of the books:
one that records the leak's seven quarters (tests/quarter_books.py,
docs/sources.md), and one with an error. Screenshots go to test-output/.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from fava_client import LEAK_MODEL, fava
from in_chromium import SHIPPED, screenshot, serve_also
from quarter_books import QUARTERS, quarter_books, quarter_entry

D = Decimal
EXTENSION = LEAK_MODEL
AGAIN = "^revenue-share-2024-q2-again"


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="leak-model-data">(.*?)</script>', html, re.S)
    return json.loads(found[1], parse_float=D)


def broken_books(folder: Path) -> Path:
    """The quarter books with 2024-Q2's payment recorded twice; returns the main file."""
    main = quarter_books(folder)
    year = main.parent / "2024.beancount"
    again = quarter_entry("revenue-share", "2024-Q2", QUARTERS["2024-Q2"][0])
    with open(year, "a", encoding="utf-8") as handle:
        handle.write(again.replace("^revenue-share-2024-q2", AGAIN))
    return main


def line_of_the_second_payment(main: Path) -> int:
    lines = (main.parent / "2024.beancount").read_text(encoding="utf-8").splitlines()
    [line] = [n for n, text in enumerate(lines, start=1) if AGAIN in text]
    return line


QUARTER_BOOKS = serve_also("quarters", quarter_books)
BROKEN_BOOKS = serve_also("broken", broken_books)


@pytest.fixture(scope="module")
def quarters(tmp_path_factory) -> Path:
    return quarter_books(tmp_path_factory.mktemp("quarters"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, int]:
    """The quarter books with 2024-Q2's payment recorded twice: (main file, line of the second)."""
    main = broken_books(tmp_path_factory.mktemp("broken"))
    return main, line_of_the_second_payment(main)


# --- books with errors --------------------------------------------------------


def test_the_page_lists_the_errors_at_the_top_and_strikes_what_they_make_wrong(broken):
    main, line = broken
    books = fava(main)
    client, slug = books.client, books.slug
    data = client.get(f"/{slug}/{EXTENSION}/model", query_string={"by": "quarter"}).get_json()
    [error] = data["errors"]
    assert error["where"] == f"2024.beancount:{line}" and "overlaps" in error["message"]
    assert error["href"].startswith(f"/{slug}/editor/") and f"line={line}" in error["href"]
    q2 = next(r for r in data["period_table"] if r["period"] == "2024-Q2")
    # The payment counts twice (109,500,000 x 2): every column resting on it is marked, inference is not.
    assert D(q2["net_payment"]) == 2 * QUARTERS["2024-Q2"][0]
    assert set(q2["suspect"]) == {"net_payment", "openai_share", "implied_revenue", "inference_to_revenue"}
    revenue = next(r for r in data["reconcile_table"] if r["metric"] == "revenue" and r["period"] == "2024")
    assert "implied" in revenue["suspect"]
    inference = next(r for r in data["reconcile_table"] if r["metric"] == "inference" and r["period"] == "2025-Q3")
    assert inference["suspect"] == ["implies"]  # the leaked spend is fine; its ratio to implied revenue is not
    funding = next(r for r in data["reconcile_table"] if r["metric"] == "investment")
    assert funding["suspect"] == []  # Microsoft's funding rests on no revenue-share figure

    html = client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "quarter"}).get_data(as_text=True)
    page = html.split('<div class="leak-model">', 1)[1]
    assert page.index('class="book-errors"') < page.index('class="lead"')  # at the top
    assert f"2024.beancount:{line}</code>" in page
    assert page.count('<s class="suspect"') >= 4 * 8  # four columns in eight rows (seven quarters, total)
    charts = {c["id"]: c for c in page_data(html)["charts"]}
    assert not charts["shares"]["drawable"]  # OpenAI's share and the net payment are withheld
    drawn = {s["column"]: s for s in charts["revenue-vs-inference"]["series"]}
    assert all(v is None for v in drawn["revenue"]["per_quarter"])
    assert drawn["inference"]["per_quarter"][0] == QUARTERS["2024-Q1"][1]  # 546,800,000, a quarter's own


def test_a_hand_written_posting_strikes_only_what_its_accounts_feed(tmp_path):
    """A transaction posting to OpenAI's inference without being a figure (2024-Q1's 546,800,000 pasted again as
    a line item) is an error; it can move inference and what divides by it, not the payments or the revenue."""
    main = quarter_books(tmp_path)
    with open(main.parent / "2024.beancount", "a", encoding="utf-8") as handle:
        handle.write(
            '\n2024-03-31 * "OpenAI inference on Azure, again by hand"\n'
            f"  Expenses:OpenAI:Compute:Inference      {QUARTERS['2024-Q1'][1]} USD\n"
            f"  Assets:OpenAI:Cash                    -{QUARTERS['2024-Q1'][1]} USD\n"
        )
    books = fava(main)
    data = books.client.get(f"/{books.slug}/{EXTENSION}/model", query_string={"by": "quarter"}).get_json()
    assert any("not read as a figure" in error["message"] for error in data["errors"])
    q2 = next(r for r in data["period_table"] if r["period"] == "2024-Q2")
    assert set(q2["suspect"]) == {"inference", "inference_to_revenue"}  # not net_payment, openai_share, revenue
    funding = next(r for r in data["reconcile_table"] if r["metric"] == "investment")
    assert funding["suspect"] == []


def test_clean_books_list_no_errors_and_mark_nothing(shipped_fava):
    client, slug = shipped_fava.client, shipped_fava.slug
    data = client.get(f"/{slug}/{EXTENSION}/model").get_json()
    assert data["errors"] == []
    assert all(r["suspect"] == [] for r in data["period_table"] + data["reconcile_table"])
    assert 'class="book-errors"' not in client.get(f"/{slug}/{EXTENSION}/").get_data(as_text=True)


# --- periods of different length -----------------------------------------------


def test_the_charts_draw_a_figure_per_quarter_of_the_span_it_covers(first_leak_main):
    # The books as the first leak left them (conftest.first_leak): the payments imply revenue.
    books = fava(first_leak_main)
    client, slug = books.client, books.slug
    data = page_data(client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "year"}).get_data(as_text=True))
    assert data["periods"] == ["2024", "2025"] and data["quarters"] == [4, 3]  # 2025: January to September
    revenue = next(s for c in data["charts"] for s in c["series"] if s["column"] == "revenue")
    # docs/sources.md: 2024 >= 493,800,000 / 0.20 = 2,469,000,000, a quarter 617,250,000;
    # 2025 Jan-Sep >= 865,800,000 / 0.20 = 4,329,000,000, a quarter 1,443,000,000.
    assert revenue["values"] == [D("2469000000.00"), D("4329000000.00")]
    assert revenue["per_quarter"] == [D("617250000.00"), D("1443000000.00")]
    assert all("per quarter" in c["title"] for c in data["charts"])


def test_the_revenue_series_says_it_is_recorded_revenue_where_the_books_record_it(shipped_fava):
    """The shipped books record OpenAI's audited revenue; nothing is implied, so the series is not "implied"."""
    client, slug = shipped_fava.client, shipped_fava.slug
    for by in ("year", "quarter"):
        data = page_data(client.get(f"/{slug}/{LEAK_MODEL}/", query_string={"by": by}).get_data(as_text=True))
        revenue = next(s for c in data["charts"] for s in c["series"] if s["column"] == "revenue")
        assert revenue["label"] == "OpenAI revenue (recorded)" and not any(revenue["lower_bound"])
        assert data["periods"] == ["2024", "2025"]  # a year whose revenue is known is one row at any grain
        # docs/sources.md: 3.7B and 13.07B audited. 2025's payments cover Jan-Sep, but its revenue the whole
        # year: a quarter of it is 13,070,000,000 / 4 = 3,267,500,000, not / 3.
        assert revenue["values"] == [D("3700000000.00"), D("13070000000.00")]
        assert revenue["per_quarter"] == [D("3700000000") / 4, D("13070000000") / 4]
        assert revenue["covers"] == ["2024", "2025"] and data["covered"][1] == "2025-01..2025-09"
        assert "Implied revenue" not in data["charts"][0]["title"]


def test_seven_quarters_are_seven_rows_of_one_quarter_each(quarters):
    books = fava(quarters)
    client, slug = books.client, books.slug
    data = page_data(client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "quarter"}).get_data(as_text=True))
    assert data["periods"] == list(QUARTERS) and data["quarters"] == [1] * 7
    revenue = next(s for c in data["charts"] for s in c["series"] if s["column"] == "revenue")
    # implied revenue = payment / 0.20: 386,500,000 ... 2,055,500,000
    assert revenue["per_quarter"] == [net / D("0.20") for net, _ in QUARTERS.values()]


# --- in Chromium ----------------------------------------------------------------


#: Every text Chart.js draws on the x axis and over the bars, as boxes [left, top, right, bottom].
TEXT_BOXES = """canvas => {
    const chart = window.Chart.getChart(canvas);
    const scale = chart.scales.x, ctx = chart.ctx;
    const boxes = [];
    ctx.save();
    for (const item of scale.getLabelItems()) {
        ctx.font = item.font.string;
        const lines = Array.isArray(item.label) ? item.label : [item.label];
        const width = Math.max(...lines.map(l => ctx.measureText(l).width));
        const [x, y] = item.options.translation;
        boxes.push([x - width / 2, y, x + width / 2, y + item.font.lineHeight * lines.length]);
    }
    ctx.restore();
    return {ticks: boxes, values: chart.$leakLabels || []};
}"""


def overlapping(boxes) -> list:
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


@pytest.mark.parametrize("width", [1400, 900])
def test_no_label_overlaps_with_seven_quarters(chromium, served, width):
    quarters_served = served.url(QUARTER_BOOKS).rstrip("/")
    context = chromium.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for by in ("quarter", "half", "year"):
        page.goto(f"{quarters_served}/{EXTENSION}/?by={by}", wait_until="networkidle")
        page.wait_for_function("document.querySelectorAll('figure[data-state=drawn]').length == 2")
        screenshot(page, f"leak-model-seven-quarters-{by}-{width}", full_page=False)
        for canvas in page.query_selector_all(".leak-model canvas"):
            boxes = canvas.evaluate(TEXT_BOXES)
            assert len(boxes["ticks"]) == {"quarter": 7, "half": 4, "year": 2}[by]  # none skipped
            assert overlapping(boxes["ticks"]) == [] and overlapping(boxes["values"]) == [], by
    assert errors == []
    context.close()


def test_books_with_errors_say_so_at_the_top_in_chromium(chromium, served):
    line = line_of_the_second_payment(served.books[BROKEN_BOOKS])
    base = served.url(BROKEN_BOOKS).rstrip("/")
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/{EXTENSION}/?by=quarter", wait_until="networkidle")
    banner = page.wait_for_selector(".book-errors", state="visible")
    assert f"2024.beancount:{line}" in banner.inner_text()
    first_chart = page.query_selector(".leak-model figure")
    assert banner.bounding_box()["y"] < first_chart.bounding_box()["y"]
    assert page.query_selector("#chart-shares canvas") is None  # nothing it could draw is fine
    assert "Nothing to draw" in page.query_selector("#chart-shares").inner_text()
    screenshot(page, "leak-model-books-with-errors", full_page=False)
    context.close()


def test_chart_labels_are_the_python_formatter_s(chromium, served, tmp_path):
    """The Leak model's bar labels read as publish's SVG charts and the CLI read: one formatter, in Decimal."""
    from leakledger.cli.app import app
    from typer.testing import CliRunner

    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served.url()}{EXTENSION}/", wait_until="networkidle")
    page.wait_for_function("document.querySelectorAll('figure[data-state=drawn]').length == 2")
    texts = page.eval_on_selector("#chart-revenue-vs-inference canvas", "c => window.Chart.getChart(c).$leakTexts")
    page.close()
    # 2024's inference per quarter: 3,767,100,000 / 4 = 941,775,000, "941.78M" in Decimal (a float gave 941.77M).
    assert "941.78M" in texts and "941.77M" not in texts
    site = tmp_path / "site"
    assert CliRunner().invoke(app, ["publish", str(site), "--ledger", str(served.books[SHIPPED])]).exit_code == 0
    index = (site / "index.html").read_text()
    assert ">941.78M<" in index


#: The period table's box on the Leak model page: its cue, and where the period cell sits, before and after scrolling.
PERIODS_SCROLLED = """async box => {
    const first = box.querySelector('td.period');
    const state = {more: box.hasAttribute('data-more'), cue: getComputedStyle(box, '::before').content,
                   before: first.getBoundingClientRect().left};
    box.scrollLeft = box.scrollWidth;
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    return {...state, after: first.getBoundingClientRect().left, moreAtEnd: box.hasAttribute('data-more')};
}"""


#: Each table box of the page: its table's id and how far it is wider than the box (0 where it fits).
TABLE_OVERFLOW = """() => [...document.querySelectorAll('.table-wrap')].map(w => [
    (w.querySelector('table') || {}).id, w.scrollWidth - w.clientWidth])"""


def test_the_tables_fit_a_1400px_window(chromium, served):
    # The period table was 38px and the reconciliation 48px wider than their boxes at 1400px (and the
    # reconciliation's blank cells were bare dashes): headers, the words under a number and a blank cell's words
    # wrap, a span breaks after its "..", never inside a date or a number.
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served.url()}{EXTENSION}/", wait_until="networkidle")
    widths = dict(page.evaluate(TABLE_OVERFLOW))
    assert {"leak-deal", "leak-periods", "leak-reconcile"} <= set(widths)
    assert {table: over for table, over in widths.items() if over > 0} == {}
    page.locator("#leak-reconcile").scroll_into_view_if_needed()
    screenshot(page, "leak-model-reconcile-1400", full_page=False)
    page.close()


def test_the_period_table_on_a_phone_scrolls_with_a_cue_and_keeps_its_period_column(chromium, served):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served.url()}{EXTENSION}/", wait_until="networkidle")
    box = page.locator(".table-wrap:has(#leak-periods)")
    box.scroll_into_view_if_needed()
    screenshot(page, "leak-model-phone-periods", full_page=False)
    state = box.evaluate(PERIODS_SCROLLED)
    assert state["more"] and "Scroll sideways" in state["cue"]  # 7 columns do not fit 390 px
    assert abs(state["after"] - state["before"]) < 1  # the period column stayed in view
    assert not state["moreAtEnd"]  # at the right end the cue goes
    screenshot(page, "leak-model-phone-periods-scrolled", full_page=False)
    assert errors == []
    context.close()


# --- ranges (issue 25) -----------------------------------------------------------

#: The audited 2024 revenue, "3.7B" as stated (ledger/2024.beancount low:/high:), and the 2024 net payment.
REVENUE_2024 = (D("3650000000"), D("3750000000"))
NET_2024 = D("493800000")
RATE = D("0.20")


def test_the_model_json_and_the_table_carry_each_range(shipped_fava):
    data = shipped_fava.model()
    rows = {r["period"]: r for r in data["period_table"]}
    low, high = (RATE * r for r in REVENUE_2024)  # OpenAI's 20%: 730,000,000..750,000,000
    year = rows["2024"]
    assert (D(year["openai_share_low"]), D(year["openai_share_high"])) == (low, high) == (D("730e6"), D("750e6"))
    # Microsoft's 20% = 0.20 x R - 493,800,000 (net): 236,200,000..256,200,000
    assert (D(year["microsoft_share_low"]), D(year["microsoft_share_high"])) == (low - NET_2024, high - NET_2024)
    assert (D(year["recorded_revenue_low"]), D(year["recorded_revenue_high"])) == REVENUE_2024
    # 2025's "13.07B" as stated: 13,065,000,000..13,075,000,000
    assert (D(rows["2025"]["recorded_revenue_low"]), D(rows["2025"]["recorded_revenue_high"])) == (
        D("13065000000"),
        D("13075000000"),
    )
    # 2025's Microsoft share is not known (no Q4 payment), and the JSON says why rather than leave a blank.
    assert rows["2025"]["microsoft_share"] is None and "not known" in rows["2025"]["not_known"]["microsoft_share"]
    revenue = next(r for r in data["reconcile_table"] if r["metric"] == "revenue" and r["period"] == "2024")
    assert (D(revenue["leaked_low"]), D(revenue["leaked_high"])) == REVENUE_2024

    html = shipped_fava.get(f"{EXTENSION}/").get_data(as_text=True)
    table = html.split('<table id="leak-periods">', 1)[1].split("</table>", 1)[0]
    for text in (">730M–750M<", "midpoint 740,000,000", ">236.2M–256.2M<", "midpoint 246,200,000", ">3.65B–3.75B<"):
        assert text in table, text
    assert ">13.065B–13.075B<" in table and ">not known</span>" in table
    assert "A range (730M–750M) holds every value" in html.split('id="leak-period-notes"', 1)[1]


def test_the_charts_carry_ranges_and_a_yearly_share_is_not_spread_over_three_quarters(shipped_fava):
    data = page_data(shipped_fava.get(f"{EXTENSION}/").get_data(as_text=True))
    shares = {s["column"]: s for s in data["charts"][1]["series"]}
    openai = shares["openai_share"]
    # 2024 per quarter: 730,000,000 / 4 = 182,500,000 .. 750,000,000 / 4 = 187,500,000
    assert (openai["lows"][0], openai["highs"][0]) == (D("182500000"), D("187500000"))
    assert openai["kinds"] == ["range", "range"] and openai["range_texts"][0] == "730M–750M"
    # 2025: 20% of 13.07B = 2,614,000,000 for the year; a quarter is / 4 = 653,500,000 (it was / 3 = 871.33M).
    assert openai["covers"][1] == "2025" and openai["per_quarter"][1] == D("2614000000") / 4 == D("653500000")
    assert data["charts"][1]["averages"][1] == "each per quarter of its span"
    # Each chart's caption under 2025 says what each of its bars covers: the audited revenue and OpenAI's 20%
    # of it the whole year, inference and the net payments Jan-Sep (the leak's 2025-Q1..Q3); 2024's all cover
    # the year, so no caption.
    assert [c["captions"] for c in data["charts"]] == [
        [None, "revenue 2025; inference 2025-01..2025-09"],
        [None, "OpenAI 20% 2025; net 2025-01..2025-09"],
    ]
    assert "(a range; the books post 740,000,000)" in openai["tooltips"][0]
    microsoft = shares["microsoft_share"]
    assert microsoft["per_quarter"][1] is None and microsoft["kinds"][1] == "not known"
    assert microsoft["unknown"][1].startswith("Microsoft's share to OpenAI over 2025 is not known")


def test_the_lower_bound_sentence_is_said_once(first_leak_main):
    html = fava(first_leak_main).get(f"{EXTENSION}/").get_data(as_text=True)
    reconcile = html.split('<table id="leak-reconcile">', 1)[1].split("</table>", 1)[0]
    sentence = "lower bound: a Microsoft revenue base (Bing, Azure OpenAI Service) in force has no recorded figure"
    assert reconcile.count(sentence) == 1  # it stood under each of eight implied revenues
    assert re.search(
        r"\[(\d)\] 2024-Q1, 2024-Q2, 2024-Q3, 2024-Q4, 2025-Q1, 2025-Q2, 2025-Q3, 2025-01\.\.2025-09: ", reconcile
    )
    assert reconcile.count('class="note-mark"') == 8
    # The leak's one source under each of its ten payment rows: named once, over them.
    payments = reconcile.split(">revenue-share", 1)[1].split('<tr class="metric">', 1)[0]
    assert "Sources, unless a row says otherwise: Ed Zitron" in payments and "Sources: " not in payments


#: Where the shares chart's bars stand (page pixels), and the whiskers it drew.
BARS = """canvas => {
    const chart = window.Chart.getChart(canvas), box = canvas.getBoundingClientRect();
    const bars = chart.getDatasetMeta(0).data.map(bar => [box.left + bar.x, box.top + bar.y + 4]);
    return {bars, whiskers: chart.$leakWhiskers};
}"""
#: The lines of the tooltip Chart.js shows now.
TOOLTIP_LINES = "c => window.Chart.getChart(c).tooltip.body.flatMap(b => b.lines).join(' ')"


@pytest.mark.parametrize("width", [1400, 390])
def test_the_chart_draws_whiskers_and_its_tooltip_states_the_range(chromium, served, width):
    context = chromium.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served.url()}{EXTENSION}/", wait_until="networkidle")
    page.wait_for_function("document.querySelectorAll('figure[data-state=drawn]').length == 2")
    page.locator("#chart-shares").scroll_into_view_if_needed()
    drawn = page.eval_on_selector("#chart-shares canvas", BARS)
    # A whisker per ranged bar: 2024's two shares and 2025's OpenAI share, each low end under its high end.
    assert len(drawn["whiskers"]) == 3 and all(w["bottom"] > w["top"] and not w["open"] for w in drawn["whiskers"])
    page.mouse.move(*drawn["bars"][0])  # 2024
    text = page.eval_on_selector("#chart-shares canvas", TOOLTIP_LINES)
    assert "730M–750M USD for 2024" in text and "(a range; the books post 740,000,000)" in text
    assert "236.2M–256.2M USD for 2024" in text and "493,800,000 USD for 2024" in text
    screenshot(page, f"leak-model-ranges-{width}", full_page=False)
    page.mouse.move(*drawn["bars"][1])  # 2025
    later = page.eval_on_selector("#chart-shares canvas", TOOLTIP_LINES)
    assert "Microsoft's share to OpenAI over 2025 is not known" in later  # a blank point says why
    assert errors == []
    context.close()


# --- labels on a chart of many periods (the scenario to 2030) ----------------------------------


def books_to_2030(folder: Path) -> Path:
    """A copy of the books whose top-level file is the scenario of OpenAI's revenue to 2030."""
    from in_chromium import copy_of_the_books

    return copy_of_the_books(folder).parent / "scenarios" / "openai-revenue-to-2030.beancount"


TO_2030 = serve_also("to-2030", books_to_2030)

#: Each chart's period labels (boxes, as TEXT_BOXES), value labels with their bars, and its plot's room.
CHART_LAYOUT = """canvas => {
    const chart = window.Chart.getChart(canvas);
    const scale = chart.scales.x, ctx = chart.ctx, area = chart.chartArea;
    ctx.save();
    ctx.font = chart.scales.y.options.title.font?.string ?? `12px ${window.Chart.defaults.font.family}`;
    const title = ctx.measureText(chart.scales.y.options.title.text).width;
    ctx.restore();
    return {rotation: scale.labelRotation, plot: [area.left, area.top, area.right, area.bottom], title,
            bars: chart.data.datasets.map(d => d.data.filter(v => v != null).length).reduce((a, b) => a + b, 0),
            labels: chart.$leakLabels, texts: chart.$leakTexts, under: chart.$leakBars};
}"""


def test_every_bar_and_period_of_seven_years_is_labelled_clear_of_the_others(chromium, served):
    """The scenario to 2030 by year at 1000 px, two charts side by side no longer: seven periods, each labelled
    level (none skipped, none slanted), and a label on every bar, on its own bar, none over another.

    Its bars: OpenAI's revenue each year and inference in 2024-2025 (the leak's), 7 + 2 = 9; OpenAI's 20% each
    year, Microsoft's in 2024 (solved from the audited 3.7B and the 493.8M net) and 0 in 2027-2030 (its share
    ends on 2026-04-27, AMD), the net payments of 2024-2025: 7 + 5 + 2 = 14. The scenario's revenue (5.7B in
    2026-Q1, TI-Q1, growing 16% a quarter) takes OpenAI's 20% from 2026-04-27 past the reported 38B cap
    (TI-CAP) in 2029, so 2030's is a known 0, "0 (capped)", not an invisible bar.
    """
    context = chromium.new_context(viewport={"width": 1000, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served.url(TO_2030)}{EXTENSION}/?by=year", wait_until="networkidle")
    page.wait_for_function("document.querySelectorAll('figure[data-state=drawn]').length == 2")
    screenshot(page, "leak-model-to-2030-1000", full_page=True)
    canvases = page.query_selector_all(".leak-model canvas")
    for canvas, bars in zip(canvases, (9, 14)):
        boxes, layout = canvas.evaluate(TEXT_BOXES), canvas.evaluate(CHART_LAYOUT)
        assert len(boxes["ticks"]) == 7 and layout["rotation"] == 0  # 2024..2030, every one, level
        assert overlapping(boxes["ticks"]) == [] and overlapping(layout["labels"]) == []
        assert len(layout["labels"]) == layout["bars"] == bars
        left, top, right, bottom = layout["plot"]
        assert bottom - top >= max(200, layout["title"])  # room for the bars, and "USD per quarter" beside them
        for label, bar in zip(layout["labels"], layout["under"]):
            assert bar[0] <= (label[0] + label[2]) / 2 <= bar[2]  # centred on its own bar
            assert top - 1 <= label[1] and label[3] <= bar[1]  # over it, inside the plot
            assert not any(other is not bar and overlapping([label, other]) for other in layout["under"])
    shares = canvases[1].evaluate(CHART_LAYOUT)["texts"]
    assert shares[6] == "0 (capped)"  # OpenAI's 20% in 2030, the first series' seventh bar
    assert shares.count("0 (ended)") == 4  # Microsoft's in 2027-2030: a known 0, its share ended on 2026-04-27
    legend = page.locator("#chart-shares .chart-legend").inner_text()
    assert "Net paid to Microsoft (not known: 2026..2030)" in legend
    assert errors == []
    context.close()
