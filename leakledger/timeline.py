"""What we knew when: each knowledge date, the sources that arrived, and every number they moved.

The books are parsed once and run as known on each day something became known
(leakledger.knowledge, leakledger.parsed_books), and the model's numbers compared with the day
before: the period table by year (net payment, both shares, implied revenue,
inference, the ratio), each company's income statement by year (OpenAI's
revenue, implied or recorded, is `Income:OpenAI:Revenue`), the reconciliation (each metric's figures by kind,
the Microsoft revenue base), the share rules' rates and the caps. A
number that appears moves from "not known"; one that goes (a total its parts
now refine stays; a superseded figure is replaced) moves to "not known".
Every number is the model's own text, bounds marked (≥, ≤) and ranges shown as ranges (730M–750M).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from beancount.core import data

from leakledger.book_model import BookModel
from leakledger.company_books import company_view_of
from leakledger.knowledge import is_knowledge, known_on, known_since, source_as_known
from leakledger.model import ENTITIES
from leakledger.parsed_books import ParsedBooks
from leakledger.presentation import cell_text, period_cells, statement_cell_text
from leakledger.reconciliation import COMPARED, OUTSIDE_KINDS
from leakledger.reports import TOTAL_ROW
from leakledger.table_numbers import missing

__all__ = ["NOT_KNOWN", "Arrival", "Move", "arrivals_of", "moves_between", "snapshot", "timeline", "timeline_records"]

NOT_KNOWN = "not known"
#: A period's implied revenue once OpenAI's revenue for it is recorded: not unknown, not implied.
_NOT_IMPLIED = "none: OpenAI's revenue is recorded (the payments solve Microsoft's share)"
#: The period table's columns a timeline follows (its headers, as `period_cells` names them).
_SKIP = ("period", "covers")
#: The reconciliation's columns of figures as the sources give them.
_SOURCE_KINDS: tuple[Literal["leaked", "disclosed", "reported", "claimed", "assumed"], ...] = (
    "leaked",
    "disclosed",
    "reported",
    "claimed",
    "assumed",
)


@dataclass(frozen=True)
class Move:
    """One number of the model, before and after a knowledge date."""

    what: str
    before: str
    after: str


@dataclass
class Arrival:
    """One knowledge date: the sources that arrived, the entries they brought, what moved."""

    day: datetime.date
    sources: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


def snapshot(model: BookModel) -> dict[str, str]:
    """The numbers a timeline follows, by name (`2024 implied revenue`), as the reports print them."""
    numbers: dict[str, str] = {}
    frame = model.period_table("year")
    headers, rows = period_cells(frame)
    for row, record in zip(rows, frame.to_dict(orient="records")):
        period = row[0]
        if period == TOTAL_ROW:
            continue
        for header, cell in zip(headers, row):
            if header not in _SKIP and cell:
                numbers[f"{period} {header}"] = cell
        if not missing(record.get("recorded_revenue")) and f"{period} implied revenue" not in numbers:
            # not unknown: with OpenAI's revenue recorded, the payments solve Microsoft's share instead
            numbers[f"{period} implied revenue"] = _NOT_IMPLIED
    view = company_view_of(model.options_map)
    for entity in [view.entity] if view is not None else ENTITIES:  # a company's book: its own statement
        statement = model.statement(entity, "year")
        for line in statement.lines:
            if ":" not in line.key:
                continue  # the totals and the net follow from the lines
            for label in statement.labels:
                text = statement_cell_text(statement.cell(line.key, label))  # a range where it has one
                if label != TOTAL_ROW and text:
                    numbers[f"{label} {line.key}"] = text
    for rec in model.reconcile_rows:
        if rec["reconciling_base"] is not None:
            # Solved from recorded revenue and payments, or what would square a reported revenue: not the same fact.
            solved = (rec["implies"] or "").startswith("solved")
            how = "solved" if solved else "an estimate: would square the reported revenue"
            base = cell_text(rec, "reconciling_base")  # the range the solved base allows, where it has one
            numbers[f"{rec['period']} Microsoft revenue base"] = f"{base} ({how})"
        for kind in _SOURCE_KINDS:
            if rec[kind] is not None and rec["unit"] == "USD":
                metric = _compared(rec, kind)  # TI's cost of revenue sits beside inference: named as what it is
                numbers[f"{rec['period']} {metric} ({kind})"] = cell_text(rec, kind)  # 33.95B–34.05B
    for base in model.rules.bases:
        for rule in model.rules.rules_of(base):
            numbers[f"rate of {base} → {rule.payee} from {rule.date}"] = f"{rule.rate:.0%}"
    for cap in model.caps:
        numbers[f"cap on {cap.cap.base} → {cap.cap.payee}"] = cap.summary()
    return numbers


def _compared(rec: Any, kind: str) -> str:
    """The metric of a row's `kind` figure: the row's, or that of an outside figure set beside it (COMPARED)."""
    if kind in OUTSIDE_KINDS:
        for metric, (beside, what) in COMPARED.items():
            if beside == rec["metric"] and what in (rec["implies"] or ""):
                return metric
    return str(rec["metric"])


def moves_between(before: dict[str, str], after: dict[str, str]) -> list[Move]:
    """Every number that differs between two snapshots, "not known" where one has none."""
    moves = []
    for what in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(what, NOT_KNOWN), after.get(what, NOT_KNOWN)
        if old != new:
            moves.append(Move(what, old, new))
    return moves


def arrivals_of(entries: Iterable[Any]) -> dict[datetime.date, Arrival]:
    """Each knowledge date's arrival (sources and entries), its moves not yet computed."""
    return _arrivals(entries)


def _label(entry: Any) -> str:
    if isinstance(entry, data.Transaction):
        return entry.narration or ""
    if isinstance(entry, data.Custom):
        values = " ".join(str(v.value) for v in entry.values)
        return f"{entry.type} {values}".strip()
    return f"{type(entry).__name__.lower()} {getattr(entry, 'account', '')}".strip()


def _arrivals(entries: Iterable[Any]) -> dict[datetime.date, Arrival]:
    found: dict[datetime.date, Arrival] = {}
    for entry in entries:
        if not is_knowledge(entry):
            continue
        day = known_since(entry)
        arrival = found.get(day) or found.setdefault(day, Arrival(day))
        source = source_as_known(entry)
        if source and source not in arrival.sources:
            arrival.sources.append(source)
        arrival.entries.append(_label(entry))
    return found


def timeline(
    books: str | os.PathLike | ParsedBooks,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    model: BookModel | None = None,
) -> list[Arrival]:
    """Each knowledge date of the books (from `since`, up to `until`) with what it moved.

    The books are parsed once (ParsedBooks); each date runs their plugins on
    what was known that day. `model` is the books as known on `until` (all
    of them without it) when the caller has them loaded already: a date on
    which the same entries were known reuses it.
    """
    parsed = books if isinstance(books, ParsedBooks) else ParsedBooks(books)
    if model is None:
        model = BookModel(*parsed.load_clean(until))
    arrivals = _arrivals(model.entries)
    days = sorted(day for day in arrivals if until is None or day <= until)  # the knowledge dates
    known = parsed.entries if until is None else known_on(parsed.entries, until)

    def snapshot_on(day: datetime.date) -> dict[str, str]:
        # Before the last date, what that date brought was not yet known: only the last may be `model`'s books.
        if day == days[-1] and not parsed.options_map.get("documents") and _same(known_on(parsed.entries, day), known):
            return snapshot(model)  # the plugins would be handed the very same entries
        return snapshot(BookModel(*parsed.load_clean(day)))

    before: dict[str, str] = {}
    earlier = [day for day in days if since is not None and day < since]
    if earlier:
        before = snapshot_on(earlier[-1])
    result = []
    for day in days:
        if since is not None and day < since:
            continue
        after = snapshot_on(day)
        arrival = arrivals[day]
        arrival.moves = moves_between(before, after)
        result.append(arrival)
        before = after
    return result


def _same(entries: list, others: list) -> bool:
    return len(entries) == len(others) and all(a is b for a, b in zip(entries, others))


def timeline_records(arrivals: list[Arrival]) -> list[dict[str, Any]]:
    """One record per move (a date that moved nothing: one record with `what` empty), for CSV and JSON."""
    records = []
    for arrival in arrivals:
        base = {
            "known_since": arrival.day.isoformat(),
            "sources": "; ".join(arrival.sources),
            "entries": len(arrival.entries),
        }
        moves: list[Move | None] = list(arrival.moves) or [None]
        for move in moves:
            records.append(
                {
                    **base,
                    "what": move.what if move else None,
                    "before": move.before if move else None,
                    "after": move.after if move else None,
                }
            )
    return records
