"""The contract of derived entries: what the plugins write, what every reader reads.

The shares plugin writes `#generated` transactions whose metadata names the
rule that made them and its inputs. Reports, lineage, the Fava extension and
the company statements read those entries back. The keys and `rule:` values
are named here once, so a renamed key fails at import time in every reader,
not at run time in one of them; `Derived.of` is the one reader.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import operator
from decimal import Decimal

from beancount.core import data

from leakledger.intervals import Interval
from leakledger.metadata import number_of, text_of  # the one typed reading; re-exported
from leakledger.model import GENERATED_TAG, entity_of

# `rule:` values
RULE_SHARE = "revenue-share"
RULE_SETTLEMENT = "net-settlement"
RULE_IMPLIED = "implied-revenue"
#: What a total posts over the days its recorded parts don't cover (the figures plugin).
RULE_REMAINDER = "remainder"
#: OpenAI's audited costs less the expenses the books itemize for the same period (the shares plugin).
RULE_UNITEMIZED = "unitemized-costs"
RULES = (RULE_SHARE, RULE_SETTLEMENT, RULE_IMPLIED, RULE_REMAINDER, RULE_UNITEMIZED)

# metadata keys
RULE = "rule"
PERIOD_START = "period-start"
BASE_ACCOUNT = "base-account"
RATE = "rate"
RULE_DATE = "rule-date"
BASE = "base"
SHARE = "share"
SOURCES = "sources"
PAYMENT = "payment"
MICROSOFT_SHARE = "microsoft-share"
MICROSOFT_BASE = "microsoft-base"
FORMULA = "formula"
PAYMENT_PERIOD = "payment-period"
REVENUE = "revenue"
PERIOD_REVENUE = "period-revenue"
BOUND = "bound"
CAP = "cap"  # on an accrual that counts against a cap: the cap's amount
CAP_COUNTS_FROM = "cap-counts-from"  # ... and the day the cap counts from
CAP_ACCRUED = "cap-accrued"  # ... the share accrued against the cap, this accrual included
CAP_REMAINING = "cap-remaining"  # ... and what is left of the cap after it
CAP_UNCAPPED = "uncapped-share"  # on an accrual the cap cut (or holds at 0): the share it would have been
#: On an accrual the cap holds at 0 (its share is 0.00, a known 0, not a gap): the day the cap was reached.
CAP_REACHED = "cap-reached"
CAP_FORGONE = "cap-forgone"  # on the accrual that reaches the cap: the share no longer accrued, it and later
#: Where the capped shares are ranges, on the accrual that reaches the cap (else the last that counts):
#: the first day the cap may bind (the running high ends reach it), the day by which it binds (the
#: running low ends do; absent: not by the books' last posting), and what accrues against it, low to high.
CAP_BINDS_FROM = "cap-binds-from"
CAP_BINDS_BY = "cap-binds-by"
CAP_ACCRUED_LOW = "cap-accrued-low"
CAP_ACCRUED_HIGH = "cap-accrued-high"
CAP_NOTE = "cap-note"  # why an accrual was cut, or an implied revenue is a lower bound, because of a cap
METRIC = "metric"
#: On a ranged figure that a record over a longer period pins further (2025-Q4's "~10B" gain, with the
#: exact 2025-Q3 and 2026-Q1 inside the nine months' disclosed "5.9B"): the interval the two allow
#: together, and the record's period (`figures.narrowings`).
NARROWED_LOW = "narrowed-low"
NARROWED_HIGH = "narrowed-high"
NARROWED_BY = "narrowed-by"
#: On a remainder and on the total it belongs to: the total less its recorded parts.
REMAINDER = "remainder"
#: On a remainder: the total it is the rest of (and on a refined total, its own amount); that total's period.
TOTAL = "total"
TOTAL_PERIOD = "total-period"

#: On Microsoft's share solved from recorded revenue and the net payments over the same span
#: (`rule: revenue-share`): how it was solved, OpenAI's share it was solved from, and the range
#: the Microsoft base stands for given the precision of the figures; as with `share-low:`/`share-high:`,
#: an end left out where the other is written is open (`Derived.base_interval`).
SOLVED = "solved"
OPENAI_SHARE = "openai-share"
BASE_LOW = "base-low"
BASE_HIGH = "base-high"
#: On a solved Microsoft share whose low end the figures' stated ranges put below 0 (a recorded base stated
#: as 0.5B..1.5B beside a payment that leaves less): the base at that end, negative, before it was cut at 0.
BASE_CUT = "base-cut"
#: On an accrual of a ranged base or revenue, and on a solved Microsoft share: the interval the share
#: lies in (`leakledger.intervals`); an end left out is open (`Derived.share_interval`).
SHARE_LOW = "share-low"  # on a solved Microsoft share: the interval the revenue's stated precision allows
SHARE_HIGH = "share-high"
#: On a solved Microsoft share beside recorded Microsoft bases stated as ranges: the interval of
#: Microsoft's whole share over the span (the recorded bases' share and the solved rest together),
#: max(recorded, OpenAI's share − payments), tighter than the two ranges added up.
MICROSOFT_TOTAL_LOW = "microsoft-total-low"
MICROSOFT_TOTAL_HIGH = "microsoft-total-high"
#: On an implied revenue whose inputs are ranges (a Microsoft base stated as 0.5B..1.5B, or rounded):
#: the interval the revenue and Microsoft's share lie in. Only the ends that differ from the amount
#: are written: an end left out is the amount itself, except that `bound: lower` with no
#: `revenue-high:` is open above, [revenue, ∞) (`Derived.revenue_interval`, `.microsoft_share_interval`).
REVENUE_LOW = "revenue-low"
REVENUE_HIGH = "revenue-high"
MICROSOFT_SHARE_LOW = "microsoft-share-low"
MICROSOFT_SHARE_HIGH = "microsoft-share-high"
#: On a remainder of a refined total whose figures are ranges: the interval the amount it posts
#: stands for (the total's interval less its parts', spread over the days by the same share as the
#: amount); an end left out is open. On the refined total: the remainder's whole interval.
REMAINDER_LOW = "remainder-low"
REMAINDER_HIGH = "remainder-high"
#: On what a net payment derives (an implied revenue, a solved Microsoft share, a net settlement) where the
#: payments are stated as a range ("300M" is 299.5M..300.5M): the interval `payment:` stands for; an end
#: left out where the other is written is open (`Derived.payment_interval`).
PAYMENT_LOW = "payment-low"
PAYMENT_HIGH = "payment-high"
#: On OpenAI's unitemized costs: the expenses the books itemize in the period.
ITEMIZED = "itemized"
#: On OpenAI's unitemized costs: the interval the rest stands for, the total as stated less each itemized expense
#: as the range it stands for (`leakledger.unitemized`); written where it is not exact, an end left out is open.
UNITEMIZED_LOW = "unitemized-low"
UNITEMIZED_HIGH = "unitemized-high"
#: On a generated note: a share the books cannot know, and why.
NOT_KNOWN = "not-known"

LOWER = "lower"  # the value of `bound:` on a lower bound


_number = number_of


@dataclasses.dataclass(frozen=True)
class Derived:
    """One generated entry, as its readers see it."""

    entry: data.Transaction
    rule: str
    period_start: datetime.date | None
    rate: Decimal | None
    revenue: Decimal | None
    share: Decimal | None
    base: Decimal | None
    base_account: str | None
    payment: Decimal | None
    microsoft_share: Decimal | None
    payment_period: str | None
    lower_bound: bool
    cap: Decimal | None = None
    cap_accrued: Decimal | None = None
    cap_remaining: Decimal | None = None
    uncapped_share: Decimal | None = None
    cap_forgone: Decimal | None = None
    cap_note: str | None = None
    metric: str | None = None
    remainder: Decimal | None = None
    solved: bool = False
    base_low: Decimal | None = None
    base_high: Decimal | None = None
    base_cut: Decimal | None = None
    formula: str | None = None
    #: On an implied revenue over part of a payment's period (a rate changed inside it): that part's revenue.
    period_revenue: Decimal | None = None
    cap_counts_from: datetime.date | None = None
    #: On a remainder: the label of the total's period.
    total_period: str | None = None
    revenue_low: Decimal | None = None
    revenue_high: Decimal | None = None
    microsoft_share_low: Decimal | None = None
    microsoft_share_high: Decimal | None = None
    share_low: Decimal | None = None
    share_high: Decimal | None = None
    #: On a ranged remainder: its `remainder-low:`/`remainder-high:`; `ranged` says it has either.
    remainder_low: Decimal | None = None
    remainder_high: Decimal | None = None
    ranged: bool = False
    #: On a solved share beside ranged recorded bases: Microsoft's whole share over the span.
    microsoft_total: Interval | None = None
    #: Where capped shares are ranges: the first day the cap may bind, the day it binds by (None: not yet).
    cap_binds_from: datetime.date | None = None
    cap_binds_by: datetime.date | None = None
    #: ... and what accrues against the cap, low to high (None: exact, `cap_accrued`).
    cap_accrued_range: Interval | None = None
    #: On an accrual the cap holds at 0: the day the cap was reached (`cap-reached:`).
    cap_reached: datetime.date | None = None
    #: Where the payments it derives from are stated as a range: `payment-low:`/`payment-high:`.
    payment_low: Decimal | None = None
    payment_high: Decimal | None = None

    @property
    def base_accounts(self) -> tuple[str, ...]:
        """The base accounts `base-account:` names ("Income:Microsoft:Bing, Income:Microsoft:AzureOpenAIService"
        where a solved share stands for both), in its order."""
        return tuple(b.strip() for b in (self.base_account or "").split(",") if b.strip())

    @property
    def payer(self) -> str | None:
        """The company whose base the share is on (every base it names is one company's)."""
        return entity_of(self.base_accounts[0]) if self.base_accounts else None

    @property
    def capped(self) -> bool:
        """Whether a cap holds this accrual's share: cut it, holds it at 0, or is reached by it."""
        return self.cap is not None and (self.uncapped_share is not None or self.cap_remaining == 0)

    @property
    def remainder_interval(self) -> Interval | None:
        """The interval the amount a remainder posts stands for; None where it is exact (not ranged)."""
        if not self.ranged:
            return None
        return Interval(self.remainder_low, self.remainder_high)

    @property
    def share_interval(self) -> Interval | None:
        """The interval a share lies in: `share-low:`..`share-high:` where stated, else the share exactly.

        One end stated without the other leaves the other open: a share of a
        lower-bound revenue, or left by a base recorded as "at least", is [low, ∞).
        """
        if self.share is None:
            return None
        if self.share_low is None and self.share_high is None:
            return Interval.exact(self.share)
        return Interval(self.share_low, self.share_high)

    @property
    def base_interval(self) -> Interval | None:
        """The interval a solved base lies in (`base-low:`..`base-high:`), else the base exactly.

        As `share_interval`: one end stated without the other leaves the other
        open (the base of a share solved from revenue "at least" some amount).
        """
        if self.base is None:
            return None
        if self.base_low is None and self.base_high is None:
            return Interval.exact(self.base)
        return Interval(self.base_low, self.base_high)

    @property
    def base_moved_by(self) -> str:
        """What a solved base's range comes from, for a sentence: the revenue's stated precision, and the
        payments' and the recorded Microsoft bases' where they are ranges too."""
        inputs = ["revenue"]
        paid = self.payment_interval
        if paid is not None and not paid.is_exact:  # "300M" paid is 299.5M..300.5M
            inputs.append("payments")
        if self.microsoft_total is not None:  # a recorded Microsoft base stated as a range (0.5B..1.5B)
            inputs.append("recorded Microsoft bases")
        return "the " + ", the ".join(inputs[:-1]) + (" and the " if len(inputs) > 1 else "") + inputs[-1]

    @property
    def payment_interval(self) -> Interval | None:
        """The interval the net payments stand for: `payment-low:`..`payment-high:` where stated, else exact.

        As `share_interval`: one end stated without the other leaves the other open ("at least 300M").
        """
        if self.payment is None:
            return None
        if self.payment_low is None and self.payment_high is None:
            return Interval.exact(self.payment)
        return Interval(self.payment_low, self.payment_high)

    @property
    def revenue_interval(self) -> Interval | None:
        """The interval an implied revenue lies in: exact, a range, or [revenue, ∞) for a lower bound."""
        if self.revenue is None:
            return None
        low = self.revenue_low if self.revenue_low is not None else self.revenue
        high = self.revenue_high if self.revenue_high is not None else self.revenue
        return Interval(low, None if self.lower_bound and self.revenue_high is None else high)

    @property
    def microsoft_share_interval(self) -> Interval:
        """The Microsoft share an implied revenue counted, as an interval: [0, ∞) where no base is recorded.

        Its stated ends where its bases are ranges, an end left out the share
        itself; a lower bound's top is open (a base in force has no figure), as
        its revenue's is.
        """
        point = self.microsoft_share or Decimal(0)
        low = point if self.microsoft_share_low is None else self.microsoft_share_low
        if self.microsoft_share_high is None and self.lower_bound and self.revenue_high is None:
            return Interval(low, None)
        return Interval(low, point if self.microsoft_share_high is None else self.microsoft_share_high)

    @property
    def date(self) -> datetime.date:
        return self.entry.date

    @classmethod
    def of(cls, entry) -> Derived | None:
        """The derived entry's reading, or None for anything the plugins did not generate."""
        if not isinstance(entry, data.Transaction) or GENERATED_TAG not in (entry.tags or ()):
            return None
        meta = entry.meta or {}
        rule = meta.get(RULE)
        if rule not in RULES:
            return None
        start = meta.get(PERIOD_START)
        return cls(
            entry=entry,
            rule=rule,
            period_start=start if isinstance(start, datetime.date) else None,
            rate=_number(meta.get(RATE)),
            revenue=_number(meta.get(REVENUE)),
            share=_number(meta.get(SHARE)),
            base=_number(meta.get(BASE)),
            base_account=text_of(meta.get(BASE_ACCOUNT)),
            payment=_number(meta.get(PAYMENT)),
            microsoft_share=_number(meta.get(MICROSOFT_SHARE)),
            payment_period=text_of(meta.get(PAYMENT_PERIOD)),
            lower_bound=text_of(meta.get(BOUND)) == LOWER,
            cap=_number(meta.get(CAP)),
            cap_accrued=_number(meta.get(CAP_ACCRUED)),
            cap_remaining=_number(meta.get(CAP_REMAINING)),
            uncapped_share=_number(meta.get(CAP_UNCAPPED)),
            cap_forgone=_number(meta.get(CAP_FORGONE)),
            cap_note=text_of(meta.get(CAP_NOTE)),
            metric=text_of(meta.get(METRIC)),
            remainder=_number(meta.get(REMAINDER)),
            solved=SOLVED in meta,
            base_low=_number(meta.get(BASE_LOW)),
            base_high=_number(meta.get(BASE_HIGH)),
            base_cut=_number(meta.get(BASE_CUT)),
            formula=text_of(meta.get(FORMULA)),
            period_revenue=_number(meta.get(PERIOD_REVENUE)),
            cap_counts_from=counts_from
            if isinstance(counts_from := meta.get(CAP_COUNTS_FROM), datetime.date)
            else None,
            total_period=text_of(meta.get(TOTAL_PERIOD)),
            revenue_low=_number(meta.get(REVENUE_LOW)),
            revenue_high=_number(meta.get(REVENUE_HIGH)),
            microsoft_share_low=_number(meta.get(MICROSOFT_SHARE_LOW)),
            microsoft_share_high=_number(meta.get(MICROSOFT_SHARE_HIGH)),
            share_low=_number(meta.get(SHARE_LOW)),
            share_high=_number(meta.get(SHARE_HIGH)),
            remainder_low=_number(meta.get(REMAINDER_LOW)),
            remainder_high=_number(meta.get(REMAINDER_HIGH)),
            ranged=REMAINDER_LOW in meta or REMAINDER_HIGH in meta,
            microsoft_total=Interval(_number(meta.get(MICROSOFT_TOTAL_LOW)), _number(meta.get(MICROSOFT_TOTAL_HIGH)))
            if MICROSOFT_TOTAL_LOW in meta
            else None,
            cap_binds_from=_day(meta.get(CAP_BINDS_FROM)),
            cap_binds_by=_day(meta.get(CAP_BINDS_BY)),
            cap_accrued_range=Interval(_number(meta.get(CAP_ACCRUED_LOW)), _number(meta.get(CAP_ACCRUED_HIGH)))
            if CAP_ACCRUED_LOW in meta
            else None,
            cap_reached=_day(meta.get(CAP_REACHED)),
            payment_low=_number(meta.get(PAYMENT_LOW)),
            payment_high=_number(meta.get(PAYMENT_HIGH)),
        )


def _day(value) -> datetime.date | None:
    return value if isinstance(value, datetime.date) else None


def derived(entries, rule: str | None = None):
    """The derived entries among `entries`, of one rule if given."""
    for entry in entries:
        d = Derived.of(entry)
        if d is not None and (rule is None or d.rule == rule):
            yield d


_DATE = operator.attrgetter("date")


def insert_sorted(entries: list, generated: list) -> list:
    """`entries` (sorted by `data.entry_sortkey`, as the loader hands them over) with `generated` merged in.

    Each generated entry goes after every entry that sorts with or before it
    (as a stable sort would put it). Its place is found by a bisect on the
    date (a C-level key) and then by Beancount's sort key among that day's
    entries only: the sort key, a Python call, is read a few times per
    generated entry, not once for every entry of the books.
    """
    out, prev = [], 0
    for entry in sorted(generated, key=data.entry_sortkey):
        day = entry.date
        day_end = bisect.bisect_right(entries, day, lo=prev, key=_DATE)
        day_start = bisect.bisect_left(entries, day, lo=prev, hi=day_end, key=_DATE)
        pos = bisect.bisect_right(entries, data.entry_sortkey(entry), lo=day_start, hi=day_end, key=data.entry_sortkey)
        out.extend(entries[prev:pos])
        out.append(entry)
        prev = pos
    out.extend(entries[prev:])
    return out
