"""The Leak model as Fava shows it: which entries a request's filters leave, and Fava's links.

The tables and their sources are the model's (leakledger.book_model,
leakledger.model_view); this module holds what only Fava has: its account,
advanced and time filters, the company books' whole entries they apply to,
and the URLs a cell's `CellSources` become (the journal filtered by links, a
line in the editor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fava.core.filters import AccountFilter, AdvancedFilter, TimeFilter

from leakledger import reports
from leakledger.blank_cells import MONEY, NOT_IMPLIED, period_blanks
from leakledger.company_books import company_view_of
from leakledger.flows import Flow, PeriodFlows
from leakledger.model_view import GROUPINGS, CellSources, ModelView, chart_data, plain_row
from leakledger.periods import Period, spans_outer
from leakledger.presentation import WITH_RECORDED, ratio_cell_text

__all__ = [
    "GROUPINGS",
    "PageView",
    "page_view",
    "chart_data",
    "href_of",
    "model_entries",
    "apply_filters",
]

#: href(report, **query) -> URL of a Fava report page.
Href = Callable[..., str]


def model_entries(
    ledger: Any, filtered: Sequence[Any], *, account: str = "", filter: str = "", time: str = ""
) -> tuple[Sequence[Any], Sequence[Any]]:
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
    return apply_filters(ledger, view.whole, account=account, filter=filter, time=time), view.whole


def apply_filters(
    ledger: Any, entries: Sequence[Any], *, account: str = "", filter: str = "", time: str = ""
) -> Sequence[Any]:
    """Fava's account, advanced and time filters on any entries, in Fava's order (its own filtered list aside)."""
    if account:
        entries = AccountFilter(account).apply(entries)
    if filter and filter.strip():
        entries = AdvancedFilter(filter.strip()).apply(entries)
    if time:
        entries = TimeFilter(ledger.options, ledger.fava_options, time).apply(entries)
    return entries


def filtered_journal(href: Href, current_filter: str, expression: str) -> str:
    """Fava's journal filtered by an expression, within the page's own filter."""
    if current_filter.strip():
        expression = f"{current_filter.strip()} ({expression})"
    return href("journal", filter=expression)


def href_of(sources: CellSources | None, href: Href, current_filter: str = "") -> str | None:
    """A cell's sources as a Fava URL: the journal filtered by their links, or the line in the editor."""
    if not sources:
        return None
    if sources.links:
        return filtered_journal(href, current_filter, ", ".join(f"^{link}" for link in sources.links))
    if sources.having:
        key, value = sources.having
        return filtered_journal(href, current_filter, f'{key}:"{value}"')
    assert sources.line is not None
    filename, line = sources.line
    return href("editor", file_path=filename, line=str(line))


@dataclass(frozen=True)
class ListedError:
    """One error of the books as the page lists it, linked to its line in Fava's editor."""

    where: str
    message: str
    href: str | None


@dataclass
class PageView:
    """The model's view with every cell's sources as a Fava URL (`links`), for the template and the JSON."""

    by: str
    period_rows: list[dict]
    reconcile_rows: list[dict]
    errors: list[ListedError] = field(default_factory=list)
    deal: list[dict] = field(default_factory=list)
    #: The money between the companies per period (leakledger.flows), with each flow's URL in `flow_links`.
    flows: list[PeriodFlows] = field(default_factory=list)
    flow_links: dict[tuple[str, str], str] = field(default_factory=dict)
    #: What Fava's time filter does to the period table's cells, said once under it (`window_notes`).
    window_notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The tables as JSON carries them: money and ratios as exact decimal text, dates ISO."""
        flows = []
        for pf in self.flows:
            shown = pf.as_json()
            for flow in shown["flows"]:
                flow["link"] = self.flow_links.get((pf.period, flow["key"]))
            flows.append(shown)
        return {
            "by": self.by,
            "errors": [vars(e) for e in self.errors],
            "period_table": [plain_row({k: v for k, v in row.items() if k != "texts"}) for row in self.period_rows],
            "reconcile_table": [plain_row(row) for row in self.reconcile_rows],
            "flows": flows,
        }

    @property
    def chart_rows(self) -> list[dict]:
        """Period rows without the totals row."""
        return [r for r in self.period_rows if r["period"] != reports.TOTAL_ROW]


def _linked(rows: list[dict], link: Callable[[CellSources | None], str | None]) -> list[dict]:
    out = []
    for row in rows:
        shown: dict[str, Any] = {k: v for k, v in row.items() if k != "cell_sources"}
        shown["links"] = {column: url for column, sources in row["cell_sources"].items() if (url := link(sources))}
        out.append(shown)
    return out


def cell_texts(row: dict, flows: PeriodFlows | None, window: Period | None) -> dict[str, Any]:
    """What the page writes in and beside a period row's cells, so that no cell is a bare dash.

    `ratio`: the ratio as every view writes it (presentation.ratio_cell_text); `blank`: column ->
    (words, why) for a money cell with no figure and no reason of the books' own (the flow's, or the table's); `wider`:
    column -> the span a cell's figures cover where Fava's time filter (`window`) keeps less of it;
    `window`: the window's label where it is less than the row's period.
    """
    span = Period(row["start"], row["end"])
    narrower = window is not None and not window.contains(span)
    clipped = f"; the time filter keeps {window.label} only" if narrower and window is not None else ""
    blank = {
        column: (words, why if words == NOT_IMPLIED else f"{why}{clipped}")
        for column, (words, why) in period_blanks(row, flows).items()
    }
    wider: dict[str, str] = {}
    for column in MONEY:
        if row.get(column) is not None and narrower and window is not None:
            covers = row.get(f"{column}_covers")
            own = spans_outer(covers) if isinstance(covers, str) else span  # a total's may have holes inside
            if not window.contains(own):
                wider[column] = covers if isinstance(covers, str) else own.label
    return {
        "ratio": ratio_cell_text(row),
        "blank": blank,
        "wider": wider,
        "window": window.label if narrower and window is not None else None,
    }


def window_notes(rows: list[dict]) -> list[str]:
    """The notes under a period table that Fava's time filter cuts: each reason a cell is not known in the
    window, and the cells whose figures cover more than it, each said once with the rows it stands for."""
    blank: dict[tuple[str, str], list[str]] = {}
    wider: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        texts = row.get("texts") or {}
        if not texts.get("window"):
            continue
        for column, (words, why) in texts["blank"].items():
            if words != NOT_IMPLIED:  # the table's own note says why implied revenue is blank beside a recorded one
                blank.setdefault((column, why), []).append(str(row["period"]))
        for column, span in texts["wider"].items():
            wider.setdefault((span, texts["window"]), []).append(f"{WITH_RECORDED[column]} ({row['period']})")
    notes = [
        f"Not known, {WITH_RECORDED[column]}, {', '.join(periods)}: {why}." for (column, why), periods in blank.items()
    ]
    notes += [
        f"Covers {span}, more than the window {window} Fava's time filter keeps: {', '.join(cells)}; a figure is "
        "dated on its period's last day, so the filter keeps it whole."
        for (span, window), cells in wider.items()
    ]
    return notes


def page_view(
    view: ModelView,
    href: Href,
    current_filter: str = "",
    window: Period | None = None,
    flows: list[PeriodFlows] | None = None,
) -> PageView:
    """The model's view for one request: each cell's sources as a URL that keeps the page's filters.

    `window`: the days Fava's time filter keeps (None: all), which each cell's words are read against;
    `flows`: the flows read against it (BookModel.flows), else the view's own.
    """
    flows = view.flows if flows is None else flows

    def link(sources: CellSources | None) -> str | None:
        return href_of(sources, href, current_filter)

    deal = []
    for term in view.deal:
        shown = {k: v for k, v in term.items() if k not in ("rule_sources", "cap_sources")}
        shown["rule_href"] = link(term["rule_sources"])
        shown["cap_href"] = link(term["cap_sources"])
        deal.append(shown)
    errors = [ListedError(e.where, e.message, link(CellSources(line=e.line)) if e.line else None) for e in view.errors]

    def untimed(report: str, **query: str) -> str:
        return href(report, **query, time="")

    def flow_link(flow: Flow) -> str | None:
        # Funding and training under a time filter are read from the books on every day (BookModel.flows): their
        # entries may lie outside the window, so their link leads to the journal without it.
        if window is not None and flow.column is None:
            return href_of(flow.sources, untimed, current_filter)
        return link(flow.sources)

    flow_links = {(pf.period, f.key): url for pf in flows for f in pf.flows if (url := flow_link(f))}
    flows_of = {pf.period: pf for pf in flows}
    periods = _linked(view.period_rows, link)
    for row in periods:
        row["texts"] = cell_texts(row, flows_of.get(row["period"]), window)
    return PageView(
        view.by,
        periods,
        _linked(view.reconcile_rows, link),
        errors,
        deal,
        flows,
        flow_links,
        window_notes(periods),
    )
