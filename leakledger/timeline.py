"""What we knew when: each knowledge date, the sources that arrived, and every number they moved.

The books are parsed once and run as known on each day something became known
(leakledger.knowledge, leakledger.parsed_books), and the model's numbers compared with the day
before: the period table by year (net payment, both shares, implied revenue,
inference, the ratio), each company's income statement by year (OpenAI's
revenue, implied or recorded, is `Income:OpenAI:Revenue`), the reconciliation (each metric's figures by kind,
the Microsoft revenue base), the share rules' rates and the caps. A
number that appears moves from "not known"; one that goes (a total its parts
now refine stays; a superseded figure is replaced) moves to "not known".
Every number is the model's own text, bounds marked (≥, ≤) and ranges shown as ranges (730M–750M), and
carries what it is as a number (`Number`): CSV and JSON give the value, its ends, its kind and its unit beside
the text. Every figure the reconciliation holds gets its number, in its own unit: a stake or a margin is a
ratio, written as percentages ("26.5%–27.5%" for an "about 27%"), never dropped for not being dollars.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from beancount.core import data

from leakledger.book_model import BookModel
from leakledger.company_books import company_view_of
from leakledger.figures import record_value
from leakledger.intervals import Interval
from leakledger.knowledge import is_knowledge, known_on, known_since, source_as_known
from leakledger.metadata import text_of
from leakledger.model import ENTITIES
from leakledger.model_view import cell_interval
from leakledger.parsed_books import ParsedBooks
from leakledger.presentation import (
    NOT_KNOWN,
    PERIOD_HEADERS,
    TOTAL_LABELS,
    cell_covers,
    cell_text,
    interval_kind,
    number_text,
    period_cells,
    range_text,
    statement_cell_text,
    value_text,
)
from leakledger.reconciliation import EXPECTATION, expectation_of, metric_of, solved_base_of
from leakledger.reports import TOTAL_ROW
from leakledger.table_numbers import missing, plain, row_interval

__all__ = [
    "NOT_KNOWN",
    "Arrival",
    "Move",
    "Number",
    "TIMELINE_COLUMNS",
    "arrivals_of",
    "moves_between",
    "snapshot",
    "timeline",
    "timeline_records",
]

#: What a `Number` that is no number is: words (a cap's summary, why no revenue is implied): read its text.
TEXT = "text"
#: A balance assertion is checked at the start of its day: it states the balance at the end of the day before.
_DAY = datetime.timedelta(days=1)
#: The units a `Number` is in: money, or a ratio (a stake, a margin, a rate, inference ÷ revenue).
USD, RATIO = "USD", "ratio"


class Number(str):
    """A number the timeline follows: the text the reports print (the string itself, as every view shows it), and
    what it is as a number, for CSV and JSON: the value the books post, the interval it stands for and its kind
    (`presentation.interval_kind`: exact, range, lower bound, upper bound, not known; or ESTIMATE, TEXT), its unit (USD,
    RATIO; None for words and "not known") and the span its figures cover where it is less than the number's
    period (partial). Two are the same move when their texts are.
    """

    value: Decimal | None
    interval: Interval | None
    kind: str
    covers: str | None
    unit: str | None

    def __new__(
        cls,
        text: str,
        value: Decimal | None = None,
        interval: Interval | None = None,
        *,
        kind: str | None = None,
        covers: str | None = None,
        unit: str | None = USD,
    ) -> Number:
        number = super().__new__(cls, text)
        number.value, number.interval, number.covers = value, interval, covers
        number.unit = unit if value is not None else None
        number.kind = kind or (interval_kind(interval) if interval is not None else TEXT)
        return number

    def columns(self, side: str) -> dict[str, Any]:
        """This number as `side`'s CSV/JSON columns: the value, its ends, its kind, its unit, what it covers, its
        text."""
        low, high = (None, None) if self.interval is None else (self.interval.low, self.interval.high)
        return {
            side: self.value,
            f"{side}_low": low,
            f"{side}_high": high,
            f"{side}_kind": self.kind,
            f"{side}_unit": self.unit,
            f"{side}_covers": self.covers,
            f"{side}_text": str(self),
        }


#: The kind of a number the books do not record but would square two that they do (a reconciling base).
ESTIMATE = "estimate"

#: A number the books do not have (yet, or any more).
UNKNOWN = Number(NOT_KNOWN, kind="not known")
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
    """One number of the model, before and after a knowledge date (each a `Number` where the timeline made it)."""

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


def snapshot(model: BookModel) -> dict[str, Number]:
    """The numbers a timeline follows, by name (`2024 implied revenue`), as the reports print them."""
    numbers: dict[str, Number] = {}
    frame = model.period_table("year")
    headers, rows = period_cells(frame)
    columns = dict(zip(headers, (c for c in PERIOD_HEADERS if c in frame.columns)))  # period_cells' own order
    for row, record in zip(rows, frame.to_dict(orient="records")):
        period = row[0]
        if period == TOTAL_ROW:
            continue
        for header, cell in zip(headers, row):
            if header not in _SKIP and cell:
                numbers[f"{period} {header}"] = _period_number(record, columns[header], cell)
        if not missing(record.get("recorded_revenue")) and f"{period} implied revenue" not in numbers:
            # not unknown: with OpenAI's revenue recorded, the payments solve Microsoft's share instead
            numbers[f"{period} implied revenue"] = Number(_NOT_IMPLIED)
    view = company_view_of(model.options_map)
    for entity in [view.entity] if view is not None else ENTITIES:  # a company's book: its own statement
        statement = model.statement(entity, "year")
        for line in statement.lines:
            # the totals and the net too: they do not simply follow from the lines (ranges cancel, bounds open)
            name = line.key if ":" in line.key else f"{entity} {TOTAL_LABELS.get(line.key, line.key)}"
            for label in statement.labels:
                amount = statement.cell(line.key, label)
                text = statement_cell_text(amount)  # a range where it has one
                if label != TOTAL_ROW and text:
                    numbers[f"{label} {name}"] = _statement_number(amount, text)
    for rec in model.reconcile_rows:
        if rec["reconciling_base"] is not None:
            # Solved from recorded revenue and payments, or what would square a reported revenue: not the same fact.
            solved = solved_base_of(rec)
            how = "solved" if solved else "an estimate: would square the reported revenue"
            base = cell_text(rec, "reconciling_base")  # the range the solved base allows, where it has one
            numbers[f"{rec['period']} Microsoft revenue base"] = _reconciled(
                rec, "reconciling_base", f"{base} ({how})", None if solved else ESTIMATE
            )
        for kind in _SOURCE_KINDS:
            if rec[kind] is not None:  # every figure, in its own unit: a stake is a ratio, not dollars
                metric = metric_of(rec, kind)  # TI's cost of revenue sits beside inference: named as what it is
                what = f"{kind}, {EXPECTATION}" if expectation_of(rec, kind) else kind
                numbers[f"{rec['period']} {metric} ({what})"] = _reconciled(rec, kind, value_text(rec, kind))
    for fig in model.index.live_figures:  # a fact in words (Microsoft's accounting method): its row, as text
        if fig.amount is None and fig.kind and isinstance(words := record_value(fig.entry), str):
            numbers[f"{fig.period.label} {fig.metric} ({fig.kind})"] = Number(words)
    for entry in model.entries:  # a balance a source states ("about 73B" at 2026-03-31): its own row, as stated
        if isinstance(entry, data.Balance) and (stated := text_of((entry.meta or {}).get("kind"))):
            numbers[f"{entry.date - _DAY} {entry.account} ({stated})"] = _stated_balance(entry)
    for base in model.rules.bases:
        for rule in model.rules.rules_of(base):
            rate = Decimal(rule.rate)
            numbers[f"rate of {base} → {rule.payee} from {rule.date}"] = Number(
                f"{rate:.0%}", rate, Interval.exact(rate), unit=RATIO
            )
    for cap in model.caps:
        numbers[f"cap on {cap.cap.base} → {cap.cap.payee}"] = Number(cap.summary())
    return numbers


def _period_number(record: dict, column: str, text: str) -> Number:
    """A period-table cell: its interval as the table writes it ("≥", a range, "≤" for a ratio over a bound)."""
    covers = cell_covers(record, column)
    if missing(record.get(column)):  # "not known" (why: the table's notes), "spans differ": no number
        return Number(text, kind="not known", covers=covers)
    unit = RATIO if column == "inference_to_revenue" else USD
    return Number(text, record[column], cell_interval(record, column), covers=covers, unit=unit)


def _statement_number(cell: Any, text: str) -> Number:
    """A statement cell: its range, "≥ amount" where it is a lower bound, else its amount exactly."""
    interval = cell.interval
    if interval is None:
        interval = Interval.at_least(cell.amount) if cell.lower_bound else Interval.exact(cell.amount)
    covers = cell.covers_label if cell.partial else None
    return Number(text, cell.amount, interval, covers=covers)


def _reconciled(rec: Any, column: str, text: str, kind: str | None = None) -> Number:
    """A reconciliation cell: its range where its `_low`/`_high` columns hold one, else its value exactly; in its
    row's unit (the reconciling base is money in every row). `kind`: what it is where its interval cannot say
    (an estimate)."""
    unit = RATIO if rec["unit"] == RATIO and column != "reconciling_base" else USD
    return Number(text, rec[column], row_interval(rec, column), unit=unit, kind=kind)


def _stated_balance(entry: data.Balance) -> Number:
    """A balance assertion as the number it states: checked at the start of its day, so the balance at the end of
    the day before, within its tolerance ("73,000,000,000 ~ 500,000,000" is 72.5B–73.5B)."""
    amount, tolerance = entry.amount.number, entry.tolerance or Decimal(0)
    assert amount is not None, "Beancount parses a balance with its number"
    interval = Interval(amount - tolerance, amount + tolerance)
    return Number(range_text(interval), amount, interval)


def moves_between(before: Mapping[str, str], after: Mapping[str, str]) -> list[Move]:
    """Every number that differs between two snapshots, "not known" where one has none."""
    moves = []
    for what in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(what, UNKNOWN), after.get(what, UNKNOWN)
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
        # a bare number (a stake, a margin) as the percent it is and as written: "about 27% (0.27)"
        qualifier = text_of(entry.meta.get("qualifier"))
        said = (number_text(v.value, qualifier) if isinstance(v.value, Decimal) else str(v.value) for v in entry.values)
        return f"{entry.type} {' '.join(said)}".strip()
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

    def snapshot_on(day: datetime.date) -> dict[str, Number]:
        # Before the last date, what that date brought was not yet known: only the last may be `model`'s books.
        if day == days[-1] and not parsed.options_map.get("documents") and _same(known_on(parsed.entries, day), known):
            return snapshot(model)  # the plugins would be handed the very same entries
        return snapshot(BookModel(*parsed.load_clean(day)))

    before: dict[str, Number] = {}
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


#: The timeline's CSV and JSON columns: per move, each side as a number (value, low, high, kind, unit, covers) and
#: its text.
TIMELINE_COLUMNS = (
    "known_since",
    "sources",
    "entries",
    "what",
    *(
        f"{side}{part}"
        for side in ("before", "after")
        for part in ("", "_low", "_high", "_kind", "_unit", "_covers", "_text")
    ),
)


def timeline_records(arrivals: list[Arrival]) -> list[dict[str, Any]]:
    """One record per move (a date that moved nothing: one record with `what` empty), for CSV and JSON.

    Each side is a number as every other command's CSV gives one: `before` the value the books post (exact
    decimal text), `before_low`/`before_high` the interval it stands for (an end left empty is open),
    `before_kind` what it is (exact, range, lower bound, upper bound, not known, estimate, text), `before_unit` its unit
    (USD, or ratio: 0.27 is 27%; empty for words) and `before_covers` the span its figures cover where less than
    its period; `before_text` as the text table shows it.
    """
    records = []
    for arrival in arrivals:
        base = {
            "known_since": arrival.day.isoformat(),
            "sources": "; ".join(arrival.sources),
            "entries": len(arrival.entries),
        }
        moves: list[Move | None] = list(arrival.moves) or [None]
        for move in moves:
            record: dict[str, Any] = {**base, "what": move.what if move else None}
            for side in ("before", "after"):
                number = _number(getattr(move, side)) if move else None
                record.update({k: plain(v) for k, v in number.columns(side).items()} if number else {})
            records.append({column: record.get(column) for column in TIMELINE_COLUMNS})
    return records


def _number(text: str) -> Number:
    """A move's side as a `Number` (a bare string, from a caller's own snapshot, is text)."""
    return text if isinstance(text, Number) else Number(text)
