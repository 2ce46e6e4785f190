"""`leakledger statement ENTITY`: one company's income statement by period, from its own book."""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli import frames
from leakledger.cli.app import app
from leakledger.cli.paths import company_ledger, find_books

from leakledger.errors import NotFound, UsageError

#: The computed lines, as people read them.
TOTAL_LABELS = {"income": "total income", "expenses": "total expenses", "net": "net result"}
BOUND_NOTE = (
    "≥: a lower bound. A Microsoft revenue base with a share in force (Bing, Azure OpenAI Service) "
    "has no recorded figure for the period, so it is taken as zero; every line marked grows with it."
)


def statement_display(statement) -> tuple[list[str], list[list[str]], int]:
    """Headers, text rows (lines down, periods across) and the index of the net row."""
    rows = []
    for line in statement.lines:
        cells = [TOTAL_LABELS.get(line.key, line.key)]
        for label in statement.labels:
            cell = statement.cell(line.key, label)
            text = frames.money(cell.amount)
            cells.append(f"≥ {text}" if cell.lower_bound and text else text)
        rows.append(cells)
    net = next(i for i, line in enumerate(statement.lines) if line.key == "net")
    headers = [
        f"{label} ({statement.covered[label].label})" if label in statement.covered else label
        for label in statement.labels
    ]
    return ["line", *headers], rows, net


@app.command()
def statement(
    entity: str = typer.Argument(..., metavar="ENTITY", help="OpenAI or Microsoft."),
    by: frames.By = frames.by_option(),
    fmt: frames.Format = frames.format_option(),
    ledger: Path = frames.ledger_option(),
    scenario: str = frames.scenario_option(),
) -> None:
    """One company's income statement by period: revenue, each cost, the shares each way, net.

    Read from the company's own book (ledger/openai.beancount or
    ledger/microsoft.beancount); --ledger or --scenario picks the company's
    postings out of any book. Income and expenses are positive; a blank line
    has nothing recorded; "≥" marks a lower bound.
    """
    import pandas as pd
    from leakledger.plugins.company_view import entity_named

    from leakledger.statements import RECORD_COLUMNS, load_statement

    company = entity_named(entity)
    if company is None:
        raise UsageError(f"no company {entity!r}: use OpenAI or Microsoft")
    if ledger or scenario:
        path = frames.ledger_path(ledger, scenario)
    else:
        path = company_ledger(company, find_books())
        if not path.is_file():
            raise NotFound(f"no book for {company} at {path}")
    result = load_statement(path, company, by=by)
    frame = pd.DataFrame(result.records(), columns=list(RECORD_COLUMNS))
    headers, rows, net = statement_display(result)
    notes = [BOUND_NOTE] if result.lower_bound else []
    notes += list(result.caps)
    title = f"{company}: income statement by {by} (USD), from {scenario or path.name}"
    frames.emit(frame, fmt, [frames.Section(title, headers, rows, section_before=net, notes=notes)])
