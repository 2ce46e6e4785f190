"""What both report tables read, and the exact numbers they hold.

The period table (`leakledger.reports`) and the reconciliation
(`leakledger.reconciliation`) read the same figures and write the same kind
of cells. Money is `Decimal` to the cent from the books to the output; a
ratio is a `Decimal` rounded once, here, to `RATIO` (banker's rounding, as
beanquery's `round(x, 2)` on the Query page), and every view prints it as it
is. A cell no figure covers is None, never zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any

from leakledger.amounts import cents
from leakledger.figures import Figure
from leakledger.intervals import Interval
from leakledger.metadata import text_of
from leakledger.periods import Period

__all__ = [
    "INFERENCE_METRIC",
    "MICROSOFT_BASE_METRICS",
    "REVENUE_METRIC",
    "RUN_RATE_METRIC",
    "MICROSOFT_SHARE_ENDED",
    "SOLVED_NOT_IMPLIED",
    "OPENAI_SHARE_CAPPED",
    "RATIO",
    "live",
    "missing",
    "plain",
    "money",
    "ratio",
    "ratio_interval",
    "row_interval",
    "running",
    "tiled_sum",
    "months",
]

INFERENCE_METRIC = "inference"
MICROSOFT_BASE_METRICS = ("bing-revenue", "azure-openai-revenue")
RUN_RATE_METRIC = "revenue-run-rate"
REVENUE_METRIC = "revenue"
#: The period table's column saying why OpenAI's 20% is what it is where a cap cut it or holds it at 0.
OPENAI_SHARE_CAPPED = "openai_share_capped"
#: ... and why Microsoft's 20% is a known 0 where no rule puts a rate on its bases any more (the share ended).
MICROSOFT_SHARE_ENDED = "microsoft_share_ended"

#: Why no revenue is implied beside a recorded one: the row's `implied_revenue_blank`, the table's note, the pages.
SOLVED_NOT_IMPLIED = "the net payments then solve Microsoft's share instead of implying revenue"

#: Ratios (inference over revenue, "2.01x") are rounded once, to two places.
RATIO = Decimal("0.01")


def missing(value) -> bool:
    """None, or pandas' own marker of a missing cell."""
    if value is None:
        return True
    import pandas as pd

    return not isinstance(value, (str, Decimal)) and bool(pd.isna(value))


def plain(value) -> object:
    """A cell as CSV and JSON carry it: exact decimal text for numbers, ISO dates, None for missing.

    Money and ratios are strings ("493800000.00", "1.53") so that every JSON
    reader keeps them exact: a JSON number becomes a float in most readers.
    """
    if missing(value):
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def live(figures: list[Figure]) -> list[Figure]:
    """Figures that count: not superseded (a superseded record says so in `status:`)."""
    return [f for f in figures if not f.superseded_by and text_of(f.entry.meta.get("status")) != "superseded"]


def money(value: Decimal | None) -> Decimal | None:
    """A money cell: the cents it stands for, or None."""
    return None if value is None else cents(value)


def ratio(numerator: Decimal | None, denominator: Decimal | None, rounding: str = ROUND_HALF_EVEN) -> Decimal | None:
    """numerator / denominator rounded once to RATIO; None where either is missing or the base is 0.

    `rounding`: ROUND_CEILING for a ratio that is an upper bound (over a revenue that is a lower one), so that
    it stays one ("≤ 1.42" of 1.4147, not "≤ 1.41")."""
    if numerator is None or not denominator:
        return None
    return (numerator / denominator).quantize(RATIO, rounding=rounding)


def ratio_interval(numerator: Interval, denominator: Interval) -> Interval | None:
    """numerator ÷ denominator of non-negative intervals (`Interval.over`), each end rounded outward to RATIO.

    Exact over exact is `ratio` of the two. Over a lower bound the ratio is an upper bound, rounded up
    (38B over ≥ 3.343B is "≤ 11.37", never "≤ 11.36"); over a range, a range. None where nothing is known.
    """
    if numerator.is_exact and denominator.is_exact:
        value = ratio(numerator.low, denominator.low)
        return None if value is None else Interval.exact(value)
    interval = numerator.over(denominator)
    # over a denominator open above, the low end `over` gives is 0: no bound worth saying, "≤ x" alone
    low = None if interval is None or denominator.high is None else interval.low
    high = None if interval is None else interval.high
    if low is None and high is None:
        return None  # a lower bound over another (or over nothing known): the ratio says nothing
    return Interval(
        None if low is None else low.quantize(RATIO, ROUND_FLOOR),
        None if high is None else high.quantize(RATIO, ROUND_CEILING),
    )


def running(value: Decimal) -> str:
    """A figure in running text: thousands separated, cents only when there are any."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value}"


def span_text(low: Decimal, high: Decimal, point: Callable[[Decimal], str] = running) -> str:
    """Two ends in a sentence, each in full: "1,181,000,000..1,281,000,000"; one number where they meet.

    What explanations (notes, explain, reconcile, errors) write; tables write a range compactly
    (`presentation.range_text`, "1.181B–1.281B").
    """
    return point(low) if low == high else f"{point(low)}..{point(high)}"


def ends_text(low: Decimal | None, high: Decimal | None) -> str:
    """What two ends allow, in a sentence: "1,181,000,000..1,281,000,000", one number where they meet, "at least
    900,000,000" or "at most 0" where one end is open, "not known" where both are."""
    if low is not None and high is not None:
        return span_text(low, high)
    if low is not None:
        return f"at least {running(low)}"
    return f"at most {running(high)}" if high is not None else "not known"


def months(period: Period) -> int | None:
    """Whole calendar months in a period, or None if it does not start and end on month bounds."""
    s, e = period.start, period.end
    if s.day != 1 or (e + datetime.timedelta(days=1)).day != 1:
        return None
    return (e.year - s.year) * 12 + e.month - s.month + 1


def tiled_sum(pairs, period: Period, zero: Any = Decimal(0)) -> Any:
    """The sum of (period, amount) pairs that tile `period` exactly, or None if they don't.

    `zero`: what the amounts add up from (`Interval.exact(0)` to sum intervals the same way).

    Parts nest (a month in a quarter in a year), so from each day the longest
    part that starts there is taken: where nested figures both tile the
    period, the coarsest ones count, and none counts twice.
    """
    longest: dict[datetime.date, tuple[Period, Decimal]] = {}
    for p, amount in pairs:
        if amount is not None and period.contains(p) and (p.start not in longest or p.end > longest[p.start][0].end):
            longest[p.start] = (p, amount)
    day, total = period.start, zero
    while day <= period.end:
        if day not in longest:
            return None
        p, amount = longest[day]
        total += amount
        day = p.end + datetime.timedelta(days=1)
    return total


def row_interval(row, column: str) -> Interval | None:
    """The interval of a table cell: its range where `<column>_low`/`_high` hold one, else its value exactly;
    None if empty. The period table's and the reconciliation's alike."""
    low, high = row.get(f"{column}_low"), row.get(f"{column}_high")
    if not missing(low) or not missing(high):
        return Interval(None if missing(low) else low, None if missing(high) else high)
    value = row.get(column)
    return None if missing(value) else Interval.exact(value)
