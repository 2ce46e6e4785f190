"""A sheet's row against an earlier row of the same sheet: named by its row, counted apart from the books.

`leakledger import`, beangulp's CLI and Fava's import page all say which row
another repeats or overlaps ("row 2 of sheet.csv"), never the placeholder a
planned entry carries before it is written. The books are the first leak's
(no audited revenue), a scratch copy each; figures are docs/sources.md's.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import snapshot
from fava_client import fava
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figures import figures_of

runner = CliRunner()
#: Z2, as a CSV cell (quoted: it holds a comma).
Z2 = '"Ed Zitron, Where\'s Your Ed At, 2026-06-16"'
#: Z2: OpenAI's audited 2024 revenue, stated as 3.7B.
REVENUE_2024 = f"revenue,2024,3.7B,{Z2}\n"


def sheet(folder, name: str, *rows: str):
    path = folder / name
    path.write_text("metric,period,amount,source\n" + "".join(rows))
    return path


def run_import(path, ledger):
    return runner.invoke(app, ["import", str(path), "--ledger", str(ledger)])


def refusal(path, ledger) -> str:
    """The one error line of an import the books refuse (exit 4), which leaves every file as it was."""
    before = snapshot(ledger.parent)
    done = run_import(path, ledger)
    assert done.exit_code == 4 and done.stdout == "", done.output
    assert snapshot(ledger.parent) == before
    [line] = done.stderr.splitlines()
    return line


def test_a_repeated_row_names_the_row_it_repeats_and_is_counted_apart(first_leak_copy, tmp_path):
    path = sheet(tmp_path, "repeat.csv", REVENUE_2024, REVENUE_2024)
    done = run_import(path, first_leak_copy)
    assert done.exit_code == 0, done.output
    assert (
        "; repeat.csv:3: duplicate: revenue over 2024 (3,700,000,000.00 USD) repeats row 2 of repeat.csv; nothing added"
        in done.stdout
    )
    assert "<leakledger>" not in done.output
    assert done.stderr.endswith(
        "; 0 duplicate(s) already in the books; 1 row(s) repeating an earlier row of the sheet\n"
    ) and done.stderr.startswith("recorded 1 figure(s) in ")
    entries, errors, _ = load_books(first_leak_copy)
    assert errors == []
    # once, not twice: 3,700,000,000
    assert [f.amount for f in figures_of(entries) if f.metric == "revenue" and f.posting] == [3_700_000_000]

    again = run_import(path, first_leak_copy)  # now both rows are in the books: duplicates, not repeats
    assert again.exit_code == 0 and again.stderr.endswith("recorded 0 figure(s); 2 duplicate(s) already in the books\n")


def test_two_rows_over_one_period_name_the_earlier_row(first_leak_copy, tmp_path):
    # Row 3 pastes 2024's inference (3,767,100,000, FACTS) as revenue: two revenues for 2024 would count twice.
    path = sheet(tmp_path, "clash.csv", REVENUE_2024, f'revenue,2024,"3,767,100,000",{Z2}\n')
    line = refusal(path, first_leak_copy)
    assert line.startswith(
        "error: clash.csv:3: revenue over 2024 overlaps row 2 of clash.csv (3,700,000,000.00 USD): it would count twice"
    ), line


def test_rows_that_do_not_nest_name_the_earlier_row(first_leak_copy, tmp_path):
    # Z2's 2025 revenue (13.07B), then TI's 2025-H1 revenue (4.3B) typed over 2024-10..2025-06 by mistake:
    # the two periods overlap and neither lies inside the other.
    path = sheet(tmp_path, "nest.csv", f"revenue,2025,13.07B,{Z2}\n", "revenue,2024-10..2025-06,4.3B,TI\n")
    line = refusal(path, first_leak_copy)
    assert line.startswith(
        "error: nest.csv:3: revenue over 2024-10..2025-06 overlaps revenue over 2025 at row 2 of nest.csv "
        "and neither lies inside the other"
    ), line


def test_beangulp_and_fava_comment_out_a_repeated_row(first_leak_copy, tmp_path):
    path = sheet(first_leak_copy.parent / "imports", "repeat.csv", REVENUE_2024, REVENUE_2024)
    script = first_leak_copy.parent / "import.py"
    done = subprocess.run(
        [sys.executable, str(script), "extract", str(path), "-e", str(first_leak_copy)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    # beangulp's own words for a duplicate: the row it repeats, at its line of the sheet
    assert f"; duplicate of {path}:2\n; 2024-12-31 * " in done.stdout
    assert done.stdout.count("\n2024-12-31 * ") == 1  # imported, the sheet adds 2024's revenue once

    books = fava(first_leak_copy)
    extracted = books.get("api/extract", filename=str(path.resolve()), importer="leakledger.leaksheet")
    assert extracted.status_code == 200
    first, second = extracted.get_json()["data"]
    assert not first["meta"].get("__duplicate__") and second["meta"].get("__duplicate__")


def test_row_2_is_not_confused_with_row_13(first_leak_copy, tmp_path):
    """Rows are planned coarse first: row 13's year before row 2's span. Row 2's own place ("<leakledger>:1")
    is cut from the message, and row 13's ("<leakledger>:12", which starts the same) is named, not cut short."""
    # Ten rows of FACTS's quarter table, all recorded already: duplicates, between the two that clash.
    quarters = [
        ("revenue-share", "2024-Q1", "77,300,000"),
        ("revenue-share", "2024-Q2", "109,500,000"),
        ("revenue-share", "2024-Q3", "139,200,000"),
        ("revenue-share", "2024-Q4", "167,800,000"),
        ("revenue-share", "2025-Q1", "206,400,000"),
        ("inference", "2024-Q1", "546,800,000"),
        ("inference", "2024-Q2", "748,300,000"),
        ("inference", "2024-Q3", "1,005,000,000"),
        ("inference", "2024-Q4", "1,467,000,000"),
        ("inference", "2025-Q1", "2,075,000,000"),
    ]
    recorded = [f'{metric},{period},"{amount}",{Z2}\n' for metric, period, amount in quarters]
    # As in test_rows_that_do_not_nest_name_the_earlier_row: TI's 4.3B over the wrong span, then Z2's 2025.
    path = sheet(tmp_path, "long.csv", "revenue,2024-10..2025-06,4.3B,TI\n", *recorded, f"revenue,2025,13.07B,{Z2}\n")
    line = refusal(path, first_leak_copy)
    assert line.startswith(
        "error: long.csv:2: revenue over 2024-10..2025-06 overlaps revenue over 2025 at row 13 of long.csv "
        "and neither lies inside the other"
    ), line
