"""A company's own books inside the books of both: picking its postings out, and the view a book was loaded with.

The company view plugin (`leakledger.plugins.company_view`) keeps one
company's postings after the model has derived everything, and keeps the
books of both companies whole in the options map; the company statements
and the Leak model read them back here, so no reader imports a plugin.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from beancount.core import data

from leakledger.model import ENTITIES, entity_of

__all__ = ["WHOLE_BOOKS", "CompanyView", "company_view_of", "entity_named", "keep_company"]

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
    kept: list[Any] = []
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
