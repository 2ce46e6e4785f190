"""`leakledger statement ENTITY`: one company's income statement by period, from its own book."""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli import output
from leakledger.cli.app import app

from leakledger.book_paths import company_ledger, find_books
from leakledger.errors import NotFound, UsageError
from leakledger.presentation import balance_cells, statement_cells, statement_notes


@app.command()
def statement(
    entity: str = typer.Argument(..., metavar="ENTITY", help="OpenAI or Microsoft."),
    by: output.By = output.by_option(),
    fmt: output.Format = output.format_option(),
    ledger: Path = output.ledger_option(),
    scenario: str = output.scenario_option(),
    as_of: str = output.as_of_option(),
    balance_sheet: bool = typer.Option(
        False, "--balance-sheet", help="CSV and JSON: the balance sheet's rows, not the income statement's."
    ),
) -> None:
    """One company's income statement by period: revenue, each cost, the shares each way, net.

    Read from the company's own book (ledger/openai.beancount or
    ledger/microsoft.beancount); --ledger or --scenario picks the company's
    postings out of any book. Income and expenses are positive; a blank line
    has nothing recorded; "≥" marks a lower bound; a range (3.65B–3.75B) is
    what a line's ranged inputs allow. The balance sheet follows, at each
    period's end; a balance the books do not know says so, never 0.
    """
    import pandas as pd

    from leakledger.company_books import entity_named
    from leakledger.statements import BALANCE_COLUMNS, RECORD_COLUMNS, balance_records, load_statement

    day = output.as_of_date(as_of)
    company = entity_named(entity)
    if company is None:
        raise UsageError(f"no company {entity!r}: use OpenAI or Microsoft")
    if ledger or scenario:
        path = output.ledger_path(ledger, scenario)
    else:
        path = company_ledger(company, find_books())
        if not path.is_file():
            raise NotFound(f"no book for {company} at {path}")
    result = load_statement(path, company, by=by, as_of=day)
    if balance_sheet:
        frame = pd.DataFrame(balance_records(result), columns=list(BALANCE_COLUMNS))
    else:
        frame = pd.DataFrame(result.records(), columns=list(RECORD_COLUMNS))
    headers, rows, net = statement_cells(result)
    notes = statement_notes(result) + list(result.caps)
    title = output.as_of_title(f"{company}: income statement by {by} (USD), from {scenario or path.name}", day)
    sections = [output.Section(title, headers, rows, section_before=net, notes=notes)]
    if not result.labels:  # nothing of the company's income or expenses known (by the as-of day): say why instead
        from leakledger.first_known import empty_note, first_known_day
        from leakledger.statements import income_statement

        def shows(entries, options_map) -> bool:
            return bool(income_statement(entries, options_map, company, by).labels)

        first = first_known_day(path, day, shows) if day is not None else None
        note = empty_note(f"figure of {company}'s income or expenses", day, first)
        sections = [output.Section(title, ["why the statement is empty"], [[note]], notes=list(result.caps))]
        if fmt in (output.Format.csv, output.Format.json):  # the data stays what it is; the reason goes to stderr
            typer.echo(note, err=True)
    if result.balances:
        sheet_headers, sheet_rows, sheet_notes = balance_cells(result)
        sheet_title = output.as_of_title(f"{company}: balances at each period's end (USD)", day)
        sections.append(output.Section(sheet_title, sheet_headers, sheet_rows, notes=sheet_notes))
    output.emit(frame, fmt, sections)
