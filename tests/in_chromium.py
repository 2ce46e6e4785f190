"""One headless Chromium and one `leakledger serve` for every browser test of the session.

conftest.py imports the fixtures defined here, so every test module can take
them by name:

- `chromium`: Debian's /usr/bin/chromium driven by Playwright (never a
  downloaded browser), launched once per session. Without it the browser
  tests skip with the reason; under LEAKLEDGER_REQUIRE_BROWSER=1 (CI) a
  missing browser fails them, and conftest turns any skip of a browser test
  into a failure.
- `served`: one live `leakledger serve` on a temporary copy of the shipped
  books (each company's book beside it). A test module that needs other books
  (books with an error, books it writes into) registers them at import with
  `serve_also(name, build)`: the same server serves each as one more book in
  Fava's file switcher, titled by its name, so `served.url(name)` finds it.
  Only the modules collected register, so running one file serves only its
  books.
- `page`: a fresh browser context and tab per test that records console
  errors and uncaught exceptions in `page.errors`.

The helpers below (`load`, `screenshot`, `leak_charts_drawn`, ...) are what
the browser tests do with a page; screenshots go to test-output/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bench.common import serving

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

# conftest imports this module: the paths are its own, not conftest's (no import cycle).
ROOT = Path(__file__).resolve().parent.parent
LEDGER_DIR = ROOT / "ledger"
SHOTS = ROOT / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE = "LEAKLEDGER_REQUIRE_BROWSER"
#: Fava 1.30's account tree on its income statement and balance sheet.
TREE_TABLE = ".tree-table-new, .tree-table"
SHIPPED = "shipped"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).is_file():
        return f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright python package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def chromium():
    """The session's headless Chromium (a playwright Browser)."""
    missing = browser_missing()
    if missing:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{REQUIRE}=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- the served books ----------------------------------------------------------------

#: name -> build(folder) -> main file: the extra books registered by the collected test modules.
_EXTRA: dict[str, Callable[[Path], Path]] = {}


def copy_of_the_books(folder: Path) -> Path:
    """A copy of the shipped books folder in `folder`; returns its main.beancount."""
    dest = folder / "ledger"
    shutil.copytree(LEDGER_DIR, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    return dest / "main.beancount"


def serve_also(name: str, build: Callable[[Path], Path] = copy_of_the_books) -> str:
    """Register books for the session's server: `build(empty folder)` writes them and returns their main file.

    Call it at module level (collection time, before the server starts). The
    default builds a plain copy of the shipped books, for a test that writes.
    """
    if name in _EXTRA and _EXTRA[name] is not build:
        raise ValueError(f"two different books registered as {name!r}")
    _EXTRA[name] = build
    return name


def title_of(name: str) -> str:
    """The title an extra book is served under (its slug follows from it)."""
    return f"Test books: {name}"


def _retitle(main: Path, title: str) -> None:
    text = main.read_text(encoding="utf-8")
    retitled, count = re.subn(r'^option "title" ".*"$', f'option "title" "{title}"', text, flags=re.M)
    main.write_text(retitled if count else f'option "title" "{title}"\n' + text, encoding="utf-8")


@dataclass(frozen=True)
class Served:
    """The live server: its origin (http://127.0.0.1:PORT/) and the main file of each book it serves."""

    origin: str
    books: dict[str, Path]
    slugs: dict[str, str]

    def url(self, name: str = SHIPPED) -> str:
        """The base URL of one book, ending in '/': the shipped copy unless a registered name is given."""
        return f"{self.origin}{self.slugs[name]}/"


@pytest.fixture(scope="session")
def served(chromium, tmp_path_factory) -> Served:
    """The session's `leakledger serve`: the shipped books (a copy) and every registered extra book."""
    from fava.util import slugify

    root = tmp_path_factory.mktemp("served")
    main = copy_of_the_books(root / SHIPPED)
    books = {SHIPPED: main}
    for name, build in sorted(_EXTRA.items()):
        folder = root / name
        folder.mkdir()
        books[name] = build(folder)
        _retitle(books[name], title_of(name))
    extra = [arg for name in books if name != SHIPPED for arg in ("--scenario", str(books[name]))]
    with serving("--ledger", str(main), *extra) as url:
        first = url.rstrip("/").rsplit("/", 1)
        slugs = {SHIPPED: first[1], **{name: slugify(title_of(name)) for name in books if name != SHIPPED}}
        yield Served(origin=first[0] + "/", books=books, slugs=slugs)


# --- a page and what tests do with it -----------------------------------------------------


@pytest.fixture
def page(chromium):
    """A fresh tab (its own context) that records console errors and uncaught exceptions."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def load(page: Page, url: str, *, height: int = 1000) -> Response:
    """Open a URL, wait for the network to settle, and make the viewport `height` tall."""
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, (url, response.status)
    page.set_viewport_size({"width": 1400, "height": height})
    return response


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def chart_with_content(page: Page, selector: str) -> None:
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


def chart_periods(page: Page) -> list[str]:
    periods = page.eval_on_selector_all(", ".join(f"{c} canvas" for c in LEAK_CHARTS), CHART_PERIODS)
    assert len(periods) == 2 and periods[0] == periods[1], periods
    return periods[0]


def leak_charts_drawn(page: Page) -> None:
    """Both Leak model charts drawn by Chart.js: canvases on the page with bars painted on them."""
    for chart in LEAK_CHARTS:
        page.wait_for_selector(f"{chart}[data-state=drawn] canvas", state="visible")
        canvas = page.eval_on_selector(f"{chart} canvas", PAINTED)
        assert min(canvas["shown"]) > 100, (chart, canvas)
        # Axes and labels alone paint well under 1% of the canvas; the bars paint far more.
        assert canvas["painted"] > canvas["total"] * 0.02, (chart, canvas)
    # Exactly these two charts are alive: a reload or a return to the page destroys the old ones.
    assert page.evaluate("Object.keys(window.Chart.instances).length") == 2
