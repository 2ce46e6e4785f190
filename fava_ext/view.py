"""The Leak model page's view of Fava's filters: which entries the model reads for a request.

The tables and their sources are leakledger.model_view's; this module holds
what only Fava has: its account, advanced and time filters, and the company
books' whole entries they apply to.
"""

from __future__ import annotations

from beancount.core import data
from fava.core.filters import AccountFilter, AdvancedFilter, TimeFilter

from leakledger.company_books import company_view_of
from leakledger.model import CAP_READING_TYPE, CAP_TYPE, RULE_TYPE
from leakledger.model_view import GROUPINGS, ModelView, chart_data, model_view

__all__ = ["GROUPINGS", "ModelView", "chart_data", "model_entries", "model_view", "with_rules"]


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
