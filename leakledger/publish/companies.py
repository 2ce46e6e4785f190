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
                if (
                    posting.units is not None
                    and entity_of(posting.account) == entity
                    and posting.account.split(":", 1)[0] in _BALANCE_ROOTS
                ):
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


def statement_links(entries, statement) -> dict[tuple[str, str], set[str]]:
    """(line, period label) -> the links of the entries behind that figure of an income statement.

    An account's figure comes from the linked transactions posting to it in
    the period; a total or the net from those of every account it adds up.
    """
    from leakledger.periods import period_of
    from leakledger.statements import NET, TOTAL_ROW

    section = {line.key: line.section for line in statement.lines if not line.is_total}
    grid = [p for p, label in zip(statement.periods, statement.labels) if label != TOTAL_ROW]
    starts, labels = [p.start for p in grid], [p.label for p in grid]
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not entry.links or not grid:
            continue
        accounts = {p.account for p in entry.postings if p.account in section}
        if not accounts:
            continue
        row = bisect.bisect_right(starts, period_of(entry).start) - 1
        if row < 0:
            continue
        for account in accounts:
            for key in (account, section[account], NET):
                for label in (labels[row], TOTAL_ROW):
                    found[(key, label)] |= entry.links
    return found
