"""Intervals: a number known only to lie between two ends, either of which may be open.

Sources state figures with a precision ("3.7B" is 3.65B..3.75B), as bounds
("at least 3.5B") or as ranges ("0.5B–1.5B a year"); a base with no recorded
figure is [0, ∞). Every number derived from such figures is an interval too,
computed here from its inputs' intervals, so that what a view shows as
`1.65B–3.15B`, `≥ x` or `≤ x` follows from one arithmetic. An open end is
None: an open low is −∞, an open high +∞.

The operations are the ones the model needs: +, −, × and ÷ by an exact rate,
and the ratio of two non-negative intervals. Each is the tightest interval
holding every value the operation gives on points chosen inside its inputs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["Interval", "IntervalError", "Spread", "UNKNOWN_BASE"]


class IntervalError(ValueError):
    """An interval whose low end lies above its high end."""


@dataclass(frozen=True)
class Interval:
    """[low, high] over Decimals; None is an open end (low −∞, high +∞)."""

    low: Decimal | None
    high: Decimal | None

    def __post_init__(self) -> None:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise IntervalError(f"range {self.low:,}..{self.high:,} is reversed: its low end is above its high end")

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        """A number known exactly: [value, value]."""
        return cls(value, value)

    @classmethod
    def at_least(cls, value: Decimal) -> Interval:
        """[value, ∞): what "≥ value" has always meant in the books."""
        return cls(value, None)

    @property
    def is_exact(self) -> bool:
        return self.low is not None and self.low == self.high

    @property
    def bounded(self) -> bool:
        """Both ends known."""
        return self.low is not None and self.high is not None

    @property
    def midpoint(self) -> Decimal | None:
        """The middle of a bounded interval; None when an end is open."""
        if self.low is None or self.high is None:
            return None
        return (self.low + self.high) / 2

    def contains(self, value: Decimal) -> bool:
        return (self.low is None or self.low <= value) and (self.high is None or value <= self.high)

    def meets(self, other: Interval) -> bool:
        """Whether the two share a point: a total and its parts agree when their intervals meet."""
        below = self.high is not None and other.low is not None and self.high < other.low
        above = self.low is not None and other.high is not None and other.high < self.low
        return not (below or above)

    def intersection(self, other: Interval) -> Interval:
        """Where two intervals that both hold one value overlap: two sound enclosures give a tighter one."""
        low = other.low if self.low is None or (other.low is not None and other.low > self.low) else self.low
        high = other.high if self.high is None or (other.high is not None and other.high < self.high) else self.high
        return Interval(low, high)

    def __add__(self, other: Interval) -> Interval:
        return Interval(_add(self.low, other.low), _add(self.high, other.high))

    def __neg__(self) -> Interval:
        return Interval(None if self.high is None else -self.high, None if self.low is None else -self.low)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def times(self, rate: Decimal) -> Interval:
        """× an exact rate (a 20% share is `revenue.times(Decimal("0.20"))`); a negative rate swaps the ends."""
        if rate == 0:
            return Interval.exact(Decimal(0))
        low = None if self.low is None else self.low * rate
        high = None if self.high is None else self.high * rate
        return Interval(low, high) if rate > 0 else Interval(high, low)

    def divided_by(self, rate: Decimal) -> Interval:
        """÷ an exact, non-zero rate (the revenue a 20% share implies is `share.divided_by(Decimal("0.20"))`)."""
        if rate == 0:
            raise ZeroDivisionError("an interval divided by a zero rate")
        low = None if self.low is None else self.low / rate
        high = None if self.high is None else self.high / rate
        return Interval(low, high) if rate > 0 else Interval(high, low)

    def over(self, denominator: Interval) -> Interval | None:
        """self ÷ denominator of non-negative quantities (a ratio such as inference ÷ revenue).

        Both are cut at zero first (an open low end is 0). None when the
        denominator is zero throughout (nothing is known); a denominator
        reaching down to zero opens the high end.
        """
        numerator, denominator = self.at_least_zero(), denominator.at_least_zero()
        assert numerator.low is not None and denominator.low is not None  # at_least_zero closes the low end
        if denominator.high is not None and denominator.high == 0:
            return None
        low = Decimal(0) if denominator.high is None else numerator.low / denominator.high
        high = None if numerator.high is None or denominator.low == 0 else numerator.high / denominator.low
        return Interval(low, high)

    def map_ends(self, fn) -> Interval:
        """The same interval with `fn` applied to each known end (rounding to the cent, say); fn must not decrease."""
        return Interval(None if self.low is None else fn(self.low), None if self.high is None else fn(self.high))

    def none_to_all(self) -> Interval:
        """What part of an amount over a span falls in a part of it, when how it spreads is not known: from none
        of it to all of it (Microsoft's 200M funded over 2025-10..2026-03, in 2025: 0..200M); an open end stays open.
        """
        zero = Decimal(0)
        return Interval(
            None if self.low is None else min(self.low, zero), None if self.high is None else max(self.high, zero)
        )

    def at_least_zero(self) -> Interval:
        """The interval cut at zero from below: a revenue or a base is never negative."""
        zero = Decimal(0)
        low = zero if self.low is None or self.low < zero else self.low
        high = self.high if self.high is None or self.high >= zero else zero
        return Interval(low, high)


@dataclass(frozen=True)
class Spread:
    """How far an amount may move from its posted value: a sum of coefficients times independent inputs' moves.

    Interval sums forget that two lines move with one input: OpenAI's 20%
    of revenue R and Microsoft's solved 0.2·R − N both move with R, so
    Microsoft's net (its 20% less its share paid) is exact though each is a
    range. A Spread keeps, per input (a ranged figure, by key), its
    coefficient and how far it may move (`deviation`: its interval less its
    posted amount), so such terms cancel and `interval()` is tight for sums
    and differences of the inputs.
    """

    terms: dict[Hashable, tuple[Decimal, Interval]] = field(default_factory=dict)

    @classmethod
    def of(cls, key: Hashable, coefficient: Decimal, deviation: Interval) -> Spread:
        return cls({key: (coefficient, deviation)})

    def __add__(self, other: Spread) -> Spread:
        return Spread.total((self, other))

    @classmethod
    def total(cls, spreads: Iterable[Spread]) -> Spread:
        """Many spreads added up in one pass: `sum(spreads, Spread())` copies the terms at every step (a
        statement adds one per posting, 60,000 on 100k books: 0.44 s of a 0.42 s statement, profiled)."""
        terms: dict[Hashable, tuple[Decimal, Interval]] = {}
        for spread in spreads:
            for key, (coefficient, deviation) in spread.terms.items():
                had = terms.get(key)
                terms[key] = (coefficient + (had[0] if had else _ZERO), deviation)
        return cls(terms)

    def scaled(self, factor: Decimal) -> Spread:
        return Spread({key: (c * factor, d) for key, (c, d) in self.terms.items()})

    def __sub__(self, other: Spread) -> Spread:
        return self + other.scaled(Decimal(-1))

    def interval(self) -> Interval:
        """The interval of the move: each input's deviation times its coefficient, added up."""
        return sum(
            (d.times(c) for c, d in self.terms.values() if c != 0),
            Interval.exact(Decimal(0)),
        )

    def around(self, amount: Decimal) -> Interval:
        """amount plus the move."""
        return Interval.exact(amount) + self.interval()


_ZERO = Decimal(0)

#: A revenue base with no recorded figure: anything from nothing up.
UNKNOWN_BASE = Interval(Decimal(0), None)


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b
