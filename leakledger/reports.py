"""Report frames: the period table, the reconciliation, and books side by side.

The one place the report tables are computed. `leakledger report`,
`reconcile`, `scenario compare`, the Fava extension and the published site
call these functions on entries that are already loaded (and possibly
filtered by Fava); nothing here reads files except the `load_*` helpers.

Money is `Decimal` to the cent and ratios are `Decimal`s rounded once
(`leakledger.table_numbers`); pandas only shapes the rows. A cell that no figure
covers is None, never zero.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, TypedDict, cast

from leakledger import derived as D
from leakledger.book_index import BookIndex, index_books
from leakledger.books import load_clean
from leakledger.errors import BooksHaveErrors
from leakledger.figures import figure_amount, kinds_of
from leakledger.intervals import Interval
from leakledger.model import KINDS, PAYMENT_METRIC, entity_of, held_to_caps
from leakledger.periods import (
    Coverage,
    Period,
    Rows,
    covered_span,
    parse_period,
    period_of,
    quarter_of,
    spans_label,
)
from leakledger.reconciliation import (
    BOOK_KINDS,
    COMPARED,
    OUTSIDE_KINDS,
    RECONCILE_COLUMNS,
    RECONCILE_VALUES,
    reconcile_table,
)
from leakledger.table_numbers import (
    INFERENCE_METRIC,
    MICROSOFT_BASE_METRICS,
    MICROSOFT_SHARE_ENDED,
    OPENAI_SHARE_CAPPED,
    REVENUE_METRIC,
    RUN_RATE_METRIC,
    SOLVED_NOT_IMPLIED,
    money,
    ratio,
    row_interval,
)

__all__ = [
    "BY",
    "BOOK_KINDS",
    "OUTSIDE_KINDS",
    "COMPARED",
    "INFERENCE_METRIC",
    "MICROSOFT_BASE_METRICS",
    "REVENUE_METRIC",
    "RUN_RATE_METRIC",
    "PERIOD_COLUMNS",
    "COVERS_COLUMNS",
    "PERIOD_MONEY",
    "PARTIAL_SHARE",
    "MICROSOFT_SHARE_ENDED",
    "OPENAI_SHARE_CAPPED",
    "MERGED_FROM",
    "MERGED_BY",
    "RECORDED_REVENUE",
    "RECORDED_REVENUE_KIND",
    "OPENAI_SHARE_BLANK",
    "NO_FIGURE_WHY",
    "bound_column",
    "share_ended",
    "RECONCILE_COLUMNS",
    "RECONCILE_VALUES",
    "TOTAL_ROW",
    "period_grid",
    "PeriodRow",
    "period_table",
    "period_rows",
    "period_columns",
    "row_interval",
    "reconcile_table",
    "compare_tables",
    "column_spans",
    "load_clean",
    "load_reconcile_table",
    "BooksHaveErrors",
]

BY = ("year", "half", "quarter")
#: The label of the totals row of a period table.
TOTAL_ROW = "total"

PERIOD_MONEY = ("net_payment", "openai_share", "microsoft_share", "implied_revenue", "inference")
PERIOD_COLUMNS: tuple[str, ...] = (
    "period",
    "start",
    "end",
    "covered",
    *PERIOD_MONEY[:4],
    "revenue_bound",
    "inference",
    "inference_to_revenue",
    "ratio_blank",
)
#: Per money column, the span its figures cover in the row ("<column>_covers"), for CSV and JSON.
COVERS_COLUMNS = tuple(f"{column}_covers" for column in PERIOD_MONEY)
PERIOD_COLUMNS += COVERS_COLUMNS


class PeriodRow(TypedDict):
    """One row of the period table; money is Decimal to the cent, None where no figure covers it."""

    period: str
    start: datetime.date
    end: datetime.date
    covered: str | None
    net_payment: Decimal | None
    openai_share: Decimal | None
    microsoft_share: Decimal | None
    implied_revenue: Decimal | None
    revenue_bound: str | None
    inference: Decimal | None
    inference_to_revenue: Decimal | None
    ratio_blank: str | None
    net_payment_covers: str | None
    openai_share_covers: str | None
    microsoft_share_covers: str | None
    implied_revenue_covers: str | None
    inference_covers: str | None
    microsoft_share_partial: str | None
    recorded_revenue: Decimal | None
    recorded_revenue_covers: str | None
    ratio_over: str | None
    microsoft_share_blank: str | None
    recorded_revenue_kind: str | None
    implied_revenue_blank: str | None
    net_payment_blank: str | None
    inference_blank: str | None
    recorded_revenue_blank: str | None
    openai_share_blank: str | None


#: Where Microsoft's share covers less than its base (a base in force with no share over some of the
#: days the cell covers), the bases it leaves out: "Bing unrecorded"; else None. Never a whole share.
PARTIAL_SHARE = "microsoft_share_partial"
#: OpenAI's revenue as the books record it (posting `revenue` figures over the row), where they do; the
#: Leak model's revenue chart draws it where nothing is implied. Not in `covered`: a year's audited revenue
#: does not make the row's payments cover the year.
RECORDED_REVENUE = "recorded_revenue"
PERIOD_COLUMNS += (PARTIAL_SHARE, RECORDED_REVENUE, f"{RECORDED_REVENUE}_covers")
#: Which revenue the inference ÷ revenue ratio divides by: "recorded" (audited, where it covers the
#: inference's span) or "implied" (from the payments); None where the ratio is blank.
RATIO_OVER = "ratio_over"
#: Why the Microsoft 20% cell is empty: the books' note that it is not known, and why; None where it has a value.
MICROSOFT_SHARE_BLANK = "microsoft_share_blank"
PERIOD_COLUMNS += (RATIO_OVER, MICROSOFT_SHARE_BLANK, MICROSOFT_SHARE_ENDED)
#: The kinds of the figures recorded revenue adds up ("leaked"; "assumed" in a scenario that projects it; "leaked,
#: assumed" in a total over both), in model.KINDS' order; None where no revenue is recorded.
RECORDED_REVENUE_KIND = "recorded_revenue_kind"
PERIOD_COLUMNS += (RECORDED_REVENUE_KIND,)
#: Why the implied revenue cell is empty (OpenAI's revenue recorded there, so the payments solve Microsoft's share
#: instead; or no net payment to imply it from); None where it has a value.
IMPLIED_REVENUE_BLANK = "implied_revenue_blank"
#: Why a recorded figure's cell is empty (no figure of it covers the row); None where it has a value.
RECORDED_BLANK = {"net_payment": "net payment", "inference": "inference spend", RECORDED_REVENUE: "OpenAI revenue"}
PERIOD_COLUMNS += (IMPLIED_REVENUE_BLANK, *(f"{column}_blank" for column in RECORDED_BLANK))
#: Why OpenAI's 20% is empty (no revenue recorded or implied for the row to take it of); None where it has a value.
OPENAI_SHARE_BLANK = "openai_share_blank"
PERIOD_COLUMNS += (OPENAI_SHARE_BLANK,)
#: Why a money cell with no figure is blank, where nothing more particular says why: the words every view
#: uses (a row's `<column>_blank`, the pages' titles, leakledger.blank_cells), each about the row's period.
NO_FIGURE_WHY = {
    "net_payment": "no net payment is recorded for the period",
    "openai_share": "no OpenAI revenue is recorded or implied for the period",
    "microsoft_share": "no Microsoft revenue base is recorded, and the model cannot solve its 20% for the period",
    "recorded_revenue": "no source gives OpenAI's revenue for the period",
    "implied_revenue": "no net payment is recorded for the period to imply it from",
    "inference": "no inference spend is recorded for the period",
}
#: After a figure the leak gives that no figure covers: not 0.
UNRECORDED = "not zero, only unrecorded"
#: Where a row spans several `by` periods because a figure in it is only known over them all (by quarter, the
#: audited 2024 revenue makes 2024 one row): `by` (MERGED_FROM) and those figures' columns, ", "-separated
#: (MERGED_BY); columns only where a row has them (`period_columns`).
MERGED_FROM, MERGED_BY = "merged_from", "merged_by"
# OPENAI_SHARE_CAPPED: why OpenAI's 20% is what it is where a cap cut it or holds it at 0 (a known 0, not a
# blank): the cap, and when it was reached; None elsewhere. A column only where a row has one (`period_columns`).
#: The ratio's range columns, beside it where its inputs are ranges: ends rounded outward to this.
RATIO_RANGE = Decimal("0.0001")
#: Beside each `<column>_low`/`_high` pair, `<column>_bound`: "lower" where the cell is "≥ low" (its high end open),
#: "upper" where it is "≤ high", None where it is exact or a closed range. The ends alone leave a reader to infer
#: what an empty `_high` means (CSV writes None and "" alike); this says it, as the text's "≥" and "≤" do.
LOWER, UPPER = "lower", "upper"


def bound_column(column: str) -> str:
    """The name of a period-table column's bound column: "microsoft_share" -> "microsoft_share_bound"."""
    return f"{column}_bound"


def _bound_of(interval: Interval) -> str | None:
    """Lower for [x, ∞), upper for (−∞, x], None for an exact amount or a closed range."""
    if interval.low is not None and interval.high is None:
        return LOWER
    if interval.low is None and interval.high is not None:
        return UPPER
    return None


# --- reading the books -----------------------------------------------------


@dataclass
class _Item:
    """One amount over a period, feeding one column of the period table."""

    column: str
    period: Period
    amount: Decimal
    bound: str | None = None
    #: The interval the amount stands for, where its inputs are ranges (None: exactly `amount`).
    interval: Interval | None = None
    #: The days the amount is over, where that is not `period` (a share accrued on a day, over its month).
    covers: Period | None = None
    #: For a share: the base accounts it is a share of.
    bases: tuple[str, ...] = ()
    #: For a NOT_KNOWN item (no amount): the books' note saying why the share is not known.
    reason: str | None = None
    #: For a solved Microsoft share beside ranged recorded bases: Microsoft's whole share over its period.
    whole: Interval | None = None
    #: For a share a cap cut or holds at 0: the cap, and when it was reached (`OPENAI_SHARE_CAPPED`).
    capped: str | None = None
    #: For a share that counts against a cap: its base account and the cap's amount.
    counts_against: tuple[str, Decimal] | None = None
    #: For a posted figure (or a remainder of one): its kind tag ("leaked", "assumed", ...), where it has one.
    kind: str | None = None


#: The pseudo-column of the plugins' notes that a share is not known (an item without an amount).
_NOT_KNOWN = "not_known"


#: The period-table column each posted metric feeds.
_POSTED = {
    PAYMENT_METRIC: "net_payment",
    INFERENCE_METRIC: "inference",
    REVENUE_METRIC: "recorded_revenue",
    **{metric: "microsoft_base" for metric in MICROSOFT_BASE_METRICS},
}


def _period_items(index: BookIndex) -> list[_Item]:
    """What the books post, by column: the figures that post, and the remainders of refined totals.

    A total its parts refine posts nothing itself: its parts post, and the
    rest of it posts as generated remainders over the days they miss.
    """
    items = []
    for fig in index.live_figures:
        if fig.posting and fig.amount is not None and fig.metric in _POSTED:
            items.append(_Item(_POSTED[fig.metric], fig.period, fig.amount, interval=fig.interval, kind=fig.kind))
    for d in index.derived:
        if d.rule == D.RULE_REMAINDER and d.metric in _POSTED:
            amount = figure_amount(d.entry, d.metric)
            if amount is not None:  # as ranged as its total less its parts (leakledger.remainders)
                kind = next(iter(kinds_of(d.entry)), None)  # the total's kind carries over to its remainder
                items.append(
                    _Item(_POSTED[d.metric], period_of(d.entry), amount, interval=d.remainder_interval, kind=kind)
                )
        elif d.rule == D.RULE_IMPLIED and d.revenue is not None:
            bound = D.LOWER if d.lower_bound else None
            items.append(_Item("implied_revenue", period_of(d.entry), d.revenue, bound, d.revenue_interval))
        elif d.rule == D.RULE_SHARE and d.share is not None:
            assert d.base_account is not None, "the shares plugin names the base account of each accrual"
            column = "openai_share" if entity_of(d.base_account) == "OpenAI" else "microsoft_share"
            # Over the accrual's own span: a share of a year's recorded revenue is not split into quarters.
            bases = d.base_accounts
            items.append(
                _Item(
                    column,
                    period_of(d.entry),
                    d.share,
                    interval=d.share_interval,
                    bases=bases,
                    whole=d.microsoft_total,
                    capped=_capped(d),
                    counts_against=(d.base_account, d.cap) if d.cap is not None else None,
                )
            )
    for note, span in index.not_known:  # Microsoft's share over a span the books cannot solve, and why
        if not any(i.column == _NOT_KNOWN and i.reason == note.comment for i in items):  # one per account
            items.append(_Item(_NOT_KNOWN, span, Decimal(0), reason=note.comment))
    return items


def _capped(d: D.Derived) -> str | None:
    """Why a share a cap cut, or holds at 0, is what it is: the cap, and the day it was reached; None if uncut."""
    if not d.capped:
        return None
    reached = d.cap_reached or d.date  # held at 0: the day it was reached; else this accrual reached it
    return (
        f"capped: the cap of {d.cap:,.2f} USD on {d.base_account}'s share, counted from {d.cap_counts_from}, "
        f"was reached on {reached}; the share accrues 0 after it"
    )


# --- the period grid -------------------------------------------------------


def grid_cell(day: datetime.date, by: str) -> Period:
    """The `by` period (a year, half or quarter) a day lies in: one cell of a table's grid."""
    if by == "year":
        return parse_period(f"{day.year}")
    if by == "half":
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    return parse_period(quarter_of(day))


def period_grid(periods: list[Period], by: str) -> list[Period]:
    """The grid of `by` periods over the figures, merging cells a figure spans.

    A figure cannot be split into the cells it spans (a yearly total says
    nothing about its quarters), so those cells become one row.
    """
    if by not in BY:
        raise ValueError(f"cannot report by {by!r}: use one of {', '.join(BY)}")
    periods = list(set(periods))  # a statement passes one per posting: 60,000 on 100k books, a few hundred distinct
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    cells = []
    day = first
    while day <= last:
        cell = grid_cell(day, by)
        cells.append(cell)
        day = cell.end + datetime.timedelta(days=1)
    grid = Rows(c.start for c in cells)
    spans = sorted({(grid.row_of(p.start), grid.row_of(p.end)) for p in periods})
    groups: list[list[int]] = []
    for lo, hi in spans:
        if groups and lo <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], hi)
        else:
            groups.append([lo, hi])
    merged = {i: (lo, hi) for lo, hi in groups for i in range(lo, hi + 1)}
    rows, i = [], 0
    while i < len(cells):
        lo, hi = merged.get(i, (i, i))
        rows.append(Period(cells[lo].start, cells[hi].end))
        i = hi + 1
    return rows


def _span(periods) -> Period | None:
    periods = list(periods)
    if not periods:
        return None
    return Period(min(p.start for p in periods), max(p.end for p in periods))


#: Some figures' first to last day and the runs of days inside it none of them covers (`covered_span`).
_Holed = tuple[Period, tuple[Period, ...]]


def _holed(periods) -> _Holed | None:
    """What some figures cover, as `covered_span` gives it (their span and the holes inside it); None if none."""
    periods = list(periods)
    return covered_span(periods) if periods else None


def _spanned(periods) -> str | None:
    """The label of what a period row's figures cover: their first to last day, one span, as the charts read
    it back (`model_view.quarters_covered`)."""
    span = _span(periods)
    return span.label if span else None


def _spanned_total(periods) -> str | None:
    """The label of what the total row's figures cover, with the holes inside it ("2024-01..2030-12 except
    2026-Q1": a scenario's revenue from 2026-04 on), as the statement's total column writes it."""
    holed = _holed(periods)
    return spans_label(*holed) if holed else None


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def _partial_share(items: list[_Item], rules) -> str | None:
    """The Microsoft bases a row's Microsoft share leaves out, as "Bing unrecorded"; None if it covers them all.

    A base leaves the share partial where its rate is above zero on days the
    share's figures cover and no share of it covers those days (the scenario
    azure-openai-growth records Azure OpenAI Service for 2025, Bing not).
    """
    shares = [i for i in items if i.column == "microsoft_share"]
    if rules is None or not shares:
        return None
    left_out = []
    for base in rules.bases_of("Microsoft"):
        own = Coverage(i.covers or i.period for i in shares if base in i.bases)
        for item in shares:
            span = item.covers or item.period
            pieces = rules.spans(base, span.start, span.end)
            if any(r is not None and r.rate > 0 and own.misses(Period(s, e)) for s, e, r in pieces):
                left_out.append(base.rsplit(":", 1)[-1])
                break
    return f"{' + '.join(left_out)} unrecorded" if left_out else None


def _row(period: Period, label: str, items: list[_Item], rules=None, counted: dict | None = None) -> PeriodRow:
    by_column = defaultdict(list)
    for item in items:
        by_column[item.column].append(item)
    row: Any = {"period": label, "start": period.start, "end": period.end}
    spanned = _spanned_total if label == TOTAL_ROW else _spanned
    row["covered"] = spanned(
        i.period for i in items if i.column not in ("openai_share", "microsoft_share", RECORDED_REVENUE, _NOT_KNOWN)
    )
    lower = any(i.bound == "lower" for i in by_column["implied_revenue"])
    partial = _partial_share(items, rules) if by_column["microsoft_share"] else None
    unknown = {} if partial else _share_unknown(by_column)  # "(partial)" says "at least" of a share already
    for column in (*PERIOD_MONEY, RECORDED_REVENUE):
        row[column] = money(_sum(i.amount for i in by_column[column]))
        # A cell whose items are ranges carries its interval beside it: <column>_low, <column>_high
        # (None where that end is open). A cell with both None is exact.
        its = by_column[column]
        interval = _whole_share(its) if column == "microsoft_share" else _interval_of(its)
        if column == "microsoft_share" and its and unknown:
            interval = Interval(interval.low, None)  # a part not known (2025's, in 2024..2025): at least the rest
        if column == "openai_share":
            interval = _within_caps(its, interval, counted or {})
        # "≥ amount" alone is what revenue_bound says of an implied revenue: no range columns for it there.
        # Anywhere else (OpenAI's 20% of that revenue, a revenue recorded as "at least", the share solved from
        # it) [amount, ∞) is written as such, or CSV and JSON would read it as exact.
        plain_bound = lower and column == "implied_revenue" and interval.high is None and interval.low == row[column]
        if its and not interval.is_exact and not plain_bound:
            interval = interval.map_ends(money)
            row[f"{column}_low"], row[f"{column}_high"] = interval.low, interval.high
            row[bound_column(column)] = _bound_of(interval)
        span = spanned(
            [*(i.covers or i.period for i in its), *(unknown.values() if column == "microsoft_share" else ())]
        )
        row[f"{column}_covers"] = span if its else None
    row["revenue_bound"] = "lower" if lower else None
    row[PARTIAL_SHARE] = partial
    kinds = {i.kind for i in by_column[RECORDED_REVENUE]}
    row[RECORDED_REVENUE_KIND] = ", ".join(k for k in KINDS if k in kinds) or None
    _ratio(row, by_column)
    blank = [i.reason for i in by_column[_NOT_KNOWN] if i.reason]
    if not blank and lower and not by_column["microsoft_share"]:
        blank = [IMPLIED_SHARE_BLANK]  # the payment was read as OpenAI's 20% alone: Microsoft's is what it left out
    if row["microsoft_share"] is not None:
        blank = list(unknown)  # the part of the share not known, if any: its high end is open
    row[MICROSOFT_SHARE_BLANK] = "; ".join(blank) if blank else None
    row[MICROSOFT_SHARE_ENDED] = None
    if row["microsoft_share"] is None and not blank and label != TOTAL_ROW and (ended := share_ended(rules, period)):
        row["microsoft_share"] = Decimal("0.00")  # a known 0: no rule puts a rate on a Microsoft base then
        row[MICROSOFT_SHARE_ENDED] = ended
    if row["microsoft_share"] is None and not blank:  # nothing to solve it from, no base recorded: not known
        row[MICROSOFT_SHARE_BLANK] = NO_FIGURE_WHY["microsoft_share"]
    capped = list(dict.fromkeys(i.capped for i in by_column["openai_share"] if i.capped))
    if capped:
        row[OPENAI_SHARE_CAPPED] = "; ".join(capped)
    row[IMPLIED_REVENUE_BLANK] = None if row["implied_revenue"] is not None else _implied_blank(row, label)
    for column, what in RECORDED_BLANK.items():  # a figure the leak gives; none covers the row: unrecorded, not 0
        unrecorded = f"no {what} figure is recorded for the period: {UNRECORDED}"
        row[f"{column}_blank"] = None if row[column] is not None else unrecorded
    # a share of nothing recorded or implied: not known, not 0 (a cap's 0 is a figure, "0 (capped)")
    row[OPENAI_SHARE_BLANK] = (
        None if row["openai_share"] is not None else f"{NO_FIGURE_WHY['openai_share']}: {UNRECORDED}"
    )
    return row


def _implied_blank(row, label: str) -> str:
    """Why a row's implied revenue is blank: OpenAI's revenue is recorded, or no net payment implies any."""
    label = "the total" if label == TOTAL_ROW else label
    if row[RECORDED_REVENUE] is not None:
        covers = row[f"{RECORDED_REVENUE}_covers"]
        return (
            f"OpenAI's revenue is recorded for {label}{f' ({covers})' if covers != label else ''}: {SOLVED_NOT_IMPLIED}"
        )
    if row["net_payment"] is None:  # the same for every such row: a table's note says it once, naming them
        return f"{NO_FIGURE_WHY['implied_revenue']}: {UNRECORDED}"
    return f"the net payments for {label} imply no revenue: none is derived from them"


def _share_unknown(by_column) -> dict[str, Period]:
    """Where a cell's Microsoft share covers some of its spans and the books say it is not known over others
    (the total of 2024, solved, and 2025, with no 2025-Q4 payment), why, and the span each reason is about.

    A payment read as OpenAI's 20% alone (its implied revenue a lower bound) leaves Microsoft's not known over
    it too. Empty where no share is in the cell: it is blank then, and says why itself.
    """
    shares = by_column["microsoft_share"]
    if not shares:
        return {}
    known = Coverage(i.covers or i.period for i in shares)
    unknown = [(i.reason, i.period) for i in by_column[_NOT_KNOWN] if i.reason]
    unknown += [(IMPLIED_SHARE_BLANK, i.period) for i in by_column["implied_revenue"] if i.bound == "lower"]
    found: dict[str, Period] = {}
    for reason, span in unknown:
        if known.misses(span):
            had = found.get(reason)
            found[reason] = span if had is None else Period(min(had.start, span.start), max(had.end, span.end))
    return found


def _no_share_in_force(rules, period: Period) -> bool:
    """Whether the books' rules put no rate above 0 on any Microsoft base over `period`, having put one before
    (the share ended: openai-revenue-to-2030's 2027 on, after 2026-04-27), so Microsoft's 20% is 0, not blank."""
    if rules is None:
        return False
    bases = rules.bases_of("Microsoft")
    if not bases or not any(r.date < period.start for base in bases for r in rules if r.base == base):
        return False
    return all(r is None or r.rate == 0 for base in bases for _, _, r in rules.spans(base, period.start, period.end))


def share_ended(rules, period: Period) -> str | None:
    """Why Microsoft's 20% over `period` is a known 0 because the rules ended it, or None where it is not.

    For a period a book has no row for (a scenario's years past the base books' figures) as for one it has."""
    return _share_ended(rules, period) if _no_share_in_force(rules, period) else None


def _share_ended(rules, period: Period) -> str:
    """Why Microsoft's 20% is 0 over `period`: the day each base's rate fell to 0 ("ended: 0% of ... from ...")."""
    ends = []
    for base in rules.bases_of("Microsoft"):
        rule = rules.rule_at(base, period.start)
        if rule is not None:
            ends.append(f"{base} from {rule.date}")
    return f"ended: the books' rules put 0% on {', '.join(ends)}, so nothing accrues (a known 0)"


#: Why Microsoft's 20% is blank where a net payment implies OpenAI's revenue (a lower bound).
IMPLIED_SHARE_BLANK = (
    "no Microsoft base in force has a figure, so the net payment implies OpenAI's revenue as if "
    "Microsoft's share were 0 (the revenue is a lower bound)"
)


def _interval_of(items: list[_Item]) -> Interval:
    """The interval a cell's items add up to (an item without one is exactly its amount)."""
    return sum((i.interval or Interval.exact(i.amount) for i in items), Interval.exact(Decimal(0)))


def _within_caps(items: list[_Item], interval: Interval, counted: dict) -> Interval:
    """A cell's shares held to the caps they count against, less what the books' other shares used of each
    (`model.held_to_caps`; `counted`: each cap's `CapStatus.counted_low`), whether or not a cap is reached."""
    if not any(i.counts_against for i in items):
        return interval
    held = held_to_caps(((i.counts_against, i.interval or Interval.exact(i.amount)) for i in items), counted)
    return held.intersection(interval)


def _whole_share(items: list[_Item]) -> Interval:
    """Microsoft's share in a cell (`whole_share`), from its items."""
    interval = _interval_of(items)
    solved = [(i.period, i.whole) for i in items if i.whole is not None]
    if not solved:
        return interval
    return whole_share(interval, solved, [(i.period, i.interval or Interval.exact(i.amount)) for i in items])


def whole_share(interval: Interval, solved: list[tuple[Period, Interval]], items) -> Interval:
    """Microsoft's share in a cell, where solved shares and the ranged recorded bases they were solved beside
    lie in it: no wider than each one's whole share as solved (max(recorded, OpenAI's share − payments),
    `microsoft-total-low:`..`-high:`) plus the cell's items outside its span, not their ranges added.

    `interval`: the cell's items added up; `solved`: (span, whole share) of each; `items`: (period, interval)
    of each amount in the cell. The period table and the statements both read it.
    """
    for span, whole in solved:
        rest = sum((each for period, each in items if not span.contains(period)), Interval.exact(Decimal(0)))
        bound = rest + whole
        # Apart, the two do not hold one value: a filter (Fava's `-#assumed`) left out entries a solved share's
        # whole counts. The cell's own items then say what it is; the solved whole speaks of other books.
        if interval.meets(bound):
            interval = interval.intersection(bound)
    return interval


def _ratio(row, by_column) -> None:
    """Inference ÷ revenue, where both cover one span: over recorded (audited) revenue where there is one.

    Else over implied revenue. Where either side is a range, the ratio's
    interval is inference's over revenue's (`Interval.over`), its ends
    rounded outward to RATIO_RANGE: 2024, 3,767,100,000 over 3.65B..3.75B.
    A lower-bound revenue alone gives "≤ ratio", as before: no range columns.
    """
    # each side's span with its holes (a total's revenue from 2026-04 on): a span with a hole is not one without
    inference_span = _holed(i.period for i in by_column["inference"])
    recorded_span = _holed(i.period for i in by_column[RECORDED_REVENUE])
    implied_span = _holed(i.period for i in by_column["implied_revenue"])
    over = None
    if inference_span is not None and recorded_span == inference_span:
        over, revenue = "recorded", by_column[RECORDED_REVENUE]
    elif inference_span is not None and implied_span == inference_span:
        over, revenue = "implied", by_column["implied_revenue"]
    value = (
        ratio(row["inference"], row[RECORDED_REVENUE if over == "recorded" else "implied_revenue"]) if over else None
    )
    row["inference_to_revenue"] = value
    row[RATIO_OVER] = over if value is not None else None
    row["ratio_blank"] = _ratio_blank(row, inference_span, recorded_span or implied_span, recorded_span is not None)
    if value is None:
        return
    numerator, denominator = _interval_of(by_column["inference"]), _interval_of(revenue)
    # "≥ x" revenue posted at x gives "≤ ratio" at the point; posted above x (a ranged base's midpoint, Bing
    # unrecorded), the ratio reaches up to inference ÷ x: its range columns say so
    plain_bound = denominator.high is None and numerator.is_exact and denominator.low == _sum(i.amount for i in revenue)
    if plain_bound:
        # an upper bound rounded up, or it is none (546.8M ÷ 386.5M = 1.4147 is "≤ 1.42", never "≤ 1.41"); its
        # high column says "at most" wherever the row is read, a revenue stated as "at least" as much as an implied one
        row["inference_to_revenue"] = value = ratio(row["inference"], denominator.low, ROUND_CEILING)
        row["inference_to_revenue_low"], row["inference_to_revenue_high"] = None, value
        row[bound_column("inference_to_revenue")] = UPPER
        return
    spread = over is not None and not (numerator.is_exact and denominator.is_exact)
    interval = numerator.over(denominator) if spread else None
    if interval is not None:
        row["inference_to_revenue_low"] = (
            None if interval.low is None else interval.low.quantize(RATIO_RANGE, ROUND_FLOOR)
        )
        row["inference_to_revenue_high"] = (
            None if interval.high is None else interval.high.quantize(RATIO_RANGE, ROUND_CEILING)
        )
        # over a revenue open above (a lower bound) the ratio is at most its high end, whatever its low end says
        lower_revenue = denominator.high is None and interval.high is not None
        row[bound_column("inference_to_revenue")] = UPPER if lower_revenue else _bound_of(interval)


def _ratio_blank(row, inference_span: _Holed | None, revenue_span: _Holed | None, recorded: bool) -> str | None:
    """Why the inference ÷ revenue cell is blank, or None where it has a value."""
    if row["inference_to_revenue"] is not None:
        return None
    if inference_span is None and revenue_span is None:
        return "no figure"
    if inference_span is None:
        return "no inference figure"
    if revenue_span is None:
        return "no revenue: none recorded or implied"
    if inference_span != revenue_span:
        return f"spans differ: inference {spans_label(*inference_span)}, revenue {spans_label(*revenue_span)}"
    return f"{'recorded' if recorded else 'implied'} revenue is zero"  # both cover one span


def period_table(entries, options_map=None, by: str = "year", totals: bool = True):
    """The books by period: the shares both ways, implied revenue, inference.

    Rows are calendar `by` periods ("year", "half", "quarter") from the first
    figure to the last; cells a single figure spans merge into one row (a
    yearly total is not split into quarters). The last row is the totals row
    (`period` == "total") unless `totals` is False.

    Columns (stable; the Fava extension reads them):
      period                label of the row's period ("2024", "2025-H1", "total")
      start, end            datetime.date bounds of the row
      covered               label of the span the row's figures cover, e.g.
                            "2025-01..2025-09" in a 2025 row; None if none
      net_payment           the leaked net revenue share OpenAI paid Microsoft
      openai_share          OpenAI's gross 20% to Microsoft (accrued by the plugins)
      microsoft_share       Microsoft's 20% to OpenAI (None: no Microsoft base recorded)
      implied_revenue       OpenAI revenue the payments imply
      revenue_bound         "lower" where implied_revenue is a lower bound, else None
      inference             inference spend on Azure
      inference_to_revenue  inference / revenue, rounded once to 0.01: over recorded
                            (audited) revenue where it covers inference's span, else
                            over implied revenue (None unless both cover the same span);
                            _low/_high beside it where either side is a range, the
                            ends rounded outward to 0.0001
      ratio_blank           why inference_to_revenue is None ("spans differ: inference
                            2025-01..2025-09, revenue 2025"), else None
      <money>_covers        per money column, the label of the span its figures cover
                            in the row ("2025-01..2025-09"); None where it has none
      microsoft_share_partial  where microsoft_share covers less than its base, the
                            bases it leaves out ("Bing unrecorded"), else None
      recorded_revenue      OpenAI revenue as recorded (the audited 2024 and 2025), else None
      recorded_revenue_covers  the label of the span that recorded revenue covers ("2025")
      ratio_over            "recorded" or "implied": the revenue the ratio divides by
      microsoft_share_blank why microsoft_share is None: the books' note that it is not
                            known (no 2025-Q4 payment, so 2025's cannot be solved), else
                            no base recorded and nothing to solve it from; beside a
                            share, the part of it not known
      implied_revenue_blank why implied_revenue is None (OpenAI's revenue recorded there,
                            or no net payment to imply it from), else None
      net_payment_blank, inference_blank, recorded_revenue_blank  why that cell is None
                            (no figure of it is recorded for the row: not zero, only
                            unrecorded), else None
      openai_share_blank    why openai_share is None (no revenue recorded or implied for
                            the row), else None
    Every money cell that is None has its `<column>_blank` reason.
      openai_share_capped   where a cap cut openai_share or holds it at 0 (a known 0), the
                            cap and the day it was reached; a column only where a row has one
      merged_from, merged_by  where a row spans several `by` periods because a figure in it is
                            known only over them all: `by` ("quarter") and the columns of those
                            figures ("recorded_revenue, openai_share"); columns only where a row has them
    Money is Decimal to the cent; None where no figure covers the cell.
    """
    import pandas as pd

    rows = period_rows(index_books(entries), by, totals)
    return pd.DataFrame(rows, columns=period_columns(rows), dtype=object)


def period_columns(rows) -> list[str]:
    """PERIOD_COLUMNS, with `<column>_low`/`<column>_high` beside each money column a row holds a range in."""
    out = []
    for column in PERIOD_COLUMNS:
        out.append(column)
        if column in (*PERIOD_MONEY, RECORDED_REVENUE, "inference_to_revenue") and any(
            f"{column}_low" in row for row in rows
        ):
            out += [f"{column}_low", f"{column}_high", bound_column(column)]
    if any(row.get(OPENAI_SHARE_CAPPED) for row in rows):
        out.append(OPENAI_SHARE_CAPPED)
    if any(row.get(MERGED_BY) for row in rows):
        out += [MERGED_FROM, MERGED_BY]
    return out


def period_rows(index: BookIndex, by: str = "year", totals: bool = True) -> list[PeriodRow]:
    """The period table's rows (see `period_table`): exact Decimals, None where no figure covers a cell."""
    items = [i for i in _period_items(index) if i.amount is not None]
    if not any(i.column != _NOT_KNOWN for i in items):
        return []
    periods = period_grid([i.period for i in items], by)
    grid = Rows(p.start for p in periods)
    inside: list[list[_Item]] = [[] for _ in periods]
    for item in items:  # every item lies inside exactly one row: the rows merge what a figure spans
        inside[grid.row_of(item.period.start)].append(item)
    rules = index.rules
    counted = {status.key: status.counted_low for status in index.caps}
    rows = [_row(period, period.label, its, rules, counted) for period, its in zip(periods, inside)]
    for row, its in zip(rows, inside):
        if spanning := _spanning(its, by):  # a figure over several `by` cells merged them: which, said per row
            keys = cast(dict[str, Any], row)
            keys[MERGED_FROM], keys[MERGED_BY] = by, ", ".join(spanning)
    if totals:
        whole = Period(rows[0]["start"], rows[-1]["end"])
        rows.append(_row(whole, TOTAL_ROW, items, rules, counted))
    # Every row has the same keys: a range column is None (exact) where a row has no range.
    ranged = [c for c in period_columns(rows) if c not in PERIOD_COLUMNS]
    for row in rows:
        keys = cast(dict[str, Any], row)  # a range column is a key the row's TypedDict does not name
        for column in ranged:
            keys.setdefault(column, None)
    return rows


def _spanning(items: list[_Item], by: str) -> list[str]:
    """The columns of the items that span more than one `by` cell (a year's audited revenue by quarter), in
    the table's order; a share the books say is not known counts as Microsoft's 20%."""
    found = {
        "microsoft_share" if i.column == _NOT_KNOWN else i.column
        for i in items
        if grid_cell(i.period.start, by) != grid_cell(i.period.end, by)
    }
    return [c for c in (*PERIOD_MONEY[:3], RECORDED_REVENUE, *PERIOD_MONEY[3:]) if c in found]


def column_spans(index: BookIndex, rows: list[Period]) -> list[dict[str, Period]]:
    """For each row of a period table, the span each money column's figures cover within it.

    The table's `covered` is one span per row and leaves the shares out; a
    picture that sets a row's columns side by side (leakledger.flows) needs
    each column's own, so a share counts over its accrual's period. An item
    sits in the row its date falls in, as the table places it.
    """
    grid = Rows(r.start for r in rows)
    spans: list[dict[str, Period]] = [{} for _ in rows]

    def put(column: str, period: Period, day: datetime.date) -> None:
        i = grid.row_of(day)
        if i < 0 or not rows[i].contains_date(day):
            return
        had = spans[i].get(column)
        spans[i][column] = period if had is None else Period(min(had.start, period.start), max(had.end, period.end))

    for item in _period_items(index):
        if item.column not in ("openai_share", "microsoft_share", _NOT_KNOWN):
            put(item.column, item.period, item.period.start)
    for d in index.of_rule(D.RULE_SHARE):
        if d.share is not None and d.base_account is not None:
            column = "openai_share" if entity_of(d.base_account) == "OpenAI" else "microsoft_share"
            put(column, period_of(d.entry), d.date)
    return spans


def compare_tables(tables: dict):
    """Period tables of several books interleaved: for each period, one row per book.

    `tables` maps a book's name to its `period_table`, the base first. The
    result has a `book` column after `period`, and the period table's columns,
    with `<column>_low`/`_high` beside each that is a range in any book.
    """
    import pandas as pd

    frames = []
    for rank, (name, frame) in enumerate(tables.items()):
        frames.append(frame.assign(book=name, _rank=rank))
    merged = pd.concat(frames, ignore_index=True)
    is_total = merged["period"] == TOTAL_ROW
    merged = merged.assign(_total=is_total).sort_values(["_total", "start", "end", "_rank"], kind="stable")
    ranged = [c for c in PERIOD_COLUMNS if f"{c}_low" in merged.columns]  # a range in any book's table
    columns = ["period", "book"]
    for column in PERIOD_COLUMNS[1:]:
        columns += [column, f"{column}_low", f"{column}_high", bound_column(column)] if column in ranged else [column]
    columns += [OPENAI_SHARE_CAPPED] if OPENAI_SHARE_CAPPED in merged.columns else []  # a cap held a share
    columns += [MERGED_FROM, MERGED_BY] if MERGED_BY in merged.columns else []  # a figure merged periods
    return merged[columns].reset_index(drop=True)


# --- loading ---------------------------------------------------------------


def load_reconcile_table(path, as_of: datetime.date | None = None):
    """`reconcile_table` of a ledger file (as known on `as_of`), loaded fresh; BooksHaveErrors if it has errors."""
    return reconcile_table(*load_clean(path, as_of))
