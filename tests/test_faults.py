"""Faults during a write: a process killed at each step, an exception, a full disk, a read-only file, many writers.

The safe write path (leakledger.writer) passes named fault points. Each is
hit by SIGKILL in a separate `leakledger add` process (LEAKLEDGER_FAULT):
for a one-file write (a figure into the 2025 year file), after which the
journal rolls the change back byte for byte; and for a write that touches two
files (a figure for a new year: its year file and the include in
books.beancount), whose files are read *as the kill left them*: each is byte
for byte the old or the new version, never a torn mix, and the commands a
person would run next (`check`, then another `add`) roll it back. Each point
is also hit by an exception in-process (fault_hook), after which the files
are restored at once. Then a real full disk, read-only files, folders and
mounts, an immutable file, a held lock and 20 writers at once: one line, no
change, nothing recorded before is lost.
"""

from __future__ import annotations

import datetime
import errno
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from beancount.core import data
from conftest import LEDGER_DIR, snapshot
from corpus.checks import bean_check
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger import writer
from leakledger.books import load_books
from leakledger.figure_request import FigureRequest
from leakledger.recording import record_figures

runner = CliRunner()
SOURCE = "Fault test"
#: Training has no figure in the shipped books, and 2023 has no year file: this add writes two files.
NEW_YEAR = ["add", "training", "700M", "--period", "2023", "--source", SOURCE]
#: A one-file add into the existing 2025 year file.
IN_2025 = ["add", "training", "700M", "--period", "2025-Q4", "--source", SOURCE]
#: Points a refused change passes; "restoring" is reached only when it is refused.
WRITE_POINTS = [p for p in writer.FAULT_POINTS if p != "restoring"]


def leakledger(*argv: str, ledger: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    """`leakledger ARGV --ledger LEDGER` in its own process, killed at `fault` if given."""
    env = {k: v for k, v in os.environ.items() if k != writer.FAULT_ENV}
    if fault:
        env[writer.FAULT_ENV] = fault
    return subprocess.run(
        ["leakledger", *argv, "--ledger", str(ledger)], capture_output=True, text=True, env=env, timeout=120
    )


def add_in_process(ledger: Path, *argv: str):
    return runner.invoke(app, [*argv, "--ledger", str(ledger)])


def hand_written(ledger: Path) -> set[tuple]:
    """Every hand-written entry, as (type, date, links, narration): what must never be lost."""
    entries, errors, _ = load_books(ledger)
    assert errors == []
    return {
        (type(e).__name__, e.date, tuple(sorted(getattr(e, "links", None) or ())), getattr(e, "narration", ""))
        for e in entries
        # Nor Beancount's pads: their narration names the amount they pad, which the next figure changes.
        if not (isinstance(e, data.Transaction) and ("generated" in e.tags or e.flag == "P"))
    }


def books_files(snap: dict[str, bytes]) -> dict[str, bytes]:
    """A snapshot without the writer's own journal and temp files."""
    return {
        name: content
        for name, content in snap.items()
        if not name.endswith(".leakledger-tmp") and name != writer.JOURNAL_NAME
    }


def unopen_training(ledger: Path) -> None:
    """Open the training account only in 2026: a 2025 training figure is then a Beancount error."""
    accounts = ledger.parent / "accounts.beancount"
    text = accounts.read_text()
    old = "2019-01-01 open Expenses:OpenAI:Compute:Training USD\n"
    assert old in text
    accounts.write_text(text.replace(old, "2026-01-01 open Expenses:OpenAI:Compute:Training USD\n"))


def landed(ledger: Path) -> bool:
    """Whether IN_2025's figure is in the books."""
    return "^training-2025-q4" in (ledger.parent / "2025.beancount").read_text()


# --- a process killed at each step --------------------------------------------------------


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


@pytest.mark.parametrize("point", [p for p in writer.FAULT_POINTS if p != "committed"])
def test_a_one_file_write_killed_at_each_step_is_rolled_back_byte_for_byte(ledger_copy, point):
    """Killed before it committed (a kill after it is the two-file test's "committed" case)."""
    folder = ledger_copy.parent
    if point == "restoring":
        unopen_training(ledger_copy)
    before = snapshot(folder)
    killed = leakledger(*IN_2025, ledger=ledger_copy, fault=point)
    assert killed.returncode == -9, killed.stderr
    journal = writer.journal_path(folder)
    if journal.exists():
        # `check` says the books may hold half a change.
        check = leakledger("check", ledger=ledger_copy)
        assert check.returncode == 1 and f"{journal}:0: an interrupted leakledger write" in check.stdout
    with writer.BooksLock(folder):
        writer.recover(folder)
    assert snapshot(folder) == before
    # The next write runs as if nothing had happened.
    if point != "restoring":
        again = leakledger(*IN_2025, ledger=ledger_copy)
        assert again.returncode == 0, again.stderr
        assert landed(ledger_copy) and load_books(ledger_copy)[1] == []


def test_the_next_write_rolls_back_a_killed_one(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    killed = leakledger(*IN_2025, ledger=ledger_copy, fault="written")
    assert killed.returncode == -9 and writer.journal_path(folder).exists()
    dry = leakledger(*IN_2025, "--dry-run", ledger=ledger_copy)
    assert dry.returncode == 4 and "interrupted write" in dry.stderr
    other = leakledger("add", "bing-revenue", "1B", "--period", "2025-Q4", "--source", SOURCE, ledger=ledger_copy)
    assert other.returncode == 0, other.stderr
    assert not landed(ledger_copy) and not writer.journal_path(folder).exists()
    after = snapshot(folder)
    assert set(after) == set(before)
    assert {name for name in after if after[name] != before[name]} == {"2025.beancount"}


@pytest.fixture(scope="module")
def new_year_after(tmp_path_factory) -> dict[str, bytes]:
    """The books folder as a whole NEW_YEAR add leaves it (run once, unfaulted)."""
    dest = tmp_path_factory.mktemp("reference") / "ledger"
    shutil.copytree(LEDGER_DIR, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    result = add_in_process(dest / "main.beancount", *NEW_YEAR)
    assert result.exit_code == 0, result.stderr
    return snapshot(dest)


@pytest.mark.parametrize("point", [p for p in writer.FAULT_POINTS if p != "restoring"])
def test_a_kill_at_each_point_leaves_each_file_old_or_new_never_torn(ledger_copy, new_year_after, point):
    folder = ledger_copy.parent
    before = snapshot(folder)
    kept = hand_written(ledger_copy)
    assert set(new_year_after) - set(before) == {"2023.beancount"}

    killed = leakledger(*NEW_YEAR, ledger=ledger_copy, fault=point)
    assert killed.returncode == -9, killed.stderr
    left = books_files(snapshot(folder))
    assert set(left) <= set(new_year_after)
    for name, content in left.items():
        assert content in (before.get(name), new_year_after[name]), f"{name} is torn after a kill at {point!r}"
    if point == "committed":
        assert left == new_year_after and not writer.journal_path(folder).exists()
    else:
        # What is on disk may be half the change (books.beancount naming a 2023 file not yet there),
        # but only ever with the journal that undoes it.
        assert left == books_files(before) or writer.journal_path(folder).exists()

    # The next commands: check says a write was interrupted; the next add rolls it back and lands.
    journal = writer.journal_path(folder).exists()
    check = leakledger("check", ledger=ledger_copy)
    assert check.returncode == (1 if journal else 0), check.stdout + check.stderr
    journal_line = f"{writer.journal_path(folder)}:0: an interrupted leakledger write"
    assert (journal_line in check.stdout) == journal
    again = add_in_process(ledger_copy, "add", "inference", "1B", "--period", "2025-Q4", "--source", SOURCE)
    assert again.exit_code == 0, again.stderr
    after = snapshot(folder)
    assert not writer.journal_path(folder).exists() and not any(n.endswith(".leakledger-tmp") for n in after)
    assert ("2023.beancount" in after) == (point == "committed")
    assert kept <= hand_written(ledger_copy)  # nothing recorded before is lost
    assert bean_check(ledger_copy) == ""


def test_a_kill_during_the_rollback_is_rolled_back_by_the_next_writer(ledger_copy):
    """The rollback itself passes the "restoring" point: killed there, the journal still holds the old bytes."""
    folder = ledger_copy.parent
    before = snapshot(folder)
    assert leakledger(*NEW_YEAR, ledger=ledger_copy, fault="replaced").returncode == -9
    assert leakledger(*IN_2025, ledger=ledger_copy, fault="restoring").returncode == -9  # killed while recovering
    assert writer.journal_path(folder).exists()
    again = add_in_process(ledger_copy, *IN_2025)
    assert again.exit_code == 0, again.stderr
    after = snapshot(folder)
    assert set(after) == set(before)
    assert {name for name in after if after[name] != before[name]} == {"2025.beancount"}
    assert bean_check(ledger_copy) == ""


# --- an exception at each step ------------------------------------------------------------


@pytest.mark.parametrize("point", WRITE_POINTS)
def test_an_exception_at_each_step_restores_at_once(ledger_copy, point, monkeypatch):
    folder = ledger_copy.parent
    before = snapshot(folder)

    def hook(at):
        if at == point:
            raise RuntimeError(f"fault at {at}")

    monkeypatch.setattr(writer, "fault_hook", hook)
    with pytest.raises(RuntimeError, match=f"fault at {point}"):
        record_figures(ledger_copy, [FigureRequest("training", "700M", "2025-Q4", SOURCE)])  # IN_2025
    assert not writer.journal_path(folder).exists()
    if point == "committed":
        assert landed(ledger_copy)
    else:
        assert snapshot(folder) == before


# --- a full disk ----------------------------------------------------------------------


@contextmanager
def mounted(*args: str, target: Path):
    """`mount ARGS TARGET` for the block, or skip: mounting needs root (the CI container runs as root)."""
    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip()}); the fault-hook tests below simulate it")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)


def fill(folder: Path) -> Path:
    """Write a file until the filesystem says ENOSPC."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in (65536, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def test_a_really_full_disk_is_one_line_and_no_change(tmp_path):
    """A real full filesystem: a 256 KiB tmpfs holding the books, filled to the last byte."""
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=256k", "tmpfs", target=disk):
        folder = disk / "ledger"
        shutil.copytree(LEDGER_DIR, folder, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
        ledger = folder / "main.beancount"
        filler = fill(disk)
        before = snapshot(folder)
        done = leakledger(*IN_2025, ledger=ledger)
        assert done.returncode == 4 and done.stdout == ""
        [line] = done.stderr.splitlines()
        assert line.startswith("error: ") and "No space left on device; nothing was written" in line, line
        assert snapshot(folder) == before
        # With room again, the same add lands.
        filler.unlink()
        assert leakledger(*IN_2025, ledger=ledger).returncode == 0
        assert bean_check(ledger) == ""


@pytest.mark.parametrize("point", ["journaled", "temp-written", "replaced"])
def test_no_space_at_each_write_step_is_one_line_and_no_change(ledger_copy, point, monkeypatch):
    """Simulated: the fault hook raises OSError(ENOSPC) at the step, as a disk filling up there would."""

    def full(at):
        if at == point:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(writer, "fault_hook", full)
    before = snapshot(ledger_copy.parent)
    result = add_in_process(ledger_copy, *NEW_YEAR)
    assert result.exit_code == 4 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and line.endswith("No space left on device; nothing was written")
    assert snapshot(ledger_copy.parent) == before


# --- read-only files --------------------------------------------------------------------


def test_a_read_only_year_file_is_refused_even_for_root(ledger_copy):
    """chmod 0444: the writer reads the mode bits (root passes os.access, and os.replace ignores them)."""
    year = ledger_copy.parent / "2025.beancount"
    year.chmod(0o444)
    before = snapshot(ledger_copy.parent)
    result = add_in_process(ledger_copy, *IN_2025)
    assert result.exit_code == 4
    assert result.stderr == f"error: {year} is read-only; nothing was written\n"
    assert snapshot(ledger_copy.parent) == before and year.stat().st_mode & 0o777 == 0o444


def test_a_read_only_books_folder_is_refused(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        result = add_in_process(ledger_copy, *NEW_YEAR)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 4
    assert result.stderr == f"error: {folder} is read-only; nothing was written\n"
    assert snapshot(folder) == before


def test_a_read_only_filesystem_is_one_line_and_no_change(ledger_copy):
    """A real read-only mount of the books folder (a bind mount remounted ro): access(2) says EROFS."""
    folder = ledger_copy.parent
    before = snapshot(folder)
    with mounted("--bind", str(folder), target=folder):
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True).returncode:
            pytest.skip("cannot remount read-only here")
        done = leakledger(*IN_2025, ledger=ledger_copy)
    assert done.returncode == 4 and done.stdout == ""
    assert done.stderr == f"error: {folder} is read-only; nothing was written\n"
    assert snapshot(folder) == before


def test_an_immutable_year_file_is_one_line_and_no_change(ledger_copy):
    """chattr +i: not even root may replace the file; access(2) says so, and the writer asks it first."""
    year = ledger_copy.parent / "2025.beancount"
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(year)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        before = snapshot(ledger_copy.parent)
        result = add_in_process(ledger_copy, *IN_2025)
    finally:
        subprocess.run(["chattr", "-i", str(year)], check=True)
    assert result.exit_code == 4
    assert result.stderr == f"error: {year} is read-only; nothing was written\n"
    assert snapshot(ledger_copy.parent) == before


# --- the books' lock --------------------------------------------------------------------


def test_a_held_lock_makes_a_writer_wait(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    with writer.BooksLock(folder):
        proc = subprocess.Popen(
            ["leakledger", *IN_2025, "--ledger", str(ledger_copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
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


# --- many writers at once ----------------------------------------------------------------

#: 20 figures that overlap nothing: training for each month of 2024 (its year file exists)
#: and for Jan-Aug 2023 (no year file yet: several writers race to create and include it).
CONCURRENT = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2023-{m:02d}" for m in range(1, 9)]


def test_twenty_concurrent_adds_from_separate_processes_all_land_exactly_once(ledger_copy):
    assert len(CONCURRENT) == 20
    kept = hand_written(ledger_copy)
    env = {k: v for k, v in os.environ.items() if k != writer.FAULT_ENV}
    procs = [
        subprocess.Popen(
            [
                "leakledger",
                "add",
                "training",
                f"{n + 1}M",
                "--period",
                period,
                "--source",
                SOURCE,
                "--ledger",
                str(ledger_copy),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n, period in enumerate(CONCURRENT)
    ]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, [err for _, err in outs if err and "recorded in" not in err]
    folder = ledger_copy.parent
    text = (folder / "2024.beancount").read_text() + (folder / "2023.beancount").read_text()
    for period in CONCURRENT:
        assert text.count(f"^training-{period}\n") == 1, period
    assert (folder / "books.beancount").read_text().count('include "2023.beancount"') == 1
    after = hand_written(ledger_copy)
    added = after - kept
    # The new 2023.beancount's header brings its insert-entry option (dated 2022-12-31) once, beside the 20.
    option = {e for e in added if e[0] == "Custom"}
    assert [e[1] for e in option] == [datetime.date(2022, 12, 31)]
    assert kept <= after and len(added - option) == 20  # all land, once each; nothing before is lost
    assert bean_check(ledger_copy) == ""
