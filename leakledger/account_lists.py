"""What a transaction's list of posting accounts implies, worked out once per distinct list.

Books post to a handful of account lists (a revenue line item, a payment, a
share), so the plugins' per-transaction questions (which metrics hold these
accounts, which entity each leg belongs to) are answered once per list and
found again by walking a trie of accounts, which allocates nothing per
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

__all__ = ["ByAccounts"]

T = TypeVar("T")
_FOUND = ""  # the trie key of an answer: no account is empty


class ByAccounts(Generic[T]):
    """`make(accounts)` for a list of postings, made once per list of their accounts.

    Bounded: past `most` lists it starts again, so a hostile book cannot grow it without end.
    """

    __slots__ = ("_make", "_trie", "_most", "_count")

    def __init__(self, make: Callable[[list[str]], T], most: int = 10_000) -> None:
        self._make = make
        self._trie: dict[str, Any] = {}
        self._most = most
        self._count = 0

    def __call__(self, postings: Sequence[Any]) -> T:
        node = self._trie
        for posting in postings:
            child = node.get(posting.account)
            if child is None:
                child = node[posting.account] = {}
            node = child
        found = node.get(_FOUND)
        if found is None:
            found = node[_FOUND] = self._make([p.account for p in postings])
            self._count += 1
            if self._count > self._most:
                self._trie.clear()
                self._count = 0
        return found
