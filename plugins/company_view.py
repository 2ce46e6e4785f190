"""Company view plugin: one company's own books, after the model has derived everything.

    plugin "leakledger.plugins.chain"
    plugin "leakledger.plugins.company_view" "OpenAI"

Runs after the chain. Every transaction balances within each company (the
integrity plugin checks it), so keeping only one company's postings leaves
books that balance on their own: the view drops the other company's legs,
the transactions left with none, and the other company's open, close,
balance, pad, note and document directives. Fava's income statement and
balance sheet, and bean-query, then show that company alone, with its own
retained earnings.

The model of the deal (implied revenue, both shares) is computed from the
books of both companies, so the view keeps them whole, as the chain left
them, in the options map under `WHOLE_BOOKS` (a `CompanyView`): the Leak
model page and the company statements read them through `company_view_of`.
That is the only thing the view adds; the input entries are never mutated.
"""

from __future__ import annotations

import collections

from beancount.core import data

from leakledger.company_books import WHOLE_BOOKS, CompanyView, company_view_of, entity_named, keep_company
from leakledger.model import ENTITIES

__plugins__ = ("company_view",)
__all__ = ["company_view", "CompanyView", "WHOLE_BOOKS", "company_view_of", "entity_named", "keep_company"]

CompanyViewError = collections.namedtuple("CompanyViewError", "source message entry")


def company_view(entries, options_map, config=None):
    """Keep one company's books (config: "OpenAI" or "Microsoft")."""
    entity = entity_named(config)
    if entity is None:
        source = data.new_metadata(options_map.get("filename", "<company_view>"), 0)
        return entries, [
            CompanyViewError(
                source,
                f"company_view needs the company as its config, one of {', '.join(ENTITIES)}; got {config!r}",
                None,
            )
        ]
    options_map[WHOLE_BOOKS] = CompanyView(entity, entries)
    return keep_company(entries, entity), []
