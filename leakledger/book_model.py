"""The model of one load of the books: built once, rendered by the CLI, the Fava page and publish.

    model = BookModel(entries, options_map)        # one walk over the entries
    model.period_rows("quarter")                   # the period table, computed once per grouping
    model.reconcile_rows                           # the reconciliation, computed once
    model.view("year")                             # the Leak model: tables with each cell's sources,
                                                   # and the flows between the companies per period
    model.statement("OpenAI", "year")              # a company's income statement

A `BookModel` holds the books as `leakledger.book_index` read them (figures,
refinements, derived records, rules, caps) and, on first use, the tables
made from them. Nothing here renders: each front end takes the model and
draws it, building its own links from the cells' `CellSources`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

from leakledger import reports
from leakledger.book_index import BookIndex, index_books
from leakledger.caps import CapStatus
from leakledger.company_books import company_view_of
from leakledger.figures import Figure, Refinements
from leakledger.flows import PeriodFlows, period_flows
from leakledger.model import RuleBook
from leakledger.model_view import ModelView, model_view
from leakledger.periods import Period
from leakledger.reconciliation import ReconcileRow, reconcile_frame, reconcile_rows
from leakledger.statements import Statement, income_statement

__all__ = ["BookModel"]


class BookModel:
    """One load of the books and everything the model reads from it, each computed once."""

    def __init__(
        self,
        entries: Sequence[Any],
        options_map: Mapping[str, Any] | None = None,
        *,
        errors: Iterable[Any] = (),
        extra_terms: Iterable[Any] = (),
        today: datetime.date | None = None,
    ) -> None:
        """`extra_terms`: rule and cap directives in force that a filter left out (`index_books`)."""
        self.entries = entries
        self.options_map = options_map or {}
        #: The books' errors (Fava serves books that have them): the view marks what they make wrong.
        self.errors = list(errors)
        self.today = today
        self.index: BookIndex = index_books(entries, extra_terms)
        self._period_rows: dict[tuple[str, bool], list[reports.PeriodRow]] = {}
        self._views: dict[str, ModelView] = {}
        self._statements: dict[tuple[str, str], Statement] = {}

    # --- what the books record --------------------------------------------------

    @property
    def figures(self) -> list[Figure]:
        return self.index.figures

    @property
    def rules(self) -> RuleBook:
        return self.index.rules

    @property
    def caps(self) -> list[CapStatus]:
        return self.index.caps

    @property
    def refinements(self) -> Refinements:
        return self.index.refinements

    # --- the tables ---------------------------------------------------------------

    def period_rows(self, by: str = "year", totals: bool = True) -> list[reports.PeriodRow]:
        """The period table's rows (reports.period_rows), computed once per grouping."""
        key = (by, totals)
        if key not in self._period_rows:
            self._period_rows[key] = reports.period_rows(self.index, by, totals)
        return self._period_rows[key]

    @cached_property
    def reconcile_rows(self) -> list[ReconcileRow]:
        """The reconciliation's rows (reconciliation.reconcile_rows), computed once."""
        return reconcile_rows(self.index)

    def period_table(self, by: str = "year") -> Any:
        """The period table as a DataFrame, for grouping and CSV/markdown output."""
        import pandas as pd

        rows = self.period_rows(by)
        return pd.DataFrame(rows, columns=reports.period_columns(rows), dtype=object)

    def reconcile_table(self) -> Any:
        """The reconciliation as a DataFrame, for grouping and CSV/markdown output."""

        return reconcile_frame(self.reconcile_rows)

    def statement(self, entity: str, by: str = "year") -> Statement:
        """`entity`'s income statement (leakledger.statements), computed once per grouping.

        In a company's own book the model of the deal is read from the books of
        both companies that the company view keeps; in the combined books, from
        this model's index.
        """
        key = (entity, by)
        if key not in self._statements:
            whole = self.index if company_view_of(self.options_map) is None else None
            self._statements[key] = income_statement(self.entries, self.options_map, entity, by, whole)
        return self._statements[key]

    def view(self, by: str = "year") -> ModelView:
        """The Leak model grouped `by` period, each cell with its sources; computed once per grouping."""
        if by not in self._views:
            view = model_view(
                self.index,
                by=by,
                errors=self.errors,
                period_rows=self.period_rows(by),
                reconcile=self.reconcile_rows,
                today=self.today,
            )
            view.flows = period_flows(view.period_rows, self.index, errors=self.errors)
            self._views[by] = view
        return self._views[by]

    def flows(self, by: str, window: Period, whole: BookModel) -> list[PeriodFlows]:
        """The flows of `view(by)` read against the days a time filter keeps (`window`), funding and training
        from `whole`, the model of the same books on every day (the filter drops a figure dated outside it)."""
        return period_flows(self.view(by).period_rows, self.index, errors=self.errors, window=window, whole=whole.index)
