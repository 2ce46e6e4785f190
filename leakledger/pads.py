"""Which balance assertion a pad fills, decided once.

A `pad` (and the padding transaction Beancount makes of it: flag 'P', the
padded account its first posting) fills the first balance assertion of its
account dated after it. One dated on the pad's own day does not count: a
balance is checked at the start of its day, before the pad. The statements,
their ranges, `explain` and the as-of filter all ask this; here it is written
once. Beancount also calls a pad unused (an error) where another pad of the
account comes before that assertion; only the as-of filter meets such pads,
and it drops them itself (`knowledge.known_on`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from beancount.core import data, flags

__all__ = ["assertions", "filled_by", "padded_account"]


def padded_account(entry) -> str | None:
    """The account a `pad` directive, or the padding transaction made of it, fills; None for any other entry."""
    if isinstance(entry, data.Pad):
        return entry.account
    if isinstance(entry, data.Transaction) and entry.flag == flags.FLAG_PADDING and entry.postings:
        return entry.postings[0].account
    return None


def assertions(entries: Iterable) -> dict[str, list[data.Balance]]:
    """account -> its balance assertions among `entries`, by date."""
    found: dict[str, list[data.Balance]] = {}
    for entry in entries:
        if isinstance(entry, data.Balance):
            found.setdefault(entry.account, []).append(entry)
    for balances in found.values():
        balances.sort(key=_date)
    return found


def filled_by(asserted: dict[str, list[data.Balance]], pad) -> data.Balance | None:
    """The balance assertion `pad` fills (`asserted` as `assertions` makes it), else None."""
    balances = asserted.get(padded_account(pad) or "")
    if not balances:
        return None
    at = bisect.bisect_right(balances, pad.date, key=_date)
    return balances[at] if at < len(balances) else None


def _date(entry):
    return entry.date
