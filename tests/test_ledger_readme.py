"""ledger/README.md's file table names every file the books include (it left out cash.beancount)."""

from __future__ import annotations

import re

from conftest import LEDGER_DIR


def test_the_file_table_names_every_included_file():
    readme = (LEDGER_DIR / "README.md").read_text(encoding="utf-8")
    table = {name for row in readme.splitlines() if row.startswith("| `") for name in re.findall(r"`([^`]+)`", row)}
    included = {
        name
        for book in ("books.beancount", "main.beancount")
        for name in re.findall(r'^include "([^"]+)"', (LEDGER_DIR / book).read_text(encoding="utf-8"), re.M)
    }
    assert "cash.beancount" in included
    # The year files are one row: "`2024.beancount`, `2025.beancount`, …".
    assert "`2025.beancount`, …" in readme
    years = {name for name in included if re.fullmatch(r"\d{4}\.beancount", name)}
    assert included - years - table == set()
