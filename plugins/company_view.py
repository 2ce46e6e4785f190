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
from typing import NamedTuple

from beancount.core import data

from leakledger.model import ENTITIES, entity_of

__plugins__ = ("company_view",)

CompanyViewError = collections.namedtuple("CompanyViewError", "source message entry")

#: The options-map key under which the view keeps the books of both companies.
WHOLE_BOOKS = "leakledger_company_view"

#: Directives that name one account, and the attributes that hold it.
_ACCOUNT_DIRECTIVES = {
    data.Open: ("account",),
    data.Close: ("account",),
    data.Balance: ("account",),
    data.Pad: ("account", "source_account"),
    data.Note: ("account",),
    data.Document: ("account",),
}


class CompanyView(NamedTuple):
    """Which company a book shows, and the books of both as the chain left them."""

    entity: str
    whole: list

    def __repr__(self) -> str:
        # Fava's Options page prints every option: one line, not every entry.
        return f"{self.entity}'s view of the books of both companies ({len(self.whole)} entries)"


def company_view_of(options_map) -> CompanyView | None:
    """The company view a book was loaded with, or None for the books of both companies."""
    view = options_map.get(WHOLE_BOOKS) if options_map else None
    return view if isinstance(view, CompanyView) else None


def entity_named(text) -> str | None:
    """`OpenAI` or `Microsoft` for any spelling of either (case-insensitive), else None."""
    if not isinstance(text, str):
        return None
    return next((e for e in ENTITIES if e.lower() == text.strip().lower()), None)


def keep_company(entries, entity: str) -> list:
    """The entries as `entity`'s own books: its postings only, its accounts only.

    A transaction wholly inside the company is kept as it is (the same
    object); one with legs in both gets a copy with its own legs; one with
    none is dropped. Applying it twice changes nothing.
    """
    kept = []
    append = kept.append
    owner: dict[str, str | None] = {}  # account -> entity, computed once per account
    for entry in entries:
        if isinstance(entry, data.Transaction):
            postings = entry.postings
            mine = []
            for posting in postings:
                account = posting.account
                who = owner.get(account, "")
                if who == "":
                    who = owner[account] = entity_of(account)
                if who == entity or who is None:
                    mine.append(posting)
            if len(mine) == len(postings):
                append(entry)
            elif mine:
                append(entry._replace(postings=mine))
            continue
        fields = _ACCOUNT_DIRECTIVES.get(type(entry))
        if fields is not None and any(entity_of(getattr(entry, name)) not in (entity, None) for name in fields):
            continue
        append(entry)
    return kept


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
