"""`leakledger import`: record a leak sheet (CSV or JSON), all rows or none.

The sheet is read by the beangulp importer (leakledger.importers.leaksheet)
and every row is planned and written exactly as `leakledger add` does it.
Rows already in the books are reported as duplicates and add nothing; a
row that repeats an earlier row of the sheet is named by that row and
counted apart.
"""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli.app import app
from leakledger.cli.output import ledger_option

from leakledger.book_paths import books_or_found
from leakledger.errors import NotFound, UsageError


@app.command("import")
def import_sheet(
    sheet: Path = typer.Argument(..., metavar="FILE", help="A leak sheet: .csv or .json, one figure per row."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be recorded; write nothing."),
    ledger: Path = ledger_option(),
) -> None:
    """Record every figure of a leak sheet; re-imported rows are reported as duplicates."""
    from leakledger.importers.leaksheet import COLUMNS, REQUIRED, SUFFIXES, LeakSheetImporter, read_sheet

    from leakledger.recording import plan_text, record_figures

    if not sheet.is_file():
        raise NotFound(f"no sheet at {sheet}")
    if sheet.stat().st_size == 0:
        raise UsageError(f"{sheet.name}: the file is empty")
    if not LeakSheetImporter().identify(str(sheet)):
        if sheet.suffix.lower() in SUFFIXES:
            read_sheet(sheet)  # a .csv or .json that says why it is no sheet (not JSON, no such column...)
        raise UsageError(
            f"{sheet} is not a leak sheet: a .csv or .json with columns {', '.join(REQUIRED)} "
            f"(and optionally {', '.join(COLUMNS[len(REQUIRED) :])})"
        )
    requests = read_sheet(sheet)
    if not requests:
        raise UsageError(f"{sheet.name}: no figures in the sheet, only its header")
    recorded = record_figures(books_or_found(ledger), requests, dry_run=dry_run)
    for plan in recorded.plans:
        typer.echo(plan_text(plan) + ("" if plan.duplicate_of else "\n"), nl=False)
    added, dupes, repeats = len(recorded.added), len(recorded.duplicates), len(recorded.repeats)
    verb = "would record" if dry_run else "recorded"
    where = f" in {', '.join(str(p) for p in recorded.written)}" if recorded.written else ""
    again = f"; {repeats} row(s) repeating an earlier row of the sheet" if repeats else ""
    typer.echo(f"{verb} {added} figure(s){where}; {dupes} duplicate(s) already in the books{again}", err=True)
