"""The caps on a share, as the books stand: accrued against each, what is left, when it binds, what it saves.

The shares plugin holds a capped base's accruals to its cap and writes the
cap's state on each accrual it counts (`leakledger.derived`: `cap-accrued`,
`cap-remaining`, and `cap-forgone` on the accrual that reaches the cap).
This module reads that state back, once, for every view: `report`,
`reconcile` (the `cap_rows` stage), `explain`, the Leak model page and the
company statements.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from leakledger import derived as D
from leakledger.derived import Derived
from leakledger.intervals import Interval
from leakledger.metadata import text_of
from leakledger.model import Cap, Rule, RuleBook
from leakledger.periods import Coverage, Period, period_of, quarter_of
from leakledger.presentation import range_text
from leakledger.table_numbers import running

__all__ = [
    "CAP_METRIC",
    "SAVINGS_METRIC",
    "CapStatus",
    "Term",
    "cap_statuses_of",
    "cap_rows",
    "terms_of",
]

#: The reconciliation's row of a cap: its amount beside what has accrued against it.
CAP_METRIC = "revenue-share-cap"
#: A reported figure of what a cap saves the payer, set beside the savings the books derive.
SAVINGS_METRIC = "cap-savings"
#: The metadata key on a cap (or a report about one) naming the last day it speaks of.
THROUGH = "through"

ZERO = Decimal(0)


@dataclass(frozen=True)
class CapStatus:
    """One cap and the accruals that count against it."""

    cap: Cap
    accrued: Decimal
    counted: tuple[Derived, ...]
    reached: Derived | None  # the accrual that reached the cap, if one did
    through: datetime.date | None

    @property
    def remaining(self) -> Decimal:
        return self.cap.amount - self.accrued

    @property
    def forgone(self) -> Decimal:
        """The share the cap stopped from accruing: the payer's savings against the uncapped rate."""
        return (self.reached.cap_forgone or ZERO) if self.reached is not None else ZERO

    @property
    def span(self) -> Period:
        end = self.through or (self.reached.date if self.reached else self.cap.counts_from)
        return Period(self.cap.counts_from, max(end, self.cap.counts_from))

    @property
    def ranged(self) -> Derived | None:
        """The accrual that says, where the capped shares are ranges, when the cap binds and what accrues."""
        return next((d for d in self.counted if d.cap_accrued_range is not None), None)

    @property
    def accrued_interval(self) -> Interval:
        """What accrues against the cap, as an interval: exact, or low to high where the shares are ranges; at
        least its low end where some days since the cap began counting have no accrual (`unrecorded`)."""
        d = self.ranged
        interval = d.cap_accrued_range if d is not None and d.cap_accrued_range else Interval.exact(self.accrued)
        if self.unrecorded is not None:
            return Interval(interval.low, None)
        # never more than the cap: shares open above ([400, ∞) of a lower-bound revenue) accrue up to it only
        return interval.intersection(Interval(None, self.cap.amount))

    @property
    def counted_low(self) -> Decimal:
        """The low ends of the accruals that count against the cap, added up: each accrued at least its own,
        so a cell of some of them holds at most the cap less the others' (`model.held_to_caps`)."""
        return sum((i.low for d in self.counted if (i := d.share_interval) is not None and i.low is not None), ZERO)

    @property
    def key(self) -> tuple[str, Decimal]:
        """How a share names the cap it counts against: (base account, amount), as `model.held_to_caps` reads it."""
        return self.cap.base, self.cap.amount

    @property
    def left_interval(self) -> Interval:
        """What is left of the cap, as an interval: the cap less `accrued_interval`."""
        return Interval.exact(self.cap.amount) - self.accrued_interval

    @property
    def unrecorded(self) -> Period | None:
        """Where the accruals counted do not cover the days since the cap began counting, before the cap is
        reached: from its counts-from day to the last day an accrual counts (that day alone where none does).

        What accrued there is not known, so `accrued_interval` is then at least what is recorded: the books
        record no OpenAI revenue since the shipped cap's counts-from day, and "accrued 0" read as a known 0.
        """
        if self.reached is not None:
            return None  # reached: the cap, exactly, whatever accrued before
        start = self.cap.counts_from
        covered = [period_of(d.entry) for d in self.counted]
        end = max((p.end for p in covered), default=start)
        runs = Coverage(covered)
        if not runs.misses(Period(start, end)):
            return None
        return Period(start, end)

    @property
    def binds(self) -> tuple[datetime.date | None, datetime.date | None]:
        """(earliest, latest) day the cap binds: where shares are ranges, from their high and low ends.

        (day, day) where the shares are exact and the cap is reached; latest
        None where the low ends do not reach it by the books' last posting.
        """
        d = self.ranged
        if d is not None:
            return d.cap_binds_from, d.cap_binds_by
        day = self.reached.date if self.reached is not None else None
        return day, day

    def binding_text(self) -> str | None:
        """When the cap binds, where the shares are ranges: a range of dates, or from a date on; else None."""
        earliest, latest = self.binds
        if self.ranged is None or earliest is None:
            return None
        if latest is None:
            return (
                f"binds on {earliest} ({quarter_of(earliest)}) at the earliest, if the shares are at their high ends; "
                "at their low ends, not by the books' last posting"
            )
        if latest == earliest:
            return f"binds on {earliest} ({quarter_of(earliest)}) at either end of the shares' ranges"
        return (
            f"binds between {earliest} ({quarter_of(earliest)}, the shares at their high ends) and {latest} "
            f"({quarter_of(latest)}, at their low ends)"
        )

    @property
    def assumed(self) -> bool:
        """Whether what counts against the cap rests on an assumption."""
        return any("assumed" in (d.entry.tags or ()) for d in self.counted)

    def summary(self) -> str:
        """One line: the cap, what has accrued against it and what is left, and when it binds."""
        cap = self.cap
        text = (
            f"cap on {cap.base}'s share to {cap.payee}: {running(cap.amount)} USD counted from "
            f"{cap.counts_from}; accrued {range_text(self.accrued_interval)}, left {range_text(self.left_interval)}"
        )
        if (gap := self.unrecorded) is not None:
            text += (
                f" (the books record none of {cap.base}'s share since {cap.counts_from}: not known, not 0)"
                if not self.counted
                else f" (the books record {cap.base}'s share over part of {gap.label} only)"
            )
        binding = self.binding_text()
        if binding is not None:
            text += f"; {binding}"
        if self.reached is not None:
            text += (
                f"; reached on {self.reached.date} ({quarter_of(self.reached.date)}), after which postings "
                f"to {cap.base} accrue nothing: {running(self.forgone)} of share not accrued"
            )
        return text + (" (from assumed figures)" if self.assumed else "")


def _through(cap: Cap, book: RuleBook) -> datetime.date | None:
    """The last day a cap speaks of: its `through:`, else the day before its base's share ends."""
    through = (cap.entry.meta or {}).get(THROUGH) if cap.entry is not None else None
    if isinstance(through, datetime.date):
        return through
    ends = [r.date for r in book if r.base == cap.base and r.rate == 0 and r.date > cap.counts_from]
    return min(ends) - datetime.timedelta(days=1) if ends else None


def cap_statuses_of(shares: Iterable[Derived], book: RuleBook) -> list[CapStatus]:
    """Every cap of the books with the share accruals that count against it, in the order of their bases.

    From the accruals already read: leakledger.book_index keeps them (`BookIndex.caps`).
    """
    if not book.caps:
        return []
    shares = [d for d in shares if d.rule == D.RULE_SHARE and d.base_account in book.caps and d.cap is not None]
    statuses = []
    for base, cap in sorted(book.caps.items()):
        counted = tuple(d for d in shares if d.base_account == base and d.date >= cap.counts_from)
        accrued = sum((d.share for d in counted if d.share is not None), ZERO)
        reached = next((d for d in counted if d.cap_forgone is not None), None)
        statuses.append(CapStatus(cap, accrued, counted, reached, _through(cap, book)))
    return statuses


@dataclass(frozen=True)
class Term:
    """One share as the contract reads on a day: its rate, since and until when, and its cap."""

    rule: Rule | None  # in force on the day, or None before the first
    base: str
    payee: str
    rate: Decimal
    until: datetime.date | None  # the last day before the base's next rule
    cap: CapStatus | None


def terms_of(book: RuleBook, statuses: Iterable[CapStatus], day: datetime.date) -> list[Term]:
    """Every share base's term on `day`, with its cap's state: the deal as it stands then (from a rule book and its
    caps' state already read)."""
    caps = {status.cap.base: status for status in statuses}
    terms = []
    for base in sorted(book.bases):
        rule = book.rule_at(base, day)
        later = [r.date for r in book if r.base == base and r.date > day]
        payee = rule.payee if rule else next(r.payee for r in book if r.base == base)
        terms.append(
            Term(
                rule,
                base,
                payee,
                rule.rate if rule else ZERO,
                min(later) - datetime.timedelta(days=1) if later else None,
                caps.get(base),
            )
        )
    return terms


def cap_rows(rec) -> None:
    """Reconciliation stage: each cap beside what has accrued against it; reported savings beside the books'.

    The cap row's gap (reported minus accrued) is what is left of the cap.
    The savings row sets a reported figure of what the cap saves beside the
    share the books' figures stop from accruing, once they reach the cap.
    """
    savings = [f for f in rec.figures if f.metric == SAVINGS_METRIC and f.amount is not None and f.kind]
    for status in rec.caps:
        if not rec.figures and not status.counted:
            continue  # books (or a filter) with no figures have nothing to set beside a cap
        cap, span = status.cap, status.span
        row = rec.cell(CAP_METRIC, span)
        row.put(text_of(cap.entry.meta.get("kind")) or "reported", cap.amount, text_of(cap.entry.meta.get("source")))
        row.values["implied"] = status.accrued
        # ranged shares, or days with no accrual: the cell shows the range or "≥", and the gap left with it
        if not status.accrued_interval.is_exact:
            row.ranges["implied"] = status.accrued_interval
        row.notes.append(status.summary())
        if not savings:
            continue
        row = rec.cell(SAVINGS_METRIC, span)
        for fig in savings:  # a reported "97B" shows the range its precision states
            row.put(fig.kind, fig.amount, fig.source, interval=fig.stated_interval)
        if status.reached is not None:
            row.values["implied"] = status.forgone
            row.notes.append(
                f"the share the cap stops from accruing once the books' figures reach it on {status.reached.date} "
                f"({quarter_of(status.reached.date)}): OpenAI's savings against an uncapped "
                f"{status.reached.rate:%} through the books' last posting to {cap.base}"
                + (" (from assumed figures)" if status.assumed else "")
            )
        else:
            row.notes.append(
                f"the books' figures do not reach the cap: {range_text(status.left_interval)} of it is left, "
                f"so they show no savings yet"
            )
