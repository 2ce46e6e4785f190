"""What the Leak model shows, for any renderer: the tables, each cell with its sources as data.

The numbers are leakledger.reports' tables (the same code as `leakledger
report` and `reconcile`), read from one `BookIndex`. Each cell carries where
its figure comes from as a `CellSources` (the links of the entries behind it,
the file and line of a figure that has none, or the derived records of a
kind); the Fava page turns them into journal filters and editor links, the
published site into figure pages, each in its own renderer.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from leakledger import derived as D
from leakledger import reports
from leakledger.book_index import BookIndex
from leakledger.caps import CAP_METRIC, SAVINGS_METRIC, CapStatus, Term, terms_of
from leakledger.figure_request import own_links
from leakledger.figures import Figure
from leakledger.intervals import Interval
from leakledger.model import PAYMENT_METRIC
from leakledger.periods import Period, parse_period
from leakledger.presentation import (
    CAPPED_MARK,
    ENDED_MARK,
    LOWER_NOTE,
    NOT_APPLICABLE,
    PARTIAL_NOTE,
    POSTED_UNDER_NOTE,
    RANGE_NOTE,
    RECORDED_NOTE,
    WITH_RECORDED,
    capped_note,
    cell_covers,
    ended_note,
    interval_kind,
    lower_by_revenue,
    merged_note,
    money_text,
    not_known_note,
    partial_note,
    period_headers,
    range_text,
    rate_text,
    ratio_over_note,
    short_range,
)
from leakledger.reconciliation import reconcile_rows, row_period
from leakledger.suspect import PERIOD_SOURCES, BookError, listed, suspect_cells, suspect_columns, suspect_metrics
from leakledger.table_numbers import missing, money, months, plain, running

__all__ = [
    "GROUPINGS",
    "CHARTS",
    "CHART_UNIT",
    "CellSources",
    "revenue_point",
    "cell_interval",
    "period_notes",
    "in_force_note",
    "compare_notes",
    "WHY_UNKNOWN",
    "ModelView",
    "model_view",
    "chart_data",
    "quarters_covered",
]

GROUPINGS = reports.BY

_MS_BASE = reports.MICROSOFT_BASE_METRICS
#: Reconciliation columns whose figure is the books' side of the row.
_BOOKS_SIDE = ("gap", "reconciling_base")

#: The days of an average quarter (365.25 / 4), for spans that are not whole months.
QUARTER_DAYS = Decimal("91.3125")


@dataclass(frozen=True)
class CellSources:
    """Where a cell's figure comes from, as data; each renderer builds its own link from it.

    One of: `links`, the entries carrying any of these links (a figure and
    everything derived from it); `line`, the (file, line) of a figure or
    directive that has no link; `having`, the derived records whose metadata
    `key` holds `value` ("" for any value), where no figure stands behind a
    cell on its own (a run rate annualizes every implied revenue).
    """

    links: tuple[str, ...] = ()
    line: tuple[str, int] | None = None
    having: tuple[str, str] | None = None

    def __bool__(self) -> bool:
        return bool(self.links or self.line or self.having)


def line_of(entry: Any) -> CellSources | None:
    """An entry's own (file, line), or None for one that has no real file (a generated entry)."""
    meta = getattr(entry, "meta", None) or {}
    filename, lineno = meta.get("filename"), meta.get("lineno")
    if not filename or str(filename).startswith("<"):
        return None
    return CellSources(line=(str(filename), int(lineno or 0)))


def linked(figures: list[Figure]) -> CellSources | None:
    """The entries of these figures (and all they generate), by link.

    A total's parts carry its link, so where the total is among the figures
    its link alone stands for it and its parts.
    """
    own = {id(fig): set(own_links(fig.entry)) or set(fig.links) for fig in figures}
    named = set().union(*own.values()) if own else set()
    tops = [fig for fig in figures if not (set(fig.links) - own[id(fig)]) & named]
    links = tuple(sorted({link for fig in tops for link in own[id(fig)]}))
    return CellSources(links=links) if links else None


def source_of(fig: Figure) -> CellSources | None:
    """A figure's entries by link, or its line when it has none."""
    return linked([fig]) or line_of(fig.entry)


class _CellFigures:
    """The figures behind the reconciliation's cells, by (row metric, kind, period): read once per view, not per cell.

    A row's metric is the figure's own, or for an outside figure of a compared
    metric (reports.COMPARED) the other metric's; a figure also stands behind
    the row of its cumulative period (a year-to-date figure given as one).
    """

    def __init__(self, index: BookIndex) -> None:
        self._found: dict[tuple, list[tuple[Figure, bool]]] = defaultdict(list)
        for fig_metric, figs in index.by_metric.items():
            compared = reports.COMPARED.get(fig_metric, (fig_metric, None))[0]
            for fig in figs:
                # An outside figure of a compared metric sits in the other metric's row; a leaked one in its own.
                placed = compared if fig.kind in reports.OUTSIDE_KINDS else fig_metric
                self._found[(placed, fig.kind, row_period(fig))].append((fig, False))
                if (cumulative := fig.cumulative_period) is not None:
                    self._found[(placed, fig.kind, cumulative)].append((fig, True))

    def of(self, row: dict, kind: str, period: Period) -> Figure | None:
        """The figure behind a (metric, period, kind) cell of the reconciliation.

        Matched by amount too, so a superseded record of the same period and
        kind never takes the place of the figure the table counts.
        """
        value = row.get(kind)
        if value is None:
            return None
        for fig, whole in self._found.get((row["metric"], kind, period), ()):
            if whole and fig.cumulative is not None and fig.cumulative == value:
                return fig
            if not whole and fig.amount is not None and fig.amount == value:
                return fig
        return None


@dataclass
class ModelView:
    """The Leak model's tables for one grouping: rows of exact values, each cell's `sources` and `suspect`."""

    by: str
    #: reports.PeriodRow dicts, plus "cell_sources" (column -> CellSources) and "suspect" (columns the errors make wrong).
    period_rows: list[dict]
    #: reconciliation rows, plus "cell_sources" and "suspect" as above.
    reconcile_rows: list[dict]
    #: The books' errors; while there are any, `suspect` in each row names what they make wrong.
    errors: list[BookError] = field(default_factory=list)
    #: The deal as it stands today: one row per share base, its rate and its cap's state.
    deal: list[dict] = field(default_factory=list)
    #: The money between the companies, per period row (leakledger.flows.PeriodFlows; set by the book model).
    flows: list[Any] = field(default_factory=list)

    @property
    def chart_rows(self) -> list[dict]:
        """Period rows without the totals row."""
        return [r for r in self.period_rows if r["period"] != reports.TOTAL_ROW]


def model_view(
    index: BookIndex,
    *,
    by: str,
    errors: Iterable[Any] = (),
    period_rows: list | None = None,
    reconcile: list | None = None,
    today: datetime.date | None = None,
) -> ModelView:
    """The Leak model of the books `index` read, grouped `by` period.

    `errors` are the books' errors: every row names, in `suspect`, the
    columns (period table) or values (reconciliation) that they make wrong.
    `period_rows` and `reconcile` are the tables' rows when the caller has
    them already (leakledger.book_model keeps them per load).
    """
    errors = list(errors)
    if period_rows is None:
        period_rows = reports.period_rows(index, by)
    if reconcile is None:
        reconcile = reconcile_rows(index)
    suspect = suspect_metrics(errors)
    wrong_columns = sorted(suspect_columns(suspect))

    periods = [dict(row) for row in period_rows]
    for row in periods:
        span = Period(row["start"], row["end"])
        row["suspect"] = [c for c in wrong_columns if row.get(c) is not None]
        # Why a blank cell is blank where the books say (the table's microsoft_share_blank), by column.
        why = row.get(reports.MICROSOFT_SHARE_BLANK)
        row[WHY_UNKNOWN] = {"microsoft_share": why} if isinstance(why, str) and why else {}
        row["cell_sources"] = {
            column: found
            for column, metrics in PERIOD_SOURCES.items()
            if row.get(column) is not None
            and row.get(f"{column}_covers", span) is not None  # a known 0 no rule's rate makes: no figure behind it
            and (found := linked(index.inside(metrics, span)))
        }

    rows = [dict(row) for row in reconcile]
    terms = terms_of(index.rules, index.caps, today or datetime.date.today())  # the deal as it stands
    behind = _CellFigures(index)
    for row in rows:
        span = Period(row["start"], row["end"])
        sources: dict[str, CellSources] = {}
        for kind in reports.RECONCILE_VALUES:
            fig = behind.of(row, kind, span)
            if fig is not None and (found := source_of(fig)):
                sources[kind] = found
            # A figure stated as a range ("3.7B" is 3.65B..3.75B) carries it beside its cell, as the period table.
            stated = fig.stated_interval if fig is not None and fig.amount == row.get(kind) else None
            if stated is not None and not stated.is_exact:
                row[f"{kind}_low"], row[f"{kind}_high"] = stated.low, stated.high
        if row.get("implied") is not None:
            # Implied over the row's own payments; a run rate is annualized from the
            # latest implied revenue, so it shows all of them (the row's note says which).
            sources["implied"] = linked(index.inside((PAYMENT_METRIC, *_MS_BASE), span)) or CellSources(
                having=(D.RULE, D.RULE_IMPLIED)
            )
        if row["metric"] in (CAP_METRIC, SAVINGS_METRIC):
            sources.update(_cap_sources(row, index.caps, index))
        books_side = next((sources[k] for k in reports.BOOK_KINDS if k in sources), None) or (
            # Nothing implied (the revenue is recorded elsewhere): the payments the base is squared with.
            linked(index.inside((PAYMENT_METRIC, *_MS_BASE), span)) if row.get("reconciling_base") is not None else None
        )
        for column in _BOOKS_SIDE:
            if row.get(column) is not None and books_side:
                sources[column] = books_side
        row["cell_sources"] = sources
        row["suspect"] = suspect_cells(row, suspect)
    return ModelView(by, periods, rows, listed(errors), deal_rows(terms))


#: A period row's key: column -> why its blank cell is not known, where the books say (a generated note).
WHY_UNKNOWN = "not_known"


def cell_interval(row: Mapping[str, Any], column: str) -> Interval | None:
    """A period-table cell as an interval: its range, [x, ∞) for a lower bound, else exact; None if empty."""
    interval = reports.row_interval(row, column)
    # OpenAI's 20% of a lower-bound revenue is one too (as the table writes it), unless a cap holds it.
    if interval is not None and interval.low is not None and interval.is_exact and lower_by_revenue(row, column):
        return Interval.at_least(interval.low)
    return interval


def period_notes(
    rows: Sequence[Mapping[str, Any]],
    columns: Iterable[str] = reports.PERIOD_MONEY,
    *,
    marks: bool = True,
    posted_under: bool = False,
    blanks: bool = False,
) -> list[str]:
    """The notes under a period table, each said once: what its ranges, bounds and marked cells mean, each
    share not known and why, why implied revenue is blank, what the ratio divides by, and which cells a cap holds.

    Written once for every table of periods (report, scenario compare, the Leak model page, the site), so
    a cell reads as the same kind of number wherever it is shown. `marks`: the table marks cells whose
    figures cover less than their period ("†", "(partial)"), as the text tables do; the Fava page says it
    in the cell instead. `posted_under`: the table writes the number the books post under each range.
    `blanks`: the table writes "not known" in each cell with no figure (the text tables, through
    leakledger.scenarios.table_cells), so every column's reasons are said here, each once with its rows;
    the pages say them in the cell's title. Each note is a sentence without its full stop (a page adds it).
    """
    columns = list(columns)
    intervals = [cell_interval(row, c) for row in rows for c in (*columns, "inference_to_revenue")]
    notes = []
    if any(i is not None and i.bounded and not i.is_exact for i in intervals):
        notes += [RANGE_NOTE, POSTED_UNDER_NOTE] if posted_under else [RANGE_NOTE]
    if any(i is not None and (i.high is None or i.low is None) for i in intervals):
        notes.append(LOWER_NOTE)
    if marks and any(cell_covers(row, c) for row in rows for c in columns):
        notes.append(PARTIAL_NOTE)
    if marks and (partial := partial_note(rows)):
        notes.append(partial)
    for column in WITH_RECORDED:  # the table's order; "not implied" beside a recorded revenue: RECORDED_NOTE
        if column not in columns or not (blanks or column == "microsoft_share"):
            continue
        implied = column == "implied_revenue"
        unknown = not_known_note(
            [r for r in rows if not (implied and not missing(r.get(reports.RECORDED_REVENUE)))], column
        )
        notes += [f"Not known, {WITH_RECORDED[column]}, {unknown}"] if unknown else []
    recorded = [
        str(r["period"]) for r in rows if r.get("recorded_revenue") is not None and missing(r.get("implied_revenue"))
    ]
    if recorded and "implied_revenue" in columns:
        notes.append(RECORDED_NOTE.format(periods=", ".join(recorded)))
    notes += [note for note in (ratio_over_note(rows), capped_note(rows), ended_note(rows), merged_note(rows)) if note]
    return notes


def in_force_note(books: BookIndex, window: Period) -> str | None:
    """Why a window with no figure has no row, where a share was in force in it: each such share is not known
    (nothing of its base is recorded there), not zero. None where no share was in force."""
    shares = []
    for base in books.rules.bases:
        spans = books.rules.spans(base, window.start, window.end)
        live = [(start, end, rule) for start, end, rule in spans if rule is not None and rule.rate > 0]
        if live:
            days = Period(live[0][0], live[-1][1])
            rule = live[-1][2]
            shown = "" if days == window else f", {days.label}"
            shares.append(f"{base} → {rule.payee} {rate_text(rule.rate)}{shown}")
    if not shares:
        return None
    return (
        f"No figure of this table (payments, shares, revenue, inference) posts in {window.label}, but shares were "
        f"in force in it: {'; '.join(shares)}. Nothing of their "
        "bases is recorded there, so each share is not known, not zero."
    )


def compare_notes(
    frame: Any,
    *,
    caps: Mapping[str, Sequence[CapStatus]] | None = None,
    posted_under: bool = False,
    blanks: bool = False,
) -> list[str]:
    """`period_notes` under a comparison of books (reports.compare_tables): each row named by its period and book.

    Then each book's caps (`caps`: book name -> its `CapStatus`es), as `report` says them under its table:
    where two books hold one cap alike ("base, X: ...") it is said once; where they differ (what counts against
    it), each book's line says so, for that may be the one thing the books differ in. `blanks`: as period_notes.
    """
    records = [{**r, "period": f"{r['period']} {r['book']}"} for r in frame.to_dict("records")]
    books_of: dict[str, list[str]] = {}
    for book, statuses in (caps or {}).items():
        for status in statuses:
            books_of.setdefault(status.summary(), []).append(book)
    cap_lines = [f"Cap, {', '.join(books)}: {line}" for line, books in books_of.items()]
    # every money column a comparison shows, recorded revenue too where a row records some (leakledger.scenarios)
    columns = [c for c in (*reports.PERIOD_MONEY, reports.RECORDED_REVENUE) if c in period_headers(records)]
    return period_notes(records, columns, posted_under=posted_under, blanks=blanks) + cap_lines


#: What a share no cap holds has accrued against one ("WORDS: why", as presentation.blank_words reads it).
NO_CAP = f"{NOT_APPLICABLE}: no cap holds this share, so nothing is counted against one"


def deal_rows(terms: list[Term]) -> list[dict]:
    """The deal as it stands (`caps.terms_of`): each share's rate, since and until when, and its cap."""
    rows = []
    for term in terms:
        status = term.cap
        rows.append(
            {
                "base": term.base,
                "payee": term.payee,
                "rate": term.rate,
                "since": term.rule.date if term.rule else None,
                "until": term.until,
                "rule_sources": line_of(term.rule.entry) if term.rule and term.rule.entry is not None else None,
                "cap": status.cap.amount if status else None,
                "counts_from": status.cap.counts_from if status else None,
                "accrued": status.accrued if status else None,
                "left": status.remaining if status else None,
                # what they are: a range, or "≥ 0" and "≤ 38B" where the base is not recorded all the way
                "accrued_text": range_text(status.accrued_interval) if status else None,
                "left_text": range_text(status.left_interval) if status else None,
                "unrecorded": _unrecorded_text(status) if status else None,
                "reached": status.reached.date if status and status.reached else None,
                "reached_text": _reached_text(status) if status else None,
                "forgone": status.forgone if status and status.reached else None,
                "cap_sources": line_of(status.cap.entry) if status else None,
                # what the accrued cell of a share no cap holds is: never a bare dash
                "no_cap": None if status else NO_CAP,
            }
        )
    return rows


def _reached_text(status: CapStatus) -> str:
    """Whether a cap is reached, as far as the books know: never "not reached" while what accrued is open above."""
    if status.reached is not None:
        return f"reached {status.reached.date}; {running(status.forgone)} not accrued"
    if status.accrued_interval.high is None:
        return "whether it is reached is not known: what has accrued is only a lower bound"
    return "not reached by the books' figures"


def _unrecorded_text(status: CapStatus) -> str | None:
    """Why what accrued against a cap is only at least what the books record, or None."""
    gap = status.unrecorded
    if gap is None:
        return None
    if not status.counted:
        return f"nothing of its base recorded since {status.cap.counts_from}"
    return f"its base recorded over part of {gap.label} only"


def _cap_sources(row: dict, statuses: list[CapStatus], index: BookIndex) -> dict[str, CellSources]:
    """A cap row's sources: the cap directive, or the reported savings; the accruals counted against it.

    With nothing counted yet, the books' side of the row is the cap itself.
    """
    found: dict[str, CellSources] = {}
    status = next((s for s in statuses if s.span == Period(row["start"], row["end"])), None)
    if status is None:
        return found
    cap_line = line_of(status.cap.entry)
    if row["metric"] == CAP_METRIC and cap_line:
        found[status.cap.entry.meta.get("kind", "reported")] = cap_line
    for fig in index.by_metric.get(SAVINGS_METRIC, ()) if row["metric"] == SAVINGS_METRIC else ():
        if fig.kind and row.get(fig.kind) == fig.amount and (source := source_of(fig)):
            found[fig.kind] = source
    if row.get("implied") is not None:
        counted = CellSources(having=(D.CAP, "")) if status.counted else cap_line
        if counted:
            found["implied"] = counted
    return found


def plain_row(row: dict) -> dict:
    """A row as JSON carries it: money and ratios as exact decimal text, dates ISO (links and sources aside)."""
    return {k: v if k in ("links", "suspect", "cell_sources") else plain(v) for k, v in row.items()}


#: The page's two bar charts: (id, title, series), each series one period-table
#: column and its label; LeakModel.js draws them with Chart.js.
CHARTS = (
    (
        "revenue-vs-inference",
        "OpenAI revenue (recorded or implied) against inference spend, per quarter",
        (
            ("revenue", "OpenAI revenue"),
            ("inference", "Inference spend"),
        ),
    ),
    (
        "shares",
        "Revenue shares each way, and the net payment, per quarter",
        (
            ("openai_share", "OpenAI → Microsoft (20% of OpenAI revenue)"),
            ("microsoft_share", "Microsoft → OpenAI (20% of Bing + Azure OpenAI)"),
            ("net_payment", "Net paid to Microsoft"),
        ),
    ),
)


#: What the charts' value axis counts: each figure per quarter of the span it covers.
CHART_UNIT = "USD per quarter"

#: The revenue series' label by what its points are: recorded, implied (exact or a lower bound), or both.
_REVENUE_LABELS = {
    frozenset({"recorded"}): "OpenAI revenue (recorded)",
    frozenset({"implied"}): "Implied revenue",
    frozenset({"recorded", "implied"}): "OpenAI revenue (recorded where known, implied elsewhere)",
    frozenset({"assumed"}): "OpenAI revenue (assumed)",
    frozenset({"recorded", "assumed"}): "OpenAI revenue (recorded, or assumed in a scenario)",
    frozenset({"recorded", "implied", "assumed"}): "OpenAI revenue (recorded, assumed in a scenario, or implied)",
    frozenset({"implied", "assumed"}): "OpenAI revenue (assumed in a scenario, or implied)",
}


def revenue_point(row: dict) -> tuple[str | None, str | None]:
    """Which column a row's revenue point comes from, and what it is: implied where implied, else recorded (or
    assumed, where every figure of it is a scenario's #assumed one: a projection is not a record)."""
    if row.get("implied_revenue") is not None:
        return "implied_revenue", "implied"
    if row.get(reports.RECORDED_REVENUE) is not None:
        kinds = (row.get(reports.RECORDED_REVENUE_KIND) or "").split(", ")
        return reports.RECORDED_REVENUE, "assumed" if kinds == ["assumed"] else "recorded"
    return None, None


def quarters_covered(row: dict, covers: str | None = None) -> Decimal:
    """How many quarters a period row's figures cover: 4 for a year, 3 for Jan-Sep, by days if not whole months.

    `covers` is the span of one cell's figures where it is not the row's (a year's recorded revenue beside
    Jan-Sep payments).
    """
    covers = covers or row.get("covered")
    span = parse_period(covers) if covers else Period(row["start"], row["end"])
    whole = months(span)
    return Decimal(whole) / 3 if whole else Decimal(span.days) / QUARTER_DAYS


def chart_data(view: ModelView, link: Callable[[CellSources | None], Any] = lambda sources: sources) -> dict:
    """What the charts draw: each figure per quarter of the span it covers, its range, its kind and its link.

    A year, a half and a quarter are not alike, so the charts draw the
    average per quarter (`per_quarter`: a figure over the quarters its own
    figures cover, to the cent: a year's share beside Jan-Sep payments is
    a quarter of the year, not a third of it) and the tooltips give the
    figure itself (`values`, the period table's column). A figure that is a
    range carries it (`lows`/`highs` per quarter, None where an end is open,
    drawn as a whisker) and says so in words: `range_texts` ("730M–750M",
    "≥ 2,469,000,000"), `kinds` (exact, range, lower bound, not known) and,
    for a blank point, `unknown` (why). `lower_bound` marks the implied
    revenue and OpenAI's 20% of it that the table shows as "≥"; `covered` names the span a row's figures
    cover where it is not the whole period, and each chart's `captions` what
    its own bars cover there (a year's revenue beside Jan-Sep inference);
    `withheld` marks a figure the books' errors make wrong, which is not drawn.
    """
    rows = view.chart_rows
    quarters = [quarters_covered(row) for row in rows]

    def series(column: str, label: str) -> dict:
        # "revenue" draws each row's recorded revenue, or what its payments imply where nothing is recorded.
        sources = [revenue_point(row)[0] if column == "revenue" else column for row in rows]
        kinds = {kind for row in rows if (kind := revenue_point(row)[1]) is not None} if column == "revenue" else set()
        # Each figure over its own span: a year's recorded revenue or share beside Jan-Sep payments.
        own_covers = [row.get(f"{c}_covers") if c else None for row, c in zip(rows, sources)]
        own_quarters = [quarters_covered(row, own) if own else q for row, q, own in zip(rows, quarters, own_covers)]
        values = [row.get(c) if c else None for row, c in zip(rows, sources)]
        shown = [c is not None and row.get(c) is not None and c not in row["suspect"] for row, c in zip(rows, sources)]
        whole = [cell_interval(row, c) if c and ok else None for row, c, ok in zip(rows, sources, shown)]
        # a point open above, as the table writes it "≥": implied revenue, and OpenAI's 20% of it
        ends = [cell_interval(row, c) if c else None for row, c in zip(rows, sources)]
        lower = [w is not None and w.low is not None and w.high is None for w in ends]
        each = [None if w is None else w.divided_by(q).map_ends(money) for w, q in zip(whole, own_quarters)]
        per_quarter = [money(row[c] / q) if ok else None for row, c, q, ok in zip(rows, sources, own_quarters, shown)]
        ranged = [w is not None and not w.is_exact for w in whole]
        bound = ["≥ " if b else "" for b in lower]
        over = [own or row.get("covered") or row["period"] for row, own in zip(rows, own_covers)]
        partial = [row.get(reports.PARTIAL_SHARE) if column == "microsoft_share" else None for row in rows]
        capped = [row.get(reports.OPENAI_SHARE_CAPPED) if column == "openai_share" else None for row in rows]
        ended = [row.get(reports.MICROSOFT_SHARE_ENDED) if column == "microsoft_share" else None for row in rows]
        marks = [CAPPED_MARK if held else ENDED_MARK if gone else "" for held, gone in zip(capped, ended)]
        return {
            "column": column,
            "label": _REVENUE_LABELS.get(frozenset(kinds), label) if column == "revenue" else label,
            "values": values,
            "per_quarter": per_quarter,
            # The range each point stands for, per quarter (None: that end is open, or the point is exact).
            "lows": [e.low if r and e else None for e, r in zip(each, ranged)],
            "highs": [e.high if r and e else None for e, r in zip(each, ranged)],
            # The words people read, from the one formatter (leakledger.presentation): the page draws these.
            # A share a cap cut or holds at 0 says so ("0 (capped)"), and one that ended ("0 (ended)"), as its cell
            # does: a known 0, never a blank.
            "bar_labels": [(short_range(e) + mark) if short_range(e) else None for e, mark in zip(each, marks)],
            "value_texts": [b + money_text(v) if v is not None else None for v, b in zip(values, bound)],
            "range_texts": [range_text(w) or None for w in whole],
            "kinds": [
                "withheld" if c and row.get(c) is not None and not ok else interval_kind(w)
                for row, c, ok, w in zip(rows, sources, shown, whole)
            ],
            # Why a blank point is blank: the books' own words where they say, else that no figure covers it.
            "unknown": [None if ok else _why_blank(row, c, column) for row, c, ok in zip(rows, sources, shown)],
            # What a tooltip says of each point, after the series' name: the figure or its range, what it is,
            # and the bases a partial share leaves out.
            "tooltips": [
                _why_blank(row, c, column) if not ok else _tooltip(w, e, row[c], span, q, part, held)
                for row, c, ok, w, e, span, q, part, held in zip(
                    rows,
                    sources,
                    shown,
                    whole,
                    each,
                    over,
                    own_quarters,
                    partial,
                    [c or g for c, g in zip(capped, ended)],
                )
            ],
            # Why a point covers less than its base ("Bing unrecorded"), as the table says: never the whole share.
            "partial": partial,
            # Why a point is what a cap holds it at (a 0 bar is a known 0), as the table's note says.
            "capped": capped,
            # Why a point is 0 because its share ended (Microsoft's 20% from 2026-04-27), as the table's note says.
            "ended": ended,
            # The span each point's figures cover, and how many quarters that is.
            "covers": own_covers,
            "quarters": own_quarters,
            "withheld": [c is not None and c in row["suspect"] for row, c in zip(rows, sources)],
            "links": [link(row["cell_sources"].get(c)) if c else None for row, c in zip(rows, sources)],
            "lower_bound": lower,
        }

    charts = []
    for chart_id, title, columns in CHARTS:
        drawn = [series(column, label) for column, label in columns]
        # Nothing to draw (all withheld or none recorded): the page says so instead of an empty axis.
        charts.append(
            {
                "id": chart_id,
                "title": title,
                "series": drawn,
                "drawable": any(v is not None for s in drawn for v in s["per_quarter"]),
                "averages": [_averages(drawn, i) for i in range(len(rows))],
                "captions": [_caption(drawn, i, row["period"]) for i, row in enumerate(rows)],
            }
        )
    return {
        "periods": [row["period"] for row in rows],
        "covered": [row["covered"] if row.get("covered") not in (None, row["period"]) else None for row in rows],
        "quarters": quarters,
        "unit": CHART_UNIT,
        "charts": charts,
    }


#: A series' name in a caption under a period, where the chart's bars there cover different spans.
_CAPTION_NAMES = {
    "revenue": "revenue",
    "inference": "inference",
    "openai_share": "OpenAI 20%",
    "microsoft_share": "Microsoft 20%",
    "net_payment": "net",
}


def _caption(series: list[dict], i: int, period: str) -> str | None:
    """Under a period on a chart's axis, what its bars cover: None where each covers the period, "figures
    for SPAN" where they share a shorter span, else each bar's own ("revenue 2025; inference 2025-01..2025-09").
    """
    spans = [(s, s["covers"][i] or period) for s in series if s["per_quarter"][i] is not None]
    distinct = {span for _, span in spans}
    if not spans or distinct == {period}:
        return None
    if len(distinct) == 1:
        return f"figures for {distinct.pop()}"
    return "; ".join(f"{_CAPTION_NAMES.get(s['column'], s['label'])} {span}" for s, span in spans)


def _averages(series: list[dict], i: int) -> str | None:
    """Under a period on a chart's axis: over how many quarters its bars are averaged, None for one.

    A year's recorded revenue beside Jan-Sep payments is averaged over four
    quarters and they over three: then each bar's own span is in its tooltip.
    """
    counts = {Decimal(s["quarters"][i]) for s in series if s["per_quarter"][i] is not None}
    if len(counts) > 1:
        return "each per quarter of its span"
    if not counts or counts == {Decimal(1)}:
        return None
    return f"average of {next(iter(counts)).quantize(Decimal('0.01')).normalize():f} quarters"


def _tooltip(
    whole: Interval, each: Interval, posted: Decimal, span: str, quarters: Decimal, partial=None, capped=None
) -> str:
    """A drawn point in words: "730M–750M USD for 2024, 182.5M–187.5M a quarter (a range; the books post 740,000,000)".

    A share that covers less than its base (`partial`, "Bing unrecorded") says so: it is not the whole share;
    one a cap holds (`capped`) says which cap and when it was reached.
    """
    kind = interval_kind(whole)
    what = {"range": f"a range; the books post {money_text(posted)}", "lower bound": "a lower bound: at least this"}
    words = what.get(kind, kind)
    if partial:
        words = f"{words} for the bases it covers; partial: {partial}, so the whole share is at least this"
    if capped:
        words = f"{words}; {capped}"
    quarterly = "" if quarters == 1 else f", {range_text(each)} a quarter"
    return f"{range_text(whole)} USD for {span}{quarterly} ({words})"


def _why_blank(row: dict, column: str | None, series: str) -> str:
    """Why a chart point has no bar: withheld for the books' errors, the books' note, or no figure."""
    if column and row.get(column) is not None:
        return "withheld: the books' errors make it wrong"
    noted = row.get(WHY_UNKNOWN, {}).get(column or series)
    if noted:
        return noted if "not known" in noted else f"not known: {noted}"
    return "not known: no revenue recorded or implied" if series == "revenue" else "not known: no figure covers it"
