"""The flow diagrams in a real headless Chromium: the published pages from file://, the Leak model page live.

At a desktop's 1400 px and a phone's 390 px, for every grouping: no label
of a diagram touches another, a band or a node, or leaves the picture, the
page is no wider than the screen (on a phone the picture scrolls inside its
own box, under a cue that says so), and axe-core (vendored) finds nothing
serious or critical in the flows or their legend.
Screenshots go to test-output/.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from conftest import MAIN, ROOT
from in_chromium import SHOTS

from leakledger import reports
from leakledger.book_model import BookModel
from leakledger.books import load_clean
from leakledger.flows import _PARTIES, EXACT, LOWER, RANGE, UNKNOWN, Flow, PeriodFlows
from leakledger.publish import publish
from leakledger.publish.flow_svg import flow_section

pytestmark = pytest.mark.browser

#: axe-core, vendored (tests/vendor/axe-core); a phone's and a desktop's window.
AXE = ROOT / "tests/vendor/axe-core/axe.min.js"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1400, "height": 1000}

#: Every label's box in each diagram, and the labels that touch another label, a band or a node, or
#: stick out of the picture. Labels against labels and the frame alone missed "Microsoft's 20%: 236.2M –
#: 256.2M" running into the curves: the bands are measured too. A curved band's box holds the whole
#: corner it sweeps, so where a label's box meets a shape's box the points of the label's box, one unit
#: apart, are tried against the shape itself (isPointInFill, isPointInStroke: its outline or dashed line).
LAYOUT = """() => [...document.querySelectorAll('svg.flows')].map(svg => {
  const frame = svg.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('text')];
  const boxes = labels.map(t => {
    const r = t.getBoundingClientRect();
    return {text: [...t.querySelectorAll('tspan')].map(l => l.textContent).join(' / ') || t.textContent,
            l: r.left, t: r.top, r: r.right, b: r.bottom};
  });
  const touching = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) touching.push([a.text, b.text]);
  }));
  const outside = boxes.filter(a => a.l < frame.left - 0.5 || a.r > frame.right + 0.5
                                   || a.t < frame.top - 0.5 || a.b > frame.bottom + 0.5).map(a => a.text);
  const shapes = [...svg.querySelectorAll('path, rect.node')].filter(s => !s.closest('defs'));
  const onBands = [];
  labels.forEach(t => {
    const a = t.getBBox();
    shapes.forEach(s => {
      const pad = parseFloat(getComputedStyle(s).strokeWidth) || 0;
      const b = s.getBBox();
      const l = Math.max(a.x, b.x - pad), r = Math.min(a.x + a.width, b.x + b.width + pad);
      const top = Math.max(a.y, b.y - pad), bottom = Math.min(a.y + a.height, b.y + b.height + pad);
      const filled = s.getAttribute('fill') !== 'none';
      for (let x = l; x <= r; x += 1) for (let y = top; y <= bottom; y += 1) {
        const point = new DOMPoint(x, y);
        if ((filled && s.isPointInFill(point)) || s.isPointInStroke(point)) {
          onBands.push([t.textContent, s.dataset.flow || s.getAttribute('class')]);
          return;
        }
      }
    });
  });
  return {id: svg.id, labels: boxes.length, touching, outside, onBands, width: frame.width,
          texts: boxes.map(a => a.text), box: svg.closest('.flow-wrap').getBoundingClientRect().width};
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("flows-browser") / "site"
    publish(out, MAIN)
    return out


def _clear(tab) -> list[dict]:
    """The page's diagrams, each with every label clear of the others, of the bands and nodes, and of the edge."""
    diagrams = tab.evaluate(LAYOUT)
    assert diagrams, "no flow diagram on the page"
    for d in diagrams:
        assert d["labels"] >= 8, d  # six flows and both companies
        assert (d["touching"], d["outside"], d["onBands"]) == ([], [], []), (d["id"], d["texts"])
    return diagrams


def _check(tab, shot: str, width: int) -> list[dict]:
    diagrams = _clear(tab)
    # The longest labels are on every grouping's page: the audited 2024 revenue, "3.7B", is 3.65B..3.75B,
    # so OpenAI's 20% is 0.20 x 3.65B = 730M to 0.20 x 3.75B = 750M, and Microsoft's 20% what the net
    # payment leaves of it, 730M - 493.8M = 236.2M to 750M - 493.8M = 256.2M.
    words = [text for d in diagrams for text in d["texts"]]
    assert any("730M–750M" in text for text in words) and any("236.2M–256.2M" in text for text in words)
    assert tab.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    cue = tab.locator(".flow-cue").first
    if width < 560:  # the picture keeps its size and scrolls in its box; the cue says so
        assert all(d["box"] < d["width"] for d in diagrams) and cue.is_visible()
    else:
        assert not cue.is_visible()
    SHOTS.mkdir(exist_ok=True)
    tab.locator(".flow-period").first.screenshot(path=str(SHOTS / f"{shot}.png"))
    return diagrams


def _axe(tab) -> None:
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "async () => (await axe.run(document.querySelector('.flows-all'), {resultTypes: ['violations']})).violations"
    )
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


@pytest.mark.parametrize("path", ["index.html", "half.html", "quarter.html"])
def test_published_diagrams_at_desktop_and_phone_width(chromium, site, path):
    context = chromium.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    tab = context.new_page()
    try:
        for size, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
            tab.set_viewport_size(size)
            tab.goto((site / path).as_uri(), wait_until="load")
            _check(tab, f"flows-publish-{path.removesuffix('.html')}-{tag}", size["width"])
        _axe(tab)
    finally:
        context.close()


@pytest.fixture(scope="module")
def periods() -> dict[str, list[str]]:
    """The period rows of the shipped books by grouping: one diagram each."""
    model = BookModel(*load_clean(MAIN))
    return {by: [r["period"] for r in model.period_rows(by, totals=False)] for by in reports.BY}


@pytest.mark.parametrize("by", ["year", "half", "quarter"])
def test_leak_model_diagrams_at_desktop_and_phone_width(chromium, served, periods, by):
    context = chromium.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for size, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
            tab.set_viewport_size(size)
            tab.goto(f"{served.url()}extension/LeakModel/?by={by}", wait_until="networkidle")
            tab.wait_for_selector("svg.flows")
            diagrams = _check(tab, f"flows-fava-{by}-{tag}", size["width"])
            assert len(diagrams) == len(periods[by])
        assert errors == []
    finally:
        context.close()
    # axe is injected as an inline script, which serve's policy refuses: a context that bypasses it checks.
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    try:
        tab = context.new_page()
        tab.goto(f"{served.url()}extension/LeakModel/?by={by}", wait_until="networkidle")
        _axe(tab)
    finally:
        context.close()


def test_the_longest_labels_keep_clear_in_the_sites_fonts(chromium):
    """Every label as long as the books can make it (withheld, partial, ranges), on the site's stylesheet."""
    partial = "2025-01..2025-09"

    def flow(key: str, kind: str, amount: str | None, high: str | None = None, withheld: bool = False) -> Flow:
        label, payer, payee = _PARTIES[key]
        money = Decimal(amount) if amount else None
        return Flow(
            key,
            label,
            payer,
            payee,
            kind,
            money,
            "test",
            Decimal(high) if high else None,
            partial,
            None,
            None,
            withheld,
        )

    flows = [
        flow("inference", EXACT, "8670000000"),  # 2,075M + 2,947M + 3,648M, Jan-Sep 2025
        flow("training", UNKNOWN, None, withheld=True),
        # the audited "13.07B" is 13.065B..13.075B: 0.20 x 13.065B = 2,613,000,000, 0.20 x 13.075B = 2,615,000,000
        flow("openai_share", RANGE, "2613000000", "2615000000"),
        flow("net_payment", EXACT, "865800000"),  # 206.4M + 248.3M + 411.1M, Jan-Sep 2025
        flow("microsoft_share", UNKNOWN, None, withheld=True),
        flow("funding", LOWER, "11600000000"),  # at least the 11.6B recorded over 2019-07-22..2025-09-30
    ]
    pf = PeriodFlows("2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), None, flows)
    css = (ROOT / "leakledger/publish/site.css").read_text(encoding="utf-8")
    context = chromium.new_context(viewport=DESKTOP)
    try:
        tab = context.new_page()
        tab.set_content(f"<style>{css}</style><main>{flow_section('longest', [pf])}</main>")
        (d,) = _clear(tab)
        assert "← Microsoft's 20%: / withheld (errors) / (Jan–Sep)" in d["texts"]  # three lines in its short run
        SHOTS.mkdir(exist_ok=True)
        tab.locator("svg.flows").screenshot(path=str(SHOTS / "flows-longest-labels.png"))
    finally:
        context.close()
