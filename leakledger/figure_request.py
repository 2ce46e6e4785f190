"""One figure request -> the entry to write: parse, map, check. Once.

`leakledger add`, `leakledger import` and the beangulp leak-sheet importer
all turn what a person typed (metric, amount, period, provenance, flags)
into a `Plan` here, so the three can never disagree on what a figure means
or on which figures the books refuse. Nothing here touches a file.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from leakledger.amounts import FigureAmount, parse_figure_amount, quoted
from leakledger.errors import LeakledgerError, Refused, UsageError
from leakledger.figure_text import clean_text, entry_text, figure_entry, figure_link
from leakledger.figures import (
    HIGH,
    LOW,
    POSTED_AS,
    REFINES,
    SUPERSEDED_BY,
    Figure,
    Refinement,
    figure_of,
    figures_of,
    refine,
    usd,
)
from leakledger.model import CURRENCY, FUTURE_KINDS, KINDS, METRICS, sign_error, with_article
from leakledger.periods import Period, PeriodError, parse_period
from leakledger.urls import url_error

__all__ = [
    "FigureRequest",
    "Plan",
    "RECORD_KINDS",
    "FigureIndex",
    "RequestError",
    "UNDATED_KINDS",
    "find_duplicate",
    "own_links",
    "plan_figure",
    "plan_figures",
    "planned_entries",
    "usd",
]

#: Kinds that may speak of a period that has not ended yet (an assumption).
UNDATED_KINDS = FUTURE_KINDS
#: Kinds of figures from outside the leak: where the leak covers their metric, they are records.
RECORD_KINDS = ("reported", "claimed")
#: Kinds of the figures that cover a metric.
LEAK_KINDS = ("leaked", "disclosed")
#: The metrics whose figures cover each metric: OpenAI's revenue is implied from the net payments.
COVERED_BY = {"revenue": ("revenue", "revenue-share")}
SUPERSEDES = "supersedes"
#: Links the shares plugin adds to a source it buckets with others (`ll-` + 12 hex digits).
_DERIVED_LINK = re.compile(r"^ll-[0-9a-f]{12}$")


class RequestError(Refused):
    """A figure the books refuse; the message is one line."""


@dataclass(frozen=True)
class FigureRequest:
    """A figure as a person typed it, on the command line or in a sheet row."""

    metric: str
    amount: str
    period: str
    source: str
    kind: str = "leaked"
    url: str | None = None
    note: str | None = None
    cumulative: bool = False
    supersede: bool = False
    #: The day its source made it public (YYYY-MM-DD); None: known from its own date.
    known_since: str | None = None
    #: Where it came from, for messages: "sheet.csv:3"; None on the command line.
    where: str | None = None


@dataclass(frozen=True)
class Plan:
    """What recording one request means for the books."""

    request: FigureRequest
    #: The entry to write; for a duplicate, the recorded figure it repeats, re-rendered.
    entry: data.Transaction
    #: The amount as given (for a cumulative figure: the year-to-date total).
    given: Decimal
    duplicate_of: Figure | None = None
    superseded: tuple[Figure, ...] = ()
    #: The total the new figure refines, or that it is itself with its recorded parts.
    refinement: Refinement | None = None
    #: For a reported or claimed figure kept as a non-posting record: the leaked figure that covers it.
    covered_by: Figure | None = None

    @property
    def repeated_row(self) -> str | None:
        """The earlier row of the same sheet this row repeats ("row 2 of sheet.csv"); None if it is no
        duplicate, or a duplicate of a figure in the books."""
        old = self.duplicate_of
        return _where(old) if old is not None and ROW in old.entry.meta else None

    @property
    def posting(self) -> bool:
        return isinstance(self.entry, data.Transaction)

    @functools.cached_property
    def text(self) -> str:
        """The entry as Beancount text (rendered once: printed, then written)."""
        return entry_text(self.entry)

    @property
    def figure(self) -> Figure:
        return _rendered_figure(self.entry)

    @property
    def link(self) -> str | None:
        """The figure's link; a record has none."""
        return next(iter(getattr(self.entry, "links", None) or ()), None)

    @property
    def old_total(self) -> Decimal:
        return sum((f.amount or Decimal(0) for f in self.superseded), Decimal(0))

    @property
    def new_total(self) -> Decimal:
        amount = self.figure.amount
        assert amount is not None, "a rendered figure carries the amount it was given"
        return amount


def own_links(entry) -> list[str]:
    """The links written on an entry by hand (not those the plugins add: content links, the totals it refines)."""
    inherited = {link.strip() for link in str((entry.meta or {}).get(REFINES, "")).split(",")}
    return sorted(
        link
        for link in (getattr(entry, "links", None) or ())
        if not _DERIVED_LINK.match(link) and link not in inherited
    )


class FigureIndex:
    """The figures in the books as planning asks about them, in time proportional to the answer.

    Figures that count (posting, or refined totals) are kept by metric and by each
    month their period touches, so "which figures of this metric overlap this
    period" reads a few buckets, not every figure: a sheet of n rows plans in
    O(n), not O(n²). Records (non-posting figures) are kept by what makes two
    of them the same. Answers keep the books' order.
    """

    def __init__(self, figures: Iterable[Figure] = ()) -> None:
        self._order = itertools.count()
        self._active: dict[tuple[str, int], dict[int, tuple[int, Figure]]] = defaultdict(dict)  # (metric, month)
        self._records: dict[tuple, Figure] = {}
        for fig in figures:
            self.add(fig)

    @staticmethod
    def _keys(metric: str, period: Period):
        """(metric, month number) for each month the period touches."""
        first = period.start.year * 12 + period.start.month - 1
        last = period.end.year * 12 + period.end.month - 1
        return ((metric, month) for month in range(first, last + 1))

    def add(self, fig: Figure) -> None:
        if not fig.posting and not fig.refined:
            self._records.setdefault((fig.metric, fig.period, fig.amount, fig.kind), fig)
        elif fig.live:
            n = next(self._order)
            for key in self._keys(fig.metric, fig.period):
                self._active[key][id(fig)] = (n, fig)

    def supersede(self, fig: Figure) -> None:
        """`fig` no longer posts: a newer figure replaces it."""
        for key in self._keys(fig.metric, fig.period):
            self._active.get(key, {}).pop(id(fig), None)

    def overlapping(self, metrics, period: Period) -> list[Figure]:
        """The figures that count of any of `metrics` whose periods overlap `period`, in the books' order."""
        found: dict[int, tuple[int, Figure]] = {}
        for metric in metrics:
            for key in self._keys(metric, period):
                for n, fig in self._active.get(key, {}).values():
                    if fig.period.overlaps(period):
                        found[id(fig)] = (n, fig)
        return [fig for _, fig in sorted(found.values(), key=lambda item: item[0])]

    def inside(self, metric: str, period: Period) -> list[Figure]:
        """The figures that count of `metric` whose periods lie inside `period`."""
        return [f for f in self.overlapping((metric,), period) if period.contains(f.period)]

    def record(self, metric: str, period: Period, amount: Decimal, kind: str) -> Figure | None:
        return self._records.get((metric, period, amount, kind))


def _recorded(figures) -> FigureIndex:
    return figures if isinstance(figures, FigureIndex) else FigureIndex(figures)


def find_duplicate(figures, metric: str, period: Period, amount: Decimal | None) -> Figure | None:
    """The figure that counts and records exactly this metric, period and amount, if any."""
    for fig in _recorded(figures).overlapping((metric,), period):
        if fig.period == period and fig.amount == amount:
            return fig
    return None


def _parse(request: FigureRequest, today: datetime.date) -> tuple[Decimal, Period]:
    """The checks that need nothing but the request itself: a bad one is a UsageError."""
    if request.metric not in METRICS:
        raise UsageError(f"unknown metric {request.metric!r}; known: {', '.join(METRICS)}")
    if request.kind not in KINDS:
        raise UsageError(f"unknown kind {request.kind!r}; known: {', '.join(KINDS)}")
    if not clean_text(request.source or ""):
        raise UsageError("a figure needs a source (who published it)")
    if problem := url_error("url", clean_text(request.url or "")):
        raise UsageError(problem)
    given = parse_figure_amount(request.amount)
    lowest = min(end for end in (given.amount, given.low, given.high) if end is not None)
    if problem := sign_error(request.metric, lowest, quoted(request.amount)):
        raise UsageError(problem)
    amount = given.amount
    period = requested_period(request)
    known = known_since_of(request)  # None also for a blank one, which compared None > today before
    if known is not None:
        if known > today:
            raise UsageError(f"known-since {known} is after today ({today}): a figure is known once it is public")
    if period.end > today and request.kind not in UNDATED_KINDS:
        raise UsageError(
            f"period {period} ends on {period.end}, after today ({today}): "
            f"only {' or '.join(UNDATED_KINDS)} figures may speak of the future"
        )
    return amount, period


def known_since_of(request: FigureRequest) -> datetime.date | None:
    """The request's known-since as a date (None if it has none); a UsageError if it is not one."""
    if request.known_since is None or not str(request.known_since).strip():
        return None
    try:
        return datetime.date.fromisoformat(str(request.known_since).strip())
    except ValueError:
        raise UsageError(f"known-since {request.known_since!r} is not a date: use YYYY-MM-DD") from None


#: On a planned entry from a sheet: its row ("sheet.csv:3"), for messages. Beancount's
#: printer leaves out keys that start with "__", so it is never written to the books.
ROW = "__row__"
#: The file a planned entry names until it is written. Its line, while the batch is planned, is its place
#: in the planning order (1, 2...): each row's `Figure.where` ("<leakledger>:2") is its own, messages name
#: it as its row, and the figure planned last is the later of two that clash; once planned, its place in
#: the requests' order.
PLANNED = "<leakledger>"
_PLANNED_WHERE = re.compile(re.escape(PLANNED) + r":(\d+)(?!\d)")


def sheet_line(where: str) -> int | None:
    """The line of a CSV sheet's row ("sheet.csv:3" -> 3); None for a JSON sheet's ("sheet.json[0]")."""
    _, colon, line = where.rpartition(":")
    return int(line) if colon and line.isdigit() else None


def row_words(where: str) -> str:
    """A sheet row as messages name it: "row 3 of sheet.csv" (the header is row 1); "sheet.json[0]" as it is."""
    line = sheet_line(where)
    return where if line is None else f"row {line} of {where.rpartition(':')[0]}"


def _where(fig: Figure) -> str:
    """Where a figure is: the sheet row it was planned from ("row 3 of sheet.csv"), else its FILE:LINE."""
    row = fig.entry.meta.get(ROW)
    return row_words(row) if row else fig.where


def _rows_named(message: str, rows: dict[int, str]) -> str:
    """A message with each planned figure's placeholder place ("<leakledger>:2") named as its sheet row."""
    return _PLANNED_WHERE.sub(lambda m: row_words(rows[int(m[1])]) if int(m[1]) in rows else m[0], message)


def _range_meta(given: FigureAmount, amount: Decimal) -> dict:
    """`low:`/`high:` for the range the amount was written as (rounded, a range, a bound), and `posted-as:`."""
    if given.amount != amount:
        return {}
    meta: dict = {}
    if given.low is not None:
        meta[LOW] = Amount(given.low, CURRENCY)
    if given.high is not None:
        meta[HIGH] = Amount(given.high, CURRENCY)
    if given.posted_as is not None:
        meta[POSTED_AS] = given.posted_as
    return meta


def _render(request, amount, period, link, extra_meta, *, place: int = 0, record: bool = False):
    # Text that cleans to nothing (blanks, control characters) is no url or note at all.
    extra_meta = {**(extra_meta or {}), **_range_meta(parse_figure_amount(request.amount), amount)}
    entry = figure_entry(
        request.metric,
        amount,
        period,
        source=request.source,
        kind=request.kind,
        url=clean_text(request.url or "") or None,
        note=clean_text(request.note or "") or None,
        extra_meta=extra_meta,
        link=link,
        filename=PLANNED,
        record=record,
        known_since=known_since_of(request),
    )
    entry.meta["lineno"] = place  # its place in the planning order (PLANNED)
    if request.where:
        entry.meta[ROW] = request.where
    return entry


def _rendered_figure(entry: data.Directive) -> Figure:
    """The figure of an entry `_render` wrote: a known metric, never generated, so always one."""
    fig = figure_of(entry)
    assert fig is not None, "a rendered figure entry records a figure"
    return fig


def _free_link(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... when an older figure already carries it."""
    link, n = base, 1
    while link in taken:
        n += 1
        link = f"{base}-{n}"
    return link


def _covering(figures: FigureIndex, metric: str, period: Period) -> Figure | None:
    """The leaked or disclosed posting figure that already covers `metric` over part of `period`."""
    found = [f for f in figures.overlapping(COVERED_BY.get(metric, (metric,)), period) if f.kind in LEAK_KINDS]
    # A total before its parts; the metric itself (the audited revenue) before what implies it.
    return max(found, key=lambda f: (f.period.days, f.metric == metric), default=None)


def _plan_record(
    request: FigureRequest, figures, given: Decimal, period: Period, covered_by: Figure, place: int
) -> Plan:
    """A reported or claimed figure the leak covers: a non-posting record, as reported.beancount keeps."""
    if request.cumulative or request.supersede:
        raise RequestError(
            f"{with_article(request.kind)} {request.metric} figure over {period} is kept as a record beside the "
            f"{covered_by.kind} {covered_by.metric} at {_where(covered_by)}: --cumulative and --supersede do not apply"
        )
    entry = _render(request, given, period, None, None, place=place, record=True)
    duplicate = figures.record(request.metric, period, given, request.kind)
    return Plan(request, entry, given, duplicate_of=duplicate, covered_by=covered_by)


def _supersede_word(request: FigureRequest) -> str:
    """How the request's route says "supersede": a sheet's column or the command's flag."""
    return "set the row's supersede column to yes" if request.where else "use --supersede"


def _family(figures: FigureIndex, metric: str, period: Period) -> list[Figure]:
    """The figures that nest with `period`: all inside the outermost recorded figure around it."""
    around = figures.overlapping((metric,), period)
    outer = max((f for f in around if f.period.contains(period)), key=lambda f: f.period.days, default=None)
    return figures.overlapping((metric,), outer.period) if outer is not None else around


def _refinement_problem(request, family, new: Figure) -> tuple[str | None, Refinement | None]:
    """What recording `new` beside its family would break, and the refinement it joins."""
    before = {message for _, message in refine(family).problems()}
    after = refine([*family, new])
    problems = [message for _, message in after.problems() if message not in before]
    joined = after.totals.get(id(new)) or next(
        (after.totals[id(a)] for a in after.ancestors.get(id(new), [])[:1]), None
    )
    if not problems:
        return None, joined
    broken = next((ref for ref in after.totals.values() if ref.problem() == problems[0]), None)
    message = re.sub(rf" at {re.escape(new.where)}(?!\d)", "", problems[0])  # not the row at <leakledger>:12 for :1
    if broken is not None and request.where:  # a sheet: name the rows (or lines) of the total and of its parts
        parts = ", ".join(f"{p.period} at {_where(p)}" for p in sorted(broken.parts, key=lambda p: p.period))
        message = f"{message} (the total {broken.total.period} is at {_where(broken.total)}; its parts: {parts})"
    if "neither lies inside" in message or "same period" in message:
        return message, joined
    return f"{message}; nothing was recorded", joined


def plan_figure(
    request: FigureRequest, figures, *, today: datetime.date, taken_links: set[str], place: int = 0
) -> Plan:
    """Plan one request against the figures in the books; raise RequestError if refused.

    A reported or claimed figure for a metric the leak covers over its period
    would count twice if it posted: it is planned as a non-posting record.
    A figure over the period of a recorded one is a duplicate (same amount) or
    a correction (`supersede`); one over a sub-period or a super-period refines
    or is refined, and must keep every total's parts adding up. `place` is the
    request's place in its batch's planning order (1, 2...), the planned
    entry's line until it is written: each row's figure has a place of its
    own, the one planned now the latest, and a message names it as its row.
    """
    given, period = _parse(request, today)
    metric = request.metric
    figures = _recorded(figures)
    if request.kind in RECORD_KINDS and (covered_by := _covering(figures, metric, period)) is not None:
        return _plan_record(request, figures, given, period, covered_by, place)
    duplicate = find_duplicate(figures, metric, period, given)
    if duplicate is not None:
        entry = _render(request, given, period, figure_link(metric, period), {}, place=place)
        return Plan(request, entry, given, duplicate_of=duplicate)

    same = [f for f in figures.overlapping((metric,), period) if f.period == period]
    if same and not request.supersede:
        first = same[0]
        amount = usd(first.amount or Decimal(0))
        where = (
            f"overlaps {_where(first)} ({amount})"
            if ROW in first.entry.meta
            else f"is recorded at {first.where} as {amount}"
        )
        raise RequestError(
            f"{metric} over {period} {where}: it would count twice; a correction replaces it ({_supersede_word(request)})"
        )
    old_links = []
    for fig in same:
        links = own_links(fig.entry)
        if not links:
            raise RequestError(
                f"cannot supersede the figure at {_where(fig)}: it has no link (^{metric}-...) to name it by"
            )
        old_links.append(links[0])
    extra_meta = {SUPERSEDES: ", ".join(old_links)} if same else {}
    link = _free_link(figure_link(metric, period), taken_links)
    entry = _render(request, given, period, link, extra_meta, place=place)
    family = [f for f in _family(figures, metric, period) if not any(f is g for g in same)]
    problem, joined = _refinement_problem(request, family, _rendered_figure(entry))
    if problem:
        raise RequestError(problem)
    return Plan(request, entry, given, superseded=tuple(same), refinement=joined)


def requested_period(request: FigureRequest) -> Period:
    """The period a request records: a year-to-date figure (`cumulative`) runs from its year's first day.

    So `--period 2025-09 --cumulative` is the total over 2025-01..2025-09, which
    the figures recorded inside it (2025-H1, a quarter) refine.
    """
    period = parse_period(request.period)
    if request.cumulative:
        period = Period(datetime.date(period.end.year, 1, 1), period.end)
    return period


def _coarse_first(request: FigureRequest) -> tuple:
    """Sheet order: corrections last, then longer periods before shorter, then by start; unreadable as written."""
    try:
        period = requested_period(request)
    except PeriodError:
        return (request.supersede, 0, datetime.date.min)
    return (request.supersede, -period.days, period.start)


def plan_figures(requests, entries, *, today: datetime.date) -> list[Plan]:
    """Plan requests, each against the books plus the ones planned before it.

    Sheet rows (requests with `where`) are planned coarse before fine and
    corrections last, whatever order the sheet lists them in; plans come
    back in the requests' order. The first refused request raises
    (RequestError, or UsageError for a request that is wrong in itself),
    naming its row.
    """
    figures = FigureIndex(figures_of(entries))
    taken = {link for entry in entries for link in (getattr(entry, "links", None) or ())}
    order = sorted(
        range(len(requests)),
        key=lambda i: _coarse_first(requests[i]) if requests[i].where else (False, 0, datetime.date.min),
    )
    planned: dict[int, Plan] = {}
    rows: dict[int, str] = {}  # place -> sheet row
    for place, i in enumerate(order, start=1):
        request = requests[i]
        if request.where:
            rows[place] = request.where
        try:
            plan = plan_figure(request, figures, today=today, taken_links=taken, place=place)
        except LeakledgerError as exc:
            if request.where:
                raise type(exc)(f"{request.where}: {_rows_named(str(exc), rows)}") from None
            raise
        planned[i] = plan
        if plan.duplicate_of is not None:
            continue
        for fig in plan.superseded:
            figures.supersede(fig)
        figures.add(plan.figure)
        if plan.link:
            taken.add(plan.link)
    for i, plan in planned.items():
        plan.entry.meta["lineno"] = i + 1  # planned: in the requests' order, as beangulp sorts one day's entries
    return [planned[i] for i in range(len(requests))]


def _superseded(entry, link: str):
    """`entry` marked `superseded-by: link`, the key right under its header line as recording writes it."""
    meta = {k: v for k, v in entry.meta.items() if k in ("filename", "lineno")}
    meta[SUPERSEDED_BY] = link
    meta.update((k, v) for k, v in entry.meta.items() if k not in meta)
    return entry._replace(meta=meta)


def planned_entries(plans: list[Plan]) -> list:
    """Each plan's entry as it is to be written, in the plans' order.

    A figure that a later plan of the same batch supersedes (a sheet holding a
    figure and its correction) is marked `superseded-by:` the correction's
    link, so the two never both post. An unmarked entry is the plan's own
    object. `leakledger import` writes these and the beangulp importer
    extracts them: one path, so both give the same clean books. A superseded
    figure already in the books is marked by the writer, in its file.
    """
    entries = [plan.entry for plan in plans]
    index = {id(plan.entry): i for i, plan in enumerate(plans) if plan.duplicate_of is None}
    for plan in plans:
        if not plan.superseded:
            continue
        link = plan.link
        assert link is not None, "what supersedes posts, and a posting figure is rendered with its link"
        for fig in plan.superseded:
            i = index.get(id(fig.entry))
            if i is not None:
                entries[i] = _superseded(entries[i], link)
    return entries
