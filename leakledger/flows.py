"""The money between the two companies, per period, as typed flows.

Every flow here is money (or an obligation) between two named parties, so
a period's figures map onto pairwise flows exactly:

- OpenAI to Microsoft: inference on Azure, training on Microsoft credits,
  OpenAI's 20% of its revenue;
- Microsoft to OpenAI: Microsoft's 20% of Bing and Azure OpenAI Service
  revenue, funding;
- the net payment, the cash that settles the two shares (OpenAI's 20% less
  Microsoft's 20%).

The amounts are the period table's (leakledger.reports, the numbers of
`leakledger report` and the Leak model page); funding and training, which
the table has no column for, are read from their figures. Each flow carries
its figure's `CellSources`, as the table's cells do, and each front end
makes its own link of them. Each flow says
what its amount is, from the model's own marks (`revenue_bound`, `covered`,
the books' errors in `suspect`), never by assumption: exact, a lower bound,
a range, or not known and why; and partial where its figures cover less
of the period than the row. A flow whose figures cover more than its period
(funding, known as totals since 2019) names each of them and is the range
from none to all of them; under a time filter (`window`), a flow whose
figures cover more than the window says so and what part of them may fall
in it. The pictures (leakledger.publish.flow_svg) and the tables draw from
this alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from leakledger import derived as D
from leakledger.book_index import BookIndex
from leakledger.figures import Figure
from leakledger.intervals import Interval
from leakledger.model import PAYMENT_METRIC
from leakledger.model_view import CellSources, linked
from leakledger.periods import Coverage, Period, Window
from leakledger.presentation import range_text
from leakledger.reports import NO_FIGURE_WHY, TOTAL_ROW, column_spans
from leakledger.suspect import rests_on, suspect_metrics
from leakledger.table_numbers import (
    INFERENCE_METRIC,
    MICROSOFT_BASE_METRICS,
    OPENAI_SHARE_CAPPED,
    REVENUE_METRIC,
    ends_text,
    missing,
    money,
    plain,
    running,
)

__all__ = [
    "EXACT",
    "LOWER",
    "RANGE",
    "UNKNOWN",
    "FLOW_ORDER",
    "Flow",
    "PeriodFlows",
    "period_flows",
]

OPENAI, MICROSOFT = "OpenAI", "Microsoft"

#: What an amount is.
EXACT = "exact"
LOWER = "lower bound"
RANGE = "range"
UNKNOWN = "not known"

#: The flows of every period, in the order they are drawn and listed.
FLOW_ORDER = ("inference", "training", "openai_share", "net_payment", "microsoft_share", "funding")

#: Each flow's label, payer and payee.
_PARTIES = {
    "inference": ("Inference on Azure", OPENAI, MICROSOFT),
    "training": ("Training on Microsoft credits", OPENAI, MICROSOFT),
    "openai_share": ("OpenAI's 20% of its revenue", OPENAI, MICROSOFT),
    "net_payment": ("Net payment (cash)", OPENAI, MICROSOFT),
    "microsoft_share": ("Microsoft's 20% of Bing and Azure OpenAI", MICROSOFT, OPENAI),
    "funding": ("Funding", MICROSOFT, OPENAI),
}
#: Flows the period table has no column for: key -> (metric, why there is no amount when none is recorded).
_FIGURE_FLOWS = {
    "training": (
        "training",
        "no amount is recorded: training is reported as paid mostly in Microsoft credits",
    ),
    "funding": ("investment", "no funding is recorded for the period"),
}
#: Flows that are period-table columns.
_COLUMNS = ("inference", "openai_share", "net_payment", "microsoft_share")
_BASE_UNRECORDED = "a Microsoft revenue base in force (Bing, Azure OpenAI Service) has no recorded figure"
#: The metrics whose ranged figures a flow's range may come from (a share: of revenue, or of a Microsoft base).
_RANGE_INPUTS = {"inference": (INFERENCE_METRIC,), "net_payment": (PAYMENT_METRIC,)}
#: The labels the pictures draw (the tables give the full ones).
SHORT = {
    "inference": "Inference on Azure",
    "training": "Training on credits",
    "openai_share": "OpenAI's 20%",
    "net_payment": "Net payment",
    "microsoft_share": "Microsoft's 20%",
    "funding": "Funding",
}


@dataclass(frozen=True)
class Flow:
    """One flow of one period: who pays whom, how much, and what that amount is."""

    key: str  # one of FLOW_ORDER
    label: str
    payer: str
    payee: str
    kind: str  # EXACT, LOWER, RANGE or UNKNOWN
    amount: Decimal | None  # the figure; a lower bound's bound; a range's low end; None if not known
    why: str  # what the amount is, in words
    high: Decimal | None = None  # a range's high end
    covers: str | None = None  # the span its figures cover, where less than the period (partial)
    column: str | None = None  # the period-table column it comes from
    sources: CellSources | None = None  # where its figure comes from (each front end links it its own way)
    withheld: bool = False  # the books' errors may make it wrong: shown, not drawn
    #: The figures over more than the period its amount is part of, named: none to all of them, so not drawn.
    part_of: str | None = None
    #: The days a time filter keeps, where less than the period; and, where the flow's figures cover more than
    #: them, that span and what part of the flow may fall in the window.
    window: str | None = None
    wider: str | None = None
    in_window: Interval | None = None

    @property
    def drawn(self) -> Decimal | None:
        """The width the picture gives it: the amount (a range: its high end); None: not drawn."""
        if self.withheld or self.kind == UNKNOWN or self.part_of:
            return None
        return self.high if self.kind == RANGE else self.amount

    @property
    def interval(self) -> Interval:
        """A known flow's amount as an interval: exact, a lower bound's [x, ∞), or a range."""
        assert self.amount is not None
        if self.kind == LOWER or (self.kind == RANGE and self.high is None):
            return Interval.at_least(self.amount)
        return Interval(self.amount, self.high) if self.kind == RANGE else Interval.exact(self.amount)

    @property
    def text(self) -> str:
        """The amount as the tables write it: "≥ 493,800,000", "1 – 2", "not known"."""
        if self.kind == UNKNOWN or self.amount is None:
            return "not known"
        if self.kind == LOWER:
            return f"≥ {running(self.amount)}"
        if self.kind == RANGE and self.high is not None:
            return f"{running(self.amount)} – {running(self.high)}"
        return running(self.amount)

    @property
    def what(self) -> str:
        """The kind, and partial where it covers less than its period, with why."""
        kind = f"{self.kind}; partial: figures for {self.covers} only" if self.covers else self.kind
        words = f"{kind}: {self.why}" if self.why else kind
        if self.wider and self.in_window is not None:
            part = ends_text(self.in_window.low, self.in_window.high)
            words += f"; covers {self.wider}, more than the window {self.window} the time filter keeps: the part in it is {part}"
        elif self.window and self.amount is None:
            words += f"; the time filter keeps {self.window} only"
        return f"{words} (may be wrong: the books have errors)" if self.withheld else words

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "from": self.payer,
            "to": self.payee,
            "kind": self.kind,
            "amount": plain(self.amount),
            "high": plain(self.high),
            "text": self.text,
            "covers": self.covers,
            "what": self.what,
            "column": self.column,
            "withheld": self.withheld,
            "part_of": self.part_of,
            "window": self.window,
            "wider": self.wider,
            "in_window": None if self.in_window is None else [plain(self.in_window.low), plain(self.in_window.high)],
        }


@dataclass(frozen=True)
class PeriodFlows:
    """The flows of one period row."""

    period: str
    start: datetime.date
    end: datetime.date
    covered: str | None  # the one span every amount of the row covers, where less than the period
    flows: list[Flow] = field(default_factory=list)

    def flow(self, key: str) -> Flow:
        return next(f for f in self.flows if f.key == key)

    def as_json(self) -> dict:
        return {
            "period": self.period,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "covered": self.covered,
            "flows": [f.as_json() for f in self.flows],
        }


def _flow(
    key: str,
    kind: str,
    amount: Decimal | None,
    why: str,
    *,
    covers: str | None = None,
    column: str | None = None,
    sources: CellSources | None = None,
    withheld: bool = False,
    high: Decimal | None = None,
    part_of: str | None = None,
) -> Flow:
    """A flow of `key`, its label and parties filled in."""
    label, payer, payee = _PARTIES[key]
    return Flow(key, label, payer, payee, kind, amount, why, high, covers, column, sources, withheld, part_of)


def _column_flow(row: dict, key: str, covers: str | None, based: bool = False, ranged: tuple[Figure, ...] = ()) -> Flow:
    """A flow read from a period-table column, typed from the row's own marks.

    `based`: a Microsoft revenue base (Bing, Azure OpenAI Service) is recorded
    in the row's period, so Microsoft's 20% is of it; without one, a Microsoft
    share the model holds was solved from OpenAI's 20% and the net payment.
    `ranged`: the period's figures stated as ranges, which a ranged flow names.
    """
    amount = money(row.get(key))
    lower = row.get("revenue_bound") == "lower"
    withheld = key in (row.get("suspect") or ())
    sources = (row.get("cell_sources") or {}).get(key)
    if amount is None:
        why = (  # the words every view gives a cell with no figure (reports.NO_FIGURE_WHY)
            f"{_BASE_UNRECORDED}, so its 20% is not known" if key == "microsoft_share" and lower else NO_FIGURE_WHY[key]
        )
        if key == "microsoft_share" and isinstance(row.get("microsoft_share_blank"), str):
            why = row["microsoft_share_blank"]  # the books' own note: 2025's needs a 2025-Q4 payment
        return _flow(key, UNKNOWN, None, why, column=key, sources=sources, withheld=withheld)
    kind, why = (
        EXACT,
        {
            "inference": "leaked; largely cash",
            "net_payment": "leaked; the cash that settles OpenAI's 20% less Microsoft's 20%",
            "openai_share": "20% of the revenue the net payment and Microsoft's 20% imply"
            if row.get("implied_revenue") is not None
            else "20% of OpenAI's recorded revenue",
            "microsoft_share": "20% of the Bing and Azure OpenAI Service revenue recorded" if based else _solved(row),
        }[key],
    )
    if key == "openai_share" and isinstance(capped := row.get(OPENAI_SHARE_CAPPED), str) and capped:
        why = capped  # held by a cap: min(share, what the cap leaves), exact once the share reaches it
    elif lower and key == "openai_share":
        kind, why = LOWER, f"20% of the implied revenue, itself a lower bound: {_BASE_UNRECORDED}"
    elif lower and key == "microsoft_share":
        kind, why = LOWER, f"{_BASE_UNRECORDED}: its 20% is not counted"
    low, high = row.get(f"{key}_low"), row.get(f"{key}_high")
    if not (missing(low) and missing(high)):  # the cell is a range (leakledger.reports: <column>_low/_high)
        floor = money(Decimal(0) if missing(low) else low)
        inputs = _RANGE_INPUTS.get(key) or _share_inputs(key, row.get("recorded_revenue") is not None, based)
        ranges = _ranged_words([f for f in ranged if f.metric in inputs])
        if missing(high):  # open above: at least its low end
            return _flow(
                key,
                LOWER,
                floor,
                f"{why}; at least this: {ranges}, one open above",
                covers=covers,
                column=key,
                sources=sources,
                withheld=withheld,
            )
        return _flow(
            key,
            RANGE,
            floor,
            f"{why}; {ranges}",
            covers=covers,
            column=key,
            sources=sources,
            withheld=withheld,
            high=money(high),
        )
    return _flow(key, kind, amount, why, covers=covers, column=key, sources=sources, withheld=withheld)


def _share_inputs(key: str, recorded: bool, based: bool) -> tuple[str, ...]:
    """The metrics whose stated ranges a ranged share moves with."""
    if key == "openai_share":  # of recorded revenue; else of the revenue implied from the payment and the bases
        return (REVENUE_METRIC,) if recorded else (PAYMENT_METRIC, *MICROSOFT_BASE_METRICS)
    # a recorded base's 20%; else solved, 0.2 x R − N: OpenAI's 20% of the recorded revenue less the payments
    return MICROSOFT_BASE_METRICS if based else (REVENUE_METRIC, PAYMENT_METRIC)


def _ranged_words(figures: list[Figure]) -> str:
    """What a ranged flow's range comes from: each ranged figure with the range it stands for."""
    if not figures:
        return "a range, as its inputs are"
    named = [
        f"{f.metric} {f.period.label} {running(f.amount or Decimal(0))} stands for {range_text(f.interval)}"
        + (f" ({f.kind})" if f.kind == "assumed" else "")
        for f in figures[:3]
    ]
    more = f"; and {len(figures) - 3} more ranged figures" if len(figures) > 3 else ""
    return "a range, as its inputs are: " + "; ".join(named) + more


def _solved(row: dict) -> str:
    """Why a Microsoft share with no recorded base is what it is: OpenAI's 20% less the net payment."""
    ours, net, theirs = (row.get(k) for k in ("openai_share", "net_payment", "microsoft_share"))
    if ours is not None and net is not None and ours - net == theirs:
        return f"solved: OpenAI's 20% less the net payment, {running(ours)} - {running(net)}"
    return "solved by the model from OpenAI's 20% and the net payment"


@dataclass(frozen=True)
class _Piece:
    """What the books post of a metric over one span: a figure, or the remainder of a refined total."""

    span: Period
    amount: Interval
    words: str  # how a flow names it


def _pieces(index: BookIndex, metric: str) -> Window:
    """Every piece the books post of `metric` (no day twice), by start: the figures that post, and what
    a refined total leaves over the days its parts miss (11.8B by 2026-03-31 less 11.6B by 2025-09-30)."""
    figures = [f for f in index.live_figures if f.metric == metric and f.amount is not None]
    totals = {f.period.label: f for f in figures if f.refined}
    pieces = [
        _Piece(f.period, f.interval or Interval.exact(f.amount), f"{running(f.amount)} over {f.period}")
        for f in figures
        if f.posting and f.amount is not None
    ]
    for rest in index.of_rule(D.RULE_REMAINDER):
        if rest.metric != metric or rest.remainder is None or rest.period_start is None:
            continue
        span, total = Period(rest.period_start, rest.entry.date), totals.get(rest.total_period or "")
        of = (
            f"{running(total.amount or Decimal(0))} over {total.period}"
            if total
            else f"the total of {rest.total_period}"
        )
        amount = rest.remainder_interval or Interval.exact(rest.remainder)
        pieces.append(_Piece(span, amount, f"{running(rest.remainder)} over {span.label} (the rest of {of})"))
    return Window(pieces, lambda p: p.span.start)


def _part_in(pieces: list[_Piece], span: Period) -> Interval:
    """What `pieces` (each overlapping `span`) put in it: a piece inside it all of itself, a piece over more
    than it none to all of itself (its dates are not known)."""
    return sum(
        (p.amount if span.contains(p.span) else p.amount.none_to_all() for p in pieces), Interval.exact(Decimal(0))
    )


def _figure_flow(
    key: str, figures: Window, pieces: Window, period: Period, withheld: bool, window: Period | None
) -> Flow:
    """Funding or training over a period, from what the books post of its metric (on every day: a time
    filter's `window`, where less than the period, is read against them).

    A figure over a longer span than the period (funding known only as a
    total since 2019) says nothing of how much of it falls in the period:
    the flow names it and is the range from none to all of it, not drawn.
    """
    flow = _period_figure_flow(key, figures, pieces, period, withheld)
    if window is None or window.contains(period) or not window.overlaps(period):
        return flow
    cut = Period(max(window.start, period.start), min(window.end, period.end))
    inside = [p for p in pieces.upto(cut.end) if p.span.overlaps(cut)]
    if not inside or all(cut.contains(p.span) for p in inside):
        return replace(flow, window=window.label)
    span = Period(min(p.span.start for p in inside), max(p.span.end for p in inside))
    return replace(flow, window=window.label, wider=span.label, in_window=_part_in(inside, cut))


def _period_figure_flow(key: str, figures: Window, pieces: Window, period: Period, withheld: bool) -> Flow:
    """Funding or training over the whole of a period (`_figure_flow`)."""
    metric, none = _FIGURE_FLOWS[key]
    # those starting by the period's end, in the books' order (as the sources and the first kind are read)
    mine = [f for f in figures.upto(period.end) if f.period.overlaps(period)]
    posted = [p for p in pieces.upto(period.end) if p.span.overlaps(period)]
    if not posted:  # nothing to withhold, as a blank cell of the period table is never marked
        return _flow(key, UNKNOWN, None, none)
    sources = linked(mine)
    across = [p for p in posted if not period.contains(p.span)]
    part = _part_in(posted, period)
    if across:
        named = "; ".join(p.words for p in posted)
        over = f"{'each' if len(across) > 1 else 'it'} covers more than {period.label}, on days not known"
        why = f"recorded as {named}; {over}: the part in {period.label} is {ends_text(part.low, part.high)}"
        kind, low, high = _kind_of(part)
        return _flow(key, kind, low, why, sources=sources, withheld=withheld, high=high, part_of=named)
    # Pieces inside the period: exact for the days they cover, partial where they miss some.
    covered = Period(min(p.span.start for p in posted), max(p.span.end for p in posted))
    gaps = sum(p.span.days for p in posted) < period.days
    kind, low, high = _kind_of(part)
    why = (mine[0].kind or "recorded") if mine and not gaps else "the figures recorded within the period"
    return _flow(
        key, kind, low, why, covers=covered.label if gaps else None, sources=sources, withheld=withheld, high=high
    )


def _kind_of(interval: Interval) -> tuple[str, Decimal | None, Decimal | None]:
    """(kind, amount, high) of a flow that is `interval`."""
    if interval.is_exact:
        return EXACT, money(interval.low), None
    if interval.low is None:
        return UNKNOWN, None, None
    if interval.high is None:
        return LOWER, money(interval.low), None
    return RANGE, money(interval.low), money(interval.high)


def _windowed(flow: Flow, span: Period | None, window: Period) -> Flow:
    """`flow` read against the days a time filter keeps (less than its row's period): where its figures
    (over `span`) cover more than them, that span and the part of it that may fall in them."""
    if flow.amount is None or span is None or window.contains(span):
        return replace(flow, window=window.label)
    return replace(flow, window=window.label, wider=span.label, in_window=flow.interval.none_to_all())


def period_flows(
    rows: list[dict],
    index: BookIndex,
    *,
    errors: Iterable[Any] = (),
    window: Period | None = None,
    whole: BookIndex | None = None,
) -> list[PeriodFlows]:
    """The flows of each period row of a period table (the totals row left out).

    `rows` are the period table's rows (reports.period_rows, or the Leak
    model's, which carry `cell_sources` and `suspect`); `index` the same
    books as leakledger.book_index read them, for the flows the table has
    no column for; `errors` the books' errors (leakledger.suspect says which
    of those flows they make wrong). `window`: the days a time filter keeps
    (None: all), which each flow is read against; `whole`: the books on every
    day, where funding and training are read (a figure over more than the
    window is dated outside it: the filter drops it).
    """
    books = whole or index
    recorded = [f for f in books.live_figures if f.amount is not None]
    figures = {
        m: Window((f for f in recorded if f.metric == m), lambda f: f.period.start) for m, _ in _FIGURE_FLOWS.values()
    }
    pieces = {m: _pieces(books, m) for m, _ in _FIGURE_FLOWS.values()}
    suspect = suspect_metrics(errors)
    ranges = Window(
        (
            f
            for f in index.live_figures
            if f.amount is not None and f.posting and f.interval is not None and not f.interval.is_exact
        ),
        lambda f: f.period.start,
    )
    based = Coverage(
        f.period
        for f in index.live_figures
        if f.amount is not None and f.metric in MICROSOFT_BASE_METRICS and (f.posting or f.refined)
    )
    rows = [row for row in rows if row["period"] != TOTAL_ROW]
    periods = [Period(_day(row["start"]), _day(row["end"])) for row in rows]
    out = []
    for row, period, spans in zip(rows, periods, column_spans(index, periods)):
        touched = based.touches(period)
        ranged = tuple(f for f in ranges.within(period.start, period.end) if period.contains(f.period))
        flows = {key: _column_flow(row, key, _less(spans.get(key), period), touched, ranged) for key in _COLUMNS}
        if window is not None and not window.contains(period):
            flows = {key: _windowed(flow, spans.get(key) or period, window) for key, flow in flows.items()}
        flows.update(
            {
                key: _figure_flow(key, figures[metric], pieces[metric], period, rests_on((metric,), suspect), window)
                for key, (metric, _) in _FIGURE_FLOWS.items()
            }
        )
        listed = [flows[k] for k in FLOW_ORDER]
        # One span every amount of the row covers, where it is less than the period: the row says it once.
        partial = {f.covers for f in listed if f.amount is not None}
        covered = next(iter(partial)) if len(partial) == 1 else None
        out.append(PeriodFlows(row["period"], period.start, period.end, covered, listed))
    return out


def _less(span: Period | None, period: Period) -> str | None:
    """A column's span as a label where it covers less than its row's period, else None."""
    return span.label if span is not None and span != period else None


def _day(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
