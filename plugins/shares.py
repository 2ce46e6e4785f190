"""Shares plugin: the 20% shares both ways, net settlement, implied revenue.

Reads the `custom "revenue-share"` rules and derives, as `#generated`
transactions in both entities' books:

1. *Implied revenue.* A net payment over a period with no recorded OpenAI
   revenue overlapping it implies OpenAI revenue of
   (payment + Microsoft's share accrued in the period) / OpenAI's rate,
   a lower bound (`bound: "lower"`) when no Microsoft base is recorded.
2. *Accruals.* Every posting to a share base account accrues the rate in
   force on its date: the payer's expense and Due liability, the payee's Due
   asset and income. Postings are accrued per base account, rule and month,
   so imported line items cost one accrual a month, not one each.
3. *Net settlement.* The leaked payment is net, so at each payment Microsoft's
   share for the period is set off against OpenAI's: both Due positions
   close, and whatever stays in Due is the gap between model and leak.

Each generated entry carries `#generated`, the tags of its sources (so a
scenario's `#assumed` carries over), the link of the entry it derives from
(content-derived when the source has none) and metadata naming its rule and
inputs. Input entries are never mutated: a source that needs a link is
replaced by a copy that has it.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from leakledger.figures import is_generated
from leakledger.model import (
    CURRENCY,
    GENERATED_TAG,
    KINDS,
    METRICS,
    PAYMENT_METRIC,
    SHARE_LEGS,
    A,
    entity_of,
    implied_revenue,
    postings_for,
    share_of,
)
from leakledger.periods import Period, period_of
from leakledger.rules import LeakError, read_rules

__plugins__ = ("shares",)

ZERO = Decimal(0)


def content_link(*parts) -> str:
    """A deterministic link from content: the same inputs always give the same link."""
    digest = hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"ll-{digest[:12]}"


def _entry_link(entry: data.Transaction) -> str:
    return content_link(
        entry.date, entry.narration,
        *sorted((p.account, p.units) for p in entry.postings),
    )


def _usd(number: Decimal) -> Amount:
    return Amount(number, CURRENCY)


def _txn(source_meta, date, narration, tags, links, legs, meta) -> data.Transaction:
    """A generated transaction; its meta points at the source's line."""
    new_meta = data.new_metadata(source_meta.get("filename", "<leakledger>"), source_meta.get("lineno", 0))
    new_meta.update(meta)
    postings = [data.Posting(account, _usd(units), None, None, None, None) for account, units in legs]
    return data.Transaction(new_meta, date, "*", None, narration, frozenset(tags) | {GENERATED_TAG}, frozenset(links), postings)


def _carried_tags(entries) -> set[str]:
    tags: set[str] = set()
    for entry in entries:
        tags.update(entry.tags or ())
    tags.discard(GENERATED_TAG)
    return tags


class _Bucket:
    """The base postings of one base account, rule and month."""

    __slots__ = ("base", "rule", "total", "sources", "last")

    def __init__(self, base, rule):
        self.base, self.rule = base, rule
        self.total, self.sources, self.last = ZERO, [], None

    def add(self, entry, units):
        self.total -= units  # income posts negative: the base is its opposite
        if not self.sources or self.sources[-1] is not entry:
            self.sources.append(entry)
        self.last = entry.date if self.last is None or entry.date > self.last else self.last


def shares(entries, options_map, config=None):
    """Derive implied revenue, both shares' accruals and the net settlements."""
    book, errors = read_rules(entries)
    bases = set(book.bases)
    if not bases:
        return entries, errors

    links_for: dict[int, frozenset] = {}  # id(source) -> links it must carry
    replaced: dict[int, data.Transaction] = {}

    def link_of(entry) -> frozenset:
        if entry.links:
            return entry.links
        if id(entry) not in links_for:
            links_for[id(entry)] = frozenset({_entry_link(entry)})
        return links_for[id(entry)]

    # One pass: base postings into monthly buckets, payments, recorded revenue.
    buckets: dict[tuple, _Bucket] = {}
    payments = []
    revenue_periods = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or is_generated(entry):
            continue
        if entry.meta.get("metric") == PAYMENT_METRIC:
            payments.append(entry)
        for posting in entry.postings:
            if posting.account in bases and posting.units is not None:
                rule = book.rule_at(posting.account, entry.date)
                if posting.account == A.OAI_REVENUE:
                    revenue_periods.append(period_of(entry))
                if rule is None or rule.rate == ZERO:
                    continue
                key = (posting.account, rule.date, entry.date.year, entry.date.month)
                bucket = buckets.get(key)
                if bucket is None:
                    bucket = buckets[key] = _Bucket(posting.account, rule)
                bucket.add(entry, posting.units.number)

    # Microsoft's accrued share by date, for range sums over payment periods.
    ms_points = sorted(
        (b.last, share_of(b.total, b.rule.rate), b) for b in buckets.values() if entity_of(b.base) == "Microsoft"
    )
    ms_dates = [p[0] for p in ms_points]

    def microsoft_in(period: Period):
        lo = bisect.bisect_left(ms_dates, period.start)
        hi = bisect.bisect_right(ms_dates, period.end)
        return ms_points[lo:hi]

    revenue_periods.sort()
    rev_starts = [p.start for p in revenue_periods]
    rev_max_end = []
    for p in revenue_periods:
        rev_max_end.append(max(p.end, rev_max_end[-1]) if rev_max_end else p.end)

    def revenue_recorded(period: Period) -> bool:
        i = bisect.bisect_right(rev_starts, period.end)
        return i > 0 and rev_max_end[i - 1] >= period.start

    generated = []

    # 1. Implied revenue and net settlement, per payment.
    for payment in payments:
        period = period_of(payment)
        units = [p.units.number for p in payment.postings if p.account == METRICS[PAYMENT_METRIC].legs[0][0]]
        if not units:
            continue
        net = sum(units, ZERO)
        ms_parts = microsoft_in(period)
        ms_share = sum((share for _, share, _ in ms_parts), ZERO)
        ms_base = sum((b.total for _, _, b in ms_parts), ZERO)
        ms_sources = [s for _, _, b in ms_parts for s in b.sources]
        links = link_of(payment)
        tags = _carried_tags([payment, *ms_sources])
        label = period.label
        inputs = {
            "period-start": period.start,
            "payment": _usd(net),
            "microsoft-share": _usd(ms_share),
            "microsoft-base": _usd(ms_base),
        }
        if not revenue_recorded(period):
            rate = book.rate_at(A.OAI_REVENUE, payment.date)
            if rate == ZERO:
                errors.append(LeakError(payment.meta, f"cannot imply OpenAI revenue for {label}: no OpenAI share rate in force on {payment.date}", payment))
            else:
                revenue = implied_revenue(net, ms_share, rate)
                meta = {
                    "rule": "implied-revenue",
                    "formula": "(payment + microsoft-share) / rate",
                    **inputs,
                    "rate": rate,
                    "revenue": _usd(revenue),
                }
                if not ms_parts:
                    meta["bound"] = "lower"
                narration = f"Implied OpenAI revenue ({label})" + (", lower bound" if not ms_parts else "")
                generated.append(_txn(payment.meta, payment.date, narration, tags, links,
                                      postings_for("revenue", revenue), meta))
        if ms_share != ZERO:
            legs = [
                (A.OAI_DUE_TO_MS, ms_share), (A.OAI_DUE_FROM_MS, -ms_share),
                (A.MS_DUE_TO_OAI, ms_share), (A.MS_DUE_FROM_OAI, -ms_share),
            ]
            meta = {"rule": "net-settlement", **inputs}
            generated.append(_txn(payment.meta, payment.date, f"Net settlement of the revenue shares ({label})",
                                  tags, links, legs, meta))

    # Implied revenue is OpenAI revenue: it accrues OpenAI's share like any other.
    for entry in generated:
        if entry.meta["rule"] != "implied-revenue":
            continue
        rule = book.rule_at(A.OAI_REVENUE, entry.date)
        key = (A.OAI_REVENUE, rule.date, entry.date.year, entry.date.month, "implied", id(entry))
        bucket = buckets[key] = _Bucket(A.OAI_REVENUE, rule)
        bucket.add(entry, entry.postings[1].units.number)

    # 2. Accruals, one per bucket.
    for bucket in buckets.values():
        share = share_of(bucket.total, bucket.rule.rate)
        if share == ZERO:
            continue
        legs_of = SHARE_LEGS[entity_of(bucket.base)]
        if len(bucket.sources) == 1:
            links = link_of(bucket.sources[0])
        else:
            link = content_link(bucket.base, bucket.rule.date, bucket.last, bucket.total, len(bucket.sources))
            links = frozenset({link})
            for source in bucket.sources:
                links_for[id(source)] = link_of(source) | links
        first = bucket.sources[0]
        meta = {
            "rule": "revenue-share",
            "base-account": bucket.base,
            "rate": bucket.rule.rate,
            "rule-date": bucket.rule.date,
            "base": _usd(bucket.total),
            "share": _usd(share),
            "inputs": len(bucket.sources),
        }
        legs = [
            (legs_of.payer_expense, share), (legs_of.payer_due, -share),
            (legs_of.payee_due, share), (legs_of.payee_income, -share),
        ]
        narration = f"{legs_of.payer} share to {legs_of.payee}: {bucket.rule.rate:%} of {bucket.base}"
        generated.append(_txn(first.meta, bucket.last, narration, _carried_tags(bucket.sources), links, legs, meta))

    # Sources that need a link get a copy that carries it; generated ones are
    # built with theirs already.
    for entry_id, links in links_for.items():
        replaced[entry_id] = links
    if replaced:
        out = []
        for entry in entries:
            links = replaced.get(id(entry))
            out.append(entry._replace(links=(entry.links or frozenset()) | links) if links else entry)
        entries = out
    fixed_generated = []
    for entry in generated:
        links = replaced.get(id(entry))
        fixed_generated.append(entry._replace(links=entry.links | links) if links else entry)

    fixed_generated.sort(key=data.entry_sortkey)
    return sorted([*entries, *fixed_generated], key=data.entry_sortkey), errors
