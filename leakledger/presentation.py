"""How figures read, for people and for programs: the one formatting the CLI, the Fava page and publish share.

For people (terminal tables, markdown, the Leak model page, the published
site): thousands separators, cents only where there are any, a lower bound
as "≥" and the ratio over it as "≤", a cell no figure covers left blank.
For programs (CSV, JSON): exact decimal text for money and ratios
(`493800000.00`, `1.53`; JSON strings, so no reader turns them into floats),
ISO dates, empty or null where no figure covers a cell.

This sits above the tables (leakledger.reports, leakledger.statements) and
below the renderers; it imports no front end.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from leakledger.intervals import Interval
from leakledger.table_numbers import missing, plain, running

__all__ = [
    "PERIOD_HEADERS",
    "TOTAL_LABELS",
    "BOUND_NOTE",
    "money_text",
    "compact_money",
    "range_text",
    "ratio_text",
    "period_cells",
    "statement_cells",
    "spreadsheet_safe",
    "to_json",
    "to_csv",
    "to_markdown",
]

#: The period table's columns as people read them, in the order they are shown.
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

#: A statement's computed lines, as people read them.
TOTAL_LABELS = {"income": "total income", "expenses": "total expenses", "net": "net result"}
#: What "≥" means under a company's income statement.
BOUND_NOTE = (
    "≥: a lower bound. A Microsoft revenue base with a share in force (Bing, Azure OpenAI Service) "
    "has no recorded figure for the period, so it is taken as zero; every line marked grows with it."
)


def money_text(value: Decimal | None) -> str:
    """Decimal("2469000000.00") -> "2,469,000,000"; cents only when there are any; blank when missing."""
    return "" if missing(value) else running(value)  # type: ignore[arg-type]


_COMPACT = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"))


def compact_money(value: Decimal) -> str:
    """Decimal("1645500000") -> "1.6455B": scaled, every digit kept (an end of a range is never rounded inward)."""
    for unit, suffix in _COMPACT:
        if abs(value) >= unit:
            scaled = (value / unit).normalize()
            return f"{scaled:f}{suffix}"
    return running(value)


def range_text(interval: Interval | None, *, unknown: str = "") -> str:
    """An interval as people read it: exact "2,469,000,000", "1.6455B–3.1455B", "≥ 2,469,000,000", "≤ 1.53".

    Both ends open (or no interval) is `unknown`: a view says why nothing is known, never zero.
    """
    if interval is None or (interval.low is None and interval.high is None):
        return unknown
    if interval.is_exact:
        return running(interval.low)  # type: ignore[arg-type]
    if interval.high is None:
        return f"≥ {running(interval.low)}"  # type: ignore[arg-type]
    if interval.low is None:
        return f"≤ {running(interval.high)}"
    return f"{compact_money(interval.low)}–{compact_money(interval.high)}"


def ratio_text(value: Decimal | None) -> str:
    """A ratio as the report rounded it (once, to 0.01): "1.53"; blank when missing."""
    return "" if missing(value) else f"{value}"


def period_cells(frame: Any) -> tuple[list[str], list[list[str]]]:
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
                text = ratio_text(value)
                text = f"≤ {text}" if lower and text else text
            elif column == "period":
                # In a comparison, a period's label heads its first row only.
                text = "" if "book" in columns and value == previous else str(value)
                previous = value
            elif column == "book":
                text = str(value)
            elif not (missing(record.get(f"{column}_low")) and missing(record.get(f"{column}_high"))):
                # A range: 1.6455B–3.1455B, or "≥ x" when its top is open.
                low, high = record.get(f"{column}_low"), record.get(f"{column}_high")
                text = range_text(Interval(None if missing(low) else low, None if missing(high) else high))
            else:
                text = money_text(value)
                if column == "implied_revenue" and lower and text:
                    text = f"≥ {text}"
            cells.append(text)
        rows.append(cells)
    return [PERIOD_HEADERS[c] for c in columns], rows


def statement_cells(statement: Any) -> tuple[list[str], list[list[str]], int]:
    """A `leakledger.statements.Statement` as headers, text rows (lines down, periods across) and the net row's index."""
    rows = []
    for line in statement.lines:
        cells = [TOTAL_LABELS.get(line.key, line.key)]
        for label in statement.labels:
            cell = statement.cell(line.key, label)
            text = money_text(cell.amount)
            cells.append(f"≥ {text}" if cell.lower_bound and text else text)
        rows.append(cells)
    net = next(i for i, line in enumerate(statement.lines) if line.key == "net")
    headers = [
        f"{label} ({statement.covered[label].label})" if label in statement.covered else label
        for label in statement.labels
    ]
    return ["line", *headers], rows, net


def to_json(frame: Any) -> str:
    """A table as JSON records: exact decimal text, ISO dates, null where no figure is."""
    records = [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return json.dumps(records, indent=2, ensure_ascii=False)


#: What a spreadsheet reads as the start of a formula (tab and carriage return too, as OWASP lists).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def spreadsheet_safe(cell: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a leading `'`.

    `=cmd|' /C calc'!A0` as a source would run in a spreadsheet opening the
    download; a negative amount (`-7600000000.00`) is a number and stays one.
    Every CSV the project writes (the CLI's `--format csv`, publish's
    downloads) goes through `to_csv`, and so through this.
    """
    if not isinstance(cell, str) or not cell.startswith(_FORMULA_START):
        return cell
    if _NUMBER.match(cell):
        try:
            Decimal(cell)
            return cell
        except InvalidOperation:
            pass
    return "'" + cell


def to_csv(frame: Any) -> str:
    """A table as CSV: exact decimal text, ISO dates, empty where no figure is, no cell a spreadsheet runs."""
    out = frame.astype(object).map(plain).map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\n")


def to_markdown(headers: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    """Text cells as a markdown table, the first `text_columns` left-aligned and the rest right."""

    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(map(cell, headers)) + " |",
        "|" + "|".join(":---" if i < text_columns else "---:" for i in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines)
