"""The interval of a refined total's remainder: the total's range less its parts'.

Where quarters refine a year, the books post the year's remainder over the
days the quarters miss (`plugins/figures.py`). When the year or a quarter
is a range (0.5B..1.5B), so is the remainder: [total.low − Σ part.high,
total.high − Σ part.low], an open end of any of them open. Each piece of
it (one per uncovered span) takes the share of days its amount takes, its
ends rounded outward to the cent. Written as `remainder-low:` and
`remainder-high:` (`leakledger.derived`) on the refined total and on each
piece; the shares plugin and the views read them back.

A remainder keeps its total's sign, as the figures plugin requires of its
amount: the days no part covers cannot spend less than nothing, so a cost
of 0.5B..1.5B with a part of 699.5M..700.5M leaves 0..800.5M, not
-200.5M..800.5M. Where the parts cover every day nothing remains: they post
in the total's place, and the remainder is 0.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from beancount.core.amount import Amount

from leakledger import derived as D
from leakledger.intervals import Interval
from leakledger.model import CURRENCY

__all__ = [
    "completion_text",
    "parts_meet",
    "piece_ranges",
    "posted_remainder",
    "remainder_interval",
    "remainder_ranges",
    "signed_like",
    "total_and_parts",
]

_CENT = Decimal("0.01")


def remainder_interval(ref) -> Interval | None:
    """A `leakledger.figures.Refinement`'s remainder as an interval; None where every figure is exact.

    An exact total with exact parts (none `states_range`, as most are) is
    answered without reading any figure's interval.
    """
    if ref.complete or all(
        not f.states_range or f.interval is None or f.interval.is_exact for f in (ref.total, *ref.parts)
    ):
        return None
    total, parts = total_and_parts(ref)
    return signed_like(total, total - parts)


def signed_like(total: Interval, rest: Interval) -> Interval:
    """`rest` kept to `total`'s sign where the total has one (never below 0 under a total never below 0); as it
    is where that leaves nothing (the parts exceed the total: the figures plugin says so)."""
    zero = Decimal(0)
    if total.low is not None and total.low >= zero and (rest.high is None or rest.high >= zero):
        return Interval(zero if rest.low is None else max(rest.low, zero), rest.high)
    if total.high is not None and total.high <= zero and (rest.low is None or rest.low <= zero):
        return Interval(rest.low, zero if rest.high is None else min(rest.high, zero))
    return rest


def posted_remainder(ref) -> Decimal:
    """What a refined total's `remainder:` says remains: 0 where its parts cover every day (they post in its
    place, whatever the total's own midpoint), else the total less its parts."""
    return Decimal(0) if ref.complete else ref.remainder


def completion_text(ref, parts: str, total: str) -> str:
    """How a complete refinement reads: to the cent where the parts add up to the total's amount; else that the
    parts (`parts`: their sum as written) post in place of the total (`total`), within what it stands for."""
    if ref.recorded == (ref.total.amount or Decimal(0)):
        return "complete, to the cent"
    stated, added = total_and_parts(ref)
    # the parts' range may be wider than the total's (more figures, more rounding): then it only meets it
    within = stated.meets(added) and stated.intersection(added) == added
    how = " within" if within else ", which meets"
    return f"complete: the parts cover every day and post in its place, {parts}{how} the total's {total}"


def total_and_parts(ref) -> tuple[Interval, Interval]:
    """The intervals of a refinement's total and of its parts added up (a figure without one: its amount)."""
    total = ref.total.interval or Interval.exact(ref.total.amount or Decimal(0))
    parts = sum(
        (p.interval or Interval.exact(p.amount or Decimal(0)) for p in ref.parts),
        Interval.exact(Decimal(0)),
    )
    return total, parts


def _meta(interval: Interval) -> dict:
    meta = {}
    if interval.low is not None:
        meta[D.REMAINDER_LOW] = Amount(interval.low.quantize(_CENT, ROUND_FLOOR), CURRENCY)
    if interval.high is not None:
        meta[D.REMAINDER_HIGH] = Amount(interval.high.quantize(_CENT, ROUND_CEILING), CURRENCY)
    return meta


def remainder_ranges(ref) -> dict:
    """The refined total's `remainder-low:`/`remainder-high:`, or {} where the remainder is exact."""
    interval = remainder_interval(ref)
    return {} if interval is None else _meta(interval)


def piece_ranges(ref, pieces: list) -> list[dict]:
    """For each of `pieces` (`ref.remainder_pieces()`), its `remainder-low:`/`remainder-high:` ({} where exact).

    A piece is the remainder's share of days, so its interval is the
    remainder's times that share.
    """
    interval = remainder_interval(ref)
    if interval is None or not pieces:
        return [{} for _ in pieces]
    days = sum(gap.days for gap, _ in pieces)
    return [_meta(interval.times(Decimal(gap.days) / Decimal(days))) for gap, _ in pieces]


def parts_meet(ref) -> bool:
    """Whether a total and its parts can agree: their intervals meet (exact figures: equal to the cent).

    A complete set of parts refines its total when their sum lies in the
    range the total stands for (quarters adding to 13,068,000,000 under a
    year stated as 13.07B, 13,065,000,000..13,075,000,000).
    """
    total, parts = total_and_parts(ref)
    return total.meets(parts)
