"""`leakledger report`: the books by period, with totals."""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli.app import app
from leakledger.cli.output import (
    By,
    Format,
    Section,
    as_of_date,
    as_of_option,
    as_of_title,
    by_option,
    emit,
    format_option,
    ledger_option,
    ledger_path,
    scenario_option,
)


@app.command()
def report(
    by: By = by_option(),
    fmt: Format = format_option(),
    ledger: Path = ledger_option(),
    scenario: str = scenario_option(),
    as_of: str = as_of_option(),
) -> None:
    """The books by period: net payment, both 20% shares, recorded and implied revenue, inference, with totals.

    A cell no figure covers says "not known", never 0, and a note says why; "≥" marks a lower bound.
    A cap on a share is a note under the table: what has accrued against it
    and what is left.
    """
    from leakledger.book_model import BookModel
    from leakledger.books import load_clean
    from leakledger.model_view import period_notes
    from leakledger.reports import PERIOD_MONEY, RECORDED_REVENUE, TOTAL_ROW
    from leakledger.scenarios import assumed_note, table_cells

    day = as_of_date(as_of)
    path = ledger_path(ledger, scenario)
    model = BookModel(*load_clean(path, day))
    rows = model.period_rows(by)
    frame = model.period_table(by)
    columns, headers, cells = table_cells(frame)  # recorded revenue where a row records some, an assumed one marked
    total_at = next((i for i, row in enumerate(rows) if row["period"] == TOTAL_ROW), None)
    shown = (*PERIOD_MONEY, RECORDED_REVENUE) if RECORDED_REVENUE in columns else PERIOD_MONEY
    notes = period_notes(rows, shown, blanks=True)  # each "not known" cell's reason, once, naming its rows
    notes += [note] if (note := assumed_note(rows)) else []
    notes += [status.summary() for status in model.caps]
    if not rows:  # as of a day before anything it reads was known: say so, and when the first of it was
        from leakledger.first_known import empty_note, first_known_day

        def shows(entries, options_map) -> bool:
            return bool(BookModel(entries, options_map).period_rows(by))

        first = first_known_day(path, day, shows) if day is not None else None
        notes.insert(
            0, note := empty_note("figure the period table reads (net payments, revenue, inference)", day, first)
        )
        if fmt in (Format.csv, Format.json):  # the data stays what it is (JSON a list); the reason goes to stderr
            typer.echo(note, err=True)
    section = Section(
        as_of_title(f"{scenario or path.name}, by {by} (USD)", day),
        headers,
        cells,
        section_before=total_at,
        text_columns=2,
        notes=notes,
    )
    emit(frame, fmt, [section])
