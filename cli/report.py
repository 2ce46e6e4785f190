"""`leakledger report`: the books by period, with totals."""

from __future__ import annotations

from pathlib import Path

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

from leakledger.presentation import (
    PARTIAL_NOTE,
    capped_note,
    marks_span,
    not_known_note,
    partial_note,
    period_cells,
    ratio_over_note,
)


@app.command()
def report(
    by: By = by_option(),
    fmt: Format = format_option(),
    ledger: Path = ledger_option(),
    scenario: str = scenario_option(),
    as_of: str = as_of_option(),
) -> None:
    """The books by period: net payment, both 20% shares, implied revenue, inference, with totals.

    Periods no figure covers stay empty, not zero; "≥" marks a lower bound.
    A cap on a share is a note under the table: what has accrued against it
    and what is left.
    """
    from leakledger.book_model import BookModel
    from leakledger.books import load_clean
    from leakledger.reports import TOTAL_ROW

    day = as_of_date(as_of)
    path = ledger_path(ledger, scenario)
    model = BookModel(*load_clean(path, day))
    rows = model.period_rows(by)
    frame = model.period_table(by)
    headers, cells = period_cells(frame)
    total_at = next((i for i, row in enumerate(rows) if row["period"] == TOTAL_ROW), None)
    notes = (
        ["≥: a lower bound (a Microsoft revenue base in force has no recorded figure); ≤: the ratio over it"]
        if any(row["revenue_bound"] == "lower" for row in rows)
        else []
    )
    spans = any(marks_span(c) for row in cells for c in row[2:])
    notes += [PARTIAL_NOTE] if spans else []
    notes += [note] if (note := partial_note(rows)) else []
    notes += [note] if (note := not_known_note(rows)) else []
    notes += [note] if (note := capped_note(rows)) else []
    notes += [note] if (note := ratio_over_note(rows)) else []
    notes += [status.summary() for status in model.caps]
    section = Section(
        as_of_title(f"{scenario or path.name}, by {by} (USD)", day),
        headers,
        cells,
        section_before=total_at,
        text_columns=2,
        notes=notes,
    )
    emit(frame, fmt, [section])
