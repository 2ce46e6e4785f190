"""One company's balance sheet at each period's end, each balance saying what it is.

Split from `leakledger.statements` (which builds the income statement and
asks this module for the balances under it). The rules a balance follows:

- Before an account's first posting the books say nothing of it: not known,
  never 0. Before its first balance assertion a company's cash is only the
  flows the books record (summed, with their range), not its balance.
- A move over a span (Microsoft's funding "as of 2025-09-30" since
  2019-07-22) posts at its end; at a day inside the span none to all of it
  had moved, so the balance there is a range.
- A pad posts on its day all that moves until the balance assertion it
  fills (`leakledger.pads`); until then none or all of it had moved.
- Ranged figures make ranged balances (`statement_ranges.balance_spreads`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data, flags

from leakledger import derived as D
from leakledger import pads
from leakledger.amounts import ZERO_CENTS as ZERO
from leakledger.amounts import cents
from leakledger.book_index import BookIndex
from leakledger.intervals import Interval, Spread
from leakledger.model import BALANCE_ROOTS, DUE_ACCOUNTS, A, entity_of
from leakledger.periods import Period, Rows
from leakledger.statement_ranges import balance_spreads, moved_range
from leakledger.table_numbers import ends_text
from leakledger.table_numbers import running as grouped

__all__ = ["BalanceCell", "BalanceColumn", "BalanceLine", "balance_sheet", "moves_balance", "through"]


class BalanceCell(NamedTuple):
    """An account's balance at a period's end; None where the books record nothing for it by then, and why.

    `interval`: the range the balance stands for where postings of ranged figures make it up (a share of the
    audited "13.07B", a pad against them), None where it is exact.
    """

    amount: Decimal | None
    not_known: str | None = None
    interval: Interval | None = None


class BalanceLine(NamedTuple):
    """One balance-sheet account: its cells, by the grid's period labels."""

    account: str
    cells: dict  # period label -> BalanceCell
    #: A balance no assertion fixes that the deal's flows alone build (`_FLOWS_ONLY`): its figures are the sum of
    #: the flows the books record, not the company's cash or its stake's carrying value (the Dues start with the
    #: deal).
    flows_only: bool = False


class BalanceColumn(NamedTuple):
    """One column of a balance sheet: its label, the days up to the balance it shows, and its period's own end
    (later than `period.end` where the books' last entry falls inside the period)."""

    label: str
    period: Period
    end: datetime.date

    @property
    def heading(self) -> str:
        """ "2026 (at 2026-06-30)" where the balance is as of a day before the period's end; else the label."""
        return self.label if self.period.end == self.end else f"{self.label} (at {self.period.end})"


def moves_balance(entry, entity: str) -> bool:
    """Whether an entry speaks of `entity`'s balances: a posting to its Assets, Liabilities or Equity, or an
    assertion of one."""
    if isinstance(entry, data.Balance):
        return entity_of(entry.account) == entity
    if isinstance(entry, data.Transaction):
        return any(
            p.account.split(":", 1)[0] in BALANCE_ROOTS and entity_of(p.account) == entity for p in entry.postings
        )
    return False


def through(entries, end: datetime.date) -> list:
    """The entries a balance at the end of day `end` reads: those dated by then, every balance assertion (one fixes
    a balance before its day) and those over a span that includes `end` (by then none or all of it had moved). All
    of them where a pad by then is asserted after the next day: the pad makes up what moves before its assertion,
    later moves among them."""
    kept = [
        entry
        for entry in entries
        if entry.date <= end
        or isinstance(entry, data.Balance)
        or (isinstance(entry, data.Transaction) and (start := _spans(entry)) is not None and start <= end)
    ]
    asserted = pads.assertions(kept)
    for entry in kept:
        if isinstance(entry, data.Transaction) and entry.flag == flags.FLAG_PADDING and entry.date <= end:
            balance = pads.filled_by(asserted, entry)
            if balance is not None and balance.date > end + datetime.timedelta(days=1):
                return list(entries)
    return kept


def balance_sheet(
    entries, entity: str, periods, labels, books: BookIndex | None = None, by_entry: dict | None = None
) -> tuple[BalanceLine, ...]:
    """`entity`'s Assets, Liabilities and Equity accounts at each period's end, from its own postings.

    Before an account's first posting the books say nothing about it: that
    balance is not known (with the first posting's date and narration),
    never 0. Microsoft's investment in OpenAI at the end of 2024 is the
    case: its funding is recorded first as of 2025-09-30. With `books` (both
    companies' books, read) and `by_entry` (`statement_ranges.moves_key` ->
    an entry's income and expenses' moves, as posted), a balance made of
    ranged figures carries its range (`statement_ranges.balance_spreads`).
    """
    moves: dict[str, list[tuple]] = {}
    fixed: dict[str, datetime.date] = {}  # account -> the day its first balance assertion speaks of
    for entry in entries:
        if isinstance(entry, data.Balance) and entity_of(entry.account) == entity:
            # checked at the start of its day: it gives the balance at the end of the day before
            day = entry.date - datetime.timedelta(days=1)
            fixed[entry.account] = min(day, fixed.get(entry.account, day))
        elif isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if posting.units is not None and posting.account.split(":", 1)[0] in BALANCE_ROOTS:
                    if entity_of(posting.account) == entity:
                        moves.setdefault(posting.account, []).append((entry.date, posting.units.number, entry))
    moves = {account: sorted(moves[account], key=lambda move: move[0]) for account in sorted(moves)}
    asserted = {account: found for account, found in pads.assertions(entries).items() if entity_of(account) == entity}
    pad_until = _pads_until(entries, asserted)
    ranged = balance_spreads(moves, asserted, by_entry or {}, books) if books is not None else {}
    keep = _balance_range(books)
    spans_of = {  # account -> its moves over a span (posted at its end), each as its figures allow it
        account: [
            (start, entry, Interval.exact(number) + _own(ranged, account, at))
            for at, (_, number, entry) in enumerate(dated)
            if (start := _spans(entry))
        ]
        for account, dated in moves.items()
    }
    lines = []
    for account, dated in moves.items():
        by_day = Rows(day for day, _, _ in dated)  # which move is the last by a day
        totals, running, spreads, spread = [], ZERO, [], Spread()
        for at, (_, number, _) in enumerate(dated):
            running += number
            totals.append(running)
            moved = ranged[account][at] if account in ranged else None
            spread = spread + moved if moved is not None else spread
            spreads.append(spread)
        # a pad posts on its day all that moves until the balance it pads to: until then, none or all of it had moved
        padding = [
            (at, pad_until[id(entry)], number) for at, (_, number, entry) in enumerate(dated) if id(entry) in pad_until
        ]
        first_day, _, first = dated[0]
        # Beancount's own narration of a pad ("(Padding inserted for Balance of ...)") said in words
        what = "the pad to a balance assertion" if first.flag == flags.FLAG_PADDING else first.narration
        why = (
            f"not known: the books record nothing for {account} before {first_day} "
            f"({what}); its balance before then is not zero, only unrecorded"
        )
        cells = {}
        for period, label in zip(periods, labels):
            last = by_day.row_of(period.end)
            # a move over a span posts at its end: at a day inside the span (Microsoft's funding of 2025-10..
            # 2026-03 at 2025-12-31), none to all of it had moved, as its figures allow it (its range)
            moving = [m for m in spans_of[account] if m[1].date > period.end and m[0] <= period.end]
            if last >= 0 and account in fixed and period.end < fixed[account]:
                flows = grouped(cents(totals[last]))
                flows_range = moved_range(totals[last], spreads[last])
                if moving:
                    flows_range = ((flows_range or Interval.exact(totals[last])) + _none_to_all_of(moving)).map_ends(
                        cents
                    )
                if flows_range is not None:
                    within = "within " * (flows_range.low is not None and flows_range.high is not None)
                    flows = f"{flows} as posted, {within}{ends_text(flows_range.low, flows_range.high)}"
                spanned = f", with none to all of {_spans_text(moving)}, which posts at its end" if moving else ""
                cells[label] = BalanceCell(
                    None,
                    f"not known: the books fix {account} first by a balance assertion as of {fixed[account]}; "
                    f"before then they record only flows (summing to {flows} by {period.end}{spanned}), "
                    f"not its balance",
                )
            elif last < 0 and not any(start <= period.end for start, _, _ in spans_of[account]):
                cells[label] = BalanceCell(None, why)
            else:  # moves posted by then, or the span of a first move had begun: none to all of it had moved
                note = (
                    _since_asserted(account, asserted.get(account), dated[: last + 1], label, period.end)
                    if last >= 0
                    else None
                )
                posted = totals[last] if last >= 0 else ZERO
                interval = moved_range(totals[last], spreads[last]) if last >= 0 else None
                undone = [  # a pad by then, for a balance asserted later: the part of it not yet moved, none to all
                    (dated[at][2], until, -number)
                    for at, (until, _), number in padding
                    if at <= last and period.end + datetime.timedelta(days=1) < until
                ]
                # a pad's other leg (OpenAI's unitemized equity) by then, where a move of the account it pads posts
                # after the day too though its span includes the assertion's eve: had some of it moved before, the
                # pad was that much less (2025's pad and Microsoft's 2025-10..2026-03 funding, 0..200M)
                through = [
                    (start, entry, m, dated[at][2])
                    for at, (until, padded), _ in padding
                    if at <= last and padded != account
                    for start, entry, m in spans_of.get(padded, ())
                    if start < until <= entry.date and entry.date > period.end
                ]
                after = {balance.date for balance in asserted.get(account, ())}
                if (moving or undone or through) and period.end + datetime.timedelta(days=1) not in after:
                    part = _none_to_all_of([*moving, *((start, entry, m) for start, entry, m, _ in through)]) + sum(
                        (Interval.exact(n).none_to_all() for _, _, n in undone), Interval.exact(ZERO)
                    )
                    interval = ((interval or Interval.exact(posted)) + part).map_ends(cents)
                    spans = "; ".join(
                        [_spans_text(moving)] * bool(moving)
                        + [f"a pad of {entry.date} to the balance of {until}" for entry, until, _ in undone]
                        + [
                            f"{entry.narration}, {start}..{entry.date}, through the pad of {pad.date}"
                            for start, entry, _, pad in through
                        ]
                    )
                    said = (
                        f"{account} at {label}: what moves over a span that includes {period.end} posts at one "
                        f"end of it ({spans}); how much had moved by then is not known, so the balance lies "
                        f"between none and all of it moved"
                    )
                    note = f"{note}; {said}" if note else said
                cells[label] = BalanceCell(cents(posted), note, keep(account, interval))
        lines.append(BalanceLine(account, cells, account in _FLOWS_ONLY and account not in fixed))
    return tuple(lines)


def _none_to_all_of(moves: list[tuple]) -> Interval:
    """What moves over spans (start, entry, interval) that include a day may have moved by it. Moves over the same
    span move together (a year's accrual and the settlement that nets it): none or all of their sum, not of each."""
    together: dict[tuple, Interval] = {}
    for start, entry, move in moves:
        together[(start, entry.date)] = together.get((start, entry.date), Interval.exact(ZERO)) + move
    return sum((move.none_to_all() for move in together.values()), Interval.exact(ZERO))


def _spans_text(moves: list[tuple]) -> str:
    """Moves over spans (start, entry, interval), as a balance's note names them."""
    return "; ".join(f"{entry.narration}, {start}..{entry.date}" for start, entry, _ in moves)


def _own(ranged: dict, account: str, at: int) -> Interval:
    """How far one move of an account may lie from what it posts (its figures' stated precision), as an interval."""
    spread = ranged[account][at] if account in ranged else None
    return spread.interval() if spread is not None else Interval.exact(ZERO)


def _pads_until(entries, asserted: dict) -> dict[int, tuple[datetime.date, str]]:
    """id(padding) -> (the day of the balance assertion it fills, the account asserted), for those in `asserted`."""
    found = {}
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.flag == flags.FLAG_PADDING:
            balance = pads.filled_by(asserted, entry)
            if balance is not None:
                found[id(entry)] = (balance.date, balance.account)
    return found


def _spans(entry) -> datetime.date | None:
    """The first day of a posting entry's span where it runs over more than its own day (a figure or a derived
    entry with `period-start:` before its date), else None."""
    start = entry.meta.get("period-start") if entry.meta else None
    return start if isinstance(start, datetime.date) and start < entry.date else None


#: The balances the books build from the deal's flows alone, where no assertion fixes them: each company's cash,
#: and Microsoft's stake in OpenAI (its funding and the equity-method results recorded, from 2025-07-01 only).
_FLOWS_ONLY = (A.OAI_CASH, A.MS_CASH, A.MS_INVESTMENT)


def _since_asserted(
    account: str, asserted: list | None, dated: list[tuple], label: str, end: datetime.date
) -> str | None:
    """What a balance is where the books move a company's cash after its last balance assertion (by a day in
    `dated`, its moves so far): the balance asserted plus the deal's flows since, not the whole balance (OpenAI's
    cash asserted for 2026-03-31, then only Microsoft's 2026-Q2 funding recorded: no spending is); else None,
    as where an assertion checks the balance at `end` itself (Beancount's is at the start of the next day)."""
    if not asserted or account not in (A.OAI_CASH, A.MS_CASH):
        return None
    if any(balance.date == end + datetime.timedelta(days=1) for balance in asserted):
        return None
    checked = max((b.date for b in asserted if b.date <= dated[-1][0]), default=None)  # the last by then
    if checked is None or not any(day >= checked and entry.flag != flags.FLAG_PADDING for day, _, entry in dated):
        return None
    return (
        f"{account} at {label}: the balance asserted for {checked - datetime.timedelta(days=1)} plus the deal's "
        "flows the books record after it, not the company's whole cash then"
    )


def _balance_range(books: BookIndex | None):
    """(account, range) -> the range a balance shows, or None where it shows the posted amount alone.

    A range open at one end is a bound, and reads as one ("≥ 900,000,000": OpenAI's cash from a revenue stated
    as at least 1B, less the payment). One exception: a payment's implied revenue is a lower bound because a
    Microsoft base has no figure, and the books do not post Microsoft's share of that base; so the Due
    accounts, which the payment settles to 0 whatever the base is, would read "≤ 0". While the books hold
    such a lower bound, a Due account's open range is dropped (its balance shows as posted, which it is).
    """
    implied_lower = books is not None and any(d.lower_bound for d in books.of_rule(D.RULE_IMPLIED))

    def keep(account: str, interval: Interval | None) -> Interval | None:
        if interval is None or (not interval.bounded and implied_lower and account in DUE_ACCOUNTS):
            return None
        return interval

    return keep
