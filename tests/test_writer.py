"""The safe write path: a writer killed or failing at any step leaves the books whole.

Each fault point of leakledger.writer is hit twice: by SIGKILL in a separate
`leakledger add` process (LEAKLEDGER_FAULT), after which the journal rolls the
change back, and by an exception in-process (fault_hook), after which the
files are restored at once.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import snapshot

from leakledger import writer
from leakledger.books import load_books
from leakledger.figure_request import FigureRequest
from leakledger.recording import record_figures

SOURCE = "Test source"
ADD = ["leakledger", "add", "training", "700M", "--period", "2025-Q4", "--source", SOURCE]
#: Points a refused change passes; "restoring" is reached only when it is refused.
WRITE_POINTS = [p for p in writer.FAULT_POINTS if p != "restoring"]


def unopen_training(ledger: Path) -> None:
    """Open the training account only in 2026: a 2025 training figure is then a Beancount error."""
    accounts = ledger.parent / "accounts.beancount"
    text = accounts.read_text()
    old = "2019-01-01 open Expenses:OpenAI:Compute:Training USD\n"
    assert old in text
    accounts.write_text(text.replace(old, "2026-01-01 open Expenses:OpenAI:Compute:Training USD\n"))


def landed(ledger: Path) -> bool:
    return "^training-2025-q4" in (ledger.parent / "2025.beancount").read_text()


def test_the_fault_points_are_in_write_order():
    assert writer.FAULT_POINTS == (
        "locked",
        "planned",
        "journaled",
        "temp-written",
        "replaced",
        "written",
        "verified",
        "restoring",
        "committed",
    )


@pytest.mark.parametrize("point", writer.FAULT_POINTS)
def test_killed_at_each_step_the_books_stay_whole(ledger_copy, point):
    folder = ledger_copy.parent
    if point == "restoring":
        unopen_training(ledger_copy)
    before = snapshot(folder)
    killed = subprocess.run(
        [*ADD, "--ledger", str(ledger_copy)],
        capture_output=True,
        text=True,
        env={**os.environ, writer.FAULT_ENV: point},
    )
    assert killed.returncode == -9, killed.stderr
    journal = writer.journal_path(folder)
    if point == "committed":
        assert landed(ledger_copy) and not journal.exists()
        assert load_books(ledger_copy)[1] == []
        return
    if journal.exists():
        # `check` says the books may hold half a change.
        check = subprocess.run(["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True)
        assert check.returncode == 1 and f"{journal}:0: an interrupted leakledger write" in check.stdout
    with writer.BooksLock(folder):
        writer.recover(folder)
    assert snapshot(folder) == before
    # The next write runs as if nothing had happened.
    if point != "restoring":
        again = subprocess.run([*ADD, "--ledger", str(ledger_copy)], capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert landed(ledger_copy) and load_books(ledger_copy)[1] == []


def test_the_next_write_rolls_back_a_killed_one(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    killed = subprocess.run(
        [*ADD, "--ledger", str(ledger_copy)], capture_output=True, env={**os.environ, writer.FAULT_ENV: "written"}
    )
    assert killed.returncode == -9 and writer.journal_path(folder).exists()
    dry = subprocess.run([*ADD, "--dry-run", "--ledger", str(ledger_copy)], capture_output=True, text=True)
    assert dry.returncode == 4 and "interrupted write" in dry.stderr
    other = subprocess.run(
        [
            "leakledger",
            "add",
            "bing-revenue",
            "1B",
            "--period",
            "2025-Q4",
            "--source",
            SOURCE,
            "--ledger",
            str(ledger_copy),
        ],
        capture_output=True,
        text=True,
    )
    assert other.returncode == 0, other.stderr
    assert not landed(ledger_copy) and not writer.journal_path(folder).exists()
    after = snapshot(folder)
    assert set(after) == set(before)
    assert {name for name in after if after[name] != before[name]} == {"2025.beancount"}


@pytest.mark.parametrize("point", WRITE_POINTS)
def test_an_exception_at_each_step_restores_at_once(ledger_copy, point, monkeypatch):
    folder = ledger_copy.parent
    before = snapshot(folder)

    def hook(at):
        if at == point:
            raise RuntimeError(f"fault at {at}")

    monkeypatch.setattr(writer, "fault_hook", hook)
    with pytest.raises(RuntimeError, match=f"fault at {point}"):
        record_figures(ledger_copy, [FigureRequest("training", "700M", "2025-Q4", SOURCE)])
    assert not writer.journal_path(folder).exists()
    if point == "committed":
        assert landed(ledger_copy)
    else:
        assert snapshot(folder) == before


def test_a_held_lock_makes_a_writer_wait(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    with writer.BooksLock(folder):
        proc = subprocess.Popen([*ADD, "--ledger", str(ledger_copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.5)
        assert proc.poll() is None
        assert snapshot(folder) == before
    assert proc.wait(timeout=60) == 0
    assert landed(ledger_copy)


def test_main_and_scenario_books_share_one_lock(ledger_copy, tmp_path):
    scenario = ledger_copy.parent / "scenarios" / "x.beancount"
    scenario.parent.mkdir(exist_ok=True)
    scenario.write_text('option "operating_currency" "USD"\ninclude "../books.beancount"\n')
    assert writer.books_file_of(scenario) == writer.books_file_of(ledger_copy) == ledger_copy.parent / "books.beancount"
    lone = tmp_path / "lone.beancount"
    lone.write_text("2020-01-01 open Assets:OpenAI:Cash\n")
    assert writer.books_file_of(lone) == lone


def test_errors_that_only_moved_are_not_new():
    from collections import namedtuple

    E = namedtuple("E", "source message entry")
    before = [E({"filename": "/l/2025.beancount", "lineno": 10}, "x overlaps y at /l/2025.beancount:4: twice", None)]
    moved = [E({"filename": "/l/2025.beancount", "lineno": 11}, "x overlaps y at /l/2025.beancount:5: twice", None)]
    fresh = E({"filename": "/l/2025.beancount", "lineno": 30}, "Invalid reference to inactive account", None)
    assert writer.new_errors(before, moved) == []
    assert writer.new_errors(before, [*moved, fresh]) == [fresh]
    assert writer.new_errors(before, [*moved, *moved]) == [moved[0]]
