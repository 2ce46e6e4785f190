"""The interval of a refined total's remainder: the total's range less its parts'.

Where quarters refine a year, the books post the year's remainder over the
days the quarters miss (`plugins/figures.py`). When the year or a quarter
is a range (0.5B..1.5B), so is the remainder: [total.low − Σ part.high,
total.high − Σ part.low], an open end of any of them open. Each piece of
it (one per uncovered span) takes the share of days its amount takes, its
ends rounded outward to the cent. Written as `remainder-low:` and
`remainder-high:` (`leakledger.derived`) on the refined total and on each
piece; the shares plugin and the views read them back.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from beancount.core.amount import Amount

from leakledger import derived as D
from leakledger.intervals import Interval
from leakledger.model import CURRENCY

__all__ = ["parts_meet", "piece_ranges", "remainder_interval", "remainder_ranges", "total_and_parts"]

_CENT = Decimal("0.01")


def remainder_interval(ref) -> Interval | None:
    """A `leakledger.figures.Refinement`'s remainder as an interval; None where every figure is exact.

    An exact total with exact parts (none `states_range`, as most are) is
    answered without reading any figure's interval.
    """
    if all(not f.states_range or f.interval is None or f.interval.is_exact for f in (ref.total, *ref.parts)):
        return None
    total, parts = total_and_parts(ref)
    return total - parts


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
