"""The flow diagrams in a real headless Chromium: the published pages from file://, the Leak model page live.

At a desktop's 1400 px and a phone's 390 px: no label of a diagram touches
another or leaves the picture, the page is no wider than the screen (on a
phone the picture scrolls inside its own box, under a cue that says so),
and axe-core (vendored) finds nothing serious or critical in the flows.
Screenshots go to test-output/.
"""

from __future__ import annotations

import pytest
from conftest import MAIN, ROOT
from in_chromium import SHOTS

from leakledger import reports
from leakledger.book_model import BookModel
from leakledger.books import load_clean
from leakledger.publish import publish

pytestmark = pytest.mark.browser

#: axe-core, vendored (tests/vendor/axe-core); a phone's and a desktop's window.
AXE = ROOT / "tests/vendor/axe-core/axe.min.js"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1400, "height": 1000}

#: Every label's box in each diagram, and the boxes that touch, or stick out of the picture.
LAYOUT = """() => [...document.querySelectorAll('svg.flows')].map(svg => {
  const frame = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom};
  });
  const touching = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) touching.push([a.text, b.text]);
  }));
  const outside = boxes.filter(a => a.l < frame.left - 0.5 || a.r > frame.right + 0.5
                                   || a.t < frame.top - 0.5 || a.b > frame.bottom + 0.5).map(a => a.text);
  return {id: svg.id, labels: boxes.length, touching, outside, width: frame.width,
          box: svg.closest('.flow-wrap').getBoundingClientRect().width};
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("flows-browser") / "site"
    publish(out, MAIN)
    return out


def _check(tab, shot: str, width: int) -> list[dict]:
    diagrams = tab.evaluate(LAYOUT)
    assert diagrams, "no flow diagram on the page"
    for d in diagrams:
        assert d["labels"] >= 8, d  # six flows and both companies
        assert d["touching"] == [] and d["outside"] == [], d
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


@pytest.mark.parametrize("path", ["index.html", "quarter.html"])
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


@pytest.mark.parametrize("by", ["year", "quarter"])
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
