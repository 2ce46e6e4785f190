"""The published site: every page and download, as bytes, from loaded books.

The numbers are leakledger.reports' tables (the code behind `leakledger
report`, `reconcile`, `scenario compare` and the Fava page), written with the
formatting the command line and the Fava page share (leakledger.presentation),
so the site, the terminal and Fava agree to the digit. Nothing here reads a clock: the same books give the same bytes.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from leakledger import __version__ as VERSION
from leakledger import reports
from leakledger.blank_cells import period_blanks
from leakledger.book_model import BookModel
from leakledger.flows import Flow, PeriodFlows
from leakledger.model import ENTITIES
from leakledger.model_view import CHART_UNIT, WHY_UNKNOWN, CellSources, chart_data, period_notes
from leakledger.periods import Period, parse_period
from leakledger.presentation import (
    BASE_IS_GAP,
    ENDED_MARK,
    NO_FIGURE,
    NOT_KNOWN,
    TOTAL_LABELS,
    balance_cells,
    base_is_gap,
    blank_words,
    has_range,
    metric_sources,
    period_cells,
    period_headers,
    shared_notes,
    statement_cells,
    statement_notes,
    to_csv,
    to_json,
    value_text,
)
from leakledger.publish import companies
from leakledger.publish.books_files import BookFiles
from leakledger.publish.figure_pages import FigurePages, targets_of
from leakledger.publish.flow_svg import flow_section
from leakledger.publish.markup import Markup, join, link, page, rel
from leakledger.publish.svg_charts import Series, bar_chart, legend
from leakledger.scenarios import compare_section_notes, table_cells
from leakledger.statements import income_statement

__all__ = ["Book", "build_site", "PAGE_OF_BY"]

PAGE_OF_BY = {"year": "index.html", "half": "half.html", "quarter": "quarter.html"}
#: Series colours by period-table column (as the Fava page's charts).
COLOURS = {
    "revenue": "#2f6fc4",
    "inference": "#d0622b",
    "openai_share": "#7057be",
    "microsoft_share": "#23877b",
    "net_payment": "#3a3a3a",
}
BOOK_COLOURS = ("#2f6fc4", "#c2410c", "#15803d", "#7e22ce")
#: Reconciliation columns shown as money after the kinds.
_RECONCILE_TAIL = (("gap", "Gap"), ("reconciling_base", "Reconciling Microsoft base"))


@dataclass
class Book:
    """One loaded book (the base, or a scenario) and what the site shows of it."""

    name: str
    entries: list
    options: dict
    model: BookModel
    figures: FigurePages
    frames: dict = field(default_factory=dict)  # by -> period table (a DataFrame: CSV, JSON, scenario compare)
    views: dict = field(default_factory=dict)  # by -> ModelView (its rows, each cell's CellSources)
    reconcile: object = None  # the reconciliation as a DataFrame, for its CSV and JSON

    @classmethod
    def of(cls, name: str, entries, options, folder: str, root: str) -> Book:
        model = BookModel(entries, options)
        book = cls(name, entries, options, model, FigurePages(model.index, folder, root))
        book.reconcile = model.reconcile_table()
        for by in PAGE_OF_BY:
            book.frames[by] = model.period_table(by)
            book.views[by] = model.view(by)
        return book

    def cell_page(self, sources: CellSources | None, cell: str, said: tuple[str, str] | None = None) -> str | None:
        """The page a table cell links to (registering it), from the cell's sources; `said`: (what the cell is,
        its text), which the page states."""
        return self.figures.page_of(targets_of(sources, self.model.index), cell, said)


@dataclass
class _Wide:
    """A table row of one cell across every column."""

    content: Markup


def _table(
    caption: str,
    headers: list[str],
    rows: Sequence[list | _Wide],
    *,
    numeric_from: int = 1,
    row_classes: list[str] | None = None,
    table_id: str | None = None,
    table_class: str | None = None,
) -> Markup:
    """A table whose cells are text or Markup; the first column heads its row. `table_class`: for site.css."""
    head = join(
        Markup('<th scope="col"{}>{}</th>').format(Markup(' class="num"') if i >= numeric_from else "", h)
        for i, h in enumerate(headers)
    )
    body = []
    for r, cells in enumerate(rows):
        if isinstance(cells, _Wide):  # words about the row above, across the whole table
            tds = [Markup('<td colspan="{}">{}</td>').format(len(headers), cells.content)]
        elif len(cells) == 1:  # a heading over the rows below it
            tds = [Markup('<th scope="rowgroup" colspan="{}">{}</th>').format(len(headers), cells[0])]
        else:
            # a row that only explains the row above has no heading of its own
            tds = [Markup('<th scope="row">{}</th>').format(cells[0]) if cells[0] != "" else Markup("<td></td>")]
            tds += [
                Markup("<td{}>{}</td>").format(Markup(' class="num"') if i >= numeric_from else "", c)
                for i, c in enumerate(cells[1:], start=1)
            ]
            if len(cells) < len(headers):  # the last cell spans the rest of the row
                tds[-1] = Markup('<td colspan="{}">{}</td>').format(len(headers) - len(cells) + 1, cells[-1])
        cls = (row_classes or [""] * len(rows))[r]
        body.append(Markup("<tr{}>{}</tr>").format(Markup(' class="{}"').format(cls) if cls else "", join(tds)))
    attributes = join(
        Markup(' {}="{}"').format(name, value) for name, value in (("id", table_id), ("class", table_class)) if value
    )
    return Markup(
        '<div class="table-wrap" role="region" aria-label="{}" tabindex="0"><table{}>'
        "<caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>"
    ).format(caption, attributes, caption, head, join(body))


def _move_text(text: str) -> Markup | str:
    """A timeline cell: a number stays on one line; words (a cap's summary, why no revenue is implied) wrap.

    The longest number a move shows is a negative range ("-8.5938B to -8.4738B †", 22 characters)."""
    return Markup('<span class="words">{}</span>').format(text) if len(text) > _LONGEST_NUMBER else text


_LONGEST_NUMBER = 24


def _day(value) -> datetime.date:
    """A row's date, whether the view keeps it as a date or as ISO text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _spans(rows: list[dict]) -> list[tuple]:
    """(first day, last day) of each chart row: the span its figures cover, else its period."""
    spans = []
    for row in rows:
        covered = row.get("covered")
        period = parse_period(covered) if covered else Period(*(_day(row[k]) for k in ("start", "end")))
        spans.append((period.start, period.end))
    return spans


def _covers_caption(covers: dict[str, str], period: str) -> str | None:
    """Under a period of a scenario chart, what its bars cover: None where each covers the period, "figures for
    SPAN" where they share a shorter one, else one line per book ("base 2025", "azure-openai-growth 2025-01..")."""
    distinct = set(covers.values())
    if not distinct or distinct == {period}:
        return None
    if len(distinct) == 1:
        return f"figures for {distinct.pop()}"
    return "\n".join(f"{name} {span}" for name, span in covers.items())


def _cell(here: str, text: str, page_path: str | None) -> Markup | str:
    return link(rel(here, page_path), text) if text and page_path else text


def _marked(text: str) -> Markup | str:
    """A comparison's cell as it fits a narrow column: the number on its line, what follows it (" (assumed)",
    " (2026-04..2026-12)", " (capped)") on the next, a span breakable after its "..". Words are left to wrap."""
    number, space, marks = text.partition(" (")
    if not space:
        return text
    # each date or word whole (a line never breaks at a date's hyphen), a break allowed at a space or after ".."
    parts = re.split(r"( |\.\.)", f"({marks}")
    said = join(
        Markup("..<wbr>") if part == ".." else part if part == " " else Markup('<span class="n">{}</span>').format(part)
        for part in parts
        if part
    )
    return Markup('<span class="n">{}</span> <span class="mark">{}</span>').format(number, said)


def _span(text: str) -> Markup:
    """A span ("2025-01..2025-09") breakable after its ".." only."""
    return Markup("..<wbr>").join(Markup('<span class="n">{}</span>').format(day) for day in text.split(".."))


def _said(words: str, why: str) -> Markup:
    """A cell with no figure: what it is ("not known", "not implied", "no figure"), and why in its title."""
    return Markup('<span class="none" title="{}">{}</span>').format(why, words)


def _period_cell(column: str, text: str, row: dict, blanks: dict[str, tuple[str, str]]) -> Markup | None:
    """A period-table cell with no figure, in words and why (the books' own reason, else leakledger.blank_cells);
    None where it holds a figure."""
    why = row.get(WHY_UNKNOWN, {}).get(column)
    if why and text in ("", NOT_KNOWN):  # the books say why: its tooltip
        return _said(NOT_KNOWN, why)
    if column == "inference_to_revenue" and row.get(column) is None and text:  # "spans differ", and why
        blank = row.get("ratio_blank")
        return (
            _said(text, blank)
            if isinstance(blank, str) and blank
            else Markup('<span class="none">{}</span>').format(text)
        )
    if text and not (column in blanks and text == blanks[column][0]):  # a figure (table_cells says a blank's words)
        return None
    if column == "covered":  # the figures cover the row's own period: the column says it, not a blank
        return _said(str(row["period"]), "the row's figures cover its whole period")
    if column in blanks:
        return _said(*blanks[column])
    return _said(NOT_KNOWN, f"no figure is recorded for {row['period']}")


class Site:
    """Builds every page of one site; `files` is the result (site path -> bytes)."""

    def __init__(
        self, base: Book, scenarios: list[Book], books: BookFiles, title: str, companies: dict, arrivals: list
    ):
        self.base, self.scenarios, self.books, self.title = base, scenarios, books, title
        self.arrivals = arrivals  # leakledger.timeline.Arrival of the base books, oldest first
        self.companies = companies  # entity -> (entries, options, its book's site path) of each company book
        for book in (base, *scenarios):
            book.figures.book_files = set(books.files)
        self.files: dict[str, bytes] = {}
        self._footers: dict[str, Markup] = {}
        self.nav = [("index.html", "Model"), ("figures/index.html", "Figures")]
        self.nav += [(f"companies/{e.lower()}.html", e) for e in ENTITIES]
        self.nav += [("timeline.html", "Timeline")] if arrivals else []
        self.nav += [("scenarios/index.html", "Scenarios")] if scenarios else []
        self.nav += [("downloads.html", "Downloads")]

    # --- shared parts -------------------------------------------------------

    def footer(self, here: str) -> Markup:
        """The footer of a page at `here`: the same for every page of one folder (made once per folder)."""
        folder = posixpath.dirname(here)
        if folder not in self._footers:
            self._footers[folder] = self._footer(here)
        return self._footers[folder]

    def _footer(self, here: str) -> Markup:
        others = [
            f"the company books {', '.join(source for _, _, source in self.companies.values())}"
            if self.companies
            else None,
            f"the scenario(s) {', '.join(b.name for b in self.scenarios)}" if self.scenarios else None,
        ]
        named = [o for o in others if o]
        return Markup(
            "<p>Generated by leakledger {version} (<code>leakledger publish</code>) from the books {top}{scen}: "
            '{n} files, SHA-256 <code class="hash">{sha}</code>. The same books give this same site, byte for byte; '
            "it names no time of its own. {dl}</p>"
        ).format(
            version=VERSION,
            top=link(rel(here, f"books/{self.books.top}"), self.books.top),
            scen=f" with {' and '.join(named)}" if named else "",
            n=len(self.books.files),
            sha=self.books.sha256,
            dl=link(rel(here, "downloads.html"), "Download the books and the tables."),
        )

    def emit(self, here: str, title: str, body: Markup, lead: Markup | str = "", heading=None) -> None:
        self.files[here] = page(
            here,
            title=f"{title} · {self.title}",
            heading=heading or title,
            body=body,
            footer=self.footer(here),
            nav=self.nav,
            lead=lead,
        )

    # --- the model pages ------------------------------------------------------

    def period_rows(self, here: str, book: Book, by: str):
        """The period table as `report` shows it, each figure linked to its page."""
        frame, view = book.frames[by], book.views[by]
        shown = period_headers(view.period_rows)  # no recorded-revenue column where no row records one
        headers, rows = period_cells(frame, shown)
        columns = [c for c in shown if c in frame.columns]
        out = []
        flows = {pf.period: pf for pf in view.flows}
        for cells, row in zip(rows, view.period_rows):
            blanks = period_blanks(row, flows.get(row["period"]))
            linked: list[Markup | str] = []
            for column, text in zip(columns, cells):
                if (blank := _period_cell(column, text, row, blanks)) is not None:  # no figure: what it is, why
                    linked.append(blank)
                    continue
                sources = row["cell_sources"].get(column)
                cell = f"{by} {row['period']} {column}"
                said = (f"{headers[len(linked)]}, {row['period']}", text)  # the same cell by year, half, quarter
                linked.append(_cell(here, text, book.cell_page(sources, cell, said) if text else None))
            out.append(linked)
        classes = ["total" if r["period"] == reports.TOTAL_ROW else "" for r in view.period_rows]
        return headers, out, classes

    def charts(self, here: str, book: Book, by: str) -> Markup:
        data = chart_data(book.views[by])
        figures = []
        for chart in data["charts"]:
            series = []
            for s in chart["series"]:
                # Heights are per quarter of the span a figure covers, as on the Fava page; the tooltip
                # (the model's words) gives the figure, its range and what it is.
                hrefs = []
                for period, sources in zip(data["periods"], s["links"]):
                    path = book.cell_page(sources, f"{by} {period} {s['column']}") if sources else None
                    hrefs.append(rel(here, path) if path else None)
                series.append(
                    Series(
                        s["label"],
                        COLOURS[s["column"]],
                        list(s["per_quarter"]),
                        s["tooltips"],
                        hrefs,
                        s["lower_bound"],
                        labels=s["bar_labels"],
                        lows=s["lows"],
                        highs=s["highs"],
                        unknown=s["unknown"],
                    )
                )
            # what this chart's bars cover, where less than the period: one line per span
            sub = [c.replace("; ", "\n") if c else None for c in chart["captions"]]
            svg = bar_chart(
                f"chart-{by}-{chart['id']}",
                chart["title"],
                data["periods"],
                series,
                sublabels=sub,
                spans=_spans(book.views[by].chart_rows),
                unit=data["unit"],
            )
            notes = [
                "Each bar spans its period's dates (a year is four times as wide as a quarter) and stands "
                "as high as its figure per quarter of the span the figure covers; the table gives the totals."
            ]
            notes += [
                f"{p}: {c}" + (" only." if c.startswith("figures for") else "; each bar is per quarter of its span.")
                for p, c in zip(data["periods"], chart["captions"])
                if c
            ]
            notes += [
                f"{s['label']}, {p}: {why}."
                for s in chart["series"]
                for p, why in zip(data["periods"], s["unknown"])
                if why and any(v is not None for v in s["values"])
            ]
            for s in chart["series"]:  # bars a cap holds or a share's end zeroes (a hairline): what, and why, once
                held: dict[str, list[str]] = {}
                whys = [capped or ended for capped, ended in zip(s["capped"], s["ended"])]
                for p, text, why in zip(data["periods"], s["value_texts"], whys):
                    if why and text:
                        held.setdefault(why, []).append(f"{p} {text}")
                notes += [f"{s['label']}: {', '.join(points)}; {why}." for why, points in held.items()]
            figures.append(
                Markup('<figure class="chart-box">{}{}{}</figure>').format(
                    svg, legend(series), Markup('<p class="note">{}</p>').format(" ".join(notes)) if notes else ""
                )
            )
        return Markup('<div class="charts">{}</div>').format(join(figures))

    def flows(self, here: str, book: Book, by: str) -> Markup:
        """The money between the companies per period (the model's flows), each band linked to its figure's page."""

        def href_of(pf: PeriodFlows, flow: Flow) -> str | None:
            path = book.cell_page(flow.sources, f"{by} {pf.period} {flow.key}") if flow.sources else None
            return rel(here, path) if path else None

        return Markup('<h2 id="flows">The money between the companies, by {}</h2>{}').format(
            by, flow_section(f"flows-{by}", book.views[by].flows, href_of)
        )

    def by_switch(self, here: str, by: str) -> Markup:
        items = [
            Markup("<strong>{}</strong>").format(b) if b == by else link(rel(here, p), b) for b, p in PAGE_OF_BY.items()
        ]
        return Markup('<p class="by">Periods: {}</p>').format(join(items, " · "))

    def model_page(self, by: str) -> None:
        here, book = PAGE_OF_BY[by], self.base
        headers, rows, classes = self.period_rows(here, book, by)
        rows_of = book.views[by].period_rows
        columns = tuple(c for c in (*reports.PERIOD_MONEY, reports.RECORDED_REVENUE) if c in period_headers(rows_of))
        # the table writes each range, not the number the books post under it: no note says otherwise
        notes = [f"{note}." for note in period_notes(rows_of, columns)]
        notes.append("A period no figure covers is blank, not zero. Each figure links to where it comes from.")
        parts = [
            self.by_switch(here, by),
            self.charts(here, book, by),
            self.flows(here, book, by),
            Markup("<h2>By {}</h2>").format(by),
            _table(
                f"The books by {by} (USD), as leakledger report --by {by} shows them"
                + (", with OpenAI's recorded revenue" if "recorded_revenue" in period_headers(rows_of) else ""),
                headers,
                rows,
                numeric_from=2,
                row_classes=classes,
                table_id="periods",
            ),
            join(Markup('<p class="note">{}</p>').format(n) for n in notes),
        ]
        if by == "year":
            parts.append(self.reconciliation(here, book))
        lead = Markup(
            "The model from the leaked net payments and the recorded revenue: the 20% shares each way, what the "
            "payments imply or solve (OpenAI's revenue, or Microsoft's share once OpenAI's revenue is known), "
            "and every source side by side. The same numbers as the Fava page and "
            "<code>leakledger report</code> / <code>leakledger reconcile</code>, computed by the same code."
        )
        title = "Leak model" if by == "year" else f"Leak model by {by}"
        self.emit(
            here,
            title,
            join(parts),
            lead=lead,
            heading=Markup('{}<span class="sub">{}</span>').format(self.title, title),
        )

    def reconciliation(self, here: str, book: Book) -> Markup:
        """The sources side by side, as the Fava page shows them, with what each gap implies."""
        records = book.views["year"].reconcile_rows
        kinds = [k for k in reports.RECONCILE_VALUES if any(r[k] is not None for r in records)]
        same = base_is_gap(records)  # then the base is the gap: shown once, with a note
        tail = [(c, h) for c, h in _RECONCILE_TAIL if not (same and c == "reconciling_base")]
        headers = ["Metric, period", *[k.capitalize() for k in kinds], *[h for _, h in tail]]
        rows: list[list | _Wide] = []
        classes: list[str] = []
        shared = shared_notes(records)  # the same words under several rows: said once, after the metric's rows
        common = metric_sources(records)  # the sources most of a metric's rows name: said once, over them
        for i, record in enumerate(records):
            metric = record["metric"]
            if i == 0 or records[i - 1]["metric"] != metric:
                over = (
                    Markup(' <span class="sources">Sources, unless a row says otherwise: {}</span>').format(
                        common[metric]
                    )
                    if metric in common
                    else ""
                )
                rows.append([Markup("<strong>{}</strong>{}").format(metric, over)])
                classes.append("metric")
            said = shared.get((metric, record["implies"]))
            cells: list = [f"{record['period']} [{said['number']}]" if said else record["period"]]
            for column in [*kinds, *[c for c, _ in tail]]:
                text = value_text(record, column)  # a stake or a margin as percent, money as money
                if (
                    column == "implied"
                    and record["implied_bound"] == "lower"
                    and text
                    and not has_range(record, column)
                ):
                    text = f"≥ {text}"
                if not text:
                    cells.append(_said(*blank_words(record, column)))  # "no figure", "not compared": never blank
                    continue
                cell = f"reconcile {record['metric']} {record['period']} {column}"
                path = book.cell_page(record["cell_sources"].get(column), cell)
                cells.append(_cell(here, text, path))
            rows.append(cells)
            classes.append("figures")
            implies = None if said else record["implies"]
            sources = None if record["sources"] == common.get(metric) else record["sources"]
            words = [w for w in (implies, f"Sources: {sources}" if sources else None) if w]
            if words:
                rows.append(_Wide(join(Markup('<span class="implies">{}</span>').format(w) for w in words)))
                classes.append("words")
            if i + 1 == len(records) or records[i + 1]["metric"] != metric:
                for (of, _), said_once in shared.items():
                    if of == metric:
                        text = f"[{said_once['number']}] {', '.join(said_once['periods'])}: {said_once['words']}"
                        rows.append(_Wide(Markup('<span class="implies">{}</span>').format(text)))
                        classes.append("words")
        note = Markup('<p class="note">{}.</p>').format(BASE_IS_GAP) if same else ""
        return Markup('<h2 id="reconciliation">Reconciliation: the sources side by side</h2>{}{}').format(
            _table(
                "Leaked, disclosed, reported, claimed, assumed and implied figures, with the gaps "
                "(USD; a stake, a share or a margin as percent)",
                headers,
                rows,
                row_classes=classes,
                table_id="reconcile",
            ),
            note,
        )

    # --- figure pages -----------------------------------------------------------

    def figure_pages(self, book: Book, index_path: str) -> None:
        done: set[str] = set()
        while len(done) < len(book.figures.pages):  # rendering may register the parts of a cell
            for path, (title, targets) in list(book.figures.pages.items()):
                if path in done:
                    continue
                done.add(path)
                lead = Markup(
                    "As <code>leakledger explain {}</code> shows it{}: the rule, the arithmetic and the sources."
                ).format(
                    " ".join(book.figures.shown(t) for t in targets),
                    "" if book.name == "base" else f" in the scenario {book.name}",
                )
                self.emit(path, title, book.figures.render(path, targets, index_path), lead=lead)
        here = f"{book.figures.folder}/index.html"
        items = sorted((title, path) for path, (title, targets) in book.figures.pages.items() if len(targets) == 1)
        body = Markup('<ul class="figures">{}</ul>').format(
            join(Markup("<li>{}</li>").format(link(rel(here, path), title)) for title, path in items)
        )
        what = "the books" if book.name == "base" else f"the scenario {book.name}"
        self.emit(here, f"Figures of {what}", body, lead="Every figure in the books, each with where it comes from.")

    # --- companies and scenarios ---------------------------------------------------

    def company_page(self, entity: str) -> None:
        """The company's income statement as `leakledger statement` shows it, and its balance sheet."""
        here = f"companies/{entity.lower()}.html"
        entries, options, source = self.companies.get(entity, (self.base.entries, self.base.options, None))
        statement = (
            income_statement(entries, options, entity, "year")
            if entity in self.companies
            else self.base.model.statement(entity, "year")
        )
        headers, rows, net = statement_cells(statement)
        behind = companies.statement_links(entries, statement)
        for line, cells in zip(statement.lines, rows):
            for i, label in enumerate(statement.labels, start=1):
                links = tuple(sorted(behind.get((line.key, label), ())))
                if not cells[i]:  # a line with nothing recorded for the period: said, never a blank cell
                    cells[i] = _said(NO_FIGURE, f"nothing is recorded on this line for {label}")
                    continue
                has_figure = cells[i] != NO_FIGURE  # "no figure" links nowhere
                said = (f"{entity}: {TOTAL_LABELS.get(line.key, line.key)}, {label}", cells[i])
                path = self.base.figures.page_of(links, f"{entity} {line.key} {label}", said) if has_figure else None
                cells[i] = _cell(here, cells[i], path)
        classes = [
            "total" if i == net else "subtotal" if line.is_total else "" for i, line in enumerate(statement.lines)
        ]
        sheet_headers, sheet, sheet_notes = balance_cells(statement)  # "not known" (and why), never 0
        notes = statement_notes(statement)
        notes.append(
            "Balances at each year's end, debit positive, credit negative. "
            "Where revenue is a lower bound, so is the cash it brings."
        )
        notes += sheet_notes
        body = join(
            [
                Markup("<h2>Income statement</h2>"),
                _table(
                    f"{entity}: income statement by year (USD), as leakledger statement {entity} shows it",
                    headers,
                    rows,
                    row_classes=classes,
                ),
                Markup("<h2>Balance sheet</h2>"),
                _table(f"{entity}: balances at each year's end (USD)", sheet_headers, sheet),
                join(Markup('<p class="note">{}</p>').format(n) for n in notes),
            ]
        )
        where = (
            Markup("from its own book, {}").format(link(rel(here, f"books/{source}"), source))
            if source
            else Markup("from its postings in the books")
        )
        lead = Markup("{}'s own accounts, {}: every transaction balances within each company.").format(entity, where)
        self.emit(here, f"{entity}: statements by year", body, lead=lead)

    def scenario_page(self, book: Book) -> None:
        here = f"scenarios/{book.name}.html"
        frame = reports.compare_tables({"base": self.base.frames["year"], book.name: book.frames["year"]})
        columns, headers, rows = table_cells(frame)  # as `scenario compare`: recorded revenue, assumed marked
        by_name = {"base": self.base, book.name: book}
        linked = []
        for record, cells in zip(frame.to_dict("records"), rows):
            owner = by_name[record["book"]]
            view = owner.views["year"]
            view_row = next(r for r in view.period_rows if r["period"] == record["period"])
            blanks = period_blanks(view_row, next((f for f in view.flows if f.period == record["period"]), None))
            shown: list[Markup | str] = []
            for column, text in zip(columns, cells):
                if column == "period" and not text:  # the period's second book: its label again, quieter
                    shown.append(Markup('<span class="again">{}</span>').format(record["period"]))
                elif column == "book" and text != "base":  # the scenario's long name: in the caption and title
                    shown.append(Markup('<span title="{}">scenario</span>').format(text))
                elif (blank := _period_cell(column, text, view_row, blanks)) is not None:
                    shown.append(blank)
                elif column == "covered":  # a span breakable after its "..", never at a date's hyphen
                    shown.append(_span(text))
                else:
                    sources = view_row["cell_sources"].get(column)
                    page_of = owner.cell_page(sources, f"year {record['period']} {column}")
                    shown.append(_cell(here, _marked(text), page_of))
            linked.append(shown)
        periods = list(dict.fromkeys(r for r in frame["period"] if r != reports.TOTAL_ROW))
        chart = self.scenario_charts(here, book, by_name, periods)
        # as compare says them (the table writes no posted number), each book's caps labelled by book
        notes = compare_section_notes(frame, {name: b.model.caps for name, b in by_name.items()})
        body = join(
            [
                chart,
                _table(
                    f"base vs {book.name} (its rows say scenario), by year (USD), as leakledger scenario compare "
                    "shows it",
                    headers,
                    linked,
                    numeric_from=2,
                    table_class="compare",
                ),
                join(Markup('<p class="note">{}.</p>').format(n) for n in notes),
                Markup("<p>{}</p>").format(
                    link(rel(here, f"scenarios/{book.name}/figures/index.html"), f"Every figure of {book.name}")
                ),
            ]
        )
        lead = Markup(
            "Each period of the base books beside the scenario's (<code>leakledger scenario compare {}</code>). "
            "A scenario adds #assumed figures to the same books."
        ).format(book.name)
        self.emit(here, f"Scenario: {book.name}", body, lead=lead)

    #: The scenario page's charts: (column of chart_data, title), each book's series side by side.
    SCENARIO_CHARTS = (
        ("revenue", "OpenAI revenue (recorded, or implied where not recorded)"),
        ("microsoft_share", "Microsoft → OpenAI 20% (of Bing + Azure OpenAI Service)"),
    )

    def scenario_charts(self, here: str, book: Book, by_name: dict[str, Book], periods: list[str]) -> Markup:
        """OpenAI's revenue, and Microsoft's 20%, in each book by year, as the model page draws them.

        Where OpenAI's revenue is recorded, a scenario's assumed Microsoft bases
        move Microsoft's share, not the revenue: the second chart shows that.
        Each series is the model page's (`chart_data`), per quarter of the span
        each figure covers, with its range; a book with no figure in a year
        leaves its bar out and the note says why, each reason once.
        """
        figures = []
        for column, title in self.SCENARIO_CHARTS:
            series, notes = [], ["Each bar stands as high as its figure per quarter of the span the figure covers."]
            spans: dict[str, tuple] = {}  # period label -> (first day, last day)
            covers: dict[str, dict[str, str]] = {}  # period label -> {book: the span its bar covers}
            for colour, (name, owner) in zip(BOOK_COLOURS, by_name.items()):
                data = chart_data(owner.views["year"])
                drawn = next(s for c in data["charts"] for s in c["series"] if s["column"] == column)
                at = {period: i for i, period in enumerate(data["periods"])}
                rows = owner.views["year"].chart_rows
                spans.update((r["period"], span) for r, span in zip(rows, _spans(rows)) if r["period"] not in spans)

                # A year the book has no row for, after Microsoft's 20% ended by its rules, is a known 0 there too,
                # as the book's own rows say it ("0 (ended)"), not a gap: the base books end where their figures do.
                ended_here = {
                    p: why
                    for p in periods
                    if column == "microsoft_share"
                    and p not in at
                    and (why := reports.share_ended(owner.model.rules, parse_period(p)))
                }

                def pick(key: str, empty=None, drawn=drawn, at=at, ended=ended_here) -> list:
                    return [
                        drawn[key][at[p]] if p in at else _ended_point(key, ended[p], empty) if p in ended else empty
                        for p in periods
                    ]

                hrefs = []
                for p, sources in zip(periods, pick("links")):
                    path = owner.cell_page(sources, f"year {p} {column}") if sources else None
                    hrefs.append(rel(here, path) if path else None)
                label = f"{drawn['label']}: {name}"
                series.append(
                    Series(
                        label,
                        colour,
                        pick("per_quarter"),
                        pick("tooltips", ""),
                        hrefs,
                        pick("lower_bound", False),
                        labels=pick("bar_labels"),
                        lows=pick("lows"),
                        highs=pick("highs"),
                        unknown=pick("unknown", "no figure in this book"),
                    )
                )
                for p, value, span in zip(periods, pick("per_quarter"), pick("covers")):
                    if value is not None:
                        covers.setdefault(p, {})[name] = span or p
                blank: dict[str, list[str]] = {}  # why -> the periods it explains: each reason said once
                for p, why in zip(periods, pick("unknown", "no figure in this book")):
                    if why:
                        blank.setdefault(why, []).append(p)
                for p, why in zip(periods, pick("ended")):  # a bar at 0 because the share ended: why, once
                    if why:
                        blank.setdefault(f"0 ({why})", []).append(p)
                notes += [f"{label}, {', '.join(ps)}: {why}." for why, ps in blank.items()]
            sub = [_covers_caption(covers.get(p, {}), p) for p in periods]
            notes += [f"{p}: {c.replace(chr(10), '; ')}." for p, c in zip(periods, sub) if c]
            svg = bar_chart(
                f"chart-scenario-{book.name}-{column}",
                f"{title}, base books and {book.name}, per quarter",
                periods,
                series,
                sublabels=sub,
                spans=[spans[p] for p in periods],
                unit=CHART_UNIT,
            )
            figures.append(
                Markup('<figure class="chart-box">{}{}{}</figure>').format(
                    svg, legend(series), Markup('<p class="note">{}</p>').format(" ".join(notes))
                )
            )
        return Markup('<div class="charts">{}</div>').format(join(figures))

    def scenario_list(self) -> None:
        here = "scenarios/index.html"
        items = join(
            Markup("<li>{}: {}</li>").format(
                link(rel(here, f"scenarios/{b.name}.html"), b.name), b.options.get("title") or b.name
            )
            for b in self.scenarios
        )
        self.emit(
            here,
            "Scenarios",
            Markup('<ul class="figures">{}</ul>').format(items),
            lead="What-if books: the same books with #assumed figures added, each set beside the base books.",
        )

    # --- the timeline ------------------------------------------------------------------

    def timeline_page(self) -> None:
        """What we knew when: each knowledge date, its sources, and the numbers it moved (`leakledger timeline`)."""
        here = "timeline.html"
        parts = []
        for arrival in reversed(self.arrivals):
            parts.append(Markup('<h2 id="d{}">{}</h2>').format(arrival.day, arrival.day))
            parts.append(
                Markup("<p>Sources: {}. {} entr{} became known.</p>").format(
                    "; ".join(arrival.sources) or "none named",
                    len(arrival.entries),
                    "y" if len(arrival.entries) == 1 else "ies",
                )
            )
            if arrival.moves:
                rows = [[m.what, _move_text(m.before), _move_text(m.after)] for m in arrival.moves]
                moved = f"What {arrival.day} moved"
                parts.append(_table(moved, ["Number", "Before", "After"], rows, table_class="moves"))
            else:
                parts.append(Markup("<p>It moved no number of the report or the reconciliation.</p>"))
        self.emit(
            here,
            "Timeline",
            join(parts),
            lead="What was known when, newest first: each day a source made figures, rules or caps public "
            "(their known-since), and every number it moved: the report by year, each company's income statement, "
            "every figure of the reconciliation in its own unit (a stake as percent), the balances the sources "
            "state, the share rates and the caps. "
            "The same as leakledger timeline.",
        )

    # --- downloads -------------------------------------------------------------------

    def downloads(self) -> None:
        for by in PAGE_OF_BY:
            self.files[f"downloads/report-{by}.csv"] = to_csv(self.base.frames[by]).encode("utf-8")
            self.files[f"downloads/report-{by}.json"] = (to_json(self.base.frames[by]) + "\n").encode("utf-8")
        self.files["downloads/reconcile.csv"] = to_csv(self.base.reconcile).encode("utf-8")
        self.files["downloads/reconcile.json"] = (to_json(self.base.reconcile) + "\n").encode("utf-8")
        self.files["downloads/books.zip"] = self.books.archive()
        for path, content in self.books.files.items():
            self.files[f"books/{path}"] = content
        here = "downloads.html"
        tables = [
            [
                link(f"downloads/report-{by}.csv", f"report-{by}.csv"),
                link(f"downloads/report-{by}.json", f"report-{by}.json"),
                f"leakledger report --by {by} --format csv (or json)",
            ]
            for by in PAGE_OF_BY
        ]
        tables.append(
            [
                link("downloads/reconcile.csv", "reconcile.csv"),
                link("downloads/reconcile.json", "reconcile.json"),
                "leakledger reconcile --format csv (or json)",
            ]
        )
        books = [[link(f"books/{p}", p), f"{len(c):,} bytes"] for p, c in self.books.files.items()]
        body = join(
            [
                Markup("<h2>The tables</h2>"),
                _table(
                    "The report and the reconciliation, as plain numbers",
                    ["CSV", "JSON", "the same as"],
                    tables,
                    numeric_from=3,
                ),
                Markup("<h2>The books</h2><p>{} (all files, as they load), or each file:</p>").format(
                    link("downloads/books.zip", "books.zip")
                ),
                _table("The Beancount files this site was generated from", ["File", "Size"], books),
            ]
        )
        self.emit(
            here,
            "Downloads",
            body,
            lead="The numbers as data, and the books they come from: "
            "bean-check books/" + self.books.top + " loads them as they are.",
        )

    def build(self) -> dict[str, bytes]:
        for by in PAGE_OF_BY:
            self.model_page(by)
        for entity in ENTITIES:
            self.company_page(entity)
        for book in self.scenarios:
            self.scenario_page(book)
        if self.scenarios:
            self.scenario_list()
        self.downloads()
        if self.arrivals:
            self.timeline_page()
        self.figure_pages(self.base, "index.html")
        for book in self.scenarios:
            self.figure_pages(book, f"scenarios/{book.name}.html")
        self.files["assets/site.css"] = (Path(__file__).with_name("site.css")).read_bytes()
        return dict(sorted(self.files.items()))


def build_site(
    base: Book,
    scenarios: list[Book],
    books: BookFiles,
    title: str,
    companies: dict | None = None,
    arrivals: list | None = None,
) -> dict[str, bytes]:
    """Every file of the site (site path -> bytes), the manifest excepted.

    `companies` maps an entity to its own book (entries, options, path in the
    books); a company without one is read from the base books' postings.
    """
    return Site(base, scenarios, books, title, companies or {}, arrivals or []).build()


def _ended_point(key: str, why: str, empty=None):
    """A chart point of a book with no row for a period after Microsoft's 20% ended: a known 0, said so."""
    return {
        "per_quarter": Decimal(0),
        "bar_labels": f"0{ENDED_MARK}",
        "tooltips": f"0 ({why})",
        "ended": why,
        "unknown": None,
    }.get(key, empty)
