"""What the Leak model page shows, for one set of Fava filters.

The numbers are leakledger.reports' tables, computed on the entries Fava's
filters leave (the same code as `leakledger report` and `reconcile`); this
module only adds where each figure comes from, as a URL: Fava's journal
filtered by the figure's links, or the source line of a figure that has no
links (a `custom "figure"` record).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data
from fava.core.filters import AccountFilter, AdvancedFilter, TimeFilter
from leakledger.fava_ext.suspect import (
    PERIOD_SOURCES,
    BookError,
    listed,
    suspect_cells,
    suspect_columns,
    suspect_metrics,
)
from leakledger.plugins.company_view import company_view_of

from leakledger import derived as D
from leakledger import reports
from leakledger.caps import CAP_METRIC, SAVINGS_METRIC, terms_on
from leakledger.figure_request import own_links
from leakledger.figures import Figure, figures_of
from leakledger.flows import PeriodFlows, period_flows
from leakledger.model import CAP_READING_TYPE, CAP_TYPE, PAYMENT_METRIC, RULE_TYPE
from leakledger.periods import Period, parse_period
from leakledger.tables import missing, money, months, plain

GROUPINGS = reports.BY

_MS_BASE = reports.MICROSOFT_BASE_METRICS
#: Reconciliation columns whose figure is the books' side of the row.
_BOOKS_SIDE = ("gap", "reconciling_base")

#: The days of an average quarter (365.25 / 4), for spans that are not whole months.
QUARTER_DAYS = Decimal("91.3125")

#: href(report, **query) -> URL of a Fava report page.
Href = Callable[..., str]


def model_entries(ledger, filtered, *, account: str = "", filter: str = "", time: str = "") -> tuple[list, list]:
    """(the entries the model reads for a request, all the entries it may read).

    In the books of both companies these are Fava's filtered entries and
    all its entries. A company's own book keeps only that company's
    postings, but the model of the deal is derived from both companies'
    books, which the company view keeps whole: Fava's account, advanced and
    time filters are applied to those, in Fava's order, so the Leak model
    shows the same figures in every book.
    """
    view = company_view_of(ledger.options)
    if view is None:
        return filtered, ledger.all_entries
    entries = view.whole
    if account:
        entries = AccountFilter(account).apply(entries)
    if filter and filter.strip():
        entries = AdvancedFilter(filter.strip()).apply(entries)
    if time:
        entries = TimeFilter(ledger.options, ledger.fava_options, time).apply(entries)
    return entries, view.whole


_TERMS = (RULE_TYPE, CAP_TYPE, CAP_READING_TYPE)


def with_rules(filtered, all_entries) -> list:
    """Fava's filtered entries, plus the share rules and caps a time filter cut off.

    Fava's time filter drops every directive before its window, including
    the 2019 `revenue-share` rules: the rates (and a cap) still apply inside the window.
    """
    present = {id(e) for e in filtered}
    rules = [e for e in all_entries if isinstance(e, data.Custom) and e.type in _TERMS and id(e) not in present]
    return [*rules, *filtered] if rules else list(filtered)


def records(frame) -> list[dict]:
    """A report frame's rows as dicts: Decimal money as it is, None where no figure is."""
    return [{key: None if missing(value) else value for key, value in row.items()} for row in frame.to_dict("records")]


@dataclass
class _Sources:
    """The figures of the filtered books, indexed for finding a cell's sources."""

    by_metric: dict[str, list[Figure]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, entries) -> _Sources:
        sources = cls()
        for fig in figures_of(entries):
            sources.by_metric[fig.metric].append(fig)
        return sources

    def inside(self, metrics, period: Period) -> list[Figure]:
        return [
            f
            for m in metrics
            for f in self.by_metric.get(m, ())
            if (f.posting or f.refined) and period.contains(f.period)
        ]

    def cell(self, row: dict, kind: str, period: Period) -> Figure | None:
        """The figure behind a (metric, period, kind) cell of the reconciliation.

        Matched by amount too, so a superseded record of the same period and
        kind never takes the place of the figure the table counts.
        """
        value = row.get(kind)
        for fig_metric, figs in self.by_metric.items():
            if reports.COMPARED.get(fig_metric, (fig_metric, None))[0] != row["metric"]:
                continue
            for fig in figs:
                if fig.kind != kind:
                    continue
                if fig.period == period and fig.amount is not None and _same(fig.amount, value):
                    return fig
                if fig.cumulative_period == period and fig.cumulative is not None and _same(fig.cumulative, value):
                    return fig
        return None


def _same(amount: Decimal, value: Decimal | None) -> bool:
    """A figure's amount is the report's cell: both are exact Decimals."""
    return value is not None and amount == value


def filtered_journal(href: Href, current_filter: str, expression: str) -> str:
    """Fava's journal filtered by an expression, within the page's own filter."""
    if current_filter.strip():
        expression = f"{current_filter.strip()} ({expression})"
    return href("journal", filter=expression)


def journal_href(href: Href, current_filter: str, figures: list[Figure]) -> str | None:
    """Fava's journal showing the entries of these figures (and all they generate).

    A total's parts carry its link, so where the total is among the figures
    its link alone stands for it and its parts.
    """
    own = {id(fig): set(own_links(fig.entry)) or set(fig.links) for fig in figures}
    named = set().union(*own.values()) if own else set()
    tops = [fig for fig in figures if not (set(fig.links) - own[id(fig)]) & named]
    links = sorted({link for fig in tops for link in own[id(fig)]})
    if not links:
        return None
    return filtered_journal(href, current_filter, ", ".join(f"^{link}" for link in links))


def source_href(href: Href, current_filter: str, fig: Figure) -> str | None:
    """A figure's entries by link, or its line in Fava's editor when it has none."""
    linked = journal_href(href, current_filter, [fig])
    if linked:
        return linked
    return line_href(href, fig.entry)


def line_href(href: Href, entry) -> str | None:
    """An entry's line in Fava's editor."""
    meta = entry.meta or {}
    filename, lineno = meta.get("filename"), meta.get("lineno")
    if not filename or str(filename).startswith("<"):
        return None
    return href("editor", file_path=filename, line=str(lineno))


@dataclass
class ModelView:
    """The two report tables for one set of filters, each cell with its source URL."""

    by: str
    period_rows: list[dict]
    reconcile_rows: list[dict]
    #: The books' errors; while there are any, `suspect` in each row names what they make wrong.
    errors: list[BookError] = field(default_factory=list)
    #: The deal as it stands today: one row per share base, its rate and its cap's state.
    deal: list[dict] = field(default_factory=list)
    #: The money between the companies per period row (leakledger.flows).
    flows: list[PeriodFlows] = field(default_factory=list)

    def as_json(self) -> dict:
        """The tables as JSON carries them: money and ratios as exact decimal text, dates ISO."""

        def rows(table):
            return [{k: v if k in ("links", "suspect") else plain(v) for k, v in row.items()} for row in table]

        return {
            "by": self.by,
            "errors": [vars(e) for e in self.errors],
            "period_table": rows(self.period_rows),
            "reconcile_table": rows(self.reconcile_rows),
            "flows": [pf.as_json() for pf in self.flows],
        }

    @property
    def chart_rows(self) -> list[dict]:
        """Period rows without the totals row."""
        return [r for r in self.period_rows if r["period"] != reports.TOTAL]


def model_view(
    entries, options_map, *, by: str, href: Href, current_filter: str = "", errors=(), frames: tuple | None = None
) -> ModelView:
    """The Leak model for these (already filtered) entries, grouped `by` period.

    `errors` are the books' errors: every row names, in `suspect`, the
    columns (period table) or values (reconciliation) that they make wrong.
    `frames` are (period_table, reconcile_table) of these entries, when the
    caller has computed them already (the published site shows them too).
    """
    if frames is None:
        frames = (reports.period_table(entries, options_map, by=by), reports.reconcile_table(entries, options_map))
    period_frame, reconcile_frame = frames
    sources = _Sources.of(entries)
    suspect = suspect_metrics(errors)
    wrong_columns = sorted(suspect_columns(suspect))

    period_rows = records(period_frame)
    for row in period_rows:
        span = Period(row["start"], row["end"])
        row["suspect"] = [c for c in wrong_columns if row.get(c) is not None]
        row["links"] = {
            column: url
            for column, metrics in PERIOD_SOURCES.items()
            if row.get(column) is not None
            and (url := journal_href(href, current_filter, sources.inside(metrics, span)))
        }

    reconcile_rows = records(reconcile_frame)
    terms = terms_on(entries, datetime.date.today())  # the deal as it stands, and each cap's state
    for row in reconcile_rows:
        span = Period(row["start"], row["end"])
        links = {}
        for kind in reports.RECONCILE_VALUES:
            fig = sources.cell(row, kind, span)
            if fig is not None and (url := source_href(href, current_filter, fig)):
                links[kind] = url
        if row.get("implied") is not None:
            # Implied over the row's own payments; a run rate is annualized from the
            # latest implied revenue, so it shows all of them (the row's note says which).
            links["implied"] = journal_href(
                href, current_filter, sources.inside((PAYMENT_METRIC, *_MS_BASE), span)
            ) or filtered_journal(href, current_filter, f'rule:"{D.RULE_IMPLIED}"')
        if row["metric"] in (CAP_METRIC, SAVINGS_METRIC):
            links.update(_cap_links(row, [t.cap for t in terms if t.cap], sources, href, current_filter))
        books_side = next((links[k] for k in reports.BOOK_KINDS if k in links), None)
        for column in _BOOKS_SIDE:
            if row.get(column) is not None and books_side:
                links[column] = books_side
        row["links"] = links
        row["suspect"] = suspect_cells(row, suspect)
    flows = period_flows(period_rows, entries)
    return ModelView(by, period_rows, reconcile_rows, listed(errors, href), deal_rows(terms, href), flows)


def deal_rows(terms, href: Href) -> list[dict]:
    """The deal as it stands (`caps.terms_on`): each share's rate, since and until when, and its cap."""
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
                "rule_href": line_href(href, term.rule.entry) if term.rule and term.rule.entry is not None else None,
                "cap": status.cap.amount if status else None,
                "counts_from": status.cap.counts_from if status else None,
                "accrued": status.accrued if status else None,
                "left": status.remaining if status else None,
                "reached": status.reached.date if status and status.reached else None,
                "forgone": status.forgone if status and status.reached else None,
                "cap_href": line_href(href, status.cap.entry) if status else None,
            }
        )
    return rows


def _cap_links(row: dict, statuses, sources: _Sources, href: Href, current_filter: str) -> dict:
    """A cap row's sources: the cap directive, or the reported savings; the accruals counted against it.

    With nothing counted yet, the books' side of the row is the cap itself.
    """
    links = {}
    status = next((s for s in statuses if s.span == Period(row["start"], row["end"])), None)
    if status is None:
        return links
    cap_line = line_href(href, status.cap.entry)
    if row["metric"] == CAP_METRIC and cap_line:
        links[status.cap.entry.meta.get("kind", "reported")] = cap_line
    for fig in sources.by_metric.get(SAVINGS_METRIC, ()) if row["metric"] == SAVINGS_METRIC else ():
        if fig.kind and row.get(fig.kind) == fig.amount and (url := source_href(href, current_filter, fig)):
            links[fig.kind] = url
    if row.get("implied") is not None:
        counted = filtered_journal(href, current_filter, f'{D.CAP}:""') if status.counted else cap_line
        if counted:
            links["implied"] = counted
    return links


#: The page's two bar charts: (id, title, series), each series one period-table
#: column and its label; LeakModel.js draws them with Chart.js.
CHARTS = (
    (
        "revenue-vs-inference",
        "Implied revenue against inference spend, per quarter",
        (
            ("implied_revenue", "Implied revenue"),
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


def quarters_covered(row: dict) -> Decimal:
    """How many quarters a period row's figures cover: 4 for a year, 3 for Jan-Sep, by days if not whole months."""
    span = parse_period(row["covered"]) if row.get("covered") else Period(row["start"], row["end"])
    whole = months(span)
    return Decimal(whole) / 3 if whole else Decimal(span.days) / QUARTER_DAYS


def chart_data(view: ModelView) -> dict:
    """What the charts draw: each row's figures per quarter of the span they cover, with each figure's link.

    A year, a half and a quarter are not alike, so the charts draw the
    average per quarter (`per_quarter`: a figure over the quarters its row
    covers, to the cent) and the tooltips give the figure itself (`values`,
    the period table's column). `lower_bound` marks the implied revenue the
    table shows as "≥"; `covered` names the span a row's figures cover where
    it is not the whole period; `withheld` marks a figure the books' errors
    make wrong, which is not drawn.
    """
    rows = view.chart_rows
    quarters = [quarters_covered(row) for row in rows]

    def series(column: str, label: str) -> dict:
        return {
            "column": column,
            "label": label,
            "values": [row.get(column) for row in rows],
            "per_quarter": [
                None if row.get(column) is None or column in row["suspect"] else money(row[column] / q)
                for row, q in zip(rows, quarters)
            ],
            "withheld": [column in row["suspect"] for row in rows],
            "links": [row["links"].get(column) for row in rows],
            "lower_bound": [column == "implied_revenue" and row.get("revenue_bound") == "lower" for row in rows],
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
            }
        )
    return {
        "periods": [row["period"] for row in rows],
        "covered": [row["covered"] if row.get("covered") not in (None, row["period"]) else None for row in rows],
        "quarters": quarters,
        "charts": charts,
    }
