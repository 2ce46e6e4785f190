"""Shares plugin: the 20% shares both ways, net settlement, implied revenue.

Reads the `custom "revenue-share"` rules and derives, as `#generated`
transactions in both entities' books:

1. *Implied revenue.* A net payment over a period with no recorded OpenAI
   revenue overlapping it implies OpenAI revenue of
   (payment + Microsoft's share accrued in the period) / OpenAI's rate,
   a lower bound (`bound: "lower"`) while a Microsoft share in force has a
   base (Bing, Azure OpenAI Service) with no recorded figure in the period.
   Where OpenAI's rate changes inside the period, the revenue is spread over
   the period by days, one transaction per rate, so each rate applies to its
   own postings. A payment stated as a range ("300M" is 299.5M..300.5M) gives
   the revenue its range: a lower bound starts at the payment's low end.
2. *Accruals.* Every posting to a share base account accrues the rate in
   force on its date: the payer's expense and Due liability, the payee's Due
   asset and income. Postings are summed per base account, month, tags and
   span between payment periods and rule changes, so imported line items
   cost one accrual a month, not one each, and every accrual falls wholly
   inside or outside each payment period.
3. *Net settlement.* The leaked payment is net, so at each payment Microsoft's
   share for the period is set off against OpenAI's: both Due positions
   close, and whatever stays in Due is the gap between model and leak.
4. *Solving for the unknown side.* Where OpenAI's revenue is recorded and
   the net payments cover the same span, Microsoft's share is solved
   (OpenAI's share less the payments) and posted with its settlement; where
   every Microsoft base is recorded too, the span is checked instead; where
   the payments fall short, a `#generated` note says the share is not known.
   The solved share's range is what the revenue's and the payments' stated
   ranges allow. OpenAI's recorded total costs post once, as what the books
   do not itemize of them.
5. *Splitting at a term's date.* A payment whose period holds a cap's date
   or `counts-from:`, or a rule change while a cap counts, implies its
   revenue by days on each side of that date (`rules.split_days`).
6. *Caps.* Where a `custom "revenue-share-cap"` caps a base's share, its
   accruals since `counts-from:` are held to the cap in date order: the one
   that crosses it is cut to what remains, later ones are held at 0 (kept,
   so their periods read as a known 0: `uncapped-share:`, `cap-reached:`),
   and the accrual that reaches the cap says so (`cap-note:`, `cap-forgone:`).
   An implied revenue whose period reaches the cap is a lower bound.

Each generated entry carries `#generated`, the tags of its sources (so a
scenario's `#assumed` carries over), a deterministic link and metadata
naming its rule and inputs. The link is the source's own, or a
content-derived one that a linkless source gets through a copy (input
entries are never mutated); see `_Links` for buckets of many sources.
"""

from __future__ import annotations

import bisect
import collections
import datetime
import hashlib
import itertools
import operator
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from leakledger import derived as D
from leakledger.figures import RANGE_KEYS, figure_amount, figure_of, period_start_error, states_range, usd_amount
from leakledger.intervals import UNKNOWN_BASE, Interval
from leakledger.model import (
    CURRENCY,
    GENERATED_TAG,
    METRICS,
    PAYMENT_METRIC,
    SHARE_LEGS,
    A,
    base_of_share,
    capped_intervals,
    capped_shares,
    entity_of,
    floors_fit,
    implied_revenue_split,
    postings_for,
    share_of,
    solved_share,
)
from leakledger.periods import Coverage, Period, Window, month_end, period_of
from leakledger.rules import read_rules, split_days
from leakledger.unitemized import itemized_interval

__plugins__ = ("shares",)

SharesError = collections.namedtuple("SharesError", "source message entry")

ZERO = Decimal(0)
_ONE_DAY = datetime.timedelta(days=1)
_PAYMENT_ACCOUNT = METRICS[PAYMENT_METRIC].legs[0][0]  # OpenAI's Due to Microsoft
_TOO_LARGE = "amounts too large to compute a share to the cent (Decimal precision); check the figure's scale"


def content_link(*parts) -> str:
    """A deterministic link from content: the same inputs always give the same link."""
    digest = hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"ll-{digest[:12]}"


def _entry_link(entry: data.Transaction) -> str:
    return content_link(entry.date, entry.narration, *sorted((p.account, str(p.units)) for p in entry.postings))


def _txn(source_meta, date, narration, tags, links, legs, meta) -> data.Transaction:
    """A generated transaction; its meta points at the source's line."""
    new_meta = data.new_metadata(source_meta.get("filename", "<leakledger>"), source_meta.get("lineno", 0))
    new_meta.update(meta)
    postings = [data.Posting(account, usd_amount(units), None, None, None, None) for account, units in legs]
    return data.Transaction(
        new_meta, date, "*", None, narration, frozenset(tags) | {GENERATED_TAG}, frozenset(links), postings
    )


class _Bucket:
    """Postings to one base account with one rule, month, tag set and span."""

    __slots__ = ("base", "rule", "tags", "start", "end", "first", "last", "total", "sources", "ranged")

    def __init__(self, base, rule, tags, start, end):
        self.base, self.rule, self.tags, self.start, self.end = base, rule, tags, start, end
        self.first, self.last, self.total, self.sources = end, start, ZERO, []
        self.ranged = []  # the sources that may state a range (`figures.RANGE_KEYS`): the only ones read again

    @property
    def share(self) -> Decimal:
        return share_of(self.total, self.rule.rate) if self.rule is not None and self.rule.rate else ZERO

    @property
    def period(self) -> Period:
        return Period(min(self.first, self.start), self.end)


def _base_postings(
    entries: list[data.Directive], bases
) -> tuple[dict, dict[int, datetime.date], list[int], list[int], set[int]]:
    """One pass: the base postings, as flat lists per (tags, base account), the payments, the cost totals,
    and the base sources that may state a range.

    The cost totals are the entries that name OpenAI's total costs (`_unitemized_costs` reads them).
    The ranged sources are found here, once per entry, so the readers of a bucket's range
    (`_bucket_interval`, `_stated_move`) read only those, not every line item again.

    Flat lists, not an object per posting or per day: this pass keeps almost
    nothing alive that the garbage collector must track, so it adds no
    collector passes over a large ledger's heap (one costs more than the
    whole plugin).
    """
    found: dict = {}  # tags -> account -> (source indices, dates, numbers)
    starts: dict[int, datetime.date] = {}  # source index -> its period-start, where it has one
    payments: list[int] = []
    costs: list[int] = []
    ranged: set[int] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, data.Transaction):
            if entry.__class__ is data.Custom and _names(entry, COSTS_METRIC):
                costs.append(index)
            continue
        tags = entry.tags
        meta = entry.meta
        metric = meta.get("metric")
        if metric == COSTS_METRIC:
            costs.append(index)
        if tags and GENERATED_TAG in tags and meta.get(D.RULE) != D.RULE_REMAINDER:
            continue  # a total's remainder posts like the figures it completes
        postings = entry.postings
        if metric == PAYMENT_METRIC and postings and period_start_error(entry) is None:
            payments.append(index)
        by_account = None  # read at the entry's first base posting: what holds for the entry is read once
        for posting in postings:
            account = posting.account
            if account not in bases:
                continue
            units = posting.units
            if units is None or not isinstance(number := units.number, Decimal):
                continue
            if by_account is None:
                by_account = found.get(tags)
                if by_account is None:
                    by_account = found[tags] = {}
                start = meta.get("period-start")
                if isinstance(start, datetime.date) and start < entry.date:
                    starts[index] = start
                if not RANGE_KEYS.isdisjoint(meta):  # `states_range`, without a call per entry
                    ranged.add(index)
            lists: tuple[list[int], list[datetime.date], list[Decimal]] | None = by_account.get(account)
            if lists is None:
                lists = by_account[account] = ([], [], [])
            lists[0].append(index)
            lists[1].append(entry.date)
            lists[2].append(number)
    return found, starts, payments, costs, ranged


def _buckets(found, starts, ranged, book, boundaries) -> list[_Bucket]:
    """Base postings gathered into buckets that never straddle a boundary or a month.

    The postings of one base account and tag set come in date order: Beancount's
    loader sorts the entries before the plugins and after each plugin module,
    and the chain's functions before this one keep them sorted (`known_on`
    keeps a subset in order; the figures plugin replaces entries in place,
    keeping their dates, and merges what it generates by `derived.insert_sorted`).
    So each bucket takes the run of them up to its last day, found by bisect
    and summed in one call, not posting by posting.
    """
    buckets: dict[tuple, _Bucket] = {}
    for tags, by_account in found.items():
        for account, (indices, dates, numbers) in by_account.items():
            assert all(map(operator.le, dates, itertools.islice(dates, 1, None))), "entries sorted by date"
            i, n = 0, len(dates)
            while i < n:
                # a bucket is one month within one span: every day from its start to its end is its own
                bucket = _bucket_of(buckets, account, tags, dates[i], book, boundaries)
                j = bisect.bisect_right(dates, bucket.end, lo=i)
                bucket.total -= sum(numbers[i:j], ZERO)  # income posts negative: the base is its opposite
                sources = list(dict.fromkeys(indices[i:j]))  # the indices ascend: an entry's postings are one source
                bucket.sources += sources
                if ranged:
                    bucket.ranged += [index for index in sources if index in ranged]
                bucket.last = max(bucket.last, dates[j - 1])
                first = dates[i]
                if starts:
                    first = min(first, *(starts.get(index, first) for index in sources))
                bucket.first = min(bucket.first, first)
                i = j
    return sorted(buckets.values(), key=lambda b: (b.last, b.base))


def _bucket_of(buckets, account, tags, day, book, boundaries) -> _Bucket:
    seg = bisect.bisect_right(boundaries, day)
    key = (account, seg, day.year, day.month, tags)
    bucket = buckets.get(key)
    if bucket is None:
        start = datetime.date(day.year, day.month, 1)
        end = month_end(day.year, day.month)
        if seg > 0:
            start = max(start, boundaries[seg - 1])
        if seg < len(boundaries):
            end = min(end, boundaries[seg] - _ONE_DAY)
        bucket = buckets[key] = _Bucket(account, book.rule_at(account, day), tags, start, end)
    return bucket


class _Links:
    """Links shared by generated entries and their sources.

    A generated entry takes its source's link; a source without one gets a
    content-derived link through a copy. A bucket of many sources (a month of
    imported line items) takes the links its sources have in common; when
    they have none, its content link is not copied onto each of thousands of
    sources (that copy alone cost about 1% of the load time of 100k line
    items): the accrual names its base account, span and source count instead.
    """

    def __init__(self, entries: list) -> None:
        self.entries = entries
        self.added: dict[int, frozenset] = {}  # source index -> the link its copy gains

    def of(self, index: int) -> frozenset:
        """The source's own links, or a content link its copy will carry."""
        entry = self.entries[index]
        if entry.links:
            return entry.links
        if index not in self.added:
            self.added[index] = frozenset({_entry_link(entry)})
        return self.added[index]

    def shared(self, indices, *content) -> frozenset:
        """The links all of a bucket's sources carry, or a content link of the bucket."""
        if len(indices) == 1:
            return self.of(indices[0])
        entries = self.entries
        common = set(entries[indices[0]].links or ())
        for index in indices[1:]:
            if not common:
                break
            common &= entries[index].links
        return frozenset(common) if common else frozenset({content_link(*content, len(indices))})

    def apply(self) -> list:
        """The input list with each source that gained a link replaced by a copy."""
        out = list(self.entries)
        for index, extra in self.added.items():
            out[index] = out[index]._replace(links=out[index].links | extra)
        return out


def _number_of_meta(meta, key: str, default: Decimal) -> Decimal:
    value = meta.get(key)
    return value.number if isinstance(value, Amount) and value.number is not None else default


def _bucket_interval(entries, b) -> Interval:
    """The interval a bucket's base stands for: its total, widened by its source figures' stated ranges."""
    return (Interval.exact(b.total) + _stated_move(entries, b.ranged)).at_least_zero()


def _stated_move(entries, indices) -> Interval:
    """How far the base sources at `indices` (a bucket's `ranged`) may lie, together, from what they post."""
    moved = Interval.exact(ZERO)
    for index in indices:
        move = _source_move(entries[index])
        if move is not None:
            moved = moved + move
    return moved


def _paid(entries, indices, net: Decimal) -> Interval:
    """The interval net payments posting `net` stand for: each one's stated range ("300M" is 299.5M..300.5M)."""
    return Interval.exact(net) + _stated_move(entries, indices)


def _payment_meta(paid: Interval) -> dict:
    """`payment-low:`/`payment-high:` of a ranged payment interval ({} where exact); an open end is left out."""
    if paid.is_exact:
        return {}
    ends = ((D.PAYMENT_LOW, paid.low), (D.PAYMENT_HIGH, paid.high))
    return {key: usd_amount(end) for key, end in ends if end is not None}


def _source_move(entry) -> Interval | None:
    """How far a base's source may lie from what it posts: a ranged figure's stated range, or a ranged total's
    remainder (as ranged as the total less its parts, `leakledger.remainders`), less the amount; None if exact."""
    if not states_range(entry):
        return None  # exact: most line items state no range, and a Figure for each cost more than the plugin
    fig = figure_of(entry)
    if fig is not None:
        if fig.amount is None or fig.interval is None or fig.interval.is_exact:
            return None
        return fig.interval - Interval.exact(fig.amount)
    rest = D.Derived.of(entry)  # a remainder: its range is `remainder_interval`, None where it states none
    posted = figure_amount(entry, rest.metric) if rest is not None and rest.metric else None
    if rest is None or rest.remainder_interval is None or posted is None:
        return None
    return rest.remainder_interval - Interval.exact(posted)


def _accrual(
    base, rule, total, period, date, tags, links, source_meta, sources, base_range: Interval | None = None
) -> data.Transaction | None:
    share = share_of(total, rule.rate)
    if share == ZERO:
        return None
    payer = entity_of(base)
    assert payer is not None, "a rule's base belongs to an entity: read_rules refuses any other"
    legs_of = SHARE_LEGS[payer]
    legs = [
        (legs_of.payer_expense, share),
        (legs_of.payer_due, -share),
        (legs_of.payee_due, share),
        (legs_of.payee_income, -share),
    ]
    meta = {
        D.RULE: D.RULE_SHARE,
        D.BASE_ACCOUNT: base,
        D.RATE: rule.rate,
        D.RULE_DATE: rule.date,
        D.PERIOD_START: period.start,
        D.BASE: usd_amount(total),
        D.SHARE: usd_amount(share),
        D.SOURCES: Decimal(sources),
    }
    if base_range is not None and not base_range.is_exact:  # the share of a ranged base is a range too
        shares = base_range.map_ends(lambda v: share_of(v, rule.rate))
        if shares.low is not None:
            meta[D.SHARE_LOW] = usd_amount(shares.low)
        if shares.high is not None:
            meta[D.SHARE_HIGH] = usd_amount(shares.high)
    narration = f"{legs_of.payer}'s share to {legs_of.payee}: {rule.rate:%} of {base} ({period.label})"
    return _txn(source_meta, date, narration, tags, links, legs, meta)


def _microsoft_unrecorded(book, period: Period, parts) -> bool:
    """Whether a Microsoft share in force in the period has a base with nothing recorded in it.

    Azure OpenAI Service recorded but Bing not still leaves Bing's share
    uncounted, so the implied revenue is still a lower bound.
    """
    recorded = {b.base for b in parts}
    return any(
        rule is not None and rule.rate > 0 and base not in recorded
        for base in book.bases_of("Microsoft")
        for _, _, rule in book.spans(base, period.start, period.end)
    )


def shares(entries, options_map, config=None):
    """Derive implied revenue, both shares' accruals and the net settlements."""
    book, errors = read_rules(entries)
    bases = frozenset(book.bases)
    if not bases:
        return entries, errors

    found, starts, payments, costs, ranged = _base_postings(entries, bases)
    periods = {index: period_of(entries[index]) for index in payments}
    boundaries = sorted(
        {p.start for p in periods.values()}
        | {p.end + _ONE_DAY for p in periods.values()}
        | {rule.date for rule in book}
        | {cap.counts_from for cap in book.caps.values()}
    )
    buckets = _buckets(found, starts, ranged, book, boundaries)
    microsoft = Window([b for b in buckets if entity_of(b.base) == "Microsoft"], lambda b: b.last)
    openai_revenue = Coverage([b.period for b in buckets if b.base == A.OAI_REVENUE])
    links = _Links(entries)
    generated = []

    # 1. Implied revenue and net settlement, per payment.
    for index in payments:
        payment = entries[index]
        try:
            generated.extend(
                _from_payment(book, index, periods[index], microsoft, openai_revenue, links.of(index), errors, entries)
            )
        except ArithmeticError:
            errors.append(SharesError(payment.meta, _TOO_LARGE, payment))

    # 2. Accruals, one per bucket.
    for b in buckets:
        source = entries[b.sources[0]]
        try:
            if b.share == ZERO:
                continue
            shared = links.shared(b.sources, b.base, b.rule.date, b.start, b.end, sorted(b.tags or ()), b.total)
            generated.append(
                _accrual(
                    b.base,
                    b.rule,
                    b.total,
                    b.period,
                    b.last,
                    set(b.tags or ()),
                    shared,
                    source.meta,
                    len(b.sources),
                    _bucket_interval(entries, b),
                )
            )
        except ArithmeticError:
            errors.append(SharesError(source.meta, _TOO_LARGE, source))

    # 3. Microsoft's share where OpenAI's revenue is recorded: solved, checked, or not known.
    generated.extend(_solve(book, entries, buckets, microsoft, payments, periods, links, errors))

    for cap in book.caps.values():
        generated = _held_to_cap(cap, generated)
    # 4. OpenAI's audited costs less what the books itemize of them: posted once, not twice.
    generated.extend(_unitemized_costs(entries, [entries[i] for i in costs], generated, errors))
    out = links.apply() if links.added else entries
    return D.insert_sorted(out, generated), errors


def _held_to_cap(cap, generated: list) -> list:
    """The generated entries with `cap.base`'s accruals since `counts-from` held to the cap.

    The arithmetic is `model.capped_shares` over the accruals in date order
    (and `model.capped_intervals` over their ranges). Each accrual that counts
    names the cap and what is accrued and left of it; the one that reaches
    the cap says that later postings accrue 0, and each later one stays in
    the books with a share of 0 (`uncapped-share:` what it would have been,
    `cap-reached:` when the cap was reached), so every reader sees its period
    covered by a known 0, not a gap. An implied revenue whose accrual reaches
    the cap, or is held at 0, is a lower bound.
    """
    counted = sorted(
        (
            i
            for i, e in enumerate(generated)
            if e.meta.get(D.RULE) == D.RULE_SHARE
            and e.meta.get(D.BASE_ACCOUNT) == cap.base
            and e.date >= cap.counts_from
        ),
        key=lambda i: data.entry_sortkey(generated[i]),
    )
    if not counted:
        return generated
    accruals = [generated[i] for i in counted]
    shares = [e.meta[D.SHARE].number for e in accruals]
    ends = [_share_ends(e) for e in accruals]
    floors = _paid_floors(cap, generated, accruals, ends)
    binding = _cap_binding(cap, accruals, ends, floors)
    out = list(generated)
    accrued = forgone = ZERO
    reached, held, at_cap = None, [], []
    for i, share, take, capped in zip(
        counted, shares, capped_shares(shares, cap.amount), capped_intervals(ends, cap.amount, floors)
    ):
        is_held = take == ZERO and accrued >= cap.amount
        accrued += take
        meta = {
            D.CAP: usd_amount(cap.amount),
            D.CAP_COUNTS_FROM: cap.counts_from,
            D.CAP_ACCRUED: usd_amount(accrued),
            D.CAP_REMAINING: usd_amount(cap.amount - accrued),
        }
        if take != share:
            meta[D.CAP_UNCAPPED] = usd_amount(share)
            forgone += share - take
        if is_held:
            held.append(i)
            at_cap.append(i)
        elif accrued >= cap.amount:
            reached = i if reached is None else reached
            at_cap.append(i)
        out[i] = _with_share(generated[i], share, take, meta, capped)
    if reached is not None:
        note = (
            f"the cap of {cap.amount:,.2f} {CURRENCY} on {cap.base}'s share to {cap.payee}, counted from "
            f"{cap.counts_from}, is reached here: later postings to {cap.base} accrue 0 "
            f"({len(held)} accrual(s) held at 0)"
        )
        entry = out[reached]
        out[reached] = entry._replace(meta={**entry.meta, D.CAP_FORGONE: usd_amount(forgone), D.CAP_NOTE: note})
        for i in held:
            out[i] = out[i]._replace(meta={**out[i].meta, D.CAP_REACHED: entry.date})
    if binding:  # on the accrual that reaches the cap, else the last that counts
        last = reached if reached is not None else max((i for i in counted if i not in held), default=None)
        if last is not None:
            out[last] = out[last]._replace(meta={**out[last].meta, **binding})
    _bound_by_cap(cap, out, [generated[i] for i in at_cap], out[reached].date if reached is not None else None)
    return out


def _share_ends(entry) -> tuple[Decimal, Decimal | None]:
    """An accrual's share as (low, high): its `share-low:`/`share-high:` where it states either, else the share.

    A stated high without a low is at least 0; a stated low without a high is open above (None).
    """
    share: Decimal = entry.meta[D.SHARE].number
    low, high = entry.meta.get(D.SHARE_LOW), entry.meta.get(D.SHARE_HIGH)
    if low is None and high is None:
        return share, share
    return _number_of_meta(entry.meta, D.SHARE_LOW, ZERO), (high.number if isinstance(high, Amount) else None)


def _paid_floors(cap, generated: list, accruals: list, ends: list) -> list[Decimal]:
    """Per accrual counted against a cap, what it accrued whatever the cap (`model.capped_intervals`' floors).

    An accrual of the revenue one net payment implies over its whole period
    accrued at least its low end: OpenAI's share is the payment plus
    Microsoft's share, never below 0, so that much was paid. 0 for any other
    accrual (a recorded revenue's, or a piece of a payment spread by days),
    and for all where more was paid than the cap allows (`model.floors_fit`).
    """
    whole = {
        (e.date, e.links, e.meta.get(D.PERIOD_START))
        for e in generated
        if e.meta.get(D.RULE) == D.RULE_IMPLIED and D.PERIOD_REVENUE not in e.meta
    }
    floors = [
        max(low, ZERO) if (e.date, e.links, e.meta.get(D.PERIOD_START)) in whole else ZERO
        for e, (low, _) in zip(accruals, ends)
    ]
    return floors if floors_fit(ends, floors, cap.amount) else [ZERO] * len(floors)


def _cap_binding(cap, accruals: list, ends: list, floors: list[Decimal]) -> dict:
    """Where the accruals' shares are ranges: when the cap binds at the earliest and at the latest, and the
    interval of what accrues against it, as metadata; {} where every share is exact.

    The cap binds at the first accrual whose running high ends reach it
    (`cap-binds-from:`), though not before one the payments after it show
    had room (`_paid_floors`), and, at the latest, at the first whose running
    low ends do (`cap-binds-by:`; absent: not by the books' last posting).
    """
    if all(low == high for low, high in ends):
        return {}
    meta: dict = {}
    running_low: Decimal = ZERO
    running_high: Decimal | None = ZERO
    last_paid = max((i for i, floor in enumerate(floors) if floor > 0), default=-1)
    for i, (entry, (low, high)) in enumerate(zip(accruals, ends)):
        running_low += low
        running_high = None if running_high is None or high is None else running_high + high
        reachable = i >= last_paid and (running_high is None or running_high >= cap.amount)
        if D.CAP_BINDS_FROM not in meta and reachable:
            meta[D.CAP_BINDS_FROM] = entry.date
        if D.CAP_BINDS_BY not in meta and running_low >= cap.amount:
            meta[D.CAP_BINDS_BY] = entry.date
    meta[D.CAP_ACCRUED_LOW] = usd_amount(min(running_low, cap.amount))
    if running_high is not None:
        meta[D.CAP_ACCRUED_HIGH] = usd_amount(min(running_high, cap.amount))
    return meta


def _with_share(entry, share: Decimal, take: Decimal, meta: dict, capped: tuple[Decimal, Decimal]) -> data.Transaction:
    """An accrual with its share replaced by `take` (the same legs), its range by `capped`, and the cap's metadata.

    The range keys stay only where the capped share is still a range: a
    share the cap holds at what is left, or at 0, is exact whatever its
    range was.
    """
    low, high = capped
    kept = entry.meta
    if (low, high) != _share_ends(entry):
        kept = {k: v for k, v in entry.meta.items() if k not in (D.SHARE_LOW, D.SHARE_HIGH)}
        if low != high:
            meta = {**meta, D.SHARE_LOW: usd_amount(low), D.SHARE_HIGH: usd_amount(high)}
    if take == share:
        return entry._replace(meta={**kept, **meta})
    if take == ZERO:
        postings = [p._replace(units=usd_amount(ZERO)) for p in entry.postings]  # no "-0.00"
        narration = f"{entry.narration}: 0, the cap is reached"
    else:
        postings = [
            p._replace(units=usd_amount(take if (p.units.number > 0) == (share > 0) else -take)) for p in entry.postings
        ]
        narration = f"{entry.narration}, cut to the cap"
    return entry._replace(meta={**kept, **meta, D.SHARE: usd_amount(take)}, postings=postings, narration=narration)


def _bound_by_cap(cap, out: list, at_cap: list, reached_on: datetime.date | None) -> None:
    """Mark, in place, each implied revenue whose accrual reached the cap or is held at 0 by it: a lower bound."""
    when = {
        (e.date, e.links): "is reached in this period"
        if reached_on is None or e.date <= reached_on
        else f"was reached on {reached_on}, before this period"
        for e in at_cap
    }
    for i, entry in enumerate(out):
        if entry.meta.get(D.RULE) == D.RULE_IMPLIED and (reached := when.get((entry.date, entry.links))):
            note = (
                f"a lower bound: the cap of {cap.amount:,.2f} {CURRENCY} on OpenAI's share, counted from "
                f"{cap.counts_from}, {reached}; revenue beyond it pays no share, so the payment cannot show it"
            )
            narration = entry.narration if entry.meta.get(D.BOUND) == D.LOWER else f"{entry.narration}, lower bound"
            meta = {k: v for k, v in entry.meta.items() if k != D.REVENUE_HIGH}  # revenue past the cap is open
            out[i] = entry._replace(meta={**meta, D.BOUND: D.LOWER, D.CAP_NOTE: note}, narration=narration)


def _microsoft_share_interval(entries, parts, ms_share, book, period, *, unrecorded: bool) -> Interval:
    """The interval Microsoft's share over a payment's period lies in, from its bases' stated ranges.

    Each recorded base figure stands for its `low:`..`high:` (an open end open);
    each share is its rate times that. A base in force with nothing recorded is
    [0, ∞) (`intervals.UNKNOWN_BASE`), so its share opens the top: the old
    lower bound is this interval's special case.
    """
    interval = Interval.exact(ms_share)
    seen: set[int] = set()  # a source posting to two bases moves the period's share once
    for b in parts:
        if b.rule is None or not b.rule.rate:
            continue
        fresh = [index for index in b.ranged if index not in seen]  # `ranged` holds each source once
        if fresh:
            seen.update(fresh)
            interval = interval + _stated_move(entries, fresh).times(b.rule.rate)
    if unrecorded:
        rate = max(
            (
                rule.rate
                for base in book.bases_of("Microsoft")
                for _, _, rule in book.spans(base, period.start, period.end)
                if rule
            ),
            default=ZERO,
        )
        interval = interval + UNKNOWN_BASE.times(rate)
    return interval.at_least_zero()


def _from_payment(book, index, period, microsoft, openai_revenue, links, errors, entries) -> list:
    """What the net payment at `index` derives: implied revenue (if none is recorded) and the settlement.

    `microsoft`: a periods.Window of Microsoft's base buckets by their last day; `openai_revenue`: the Coverage of OpenAI revenue's buckets.
    """
    payment = entries[index]
    net = sum((p.units.number for p in payment.postings if p.account == _PAYMENT_ACCOUNT and p.units), ZERO)
    paid = _paid(entries, (index,), net)
    ms_parts = microsoft.within(period.start, period.end)
    ms_share = sum((b.share for b in ms_parts), ZERO)
    tags = set(payment.tags or ())
    for b in ms_parts:
        if b.share:
            tags.update(b.tags or ())
    tags.discard(GENERATED_TAG)
    inputs = {
        D.PERIOD_START: period.start,
        D.PAYMENT: usd_amount(net),
        D.MICROSOFT_SHARE: usd_amount(ms_share),
        D.MICROSOFT_BASE: usd_amount(sum((b.total for b in ms_parts), ZERO)),
        **_payment_meta(paid),
    }
    out = []
    if not openai_revenue.touches(period):
        unrecorded = _microsoft_unrecorded(book, period, ms_parts)
        ms_range = _microsoft_share_interval(entries, ms_parts, ms_share, book, period, unrecorded=unrecorded)
        out += _implied(
            book,
            payment,
            period,
            net,
            ms_share,
            inputs,
            tags,
            links,
            lower=unrecorded or ms_range.high is None or paid.high is None,  # an open top, whatever opened it
            ms_range=ms_range,
            paid=paid,
            errors=errors,
        )
    if ms_share != ZERO:
        legs = [
            (A.OAI_DUE_TO_MS, ms_share),
            (A.OAI_DUE_FROM_MS, -ms_share),
            (A.MS_DUE_TO_OAI, ms_share),
            (A.MS_DUE_FROM_OAI, -ms_share),
        ]
        out.append(
            _txn(
                payment.meta,
                payment.date,
                f"Net settlement of the revenue shares ({period.label})",
                tags,
                links,
                legs,
                {D.RULE: D.RULE_SETTLEMENT, **inputs},
            )
        )
    return out


def _cut(spans, days) -> list[tuple]:
    """(start, end, rule) spans cut again at each of `days` inside them, the rule kept."""
    out = []
    for start, end, rule in spans:
        for day in days:
            if start < day <= end:
                out.append((start, day - _ONE_DAY, rule))
                start = day
        out.append((start, end, rule))
    return out


def _implied(book, payment, period, net, ms_share, inputs, tags, links, *, lower, ms_range, paid, errors) -> list:
    """The implied revenue of one payment (`net` posted, `paid` its stated interval), and OpenAI's share of it."""
    label = period.label
    spans = _cut(book.spans(A.OAI_REVENUE, period.start, period.end), split_days(book, period))
    rates = [((end - start).days + 1, rule.rate if rule else ZERO) for start, end, rule in spans]
    try:
        pieces = implied_revenue_split(net, ms_share, rates)
    except ZeroDivisionError:
        errors.append(
            SharesError(
                payment.meta,
                f"cannot imply OpenAI revenue for {label}: no OpenAI share rate is in force in it",
                payment,
            )
        )
        return []
    total = sum(pieces, ZERO)
    if total < 0:
        if net < 0:  # a negative payment: the figures plugin's sign rule says so at its line, once
            return []
        errors.append(
            SharesError(
                payment.meta,
                f"the net payment for {label} ({net:,.2f}) implies negative OpenAI revenue ({total:,.2f}): "
                f"Microsoft's share for it ({ms_share:,.2f}) exceeds it by more than OpenAI's share could",
                payment,
            )
        )
        return []
    # The same split at each end of the payment's and Microsoft's share's intervals: it rises with both.
    # A payment open below ("at most") leaves the revenue at least 0; an open top leaves it open.
    lows: list[Decimal | None] = (
        list(implied_revenue_split(paid.low, ms_range.low, rates))
        if paid.low is not None and ms_range.low is not None
        else [ZERO] * len(pieces)
    )
    highs: list[Decimal | None] = (
        list(implied_revenue_split(paid.high, ms_range.high, rates))
        if paid.high is not None and ms_range.high is not None
        else [None] * len(pieces)
    )
    out = []
    split = len(spans) > 1
    for (start, end, rule), revenue, low, high in zip(spans, pieces, lows, highs):
        if revenue == ZERO:
            continue
        span = Period(start, end)
        meta = {
            D.RULE: D.RULE_IMPLIED,
            D.FORMULA: "(payment + microsoft-share) / rate"
            if not split
            else "(payment + microsoft-share) / day-weighted rate, spread by days",
            **inputs,
            D.PERIOD_START: start,
            D.PAYMENT_PERIOD: label,
            D.RATE: rule.rate if rule else ZERO,
            D.REVENUE: usd_amount(revenue),
        }
        if split:
            meta[D.PERIOD_REVENUE] = usd_amount(total)
        # Only the ends that differ from the point: "≥ x" alone is `bound: lower`, as before.
        if ms_range.low is not None and ms_range.low != ms_share:
            meta[D.MICROSOFT_SHARE_LOW] = usd_amount(ms_range.low)
        if ms_range.high is not None and ms_range.high != ms_share:
            meta[D.MICROSOFT_SHARE_HIGH] = usd_amount(ms_range.high)
        if low is not None and max(low, ZERO) != revenue:
            meta[D.REVENUE_LOW] = usd_amount(max(low, ZERO))
        if high is not None and high != revenue:
            meta[D.REVENUE_HIGH] = usd_amount(high)
        if lower:
            meta[D.BOUND] = D.LOWER
        narration = f"Implied OpenAI revenue ({span.label}" + (f" of {label}, at {meta[D.RATE]:%})" if split else ")")
        narration += ", lower bound" if lower else ""
        entry = _txn(payment.meta, end, narration, tags, links, postings_for("revenue", revenue), meta)
        out.append(entry)
        if rule is not None:
            # The share of a ranged revenue is ranged (only where the revenue's ends are written).
            # A lower bound's top is open, unless its high end is written (its share is "≥" too).
            top = None if lower and D.REVENUE_HIGH not in meta else _number_of_meta(meta, D.REVENUE_HIGH, revenue)
            ranged = Interval(_number_of_meta(meta, D.REVENUE_LOW, revenue), top)
            accrual = _accrual(A.OAI_REVENUE, rule, revenue, span, end, tags, links, payment.meta, 1, ranged)
            if accrual is not None:
                out.append(accrual)
    return out


# --- solving for the unknown side -------------------------------------------


def _spans(periods: list[Period]) -> list[Period]:
    """Overlapping periods merged into the spans they cover together."""
    out: list[Period] = []
    for p in sorted(periods, key=lambda p: (p.start, p.end)):
        if out and p.start <= out[-1].end:
            out[-1] = Period(out[-1].start, max(out[-1].end, p.end))
        else:
            out.append(p)
    return out


def _missing(span: Period, periods) -> list[Period]:
    """The days of `span` none of `periods` covers."""
    gaps, open_from = [], span.start
    for p in sorted(periods, key=lambda p: p.start):
        if p.start > open_from:
            gaps.append(Period(open_from, p.start - _ONE_DAY))
        open_from = max(open_from, p.end + _ONE_DAY)
        if open_from > span.end:
            return gaps
    if open_from <= span.end:
        gaps.append(Period(open_from, span.end))
    return gaps


def _solve(book, entries, buckets, microsoft, payments, periods, links, errors) -> list:
    """Microsoft's share over each span where OpenAI's revenue is recorded.

    Revenue and the net payments both cover the span: Microsoft's share is
    OpenAI's share less the payments (less what recorded Microsoft bases
    accrue), and its base that share / rate; exact, and posted as the share's
    accrual and its settlement. Where every Microsoft base in force is
    recorded, the span is over-determined: checked, an error at the revenue's
    line when the figures disagree beyond the precision they state. Where the
    payments do not cover the span, Microsoft's share is not known, and a
    note on both share accounts says why: never a silent zero.
    """
    revenue = [b for b in buckets if b.base == A.OAI_REVENUE and b.share]
    if not revenue:
        return []
    paid = [(periods[i], i) for i in payments]
    revenue_overlaps = Coverage([b.period for b in revenue])
    touching = [p for p, _ in paid if revenue_overlaps.touches(p)]
    # the spans are disjoint, and each revenue bucket and touching payment lies in one: each span's
    # are found by bisect, not by scanning them all (spans x buckets)
    rev_window = Window(revenue, lambda b: b.period.start)
    paid_window = Window(paid, lambda pi: pi[0].start)
    out = []
    for span in _spans([b.period for b in revenue] + touching):
        rev = [b for b in rev_window.within(span.start, span.end) if span.contains(b.period)]
        pays = [(p, i) for p, i in paid_window.within(span.start, span.end) if span.contains(p)]
        ms_parts = microsoft.within(span.start, span.end)
        first = entries[rev[0].sources[0]]
        rev_gaps = _missing(span, [b.period for b in rev])
        pay_gaps = _missing(span, [p for p, _ in pays])
        tags = set().union(*(entries[b.sources[0]].tags or () for b in rev), *(entries[i].tags or () for _, i in pays))
        tags.discard(GENERATED_TAG)
        link = links.of(rev[0].sources[0])
        if not rev_gaps and not pay_gaps:  # solved from both: `explain` of either finds it
            link = link.union(*(links.of(i) for _, i in pays))
        if rev_gaps or pay_gaps:
            if rev_gaps:
                why = f"OpenAI's revenue is recorded for part of it only (none for {', '.join(map(str, rev_gaps))})"
            elif pays:
                why = f"the net payments cover part of it only (none is recorded for {', '.join(map(str, pay_gaps))})"
            else:
                why = "no net payment is recorded for it"
            out.extend(_not_known(book, first, span, why, tags, link))
            continue
        try:
            out.extend(_solved(book, entries, ms_parts, span, rev, pays, first, tags, link, errors))
        except ArithmeticError:
            errors.append(SharesError(first.meta, _TOO_LARGE, first))
    return out


def _share_move(entries, buckets) -> Interval:
    """How far the buckets' shares may lie, together, from what they accrue (an open end stays open).

    Each base stands for its `_bucket_interval` (its figures' stated ranges, a ranged total's remainder,
    an open end), so a share solved from it is what interval arithmetic on its inputs gives.
    """
    moved = Interval.exact(ZERO)
    for b in buckets:
        if b.rule is None or not b.rule.rate:
            continue
        rate = b.rule.rate
        base_move = _bucket_interval(entries, b) - Interval.exact(b.total)
        moved = moved + base_move.map_ends(lambda v, rate=rate: share_of(v, rate))
    return moved


def _whole_share(share: Decimal, left_move: Interval, recorded: Decimal, recorded_move: Interval) -> dict:
    """Microsoft's whole share over a solved span beside ranged recorded bases, as metadata; {} where exact.

    The net payment is OpenAI's share less Microsoft's whole share, so the
    whole is what the payments leave (OpenAI's share − payments), and at
    least the recorded bases' share, a part of it: from max(recorded,
    what they leave) at the bottom to what they leave at the top (an open
    end of OpenAI's share leaves the top open). A recorded base's own top
    does not lift it: a share the payments cannot leave is not one the
    figures allow (the caller has already refused books where the
    recorded bases' bottom is above what the payments leave).
    """
    if recorded_move.is_exact:
        return {}
    left = Interval.exact(share + recorded) + left_move  # OpenAI's share − payments, as the figures are stated
    meta = {}
    if recorded_move.low is not None:
        lows = [recorded + recorded_move.low, ZERO] + ([] if left.low is None else [left.low])
        meta[D.MICROSOFT_TOTAL_LOW] = usd_amount(max(lows))
    if left.high is not None:
        meta[D.MICROSOFT_TOTAL_HIGH] = usd_amount(left.high)
    return meta


def _end(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _not_known(book, source, span: Period, why: str, tags, link) -> list:
    """Notes on both companies' share accounts: Microsoft's share over `span` is not known, and why."""
    if not any(
        rule is not None and rule.rate > 0
        for base in book.bases_of("Microsoft")
        for _, _, rule in book.spans(base, span.start, span.end)
    ):
        return []  # no Microsoft share in force: there is nothing to know
    legs = SHARE_LEGS["Microsoft"]
    comment = (
        f"Microsoft's share to OpenAI over {span.label} is not known: OpenAI's revenue for it is recorded, "
        f"but {why}, so the share cannot be solved (it is not zero)"
    )
    out = []
    for account in (legs.payer_expense, legs.payee_income):
        meta = data.new_metadata(source.meta.get("filename", "<leakledger>"), source.meta.get("lineno", 0))
        meta.update({D.RULE: D.NOT_KNOWN, D.PERIOD_START: span.start})
        out.append(data.Note(meta, span.end, account, comment, frozenset(tags) | {GENERATED_TAG}, frozenset(link)))
    return out


def _solved(book, entries, ms_parts, span, rev, pays, source, tags, link, errors) -> list:
    """Microsoft's share over a span whose revenue and payments are both recorded: posted, or checked.

    `ms_parts`: the Microsoft base buckets whose last posting lies in the span.
    """
    openai = sum((b.share for b in rev), ZERO)
    revenue_move = _share_move(entries, rev)  # OpenAI's share as its revenue is stated, less the posted share
    net = sum(
        (p.units.number for _, i in pays for p in entries[i].postings if p.account == _PAYMENT_ACCOUNT and p.units),
        ZERO,
    )
    paid = _paid(entries, [i for _, i in pays], net)  # "300M" paid is 299.5M..300.5M: what it leaves moves with it
    left_move = revenue_move - (paid - Interval.exact(net))  # OpenAI's share less the payments, less its point
    recorded = sum((b.share for b in ms_parts), ZERO)
    share = solved_share(openai, net, recorded)
    # A recorded Microsoft base stated as a range (0.5B..1.5B) accrues a range: what it leaves moves the other way.
    recorded_move = _share_move(entries, ms_parts)
    whole = _whole_share(share, left_move, recorded, recorded_move) if ms_parts else {}
    solved = Interval.exact(share) + left_move - recorded_move
    low, high = solved.low, solved.high
    stated = Interval.exact(openai) + revenue_move
    paid_text = "" if paid.is_exact else f", {_end(paid.low)}..{_end(paid.high)} as they are stated"
    head = (
        f"over {span.label}, OpenAI's share of its recorded revenue ({openai:,.2f}, {_end(stated.low)}.."
        f"{_end(stated.high)} as the revenue is stated) less the net payments ({net:,.2f}{paid_text})"
    )
    if not _microsoft_unrecorded(book, span, ms_parts):
        if not Interval(low, high).contains(ZERO):
            errors.append(
                SharesError(
                    source.meta,
                    f"{head} leaves {share:,.2f} ({_end(low)}..{_end(high)}) for Microsoft's share beyond what its "
                    f"recorded bases accrue ({recorded:,.2f}): the figures disagree beyond their precision",
                    source,
                )
            )
        return []
    if high is not None and high < ZERO:
        errors.append(
            SharesError(
                source.meta,
                f"{head} leaves {share:,.2f} for Microsoft's share: negative beyond the figures' precision, so "
                f"the payments exceed OpenAI's share of the revenue",
                source,
            )
        )
        return []
    if share <= ZERO:
        return []
    unrecorded = [
        base
        for base in book.bases_of("Microsoft")
        if base not in {b.base for b in ms_parts}
        and any(r is not None and r.rate > 0 for _, _, r in book.spans(base, span.start, span.end))
    ]
    rates = {r.rate for base in unrecorded for _, _, r in book.spans(base, span.start, span.end) if r is not None}
    rate = rates.pop() if len(rates) == 1 else None
    meta = {
        D.RULE: D.RULE_SHARE,
        D.SOLVED: "openai-share - payment - recorded microsoft-share",
        D.BASE_ACCOUNT: ", ".join(unrecorded),
        D.PERIOD_START: span.start,
        D.OPENAI_SHARE: usd_amount(openai),
        D.PAYMENT: usd_amount(net),
        D.MICROSOFT_SHARE: usd_amount(recorded),
        D.SHARE: usd_amount(share),
        D.SOURCES: Decimal(len(rev) + len(pays)),
        **_payment_meta(paid),
        **whole,
    }
    floor = ZERO if low is None else max(low, ZERO)
    if low != high:  # the share's own interval, from the figures' stated precision (and ranged recorded bases)
        meta[D.SHARE_LOW] = usd_amount(floor)
        if high is not None:  # no high: open above (revenue "at least" some amount)
            meta[D.SHARE_HIGH] = usd_amount(high)
    if rate is not None:
        meta[D.RATE] = rate
        meta[D.BASE] = usd_amount(base_of_share(share, rate))
        meta[D.BASE_LOW] = usd_amount(base_of_share(floor, rate))
        if high is not None:
            meta[D.BASE_HIGH] = usd_amount(base_of_share(high, rate))
        if low is not None and low < ZERO:  # the ranges' far ends do not hold together: said, not hidden
            meta[D.BASE_CUT] = usd_amount(base_of_share(low, rate))
    legs_of = SHARE_LEGS["Microsoft"]
    legs = [
        (legs_of.payer_expense, share),
        (legs_of.payer_due, -share),
        (legs_of.payee_due, share),
        (legs_of.payee_income, -share),
    ]
    narration = (
        f"Microsoft's share to OpenAI ({span.label}), solved: OpenAI's share of its revenue less the net payments"
    )
    accrual = _txn(source.meta, span.end, narration, tags, link, legs, meta)
    settle = [
        (A.OAI_DUE_TO_MS, share),
        (A.OAI_DUE_FROM_MS, -share),
        (A.MS_DUE_TO_OAI, share),
        (A.MS_DUE_FROM_OAI, -share),
    ]
    settlement = _txn(
        source.meta,
        span.end,
        f"Net settlement of the revenue shares ({span.label}): Microsoft's solved share",
        tags,
        link,
        settle,
        {
            D.RULE: D.RULE_SETTLEMENT,
            D.PERIOD_START: span.start,
            D.PAYMENT: usd_amount(net),
            **_payment_meta(paid),
            D.MICROSOFT_SHARE: usd_amount(share),
        },
    )
    return [accrual, settlement]


# --- OpenAI's costs the books do not itemize ----------------------------------

COSTS_METRIC = "total-costs"
UNITEMIZED = A.OAI_COSTS_NOT_ITEMIZED


def _date(entry) -> datetime.date:
    return entry.date


def _names(entry, metric: str) -> bool:
    """Whether an entry names `metric` (`metric:`, or a figure record's first value): before reading it whole."""
    if entry.__class__ is data.Custom:
        return bool(entry.values) and entry.values[0].value == metric
    return entry.meta.get("metric") == metric  # figure_of reads only transactions' and records


def _unitemized_costs(entries, named, generated, errors) -> list:
    """For each recorded total of OpenAI's costs: the part the books do not itemize, posted.

    The audited total holds every cost, the Azure inference and the revenue
    share the books already post among them; the books itemize those, so
    the total posts as its rest (`Expenses:OpenAI:Costs:NotItemized`, against
    cash), and OpenAI's expenses over the period add up to the total, not
    to it and the flows again. Itemized expenses beyond the total's stated
    range are an error at the total's line.
    """
    totals = [
        f
        for f in map(figure_of, named)
        if f is not None
        and f.metric == COSTS_METRIC
        and f.amount is not None
        and f.kind in ("leaked", "disclosed")
        and not f.superseded_by
    ]
    out = []
    for fig in totals:
        period = fig.period
        itemized = ZERO
        # the entries come sorted by date (as `derived.insert_sorted` relies on too): the period's are found by bisect
        first = bisect.bisect_left(entries, period.start, key=_date)
        last = bisect.bisect_right(entries, period.end, lo=first, key=_date)
        in_period = [
            entry
            for entry in (*entries[first:last], *generated)
            if isinstance(entry, data.Transaction) and period.start <= entry.date <= period.end
        ]
        for entry in in_period:
            for p in entry.postings:
                if p.account.startswith("Expenses:OpenAI:") and p.account != UNITEMIZED and p.units is not None:
                    itemized += p.units.number or ZERO
        rest = (fig.amount or ZERO) - itemized
        if rest < ZERO:
            if fig.high is not None and fig.high < itemized:
                errors.append(
                    SharesError(
                        fig.entry.meta,
                        f"OpenAI's expenses the books record over {period} ({itemized:,.2f}) exceed its total costs "
                        f"{fig.stated} beyond their stated precision",
                        fig.entry,
                    )
                )
            continue
        meta = data.new_metadata(fig.entry.meta.get("filename", "<leakledger>"), fig.entry.meta.get("lineno", 0))
        meta.update(
            {
                D.RULE: D.RULE_UNITEMIZED,
                D.PERIOD_START: period.start,
                D.TOTAL: usd_amount(fig.amount or ZERO),
                D.ITEMIZED: usd_amount(itemized),
            }
        )
        stands = (fig.interval or Interval.exact(fig.amount or ZERO)) - itemized_interval(in_period, UNITEMIZED)
        if not stands.is_exact:  # the total is stated as a range, or an itemized expense is: so is the rest
            meta.update(
                {
                    key: usd_amount(end)
                    for key, end in ((D.UNITEMIZED_LOW, stands.low), (D.UNITEMIZED_HIGH, stands.high))
                    if end is not None
                }
            )
        legs = [(UNITEMIZED, rest), (A.OAI_CASH, -rest)]
        narration = (
            f"OpenAI's costs the books do not itemize ({period.label}): its total costs less the expenses recorded"
        )
        link = content_link(COSTS_METRIC, period.start, period.end, fig.amount)
        tags = {fig.kind} if fig.kind else set()
        out.append(_txn(fig.entry.meta, period.end, narration, tags, {link}, legs, meta))
    return out
