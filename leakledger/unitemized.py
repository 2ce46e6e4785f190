"""OpenAI's unitemized costs as intervals: the audited total less the expenses the books itemize.

The shares plugin posts the rest and writes the interval it stands for on
its entry (`unitemized-low:`/`unitemized-high:`), so a saved query can show
it beside the amount; `leakledger explain` shows the same arithmetic. Both
read the itemized expenses here, one posting at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data

from leakledger import derived as D
from leakledger.derived import Derived
from leakledger.figures import figure_of, is_generated
from leakledger.intervals import Interval

__all__ = ["itemized_interval", "posting_interval"]

#: What OpenAI's expenses post under; the unitemized rest is one of them, and is left out of what it leaves out.
_EXPENSES = "Expenses:OpenAI:"


def posting_interval(entry, number: Decimal) -> Interval | None:
    """The range an expense posting of `number` stands for, where its entry states one (None: exact)."""
    d = Derived.of(entry) if is_generated(entry) else None
    if d is not None:
        found = d.share_interval if d.rule == D.RULE_SHARE else d.remainder_interval
        return found if found is not None and d.rule in (D.RULE_SHARE, D.RULE_REMAINDER) else None
    fig = figure_of(entry)
    if fig is None or fig.interval is None or fig.amount is None or abs(fig.amount) != abs(number):
        return None
    return fig.interval if fig.amount == number else -fig.interval


def itemized_interval(entries: Iterable, rest: str) -> Interval:
    """What OpenAI's itemized expenses in `entries` stand for (every `Expenses:OpenAI:` posting but `rest`): a share
    accrual as its interval, a remainder as its own, a hand-written figure as its stated range."""
    total = Interval.exact(Decimal(0))
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            units = posting.units
            if not posting.account.startswith(_EXPENSES) or posting.account == rest or units is None:
                continue
            number = units.number or Decimal(0)
            total = total + (posting_interval(entry, number) or Interval.exact(number))
    return total
