"""Every case of the bad-input corpus (tests/corpus/cases.py) through the real CLI.

A refused input: one `error:` line on stderr, nothing on stdout, a non-zero
exit, every file byte for byte as before. An accepted hostile text: the books
reload clean, bean-check passes, exactly one entry is added and it holds
the text as data. Broken books: `leakledger check` says FILE:LINE: message
once per problem and exits 1. Most cases run in-process through typer's
CliRunner (the same `app`); the ones marked `subprocess` run `leakledger`
as a separate process, as a person would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import LEDGER_DIR, snapshot
from corpus.cases import BROKEN_BOOKS, CASES, INERT, REJECT, SHEETS, SOURCE, huge_cell_sheet
from corpus.checks import accounts, bean_check, directive_count, restore, shape
from leakledger.cli.app import app
from leakledger.importers.leaksheet import read_sheet
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figure_text import clean_text

runner = CliRunner()
LINK = "training-2025-q4"  # an accepted case records training over 2025-Q4 unless it names its period


@pytest.fixture(scope="module")
def shared_books(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("hostile") / "ledger"
    shutil.copytree(LEDGER_DIR, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    assert load_books(dest / "main.beancount")[1] == []
    return dest


@pytest.fixture
def ledger(shared_books) -> Path:
    """The module's copy of the books, put back byte for byte after each case."""
    before = snapshot(shared_books)
    yield shared_books / "main.beancount"
    restore(shared_books, before)


def run(case, ledger: Path, tmp: Path) -> tuple[int, str, str]:
    argv = [arg.replace("{sheets}", str(SHEETS)).replace("{tmp}", str(tmp)) for arg in case.argv]
    argv += ["--ledger", str(ledger)]
    if case.subprocess:
        done = subprocess.run(["leakledger", *argv], capture_output=True, text=True, cwd=tmp, timeout=60)
        return done.returncode, done.stdout, done.stderr
    result = runner.invoke(app, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


def test_the_corpus_has_at_least_fifty_distinct_cases():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)) >= 50
    assert all(case.argv[0] in ("add", "import") for case in [*REJECT, *INERT])


@pytest.mark.parametrize("case", REJECT, ids=lambda case: case.name)
def test_refused_in_one_line_and_nothing_changes(case, ledger, tmp_path):
    huge_cell_sheet(tmp_path)
    before = snapshot(ledger.parent)
    code, out, err = run(case, ledger, tmp_path)
    assert code != 0
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("error: ") and case.says in line, line
    assert snapshot(ledger.parent) == before
    assert not (tmp_path / "PWNED").exists()


def given_text(case) -> dict[str, str]:
    """The provenance text the case hands over, by metadata key."""
    if case.argv[0] == "import":
        [request] = read_sheet(Path(case.argv[1].replace("{sheets}", str(SHEETS))))
        values = {"source": request.source, "url": request.url, "note": request.note}
    else:
        values = {"source": SOURCE}
        for key in ("source", "url", "note"):
            if f"--{key}" in case.argv:
                values[key] = case.argv[case.argv.index(f"--{key}") + 1]
    return {key: value for key, value in values.items() if value is not None}


@pytest.mark.parametrize("case", INERT, ids=lambda case: case.name)
def test_accepted_text_stays_data(case, ledger, tmp_path):
    folder = ledger.parent
    entries, errors, options = load_books(ledger)
    assert errors == []
    directives = directive_count(folder)
    code, out, err = run(case, ledger, tmp_path)
    assert code == 0, err

    after, errors, after_options = load_books(ledger)
    assert errors == []
    assert bean_check(ledger) == ""
    # Exactly one hand-written transaction more; no account, option or plugin from the text.
    assert shape(after) - shape(entries) == {"transaction": 1} and not shape(entries) - shape(after)
    assert accounts(after) == accounts(entries)
    assert directive_count(folder) == directives + 1
    for key in ("plugin", "operating_currency", "title", "include"):
        assert after_options[key] == options[key], key
    period = case.argv[case.argv.index("--period") + 1].lower() if "--period" in case.argv else "2025-q4"
    [entry] = [e for e in after if isinstance(e, data.Transaction) and f"training-{period}" in e.links]
    for key, value in given_text(case).items():
        assert entry.meta[key] == clean_text(value), key
    if case.amount is not None:
        assert entry.postings[0].units.number == Decimal(case.amount)
    assert not (tmp_path / "PWNED").exists() and not (folder / "PWNED").exists()


def write_broken(case, ledger: Path) -> tuple[Path, int]:
    """Write the case's line into its books file; return (file, line number of the line)."""
    path = ledger.parent / case.file
    text = path.read_text()
    if case.replaces:
        assert text.count(case.replaces + "\n") == 1
        head, _, tail = text.partition(case.replaces + "\n")
        path.write_text(head + case.line + "\n" + tail)
        return path, head.count("\n") + 1
    head = text.rstrip("\n") + "\n\n"
    path.write_text(head + "\n".join([case.line, *case.meta]) + "\n")
    return path, head.count("\n") + 1


@pytest.mark.parametrize("case", BROKEN_BOOKS, ids=lambda case: case.name)
def test_broken_books_are_one_line_each_from_check(case, ledger, tmp_path):
    path, lineno = write_broken(case, ledger)
    before = snapshot(ledger.parent)
    done = subprocess.run(
        ["leakledger", "check", "--ledger", str(ledger)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 1
    [line] = done.stdout.splitlines()
    assert line.startswith(f"{path}:{lineno}: ") and case.says in line, line
    assert done.stderr == f"error: 1 error(s) in {ledger}\n"
    assert snapshot(ledger.parent) == before
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    "name, says",
    [
        ("unquoted-commas.csv", "unquoted-commas.csv: line 2: 6 fields, expected 4"),
        ("second-row-overlaps.csv", "second-row-overlaps.csv:3: revenue-share over 2025-Q3 is recorded at"),
    ],
)
def test_beangulps_own_extract_says_why_without_a_traceback(name, says, ledger):
    """`python ledger/import.py extract` (Fava's import config, through beangulp's CLI) refuses the same rows."""
    done = subprocess.run(
        [sys.executable, str(ledger.parent / "import.py"), "extract", str(SHEETS / name), "-e", str(ledger)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    [header, message] = done.stderr.splitlines()
    assert header.endswith("ERROR") and message.startswith(f"  {says}")


@pytest.mark.parametrize(
    "command",
    [
        ["add", "training", "5M", "--period", "2025-Q4", "--source", SOURCE],
        ["import", str(SHEETS / "hostile-text.csv")],
        ["check"],
    ],
    ids=lambda c: c[0],
)
def test_a_binary_ledger_is_refused_without_a_traceback(command, tmp_path):
    ledger = tmp_path / "main.beancount"
    ledger.write_bytes((SHEETS / "binary.csv").read_bytes())  # 512 random bytes
    before = snapshot(tmp_path)
    done = subprocess.run(["leakledger", *command, "--ledger", str(ledger)], capture_output=True, text=True, timeout=60)
    assert done.returncode == (1 if command[0] == "check" else 4) and "Traceback" not in done.stderr
    if command[0] == "check":
        assert done.stdout and all(line.startswith(f"{ledger}:") for line in done.stdout.splitlines())
    else:
        assert done.stderr.startswith(f"error: {ledger} is not UTF-8 text (byte ") and done.stderr.count("\n") == 1
        assert done.stderr.endswith("); nothing was written\n")
    assert snapshot(tmp_path) == before
