"""Why a table as known on a day is empty: the first day the books knew something it shows.

`report --as-of 2025-11-01` and `statement OpenAI --as-of 2025-11-01` have
nothing to show (the first leak became public on 2025-11-12); an empty
table must say so and name that day, never look like books with nothing in
them. The books are parsed once and loaded as known on their knowledge days
(`leakledger.parsed_books`), searched in halves: what is known only grows.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from typing import Any

from leakledger.knowledge import knowledge_dates
from leakledger.parsed_books import ParsedBooks

__all__ = ["empty_note", "first_known_day"]


def first_known_day(
    path: str | os.PathLike, after: datetime.date, shows: Callable[[list, dict[str, Any]], bool]
) -> datetime.date | None:
    """The first knowledge day after `after` on which the books as known `shows` something; None if none does."""
    books = ParsedBooks(path)
    days = [day for day in knowledge_dates(books.entries) if day > after]
    low, high = 0, len(days)
    while low < high:
        middle = (low + high) // 2
        entries, errors, options_map = books.load(days[middle])
        if not errors and shows(entries, options_map):
            high = middle
        else:
            low = middle + 1
    return days[low] if low < len(days) else None


def empty_note(what: str, as_of: datetime.date | None, first: datetime.date | None) -> str:
    """The line an empty table shows: nothing of `what` was known by `as_of`, and when the first of it was."""
    if as_of is None:
        return f"nothing to show: the books record no {what}"
    later = f"the first became known on {first}" if first else "the books record none of it on any later day"
    return f"nothing to show: no {what} was known by {as_of}; {later} (try --as-of {first or 'a later day'})"
