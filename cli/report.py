"""`leakledger report`: the books by period, with totals."""

from __future__ import annotations

from pathlib import Path

from leakledger.cli.app import app
from leakledger.cli.frames import (
    By,
    Format,
    Section,
    by_option,
    emit,
    format_option,
    ledger_option,
    ledger_path,
    money,
    ratio,
    scenario_option,
)

PERIOD_HEADERS = {
    "period": "period",
    "book": "book",
    "covered": "covers",
    "net_payment": "net payment",
    "openai_share": "OpenAI 20%",
    "microsoft_share": "Microsoft 20%",
    "implied_revenue": "implied revenue",
    "inference": "inference",
    "inference_to_revenue": "inference ÷ revenue",
}


def period_display(frame) -> tuple[list[str], list[list[str]]]:
    """Headers and text cells of a period table (or a comparison of them) for people.

    A lower-bound revenue reads "≥ 2,469,000,000", and the ratio over it "≤ 1.53".
    """
    columns = [c for c in PERIOD_HEADERS if c in frame.columns]
    rows, previous = [], None
    for record in frame.to_dict(orient="records"):
        lower = record.get("revenue_bound") == "lower"
        cells = []
        for column in columns:
            value = record[column]
            if column == "covered":
                text = "" if value in (None, record["period"]) or value != value else str(value)
            elif column == "inference_to_revenue":
                text = ratio(value)
                text = f"≤ {text}" if lower and text else text
            elif column == "period":
                # In a comparison, a period's label heads its first row only.
                text = "" if "book" in columns and value == previous else str(value)
                previous = value
            elif column == "book":
                text = str(value)
            else:
                text = money(value)
                if column == "implied_revenue" and lower and text:
                    text = f"≥ {text}"
            cells.append(text)
        rows.append(cells)
    return [PERIOD_HEADERS[c] for c in columns], rows


@app.command()
def report(
    by: By = by_option(),
    fmt: Format = format_option(),
    ledger: Path = ledger_option(),
    scenario: str = scenario_option(),
) -> None:
    """The books by period: net payment, both 20% shares, implied revenue, inference, with totals.

    Periods no figure covers stay empty, not zero; "≥" marks a lower bound.
    A cap on a share is a note under the table: what has accrued against it
    and what is left.
    """
    from leakledger.books import load_clean
    from leakledger.caps import cap_statuses
    from leakledger.reports import TOTAL, period_table

    path = ledger_path(ledger, scenario)
    entries, options_map = load_clean(path)
    frame = period_table(entries, options_map, by=by)
    headers, rows = period_display(frame)
    total_at = next((i for i, p in enumerate(frame["period"]) if p == TOTAL), None)
    lower = (frame["revenue_bound"] == "lower").any()
    notes = (
        ["≥: a lower bound (a Microsoft revenue base in force has no recorded figure); ≤: the ratio over it"]
        if lower
        else []
    )
    notes += [status.summary() for status in cap_statuses(entries)]
    section = Section(
        f"{scenario or path.name}, by {by} (USD)", headers, rows, section_before=total_at, text_columns=2, notes=notes
    )
    emit(frame, fmt, [section])
