"""Report frames: the period table and the reconciliation table.

The one place both tables are computed. `leakledger report`, `reconcile`,
`scenario compare` and the Fava extension call these functions on entries
that are already loaded (and possibly filtered by Fava); nothing here reads
files except the `load_*` helpers.

Money is float64 USD (every figure is whole cents far below 2**53, so the
floats are exact); a cell that no figure covers is NaN, never zero.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from leakledger import derived as D
from leakledger.derived import derived
from leakledger.figures import figures_of, is_generated
from leakledger.model import PAYMENT_METRIC, A, entity_of, reconciling_base
from leakledger.periods import Period, parse_period, period_of
from leakledger.rules import read_rules

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
    "PERIOD_MONEY",
    "RECONCILE_COLUMNS",
    "RECONCILE_VALUES",
    "TOTAL",
    "period_table",
    "reconcile_table",
    "compare_tables",
    "load_period_table",
    "load_reconcile_table",
    "BooksHaveErrors",
]

BY = ("year", "half", "quarter")
#: The label of the totals row of a period table.
TOTAL = "total"

PERIOD_MONEY = ("net_payment", "openai_share", "microsoft_share", "implied_revenue", "inference")
PERIOD_COLUMNS = (
    "period", "start", "end", "covered", *PERIOD_MONEY[:4], "revenue_bound", "inference", "inference_to_revenue",
)

#: The kinds a reconciliation sets side by side; "implied" is what the plugins derive.
RECONCILE_VALUES = ("leaked", "disclosed", "reported", "claimed", "assumed", "implied")
RECONCILE_COLUMNS = (
    "metric", "period", "start", "end", "unit", *RECONCILE_VALUES, "implied_bound",
    "gap", "reconciling_base", "implies", "sources",
)

#: Metrics whose figures the period table reads.
INFERENCE_METRIC = "inference"
MICROSOFT_BASE_METRICS = ("bing-revenue", "azure-openai-revenue")
#: A reported figure of another metric set beside a metric, and what to call it.
COMPARED = {"cost-of-revenue": ("inference", "the reported figure is OpenAI's cost of revenue")}
RUN_RATE_METRIC = "revenue-run-rate"
REVENUE_METRIC = "revenue"
#: Value columns that hold what the books post, in order of precedence, and
#: those that hold what outside sources say.
BOOK_KINDS = ("leaked", "disclosed", "assumed", "implied")
OUTSIDE_KINDS = ("reported", "claimed")


class BooksHaveErrors(Exception):
    """A ledger that does not load clean: reports from it would mislead."""


# --- reading the books -----------------------------------------------------


def _number(value) -> Decimal | None:
    value = getattr(value, "number", value)
    return value if isinstance(value, Decimal) else None


def _live(figures):
    """Figures that count: not superseded (a superseded record says so in `status:`)."""
    return [f for f in figures if not f.superseded_by and f.entry.meta.get("status") != "superseded"]


@dataclass
class _Item:
    """One amount over a period, feeding one column of the period table."""

    column: str
    period: Period
    amount: Decimal
    bound: str | None = None


def _period_items(entries) -> list[_Item]:
    items = []
    for fig in _live(figures_of(entries)):
        if not fig.posting or fig.amount is None:
            continue
        if fig.metric == PAYMENT_METRIC:
            items.append(_Item("net_payment", fig.period, fig.amount))
        elif fig.metric == INFERENCE_METRIC:
            items.append(_Item("inference", fig.period, fig.amount))
        elif fig.metric in MICROSOFT_BASE_METRICS:
            items.append(_Item("microsoft_base", fig.period, fig.amount))
    for d in derived(entries):
        if d.rule == D.RULE_IMPLIED:
            items.append(_Item("implied_revenue", period_of(d.entry), d.revenue, D.LOWER if d.lower_bound else None))
        elif d.rule == D.RULE_SHARE:
            column = "openai_share" if entity_of(d.base_account) == "OpenAI" else "microsoft_share"
            items.append(_Item(column, Period(d.date, d.date), d.share))
    return items


# --- the period grid -------------------------------------------------------


def _cell(day: datetime.date, by: str) -> Period:
    if by == "year":
        return parse_period(f"{day.year}")
    if by == "half":
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def _rows(periods: list[Period], by: str) -> list[Period]:
    """The grid of `by` periods over the figures, merging cells a figure spans.

    A figure cannot be split into the cells it spans (a yearly total says
    nothing about its quarters), so those cells become one row.
    """
    if by not in BY:
        raise ValueError(f"cannot report by {by!r}: use one of {', '.join(BY)}")
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    cells = []
    day = first
    while day <= last:
        cell = _cell(day, by)
        cells.append(cell)
        day = cell.end + datetime.timedelta(days=1)
    starts = [c.start for c in cells]
    spans = sorted({(bisect.bisect_right(starts, p.start) - 1, bisect.bisect_right(starts, p.end) - 1)
                    for p in periods})
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


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def _row(period: Period, label: str, items: list[_Item]) -> dict:
    by_column = defaultdict(list)
    for item in items:
        by_column[item.column].append(item)
    row = {"period": label, "start": period.start, "end": period.end}
    covered = _span(i.period for i in items if i.column not in ("openai_share", "microsoft_share"))
    row["covered"] = covered.label if covered else None
    for column in PERIOD_MONEY:
        row[column] = _sum(i.amount for i in by_column[column])
    implied = by_column["implied_revenue"]
    row["revenue_bound"] = "lower" if any(i.bound == "lower" for i in implied) else None
    # Inference over revenue only where both cover the same span.
    inference_span = _span(i.period for i in by_column["inference"])
    revenue_span = _span(i.period for i in implied)
    ratio = None
    if row["inference"] is not None and row["implied_revenue"] and inference_span == revenue_span:
        ratio = row["inference"] / row["implied_revenue"]
    row["inference_to_revenue"] = ratio
    return row


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
      microsoft_share       Microsoft's 20% to OpenAI (NaN: no Microsoft base recorded)
      implied_revenue       OpenAI revenue the payments imply
      revenue_bound         "lower" where implied_revenue is a lower bound, else None
      inference             inference spend on Azure
      inference_to_revenue  inference / implied_revenue (NaN unless both cover the same span)
    Money columns are float64 USD; NaN where no figure covers the cell.
    """
    import pandas as pd

    items = [i for i in _period_items(entries) if i.amount is not None]
    if not items:
        return pd.DataFrame(columns=list(PERIOD_COLUMNS))
    periods = _rows([i.period for i in items], by)
    starts = [p.start for p in periods]
    inside: list[list[_Item]] = [[] for _ in periods]
    for item in items:  # every item lies inside exactly one row: the rows merge what a figure spans
        inside[bisect.bisect_right(starts, item.period.start) - 1].append(item)
    rows = [_row(period, period.label, its) for period, its in zip(periods, inside)]
    if totals:
        whole = Period(rows[0]["start"], rows[-1]["end"])
        rows.append(_row(whole, TOTAL, items))
    frame = pd.DataFrame(rows, columns=list(PERIOD_COLUMNS))
    for column in (*PERIOD_MONEY, "inference_to_revenue"):
        frame[column] = frame[column].map(lambda v: float(v) if v is not None else float("nan")).astype("float64")
    return frame


# --- reconciliation --------------------------------------------------------


@dataclass
class _Cell:
    """One (metric, period) row of the reconciliation, while it is built."""

    metric: str
    period: Period
    unit: str = "USD"
    values: dict = field(default_factory=dict)
    bound: str | None = None
    sources: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def put(self, kind: str, amount: Decimal, source: str | None, what: str | None = None):
        if kind in self.values:
            self.notes.append(f"also {kind}: {_fmt(amount)} ({source or 'no source'})")
            return
        self.values[kind] = amount
        if source and source not in self.sources:
            self.sources.append(source)
        if what:
            self.notes.append(what)


def _fmt(value: Decimal) -> str:
    """A figure in running text: thousands separated, cents only when there are any."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value}"


def _months(period: Period) -> int | None:
    s, e = period.start, period.end
    if s.day != 1 or (e + datetime.timedelta(days=1)).day != 1:
        return None
    return (e.year - s.year) * 12 + e.month - s.month + 1


def _covering_sum(pairs, period: Period) -> Decimal | None:
    """The sum of the (period, amount) pairs inside `period`, if they tile it exactly."""
    inside = sorted((p, a) for p, a in pairs if period.contains(p))
    if not inside:
        return None
    day = period.start
    for p, _ in inside:
        if p.start != day:
            return None
        day = p.end + datetime.timedelta(days=1)
    if day != period.end + datetime.timedelta(days=1):
        return None
    return sum((a for _, a in inside), Decimal(0))


def reconcile_table(entries, options_map=None):
    """The sources side by side, per metric and period, with the gap and what it implies.

    Columns (stable; the Fava extension reads them):
      metric            the figure's metric ("revenue", "revenue-share", "inference", ...)
      period, start, end
                        the period's label and datetime.date bounds
      unit              "USD", or "ratio" for figures that are fractions
      leaked, disclosed, reported, claimed, assumed
                        the figure of that kind for the metric and period (NaN: none)
      implied           what the plugins derive: OpenAI revenue implied by the
                        net payments, or its annualized rate for a run-rate claim
      implied_bound     "lower" where `implied` is a lower bound, else None
      gap               outside minus books: the first of reported/claimed minus
                        the first of leaked/disclosed/assumed/implied (NaN: nothing to compare)
      reconciling_base  for OpenAI revenue with a reported figure: the Microsoft
                        revenue base that squares it with the net payment,
                        (OpenAI's rate x reported - payment) / Microsoft's rate
      implies           what the gap says, in words
      sources           the sources of the row's figures, "; "-separated
    Money is float64; NaN where there is no figure.
    """
    import pandas as pd

    book, _ = read_rules(entries)
    cells: dict[tuple, _Cell] = {}

    def cell(metric: str, period: Period) -> _Cell:
        key = (metric, period)
        if key not in cells:
            cells[key] = _Cell(metric, period)
        return cells[key]

    figures = _live(figures_of(entries))
    payments = [(f.period, f.amount) for f in figures if f.posting and f.metric == PAYMENT_METRIC and f.amount is not None]
    microsoft_base = [(f.period, f.amount) for f in figures
                      if f.posting and f.metric in MICROSOFT_BASE_METRICS and f.amount is not None]

    for fig in figures:
        if fig.amount is None or fig.kind is None:
            continue
        metric, what = COMPARED.get(fig.metric, (fig.metric, None))
        row = cell(metric, fig.period)
        amount_value = fig.entry.values[1].value if isinstance(fig.entry, data.Custom) else None
        if isinstance(fig.entry, data.Custom) and not hasattr(amount_value, "currency"):
            row.unit = "ratio"
        row.put(fig.kind, fig.amount, fig.source, what)
        if fig.entry.meta.get(D.BOUND) == D.LOWER or fig.entry.meta.get("qualifier") == "more than":
            row.notes.append(f"the {fig.kind} figure is a lower bound (more than {_fmt(fig.amount)})")
        if fig.cumulative is not None and fig.cumulative_period is not None:
            whole = cell(fig.metric, fig.cumulative_period)
            if fig.kind not in whole.values:
                whole.put(fig.kind, fig.cumulative, fig.source,
                          f"given as one figure; the books record it as increments, the last over {fig.period}")

    implied = []
    for d in derived(entries, D.RULE_IMPLIED):
        implied.append((period_of(d.entry), d.revenue, D.LOWER if d.lower_bound else None))
    implied_pairs = [(p, a) for p, a, _ in implied]
    lower_periods = [p for p, _, b in implied if b == D.LOWER]
    for period, _, _ in implied:
        cell(REVENUE_METRIC, period)
    for (metric, period), row in list(cells.items()):
        if metric == PAYMENT_METRIC and period not in {p for p, _ in payments}:
            cell(REVENUE_METRIC, period)  # a cumulative payment implies revenue over its whole span
    for (metric, period), row in cells.items():
        if metric != REVENUE_METRIC:
            continue
        total = _covering_sum(implied_pairs, period)
        if total is not None:
            row.values["implied"] = total
            if any(period.contains(p) for p in lower_periods):
                row.bound = "lower"
        payment = _covering_sum(payments, period)
        reported = row.values.get("reported")
        if reported is not None and payment is not None:
            oai_rate = book.rate_at(A.OAI_REVENUE, period.end)
            ms_rate = book.payer_rate_at("Microsoft", period.end)
            if oai_rate > 0 and ms_rate > 0:
                base = reconciling_base(reported, payment, oai_rate, ms_rate)
                row.values["reconciling_base"] = base
                text = (f"a Microsoft revenue base (Bing + Azure OpenAI Service) of {_fmt(base)} would reconcile "
                        f"the reported revenue with the net payment: ({oai_rate} x {_fmt(reported)} - {_fmt(payment)}) / {ms_rate}")
                recorded = _covering_sum(microsoft_base, period)
                if recorded is not None:
                    text += f"; the books record {_fmt(recorded)}"
                row.notes.append(text)
        elif total is not None and row.bound == "lower":
            row.notes.append("lower bound: no Microsoft revenue base is recorded, so Microsoft's 20% is taken as zero")

    # Inference against the revenue implied for the same span.
    for (metric, period), row in cells.items():
        spend = row.values.get("leaked") if metric == INFERENCE_METRIC else None
        revenue = _covering_sum(implied_pairs, period) if spend is not None else None
        if revenue:
            lower = any(period.contains(p) for p in lower_periods)
            row.notes.append(f"inference is {spend / revenue:.2f}x the revenue implied for {period}"
                             + (" (at most: that revenue is a lower bound)" if lower else ""))

    # The claimed run rate against the latest period's implied revenue, annualized.
    latest = max(((p, a, b) for p, a, b in implied if _months(p)), key=lambda t: (t[0].end, t[0].start), default=None)
    for (metric, period), row in cells.items():
        if metric != RUN_RATE_METRIC or latest is None:
            continue
        basis, amount, bound = latest
        factor = Decimal(12) / Decimal(_months(basis))
        row.values["implied"] = amount * factor
        row.bound = bound
        row.notes.append(f"implied: the revenue implied for {basis} annualized, {_fmt(amount)} x {_fmt(factor)}")

    records = []
    order = {m: i for i, m in enumerate((PAYMENT_METRIC, REVENUE_METRIC, RUN_RATE_METRIC, INFERENCE_METRIC))}
    for (metric, period), row in sorted(cells.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][0],
                                                                       kv[0][1].start, kv[0][1].end)):
        values = row.values
        inside = next((values[k] for k in BOOK_KINDS if k in values), None)
        outside = next((values[k] for k in OUTSIDE_KINDS if k in values), None)
        gap = outside - inside if inside is not None and outside is not None else None
        if gap is not None and inside and outside:
            outside_kind = next(k for k in OUTSIDE_KINDS if k in values)
            inside_kind = next(k for k in BOOK_KINDS if k in values)
            high, low = (outside_kind, inside_kind) if abs(outside) >= abs(inside) else (inside_kind, outside_kind)
            row.notes.append(f"{high} is {max(outside / inside, inside / outside):.2f}x {low}")
        records.append({
            "metric": metric,
            "period": period.label,
            "start": period.start,
            "end": period.end,
            "unit": row.unit,
            **{k: values.get(k) for k in RECONCILE_VALUES},
            "implied_bound": row.bound,
            "gap": gap,
            "reconciling_base": values.get("reconciling_base"),
            "implies": "; ".join(row.notes) or None,
            "sources": "; ".join(row.sources) or None,
        })
    frame = pd.DataFrame(records, columns=list(RECONCILE_COLUMNS))
    for column in (*RECONCILE_VALUES, "gap", "reconciling_base"):
        frame[column] = frame[column].map(lambda v: float(v) if v is not None else float("nan")).astype("float64")
    return frame


def compare_tables(tables: dict):
    """Period tables of several books interleaved: for each period, one row per book.

    `tables` maps a book's name to its `period_table`, the base first. The
    result has a `book` column after `period`, and the period table's columns.
    """
    import pandas as pd

    frames = []
    for rank, (name, frame) in enumerate(tables.items()):
        frames.append(frame.assign(book=name, _rank=rank))
    merged = pd.concat(frames, ignore_index=True)
    is_total = merged["period"] == TOTAL
    merged = merged.assign(_total=is_total).sort_values(["_total", "start", "end", "_rank"], kind="stable")
    columns = ["period", "book", *[c for c in PERIOD_COLUMNS if c != "period"]]
    return merged[columns].reset_index(drop=True)


# --- loading ---------------------------------------------------------------


def _load(path):
    from leakledger.books import error_line, load_books

    entries, errors, options_map = load_books(path)
    if errors:
        raise BooksHaveErrors(f"{path} has {len(errors)} error(s), the first: {error_line(errors[0])}")
    return entries, options_map


def load_period_table(path, by: str = "year"):
    """`period_table` of a ledger file, loaded fresh; BooksHaveErrors if it has errors."""
    return period_table(*_load(path), by=by)


def load_reconcile_table(path):
    """`reconcile_table` of a ledger file, loaded fresh; BooksHaveErrors if it has errors."""
    return reconcile_table(*_load(path))
