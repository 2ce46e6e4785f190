"""Includes are checked before loading (issue 22, item 7).

`include "/dev/zero"` made every command hang, and `add` hung holding the
books' lock. An include that is not a regular file (a device, a FIFO, a
folder) is now refused in one line, naming its line, before Beancount reads
it; nothing is written. An include from outside the books folder is a
warning from `check`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import snapshot

from leakledger.books import NotARegularFile, walk_includes

COMMANDS = [
    ("check",),
    ("report",),
    ("reconcile",),
    ("statement", "OpenAI"),
    ("explain", "revenue-share-2024"),
    ("scenario", "compare", "azure-openai-growth"),
    ("add", "training", "5M", "--period", "2025-Q4", "--source", "Test source"),
    ("import", "{sheet}"),
    ("publish", "{tmp}/site"),
    ("serve", "--port", "0"),
]


def include(ledger: Path, target: str) -> tuple[Path, int]:
    """Append `include "TARGET"` to the books' 2025 file; (file, line)."""
    year = ledger.parent / "2025.beancount"
    text = year.read_text()
    year.write_text(text + f'\ninclude "{target}"\n')
    return year, text.count("\n") + 2


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_an_include_of_a_device_is_refused_before_loading_by_every_command(argv, ledger_copy, tmp_path):
    year, lineno = include(ledger_copy, "/dev/zero")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("metric,period,amount,source\ntraining,2025-Q4,5M,Test sheet\n")
    before = snapshot(ledger_copy.parent)
    args = [a.replace("{sheet}", str(sheet)).replace("{tmp}", str(tmp_path)) for a in argv]
    # It hung for good: the timeout is the test's failure, not a wait.
    done = subprocess.run(
        ["leakledger", *args, "--ledger", str(ledger_copy)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        f"error: {year}:{lineno}: include '/dev/zero' is a device, not a books file; nothing was loaded\n"
    )
    assert snapshot(ledger_copy.parent) == before


def test_a_fifo_or_a_folder_is_refused_too(ledger_copy, tmp_path):
    fifo = tmp_path / "figures.beancount"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    year, lineno = include(ledger_copy, str(fifo))
    with pytest.raises(NotARegularFile, match=f"{year}:{lineno}: include .* is a FIFO"):
        walk_includes(ledger_copy)
    year.write_text(year.read_text().replace(str(fifo), str(tmp_path)))
    with pytest.raises(NotARegularFile, match="is a folder"):
        walk_includes(ledger_copy)


def test_add_refused_for_a_fifo_leaves_the_lock_free(ledger_copy, tmp_path):
    """`add` hung holding the books' lock: the next writer could never get in."""
    fifo = tmp_path / "figures.beancount"
    os.mkfifo(fifo)
    year, _ = include(ledger_copy, str(fifo))
    add = ["leakledger", "add", "training", "5M", "--period", "2025-Q4", "--source", "Test source"]
    done = subprocess.run([*add, "--ledger", str(ledger_copy)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "is a FIFO" in done.stderr
    year.write_text(year.read_text().replace(f'\ninclude "{fifo}"\n', ""))
    done = subprocess.run([*add, "--ledger", str(ledger_copy)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_check_warns_about_an_include_outside_the_books_folder(ledger_copy, tmp_path):
    outside = tmp_path / "elsewhere.beancount"
    outside.write_text("; nothing but a comment\n")
    year, lineno = include(ledger_copy, str(outside))
    done = subprocess.run(
        ["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == (
        f"warning: {year}:{lineno}: include {outside} lies outside the books folder {ledger_copy.parent}\n"
    )


def test_the_shipped_books_and_their_scenarios_include_only_their_own_files(ledger_copy):
    folder = ledger_copy.parent
    for top in [ledger_copy, *sorted((folder / "scenarios").glob("*.beancount"))]:
        included = [path for _, path in walk_includes(top)]
        assert included and all(path.is_relative_to(folder) for path in included), top
