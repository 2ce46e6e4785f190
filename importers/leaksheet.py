"""A beangulp importer for leak sheets: one figure per row, CSV or JSON.

Columns: metric, period, amount, source, and optionally url, kind, note,
cumulative, supersede, low, high. A row whose source gives a range leaves
amount empty and fills low and/or high: it is read as `LOW..HIGH`, exactly
as `leakledger add METRIC LOW..HIGH` reads it (midpoint posted, `low:`/`high:`
kept, an empty end open). A JSON sheet is a list of objects with those keys (or
{"figures": [...]}). Each row becomes a `FigureRequest` and is planned by
leakledger.figure_request, exactly as `leakledger add` plans its arguments,
so the sheet, the command and Fava's import page refuse the same things.
Re-imported rows are recognised as duplicates of the recorded figures:
`deduplicate` marks them the beangulp way (`__duplicate__` metadata), so
`extract` prints them commented out; a row that repeats an earlier row of the
same sheet is marked by `extract` itself, as a duplicate of that row.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import beangulp
import beangulp.exceptions
from beancount.core import data
from beangulp.extract import DUPLICATE

from leakledger.amounts import amount_error
from leakledger.errors import LeakledgerError, UsageError
from leakledger.figure_request import (
    ROW,
    FigureIndex,
    FigureRequest,
    Plan,
    RequestError,
    find_duplicate,
    plan_figures,
    planned_entries,
    sheet_line,
)
from leakledger.figure_text import today
from leakledger.figures import figure_of, figures_of
from leakledger.model import A

__all__ = ["COLUMNS", "REQUIRED", "SheetError", "LeakSheetImporter", "read_sheet"]

COLUMNS = (
    "metric",
    "period",
    "amount",
    "source",
    "url",
    "kind",
    "note",
    "cumulative",
    "supersede",
    "known-since",
    "low",
    "high",
)
REQUIRED = COLUMNS[:4]
SUFFIXES = (".csv", ".json")
_TRUE = {"1", "true", "yes", "y", "x"}
_FALSE = {"", "0", "false", "no", "n"}


class SheetError(UsageError):
    """A sheet that cannot be read; the message is one line and names the row."""


def _flag(value, where: str, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    hint = (
        ""
        if "[" in where
        else "; a comma in an unquoted cell before it shifts the cells: quote cells that contain commas"
    )
    raise SheetError(f"{where}: {column} must be yes or no, not {value!r}{hint}")


def _text(value, where: str = "", column: str = "") -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise SheetError(
            f"{where}: {column} must be text or a number, not a JSON {'object' if isinstance(value, dict) else 'array'}"
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a JSON integer: 2025 is the year 2025, not 2025.000000
    if isinstance(value, Decimal):  # a JSON number: 2.1e9 is 2100000000
        if column in ("amount", "low", "high") and (problem := amount_error(value)):
            raise SheetError(f"{where}: {problem}")  # before format() writes out a billion digits of 1e999999999
        exponent = value.as_tuple().exponent  # an int for a finite value; 'n', 'N' or 'F' otherwise
        if not value.is_finite() or not -40 <= value.adjusted() <= 40 or (isinstance(exponent, int) and exponent < -40):
            raise SheetError(f"{where}: {column} {value} is not a value a leak sheet holds")
        return format(value, "f")
    text = str(value).strip()
    return text or None


def _rows(path: Path) -> list[tuple[str, dict]]:
    """(where, {column: value}) for each row, column names lower-cased."""
    name = path.name
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as exc:
            raise SheetError(f"{name}: not JSON: {exc}") from None
        except RecursionError:
            raise SheetError(f"{name}: not a leak sheet: JSON nested too deep") from None
        if isinstance(doc, dict):
            doc = doc.get("figures")
        if not isinstance(doc, list) or not all(isinstance(row, dict) for row in doc):
            raise SheetError(f'{name}: a JSON sheet is a list of objects (or {{"figures": [...]}})')
        return [(f"{name}[{i}]", {str(k).strip().lower(): v for k, v in row.items()}) for i, row in enumerate(doc)]
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None:
                return []
            fields = [(f or "").strip().lower() for f in reader.fieldnames]
            missing = [c for c in REQUIRED if c not in fields]
            if missing:
                raise SheetError(
                    f"{name} is not a leak sheet: missing column(s) {', '.join(missing)}; "
                    f"columns are {', '.join(COLUMNS)}"
                )
            twice = sorted({f for f in fields if f and fields.count(f) > 1})
            if twice:
                raise SheetError(f"{name}: column(s) {', '.join(twice)} appear more than once")
            rows = []
            for row in reader:
                where = f"{name}:{reader.line_num}"
                extra = row.get(None) or []
                given = sum(1 for f in reader.fieldnames if row.get(f) is not None) + len(extra)
                if given != len(fields) and (extra or any((row.get(f) or "").strip() for f in reader.fieldnames)):
                    # An unquoted "493,800,000" splits into three cells: never guess which is the amount.
                    raise SheetError(
                        f"{name}: line {reader.line_num}: {given} fields, expected {len(fields)} (the header's); "
                        f"quote cells that contain commas"
                    )
                values = dict(zip(fields, (row.get(f) for f in reader.fieldnames)))
                if not any(_text(v) for v in values.values()):
                    continue  # a blank line in the sheet
                rows.append((where, values))
            return rows
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SheetError(f"{name}: cannot read CSV: {exc}") from None


def read_sheet(path) -> list[FigureRequest]:
    """The figure requests of a sheet, in row order."""
    path = Path(path)
    requests = []
    for where, row in _rows(path):
        unknown = sorted(set(row) - set(COLUMNS) - {""})
        if unknown:
            raise SheetError(f"{where}: unknown column(s) {', '.join(unknown)}; columns are {', '.join(COLUMNS)}")
        text = {c: _text(row.get(c), where, c) for c in (*COLUMNS[:7], "low", "high")}
        if text["low"] or text["high"]:
            if text["amount"]:
                raise SheetError(f"{where}: give the amount or its range (low, high), not both")
            text["amount"] = f"{text['low'] or ''}..{text['high'] or ''}"
        missing = [c for c in REQUIRED if not text[c]]
        if missing:
            raise SheetError(f"{where}: empty {', '.join(missing)}")
        metric, period, amount, source = (text[c] for c in REQUIRED)
        assert metric and period and amount and source, "checked just above: none is empty"
        requests.append(
            FigureRequest(
                metric=metric,
                amount=amount,
                period=period,
                source=source,
                kind=text["kind"] or "leaked",
                url=text["url"],
                note=text["note"],
                cumulative=_flag(row.get("cumulative"), where, "cumulative"),
                supersede=_flag(row.get("supersede"), where, "supersede"),
                known_since=_text(row.get("known-since"), where, "known-since") or None,
                where=where,
            )
        )
    return requests


def _header(path: Path) -> set[str]:
    """The column names of a sheet, cheaply, for identify()."""
    try:
        if path.suffix.lower() == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
            rows = doc.get("figures") if isinstance(doc, dict) else doc
            if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
                return set()
            return {str(k).strip().lower() for k in rows[0]}
        with open(path, newline="", encoding="utf-8-sig") as handle:
            first = next(csv.reader(handle), [])
        return {c.strip().lower() for c in first}
    except (OSError, ValueError, UnicodeDecodeError, csv.Error, RecursionError):
        return set()


def _refusal_note(filepath: str, message: str) -> data.Note:
    """Why a sheet is refused, as one entry Fava's import page lists (unticked: a duplicate imports nothing)."""
    meta = data.new_metadata(filepath, 0)
    meta[DUPLICATE] = True
    return data.Note(meta, today(), A.OAI_CASH, f"error: {message}; nothing to import", frozenset(), frozenset())


def _refuse_corrections_of_the_books(plans: list[Plan]) -> None:
    """Refuse a row that corrects a figure already in the books: extracting only adds entries.

    The older figure would keep posting beside its correction (an overlap error
    once imported); `leakledger import` marks it `superseded-by:` in its file.
    """
    planned = {id(plan.entry) for plan in plans}
    for plan in plans:
        for fig in plan.superseded:
            if id(fig.entry) not in planned:
                raise RequestError(
                    f"{plan.request.where}: corrects {fig.metric} over {fig.period} at {fig.where}, which an import "
                    f"here cannot mark superseded-by: (it only adds entries); record the sheet with leakledger import"
                )


def _as_in_sheet(plan: Plan, filepath: str) -> data.Directive:
    """The earlier row a row repeats, placed where beangulp's "; duplicate of FILE:LINE" names it: its
    line of a CSV sheet (a JSON sheet's row has no line: beangulp then comments the row out unnamed)."""
    earlier = plan.duplicate_of
    assert earlier is not None, "a repeated row is a duplicate"
    meta = {**earlier.entry.meta, "filename": filepath, "lineno": sheet_line(str(earlier.entry.meta.get(ROW, "")))}
    return earlier.entry._replace(meta=meta)


class LeakSheetImporter(beangulp.Importer):
    """Leak sheets (CSV or JSON) -> figure transactions, planned like `leakledger add`.

    A refused sheet is beangulp's own Error (one line, no traceback). Fava
    turns any exception an importer raises into an HTTP 500 with a traceback,
    so for Fava (`refusal_as_note=True`, as ledger/import.py configures it
    there) a refused sheet extracts as one Note saying why, marked as a
    duplicate so that nothing is imported by default.
    """

    def __init__(self, refusal_as_note: bool = False):
        self.refusal_as_note = refusal_as_note

    @property
    def name(self) -> str:
        return "leakledger.leaksheet"

    def identify(self, filepath: str) -> bool:
        path = Path(filepath)
        return path.suffix.lower() in SUFFIXES and set(REQUIRED) <= _header(path)

    def account(self, filepath: str) -> data.Account:
        # Where beangulp's `archive` files the sheet: the leak is about OpenAI's payments.
        return A.OAI_CASH

    def plans(self, filepath: str, existing) -> list[Plan]:
        """The plan of every row against the existing entries (duplicates included)."""
        return plan_figures(read_sheet(filepath), existing or [], today=today())

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        try:
            plans = self.plans(filepath, existing)
            _refuse_corrections_of_the_books(plans)
            # As `leakledger import` writes them: a figure the sheet corrects is marked superseded-by: it.
            entries = planned_entries(plans)
            for plan, entry in zip(plans, entries):
                if plan.repeated_row:  # a row repeating an earlier one: imported, it would count twice
                    entry.meta[DUPLICATE] = _as_in_sheet(plan, filepath)
            return entries
        except LeakledgerError as exc:
            if self.refusal_as_note:
                return [_refusal_note(filepath, str(exc))]
            # beangulp prints its own Error as the message alone, any other exception with a traceback.
            raise beangulp.exceptions.Error(str(exc)) from None

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark each entry that records a figure already in the books (same metric, period, amount)."""
        recorded = FigureIndex(figures_of(existing or []))  # indexed once: linear in the sheet's rows
        for entry in entries:
            fig = figure_of(entry)
            if fig is None:
                continue
            dup = find_duplicate(recorded, fig.metric, fig.period, fig.amount)
            if dup is not None:
                entry.meta[DUPLICATE] = dup.entry
