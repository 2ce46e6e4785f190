"""`leakledger reconcile`: the sources side by side, per metric and period."""

from __future__ import annotations

from pathlib import Path

from leakledger.cli import output
from leakledger.cli.app import app

from leakledger.presentation import BASE_IS_GAP, base_is_gap, has_range, value_text

HEADERS = {
    "period": "period",
    "leaked": "leaked",
    "disclosed": "disclosed",
    "reported": "reported",
    "claimed": "claimed",
    "assumed": "assumed",
    "implied": "implied",
    "gap": "gap",
    "reconciling_base": "reconciling MS base",
}
VALUE_COLUMNS = tuple(HEADERS)[1:]


def _section(title, rows, columns) -> output.Section:
    text_rows: list[list[str]] = []
    notes: list[str] = []
    numbers: dict[str, tuple[int, list[str]]] = {}  # what a gap implies -> (note number, periods)
    if "reconciling_base" in columns and base_is_gap(rows.to_dict(orient="records")):
        columns = [c for c in columns if c != "reconciling_base"]
        notes.append(BASE_IS_GAP)
    for record in rows.to_dict(orient="records"):
        cells = []
        for column in columns:
            value = record[column]
            # a range where the row holds one beside the value (3.65B–3.75B), else the value; a ratio as percent
            text = value_text(record, column) if column in VALUE_COLUMNS else str(value)
            if column == "implied" and record["implied_bound"] == "lower" and text and not has_range(record, column):
                text = f"≥ {text}"
            cells.append(text)
        if isinstance(record["implies"], str):
            # One footnote per meaning: the same words under eight periods are one note naming the eight.
            if record["implies"] not in numbers:
                numbers[record["implies"]] = (len(numbers) + 1, [])
            number, periods = numbers[record["implies"]]
            periods.append(record["period"])
            cells[0] += f" [{number}]"
        text_rows.append(cells)
    notes += [f"[{n}] {', '.join(periods)}: {implies}" for implies, (n, periods) in numbers.items()]
    return output.Section(
        title, [HEADERS.get(c, c) for c in columns], text_rows, notes=notes, text_columns=columns.index("period") + 1
    )


def _filled(rows):
    return [c for c in VALUE_COLUMNS if rows[c].notna().any()]


def reconcile_sections(frame, title: str) -> list[output.Section]:
    """A table per metric that has something to compare; the rest in one table; gaps' meaning as footnotes."""
    sections, alone = [], []
    for metric, rows in frame.groupby("metric", sort=False):
        if len(_filled(rows)) > 1 or rows["implies"].notna().any():
            sections.append(_section(f"{metric} ({title})", rows, ["period", *_filled(rows)]))
        else:
            alone.append(rows)
    if alone:
        import pandas as pd

        rows = pd.concat(alone)
        sections.append(_section(f"other figures ({title})", rows, ["metric", "period", *_filled(rows)]))
    return sections


@app.command()
def reconcile(
    fmt: output.Format = output.format_option(),
    ledger: Path = output.ledger_option(),
    scenario: str = output.scenario_option(),
    as_of: str = output.as_of_option(),
) -> None:
    """Leaked, disclosed, reported, claimed and implied figures side by side, with the gaps.

    For OpenAI revenue it gives the Microsoft revenue base that would square a
    reported revenue with the net payment, and it sets the claimed run rate
    against the latest implied revenue, annualized. "≥" marks a lower bound.
    """
    from leakledger.reports import load_reconcile_table

    day = output.as_of_date(as_of)
    path = output.ledger_path(ledger, scenario)
    frame = load_reconcile_table(path, day)
    output.emit(frame, fmt, reconcile_sections(frame, output.as_of_title(scenario or path.name, day)))
