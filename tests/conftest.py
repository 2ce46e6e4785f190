"""Shared fixtures: the shipped books, loaded fresh, throwaway copies, one Fava, one browser.

Beancount's pickle cache ignores plugin changes, so it is off for the whole
suite (set before anything imports beancount.loader).

Where the rest lives: `fava_client.py` builds every Fava test client (and the
session's Fava on the shipped books, `shipped_fava`); `in_chromium.py` holds
the session's headless Chromium (`chromium`), its one `leakledger serve`
(`served`) and a fresh tab per test (`page`); `ledgers.py` writes docstring
ledgers; `entries.py` compares whole entries; `quarter_books.py` builds the
seven-quarter books. Markers: `browser` (added to every test that takes the
`chromium` fixture) and `wheel`; `-m "not browser and not wheel"` is the
quick run.
"""

from __future__ import annotations

import os

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"

import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from beancount import loader

ROOT = Path(__file__).resolve().parent.parent
# bench/ sits beside the package, not in it: tests that share its helpers find it under plain `pytest` too.
sys.path.insert(0, str(ROOT))
LEDGER_DIR = ROOT / "ledger"
MAIN = LEDGER_DIR / "main.beancount"

#: The plugin line of the shipped books, for docstring ledgers in tests:
#: tests load the chain the way the books do.
PLUGINS = """\
option "operating_currency" "USD"
plugin "leakledger.plugins.chain"
"""


@pytest.fixture(scope="session")
def books():
    """(entries, errors, options_map) of the shipped books, with the plugins."""
    return loader.load_file(str(MAIN))


#: The links of the second leak's audited revenue (2026-06-16) in the shipped books.
SECOND_LEAK_REVENUE = ("revenue-2024", "revenue-2025")


def without_entries(text: str, links) -> str:
    """Beancount text less the entries that carry any of `links` (an entry ends at a blank line)."""
    blocks = re.split(r"\n(?=\n)", text)
    return "\n".join(b for b in blocks if not any(f"^{link}" in b.split("\n\n")[-1][:400] for link in links))


def first_leak_books(folder: Path) -> Path:
    """The shipped books as the first leak left them, written into `folder`; returns their main.beancount.

    The net payments, and no recorded OpenAI revenue. Tests of what a payment
    alone implies (the lower bounds, the day-split, the settlement each
    quarter) run on these: in the shipped books the audited revenue of 2024
    and 2025 covers every payment, so nothing is implied there.
    """
    dest = folder / "ledger"
    shutil.copytree(LEDGER_DIR, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    for name in ("2024.beancount", "2025.beancount"):
        path = dest / name
        path.write_text(without_entries(path.read_text(encoding="utf-8"), SECOND_LEAK_REVENUE), encoding="utf-8")
    return dest / "main.beancount"


@pytest.fixture(scope="session")
def first_leak_main(tmp_path_factory) -> Path:
    """`first_leak_books` once for the session (read only)."""
    return first_leak_books(tmp_path_factory.mktemp("first-leak"))


@pytest.fixture(scope="session")
def first_leak(first_leak_main):
    """(entries, errors, options_map) of `first_leak_main`, with the plugins."""
    return loader.load_file(str(first_leak_main))


@pytest.fixture
def first_leak_copy(tmp_path, first_leak_main) -> Path:
    """A throwaway copy of the first leak's books (`first_leak_main`); returns its main.beancount."""
    dest = tmp_path / "ledger"
    shutil.copytree(first_leak_main.parent, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    return dest / "main.beancount"


@pytest.fixture
def ledger_copy(tmp_path) -> Path:
    """A copy of the shipped ledger folder; returns its main.beancount."""
    dest = tmp_path / "ledger"
    shutil.copytree(LEDGER_DIR, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    return dest / "main.beancount"


def load_ledger(text: str, *, plugins: bool = True):
    """Load a docstring ledger the way Beancount's own tests do."""
    return loader.load_string((PLUGINS if plugins else "") + textwrap.dedent(text))


@pytest.fixture(scope="session")
def shipped_fava():
    """Fava on the books `leakledger serve` opens (the combined book first, then each company's), loaded once.

    Read-only: for tests that write, build their own with `fava_client.fava(copy)`.
    """
    from fava_client import fava
    from leakledger.cli.serve import ledger_files

    return fava(*ledger_files(MAIN, []))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, byte for byte, to prove nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the browser tests ---------------------------------------------------------------------

from in_chromium import chromium, page, served  # noqa: E402,F401  (fixtures for every test module)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium is a browser test, whether or not its module says so."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under LEAKLEDGER_REQUIRE_BROWSER=1 (CI), a browser test that skips has failed."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("browser") and os.environ.get("LEAKLEDGER_REQUIRE_BROWSER") == "1":
        report.outcome = "failed"
        report.longrepr = f"LEAKLEDGER_REQUIRE_BROWSER=1, but this browser test skipped: {report.longrepr}"
