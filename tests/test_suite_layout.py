"""The suite keeps its shape: one place builds Fava, one launches Chromium, no test module borrows another's.

Plain text checks over tests/*.py, so a new test that copies the old
patterns (its own create_app, its own browser, fixtures imported from
another test module) fails here with the file and line to change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MODULES = sorted(TESTS.glob("*.py"))
#: pattern -> the one module allowed to hold it, and what to use instead.
ONE_PLACE = {
    r"\bcreate_app\(": ("fava_client.py", "fava_client.fava(...) or the shipped_fava fixture"),
    r"\bsync_playwright\b|\.launch\(": ("in_chromium.py", "the chromium, page and served fixtures"),
}


def hits(pattern: str, allowed: str) -> list[str]:
    return [
        f"{module.name}:{number}: {line.strip()}"
        for module in MODULES
        if module.name not in (allowed, Path(__file__).name)
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(pattern, line)
    ]


@pytest.mark.parametrize("pattern", ONE_PLACE)
def test_each_is_built_in_one_place(pattern):
    allowed, instead = ONE_PLACE[pattern]
    assert re.search(pattern, (TESTS / allowed).read_text(encoding="utf-8"))  # the pattern still finds it there
    assert hits(pattern, allowed) == [], f"use {instead}"


def test_no_test_module_imports_from_another():
    assert hits(r"^\s*(from|import) test_\w+", "") == [], "move shared helpers and fixtures to a helper module"
