"""Fava extension: the Leak model page.

    2019-01-01 custom "fava-extension" "leakledger.fava_ext"
    2019-01-01 custom "fava-extension" "leakledger.fava_ext" "{'by': 'half'}"

The page and its JSON endpoint show the tables of `leakledger report` and
`leakledger reconcile`, computed by the same code (leakledger.reports) on
the ledger as Fava's time, tag and account filters leave it, with links from
every figure to the journal entries behind it. The model
(leakledger.book_model.BookModel) is built once per load and set of filters,
as Fava's own modules build theirs in `load_file`, and reused by every page
view; a change of grouping (`by`) reuses it too. The charts are drawn in the
browser by LeakModel.js (Fava's extension module) with the Chart.js shipped in
vendor/ (the machines have no internet), from the data the page embeds; the
tables carry every number when the charts cannot draw.

`?as-of=2025-11-13` shows the books as known on that day: they are loaded
again as the CLI's `--as-of` loads them (leakledger.knowledge), once per day
and load, and Fava's filters apply to that; the page offers every knowledge
date and says what the chosen one brought.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core.compare import hash_entry  # what Fava hashes a journal row with (fava.beans.funcs)
from beancount.core.data import Balance, Custom, Pad, Transaction
from beancount.core.flags import FLAG_PADDING
from fava.application import url_for
from fava.context import g
from fava.core.filters import AdvancedFilter, FilterError
from fava.ext import ExtensionConfigError, FavaExtensionBase, extension_endpoint
from flask import current_app, jsonify, request, send_file
from leakledger.fava_ext.added_figures import ADD_ENTRIES, AddedFigureRefused, added_sign_error, guard_add_entries
from leakledger.fava_ext.escaping import escape_everything
from leakledger.fava_ext.view import (
    GROUPINGS,
    PageView,
    apply_filters,
    chart_data,
    href_of,
    model_entries,
    page_view,
)
from markupsafe import Markup

from leakledger.book_index import is_term
from leakledger.book_model import BookModel
from leakledger.company_books import company_view_of
from leakledger.errors import UsageError
from leakledger.figures import Figure
from leakledger.filter_lines import LeftOut, left_out_lines
from leakledger.knowledge import knowledge_dates, parse_as_of
from leakledger.metadata import text_of
from leakledger.model import GENERATED_TAG, RuleBook
from leakledger.model_view import cell_interval, in_force_note, period_notes
from leakledger.page_notice import VIEWS, as_of_sentence, bound_notice, filtered_sentence
from leakledger.parsed_books import ParsedBooks
from leakledger.periods import Period
from leakledger.plain_numbers import posting_notes
from leakledger.presentation import (
    BASE_IS_GAP,
    NOT_KNOWN,
    base_is_gap,
    blank_words,
    cell_covers,
    metric_sources,
    number_text,
    percent_range_text,
    range_note,
    range_text,
    rate_text,
    rule_text,
    shared_notes,
)
from leakledger.publish.flow_svg import flow_section
from leakledger.reports import PERIOD_MONEY, RECORDED_REVENUE
from leakledger.table_numbers import running
from leakledger.timeline import arrivals_of, moves_between, snapshot

__all__ = ["LeakModel", "figure_numbers", "read_config", "rule_texts"]

#: Chart.js as shipped in the package (see vendor/README.md).
CHART_JS = "vendor/chart.umd.min.js"

#: ast.literal_eval raises more than the SyntaxError Fava catches; any of
#: these escaping __init__ would make every page of the ledger a 500.
_LITERAL_ERRORS = (SyntaxError, ValueError, TypeError, MemoryError, RecursionError)
#: What Fava's filters raise, besides FilterError, on a filter they cannot read.
_UNPARSED_FILTER = (ValueError, OverflowError, TypeError, IndexError, re.error, RecursionError)


def read_config(config: Any) -> dict[str, str]:
    """The extension's settings from its parsed config; ValueError if malformed."""
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ValueError(f"expected a dict such as {{'by': 'year'}}, got {type(config).__name__}")
    unknown = sorted(map(str, set(config) - {"by"}))
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; known: by")
    by = config.get("by", "year")
    if by not in GROUPINGS:
        raise ValueError(f"'by' must be one of {', '.join(GROUPINGS)}, got {by!r}")
    return {"by": by}


#: The roots of the accounts each of Fava's pages shows (Beancount's `name_*` options): the notice atop a page
#: names only those (the Journal and the Query page may show any).
_PAGE_ROOTS = {"income_statement": ("income", "expenses"), "balance_sheet": ("assets", "liabilities", "equity")}
#: Fava's pages that show postings as the books hold them, whatever invert-income-liabilities-equity says (it
#: turns only the Income Statement's and Balance Sheet's trees and charts): the notice there uses that sign too.
_RAW_SIGN_PAGES = ("journal", "query", "account")
#: The entries whose absence makes a balance Fava shows something other than the books' balance.
_BALANCE_MOVERS = (Transaction, Pad, Balance)


class LeakModel(FavaExtensionBase):
    """The model's dashboard: reconciliation, charts, and links to the entries."""

    report_title = "Leak model"
    has_js_module = True
    #: The note under a reconciliation whose reconciling base is its gap in every row.
    BASE_IS_GAP = BASE_IS_GAP
    #: Why a period's inference ÷ revenue is blank where the books give no reason of their own.
    NO_RATIO = "no inference spend, or no OpenAI revenue, is recorded or implied for the period"

    def __init__(self, ledger, config: str | None = None) -> None:
        try:
            super().__init__(ledger, config)
            self.settings = read_config(self.config)
        except ExtensionConfigError:
            raise
        except _LITERAL_ERRORS as error:
            # Fava turns this one exception type into one error on its Errors page.
            # Fava 1.30 annotates ExtensionConfigError's error as SyntaxError only; it formats any exception.
            raise ExtensionConfigError(error, str(config)) from None  # type: ignore[arg-type]
        #: The model per set of filters (account, filter, time, as-of), for this load of the books.
        self._models: dict[tuple[str, str, str, str], BookModel] = {}
        #: The page's view of a model per (filters, grouping): its cells' sources as Fava URLs.
        self._views: dict[tuple[str, str, str, str, str], PageView] = {}
        #: The notice atop Fava's pages per set of filters and page, for this load.
        self._notices: dict[tuple[str, ...], dict | None] = {}
        #: The books as known on a day (entries, errors, options), per day, for this load.
        self._as_of: dict[datetime.date, tuple] = {}
        #: Under as-of, the journal filter each figure's link leads to in today's books (`_link_to`), for this load.
        self._leads: dict[tuple, str] = {}
        #: The books parsed once for this load, when a page first asks for an as-of day: each day then runs
        #: only their plugins (leakledger.parsed_books). It holds a second copy of the entries until the reload.
        self._parsed: ParsedBooks | None = None

    def before_request(self) -> None:
        # Fava renders journal rows unescaped; see leakledger.fava_ext.escaping (once per app).
        escape_everything(current_app)
        if request.endpoint == ADD_ENTRIES:  # the add form: a figure's sign as `add` checks it
            guard_add_entries(current_app)  # and its save as `add` writes (leakledger.writer.guard_write)
            problem = added_sign_error((request.get_json(silent=True) or {}).get("entries"))
            if problem is not None:
                raise AddedFigureRefused(f"error: {problem}; nothing was written")

    def after_load_file(self) -> None:
        self._models.clear()
        self._views.clear()
        self._notices.clear()
        self._as_of.clear()
        self._leads.clear()
        self._parsed = None

    def grouping(self) -> str:
        """The request's `by` (year, half, quarter), else the configured one."""
        by = request.args.get("by")
        return by if by in GROUPINGS else self.settings["by"]

    def _filters(self) -> tuple[str, str, str, str]:
        args = request.args
        return (args.get("account", ""), args.get("filter", ""), args.get("time", ""), args.get("as-of", ""))

    def as_of(self) -> datetime.date | None:
        """The request's `as-of` day (the books as known then), None for the books as they are."""
        return _day_of(request.args.get("as-of", ""))

    def knowledge_dates(self) -> list[datetime.date]:
        """Every day something became known in these books, for the page's as-of choice."""
        return knowledge_dates(self.ledger.all_entries)

    def _known_on(self, day: datetime.date) -> tuple:
        """(whole entries, errors, options) of the books as known on `day`: loaded as the CLI loads them."""
        found = self._as_of.get(day)
        if found is None:
            if self._parsed is None:  # refuses a device, FIFO or folder include, as every load does
                self._parsed = ParsedBooks(self.ledger.beancount_file_path)
            entries, errors, options = self._parsed.load(day)
            view = company_view_of(options)
            found = (view.whole if view is not None else entries, errors, options)
            if len(self._as_of) >= 8:
                self._as_of.clear()
            self._as_of[day] = found
        return found

    def arrival(self):
        """What the as-of day's latest knowledge date brought: its sources and the numbers it moved (or None)."""
        day = self.as_of()
        if day is None:
            return None
        days = [d for d in self.knowledge_dates() if d <= day]
        if not days:
            return None
        arrival = arrivals_of(self.ledger.all_entries)[days[-1]]
        after = snapshot(BookModel(*self._known_on(days[-1])[::2]))
        before = snapshot(BookModel(*self._known_on(days[-2])[::2])) if len(days) > 1 else {}
        arrival.moves = moves_between(before, after)
        return arrival

    def book_model(self, timed: bool = True, today: bool = False) -> BookModel:
        """The model of the books as the request's filters leave them: built once per load and filters.

        `timed=False`: as its account and advanced filters leave them, all days (the notice reads a time filter's
        window against the whole books: Fava's filter drops the balance assertions after it). `today`: the books as
        they are, whatever as-of says (what Fava's own pages show).
        """
        key = self._filters()
        if not timed and key[2]:
            key = (key[0], key[1], "", key[3])
        if today:  # what Fava's own pages show: the books as they are, whatever as-of says
            key = (*key[:3], "")
        return self._model(key)

    def loaded_model(self) -> BookModel:
        """The model of the books as loaded, whatever the request's filters: the one the page without filters
        reads. Fava's Journal lists every entry it holds under any filter, so what it is told of them is read here.
        """
        return self._model(("", "", "", ""))

    def _model(self, key: tuple[str, str, str, str]) -> BookModel:
        """The model of the books as (account, filter, time, as-of) leave them: built once per load and key."""
        model = self._models.get(key)
        if model is None:
            day = _day_of(key[3])
            if day is not None:
                whole, errors, options = self._known_on(day)
                try:
                    entries = apply_filters(self.ledger, whole, account=key[0], filter=key[1], time=key[2])
                except FilterError:
                    raise
                except _UNPARSED_FILTER as error:
                    raise FilterError("filter", f"Fava cannot apply these filters: {error}") from None
                known_terms = [e for e in whole if isinstance(e, Custom) and is_term(e)]
                model = BookModel(entries, options, errors=errors, extra_terms=known_terms, today=day)
                self._models[key] = model
                return model
            try:
                shown = g.filtered.entries if key == self._filters() else self._unfiltered(key)
                entries, _ = model_entries(self.ledger, shown, account=key[0], filter=key[1], time=key[2])
            except FilterError:
                raise
            except _UNPARSED_FILTER as error:
                # Fava 1.30 lets some filters it cannot read escape as these
                # (`time=2024-13`, `time=0001`, `account=(`): the page says so instead of a 500.
                raise FilterError("filter", f"Fava cannot apply these filters: {error}") from None
            # The share rules and caps a filter dropped still hold: Fava's index of entries by type has them.
            rules = [e for e in self.ledger.all_entries_by_type.Custom if is_term(e)]
            model = BookModel(entries, self.ledger.options, errors=self.ledger.errors, extra_terms=rules)
            if len(self._models) >= 16:
                self._models.clear()
                self._views.clear()
            self._models[key] = model
        return model

    def _untimed(self):
        """Fava's entries as the request's account and advanced filters leave them, on every day."""
        account, filter, _, _ = self._filters()
        return self._unfiltered((account, filter, "", ""))

    def _unfiltered(self, key: tuple[str, str, str, str]):
        """Fava's entries as `key`'s filters leave them, where they are not the request's (Fava filtered those)."""
        return apply_filters(self.ledger, self.ledger.all_entries, account=key[0], filter=key[1], time=key[2])

    def view(self) -> PageView:
        """The model for the current request's filters and grouping, with Fava's links."""
        key = (*self._filters(), self.grouping())
        view = self._views.get(key)
        if view is None:
            model = self.book_model()  # first: a time filter Fava cannot read is a FilterError here
            found = g.filtered.date_range
            window = None if found is None else Period(found.begin, found.end_inclusive)
            # under a time filter, the flows read funding and training from the books on every day
            flows = None if window is None else model.flows(key[4], window, self.book_model(timed=False))
            view = page_view(model.view(key[4]), self._link_to, current_filter=key[1], window=window, flows=flows)
            if len(self._views) >= 64:
                self._views.clear()
            self._views[key] = view
        return view

    def charts(self) -> dict:
        current_filter = request.args.get("filter", "")
        return chart_data(
            self.book_model().view(self.grouping()), lambda sources: href_of(sources, self._link_to, current_filter)
        )

    def _link_to(self, report: str, **query: str) -> str:
        """URL of one of Fava's report pages, keeping the request's filters (`_href`), for a figure's entries.

        Fava's pages show today's books whatever as-of says: under as-of, a journal filtered to entries today's
        books no longer hold (an implied revenue the audited figures replaced) would be empty. It leads instead to
        the entries those were derived from, which today's books hold (their links); else to the journal as asked.
        """
        expression = query.get("filter")
        day = self.as_of()
        if day is None or report != "journal" or not expression:
            return _href(report, **query)
        found = self._leads.get((day, expression, request.args.get("time", ""), request.args.get("account", "")))
        if found is None:
            found = self._lead(day, expression)
            if len(self._leads) >= 512:
                self._leads.clear()
            self._leads[(day, expression, request.args.get("time", ""), request.args.get("account", ""))] = found
        return _href(report, **{**query, "filter": found})

    def _lead(self, day: datetime.date, expression: str) -> str:
        """The journal filter that shows, in today's books, the entries behind `expression` as known on `day`."""
        try:
            if AdvancedFilter(expression).apply(g.filtered.entries):
                return expression
            then = AdvancedFilter(expression).apply(self._known_on(day)[0])
        except (FilterError, *_UNPARSED_FILTER):
            return expression
        held = {link for entry in g.filtered.entries for link in getattr(entry, "links", None) or ()}
        links = sorted({link for entry in then for link in getattr(entry, "links", None) or ()} & held)
        if not links:
            return expression
        kept = request.args.get("filter", "").strip()  # the page's own filter, as `filtered_journal` keeps it
        joined = ", ".join(f"^{link}" for link in links)
        return f"{kept} ({joined})" if kept else joined

    def flow_diagrams(self) -> Markup:
        """The flows per period as inline SVG beside a table, as the published site draws them.

        Each band links where its figure's entries are (the journal filtered
        by their links), as the tables' cells do.
        """
        view = self.view()
        return flow_section(
            f"leak-flows-{view.by}", view.flows, lambda pf, flow: view.flow_links.get((pf.period, flow.key)), level=4
        )

    def by_href(self, by: str) -> str:
        as_of = request.args.get("as-of")
        return url_for("extension_report", extension_name=self.name, by=by, **({"as-of": as_of} if as_of else {}))

    @staticmethod
    def base_is_gap(rows) -> bool:
        """Whether the reconciling base equals the gap in every row (then the page shows it once)."""
        return base_is_gap(rows)

    @staticmethod
    def covers(row: dict, column: str) -> str | None:
        """The span a cell's figures cover where less than its row's period (presentation.cell_covers)."""
        return cell_covers(row, column)

    @staticmethod
    def range_of(row: dict, column: str) -> str | None:
        """A ranged cell as people read it ("730M–750M", "≥ 2,469,000,000"); None where it is exact or empty."""
        interval = cell_interval(row, column)
        return None if interval is None or interval.is_exact else range_text(interval)

    @staticmethod
    def percent_range(row: dict, column: str) -> tuple[str, str] | None:
        """A ranged ratio cell ("about 27%") as percentages and its note ("26.5%–27.5%", "midpoint 27%");
        None where it is exact or empty."""
        interval = cell_interval(row, column)
        if interval is None or interval.is_exact:
            return None
        return percent_range_text(interval), range_note(interval, row[column], rate_text)

    @staticmethod
    def range_note(row: dict, column: str) -> str:
        """The line under a ranged cell: its midpoint as posted, or "lower bound"."""
        interval = cell_interval(row, column)
        return "" if interval is None else range_note(interval, row[column])

    def window_note(self) -> str | None:
        """Why the period table is empty under Fava's time filter where a share was in force in its window
        (model_view.in_force_note): not known, never a silent nothing."""
        window = g.filtered.date_range
        if window is None:
            return None
        return in_force_note(self.book_model().index, Period(window.begin, window.end_inclusive))

    @staticmethod
    def period_notes(rows: list[dict]) -> list[str]:
        """The notes under the period table (model_view.period_notes), over the columns the page shows: the
        page says in the cell what covers less than its period, and writes the posted number under a range."""
        return [
            f"{note}." for note in period_notes(rows, (*PERIOD_MONEY, RECORDED_REVENUE), marks=False, posted_under=True)
        ]

    @staticmethod
    def shared_words(rows: list[dict]) -> dict[tuple[str, str], dict]:
        """The reconciliation's words under several rows of a metric, said once (presentation.shared_notes)."""
        return shared_notes(rows)

    @staticmethod
    def metric_sources(rows: list[dict]) -> dict[str, str]:
        """The sources most rows of each metric name, said once over them (presentation.metric_sources)."""
        return metric_sources(rows)

    @staticmethod
    def blank(row: dict, column: str) -> tuple[str, str]:
        """(words, why) of a blank cell with no reason of the row's own: a reconciliation's
        (presentation.blank_words), else a period's figure the books do not record."""
        if "metric" in row:
            return blank_words(row, column)
        return NOT_KNOWN, f"no figure is recorded for {row.get('period')}"

    @staticmethod
    def amount(value) -> str:
        """A figure with its digits grouped, cents only where there are any."""
        return "—" if value is None else running(value)

    def filter_error(self) -> str | None:
        """Why Fava cannot apply the request's filters (the page says so), or None."""
        try:
            self.view()
        except FilterError as error:
            return error.message
        return None

    @extension_endpoint
    def model(self):
        """JSON: the period and reconciliation tables, and the links of every figure.

        A filter Fava cannot parse answers 400 with {"error": ...}, as Fava's own API does.
        """
        try:
            return self.view().as_json()
        except FilterError as error:
            response = jsonify({"error": error.message})
            response.status_code = 400
            return response

    @extension_endpoint
    def bounds(self):
        """JSON {"notice": {text, href, link} or null}: what each number Fava's page shows is, where not exact.

        LeakModel.js puts the notice atop Fava's Income Statement, Balance Sheet, Trial Balance, Journal, Query
        and account pages (`page`; `of`: the account page's account; `r`: its view by period, VIEWS), which show
        a bound as a plain number. They show today's books whatever `as-of` says: the notice describes those, and
        says so.
        """
        page, of = request.args.get("page", ""), request.args.get("of", "")
        view = request.args.get("r", "") if page == "account" and request.args.get("r") in VIEWS else ""
        key = (*self._filters(), page, of, view)
        if key in self._notices:
            return jsonify({"notice": self._notices[key]})
        try:
            window = g.filtered.date_range  # the days Fava's time filter keeps, None without one
            days = None if window is None else Period(window.begin, window.end_inclusive)
            dropped = self._filtered_out(days)
        except (FilterError, *_UNPARSED_FILTER):
            return jsonify({"notice": None})
        # the books' model: a line the filter leaves nothing out of shows the books' own number (filter_lines)
        notice = self._notice(self.loaded_model(), days, page, of, view, dropped)
        if len(self._notices) >= 64:
            self._notices.clear()
        self._notices[key] = notice
        return jsonify({"notice": notice})

    def _notice(
        self, model: BookModel, days: Period | None, page: str, of: str, view: str, dropped: tuple | None
    ) -> dict | None:
        """The `bounds` notice of today's books as Fava's filters leave them, for one of Fava's pages; `dropped`:
        `_filtered_out`'s."""
        said, href, link = [], url_for("extension_report", extension_name=self.name), "Leak model"
        try:
            day = self.as_of()
        except FilterError:
            day = None
        if day is not None:  # Fava's own pages ignore as-of: say so, and lead to the page it applies to
            href = url_for("extension_report", extension_name=self.name, **{"as-of": day.isoformat()})
            link = f"Leak model as known on {day}"
            said.append(as_of_sentence(day))
        # the balances Fava's own pages would show without the account and tag filters, on every day (the window's
        # end is read from them): in the books of both companies the model's own entries
        books = self.ledger.all_entries
        if days is None:
            shown = (g.filtered.entries if dropped is None else books, self.ledger.options)
        elif company_view_of(self.ledger.options) is None:
            shown = (model.entries, self.ledger.options)
        else:
            shown = (books, self.ledger.options)
        raw = page in _RAW_SIGN_PAGES
        inverted = bool(self.ledger.fava_options.invert_income_liabilities_equity) and not raw
        accounts = self.ledger.accounts
        roots = _PAGE_ROOTS.get(page)
        shows = None
        if roots is not None:  # the Income Statement shows no balance, the Balance Sheet no income or expense
            wanted = tuple(self._root_names()[root] for root in roots)
            shows = {a: v for a, v in accounts.items() if a.split(":", 1)[0] in wanted}
        elif page == "account":  # an account page: that account and those under it
            shows = {a: v for a, v in accounts.items() if a == of or a.startswith(f"{of}:")}
        left_out, kept = None, None
        if dropped is not None:  # a line the filter leaves postings of sums what it keeps: part of the books'
            sentence, left_out, kept = dropped
            said.append(sentence)
        # each posting an account page lists that stands for a range, of those the filter keeps
        postings = posting_notes(model, books, of, days, kept) if page == "account" and of else []
        signed = raw and bool(self.ledger.fava_options.invert_income_liabilities_equity)
        return bound_notice(
            model, accounts, href, shown, inverted, shows, days, signed, said, postings, link, left_out, view
        )

    def _root_names(self) -> dict[str, str]:
        """The books' names of their five roots (Beancount's `name_*` options), by `_PAGE_ROOTS`' words."""
        options = self.ledger.options
        return {
            "assets": options["name_assets"],
            "liabilities": options["name_liabilities"],
            "equity": options["name_equity"],
            "income": options["name_income"],
            "expenses": options["name_expenses"],
        }

    def _filtered_out(self, days: Period | None) -> tuple[str, dict[str, LeftOut], set[int]] | None:
        """(the sentence on what Fava's account and advanced filters leave out of the books, what they leave out of
        each line in the window `days` (filter_lines), the ids of the entries they keep), or None where they leave
        out nothing a number shown sums."""
        account, filter, _, _ = self._filters()
        if not account and not filter.strip():
            return None
        keeps = self._untimed()
        kept = {id(entry) for entry in keeps}
        left: list[Any] = [e for e in self.ledger.all_entries if id(e) not in kept and isinstance(e, _BALANCE_MOVERS)]
        if not left:
            return None
        moved = [e for e in left if isinstance(e, Transaction)]
        derived = sum(1 for e in moved if GENERATED_TAG in (e.tags or ()))
        padding = sum(1 for e in left if isinstance(e, Pad) or getattr(e, "flag", None) == FLAG_PADDING)
        asserted = sum(1 for e in left if isinstance(e, Balance))
        counts = ((derived, "derived"), (padding, "pads"), (asserted, "balance assertions"))
        return filtered_sentence(len(left), counts), left_out_lines(moved, keeps, days), kept

    @extension_endpoint
    def numbers(self):
        """JSON {"figures": [{hash, text | qualifier, range}]}: what Fava's Journal leaves out of a figure record.

        Fava draws a custom entry's amounts, text, dates and accounts, but not
        a bare number: `figure "microsoft-stake" 0.27` showed as `figure
        "microsoft-stake"`; `text` is the number as people read it. Nor does it
        say that an amount is "about" or "more than" (`qualifier`), or that it
        stands for the range its low:/high: state (`range`, "17.15B–17.25B").
        LeakModel.js writes them into the row whose context link carries the hash.
        """
        # the load's model: no walk over the entries per request
        return jsonify({"figures": figure_numbers(self.loaded_model().figures)})

    @extension_endpoint
    def rules(self):
        """JSON {"rules": [{date, base, text}]}: each revenue-share rule as people read it.

        Fava's Journal draws a custom entry's account and text but no number,
        so a rule would read `revenue-share Income:Microsoft:Bing "OpenAI"`;
        LeakModel.js writes `→ OpenAI 20%` in its place from these.
        """
        return jsonify({"rules": rule_texts(self.loaded_model().rules)})  # the load's model: no walk per request

    # Fava 1.30 types extension_endpoint's result as a union of the bare and the named decorator
    # (no overloads), so mypy cannot apply the named form: the annotation, not this call, is wrong.
    @extension_endpoint("chart.js")  # type: ignore[arg-type]
    def chart_js(self):
        """The vendored Chart.js, for LeakModel.js to import (Fava serves no library of its own)."""
        return send_file(self.extension_dir / CHART_JS, mimetype="text/javascript")


def figure_numbers(figures: Iterable[Figure]) -> list[dict[str, str]]:
    """What Fava's Journal leaves out of each figure record among `figures` ({hash, text | qualifier, range}), in
    their order: its bare number as people read it, its "about", the range it stands for."""
    said_of = []
    for figure in figures:
        entry = figure.entry
        if not isinstance(entry, Custom):
            continue  # a transaction's amounts Fava draws
        qualifier = text_of(entry.meta.get("qualifier"))
        numbers = [v.value for v in entry.values if _bare_number(v.value)]
        said = {}
        if numbers:
            said["text"] = " ".join(number_text(n, qualifier) for n in numbers)
        elif qualifier:
            said["qualifier"] = qualifier
        interval = figure.interval
        # a range it stands for; a bound the qualifier says already ("more than 20B" is [20B, ∞)) is not repeated
        if interval is not None and not interval.is_exact and not numbers and (interval.bounded or not qualifier):
            said["range"] = range_text(interval)
        if said:
            said_of.append({"hash": hash_entry(entry), **said})
    return said_of


def rule_texts(book: RuleBook) -> list[dict[str, str]]:
    """Each share rule of `book` as people read it ({date, base, text}), base by base."""
    return [
        {"date": r.date.isoformat(), "base": r.base, "text": rule_text(r.base, r.payee, r.rate)}
        for base in book.bases
        for r in book.rules_of(base)
    ]


def _day_of(text: str) -> datetime.date | None:
    """An `as-of` parameter's day, None where there is none; FilterError (the page says why) where it is no day."""
    if not text:
        return None
    try:
        return parse_as_of(text, "as-of")
    except UsageError as error:
        raise FilterError("as-of", str(error)) from None


def _bare_number(value: object) -> bool:
    """A custom value Fava's Journal leaves blank: a number with no currency (a bool is drawn)."""
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _href(report: str, **query: str) -> str:
    """URL of one of Fava's report pages, keeping the request's filters."""
    return url_for("report", report_name=report, **query)
