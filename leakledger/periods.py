"""Periods: the spans a leaked figure covers, as people type them.

A figure is a total over a period, so every figure is dated on its period's
last day and carries `period-start:`. This module is the one place that turns
`2024`, `2025-Q3`, `2025-H1`, `2025-09` and `2025-01..2025-09` into dates and
back; the plugins, the CLI, the importers and the reports all use it.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from leakledger.errors import UsageError

__all__ = [
    "HORIZON",
    "Coverage",
    "Period",
    "Rows",
    "PeriodError",
    "covered_span",
    "day_of",
    "horizon_error",
    "parse_period",
    "period_of",
    "month_end",
    "quarter_of",
    "spans_label",
    "spans_outer",
]


class PeriodError(UsageError):
    """A period that cannot be parsed or makes no sense."""


#: The years a figure may speak of. Fava and the reports step through periods by date
#: arithmetic; a figure dated 9999 makes the next year overflow, so none may be.
HORIZON = (1900, 2200)


def horizon_error(day: datetime.date) -> str | None:
    """Why a figure's date is outside the horizon, or None."""
    first, last = HORIZON
    if first <= day.year <= last:
        return None
    return f"{day.isoformat()} is outside the years figures may speak of ({first} to {last})"


def day_of(value) -> datetime.date | None:
    """A date, or text `YYYY-MM-DD` (as Fava's forms write `period-start:`), as a date; None for anything else."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _DAY.match(value := value.strip()):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(day: datetime.date) -> str:
    """The label of the quarter a day lies in, as a period is typed: 2025-07-14 is in 2025-Q3."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A closed span of days, [start, end] (slotted: a large book's plugins make one per figure)."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def contains_date(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def grain(self) -> str | None:
        """ "year", "half", "quarter" or "month" where the period is one whole such period, else None."""
        label = self.label
        for grain, pattern in _GRAINS:
            if pattern.fullmatch(label):
                return grain
        return None

    @property
    def label(self) -> str:
        """The shortest canonical text that parses back to this period."""
        s, e = self.start, self.end
        whole_months = s.day == 1 and e == month_end(e.year, e.month)
        if not whole_months:
            return s.isoformat() if s == e else f"{s.isoformat()}..{e.isoformat()}"
        if s.year == e.year:
            if s.month == 1 and e.month == 12:
                return f"{s.year:04d}"
            if s.month == e.month:
                return f"{s.year:04d}-{s.month:02d}"
            if e.month - s.month == 5 and s.month in (1, 7):
                return f"{s.year:04d}-H{1 if s.month == 1 else 2}"
            if e.month - s.month == 2 and s.month % 3 == 1:
                return quarter_of(s)
        return f"{s.year:04d}-{s.month:02d}..{e.year:04d}-{e.month:02d}"

    def __str__(self) -> str:
        return self.label


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})-[Hh]([12])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _single(text: str) -> Period:
    """One period term: a year, quarter, half, month or day."""
    if (m := re.match(r"^(\d{4})", text)) and not HORIZON[0] <= int(m[1]) <= HORIZON[1]:
        raise PeriodError(
            f"year {m[1]} in period {text!r} is outside the years figures may speak of ({HORIZON[0]} to {HORIZON[1]})"
        )
    if m := _YEAR.match(text):
        y = int(m[1])
        return Period(datetime.date(y, 1, 1), datetime.date(y, 12, 31))
    if m := _QUARTER.match(text):
        y, q = int(m[1]), int(m[2])
        return Period(datetime.date(y, 3 * q - 2, 1), month_end(y, 3 * q))
    if m := _HALF.match(text):
        y, h = int(m[1]), int(m[2])
        return Period(datetime.date(y, 6 * h - 5, 1), month_end(y, 6 * h))
    if m := _MONTH.match(text):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise PeriodError(f"no month {mo} in period {text!r}")
        return Period(datetime.date(y, mo, 1), month_end(y, mo))
    if m := _DAY.match(text):
        try:
            day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise PeriodError(f"no such day {text!r}: {exc}") from None
        return Period(day, day)
    raise PeriodError(f"cannot read period {text!r}: use 2024, 2025-Q3, 2025-H1, 2025-09 or 2025-01..2025-09")


def parse_period(text: str) -> Period:
    """Parse the period syntax people type; raise PeriodError with one clear line."""
    if not isinstance(text, str):
        raise PeriodError(f"cannot read period {text!r}")
    text = text.strip()
    if ".." in text:
        first, _, last = text.partition("..")
        if not first.strip() or not last.strip() or ".." in last:
            raise PeriodError(f"cannot read period range {text!r}: use FROM..TO, e.g. 2025-01..2025-09")
        start, end = _single(first.strip()), _single(last.strip())
        if end.end < start.start:
            raise PeriodError(f"period range {text!r} ends before it starts")
        return Period(start.start, end.end)
    return _single(text)


def period_of(entry) -> Period:
    """The period a dated entry covers: from its `period-start:` (a date, or its text) to its date.

    An entry without a readable `period-start:` covers its own day; the integrity
    plugin reports one that is there but unreadable, at its line.
    """
    start = day_of(entry.meta.get("period-start")) if entry.meta else None
    if start is None:
        start = entry.date
    if start > entry.date:
        return Period(entry.date, entry.date)
    return Period(start, entry.date)


_GRAINS = (
    ("year", re.compile(r"\d{4}")),
    ("half", re.compile(r"\d{4}-H[12]")),
    ("quarter", re.compile(r"\d{4}-Q[1-4]")),
    ("month", re.compile(r"\d{4}-\d{2}")),
)


class Rows:
    """Rows that each start on a day and run until the next one starts (a table's periods, an account's moves):
    which row holds a day, found by bisect over the starts, given in ascending order and listed once."""

    __slots__ = ("_starts",)

    def __init__(self, starts: Iterable[datetime.date]) -> None:
        self._starts = list(starts)

    def row_of(self, day: datetime.date) -> int:
        """The index of the last row to start on or before `day`; -1 where `day` is before the first."""
        return bisect.bisect_right(self._starts, day) - 1


class Coverage:
    """The days some of `periods` cover, as disjoint runs sorted once: what a span has of them reads one run."""

    def __init__(self, periods: Iterable[Period]) -> None:
        runs: list[list[datetime.date]] = []
        for p in sorted(periods, key=lambda p: p.start):
            if runs and p.start <= runs[-1][1] + datetime.timedelta(days=1):  # touching runs are one
                runs[-1][1] = max(runs[-1][1], p.end)
            else:
                runs.append([p.start, p.end])
        self._starts = [start for start, _ in runs]
        self._runs = Rows(self._starts)
        self._ends = [end for _, end in runs]

    def misses(self, span: Period) -> bool:
        """Whether some day of `span` lies in none of the periods."""
        i = self._runs.row_of(span.start)
        return i < 0 or self._ends[i] < span.end

    def gaps(self, span: Period) -> list[Period]:
        """The runs of days of `span` that none of the periods covers, in order."""
        runs, day = [], span.start
        first = max(self._runs.row_of(span.start), 0)
        for start, end in zip(self._starts[first:], self._ends[first:]):
            if start > span.end:
                break
            if start > day:
                runs.append(Period(day, start - datetime.timedelta(days=1)))
            day = max(day, end + datetime.timedelta(days=1))
        if day <= span.end:
            runs.append(Period(day, span.end))
        return runs

    def touches(self, span: Period) -> bool:
        """Whether some day of `span` lies in one of the periods (some period overlaps it)."""
        i = self._runs.row_of(span.end)  # the last run to start by the span's end
        return i >= 0 and self._ends[i] >= span.start


#: How many of a span's gaps `spans_label` names before "and N more".
GAPS_NAMED = 3


def covered_span(periods: Iterable[Period]) -> tuple[Period, tuple[Period, ...]]:
    """(first to last day of `periods`, the runs of days between them that none covers): what `spans_label`
    writes. `periods` must not be empty."""
    periods = list(periods)
    span = Period(min(p.start for p in periods), max(p.end for p in periods))
    return span, tuple(Coverage(periods).gaps(span))


def spans_label(span: Period, gaps: Sequence[Period] = ()) -> str:
    """What some figures cover: their first to last day, less the days none covers inside
    ("2024-01..2030-12 except 2026-Q1"), so a hole in the middle is never read as covered."""
    if not gaps:
        return span.label
    named = ", ".join(gap.label for gap in gaps[:GAPS_NAMED])
    more = len(gaps) - GAPS_NAMED
    return f"{span.label}{EXCEPT}{named}" + (f" and {more} more" if more > 0 else "")


#: Between a span and the holes inside it in what `spans_label` writes.
EXCEPT = " except "


def spans_outer(text: str) -> Period:
    """The first to last day of what `spans_label` wrote, its holes aside ("2024-01..2030-12 except 2026-Q1"
    is 2024-01..2030-12): for a reader that asks only where the figures start and end."""
    return parse_period(text.split(EXCEPT, 1)[0])


class Window:
    """Items sorted once by a day (`key`): those whose day lies in a span, by bisect, in the order they came in."""

    __slots__ = ("_keys", "_items")

    def __init__(self, items: Iterable, key) -> None:
        ranked = sorted(((key(x), n, x) for n, x in enumerate(items)), key=lambda t: t[:2])
        self._keys = [t[0] for t in ranked]
        self._items = ranked

    def within(self, start: datetime.date, end: datetime.date) -> list:
        """The items whose day is from `start` to `end`, in their given order."""
        found = self._items[bisect.bisect_left(self._keys, start) : bisect.bisect_right(self._keys, end)]
        return [t[2] for t in (sorted(found, key=lambda t: t[1]) if len(found) > 1 else found)]

    def upto(self, end: datetime.date) -> list:
        """The items whose day is `end` or before, in their given order."""
        found = self._items[: bisect.bisect_right(self._keys, end)]
        return [t[2] for t in sorted(found, key=lambda t: t[1])]
