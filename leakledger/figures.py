"""Figures: the recorded totals in the books, and the rules they obey.

A *posting figure* is a transaction with `metric:` metadata; a *record* is a
non-posting `custom "figure"` directive (reported and claimed figures, and
superseded ones). Overlap, supersession and cumulative checks are written
here once, for the plugins (which report them as errors) and for
`leakledger add` and the importer (which refuse to write them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from leakledger.derived import number_of, text_of
from leakledger.model import GENERATED_TAG, KINDS, METRICS
from leakledger.periods import Period, period_of

__all__ = [
    "Figure",
    "FIGURE_TYPE",
    "SUPERSEDED_BY",
    "kinds_of",
    "is_generated",
    "figure_of",
    "figures_of",
    "find_overlaps",
    "cumulative_total",
    "period_start_error",
]

#: `custom "figure" "METRIC" AMOUNT`: a figure kept in the books that does not post.
FIGURE_TYPE = "figure"
#: Metadata on a posting figure that a newer one replaces: the newer one's link.
SUPERSEDED_BY = "superseded-by"


def kinds_of(entry) -> list[str]:
    """The kind tags of a transaction, or the `kind:` of a record."""
    if isinstance(entry, data.Transaction):
        return [t for t in (entry.tags or ()) if t in KINDS]
    kind = entry.meta.get("kind") if entry.meta else None
    return [kind] if kind in KINDS else []


def period_start_error(entry) -> str | None:
    """Why an entry's `period-start:` is unusable, or None when it is fine or absent."""
    start = entry.meta.get("period-start") if entry.meta else None
    if start is None:
        return None
    if not isinstance(start, datetime.date):
        return f"period-start {start!r} must be a date (YYYY-MM-DD), the period's first day"
    if start > entry.date:
        return f"period-start {start} is after the entry's date {entry.date}: a figure is dated on its period's last day"
    return None


def is_generated(entry) -> bool:
    return isinstance(entry, data.Transaction) and GENERATED_TAG in (entry.tags or ())


@dataclass(frozen=True)
class Figure:
    """One recorded total: which metric, over which period, how much, from whom."""

    entry: data.Directive
    metric: str
    period: Period
    amount: Decimal | None
    kind: str | None
    posting: bool

    @property
    def links(self) -> frozenset:
        return getattr(self.entry, "links", None) or frozenset()

    @property
    def superseded_by(self) -> str | None:
        return self.entry.meta.get(SUPERSEDED_BY)

    @property
    def cumulative(self) -> Decimal | None:
        return number_of(self.entry.meta.get("cumulative"))

    @property
    def cumulative_period(self) -> Period | None:
        start = self.entry.meta.get("cumulative-start")
        if not isinstance(start, datetime.date) or start > self.period.end:
            return None
        return Period(start, self.period.end)

    @property
    def source(self) -> str | None:
        """The source as text; a hand-written `source: 5` is none (integrity reports it at its line)."""
        return text_of(self.entry.meta.get("source"))


def _figure_amount(entry: data.Transaction, metric: str) -> Decimal | None:
    """The figure's amount: the units on its metric's first leg."""
    account, sign = METRICS[metric].legs[0]
    total = None
    for posting in entry.postings:
        if posting.account == account and posting.units is not None:
            total = (total or Decimal(0)) + sign * posting.units.number
    return total


def figure_of(entry) -> Figure | None:
    """The figure an entry records, or None if it records none."""
    if isinstance(entry, data.Transaction):
        metric = entry.meta.get("metric")
        if not isinstance(metric, str) or metric not in METRICS or is_generated(entry):
            return None
        kinds = kinds_of(entry)
        return Figure(entry, metric, period_of(entry), _figure_amount(entry, metric),
                      kinds[0] if len(kinds) == 1 else None, True)
    if isinstance(entry, data.Custom) and entry.type == FIGURE_TYPE and entry.values:
        metric = entry.values[0].value
        amount = entry.values[1].value if len(entry.values) > 1 else None
        amount = getattr(amount, "number", amount)
        kinds = kinds_of(entry)
        return Figure(entry, str(metric), period_of(entry),
                      amount if isinstance(amount, Decimal) else None,
                      kinds[0] if kinds else None, False)
    return None


def figures_of(entries) -> list[Figure]:
    return [f for f in map(figure_of, entries) if f is not None]


def find_overlaps(figures) -> list[tuple[Figure, Figure]]:
    """Pairs of posting figures of one metric whose periods overlap.

    Superseded figures do not post, so they overlap nothing. A sweep over
    each metric's figures sorted by start: O(n log n), not O(n²).
    """
    by_metric: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        if fig.posting and not fig.superseded_by:
            by_metric[fig.metric].append(fig)
    pairs = []
    for figs in by_metric.values():
        figs.sort(key=lambda f: (f.period.start, f.period.end))
        active: list[Figure] = []
        for fig in figs:
            active = [a for a in active if a.period.end >= fig.period.start]
            pairs.extend((a, fig) for a in active)
            active.append(fig)
    return pairs


def cumulative_total(figures, metric: str, period: Period) -> Decimal:
    """What the posting figures of `metric` inside `period` add up to."""
    return sum(
        (f.amount or Decimal(0)
         for f in figures
         if f.posting and not f.superseded_by and f.metric == metric and period.contains(f.period)),
        Decimal(0),
    )
