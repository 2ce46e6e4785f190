"""CSV output is safe to open in a spreadsheet (issue 22, item 9).

A source of `=cmd|' /C calc'!A0` came out verbatim in `reconcile --format
csv` and in the published downloads/reconcile.csv: a spreadsheet runs it.
Every CSV goes through `leakledger.presentation.to_csv`, which puts a `'` before a cell
that starts with =, +, -, @ (or a tab or carriage return) unless the cell
is a number: a negative amount stays a number.
"""

from __future__ import annotations

import csv
import io

import pytest
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger.presentation import spreadsheet_safe
from leakledger.publish import publish

runner = CliRunner()
HOSTILE = {
    "2025-Q4": "=cmd|' /C calc'!A0",
    "2025-Q3": "@SUM(1+1)",
    "2025-Q2": "+1+1",
    "2025-Q1": "-2+3",
}


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("-", "'-"),
        ("\t=1", "'\t=1"),
        ("-7600000000.00", "-7600000000.00"),  # docs/sources.md: the 2025-Q4 gain after tax, a number
        ("+5", "+5"),
        ("Ed Zitron", "Ed Zitron"),
        (None, None),
    ],
)
def test_a_cell_that_starts_a_formula_is_text(cell, safe):
    assert spreadsheet_safe(cell) == safe


@pytest.fixture
def hostile_books(ledger_copy):
    """The books with four training figures whose sources a spreadsheet would run (training is in no shipped figure)."""
    for period, source in HOSTILE.items():
        result = runner.invoke(
            app, ["add", "training", "5M", "--period", period, "--source", source, "--ledger", str(ledger_copy)]
        )
        assert result.exit_code == 0, result.output
    return ledger_copy


def unsafe_cells(text: str) -> list[str]:
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    return [c for c in cells if c[:1] in ("=", "+", "-", "@") and spreadsheet_safe(c) != c]


def sources_by_period(text: str) -> dict[str, str]:
    return {row["period"]: row["sources"] for row in csv.DictReader(io.StringIO(text)) if row["metric"] == "training"}


def test_the_cli_and_publish_write_the_same_safe_csv(hostile_books, tmp_path):
    result = runner.invoke(app, ["reconcile", "--format", "csv", "--ledger", str(hostile_books)])
    assert result.exit_code == 0, result.output
    printed = result.stdout
    assert unsafe_cells(printed) == []
    assert sources_by_period(printed) == {period: "'" + source for period, source in HOSTILE.items()}
    assert "-7600000000.00" in printed.split(",")  # a negative amount is still a number

    publish(tmp_path / "site", hostile_books, [])
    downloaded = (tmp_path / "site" / "downloads" / "reconcile.csv").read_text()
    assert downloaded == printed
    for by in ("year", "half", "quarter"):
        assert unsafe_cells((tmp_path / "site" / "downloads" / f"report-{by}.csv").read_text()) == []
