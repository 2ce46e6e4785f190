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
from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data, flags

from leakledger import derived as D
from leakledger import pads
from leakledger.amounts import cents
from leakledger.book_index import BookIndex
from leakledger.figures import Figure, figure_amount, figure_of, states_range
from leakledger.intervals import Interval, Spread
from leakledger.model import BALANCE_ROOTS, GENERATED_TAG, PAYMENT_METRIC, A, entity_of
from leakledger.periods import Period, parse_period, period_of

__all__ = ["balance_spreads", "moved_range", "moves_key", "posting_spread", "unitemized_spread"]

#: The metric of OpenAI's audited total costs, whose rest posts as unitemized costs (the shares plugin's).
COSTS_METRIC = "total-costs"


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
    if entry.__class__ is data.Transaction and "metric" in entry.meta and not states_range(entry):
        if not entry.tags or GENERATED_TAG not in entry.tags:
            return None  # a hand-written figure that states no range is exact: no Figure made to say so
    memo = {} if memo is None else memo
    fig = figure_of(entry)
    if fig is not None:
        return _figure(_whole(fig, books, memo), amount)
    d = D.Derived.of(entry)
    if d is None:
        return None
    if d.rule == D.RULE_REMAINDER:
        return _remainder(d, amount, books)
    if d.rule == D.RULE_IMPLIED:
        moves = _implied(d, books, memo)
        return None if moves is None or not d.revenue else moves.scaled(amount / d.revenue)
    share = d.share_interval
    if d.rule == D.RULE_SHARE and d.capped and share is not None and d.share is not None:
        # a cap holds it: min(share, what the cap leaves) moves within its own range, not with the revenue
        # under it (held at 0.00, a posting of 0 moves as the share does: factor 1)
        if share.is_exact or not share.bounded:
            return None
        return Spread.of(
            ("own", *_key(entry)), amount / d.share if d.share else Decimal(1), share - Interval.exact(d.share)
        )
    if d.rule != D.RULE_SHARE or share is None or not d.share or share.is_exact:
        return None
    implied = _implied_under(d, books, memo)
    if implied is not None and d.rate is not None and implied.revenue:  # OpenAI's 20% of an implied revenue
        moves = _implied(implied, books, memo)
        return None if moves is None else moves.scaled(d.rate * amount / d.share)
    return _share(d, amount, share, books) or _own(entry, amount, share, d.share)


def _whole(fig: Figure, books: BookIndex, memo: dict) -> Figure:
    """The figure as the whole books hold it: a company's view keeps its own legs only, so a figure whose
    metric's first leg is the other company's (Microsoft's side of a net payment) reads its amount there."""
    if fig.amount is not None:
        return fig
    by_key = memo.get("figures by key")
    if by_key is None:
        by_key = memo["figures by key"] = {_key(f.entry): f for f in books.live_figures}
    return by_key.get(_key(fig.entry), fig)


def _total_less_parts(d: D.Derived, posted: Decimal, interval: Interval, books: BookIndex) -> Spread | None:
    """A remainder as its total's moves less its parts' (so a column holding the total's whole span is
    the total's range again), if that gives its stated interval; None otherwise."""
    figures: list[Figure] = [f for f in books.live_figures if f.metric == d.metric and f.amount]
    totals = [f for f in figures if f.refined and f.period.label == d.total_period]
    if len(totals) != 1:
        return None
    total = totals[0]
    moves = _figure(total, total.amount or Decimal(0)) or Spread()
    for part in figures:
        if part is not total and part.posting and total.period.contains(part.period):
            moves = moves - (_figure(part, part.amount or Decimal(0)) or Spread())
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

    Checked against the revenue's own interval (`revenue-low:`..): where the spread does not give it (a
    payment "at most" an amount, its revenue cut at 0), the revenue moves within that interval on its own.
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
    # (N + Microsoft's share) / rate: N moves with the payment's stated range ("300M"), as its own posting does
    moves = _payments(books, parse_period(d.payment_period), d.entry.links, memo) if d.payment_period else Spread()
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
    paid = (d.payment or Decimal(0)) + (d.microsoft_share or Decimal(0))
    # a piece of a payment split by days is (N + share) x its days' part / the day-weighted rate: piece / (N + share)
    moves = moves.scaled(d.revenue / paid) if d.period_revenue and paid else moves.scaled(1 / d.rate)
    wanted = d.revenue_interval
    if wanted is None or wanted.is_exact:
        return None
    if not moves.terms or not _to_the_cents(moves.around(d.revenue).low, wanted.low):
        return _own(d.entry, d.revenue, wanted, d.revenue)  # not these inputs alone (cut at 0): its own range
    return moves


def _to_the_cents(got: Decimal | None, wanted: Decimal | None) -> bool:
    """Whether two ends agree but for the cents a split by days rounds away (each piece to the cent, the last
    taking the rest): within 0.10; two open ends agree."""
    if got is None or wanted is None:
        return got is wanted
    return abs(got - wanted) <= Decimal("0.10")


def _remainder(d: D.Derived, amount: Decimal, books: BookIndex) -> Spread | None:
    """A ranged total's remainder posting `amount`: its total's moves less its parts' where they give its
    interval (summed with them, the total's range again), else a move of its own (an open end open); None
    where exact."""
    interval = d.remainder_interval
    posted = figure_amount(d.entry, d.metric) if d.metric is not None else None
    if interval is None or not posted or interval.is_exact:
        return None
    if interval.bounded and (moves := _total_less_parts(d, posted, interval, books)) is not None:
        return moves.scaled(amount / posted)
    return _own(d.entry, amount, interval, posted)


def _share(d: D.Derived, amount: Decimal, share: Interval, books: BookIndex) -> Spread | None:
    """A share as its rate times the ranged figures (and refined totals' remainders) it comes from, if that
    gives its stated interval."""
    assert d.share is not None
    links = d.entry.links or frozenset()
    if d.solved:  # 0.2·R − N − recorded: moves with OpenAI's revenue at its rate, against Microsoft's recorded bases
        rule = books.rules.rule_at(A.OAI_REVENUE, d.date)
        rate = rule.rate if rule is not None else None
        span = period_of(d.entry)
        figures = [f for f in books.live_figures if f.metric == "revenue" and f.posting and span.contains(f.period)]
        rests = [
            x for x in books.of_rule(D.RULE_REMAINDER) if x.metric == "revenue" and span.contains(period_of(x.entry))
        ]
        against = _recorded_bases(books, span)  # − each recorded Microsoft base's share: it takes its part first
    else:  # rate × base
        rate = d.rate
        figures = [
            f
            for f in books.live_figures
            if isinstance(f.entry, data.Transaction)
            and (f.links & links)
            and any(p.account == d.base_account for p in f.entry.postings)
        ]
        rests = [
            x
            for x in books.linked(links, D.RULE_REMAINDER)
            if any(p.account == d.base_account for p in x.entry.postings)
        ]
        against = []
    if rate is None:
        return None
    paid = _payments(books, period_of(d.entry)) if d.solved else Spread()  # − N: the payments as stated
    parts = [_figure(f, rate * (f.amount or Decimal(0))) for f in figures]
    for x in rests:
        posted = figure_amount(x.entry, x.metric) if x.metric is not None else None
        parts.append(_remainder(x, rate * posted, books) if posted else None)
    parts.extend(_figure(f, -base_rate * (f.amount or Decimal(0))) for f, base_rate in against)
    if not any(parts) and not paid.terms:
        return None
    spread = Spread.total(part for part in parts if part is not None) - paid
    stated = spread.around(d.share)
    if stated.map_ends(cents) != share.map_ends(cents):
        low = stated.low
        clipped = d.solved and low is not None and low < 0 <= d.share
        if low is None or not (clipped and Interval(Decimal(0), stated.high).map_ends(cents) == share.map_ends(cents)):
            return None  # not from these figures alone
        # Cut at zero: the share is max(0, x), x the linear 0.2·R − N − recorded: x plus a clip that is 0 at the
        # posted share and at most what x may fall below zero. The Due it settles then keeps −clip, min(0, x).
        spread = spread + Spread.of(("clip", *_key(d.entry)), Decimal(1), Interval(Decimal(0), -low))
    return spread.scaled(amount / d.share)


def _payments(books: BookIndex, span: Period, links: frozenset | None = None, memo: dict | None = None) -> Spread:
    """The moves of the net payments that post within `span` (those sharing `links`, if given): each one's stated
    range, keyed as its own posting's (`posting_spread`), so a payment and what it implies move together.

    With `links` and a `memo`, the payments are found by link (one implied revenue per payment: no scan each)."""
    figures: Iterable[Figure] = books.by_metric.get(PAYMENT_METRIC, ())
    rests = books.of_rule(D.RULE_REMAINDER)
    if links is not None and memo is not None:
        by_link = memo.get("payments by link")
        if by_link is None:
            by_link = memo["payments by link"] = {}
            for f in figures:
                for link in f.links:
                    by_link.setdefault(link, []).append(f)
        figures = {id(f): f for link in links for f in by_link.get(link, ())}.values()
        rests = books.linked(links, D.RULE_REMAINDER)
    spread = Spread()
    for f in figures:
        if f.posting and f.live and span.contains(f.period) and (links is None or f.links & links):
            spread = spread + (_figure(f, f.amount or Decimal(0)) or Spread())
    for x in rests:
        if (
            x.metric == PAYMENT_METRIC
            and span.contains(period_of(x.entry))
            and (links is None or x.entry.links & links)
        ):
            posted = figure_amount(x.entry, PAYMENT_METRIC)
            spread = spread + ((_remainder(x, posted, books) if posted else None) or Spread())
    return spread


def _recorded_bases(books: BookIndex, span: Period) -> list[tuple[Figure, Decimal]]:
    """The Microsoft base figures recorded inside `span`, each with its base's rate: what a share solved over
    the span leaves to them."""
    bases = set(books.rules.bases_of("Microsoft"))
    found = []
    for f in books.live_figures:
        if f.posting and span.contains(f.period) and isinstance(f.entry, data.Transaction):
            base = next((p.account for p in f.entry.postings if p.account in bases), None)
            rule = books.rules.rule_at(base, f.period.end) if base is not None else None
            if rule is not None and rule.rate:
                found.append((f, rule.rate))
    return found


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


def moves_key(entry, account: str) -> tuple[int, str | None]:
    """`balance_spreads`' key of an entry's income and expenses' moves: the entry and the company of the account.

    A posting on the balance sheet moves against its own company's income and expenses in the entry: the combined
    books' share accrual posts OpenAI's expense and its Due to Microsoft beside Microsoft's Due from OpenAI and its
    income, each pair moving alone (summed together, the expense and the income cancel)."""
    return id(entry), entity_of(account)


def balance_spreads(
    moves: dict[str, list[tuple]],
    asserted: dict[str, list[data.Balance]],
    by_entry: dict[tuple[int, str | None], Spread],
    books: BookIndex,
) -> dict[str, list[Spread | None]]:
    """How far each balance-sheet posting may move, per account in the order of `moves` (account -> [(date,
    number, entry)] by date); None where it is exact.

    A posting beside income and expenses moves against its own company's (`by_entry`: `moves_key` -> their moves,
    as posted); a net settlement with the shares it settles; a pad against the moves of what its balance assertion
    (`asserted`: account -> its assertions, as `pads.assertions` makes them) fixes: the asserted balance moves only
    within its tolerance ("about 25B": ± 0.5B), and the pad's other account takes the rest; any other posting
    with its figure (`posting_spread`).
    """
    memo: dict = {}
    found: dict[str, list[Spread | None]] = {}
    padding: list[tuple[str, int, data.Transaction]] = []
    for account, dated in moves.items():
        found[account] = []
        for _, number, entry in dated:
            if entry.flag == flags.FLAG_PADDING:
                padding.append((account, len(found[account]), entry))
                found[account].append(None)  # set below, once the moves it pads against are known
            elif (key := moves_key(entry, account)) in by_entry:
                found[account].append(by_entry[key].scaled(Decimal(-1) / _balance_legs(entry, key[1])))
            elif (settled := _settled(entry, number, books, memo)) is not None:
                found[account].append(settled)
            else:
                found[account].append(posting_spread(entry, number, books, memo))
    pad_moves: dict[int, Spread] = {}
    for account, at, entry in sorted(padding, key=lambda pad: pad[2].date):
        if account == pads.padded_account(entry) and account in asserted:  # the pad makes up the asserted balance
            balance = pads.filled_by(asserted, entry)
            others = [
                spread
                for (day, _, other), spread in zip(moves[account], found[account])
                if spread is not None and other is not entry and (balance is None or day < balance.date)
            ]
            pad_moves[id(entry)] = Spread() - Spread.total(others)
            if balance is not None and balance.tolerance:  # the balance asserted is "about": it moves within that
                tolerance = balance.tolerance
                stated = Spread.of(("asserted", account, balance.date), Decimal(1), Interval(-tolerance, tolerance))
                pad_moves[id(entry)] = pad_moves[id(entry)] + stated
            found[account][at] = pad_moves[id(entry)]
    for account, at, entry in padding:
        if account != pads.padded_account(entry) and id(entry) in pad_moves:  # the pad's source account
            found[account][at] = Spread() - pad_moves[id(entry)]
    return {account: [s if s is not None and s.terms else None for s in spreads] for account, spreads in found.items()}


def _balance_legs(entry, entity: str | None) -> int:
    """How many of `entity`'s balance-sheet postings share its income and expenses in an entry (one in the books'
    own entries)."""
    return (
        sum(1 for p in entry.postings if p.account.split(":", 1)[0] in BALANCE_ROOTS and entity_of(p.account) == entity)
        or 1
    )


def _settled(entry, number: Decimal, books: BookIndex, memo: dict) -> Spread | None:
    """A net settlement's posting of `number`: it moves with the shares it settles (the smaller side, by link)."""
    d = D.Derived.of(entry)
    if d is None or d.rule != D.RULE_SETTLEMENT:
        return None
    start, links = d.period_start or entry.date, entry.links or frozenset()
    by_day = memo.get("shares by day")
    if by_day is None:  # every share accrual by date, once: a settlement takes those of its period by bisect
        dated = sorted((x for x in books.of_rule(D.RULE_SHARE) if x.share), key=lambda x: x.date)
        by_day = memo["shares by day"] = ([x.date for x in dated], dated)
    days, dated = by_day
    shares = dated[bisect.bisect_left(days, start) : bisect.bisect_right(days, entry.date)]
    for side in (True, False):  # Microsoft's shares (paid to OpenAI), then OpenAI's
        mine = [x for x in shares if (x.base_account != A.OAI_REVENUE) == side]
        linked = [x for x in mine if (x.entry.links or frozenset()) & links]
        # the shares it settles: those it links to, else the one of its amount, else all in its period
        for picked in (linked, *([x] for x in mine), mine):
            total = sum((x.share for x in picked if x.share is not None), Decimal(0))
            if picked and total == abs(number):
                moves = [posting_spread(x.entry, x.share, books, memo) for x in picked if x.share is not None]
                return Spread.total(m for m in moves if m is not None).scaled(number / total)
    return None


def moved_range(amount: Decimal | None, moves: Spread | None) -> Interval | None:
    """`amount` plus its moves, to the cent; None where it does not move (or there is no amount)."""
    if amount is None or moves is None:
        return None
    interval = moves.around(amount).map_ends(cents)
    return None if interval.is_exact else interval
