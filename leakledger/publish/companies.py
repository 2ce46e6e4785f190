"""The links behind each figure of a company's income statement, for the published company pages.

The statement and its balance sheet are leakledger.statements' (the code
behind `leakledger statement`); this says which figures' pages a cell links to.
"""

from __future__ import annotations

from collections import defaultdict

from beancount.core import data

__all__ = ["statement_links"]


def statement_links(entries, statement) -> dict[tuple[str, str], set[str]]:
    """(line, period label) -> the links of the entries behind that figure of an income statement.

    An account's figure comes from the linked transactions posting to it in
    the period; a total or the net from those of every account it adds up.
    """
    from leakledger.periods import Rows, period_of
    from leakledger.statements import NET, TOTAL_ROW

    section = {line.key: line.section for line in statement.lines if not line.is_total}
    grid = [p for p, label in zip(statement.periods, statement.labels) if label != TOTAL_ROW]
    rows, labels = Rows(p.start for p in grid), [p.label for p in grid]
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not entry.links or not grid:
            continue
        accounts = {p.account for p in entry.postings if p.account in section}
        if not accounts:
            continue
        row = rows.row_of(period_of(entry).start)
        if row < 0:
            continue
        for account in accounts:
            for key in (account, section[account], NET):
                for label in (labels[row], TOTAL_ROW):
                    found[(key, label)] |= entry.links
    return found
