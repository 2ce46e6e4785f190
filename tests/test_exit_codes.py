"""Every command's exit codes, as the README's table (leakledger/errors.py) gives them.

Each outcome runs through `leakledger.__main__.main`, the console script's
entry point, in this process: 0 done, 1 the books have errors, 2 usage
(click's own mistakes too: a missing argument, an unknown option), 3 not
found, 4 refused (nothing changed). A failure is one `error:` line on
stderr and nothing on stdout (but the list `check` prints), and never
changes a file of the books. One test runs the installed console script.
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import LEDGER_DIR, MAIN, snapshot

from leakledger.__main__ import main

SHEET = LEDGER_DIR / "imports" / "leak-2025-11-12.csv"
GOOD_ADD = ["add", "training", "5M", "--period", "2025-Q4", "--source", "Exit code test", "--dry-run"]
#: docs/sources.md: revenue-share over 2024 is recorded (493.8M); another figure over 2024 overlaps it.
OVERLAP_ADD = ["add", "revenue-share", "5M", "--period", "2024", "--source", "Exit code test", "--dry-run"]


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """Books with one error: an account used before it is opened."""
    path = tmp_path_factory.mktemp("broken") / "main.beancount"
    path.write_text(
        'plugin "leakledger.plugins.chain"\n2024-01-01 open Assets:OpenAI:Cash USD\n'
        '2024-02-01 * "x"\n  Assets:OpenAI:Cash  1 USD\n  Equity:Nowhere  -1 USD\n'
    )
    return path


@pytest.fixture(scope="module")
def overlapping_sheet(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheet") / "overlap.csv"
    path.write_text("metric,period,amount,source\nrevenue-share,2024,5M,Exit code test\n")
    return path


def run(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


CASES = [
    # (argv, code, what the error line says)
    (["check", "--ledger", str(MAIN)], 0, None),
    (["check", "--ledger", "{broken}"], 1, "error(s) in"),
    (["check", "--bogus"], 2, "No such option '--bogus'"),
    (["check", "--ledger", "no/such.beancount"], 3, "no ledger at"),
    ([*GOOD_ADD, "--ledger", str(MAIN)], 0, None),
    (["add", "training", "5Q", "--period", "2025-Q4", "--source", "x", "--ledger", str(MAIN)], 2, "unknown scale 'Q'"),
    (
        ["add", "nosuch", "5M", "--period", "2025-Q4", "--source", "x", "--ledger", str(MAIN)],
        2,
        "unknown metric 'nosuch'",
    ),
    (["add", "training", "5M", "--source", "x"], 2, "Missing option '--period'"),
    (["add", "revenue-share"], 2, "Missing argument 'AMOUNT'"),
    (["add", "revenue-share", "1M", "--period", "2024", "--source", "x", "--bogus"], 2, "--bogus"),
    ([*GOOD_ADD, "--ledger", "no/such.beancount"], 3, "no ledger at"),
    ([*OVERLAP_ADD, "--ledger", str(MAIN)], 4, "revenue-share over 2024 is recorded at"),
    (["import", str(SHEET), "--dry-run", "--ledger", str(MAIN)], 0, None),
    (["import", str(MAIN), "--dry-run", "--ledger", str(MAIN)], 2, "is not a leak sheet"),
    (["import", "no/such.csv", "--ledger", str(MAIN)], 3, "no sheet at"),
    (
        ["import", "{overlapping_sheet}", "--dry-run", "--ledger", str(MAIN)],
        4,
        "overlap.csv:2: revenue-share over 2024 is recorded at",
    ),
    (["report", "--ledger", str(MAIN)], 0, None),
    (["report", "--ledger", "{broken}"], 1, "(see: leakledger check)"),
    (["report", "--by"], 2, "requires an argument"),
    (["report", "--by", "week"], 2, "'week' is not one of 'year', 'half', 'quarter'"),
    (["report", "--format", "xml"], 2, "'xml' is not one of 'table', 'csv', 'json', 'markdown'"),
    (["report", "--ledger", "no/such.beancount"], 3, "no ledger at"),
    (["report", "--scenario", "no-such-scenario"], 3, "no scenario 'no-such-scenario'"),
    (["reconcile", "--ledger", str(MAIN), "--format", "csv"], 0, None),
    (["reconcile", "--ledger", "{broken}"], 1, "(see: leakledger check)"),
    (["reconcile", "--format", "xml"], 2, "'xml' is not one of"),
    (["reconcile", "--ledger", "no/such.beancount"], 3, "no ledger at"),
    (["explain", "revenue-share-2024", "--ledger", str(MAIN)], 0, None),
    (["explain", "revenue-share-2024", "--ledger", "{broken}"], 1, "(see: leakledger check)"),
    (["explain"], 2, "Missing argument 'target'"),
    (["explain", "no-such-link", "--ledger", str(MAIN)], 3, "no entry has the link ^no-such-link"),
    # a line past the file's end names no entry (it read as the file's last entry)
    (["explain", f"{LEDGER_DIR / 'cash.beancount'}:5000", "--ledger", str(MAIN)], 3, "cash.beancount has"),
    (["scenario", "list"], 0, None),
    (["scenario", "compare", "azure-openai-growth", "--format", "csv"], 0, None),
    (["scenario", "compare", "azure-openai-growth", "--by", "week"], 2, "'week' is not one of"),
    (["scenario", "compare", "no-such-book"], 3, "no scenario 'no-such-book'"),
    (["statement", "OpenAI", "--format", "csv"], 0, None),
    (["statement", "OpenAI", "--ledger", "{broken}"], 1, "(see: leakledger check)"),
    (["statement", "Google"], 2, "no company 'Google'"),
    (["statement", "OpenAI", "--scenario", "nope"], 3, "no scenario 'nope'"),
    (["report", "--as-of", "2025-11-31"], 2, "--as-of '2025-11-31' is not a date"),
    (["scenario", "compare", "azure-openai-growth", "--as-of", "nope"], 2, "--as-of 'nope' is not a date"),
    (["timeline", "--format", "csv"], 0, None),
    (["timeline", "--since", "soon"], 2, "--since 'soon' is not a date"),
    (["timeline", "--ledger", "{broken}"], 1, "(see: leakledger check)"),
    (["publish", "{tmp}/site", "--as-of", "2025-02-30"], 2, "is not a date"),
    (["publish", "{tmp}/site", "--ledger", "no/such.beancount"], 3, "no ledger at"),
    (["publish", "{tmp}/notes.txt"], 4, "notes.txt"),
    (["init", "{tmp}/books"], 0, None),
    (["init", "{tmp}/books", "extra"], 2, "Got unexpected extra argument"),
    (["init", "{tmp}"], 4, "already exists: nothing was written"),
    (["serve", "--port", "70000"], 2, "--port"),
    (["serve", "--ledger", "no/such.beancount"], 3, "no ledger at"),
    (["nosuch"], 2, "No such command 'nosuch'"),
]


@pytest.mark.parametrize("argv, code, says", CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_each_outcome_has_its_exit_code(argv, code, says, broken, overlapping_sheet, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a site\n")
    argv = [a.format(broken=broken, overlapping_sheet=overlapping_sheet, tmp=tmp_path) for a in argv]
    before = snapshot(LEDGER_DIR)
    got, out, err = run(argv, capsys)
    assert got == code, err
    if says is None:
        assert out
    else:
        [line] = err.splitlines()
        assert line.startswith("error: ") and says in line, line
        # Nothing on stdout, but `check` on books with errors: listing them is its output.
        assert out == "" or argv[:1] == ["check"] and code == 1, out
    assert snapshot(LEDGER_DIR) == before


def test_the_table_names_every_command():
    """Every command of `leakledger --help` has a case here."""
    import typer.main
    from leakledger.cli.app import app

    group = typer.main.get_command(app)
    covered = {argv[0] for argv, _, _ in CASES}
    assert set(group.list_commands(None)) <= covered


def test_the_by_choices_are_the_reports_periods():
    from leakledger.cli.output import By

    from leakledger.reports import BY

    assert tuple(By) == BY


def test_the_console_script_without_a_command_shows_help():
    done = subprocess.run(["leakledger"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "add" in done.stdout and "report" in done.stdout
