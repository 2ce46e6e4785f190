"""Races between writers: nothing anyone saved is overwritten or rolled back.

- Every writer takes the books folder's own lock, whatever its TMPDIR.
- A file changed between the writer's read and its rename (by a program that
  ignores the lock, such as an editor) is kept; the write is refused, exit 4.
- A rollback, of a refused write or of a killed one, puts a file back only if
  it still holds what that write left: a later edit is kept, the version
  from before the write beside it as FILE.conflict-N, and `check` lists it.

The figures are test inputs, not facts: a training figure (no training
figure is in the shipped books) and a hand-typed Bing one.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from conftest import snapshot
from corpus.checks import bean_check
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger import writer
from leakledger.figure_request import FigureRequest, plan_figures
from leakledger.recording import edits_for

runner = CliRunner()
SOURCE = "Race test"
ADD = ["leakledger", "add", "training", "700M", "--period", "2025-Q4", "--source", SOURCE]
#: A figure typed by hand into 2025.beancount (Bing revenue, 2025-Q4, 1,000,000,000), as a person would.
HAND_EDIT = """
2025-12-31 * "Bing revenue, typed by hand (2025-Q4)" #reported ^bing-by-hand
  metric: "bing-revenue"
  period-start: 2025-10-01
  source: "Typed by hand"
  Assets:Microsoft:Cash          1000000000.00 USD
  Income:Microsoft:Bing         -1000000000.00 USD
"""


#: The first line of the conflict file a rollback leaves beside an edited 2025.beancount (one file written).
NOTE_2025 = (
    "; leakledger: 2025.beancount was edited after an interrupted leakledger write and is kept as it is, with what "
    "that write put in it; below is 2025.beancount from before that write: merge what you need, then delete this "
    "file\n"
)


def env_without_fault(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != writer.FAULT_ENV}
    env.update(extra)
    return env


def hand_edit(year_file: Path) -> bytes:
    with open(year_file, "a", encoding="utf-8") as handle:
        handle.write(HAND_EDIT)
    return year_file.read_bytes()


def test_the_hand_edit_is_a_clean_figure(ledger_copy):
    hand_edit(ledger_copy.parent / "2025.beancount")
    assert bean_check(ledger_copy) == ""


def test_writers_with_different_tmpdirs_all_land(ledger_copy, tmp_path):
    """The lock is the books folder: eight writers, each with its own TMPDIR, queue on it."""
    months = [f"2024-{m:02d}" for m in range(1, 9)]
    procs = []
    for n, month in enumerate(months):
        temp = tmp_path / f"tmp{n}"
        temp.mkdir()
        procs.append(
            subprocess.Popen(
                [
                    "leakledger",
                    "add",
                    "training",
                    f"{n + 1}M",
                    "--period",
                    month,
                    "--source",
                    SOURCE,
                    "--ledger",
                    str(ledger_copy),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env_without_fault(TMPDIR=str(temp)),
            )
        )
    outs = [p.communicate(timeout=240)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * len(months), outs
    text = (ledger_copy.parent / "2024.beancount").read_text()
    assert all(text.count(f"^training-{month}\n") == 1 for month in months)
    assert bean_check(ledger_copy) == ""


def test_a_held_folder_lock_stops_a_writer_with_another_tmpdir(ledger_copy, tmp_path):
    folder = ledger_copy.parent
    before = snapshot(folder)
    with writer.BooksLock(folder):
        proc = subprocess.Popen(
            [*ADD, "--ledger", str(ledger_copy)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env_without_fault(TMPDIR=str(tmp_path)),
        )
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=2)
        assert snapshot(folder) == before
    assert proc.wait(timeout=60) == 0


@pytest.mark.parametrize("point", ["journaled", "temp-written"])
def test_a_file_saved_by_another_program_before_the_rename_is_kept(ledger_copy, monkeypatch, point):
    """An editor that ignores the lock saves between our read and our rename: its bytes win, we refuse."""
    year = ledger_copy.parent / "2025.beancount"
    theirs: list[bytes] = []

    def other_program_saves(at):
        if at == point:
            theirs.append(hand_edit(year))

    monkeypatch.setattr(writer, "fault_hook", other_program_saves)
    result = runner.invoke(
        app, ["add", "training", "700M", "--period", "2025-Q4", "--source", SOURCE, "--ledger", str(ledger_copy)]
    )
    assert result.exit_code == 4
    assert result.stderr == (
        f"error: {year} changed while this write was prepared (another program saved it); "
        f"nothing was written and its new text is kept: run the command again\n"
    )
    assert year.read_bytes() == theirs[0]
    names = set(snapshot(ledger_copy.parent))
    assert not writer.journal_path(ledger_copy.parent).exists()
    assert not any(n.endswith(".leakledger-tmp") or ".conflict-" in n for n in names)
    monkeypatch.setattr(writer, "fault_hook", None)
    again = runner.invoke(
        app, ["add", "training", "700M", "--period", "2025-Q4", "--source", SOURCE, "--ledger", str(ledger_copy)]
    )
    assert again.exit_code == 0, again.stderr
    assert "^bing-by-hand" in year.read_text() and "^training-2025-q4" in year.read_text()


def test_a_refused_writes_rollback_keeps_a_concurrent_save(ledger_copy, monkeypatch):
    """A change refused for a new error must not put old bytes over what another program saved meanwhile."""
    accounts = ledger_copy.parent / "accounts.beancount"
    text = accounts.read_text()
    old = "2019-01-01 open Expenses:OpenAI:Compute:Training USD\n"
    accounts.write_text(text.replace(old, "2026-01-01 open Expenses:OpenAI:Compute:Training USD\n"))
    year = ledger_copy.parent / "2025.beancount"
    before = year.read_bytes()
    saved: list[bytes] = []

    def other_program_saves(at):
        if at == "written":  # after our rename, before the reload refuses the change
            saved.append(hand_edit(year))

    monkeypatch.setattr(writer, "fault_hook", other_program_saves)

    def prepare(books):
        plans = plan_figures(
            [FigureRequest("training", "700M", "2025-Q4", SOURCE)], books.entries, today=datetime.date(2026, 6, 1)
        )
        return edits_for(plans, books), plans

    warnings: list[str] = []
    with pytest.raises(writer.WriteError, match="would add an error"):
        writer.write_change(ledger_copy, prepare, say=warnings.append)
    assert year.read_bytes() == saved[0]  # their save, which holds our refused figure too: kept
    conflict = year.with_name("2025.beancount.conflict-1")
    assert conflict.read_bytes() == NOTE_2025.encode() + before
    assert warnings == [
        f"{year} changed after an interrupted write: kept as it is, with what that write put in it; "
        f"its version from before that write is in 2025.beancount.conflict-1"
    ]


def test_the_rollback_of_a_killed_write_keeps_a_later_hand_edit(ledger_copy):
    folder = ledger_copy.parent
    year = folder / "2025.beancount"
    before = year.read_bytes()
    killed = subprocess.run(
        [*ADD, "--ledger", str(ledger_copy)],
        capture_output=True,
        env=env_without_fault(**{writer.FAULT_ENV: "written"}),
    )
    assert killed.returncode == -9 and writer.journal_path(folder).exists()
    edited = hand_edit(year)  # a person types a figure into the file the killed write left
    nxt = subprocess.run(
        [
            "leakledger",
            "add",
            "training",
            "1B",
            "--period",
            "2024-Q1",
            "--source",
            SOURCE,
            "--ledger",
            str(ledger_copy),
        ],
        capture_output=True,
        text=True,
        env=env_without_fault(),
    )
    assert nxt.returncode == 0, nxt.stderr
    assert nxt.stderr.splitlines()[0] == (
        f"warning: {year} changed after an interrupted write: kept as it is, with what that write put in it; "
        f"its version from before that write is in 2025.beancount.conflict-1"
    )
    assert year.read_bytes() == edited  # the hand edit (and the killed write it built on) is kept
    # The version from before, under one comment line that says what was left (Beancount reads it as a comment).
    assert (folder / "2025.beancount.conflict-1").read_bytes() == NOTE_2025.encode() + before
    assert not writer.journal_path(folder).exists()
    check = subprocess.run(["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [f"{folder / '2025.beancount.conflict-1'}:0: {NOTE_2025[14:-1]}"]
    (folder / "2025.beancount.conflict-1").unlink()
    assert bean_check(ledger_copy) == ""


def test_a_rollback_with_no_later_edit_restores_as_before(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    killed = subprocess.run(
        [*ADD, "--ledger", str(ledger_copy)],
        capture_output=True,
        env=env_without_fault(**{writer.FAULT_ENV: "written"}),
    )
    assert killed.returncode == -9
    with writer.BooksLock(folder):
        warnings: list[str] = []
        assert writer.recover(folder, warnings.append) == [folder / "2025.beancount"]
    assert warnings == [] and snapshot(folder) == before


@pytest.mark.parametrize("point", ["written", "verified"])
def test_a_two_file_import_killed_then_edited_by_hand_says_which_part_is_left(ledger_copy, tmp_path, point):
    """Issue 22, item 11: the rollback keeps the hand-edited file, with its row of the import, and puts the other back.

    The sheet's two rows land in two files (2025-Q4 in 2025.beancount,
    2026-Q1 in 2026.beancount). Nothing can put the 2025 row back without
    losing the hand edit, so one row is left: the warning, the conflict file's
    first line and `check` all say so, and name the file put back.
    """
    folder = ledger_copy.parent
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("metric,period,amount,source\ntraining,2025-Q4,5M,Test sheet\ntraining,2026-Q1,6M,Test sheet\n")
    before = snapshot(folder)
    killed = subprocess.run(
        ["leakledger", "import", str(sheet), "--ledger", str(ledger_copy)],
        capture_output=True,
        env=env_without_fault(**{writer.FAULT_ENV: point}),
    )
    assert killed.returncode == -9 and writer.journal_path(folder).exists()
    year, next_year = folder / "2025.beancount", folder / "2026.beancount"
    assert "^training-2025-q4" in year.read_text() and "^training-2026-q1" in next_year.read_text()  # both written
    edited = hand_edit(year)
    with writer.BooksLock(folder):
        warnings: list[str] = []
        assert writer.recover(folder, warnings.append) == [next_year]
    assert warnings == [
        f"{year} changed after an interrupted write: kept as it is, with what that write put in it; its version "
        "from before that write is in 2025.beancount.conflict-1; the write's other files were put back: 2026.beancount"
    ]
    assert year.read_bytes() == edited and next_year.read_bytes() == before["2026.beancount"]
    note = (
        "2025.beancount was edited after an interrupted leakledger write and is kept as it is, with what that write "
        "put in it, while the write's other files (2026.beancount) were put back as before it; below is "
        "2025.beancount from before that write: merge what you need, then delete this file"
    )
    conflict = folder / "2025.beancount.conflict-1"
    assert conflict.read_bytes() == f"; leakledger: {note}\n".encode() + before["2025.beancount"]
    check = subprocess.run(["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True)
    assert (check.returncode, check.stdout.splitlines()) == (1, [f"{conflict}:0: {note}"])
