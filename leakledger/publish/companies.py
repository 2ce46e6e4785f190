"""Each company's balance sheet at the end of each period, from its own postings.

The income statement is leakledger.statements' (the code behind `leakledger
statement`); this adds the running balance of the company's Assets,
Liabilities and Equity accounts at each period's end. Every transaction
balances within each company, so these are the company's own balances.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from leakledger.model import entity_of

__all__ = ["balances"]

_BALANCE_ROOTS = ("Assets", "Liabilities", "Equity")


def balances(entries, entity: str, ends: list) -> list[tuple[str, list[Decimal]]]:
    """(account, balance at each date of `ends`) for `entity`'s balance-sheet accounts, in account order."""
    moves: dict[str, list[tuple]] = defaultdict(list)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if (posting.units is not None and entity_of(posting.account) == entity
                        and posting.account.split(":", 1)[0] in _BALANCE_ROOTS):
                    moves[posting.account].append((entry.date, posting.units.number))
    rows = []
    for account in sorted(moves):
        dated = sorted(moves[account], key=lambda move: move[0])
        days = [day for day, _ in dated]
        running, totals = Decimal(0), []
        for amount in (a for _, a in dated):
            running += amount
            totals.append(running)
        rows.append((account, [totals[i - 1] if (i := bisect.bisect_right(days, end)) else Decimal(0) for end in ends]))
    return rows
