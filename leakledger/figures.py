"""Figures: the recorded totals in the books, and the rules they obey.

A *posting figure* is a transaction with `metric:` metadata; a *record* is a
non-posting `custom "figure"` directive (reported and claimed figures, and
superseded ones). A total that finer figures refine stays a transaction with
its link and no postings (`status: "refined"`, the amount in `total:`).

The rules are written here once, for the figures plugin (which reports them
as errors at the offending line) and for `leakledger add` and the importer
(which refuse to write them):

- two figures of one metric over the same period count twice: a newer one
  supersedes the older (`superseded-by:`);
- a figure over a sub-period of another *refines* it: the books post the
  finer figures and the coarser one's remainder over the days they don't
  cover. Parts that cover the whole period must add up to it to the cent;
  a remainder of the opposite sign to its total is an error;
- periods that overlap without nesting are an error.
"""

from __future__ import annotations

import datetime
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from leakledger.account_lists import ByAccounts
from leakledger.amounts import cents
from leakledger.derived import (
    NARROWED_BY,
    NARROWED_HIGH,
    NARROWED_LOW,
    REMAINDER_HIGH,
    REMAINDER_LOW,
    number_of,
    text_of,
)
from leakledger.derived import TOTAL as D_TOTAL
from leakledger.intervals import Interval
from leakledger.model import CURRENCY, GENERATED_TAG, KINDS, METRICS, day_split, with_article
from leakledger.periods import Period, day_of, period_of
from leakledger.remainders import parts_meet

__all__ = [
    "Figure",
    "FIGURE_TYPE",
    "SUPERSEDED_BY",
    "STATUS",
    "REFINED",
    "TOTAL",
    "REFINES",
    "LOW",
    "HIGH",
    "POSTED_AS",
    "BREAKDOWNS",
    "Breakdown",
    "breakdown_checks",
    "Refinement",
    "Refinements",
    "kinds_of",
    "is_generated",
    "figure_of",
    "figure_amount",
    "transaction_figure",
    "states_range",
    "RANGE_KEYS",
    "figures_of",
    "refine",
    "period_start_error",
    "period_start_date",
    "metric_error",
    "metrics_posted",
    "posting_shape",
    "PostingShape",
    "read_metric",
    "breakdown_figures",
    "BREAKDOWN_METRICS",
    "breakdown_rest",
    "breakdown_sets",
    "narrowings",
]

#: `custom "figure" "METRIC" AMOUNT`: a figure kept in the books that does not post.
FIGURE_TYPE = "figure"
#: Metadata on a posting figure that a newer one replaces: the newer one's link.
SUPERSEDED_BY = "superseded-by"
#: `status:` of a figure that no longer posts itself: "superseded" or "refined".
STATUS = "status"
REFINED = "refined"
#: On a refined total: its amount, which its parts and remainder now post (the key a remainder names its total by).
TOTAL = D_TOTAL
#: On a part (as the books read it): the link of the total it refines.
REFINES = "refines"

#: The range a rounded figure stands for, as its source states it (13.07B: 13,065,000,000 to
#: 13,075,000,000). A figure without them is exact. `leakledger add` infers them from how the
#: amount is written (`amounts.stated_range`).
LOW = "low"
HIGH = "high"
#: Which point of a stated range the figure posts: "midpoint", "low" (the range is open above:
#: "at least 3.5B") or "high" (open below). Absent on a figure written as one number.
POSTED_AS = "posted-as"
#: The keys by which an entry may stand for a range: a figure's stated range, and the range a ranged
#: total's remainder takes from it (`leakledger.remainders`). An entry with none of them is exact.
#: `states_range` asks it; a per-entry loop may test `RANGE_KEYS.isdisjoint(meta)` itself, without the call.
RANGE_KEYS = frozenset({LOW, HIGH, POSTED_AS, REMAINDER_LOW, REMAINDER_HIGH})


def kinds_of(entry) -> list[str]:
    """The kind tags of a transaction, or the `kind:` of a record."""
    if isinstance(entry, data.Transaction):
        return [t for t in (entry.tags or ()) if t in KINDS]
    kind = text_of(entry.meta.get("kind")) if entry.meta else None  # `kind in KINDS` raises for an Amount
    return [kind] if kind in KINDS else []


def period_start_date(value) -> datetime.date | None:
    """`period-start:` as a date: a date, or text `YYYY-MM-DD` (as Fava's forms write it); `periods.day_of`."""
    return day_of(value)


def period_start_error(entry) -> str | None:
    """Why a figure's `period-start:` is missing or unusable, or None when it is fine."""
    start = entry.meta.get("period-start") if entry.meta else None
    if start is None:
        return (
            f"{with_article(str(entry.meta.get('metric', '')))} figure needs period-start: (its period's first day, YYYY-MM-DD); "
            f"without it the figure would read as one day"
        )
    day = period_start_date(start)
    if day is None:
        return f"period-start {start!r} must be a date (YYYY-MM-DD), the period's first day"
    if day > entry.date:
        return f"period-start {day} is after the entry's date {entry.date}: a figure is dated on its period's last day"
    return None


#: Each metric's accounts, and for each account the metrics that post to it: built once, read per figure.
_LEG_SETS = {name: frozenset(a for a, _ in m.legs) for name, m in METRICS.items()}
_METRICS_OF_ACCOUNT: dict[str, tuple[str, ...]] = {}
for _name, _legs in _LEG_SETS.items():
    for _account in _legs:
        _METRICS_OF_ACCOUNT[_account] = (*_METRICS_OF_ACCOUNT.get(_account, ()), _name)


class PostingShape:
    """What a list of accounts says of a figure: the metrics whose legs hold them all, and where each metric's
    first leg is among them (`figure_amount` reads those postings only, without comparing accounts)."""

    __slots__ = ("accounts", "metrics", "_firsts")

    def __init__(self, accounts: list[str]) -> None:
        self.accounts = accounts
        self.metrics = _metrics_holding(accounts)
        self._firsts: dict[str, tuple[tuple[int, ...], int]] = {}

    def first_leg(self, metric: str) -> tuple[tuple[int, ...], int]:
        """(the positions of the postings to `metric`'s first leg, that leg's sign)."""
        found = self._firsts.get(metric)
        if found is None:
            account, sign = METRICS[metric].legs[0]
            found = self._firsts[metric] = (tuple(i for i, a in enumerate(self.accounts) if a == account), sign)
        return found


_SHAPES: ByAccounts[PostingShape] = ByAccounts(PostingShape)


def posting_shape(entry: data.Transaction) -> PostingShape:
    """The shape of a transaction's accounts, found once per distinct list of accounts (figures share a handful)."""
    return _SHAPES(entry.postings)


def metrics_posted(entry: data.Transaction) -> tuple[str, ...]:
    """The metrics whose accounts hold every posting of a transaction (a figure written without `metric:`)."""
    return posting_shape(entry).metrics


def metrics_touched(entry) -> frozenset[str]:
    """The metrics whose income or expense legs a transaction posts to: what an entry that is no figure (a
    hand-written posting to OpenAI's inference) could move, through the shares and statements that read those
    accounts; its cash legs, which every metric shares, name none. Empty for any other entry."""
    if not isinstance(entry, data.Transaction):
        return frozenset()
    return frozenset(
        name
        for p in entry.postings
        if p.account.startswith(("Income:", "Expenses:"))
        for name in _METRICS_OF_ACCOUNT.get(p.account, ())
    )


def _metrics_holding(accounts: list[str]) -> tuple[str, ...]:
    """The metrics whose leg sets hold all of `accounts` (none for no accounts)."""
    if not accounts:
        return ()
    return tuple(name for name in _METRICS_OF_ACCOUNT.get(accounts[0], ()) if _LEG_SETS[name].issuperset(accounts))


def read_metric(entry, shape: PostingShape | None = None) -> tuple[str | None, str | None]:
    """(metric, problem) of a transaction that records a figure: `metric:`, else the one its accounts name.

    One read for what `metric_error` and `metrics_posted` say apart: the
    figures plugin calls it once per candidate figure, with its `posting_shape`.
    """
    if "metric" in entry.meta:
        metric = entry.meta["metric"]
        if metric not in METRICS:
            return None, f"unknown metric {metric!r}; known: {', '.join(METRICS)}"
        return metric, None
    found = (shape or posting_shape(entry)).metrics
    if len(found) > 1:
        return None, (
            f"this transaction has period-start: and posts to the accounts of {' and '.join(found)}: "
            f"say which figure it records with metric:"
        )
    return (found[0] if found else None), None


def metric_error(entry) -> str | None:
    """Why a transaction that records a figure cannot say which, or None."""
    return read_metric(entry)[1]


def is_generated(entry) -> bool:
    return isinstance(entry, data.Transaction) and GENERATED_TAG in (entry.tags or ())


@dataclass(slots=True, unsafe_hash=True)
class Figure:
    """One recorded total: which metric, over which period, how much, from whom.

    Slotted: the figures plugin makes one per figure, and each instance dict
    was one more object for the garbage collector to walk on large books.
    Not `frozen` (only `narrow` assigns to a Figure): a frozen dataclass sets each
    field through `object.__setattr__`, and made a Figure cost four times
    more, once per figure of every load. Hashed by value, as it was.
    """

    entry: data.Directive
    metric: str
    period: Period
    amount: Decimal | None
    kind: str | None
    posting: bool
    #: `interval`, once read: refinement reads it for every part, several times per load.
    _interval: Interval | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def links(self) -> frozenset:
        return getattr(self.entry, "links", None) or frozenset()

    @property
    def superseded_by(self) -> str | None:
        return self.entry.meta.get(SUPERSEDED_BY)

    @property
    def refined(self) -> bool:
        """A total its parts refine: it no longer posts, but it still counts."""
        return text_of(self.entry.meta.get(STATUS)) == REFINED

    @property
    def live(self) -> bool:
        """Whether the figure counts: it posts or is refined, and nothing supersedes it."""
        return (self.posting or self.refined) and not self.superseded_by

    @property
    def low(self) -> Decimal | None:
        """The least the figure stands for: `low:`, its amount when it is exact, None when the range is open below."""
        low = number_of(self.entry.meta.get(LOW))
        if low is None and text_of(self.entry.meta.get(POSTED_AS)) == "high":
            return None
        return low if low is not None else self.amount

    @property
    def high(self) -> Decimal | None:
        """The most the figure stands for: `high:`, its amount when it is exact, None when the range is open above."""
        high = number_of(self.entry.meta.get(HIGH))
        if high is None and text_of(self.entry.meta.get(POSTED_AS)) == "low":
            return None
        return high if high is not None else self.amount

    @property
    def interval(self) -> Interval | None:
        """The range the figure stands for (`leakledger.intervals`); None without an amount.

        Made once per figure; one that states no range (`states_range`) is its amount exactly.
        """
        found = self._interval
        if found is None and self.amount is not None:
            found = self._interval = (
                (_narrowed(self.entry.meta) or Interval(self.low, self.high))
                if self.states_range
                else Interval(self.amount, self.amount)
            )
        return found

    @property
    def pinned_by(self) -> str | None:
        """The record that pins the figure further than its stated range (`narrowed-by:`), if one does."""
        return text_of(self.entry.meta.get(NARROWED_BY))

    @property
    def stated_interval(self) -> Interval | None:
        """The range as the source states it, before any record pins it (`interval` is what the books allow)."""
        return Interval(self.low, self.high) if self.pinned_by and self.amount is not None else self.interval

    def narrow(self, interval: Interval, entry: data.Directive) -> None:
        """What the figure stands for, pinned further by a record over a longer period (`narrowings`), and its
        entry saying so: the figures plugin pins it before it works out the remainders the figure leaves."""
        self.entry, self._interval = entry, interval

    @property
    def states_range(self) -> bool:
        """Whether it may stand for a range (`states_range`); False: its interval is its amount exactly."""
        return states_range(self.entry)

    @property
    def stated(self) -> str:
        """The figure as a message writes it: its amount, and its range where it is rounded."""
        if self.amount is None:
            return "no amount"
        if self.low == self.amount == self.high:
            return f"{self.amount:,.2f}"
        low = "" if self.low is None else f"{self.low:,.2f}"
        high = "" if self.high is None else f"{self.high:,.2f}"
        return f"{self.amount:,.2f} ({low}..{high})"

    @property
    def cumulative(self) -> Decimal | None:
        return number_of(self.entry.meta.get("cumulative"))

    @property
    def cumulative_period(self) -> Period | None:
        start = day_of(self.entry.meta.get("cumulative-start"))
        if start is None or start > self.period.end:
            return None
        return Period(start, self.period.end)

    @property
    def source(self) -> str | None:
        """The source as text; a hand-written `source: 5` is none (integrity reports it at its line)."""
        return text_of(self.entry.meta.get("source"))

    @property
    def where(self) -> str:
        meta = self.entry.meta or {}
        return f"{meta.get('filename', '?')}:{meta.get('lineno', '?')}"

    @property
    def position(self) -> tuple:
        """Where it is written, for "the later one": file, then line (refine reads it only to break ties)."""
        meta = self.entry.meta or {}
        return (str(meta.get("filename", "")), meta.get("lineno", 0) or 0)


def states_range(entry) -> bool:
    """Whether an entry may stand for a range (it has one of `RANGE_KEYS`): False means exact.

    Readers that want only a figure's range ask this first: most line items
    state none, and a Figure made for each of them cost more than the plugins' own work.
    """
    meta = entry.meta
    return bool(meta) and not RANGE_KEYS.isdisjoint(meta)


def figure_amount(entry: data.Transaction, metric: str, shape: PostingShape | None = None) -> Decimal | None:
    """What a transaction posts as a figure of `metric`: the units on its metric's first leg."""
    postings = entry.postings
    positions, sign = (shape or posting_shape(entry)).first_leg(metric)
    total = None
    for i in positions:
        units = postings[i].units
        if units is not None:
            number = units.number
            assert number is not None, "booked postings and rendered figures carry their number"
            # the same sum as (total or 0) + sign * number, without a Decimal made for the 0 and the product
            total = (_ZERO if total is None else total) + (number if sign > 0 else -number)
    return total


_ZERO = Decimal(0)


def figure_of(entry) -> Figure | None:
    """The figure an entry records, or None if it records none."""
    if isinstance(entry, data.Transaction):
        metric = entry.meta.get("metric")
        if not isinstance(metric, str) or metric not in METRICS or is_generated(entry):
            return None
        kinds = kinds_of(entry)
        return transaction_figure(entry, metric, period_of(entry), kinds[0] if len(kinds) == 1 else None)
    if isinstance(entry, data.Custom) and entry.type == FIGURE_TYPE and entry.values:
        metric = entry.values[0].value
        amount = entry.values[1].value if len(entry.values) > 1 else None
        amount = getattr(amount, "number", amount)
        kinds = kinds_of(entry)
        return Figure(
            entry,
            str(metric),
            period_of(entry),
            amount if isinstance(amount, Decimal) else None,
            kinds[0] if kinds else None,
            False,
        )
    return None


def transaction_figure(
    entry: data.Transaction, metric: str, period: Period, kind: str | None, shape: PostingShape | None = None
) -> Figure:
    """The figure of a hand-written transaction whose metric, period and kind are read already.

    `figure_of` reads them itself; the figures plugin has read them once per
    figure before (and the kind once per tag set, the shape once per list of accounts), so it makes the Figure here.
    """
    meta = entry.meta
    if STATUS in meta and text_of(meta[STATUS]) == REFINED:
        return Figure(entry, metric, period, number_of(meta.get(TOTAL)), kind, False)
    return Figure(entry, metric, period, figure_amount(entry, metric, shape), kind, True)


def figures_of(entries) -> list[Figure]:
    return [f for f in map(figure_of, entries) if f is not None]


# --- refinement -------------------------------------------------------------

_ONE_DAY = datetime.timedelta(days=1)


def usd(number: Decimal | None) -> str:
    """An amount as messages and explain write it: 1,234,567.00 USD ("not recorded" where there is none)."""
    return f"{number:,.2f} {CURRENCY}" if number is not None else "not recorded"


def usd_amount(number: Decimal) -> Amount:
    """An amount as the plugins write it into postings and metadata: USD, to the cent."""
    return Amount(cents(number), CURRENCY)


def record_value(entry) -> object:
    """What a `custom "figure"` record states after its metric (an Amount, a bare number or text, as in
    `custom "figure" "accounting-method" "equity method by ..."`); None for a transaction, whose figure is the money
    it posts, and for a record that states nothing more."""
    if isinstance(entry, data.Custom) and len(entry.values) > 1:
        return entry.values[1].value
    return None


@dataclass
class Refinement:
    """A total and the figures directly inside it (its parts), by start.

    `recorded` and `gaps` are worked out once per set of parts (`refine`
    only appends parts; a load reads each several times, for every total).
    """

    total: Figure
    parts: list[Figure] = field(default_factory=list)
    _memo: tuple = field(default=(), repr=False, compare=False)

    def _worked_out(self) -> tuple:
        """(parts, how many, total, recorded, gaps), again only when the parts or the total changed."""
        memo, parts, total = self._memo, self.parts, self.total
        if memo and memo[0] is parts and memo[1] == len(parts) and memo[2] is total:
            return memo
        recorded = sum((p.amount or Decimal(0) for p in parts), Decimal(0))
        gaps, open_from, end = [], total.period.start, total.period.end
        for period in map(_PERIOD, sorted(parts, key=_BY_START)):
            if period.start > open_from:
                gaps.append(Period(open_from, period.start - _ONE_DAY))
            if period.end >= end:  # and 9999-12-31 has no next day
                break
            open_from = max(open_from, period.end + _ONE_DAY)
        else:
            gaps.append(Period(open_from, end))
        self._memo = memo = (parts, len(parts), total, recorded, tuple(gaps))
        return memo

    @property
    def recorded(self) -> Decimal:
        return self._worked_out()[3]

    @property
    def remainder(self) -> Decimal:
        return (self.total.amount or Decimal(0)) - self.recorded

    @property
    def gaps(self) -> list[Period]:
        """The days of the total that no part covers."""
        return list(self._worked_out()[4])

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def last_part(self) -> Figure:
        """The part that completes the set: the one written last."""
        return max(self.parts, key=lambda p: p.position)

    def remainder_pieces(self) -> list[tuple[Period, Decimal]]:
        """The remainder spread over the uncovered days, by days; the last gap takes the rest."""
        gaps = self.gaps
        return list(zip(gaps, day_split(self.remainder, [g.days for g in gaps]))) if gaps else []

    def problem(self) -> str | None:
        """Why the parts cannot refine the total, or None."""
        total, fig = self.total.amount or Decimal(0), self.total
        gaps = self.gaps
        if not gaps:
            if self.recorded != total and not parts_meet(self):  # within their stated ranges, they agree
                return (
                    f"{self._head()} cover it and add up to {usd(self.recorded)}, but the total at {fig.where} is "
                    f"{usd(total)}: difference {self.recorded - total:+,.2f} {CURRENCY}"
                )
            return None
        rest = self.remainder
        if (rest < 0 <= total) or (rest > 0 >= total):
            return (
                f"{self._head()} add up to {usd(self.recorded)}, more than the total {usd(total)} at {fig.where}: "
                f"the remainder over {', '.join(map(str, gaps))} would be {rest:+,.2f} {CURRENCY}"
            )
        return None

    def _head(self) -> str:
        """How a message names the parts: made only for a message (a quarter of days has ~90 labels)."""
        fig = self.total
        return f"the {fig.metric} parts of {fig.period} ({', '.join(str(p.period) for p in self.parts)})"


@dataclass
class Refinements:
    """What the refinement rule makes of a list of figures."""

    #: Totals with parts, by the total's id.
    totals: dict[int, Refinement] = field(default_factory=dict)
    #: For each part, the chain of totals it lies in, innermost first.
    ancestors: dict[int, list[Figure]] = field(default_factory=dict)
    #: (figure, message) for figures that overlap another without nesting or repeat its period.
    overlaps: list[tuple[Figure, str]] = field(default_factory=list)

    def problems(self) -> list[tuple[Figure, str]]:
        """Every error, at the figure it is reported on."""
        found = list(self.overlaps)
        for ref in self.totals.values():
            message = ref.problem()
            if message:
                found.append((ref.last_part, message))
        return found


def _overlap_message(later: Figure, earlier: Figure, same: bool) -> str:
    head = f"{later.metric} over {later.period} overlaps {earlier.metric} over {earlier.period} at {earlier.where}"
    if same:
        return (
            f"{head}: the same period would count twice; a correction supersedes the older figure "
            f"(leakledger add --supersede, or {SUPERSEDED_BY}: on the older)"
        )
    return (
        f"{head} and neither lies inside the other: it would count twice; record figures that nest "
        f"(a month in a quarter in a year) or supersede one"
    )


_BY_START = operator.attrgetter("period.start")
_BY_END = operator.attrgetter("period.end")
_PERIOD = operator.attrgetter("period")
_SPAN = operator.attrgetter("period.start", "period.end")  # a (start, end) tuple, made in C


def _ties_by_position(figs: list[Figure]) -> None:
    """Sort each run of one period in place by where it is written (the sort key reads no position: ties are rare)."""
    run_from, last = 0, None
    for n, span in enumerate(map(_SPAN, figs)):
        if span != last:
            if n - run_from > 1:
                figs[run_from:n] = sorted(figs[run_from:n], key=lambda f: f.position)
            run_from, last = n, span
    if len(figs) - run_from > 1:
        figs[run_from:] = sorted(figs[run_from:], key=lambda f: f.position)


def _start_then_longest(figs: list[Figure]) -> None:
    """Sort in place by start, the longest first, then by where each is written.

    Two stable sorts on C-level keys (end descending, then start), not a
    Python key per figure; only ties of one period read their positions.
    """
    figs.sort(key=_BY_END, reverse=True)  # stable: ties keep the order they came in
    figs.sort(key=_BY_START)
    _ties_by_position(figs)


def refine(figures) -> Refinements:
    """Nest the live figures of each metric: totals, their parts, and the overlaps that do not nest.

    A sweep per metric over the figures sorted by start (longest first) with
    a stack of the totals that contain the current day: O(n log n). The parts
    of one total share one ancestors list (readers only read it).
    """
    out = Refinements()
    totals, ancestors = out.totals, out.ancestors
    chain_of: dict[int, list[Figure]] = {}  # id(total) -> the total and its totals, innermost first
    by_metric: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        if fig.amount is not None and fig.live:
            by_metric[fig.metric].append(fig)
    for figs in by_metric.values():
        _start_then_longest(figs)
        stack: list[Figure] = []
        ends: list[datetime.date] = []  # the stack's ends, read without an attribute chain per step
        for fig in figs:
            period = fig.period
            start, end = period.start, period.end
            while ends and ends[-1] < start:
                stack.pop()
                ends.pop()
            if stack:
                parent = stack[-1]
                top = parent.period
                if not (top.start <= start and end <= top.end) or (top.start == start and top.end == end):
                    later, earlier = (fig, parent) if fig.position >= parent.position else (parent, fig)
                    out.overlaps.append((later, _overlap_message(later, earlier, top == period)))
                    continue
                key = id(parent)
                ref = totals.get(key)
                if ref is None:  # a total's parts share its chain of totals: made once, when it gets its first part
                    ref = totals[key] = Refinement(parent)
                    chain_of[key] = [parent, *ancestors.get(key, ())]
                ref.parts.append(fig)
                ancestors[id(fig)] = chain_of[key]
            stack.append(fig)
            ends.append(end)
    return out


def _narrowed(meta) -> Interval | None:
    """The interval a record pinned a figure to (`narrowed-low:`/`narrowed-high:`), None where none did."""
    if NARROWED_BY not in meta:
        return None
    return Interval(number_of(meta.get(NARROWED_LOW)), number_of(meta.get(NARROWED_HIGH)))


#: The kinds of record that pin the books' own figures: the books' facts, not an outside report of them.
_PINNING_KINDS = frozenset({"leaked", "disclosed"})


def narrowings(records, figures) -> tuple[list[tuple[Figure, Interval, Figure]], list[tuple[Figure, str]]]:
    """Records that pin a ranged figure further: ([(figure, interval, record)], [(record, problem)]).

    A record (a non-posting figure of the books' own kinds) over a period the
    posting figures of its metric tile exactly, all of them exact but one, is
    that one's sum with the rest: the one stands for its own range and the
    record's less the others, both at once. Microsoft's nine months to
    2026-03-31 (a 5.9B gain, -5,950,000,000..-5,850,000,000) less 2025-Q3's
    4,100,000,000 and 2026-Q1's 19,000,000 leave 2025-Q4's "~10B" gain
    -10,069,000,000..-9,969,000,000, not -10.5B..-9.5B. Where the two cannot
    both hold, the record says so (a problem), and nothing is pinned.
    `figures`: the posting figures (refined totals and superseded ones left out).
    """
    wanted = [
        r
        for r in records
        if r.kind in _PINNING_KINDS
        and r.metric in METRICS
        and r.interval is not None
        and r.period.start < r.period.end
        and not r.superseded_by
        and r.entry.meta.get("expected") is not True
    ]
    if not wanted:
        return [], []
    by_metric: dict[str, list[Figure]] = defaultdict(list)
    metrics = {r.metric for r in wanted}
    for fig in figures:
        if fig.metric in metrics and fig.amount is not None:
            by_metric[fig.metric].append(fig)
    pinned, problems = [], []
    for record in wanted:
        inside = sorted(
            (f for f in by_metric[record.metric] if record.period.contains(f.period)), key=lambda f: f.period.start
        )
        if not _tiles(inside, record.period):
            continue
        ranged = [f for f in inside if f.interval is not None and not f.interval.is_exact]
        if len(ranged) != 1:
            continue
        one = ranged[0]
        others = sum((f.amount for f in inside if f is not one and f.amount is not None), Decimal(0))
        assert record.interval is not None and one.interval is not None
        allowed = record.interval - Interval.exact(others)
        if not allowed.meets(one.interval):
            problems.append(
                (
                    record,
                    f"{record.metric} over {record.period} {record.stated} cannot hold with the figures that make "
                    f"it up: {one.metric} over {one.period} {one.stated} and {others:,.2f} from the rest",
                )
            )
            continue
        narrowed = allowed.intersection(one.interval)
        if narrowed != one.interval:
            pinned.append((one, narrowed, record))
    return pinned, problems


def _tiles(figures: list[Figure], period: Period) -> bool:
    """Whether `figures` (sorted by start) cover every day of `period` once."""
    day = period.start
    for fig in figures:
        if fig.period.start != day:
            return False
        day = fig.period.end + _ONE_DAY
    return bool(figures) and day == period.end + _ONE_DAY


# --- breakdowns: a total over one period and the figures it is made of --------


@dataclass(frozen=True)
class Breakdown:
    """A total metric and the metrics its parts are, over the same period.

    `complete`: the parts are the whole total (costs = revenue + operating
    loss). Otherwise the parts are some of it, and the rest is the
    unitemized remainder (costs less R&D, cost of revenue and S&M).
    """

    total: str
    parts: tuple[str, ...]
    complete: bool
    rest: str  # what the remainder is, in words


BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown(
        "total-costs",
        ("research-and-development", "cost-of-revenue", "sales-and-marketing"),
        False,
        "costs the source does not itemize (general and administrative, other)",
    ),
    Breakdown("total-costs", ("revenue", "operating-loss"), True, ""),
    Breakdown(
        "payments-to-microsoft",
        ("payments-to-microsoft-research-and-development", "payments-to-microsoft-cost-of-revenue"),
        False,
        "payments the source's parts leave unexplained",
    ),
)


#: The metrics a breakdown names: the only figures `breakdown_checks` reads.
BREAKDOWN_METRICS = frozenset(m for bd in BREAKDOWNS for m in (bd.total, *bd.parts))


_BREAKDOWN_TOTALS = frozenset(bd.total for bd in BREAKDOWNS)


def _named_metric(entry):
    """The metric an entry names (`metric:` or a record's first value) without reading it further."""
    if isinstance(entry, data.Transaction):
        return entry.meta.get("metric")
    if isinstance(entry, data.Custom) and entry.type == FIGURE_TYPE and entry.values:
        return entry.values[0].value
    return None


def breakdown_figures(entries) -> list[Figure]:
    """The figures `breakdown_checks` reads: the totals a breakdown names, and the parts on a total's end day.

    A part counts only over its total's period, so one ending on another
    day is left unread: a Figure is made for a handful of entries, not for
    every figure of a breakdown's part metrics (revenue, in a large book).
    """
    candidates, ends = [], set()
    for e in entries:  # each entry's metric read once
        if e.__class__ is not data.Custom and e.meta.get("metric") not in BREAKDOWN_METRICS:
            continue
        m = _named_metric(e)
        if m.__class__ is str and m in BREAKDOWN_METRICS:
            candidates.append(e)
            if m in _BREAKDOWN_TOTALS:
                ends.add(e.date)
    if not ends:
        return []
    return [f for e in candidates if e.date in ends and (f := figure_of(e)) is not None]


def breakdown_sets(figures) -> list[tuple[Breakdown, Figure, list[Figure]]]:
    """Each total with the parts recorded over its period: (breakdown, total, parts); a complete breakdown only
    with every part. Where a period has several figures of a metric, the one the books count comes first."""
    by_key: dict[tuple[str, Period], list[Figure]] = defaultdict(list)
    for fig in figures:
        if fig.amount is not None and not fig.superseded_by and fig.kind is not None:
            by_key[(fig.metric, fig.period)].append(fig)
    for figs in by_key.values():  # a figure the books count before a record beside it
        figs.sort(key=lambda f: (not f.live, f.kind not in ("leaked", "disclosed"), f.position))
    out = []
    for bd in BREAKDOWNS:
        for (metric, period), totals in by_key.items():
            if metric != bd.total:
                continue
            have = [by_key[(m, period)][0] for m in bd.parts if (m, period) in by_key]
            if have and not (bd.complete and len(have) < len(bd.parts)) and totals[0].interval is not None:
                out.append((bd, totals[0], have))
    return out


def breakdown_rest(total: Figure, parts: list[Figure]) -> tuple[Decimal, Interval]:
    """A partial breakdown's rest, the total less its parts: at the point values, and as the range the
    figures' stated precision allows (an open end of any of them opens it)."""
    assert total.amount is not None and total.interval is not None
    point, ranged = _parts_sum(parts)
    return total.amount - point, total.interval - ranged


def _parts_sum(parts: list[Figure]) -> tuple[Decimal, Interval]:
    """The parts' sum at their point values, and as an interval (an open end of any part opens the sum's)."""
    point = sum((p.amount for p in parts if p.amount is not None), Decimal(0))
    return point, sum((p.interval for p in parts if p.interval is not None), Interval.exact(Decimal(0)))


def breakdown_checks(figures) -> list[tuple[Figure, str | None, str]]:
    """Each total with its parts over the same period: (total, problem or None, what the check found).

    A check passes when the ranges meet: the parts' least and most against
    the total's (a complete breakdown), or the parts' least not above the
    total's most (a partial one, whose rest is the remainder). Sources round
    (13.07B - 34.0B = -20.93B against a stated 20.92B), so the check does not
    fail on rounding; it says how far the point values differ.
    """
    out = []
    for bd, total, have in breakdown_sets(figures):
        period = total.period
        point, ranged = _parts_sum(have)
        names = " + ".join(f"{p.metric} {p.stated}" for p in have)
        head = f"{total.metric} over {period} {total.stated} at {total.where}"
        assert total.amount is not None and total.interval is not None
        if bd.complete:
            meets = ranged.meets(total.interval)
            found = f"{head} against {names} = {point:,.2f}: the point values differ by {point - total.amount:+,.2f}"
            problem = None if meets else f"{found}, beyond the precision the sources state"
            out.append((total, problem, found + ("; the ranges meet" if meets else "")))
        else:
            rest = total.amount - point
            found = f"{head}: {names}; the remainder {rest:,.2f} is {bd.rest}"
            # A partial breakdown's rest is at least zero: the parts' least may not pass the total's most.
            fits = ranged.low is None or total.interval.high is None or ranged.low <= total.interval.high
            problem = (
                None
                if fits
                else f"{head}: its parts {names} add up to {point:,.2f}, more than the total, beyond the "
                f"precision the sources state"
            )
            out.append((total, problem, found))
    return out
