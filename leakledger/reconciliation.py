"""The reconciliation: every source side by side, per metric and period, with the gaps.

Built in named stages over one `Reconciliation` (see STAGES): each stage
reads the figures and derived entries and fills cells, so a new comparison
is one more stage. Every stage that sets the books against an outside
figure sums the books' parts the same way (`tables.tiled_sum`): figures of
finer periods that tile the outside figure's period, the coarsest first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, TypedDict, cast

from beancount.core import data

from leakledger import derived as D
from leakledger.book_index import BookIndex, index_books
from leakledger.caps import CAP_METRIC, SAVINGS_METRIC, THROUGH, cap_rows
from leakledger.figures import Figure, breakdown_rest, breakdown_sets
from leakledger.intervals import Interval
from leakledger.knowledge import known_since
from leakledger.metadata import date_of, text_of
from leakledger.model import PAYMENT_METRIC, A, RuleBook, reconciling_base
from leakledger.periods import Period, Window, period_of
from leakledger.presentation import ratio_range_text
from leakledger.remainders import signed_like
from leakledger.table_numbers import (
    INFERENCE_METRIC,
    MICROSOFT_BASE_METRICS,
    REVENUE_METRIC,
    RUN_RATE_METRIC,
    ends_text,
    money,
    months,
    ratio_interval,
    running,
    span_text,
    tiled_sum,
)

__all__ = [
    "BOOK_KINDS",
    "COMPARED",
    "OUTSIDE_KINDS",
    "RECONCILE_COLUMNS",
    "RECONCILE_VALUES",
    "STAGES",
    "Reconciliation",
    "reconcile_table",
    "reconcile_rows",
    "range_columns",
    "reconcile_frame",
    "row_period",
    "ReconcileRow",
    "expectation_of",
    "metric_of",
    "solved_base_of",
]

#: The kinds a reconciliation sets side by side; "implied" is what the plugins derive.
RECONCILE_VALUES = ("leaked", "disclosed", "reported", "claimed", "assumed", "implied")
RECONCILE_COLUMNS = (
    "metric",
    "period",
    "start",
    "end",
    "unit",
    *RECONCILE_VALUES,
    "implied_bound",
    "gap",
    "reconciling_base",
    "implies",
    "sources",
)
#: Value columns that hold what the books post, in order of precedence, and
#: those that hold what outside sources say.
BOOK_KINDS = ("leaked", "disclosed", "assumed", "implied")
OUTSIDE_KINDS = ("reported", "claimed")
#: A reported figure of another metric set beside a metric, and what to call it.
COMPARED = {"cost-of-revenue": ("inference", "the reported figure is OpenAI's cost of revenue")}
#: A figure's metadata flag: its source gave it as what it expected, not as what happened.
EXPECTED = "expected"
#: How a row's note names such a figure (the timeline names it so too; it reads the fact: `expectation_of`).
EXPECTATION = "an expectation"
#: Beside a blank gap or reconciling base: what the cell is, then why ("not compared: no reported or claimed
#: figure ..."), so CSV and JSON say it as the pages do (presentation.blank_words reads it).
BLANK = "_blank"
#: What a row may hold beside a value column, in this order: the ends of its range; the metric of its figure
#: where that is not the row's (COMPARED: `reported_metric`); True where its source gave the figure as what it
#: expected (`reported_expected`); whether the reconciling base is solved, not an estimate
#: (`reconciling_base_solved`); why a gap or a base is blank (BLANK). Facts as columns: a reader never reads them
#: back out of `implies`.
BESIDE = ("_low", "_high", "_metric", "_expected", "_solved", BLANK)
#: The column that says whether a row's reconciling base is solved from recorded revenue and payments (True)
#: or an estimate that would square a reported revenue with them (False).
SOLVED = "reconciling_base_solved"
#: The order of the sections; other metrics follow by name.
SECTION_ORDER = (PAYMENT_METRIC, REVENUE_METRIC, RUN_RATE_METRIC, INFERENCE_METRIC, CAP_METRIC, SAVINGS_METRIC)


class ReconcileRow(TypedDict):
    """One row of the reconciliation (see `reconcile_table` for each column); None where there is no figure."""

    metric: str
    period: str
    start: datetime.date
    end: datetime.date
    unit: str
    leaked: Decimal | None
    disclosed: Decimal | None
    reported: Decimal | None
    claimed: Decimal | None
    assumed: Decimal | None
    implied: Decimal | None
    implied_bound: str | None
    gap: Decimal | None
    reconciling_base: Decimal | None
    implies: str | None
    sources: str | None


@dataclass
class Cell:
    """One (metric, period) row of the reconciliation, while it is built."""

    metric: str
    period: Period
    unit: str = "USD"
    values: dict = field(default_factory=dict)
    bound: str | None = None
    sources: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    #: A value's interval where it is a range (a figure's stated precision, a solved base's), by column.
    ranges: dict = field(default_factory=dict)
    #: What the notes say as facts, by column (`<kind>_metric`, `<kind>_expected`, SOLVED: see BESIDE).
    facts: dict = field(default_factory=dict)
    #: Why a revenue row has no reconciling base, where a stage knows (`_base_blank` words the rest).
    base_why: str | None = None

    def put(self, kind: str, amount: Decimal, source: str | None, what: str | None = None, interval=None) -> bool:
        """Put the row's `kind` value; False (and a note) where it has one already."""
        if kind in self.values:
            self.notes.append(f"also {kind}: {running(amount)} ({source or 'no source'})")
            return False
        self.values[kind] = amount
        if interval is not None and not interval.is_exact:
            self.ranges[kind] = interval
        if source and source not in self.sources:
            self.sources.append(source)
        if what:
            self.notes.append(what)
        return True

    def first(self, kinds) -> tuple[str, Decimal] | tuple[None, None]:
        """The first of `kinds` this row has a value of, and that value."""
        return next(((k, self.values[k]) for k in kinds if k in self.values), (None, None))


class Tiles:
    """(period, amount, item) triples sorted by start once: a period's tiling reads only what starts in it.

    `within(period)` gives the triples inside `period` in their given order,
    so `tiled_sum` of them is `tiled_sum` of them all (it takes, from each
    day, the first longest part), at the cost of what lies inside.
    """

    def __init__(self, triples: Iterable[tuple[Period, Decimal, Any]]) -> None:
        self._by_start = Window(triples, lambda t: t[0].start)

    def within(self, period: Period) -> list[tuple[Period, Decimal, Any]]:
        """The triples whose period lies inside `period`, in their given order."""
        return [t for t in self._by_start.within(period.start, period.end) if t[0].end <= period.end]

    def sum(self, period: Period) -> Decimal | None:
        """`tiled_sum` over `period` of the amounts inside it."""
        return tiled_sum([(p, amount) for p, amount, _ in self.within(period)], period)


@dataclass
class Implied:
    """OpenAI revenue the plugins derived over a period, and whether it is a lower bound."""

    period: Period
    revenue: Decimal
    lower: bool
    #: What the revenue stands for (`Derived.revenue_interval`): a range (the payment's and Microsoft's bases'
    #: stated ranges), open above for a lower bound, or exact.
    interval: Interval


@dataclass
class Reconciliation:
    """What the stages read (figures, implied revenue, rules) and the cells they fill."""

    book: RuleBook
    figures: list[Figure]
    implied: list[Implied]
    cells: dict[tuple[str, Period], Cell] = field(default_factory=dict)
    caps: list = field(default_factory=list)  # leakledger.caps.CapStatus, one per cap
    #: Microsoft's shares the plugins solved from recorded revenue and the net payments (derived.Derived).
    solved: list = field(default_factory=list)
    #: (period, why) where Microsoft's share is not known although OpenAI's revenue is recorded.
    not_known: list = field(default_factory=list)
    _posted: dict[tuple[tuple[str, ...], str | None], Tiles] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def of(cls, entries) -> Reconciliation:
        return cls.of_index(index_books(entries))

    @classmethod
    def of_index(cls, index: BookIndex) -> Reconciliation:
        """What the stages read, from the books read once."""
        implied = [
            Implied(period_of(d.entry), d.revenue, d.lower_bound, d.revenue_interval or Interval.exact(d.revenue))
            for d in index.of_rule(D.RULE_IMPLIED)
            if d.revenue is not None
        ]
        solved = [d for d in index.of_rule(D.RULE_SHARE) if d.solved]
        not_known = {(span, note.comment) for note, span in index.not_known}
        return cls(
            index.rules,
            index.live_figures,
            implied,
            caps=index.caps,
            solved=solved,
            not_known=sorted(not_known, key=lambda x: x[0].start),
        )

    def cell(self, metric: str, period: Period) -> Cell:
        key = (metric, period)
        if key not in self.cells:
            self.cells[key] = Cell(metric, period)
        return self.cells[key]

    def of_metric(self, metric: str) -> list[Cell]:
        return [c for (m, _), c in self.cells.items() if m == metric]

    def posting(self, metrics, kind: str | None = None) -> list[Figure]:
        """The figures of these metrics (of one kind, if given) that the books count.

        A refined total counts (its parts and remainder post it): where it
        and its parts both tile a period, `tiled_sum` takes the total.
        """
        return [
            f
            for f in self.figures
            if (f.posting or f.refined)
            and f.metric in metrics
            and f.amount is not None
            and (kind is None or f.kind == kind)
        ]

    def posted(self, metrics, kind: str | None = None) -> Tiles:
        """The posting figures of these metrics (of one kind, if given) as `Tiles`: made once per question."""
        key = (tuple(metrics), kind)
        if key not in self._posted:
            self._posted[key] = Tiles((f.period, _amount(f), f) for f in self.posting(metrics, kind))
        return self._posted[key]

    @cached_property
    def _implied(self) -> Tiles:
        return Tiles((i.period, i.revenue, i) for i in self.implied)

    def implied_over(self, period: Period) -> tuple[Decimal | None, bool]:
        """Revenue implied over exactly `period` (parts summed), and whether any part is a lower bound."""
        inside = self._implied.within(period)
        total = tiled_sum([(p, revenue) for p, revenue, _ in inside], period)
        lower = total is not None and any(i.lower for _, _, i in inside)
        return total, lower

    def implied_interval(self, period: Period) -> Interval | None:
        """What the revenue implied over exactly `period` stands for: its parts' intervals summed; None if none."""
        pairs = [(p, i.interval) for p, _, i in self._implied.within(period)]
        return tiled_sum(pairs, period, Interval.exact(Decimal(0)))

    def implied_range(self, period: Period, total: Decimal, lower: bool) -> Interval | None:
        """The interval of `implied_over(period)`, where it is a range other than "≥ total" alone (which
        `implied_bound` says); None where it is exact or that plain bound."""
        summed = self.implied_interval(period)
        if summed is None:
            return None
        interval = Interval(total if summed.low is None else summed.low, None if lower else summed.high)
        return None if interval.is_exact or (lower and interval.low == total) else interval


# --- the stages ------------------------------------------------------------


def place_figures(rec: Reconciliation) -> None:
    """Every figure in its (metric, period) row; a year-to-date figure also over its whole span."""
    for fig in rec.figures:
        if fig.amount is None or fig.kind is None or (fig.metric == SAVINGS_METRIC and rec.caps):
            continue  # a cap's reported savings sit in the cap's row (caps.cap_rows)
        metric, what = COMPARED.get(fig.metric, (fig.metric, None)) if fig.kind in OUTSIDE_KINDS else (fig.metric, None)
        about = row_period(fig)
        row = rec.cell(metric, about)
        if _is_ratio(fig):
            row.unit = "ratio"
        # each source side by side as it states its figure; what a longer record pins it to, in a note
        if row.put(fig.kind, fig.amount, fig.source, what, fig.stated_interval) and metric != fig.metric:
            row.facts[f"{fig.kind}_metric"] = fig.metric  # TI's cost of revenue beside inference: what it is
        if fig.pinned_by and fig.interval is not None:
            row.notes.append(
                f"the {fig.kind} figure is pinned to {ends_text(fig.interval.low, fig.interval.high)} by "
                f"{fig.pinned_by}, which it and exact figures make up"
            )
        if about != fig.period:
            row.notes.append(
                f"the {fig.kind} figure speaks of {about.label} (through: {about.end}): an outlook made on "
                f"{fig.entry.date}, not a level of that day"
            )
        if fig.entry.meta.get(EXPECTED) is True:
            row.facts[f"{fig.kind}_expected"] = True
            row.notes.append(
                f"the {fig.kind} figure is {EXPECTATION} for {fig.period} (expected: TRUE), not an outcome: its "
                f"source gave it on {known_since(fig.entry)} as what it expected then"
            )
        if text_of(fig.entry.meta.get(D.BOUND)) == D.LOWER or text_of(fig.entry.meta.get("qualifier")) == "more than":
            row.notes.append(f"the {fig.kind} figure is a lower bound (more than {running(fig.amount)})")
        if fig.cumulative is not None and fig.cumulative_period is not None:
            whole = rec.cell(fig.metric, fig.cumulative_period)
            if fig.kind not in whole.values:
                whole.put(
                    fig.kind,
                    fig.cumulative,
                    fig.source,
                    f"given as one figure; the books record it as increments, the last over {fig.period}",
                )


def _is_ratio(fig: Figure) -> bool:
    """A figure stated as a bare number (a stake, a margin, a rate), not an amount of money."""
    return isinstance(fig.entry, data.Custom) and not hasattr(fig.entry.values[1].value, "currency")


def row_period(fig: Figure) -> Period:
    """The period of a figure's row: its own, but a level reported ahead of time ("falls to about 10% by 2030",
    dated when reported since a report may not lie in the future) speaks of the year its `through:` closes.

    An amount through a later day (a cap's savings) is a total up to it, not a level: it keeps its own period.
    """
    through = date_of(fig.entry.meta.get(THROUGH))
    if through is None or through <= fig.period.end or not _is_ratio(fig):
        return fig.period
    return Period(datetime.date(through.year, 1, 1), through)


def sum_book_parts(rec: Reconciliation) -> None:
    """Where an outside figure has no book figure of its own period, the book figures that tile it.

    With 2025-H1 recorded as two quarters, the reported cost of revenue for
    2025-H1 still meets the leaked inference for 2025-H1: the quarters' sum.
    """
    for (metric, period), row in rec.cells.items():
        if row.first(OUTSIDE_KINDS)[0] is None or row.first(BOOK_KINDS)[0] is not None:
            continue
        for kind in BOOK_KINDS[:-1]:
            parts = [f for _, _, f in rec.posted((metric,), kind).within(period)]
            total = tiled_sum([(f.period, f.amount) for f in parts], period)
            if total is not None:
                row.values[kind] = total
                row.notes.append(f"{kind}: the sum of the {kind} figures within {period}")
                row.sources[:0] = [s for s in dict.fromkeys(f.source for f in parts) if s and s not in row.sources]
                break


def revenue_rows(rec: Reconciliation) -> None:
    """A revenue row for every implied revenue, and for every payment period (a year-to-date one too)."""
    for i in rec.implied:
        rec.cell(REVENUE_METRIC, i.period)
    # A payment that posts itself implies revenue over its own period; a total (refined, or
    # given year-to-date) implies the sum of its parts' over its whole span.
    posted_itself = {f.period for f in rec.figures if f.posting and f.metric == PAYMENT_METRIC}
    for row in rec.of_metric(PAYMENT_METRIC):
        if row.period not in posted_itself:
            rec.cell(REVENUE_METRIC, row.period)


def implied_revenue(rec: Reconciliation) -> None:
    """Each revenue row's implied revenue: the implied parts that tile its period."""
    for row in rec.of_metric(REVENUE_METRIC):
        total, lower = rec.implied_over(row.period)
        if total is not None:
            row.values["implied"] = total
            row.bound = D.LOWER if lower else None
            if (stated := rec.implied_range(row.period, total, lower)) is not None:
                row.ranges["implied"] = stated


def microsoft_base(rec: Reconciliation) -> None:
    """For reported revenue: the Microsoft revenue base that squares it with the net payment."""
    payments = rec.posted((PAYMENT_METRIC,))
    for row in rec.of_metric(REVENUE_METRIC):
        period, reported = row.period, row.values.get("reported")
        if any(k in row.values for k in ("leaked", "disclosed")):
            continue  # the books record the revenue: Microsoft's side is solved (solved_base), not estimated
        payment = payments.sum(period)
        if reported is not None and payment is None:
            row.base_why = "not known: no net payment is recorded over the period to square the reported revenue with"
        if reported is None or payment is None:
            if row.bound == D.LOWER:
                row.notes.append(
                    "lower bound: a Microsoft revenue base (Bing, Azure OpenAI Service) in force "
                    "has no recorded figure, so its 20% is not counted"
                )
            continue
        oai_rate = rec.book.rate_at(A.OAI_REVENUE, period.end)
        ms_rate = rec.book.payer_rate_at("Microsoft", period.end)
        if oai_rate <= 0 or ms_rate <= 0:
            row.base_why = "not applicable: no 20% share is in force each way at the period's end"
            continue
        base = reconciling_base(reported, payment, oai_rate, ms_rate)
        row.values["reconciling_base"] = base
        row.facts[SOLVED] = False
        text = (
            f"a Microsoft revenue base (Bing + Azure OpenAI Service) of {running(base)} would reconcile "
            f"the reported revenue with the net payment: ({oai_rate} x {running(reported)} - {running(payment)})"
            f" / {ms_rate}"
        )
        stated = row.ranges.get("reported")
        if stated is not None and stated.low is not None and stated.high is not None:  # "about 3.7B": its range
            low, high = (reconciling_base(end, payment, oai_rate, ms_rate) for end in (stated.low, stated.high))
            row.ranges["reconciling_base"] = Interval(low, high)
            text += f"; to the precision of the reported revenue as stated: {span_text(low, high)}"
        recorded = rec.posted(MICROSOFT_BASE_METRICS).sum(period)
        if recorded is not None:
            text += f"; the books record {running(recorded)}"
        row.notes.append(text)


def solved_base(rec: Reconciliation) -> None:
    """Where the books record OpenAI's revenue: the Microsoft base they solve, or why it is not known."""
    for d in rec.solved:
        row = rec.cell(REVENUE_METRIC, period_of(d.entry))
        base = d.base_interval  # a range, or open above where the revenue is stated "at least"
        if d.base is not None:
            row.values["reconciling_base"] = d.base
            row.facts[SOLVED] = True
            if base is not None and not base.is_exact:
                row.ranges["reconciling_base"] = base
        else:
            row.base_why = (
                "not known: Microsoft's rate changes in the period, so the base it applies to is not solvable"
            )
        # the base is the share over the rate: "246,200,000 / 0.20 = 1,231,000,000" (it read "1,231,000,000 / 0.20")
        rate = f"{running(d.share)} / {d.rate} = " if d.rate is not None and d.share is not None else ""
        openai_share = _number(d.entry.meta.get(D.OPENAI_SHARE))
        assert openai_share is not None, "the shares plugin writes openai-share: on each share it solves"
        # a revenue stated as "at least" leaves each solved amount at least what the books post: said so
        least = "at least " if base is not None and base.low is not None and base.high is None else ""
        text = (
            f"solved, not estimated: the revenue and the net payments are both recorded, so Microsoft's share is "
            f"{least}{running(d.share)} (OpenAI's share, {least}{running(openai_share)}, less the "
            f"payments {running(d.payment)}"
            + (f" and the {running(d.microsoft_share)} its recorded bases accrue" if d.microsoft_share else "")
            + f") and the Microsoft base it applies to ({_bases(d.base_account)}) is "
            + (
                f"{rate}{least}{running(d.base)}"
                if d.base is not None
                else "not solvable (its rate changes in the period)"
            )
        )
        if base is not None and not base.is_exact and base.low is not None:  # the plugin writes base-low: always
            if base.high is not None:
                stated = span_text(base.low, base.high)
                text += f"; exact given the rate, to the precision of {d.base_moved_by} as stated: {stated}"
                if d.base_cut is not None:
                    text += (
                        f" (cut at 0: at the far ends of the figures' stated ranges the payments leave it "
                        f"{running(d.base_cut)}, less than nothing, so those ends cannot all hold at once)"
                    )
            else:
                text += f"; a lower bound, as the revenue is stated as at least an amount: ≥ {running(base.low)}"
        row.notes.append(text)
    for period, why in rec.not_known:
        row = rec.cell(REVENUE_METRIC, period)
        row.notes.append(why)
        row.base_why = (
            "not known: Microsoft's share over the period cannot be solved, so nor can its base (see the note)"
        )


def _bases(accounts: str | None) -> str:
    """`Income:Microsoft:Bing, Income:Microsoft:AzureOpenAIService` as `Bing + AzureOpenAIService`."""
    return " + ".join(a.strip().rsplit(":", 1)[-1] for a in (accounts or "").split(",") if a.strip())


def _amount(fig: Figure) -> Decimal:
    """The amount of a figure the caller kept because it has one."""
    assert fig.amount is not None, "kept only figures with an amount"
    return fig.amount


def _number(value) -> Decimal | None:
    return D.number_of(value)


#: Figures of different metrics from different sources that speak of the same money and do not
#: agree: (metric, metric, why they may differ). `sources_disagree` marks each pair side by side.
_WHY_COST = (
    "the first leak's inference on Azure and the second leak's audited cost of revenue classify differently "
    "(some inference may sit in R&D, which holds 10,590,000,000 of 2025's payments to Microsoft), so neither "
    "replaces the other: the books keep both"
)
DISAGREEMENTS = (
    (INFERENCE_METRIC, "cost-of-revenue", _WHY_COST),
    (
        INFERENCE_METRIC,
        "payments-to-microsoft-cost-of-revenue",
        "the first leak's inference on Azure and the second leak's cost of revenue paid to Microsoft classify "
        "differently (some inference may sit in R&D, which holds 10,590,000,000 of 2025's payments to "
        "Microsoft), so neither replaces the other: the books keep both",
    ),
)
DISAGREE = "sources disagree"


def sources_disagree(rec: Reconciliation) -> None:
    """Each pair of DISAGREEMENTS over overlapping periods where the shorter period has the larger figure."""
    for one, other, why in DISAGREEMENTS:
        firsts = [f for f in rec.figures if f.metric == one and f.amount is not None and f.kind in BOOK_KINDS]
        # Figures the books hold as fact on both sides: a reported figure is set beside its metric instead.
        seconds = [f for f in rec.figures if f.metric == other and f.amount is not None and f.kind in BOOK_KINDS]
        for a, b in _nested_pairs(firsts, seconds):
            short, long_ = (a, b) if a.period.days <= b.period.days else (b, a)
            if _amount(short) > _amount(long_):
                for fig, against in ((a, b), (b, a)):
                    rec.cell(fig.metric, fig.period).notes.append(
                        f"{DISAGREE}: {fig.metric} {running(_amount(fig))} over {fig.period} against "
                        f"{against.metric} {running(_amount(against))} over {against.period} ({against.source}): "
                        f"the shorter period has the larger figure; {why}"
                    )


def _nested_pairs(firsts: list[Figure], seconds: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Each (first, second) where one's period holds the other's and they differ, in the lists' order.

    Read through `Tiles` both ways (what lies inside each), not every first against every second.
    """
    inside_seconds = Tiles((f.period, _amount(f), j) for j, f in enumerate(seconds))
    inside_firsts = Tiles((f.period, _amount(f), i) for i, f in enumerate(firsts))
    pairs = {(i, j) for i, a in enumerate(firsts) for p, _, j in inside_seconds.within(a.period) if p != a.period}
    pairs |= {(i, j) for j, b in enumerate(seconds) for p, _, i in inside_firsts.within(b.period) if p != b.period}
    return [(firsts[i], seconds[j]) for i, j in sorted(pairs)]


def inference_against_revenue(rec: Reconciliation) -> None:
    """Inference spend against the revenue implied over the same period."""
    for row in rec.of_metric(INFERENCE_METRIC):
        spend = row.values.get("leaked")
        revenue = rec.implied_interval(row.period) if spend is not None else None
        if spend is None or revenue is None:
            continue
        times = ratio_interval(_interval(row.ranges, "leaked", spend), revenue)
        if times is not None:
            row.notes.append(
                f"inference is {ratio_range_text(times)} the revenue implied for {row.period}"
                + (" (that revenue is a lower bound)" if revenue.high is None else "")
            )


def run_rate(rec: Reconciliation) -> None:
    """A claimed run rate against the latest period's implied revenue, annualized."""
    whole_months = [i for i in rec.implied if months(i.period)]
    if not whole_months:
        return
    latest = max(whole_months, key=lambda i: (i.period.end, i.period.start))
    latest_months = months(latest.period)
    assert latest_months, "whole_months keeps only periods of whole months"
    factor = Decimal(12) / Decimal(latest_months)
    for row in rec.of_metric(RUN_RATE_METRIC):
        row.values["implied"] = latest.revenue * factor
        row.bound = D.LOWER if latest.lower else None
        stated = latest.interval.times(factor)
        if not stated.is_exact and not (latest.lower and latest.interval.low == latest.revenue):
            row.ranges["implied"] = stated  # the revenue's own range, annualized ("≥" at its low end)
        row.notes.append(
            f"implied: the revenue implied for {latest.period} annualized, "
            f"{running(latest.revenue)} x {running(factor)}"
        )


def breakdown_rests(rec: Reconciliation) -> None:
    """What a total's parts leave, on the total's row: 2025's payments to Microsoft (17.2B) are given as
    10,590,000,000 in R&D and 6,047,000,000 in cost of revenue, so 513,000,000..613,000,000 of the headline is
    unexplained. The rest is the range the figures' stated precision allows, kept to the total's sign."""
    for bd, total, parts in breakdown_sets(rec.figures):
        if bd.complete or total.amount is None or total.interval is None:
            continue
        point, rest = breakdown_rest(total, parts)
        rest = signed_like(total.interval, rest)
        named = [f"{p.metric} {running(_amount(p))}" for p in parts]
        names = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
        at = "" if rest.is_exact else f" ({running(point)} at the total's {running(total.amount)})"
        rec.cell(total.metric, row_period(total)).notes.append(
            f"its parts, {names}, add up to {running(total.amount - point)}; the rest, "
            f"{ends_text(rest.low, rest.high)}{at}, is {bd.rest}"
        )


#: The stages, in order; each fills cells the later ones may read.
STAGES: list[Callable[[Reconciliation], None]] = [
    place_figures,
    sum_book_parts,
    revenue_rows,
    implied_revenue,
    microsoft_base,
    solved_base,
    sources_disagree,
    breakdown_rests,
    inference_against_revenue,
    run_rate,
    cap_rows,
]


# --- the table -------------------------------------------------------------


def _record(row: Cell) -> ReconcileRow:
    """One row of the table: the values, the gap (outside minus books) and what it implies."""
    values = row.values
    inside_kind, inside = row.first(BOOK_KINDS)
    outside_kind, outside = row.first(OUTSIDE_KINDS)
    gap = outside - inside if inside is not None and outside is not None else None
    ranges = dict(row.ranges)
    # what each value stands for: its range, else "≥ x" where the implied is a lower bound (the table says so in
    # implied_bound, not in range columns), else exact; the gap and the ratio over a bound are bounds too
    intervals = dict(ranges)
    if inside_kind == "implied" and row.bound == D.LOWER and inside_kind not in ranges and inside is not None:
        intervals[inside_kind] = Interval.at_least(inside)
    notes = list(row.notes)
    if outside is not None and inside is not None and (outside_kind in intervals or inside_kind in intervals):
        # the gap between two stated figures spans what their precisions allow ("3.7B" less "3.65B..3.75B": ±50M)
        ranges["gap"] = _interval(intervals, outside_kind, outside) - _interval(intervals, inside_kind, inside)
        if ranges["gap"].low is None and ranges["gap"].high is None:  # a lower bound less a lower bound
            gap = None
            del ranges["gap"]
            notes.append(
                f"the gap is not known: the {outside_kind} and the {inside_kind} figures are both lower bounds"
            )
    if gap is not None and inside and outside:
        sides = [(outside_kind, outside), (inside_kind, inside)]
        (high, big), (low, small) = sorted(sides, key=lambda side: abs(side[1]), reverse=True)  # stable: outside first
        notes += _ratio_note(high, _interval(intervals, high, big), low, _interval(intervals, low, small))
    exact = money if row.unit == "USD" else (lambda v: v)
    record: dict[str, Any] = {
        "metric": row.metric,
        "period": row.period.label,
        "start": row.period.start,
        "end": row.period.end,
        "unit": row.unit,
        **{k: exact(values.get(k)) for k in RECONCILE_VALUES},
        "implied_bound": row.bound,
        "gap": exact(gap),
        "reconciling_base": money(values.get("reconciling_base")),
        "implies": "; ".join(notes) or None,
        "sources": "; ".join(row.sources) or None,
    }
    for column, interval in ranges.items():  # beside each ranged value: <column>_low, <column>_high ("about 27%" too)
        record[f"{column}_low"], record[f"{column}_high"] = exact(interval.low), exact(interval.high)
    record.update(row.facts)
    if gap is None and (why := _gap_blank(inside_kind, outside_kind)):
        record["gap" + BLANK] = why
    if row.metric == REVENUE_METRIC and values.get("reconciling_base") is None:
        record["reconciling_base" + BLANK] = row.base_why or _base_blank(values)
    return cast(ReconcileRow, record)


def _gap_blank(inside: str | None, outside: str | None) -> str | None:
    """Why a row's gap is blank ("WORDS: why"), from the kinds of its first book and outside figures (both there:
    the gap of two lower bounds)."""
    if inside and outside:
        return f"not known: the {outside} and the {inside} figures are both lower bounds"
    if outside:
        return f"not compared: no leaked, disclosed, assumed or implied figure to set the {outside} figure against"
    if inside:
        return f"not compared: no reported or claimed figure to set the {inside} figure against"
    return None


def _base_blank(values: dict) -> str:
    """Why a revenue row has no reconciling base where no stage said: the revenue is recorded, or not reported."""
    if any(values.get(kind) is not None for kind in ("leaked", "disclosed")):
        return "not known: OpenAI's revenue is recorded, but the books solve no Microsoft base for the period"
    return "not estimated: no revenue is reported for the period to square with the net payments"


def expectation_of(row: Any, kind: str) -> bool:
    """Whether the row's `kind` figure is one its source gave as what it expected, not an outcome."""
    return row.get(f"{kind}_expected") is True


def metric_of(row: Any, kind: str) -> str:
    """The metric of the row's `kind` figure: the row's, or that of an outside figure set beside it (COMPARED)."""
    return str(row.get(f"{kind}_metric") or row["metric"])


def solved_base_of(row: Any) -> bool:
    """Whether the row's reconciling base is solved from recorded revenue and payments, not an estimate."""
    return row.get(SOLVED) is True


def _ratio_note(high: str | None, over: Interval, low: str | None, under: Interval) -> list[str]:
    """The larger side over the smaller, as what it is: "leaked is 2.01x reported", "≤ 11.37x" over a lower
    bound, "0.97x–1.03x" over a range; none where a ratio says nothing (sides of opposite signs, both bounds below)."""
    if (over.high is not None and over.high <= 0) and (under.high is not None and under.high <= 0):
        over, under = -over, -under  # two losses: the ratio of their sizes
    if over.low is None or over.low < 0 or under.low is None or under.low <= 0:
        return []  # a side that may be negative or zero: no ratio holds across it
    interval = ratio_interval(over, under)
    return [] if interval is None else [f"{high} is {ratio_range_text(interval)} {low}"]


def reconcile_table(entries, options_map=None):
    """The sources side by side, per metric and period, with the gap and what it implies.

    Columns (stable; the Fava extension and the published site read them):
      metric            the figure's metric ("revenue", "revenue-share", "inference", ...)
      period, start, end
                        the period's label and datetime.date bounds
      unit              "USD", or "ratio" for figures that are fractions
      leaked, disclosed, reported, claimed, assumed
                        the figure of that kind for the metric and period (None: none)
      implied           what the plugins derive: OpenAI revenue implied by the
                        net payments, or its annualized rate for a run-rate claim
      implied_bound     "lower" where `implied` is a lower bound, else None
      gap               outside minus books: the first of reported/claimed minus
                        the first of leaked/disclosed/assumed/implied (None: nothing to compare)
      reconciling_base  for OpenAI revenue with a reported figure: the Microsoft
                        revenue base that squares it with the net payment,
                        (OpenAI's rate x reported - payment) / Microsoft's rate
      implies           what the gap says, in words
      sources           the sources of the row's figures, "; "-separated
      <column>_low, <column>_high
                        beside a value, the gap or the reconciling base where a row holds it
                        as a range (a figure's stated precision: "3.7B" is 3.65B..3.75B)
      <kind>_metric     beside an outside figure of another metric set in this row (COMPARED): its
                        metric (the inference row's reported "cost-of-revenue")
      <kind>_expected   True beside a figure its source gave as what it expected (`expected: TRUE`)
      reconciling_base_solved
                        beside the reconciling base: True where it is solved from the recorded revenue
                        and the net payments, False where it is an estimate that would square a
                        reported revenue with them
      gap_blank, reconciling_base_blank
                        beside a blank gap, and a revenue row's blank base: what the cell is and why,
                        "not compared: no reported or claimed figure to set the leaked figure against",
                        "not known: ...", "not estimated: ..." (the pages write the words before the colon)
    Each `<column>_...` is there only where some row holds one (RECONCILE_COLUMNS' order, then BESIDE's).
    Money is Decimal to the cent (a ratio-unit figure as recorded); None where there is no figure.
    """

    return reconcile_frame(reconcile_rows(index_books(entries)))


def reconcile_frame(rows: list):
    """The rows as a DataFrame of `range_columns`; a range column a row does not hold is None, as every blank."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=range_columns(rows), dtype=object)
    return frame.where(frame.notna(), None)


def _interval(ranges: dict, kind: str | None, value: Decimal) -> Interval:
    return ranges.get(kind) or Interval.exact(value)


def range_columns(rows: list) -> list[str]:
    """RECONCILE_COLUMNS with what a row holds beside each (BESIDE: `<column>_low`/`_high` where a row holds a
    range in it, `_metric`, `_expected`, `_solved`)."""
    held = {key for row in rows for key in row}
    out: list[str] = []
    for column in RECONCILE_COLUMNS:
        out += [column, *(name for suffix in BESIDE if (name := column + suffix) in held)]
    return out


def reconcile_rows(index: BookIndex) -> list[ReconcileRow]:
    """The reconciliation's rows (RECONCILE_COLUMNS, see `reconcile_table`): exact values, None where no figure is."""
    rec = Reconciliation.of_index(index)
    for stage in STAGES:
        stage(rec)
    order = {m: i for i, m in enumerate(SECTION_ORDER)}
    # Within a metric, periods in time order: by end, and of two that end together the shorter first
    # (2024-Q1, 2024-Q2, 2024-Q3, 2024-Q4, 2024), so a total follows its parts.
    rows = sorted(
        # a row a stage opened for what might be implied there, with nothing in it after all (a payment
        # period whose revenue is recorded over a longer span): not a row of blanks that says nothing
        (c for c in rec.cells.values() if c.values or c.notes),
        key=lambda c: (order.get(c.metric, len(order)), c.metric, c.period.end, -c.period.start.toordinal()),
    )
    return [_record(row) for row in rows]
