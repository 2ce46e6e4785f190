"""Each company's statements by period, from the account tree of the books.

The company is the second component of every account, and every
transaction balances within each company, so one company's income statement
is the sum of its Income and Expenses postings per period, and its balance
sheet the running balance of its Assets, Liabilities and Equity. Revenue the
plugins imply as a lower bound makes the revenue and the net result lower
bounds too, marked as `report` marks them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from leakledger import derived as D
from leakledger.derived import derived
from leakledger.model import entity_of
from leakledger.periods import Period, parse_period

__all__ = ["Statement", "statements"]

_INCOME_ROOTS = ("Income", "Expenses")
_BALANCE_ROOTS = ("Assets", "Liabilities", "Equity")
NET = "Net result"


@dataclass
class Statement:
    """Rows of (account, amounts per period); income shown positive, expenses positive."""

    entity: str
    periods: list[Period]
    income: list[tuple[str, list]]  # Income and Expenses accounts, then NET
    balance: list[tuple[str, list]]  # balances at each period's end
    lower: dict[str, list[bool]]  # account -> lower bound per period


def _bucket(day, by: str) -> Period:
    if by == "year":
        return parse_period(f"{day.year}")
    if by == "half":
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def statements(entries, entity: str, by: str = "year") -> Statement:
    """The income statement and balance sheet of `entity`, per calendar `by` period with postings."""
    flows: dict[str, dict[Period, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    moves: dict[str, list[tuple]] = defaultdict(list)
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if entity_of(posting.account) != entity or posting.units is None:
                continue
            root = posting.account.split(":", 1)[0]
            if root in _INCOME_ROOTS:
                flows[posting.account][_bucket(entry.date, by)] += posting.units.number
            elif root in _BALANCE_ROOTS:
                moves[posting.account].append((entry.date, posting.units.number))
    periods = sorted({p for amounts in flows.values() for p in amounts})
    lows = [d.date for d in derived(entries, D.RULE_IMPLIED) if d.lower_bound] if entity == "OpenAI" else []
    lower_periods = {p for p in periods if any(p.contains_date(day) for day in lows)}

    income, net = [], [Decimal(0)] * len(periods)
    for account in sorted(flows, key=lambda a: (a.split(":", 1)[0] != "Income", a)):
        sign = -1 if account.startswith("Income") else 1
        values = [flows[account].get(p) for p in periods]
        income.append((account, [None if v is None else sign * v for v in values]))
        net = [n - (v or 0) for n, v in zip(net, values)]
    income.append((NET, net))

    balance = []
    for account in sorted(moves):
        running, values, i = Decimal(0), [], 0
        mine = sorted(moves[account], key=lambda m: m[0])
        for period in periods:
            while i < len(mine) and mine[i][0] <= period.end:
                running += mine[i][1]
                i += 1
            values.append(running)
        balance.append((account, values))

    revenue = [p in lower_periods for p in periods]
    lower = {account: revenue for account, _ in income if account.endswith(":Revenue") or account == NET}
    return Statement(entity, periods, income, balance, lower)
