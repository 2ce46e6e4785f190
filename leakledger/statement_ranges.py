"""How far each statement line may move: the ranged inputs behind a posting, as a `Spread`.

A posting of a ranged figure moves with that figure; a share accrued or
solved from a ranged revenue or base moves with it at the rule's rate;
OpenAI's unitemized costs move with the audited total less what they leave
out. Keyed by input, the moves of one input cancel where a statement adds
and subtracts it (Microsoft's 20% of OpenAI's revenue less its solved share
paid back), so every line's range is tight, not a sum of ranges.
"""

from __future__ import annotations

import bisect
from decimal import Decimal

from beancount.core import data, flags

from leakledger import derived as D
from leakledger.amounts import cents
from leakledger.book_index import BookIndex
from leakledger.figures import GENERATED_TAG, Figure, figure_amount, figure_of, states_range
from leakledger.intervals import Interval, Spread
from leakledger.model import A
from leakledger.periods import Period

__all__ = ["balance_spreads", "posting_spread", "unitemized_spread"]

#: The metric of OpenAI's audited total costs, whose rest posts as unitemized costs (the shares plugin's).
COSTS_METRIC = "total-costs"
_NONE = Decimal(0)


def _key(entry) -> tuple:
    meta = entry.meta or {}
    return (meta.get("filename"), meta.get("lineno"), entry.date)


def _own(entry, amount: Decimal, interval: Interval, posted: Decimal) -> Spread:
    """A move of its own (no input it shares with another line): the interval, scaled to this posting."""
    factor = amount / posted
    return Spread.of(("own", *_key(entry)), factor, interval - Interval.exact(posted))


def _figure(fig: Figure, amount: Decimal) -> Spread | None:
    interval = fig.interval
    if interval is None or not fig.amount or interval.is_exact:
        return None
    return Spread.of(_key(fig.entry), amount / fig.amount, interval - Interval.exact(fig.amount))


def posting_spread(entry, amount: Decimal, books: BookIndex, memo: dict | None = None) -> Spread | None:
    """How far a statement posting of `amount` (income and expenses positive) may move; None where it is exact.

    An open end is a move too: an implied revenue that is a lower bound moves
    with the unrecorded Microsoft base of its payment's period, from 0 up,
    and OpenAI's 20% of it with it, so a net that gains more from that base
    than it pays on it stays "≥" (and its least value is its least).
    `memo`: one dict for every posting of a statement, so each implied
    revenue's moves are read once.
    """
    memo = {} if memo is None else memo
    fig = figure_of(entry)
    if fig is not None:
        return _figure(fig, amount)
    d = D.Derived.of(entry)
    if d is None:
        return None
    if d.rule == D.RULE_REMAINDER and d.metric is not None:
        interval, posted = d.remainder_interval, figure_amount(entry, d.metric)
        ok = interval is not None and posted and not interval.is_exact and interval.bounded
        if not ok:
            return None
        assert interval is not None and posted is not None  # ok says so
        moves = _remainder(d, posted, interval, books)
        return moves.scaled(amount / posted) if moves is not None else _own(entry, amount, interval, posted)
    if d.rule == D.RULE_IMPLIED:
        moves = _implied(d, books, memo)
        return None if moves is None or not d.revenue else moves.scaled(amount / d.revenue)
    share = d.share_interval
    if d.rule != D.RULE_SHARE or share is None or not d.share or share.is_exact:
        return None
    implied = _implied_under(d, books, memo)
    if implied is not None and d.rate is not None and implied.revenue:  # OpenAI's 20% of an implied revenue
        moves = _implied(implied, books, memo)
        return None if moves is None else moves.scaled(d.rate * amount / d.share)
    if not share.bounded:
        return None
    return _share(d, amount, share, books) or _own(entry, amount, share, d.share)


def _remainder(d: D.Derived, posted: Decimal, interval: Interval, books: BookIndex) -> Spread | None:
    """A remainder as its total's moves less its parts' (so a column holding the total's whole span is
    the total's range again), if that gives its stated interval; None otherwise."""
    figures: list[Figure] = [f for f in books.live_figures if f.metric == d.metric and f.amount]
    totals = [f for f in figures if f.refined and f.period.label == d.total_period]
    if len(totals) != 1:
        return None
    total = totals[0]
    moves = _figure(total, total.amount or _NONE) or Spread()
    for part in figures:
        if part is not total and part.posting and total.period.contains(part.period):
            moves = moves - (_figure(part, part.amount or _NONE) or Spread())
    if moves.around(posted).map_ends(cents) != interval.map_ends(cents):
        return None
    return moves


def _implied_under(d: D.Derived, books: BookIndex, memo: dict) -> D.Derived | None:
    """The implied revenue an accrual of OpenAI's revenue is the share of (same day, same links)."""
    if d.base_account != A.OAI_REVENUE or d.solved:
        return None
    by_day = memo.get("implied by day")
    if by_day is None:
        by_day = memo["implied by day"] = {}
        for i in books.of_rule(D.RULE_IMPLIED):
            by_day.setdefault(i.date, []).append(i)
    links = d.entry.links or frozenset()
    return next((i for i in by_day.get(d.date, ()) if i.entry.links & links), None)


def _implied(d: D.Derived, books: BookIndex, memo: dict) -> Spread | None:
    """`_moves_of_implied`, once per implied revenue."""
    key = ("implied", id(d.entry))
    if key not in memo:
        memo[key] = _moves_of_implied(d, books, memo)
    return memo[key]


def _moves_of_implied(d: D.Derived, books: BookIndex, memo: dict) -> Spread | None:
    """An implied revenue's moves: (N + Microsoft's share) / rate, Microsoft's share moving with its ranged
    recorded bases and, where a base in force has no figure, with that base from 0 up; None where it is exact.

    Checked against the revenue's own interval (`revenue-low:`..): a spread that does not give it is dropped.
    """
    if not d.rate or d.revenue is None:
        return None
    start, end = d.period_start or d.date, d.date
    ranged = memo.get("ranged microsoft shares")
    if ranged is None:  # Microsoft's accruals of ranged bases, read once
        ranged = memo["ranged microsoft shares"] = [
            x
            for x in books.of_rule(D.RULE_SHARE)
            if not x.solved and x.share is not None and x.base_account != A.OAI_REVENUE and x.share_low is not None
        ]
    moves = Spread()
    for x in ranged:
        if not start <= x.date <= end:
            continue
        interval = x.share_interval
        if interval is None or interval.is_exact or not interval.bounded:
            continue
        part = _share(x, x.share, interval, books) or _own(x.entry, x.share, interval, x.share)
        moves = moves + part
    if d.lower_bound:
        moves = moves + Spread.of(("unrecorded", d.payment_period, start), Decimal(1), Interval(Decimal(0), None))
    whole = d.period_revenue or d.revenue
    moves = moves.scaled(d.revenue / whole / d.rate) if d.period_revenue else moves.scaled(1 / d.rate)
    if not moves.terms:
        return None
    stated = moves.around(d.revenue).map_ends(cents)
    wanted = d.revenue_interval
    if wanted is None or stated.low != wanted.map_ends(cents).low:
        return None
    return moves


def _share(d: D.Derived, amount: Decimal, share: Interval, books: BookIndex) -> Spread | None:
    """A share as its rate times the ranged figures it comes from, if that gives its stated interval."""
    assert d.share is not None
    if d.solved:  # 0.2·R − N: moves with OpenAI's revenue at OpenAI's rate
        rule = books.rules.rule_at(A.OAI_REVENUE, d.date)
        rate = rule.rate if rule is not None else None
        picks = [f for f in books.live_figures if f.metric == "revenue" and f.posting]
    else:  # rate × base
        rate = d.rate
        picks = [
            f
            for f in books.live_figures
            if isinstance(f.entry, data.Transaction) and any(p.account == d.base_account for p in f.entry.postings)
        ]
    links = d.entry.links or frozenset()
    sources = [f for f in picks if (f.links & links) and f.interval is not None and not f.interval.is_exact]
    if rate is None or not sources:
        return None
    spread = Spread()
    for fig in sources:
        part = _figure(fig, rate * (fig.amount or Decimal(0)))
        spread = spread + part if part is not None else spread
    stated = spread.around(d.share)
    if stated.map_ends(cents) != share.map_ends(cents):  # cut at zero, or not from these figures alone
        return None
    return spread.scaled(amount / d.share)


def unitemized_spread(period: Period, amount: Decimal, others: list[Spread], books: BookIndex) -> Spread | None:
    """OpenAI's unitemized costs over `period`: the audited total's move less the moves of the lines it leaves out.

    `others`: the spreads of OpenAI's other expenses dated in the period.
    """
    for fig in books.live_figures:
        if fig.metric == COSTS_METRIC and fig.period == period and fig.interval is not None and fig.amount:
            spread = Spread.of(_key(fig.entry), Decimal(1), fig.interval - Interval.exact(fig.amount))
            for other in others:
                spread = spread - other
            return spread
    return None


def _settlement(entry, number: Decimal, books: BookIndex, memo: dict) -> Spread | None:
    """A net settlement's posting moves with Microsoft's share it settles: the share solved beside it (same
    day and links), else Microsoft's accruals over its period, summed."""
    if (entry.meta or {}).get(D.RULE) != D.RULE_SETTLEMENT:
        return None
    d = D.Derived.of(entry)
    if d is None or not d.microsoft_share:
        return None
    start, links = d.period_start or d.date, entry.links or frozenset()
    microsoft = memo.get("microsoft shares")
    if microsoft is None:  # Microsoft's shares, by day: read once for every settlement
        microsoft = memo["microsoft shares"] = sorted(
            (x for x in books.of_rule(D.RULE_SHARE) if x.base_account != A.OAI_REVENUE and x.share),
            key=lambda x: x.date,
        )
        memo["microsoft share days"] = [x.date for x in microsoft]
    days = memo["microsoft share days"]
    window = microsoft[bisect.bisect_left(days, start) : bisect.bisect_right(days, d.date)]
    shares = [x for x in window if x.solved and x.date == d.date and (x.entry.links or frozenset()) & links]
    if len(shares) != 1 or shares[0].share != d.microsoft_share:
        shares = [x for x in window if not x.solved]
    if sum((x.share or _NONE for x in shares), _NONE) != d.microsoft_share:
        return None  # not the accruals it settles: leave it as posted
    spread = Spread()
    read = memo.get("read") or {}  # the income statement's reading of each share, where it has one
    for x in shares:
        amount, part = read.get(id(x.entry)) or (None, None)
        if amount is None:
            part = posting_spread(x.entry, x.share or _NONE, books, memo)
        elif part is not None:
            part = part.scaled((x.share or _NONE) / amount) if amount else None
        spread = spread + part if part is not None else spread
    return spread.scaled(number / d.microsoft_share) if spread.terms else None


def _entry_spread(entry, number: Decimal, books: BookIndex, memo: dict) -> Spread | None:
    """A balance posting's moves, read once per entry: its other legs move in proportion (all of it is linear)."""
    meta = entry.meta or {}
    if GENERATED_TAG not in (entry.tags or ()):
        if not states_range(entry):
            return None  # a hand-written entry that states no range is exact (most of a large book's)
    elif meta.get(D.RULE) == D.RULE_REMAINDER and D.REMAINDER_LOW not in meta and D.REMAINDER_HIGH not in meta:
        return None  # the remainder of an exact total and exact parts
    key = ("balance leg", id(entry))
    found = memo.get(key)
    if found is None:
        found = memo[key] = (
            number,
            _settlement(entry, number, books, memo) or posting_spread(entry, number, books, memo),
        )
    first, spread = found
    if spread is None or number == first:
        return spread
    return spread.scaled(number / first)


def balance_spreads(moves: dict[str, list[tuple]], assertions: dict[str, list], books: BookIndex, read: dict):
    """How far each balance-sheet posting may move: {account: [Spread or None, by move]}.

    `moves`: account -> (date, number, entry) in date order; `assertions`: account -> its `balance`
    entries; `read`: id(entry) -> (amount, Spread or None) of an entry's income or expense line as the
    income statement read it (OpenAI's unitemized costs included): its balance legs move in proportion.
    A pad moves with the balance it pads to (its tolerance: "about 25B" is 24.5B..25.5B) less the
    moves of what it pads over, so the padded account's balance is the assertion's range on its day,
    and the account it pads from moves the other way.
    """
    memo: dict = {"read": read}
    found: dict[str, list[Spread | None]] = {}
    pads = []
    for account, dated in moves.items():
        spreads: list[Spread | None] = []
        for index, (day, number, entry) in enumerate(dated):
            if entry.flag == flags.FLAG_PADDING:
                pads.append((day, account, index, entry))
                spreads.append(None)
            elif id(entry) in read:
                amount, spread = read[id(entry)]
                spreads.append(spread.scaled(number / amount) if spread is not None and amount else None)
            else:
                spreads.append(_entry_spread(entry, number, books, memo))
        found[account] = spreads
    padded: dict[int, Spread] = {}  # id(pad) -> the padded account's move
    for day, account, index, entry in sorted(pads, key=lambda pad: pad[0]):
        later = [b for b in assertions.get(account, ()) if b.date > day]
        if not later:
            continue  # the account it pads from
        balance = min(later, key=lambda b: b.date)
        tolerance = balance.tolerance or Decimal(0)
        spread = Spread.of(("balance", account, balance.date), Decimal(1), Interval(-tolerance, tolerance))
        for (other_day, _, other), other_spread in zip(moves[account], found[account]):
            if other is not entry and other_day < balance.date and other_spread is not None:
                spread = spread - other_spread
        found[account][index] = padded[id(entry)] = spread
    for _, account, index, entry in pads:
        if found[account][index] is None and id(entry) in padded:
            found[account][index] = padded[id(entry)].scaled(Decimal(-1))
    return found
