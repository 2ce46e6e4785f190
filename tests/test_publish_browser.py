"""The published site in a real headless Chromium, from file://, with every other request blocked.

Every internal link of every page is checked by parsing the pages; in the
session's Chromium (tests/in_chromium.py) every kind of page is opened (each
page but the figures', and every fifth figure page), with the links it
resolves compared with the parse; the index must draw its charts;
axe-core (vendored, tests/vendor/axe-core) finds no serious or critical
violation; pages fit a phone's width. Screenshots of the
index and a figure page at desktop and phone width go to test-output/.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import ROOT
from in_chromium import SHOTS

AXE = ROOT / "tests/vendor/axe-core/axe.min.js"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1400, "height": 1000}
#: axe-core checks every page kind: the model, a figure, a sum of figures, a company, a scenario, the lists.
AXE_PAGES = (
    "index.html",
    "quarter.html",
    "figures/revenue-share-2024.html",
    "figures/year-total-net_payment.html",  # a sum of figures (the 2024 and 2025 payments)
    "companies/openai.html",
    "scenarios/azure-openai-growth.html",
    "figures/index.html",
    "downloads.html",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pub") / "site"
    done = subprocess.run(["leakledger", "publish", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture
def offline(chromium):
    """A page (in the session's Chromium) that may load file:// only: any other request is aborted and recorded."""
    context = chromium.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.problems = []
    # only what is not a file goes through Python (each routed request is a round trip to the driver: routing the
    # site's own files too made opening its ~390 pages take 17 s)
    context.route(
        re.compile(r"^(?!file://)"),
        lambda route: (tab.problems.append(f"blocked {route.request.url}"), route.abort()),
    )
    tab.on("requestfailed", lambda request: tab.problems.append(f"failed {request.url}"))
    tab.on("pageerror", lambda error: tab.problems.append(f"page error {error}"))
    tab.on("console", lambda message: tab.problems.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()


def _open(tab, site: Path, path: str) -> None:
    response = tab.goto((site / path).as_uri(), wait_until="load")
    assert response is None or response.ok, path


#: Every link of the page, resolved as the browser resolves it, and every element id (one round trip).
LINKS_AND_IDS = """() => [
    [...document.querySelectorAll('a[href]')].map(a => new URL(a.getAttribute('href'), document.baseURI).href),
    [...document.querySelectorAll('[id]')].map(n => n.id),
]"""


class _Anchors(HTMLParser):
    """A page's `<a href>` values, element ids, and what it loads (`src`, `<link href>`), as its DOM holds them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        named = dict(attrs)
        if named.get("id"):
            self.ids.add(named["id"])
        if tag == "a" and named.get("href") is not None:
            self.hrefs.append(named["href"])
        if named.get("src") is not None:
            self.loads.append(named["src"])
        if tag == "link" and named.get("href") is not None:
            self.loads.append(named["href"])


def _anchors(page: Path) -> _Anchors:
    parsed = _Anchors()
    parsed.feed(page.read_text(encoding="utf-8"))
    return parsed


def _resolved(site: Path, path: str, hrefs) -> list[str]:
    base = (site / path).as_uri()
    return [urljoin(base, href) for href in hrefs]


def test_no_internal_link_of_any_page_is_broken(site):
    """Every link of every page (~390) resolves to a file of the site, and its #fragment to an id there; all a
    page loads (scripts, styles, images) is a file of the site."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    parsed = {path: _anchors(site / path) for path in pages}
    seen_targets = set()
    for path, anchors in parsed.items():
        for load in _resolved(site, path, anchors.loads):
            parts = urlsplit(load)
            loaded = Path(unquote(parts.path))
            assert parts.scheme == "file" and site in loaded.parents and loaded.is_file(), (path, load)
        for href in _resolved(site, path, anchors.hrefs):
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue  # a source's URL: a link out, never loaded
            assert parts.scheme == "file", (path, href)
            target = Path(unquote(parts.path))
            assert target.is_file(), f"{path} links to a missing {target}"
            assert site in target.parents, f"{path} links outside the site: {target}"
            relative = target.relative_to(site).as_posix()
            if parts.fragment and relative in parsed:
                assert parts.fragment in parsed[relative].ids, (path, href)
            seen_targets.add(relative)
    # every page is reachable, and every figure page is linked from somewhere
    assert {p for p in pages if p != "index.html"} <= seen_targets
    assert len(pages) > 20


def test_every_kind_of_page_loads_offline_as_the_links_say(offline, site):
    """In Chromium from file://, with every other request blocked: each page that is not a figure's, and every
    fifth figure page (they share one template), loads with no request out, no failed request and no script
    error, and the links the browser resolves are those the static check above reads."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    figures = [p for p in pages if "/figures/" in f"/{p}"]
    opened = [p for p in pages if p not in figures] + figures[::5]
    assert len(opened) > 40
    for path in opened:
        _open(offline, site, path)
        hrefs, ids = offline.evaluate(LINKS_AND_IDS)
        anchors = _anchors(site / path)
        assert hrefs == _resolved(site, path, anchors.hrefs), path
        assert set(ids) == anchors.ids, path
    assert offline.problems == []


def test_the_index_draws_its_charts(offline, site):
    _open(offline, site, "index.html")
    charts = offline.eval_on_selector_all(
        "svg.chart",
        """svgs => svgs.map(svg => ({
        bars: [...svg.querySelectorAll('rect.bar')].filter(r => r.getBoundingClientRect().height > 1).length,
        width: svg.getBoundingClientRect().width}))""",
    )
    drawn = [c for c in charts if c["bars"] >= 2 and c["width"] > 300]
    assert len(drawn) >= 2, charts
    # a bar is a link to its figure's page
    href = offline.get_attribute("svg.chart a", "href")
    assert href and (site / posixpath.normpath(href)).is_file()
    assert offline.problems == []


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_accessibility_violation(offline, site, path):
    _open(offline, site, path)
    offline.add_script_tag(path=str(AXE))
    result = offline.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


@pytest.mark.parametrize(
    "path",
    ["index.html", "figures/revenue-share-2024.html", "companies/openai.html", "scenarios/azure-openai-growth.html"],
)
def test_pages_fit_a_phone_and_are_screenshotted(offline, site, path):
    SHOTS.mkdir(exist_ok=True)
    name = path.replace("/", "-").removesuffix(".html")
    for size, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
        offline.set_viewport_size(size)
        _open(offline, site, path)
        overflow = offline.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {size['width']}px screen"
        offline.screenshot(path=str(SHOTS / f"publish-{name}-{tag}.png"), full_page=True)
    offline.emulate_media(media="print")
    assert offline.eval_on_selector("header.site", "h => getComputedStyle(h).display") == "none"
    assert offline.problems == []


#: A table box's scroll state and where its first column and its cue sit, before and after scrolling it.
SCROLLED = """box => {
    const first = box.querySelector('tbody th[scope=row]');
    const before = first.getBoundingClientRect().left;
    const cue = getComputedStyle(box, '::before').content;
    box.scrollLeft = box.scrollWidth;
    const after = first.getBoundingClientRect().left;
    return {wider: box.scrollWidth > box.clientWidth, before, after, cue,
            shadow: getComputedStyle(box).backgroundImage};
}"""


def test_a_table_on_a_phone_scrolls_with_a_cue_and_keeps_its_period_column(offline, site):
    offline.set_viewport_size(PHONE)
    _open(offline, site, "index.html")
    box = offline.locator(".table-wrap:not(:has(.flow-table))").first  # the period table, not a flow table
    offline.screenshot(path=str(SHOTS / "publish-index-phone-table.png"), full_page=False, clip=None)
    box.scroll_into_view_if_needed()
    offline.screenshot(path=str(SHOTS / "publish-index-phone-table-before.png"))
    state = box.evaluate(SCROLLED)
    assert state["wider"]  # 8 columns do not fit 390 px
    assert "Scroll sideways" in state["cue"] and "gradient" in state["shadow"]
    assert abs(state["after"] - state["before"]) < 1  # the period column stayed where it was
    offline.screenshot(path=str(SHOTS / "publish-index-phone-table-scrolled.png"))
    assert offline.problems == []


#: Each timeline table's width beyond the box it sits in (0 where it fits), measured by the browser.
OVERFLOW = """() => [...document.querySelectorAll('.table-wrap')].map(w => [
    w.querySelector('caption').textContent, w.scrollWidth - w.clientWidth])"""


@pytest.mark.parametrize("width", [1400, 1000])
def test_the_timeline_tables_fit_the_page(offline, site, width):
    # 2026-06-16's "After" column was off-screen at 1400px: its cells "none: OpenAI's revenue is recorded (...)"
    # and the cap's one-line summary never wrapped. Every column of every day now fits, at desktop widths.
    offline.set_viewport_size({"width": width, "height": 1000})
    _open(offline, site, "timeline.html")
    widths = offline.evaluate(OVERFLOW)
    assert any(caption == "What 2026-06-16 moved" for caption, _ in widths)
    assert [(caption, over) for caption, over in widths if over > 0] == []
    offline.screenshot(path=str(SHOTS / f"timeline-{width}.png"), full_page=True)
    assert offline.problems == []


@pytest.mark.parametrize("name", ["openai-revenue-to-2030", "azure-openai-growth", "cap-counts-all-payments"])
def test_a_scenario_table_fits_a_1400px_window(offline, site, name):
    # openai-revenue-to-2030's comparison was 747px wider than its box at 1400px: every column and number stays,
    # what follows a number ("(assumed)", its span) goes under it, the scenario's name is in the caption.
    offline.set_viewport_size(DESKTOP)
    _open(offline, site, f"scenarios/{name}.html")
    widths = offline.evaluate(OVERFLOW)
    assert len(widths) == 1 and widths[0][1] <= 0, widths
    assert offline.locator("table.compare thead th").count() >= 9  # period, book, covers and the money columns
    offline.screenshot(path=str(SHOTS / f"scenario-{name}-1400.png"), full_page=True)
    assert offline.problems == []


#: Each chart's value labels, unit and bars as drawn (page pixels).
CHART_BOXES = """svgs => svgs.map(svg => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    return {id: svg.id, svg: box(svg), labels: [...svg.querySelectorAll('text.value')].map(box),
            unit: [...svg.querySelectorAll('text.unit')].map(box), bars: [...svg.querySelectorAll('rect.bar')].map(box)};
})"""


def _touch(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["index.html", "quarter.html"])
def test_the_chart_labels_touch_nothing_and_the_axis_names_its_unit(offline, site, viewport, path):
    """Every bar's value label stands clear of the others, of the bars and of the unit, inside its chart."""
    offline.set_viewport_size(viewport)
    _open(offline, site, path)
    for chart in offline.eval_on_selector_all("svg.chart", CHART_BOXES):
        assert len(chart["unit"]) == 1, chart["id"]  # "USD per quarter"
        labels = chart["labels"]
        assert not labels or len(labels) == len(chart["bars"]), chart["id"]  # on every bar, or on none
        for i, label in enumerate(labels):
            assert chart["svg"][1] <= label[1] and label[3] <= chart["svg"][3], (chart["id"], i)
            assert not any(_touch(label, other) for other in labels[i + 1 :] + chart["unit"]), (chart["id"], i)
            assert not any(_touch(label, bar) for bar in chart["bars"]), (chart["id"], i)
    offline.screenshot(path=SHOTS / f"site-charts-{path[:-5]}-{viewport['width']}.png", full_page=False)
