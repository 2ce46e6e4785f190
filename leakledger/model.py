"""The model: entities, accounts, kinds, metrics and the share arithmetic.

Everything that says *what posts where* or *how a share is computed* lives
here, once: the plugins derive entries with it, the CLI and the importers
write figures with it, and the reports recompute their tables with it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from leakledger.amounts import cents
from leakledger.intervals import Interval

ENTITIES = ("OpenAI", "Microsoft")
KINDS = ("leaked", "disclosed", "reported", "claimed", "assumed")
#: The kinds a figure dated after today may have: an assumption (a projection) may
#: lie in the future; a leak, a filing, a report or a claim speaks of what has been.
FUTURE_KINDS = ("assumed",)
GENERATED_TAG = "generated"
CURRENCY = "USD"


#: The root accounts a balance sheet holds (Beancount's default names: the books keep them).
BALANCE_ROOTS = ("Assets", "Liabilities", "Equity")


@functools.lru_cache(maxsize=8192)
def entity_of(account: str) -> str | None:
    """The entity an account belongs to: its second component, if it is one (cached: a book has few accounts)."""
    parts = account.split(":", 2)
    if len(parts) > 1 and parts[1] in ENTITIES:
        return parts[1]
    return None


class A:
    """The account tree of docs/model.md (names are public interface)."""

    OAI_CASH = "Assets:OpenAI:Cash"
    OAI_DUE_FROM_MS = "Assets:OpenAI:Due:Microsoft"
    OAI_DUE_TO_MS = "Liabilities:OpenAI:Due:Microsoft"
    OAI_EQUITY_MS = "Equity:OpenAI:Investment:Microsoft"
    OAI_UNITEMIZED = "Equity:OpenAI:Unitemized"  # pads OpenAI's cash to the balances the sources give
    OAI_REVENUE = "Income:OpenAI:Revenue"
    OAI_SHARE_INCOME = "Income:OpenAI:RevenueShare:Microsoft"
    OAI_SHARE_EXPENSE = "Expenses:OpenAI:RevenueShare:Microsoft"
    OAI_INFERENCE = "Expenses:OpenAI:Compute:Inference"
    OAI_TRAINING = "Expenses:OpenAI:Compute:Training"
    OAI_COSTS_NOT_ITEMIZED = "Expenses:OpenAI:Costs:NotItemized"  # audited costs less what the books itemize
    MS_CASH = "Assets:Microsoft:Cash"
    MS_INVESTMENT = "Assets:Microsoft:Investment:OpenAI"
    MS_DUE_FROM_OAI = "Assets:Microsoft:Due:OpenAI"
    MS_DUE_TO_OAI = "Liabilities:Microsoft:Due:OpenAI"
    MS_SHARE_INCOME = "Income:Microsoft:RevenueShare:OpenAI"
    MS_AZURE_COMPUTE = "Income:Microsoft:Azure:OpenAICompute"
    MS_BING = "Income:Microsoft:Bing"
    MS_AZURE_OPENAI = "Income:Microsoft:AzureOpenAIService"
    MS_SHARE_EXPENSE = "Expenses:Microsoft:RevenueShare:OpenAI"
    MS_LOSSES = "Expenses:Microsoft:OpenAILosses"


ACCOUNTS = tuple(v for k, v in vars(A).items() if k.isupper())


@dataclass(frozen=True)
class ShareLegs:
    """Where a share of one entity's revenue accrues, in both entities' books."""

    payer: str
    payee: str
    payer_expense: str
    payer_due: str  # liability of the payer
    payee_due: str  # asset of the payee
    payee_income: str


#: The payer of a share is the entity that owns the base account.
SHARE_LEGS = {
    "OpenAI": ShareLegs(
        "OpenAI", "Microsoft", A.OAI_SHARE_EXPENSE, A.OAI_DUE_TO_MS, A.MS_DUE_FROM_OAI, A.MS_SHARE_INCOME
    ),
    "Microsoft": ShareLegs(
        "Microsoft", "OpenAI", A.MS_SHARE_EXPENSE, A.MS_DUE_TO_OAI, A.OAI_DUE_FROM_MS, A.OAI_SHARE_INCOME
    ),
}
#: The accounts a share's accrual posts its amount to (each side's expense and income), and its Dues.
SHARE_ACCOUNTS = frozenset(a for legs in SHARE_LEGS.values() for a in (legs.payer_expense, legs.payee_income))
DUE_ACCOUNTS = frozenset(a for legs in SHARE_LEGS.values() for a in (legs.payer_due, legs.payee_due))


@dataclass(frozen=True)
class Metric:
    """A kind of figure people record, and the postings one amount makes.

    `legs` are (account, sign) pairs; every metric balances within each entity.
    `negative` says what a negative amount records (a loss share's gain), and
    `negative_narration` names such a figure; None: its figures are positive
    totals, and `sign_error` refuses a negative one.
    """

    name: str
    summary: str
    legs: tuple[tuple[str, int], ...]
    narration: str
    negative: str | None = None
    negative_narration: str | None = None


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "revenue-share",
            "net revenue share OpenAI paid Microsoft (OpenAI's 20% less Microsoft's 20%)",
            ((A.OAI_DUE_TO_MS, +1), (A.OAI_CASH, -1), (A.MS_CASH, +1), (A.MS_DUE_FROM_OAI, -1)),
            "Revenue share OpenAI paid Microsoft, net",
        ),
        Metric(
            "inference",
            "OpenAI's inference spend on Microsoft Azure (Microsoft's Azure income)",
            ((A.OAI_INFERENCE, +1), (A.OAI_CASH, -1), (A.MS_CASH, +1), (A.MS_AZURE_COMPUTE, -1)),
            "OpenAI inference spend on Azure",
        ),
        Metric(
            "training",
            "training compute on Azure, paid with Microsoft credits (non-cash funding)",
            ((A.OAI_TRAINING, +1), (A.OAI_EQUITY_MS, -1), (A.MS_INVESTMENT, +1), (A.MS_AZURE_COMPUTE, -1)),
            "OpenAI training compute on Azure, paid with Microsoft credits",
        ),
        Metric(
            "revenue",
            "OpenAI's revenue (the base of OpenAI's share to Microsoft)",
            ((A.OAI_CASH, +1), (A.OAI_REVENUE, -1)),
            "OpenAI revenue",
        ),
        Metric(
            "bing-revenue",
            "Microsoft's Bing revenue that its share to OpenAI applies to",
            ((A.MS_CASH, +1), (A.MS_BING, -1)),
            "Microsoft Bing revenue subject to the share",
        ),
        Metric(
            "azure-openai-revenue",
            "Microsoft's Azure OpenAI Service revenue that its share to OpenAI applies to",
            ((A.MS_CASH, +1), (A.MS_AZURE_OPENAI, -1)),
            "Microsoft Azure OpenAI Service revenue",
        ),
        Metric(
            "investment",
            "Microsoft's funding of OpenAI",
            ((A.OAI_CASH, +1), (A.OAI_EQUITY_MS, -1), (A.MS_INVESTMENT, +1), (A.MS_CASH, -1)),
            "Microsoft funding of OpenAI",
        ),
        Metric(
            "losses-share",
            "Microsoft's share of OpenAI's losses (equity method)",
            ((A.MS_LOSSES, +1), (A.MS_INVESTMENT, -1)),
            "Microsoft's share of OpenAI losses (equity method)",
            # FACTS: a ~10B gain for 2025-Q4, 6.5B for FY2026 (MSQ2, MSK): the books post them as negative losses.
            negative="a gain, Microsoft's net gain from OpenAI, is a negative loss share",
            negative_narration="Microsoft's net gain from OpenAI (equity method)",  # as the books name one
        ),
    )
}

#: The metric of OpenAI's net payment, which the plugins settle and derive from.
PAYMENT_METRIC = "revenue-share"


def with_article(word: str) -> str:
    """`word` after its article, as messages name a metric or a kind: "an inference", "a revenue-share"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def sign_error(metric: str, lowest: Decimal, shown: str) -> str | None:
    """Why a `metric` figure cannot be `shown`, whose least value is `lowest`, by its sign; None if it can.

    The one rule `add`, leak sheets (beangulp, `import`) and Fava's add form
    apply: only a metric whose `negative` says what a negative amount means
    takes one. One line, naming the metric and those that may be negative.
    """
    spec = METRICS[metric]
    if lowest >= 0 or spec.negative:
        return None
    signed = "; ".join(
        f"{with_article(m.name)} figure may be negative ({m.negative})" for m in METRICS.values() if m.negative
    )
    return f"amount {shown} is negative: {with_article(metric)} figure is a positive total; only {signed}"


def narration_of(metric: str, amount: Decimal) -> str:
    """How a figure of `metric` is named: a negative one by what it records ("Microsoft's net gain from OpenAI")."""
    spec = METRICS[metric]
    return spec.negative_narration if amount < 0 and spec.negative_narration else spec.narration


def postings_for(metric: str, amount: Decimal) -> list[tuple[str, Decimal]]:
    """The (account, units) legs one figure of `metric` posts."""
    return [(account, sign * amount) for account, sign in METRICS[metric].legs]


# --- the share arithmetic -------------------------------------------------


def share_of(base: Decimal, rate: Decimal) -> Decimal:
    """The share of a base amount at a rate, to the cent."""
    return cents(base * rate)


def implied_revenue(payment: Decimal, microsoft_share: Decimal, openai_rate: Decimal) -> Decimal:
    """OpenAI revenue that a net payment implies: (N + Microsoft's share) / rate.

    Quantized to the cent; for any rate in (0, 1] the share of the result
    rounds back to exactly N + Microsoft's share.
    """
    if openai_rate <= 0:
        raise ZeroDivisionError("no OpenAI share rate in force: revenue cannot be implied")
    return cents((payment + microsoft_share) / openai_rate)


def implied_revenue_split(payment: Decimal, microsoft_share: Decimal, spans) -> list[Decimal]:
    """Implied revenue over a period whose rate changes: one amount per span.

    `spans` are (days, rate) pieces of the period. Revenue is spread by days
    at the day-weighted rate, and the span with the largest share takes the
    remainder, so the shares of the pieces add up to exactly
    N + Microsoft's share. One span gives `implied_revenue`.
    """
    spans = [(int(days), Decimal(rate)) for days, rate in spans]
    total = payment + microsoft_share
    days = sum(d for d, _ in spans)
    weighted = sum((d * r for d, r in spans), Decimal(0)) / days if days else Decimal(0)
    if weighted <= 0:
        raise ZeroDivisionError("no OpenAI share rate in force: revenue cannot be implied")
    last = max(range(len(spans)), key=lambda i: spans[i][0] * spans[i][1])
    revenue = total / weighted
    pieces = [cents(revenue * d / days) for d, _ in spans]
    others = sum((share_of(p, r) for i, (p, (_, r)) in enumerate(zip(pieces, spans)) if i != last), Decimal(0))
    pieces[last] = implied_revenue(total - others, Decimal(0), spans[last][1])
    if pieces[last] < 0 <= total:  # a few cents spread over many spans: rounding ate the remainder
        pieces = [Decimal("0.00")] * len(spans)
        pieces[last] = implied_revenue(total, Decimal(0), spans[last][1])
    return pieces


def reconciling_base(
    reported_revenue: Decimal, payment: Decimal, openai_rate: Decimal, microsoft_rate: Decimal
) -> Decimal:
    """Microsoft revenue base that would square a reported revenue with the net payment.

    (OpenAI's rate × reported − payment) ÷ Microsoft's rate.
    """
    if microsoft_rate <= 0:
        raise ZeroDivisionError("no Microsoft share rate in force")
    return cents((openai_rate * reported_revenue - payment) / microsoft_rate)


def solved_share(openai_share: Decimal, payment: Decimal, microsoft_recorded: Decimal = Decimal(0)) -> Decimal:
    """Microsoft's share where OpenAI's revenue and the net payment over one span are both known.

    The payment is OpenAI's share less Microsoft's, so Microsoft's share is
    OpenAI's share less the payment, less whatever Microsoft share the books
    already accrue from recorded Microsoft bases in the span. Exact, not a bound.
    """
    return cents(openai_share - payment - microsoft_recorded)


def base_of_share(share: Decimal, rate: Decimal) -> Decimal:
    """The revenue base a share stands for at a rate: share / rate, to the cent."""
    if rate <= 0:
        raise ZeroDivisionError("no share rate in force: the base cannot be solved")
    return cents(share / rate)


def day_split(amount: Decimal, days: list[int]) -> list[Decimal]:
    """`amount` spread by days over consecutive pieces, to the cent; the last piece takes the rest."""
    total = sum(days)
    pieces = [cents(amount * d / total) for d in days[:-1]]
    return [*pieces, amount - sum(pieces, Decimal(0))]


def capped_shares(shares, cap: Decimal, accrued: Decimal = Decimal(0)) -> list[Decimal]:
    """Each share, in order, as a cap on their running total lets it accrue.

    A share accrues whole while the total stays within the cap; the share
    that crosses it is cut to what remains, to the cent; every later share
    accrues nothing. `accrued` is what already counts against the cap. A
    negative share (a correction) accrues whole and gives room back.
    """
    out = []
    for share in shares:
        take = _take(share, cap - accrued)
        out.append(cents(take))
        accrued += take
    return out


def _take(share: Decimal | None, room: Decimal) -> Decimal:
    """What of a share the room left under a cap lets accrue (None: a share open above takes all the room)."""
    return share if share is not None and share <= room else max(room, Decimal(0))


def capped_intervals(ends, cap: Decimal, floors=None) -> list[tuple[Decimal, Decimal]]:
    """Each share's (low, high) as a cap on their running total lets it accrue, the shares anywhere in their ends.

    `ends`: (low, high) per share in order, high None where open. The cap
    leaves least room for a share when every earlier one is at its high end,
    most when every one is at its low end; so a share accrues at least
    min(low, least room) and at most min(high, most room). A high end open
    above closes at the room, and once the low ends reach the cap every later
    share is exactly 0, whatever it would have been: min(x, 0).

    `floors`: per share, what it accrued whatever the cap (0 where nothing
    says; at most its low end): a share of the revenue a net payment implies
    was paid, so the cap left room for it. A share with a paid one after it
    never met the cap (that one would have accrued 0), so it accrues at least
    its low end; and none accrues more than the room the paid ones after it
    leave. Floors the cap cannot hold (more paid than it allows) say nothing.
    """
    floors = [Decimal(0)] * len(ends) if floors is None else list(floors)
    if not floors_fit(ends, floors, cap):
        floors = [Decimal(0)] * len(ends)
    after, paid = [], Decimal(0)  # paid after each share: the floors to its right, added up
    for floor in reversed(floors):
        after.append(paid)
        paid += floor
    after.reverse()
    out = []
    at_lows = at_highs = Decimal(0)  # accrued if every share so far were at its low end, at its high end
    for (low, high), floor, later in zip(ends, floors, after):
        least = low if later > 0 else max(_take(low, cap - at_highs), min(floor, low))
        out.append((cents(least), cents(_take(high, cap - at_lows - later))))
        at_lows += _take(low, cap - at_lows)
        at_highs += _take(high, cap - at_highs)
    return out


def floors_fit(ends, floors: list[Decimal], cap: Decimal) -> bool:
    """Whether some shares in their ends, held to the cap, accrue each at least its floor: where every share
    is at its low end, the least that accrues before each (shares never below 0; a correction says nothing)."""
    if not any(floors):
        return True
    if any(low < 0 for low, _ in ends):
        return False
    accrued = Decimal(0)
    for (low, _), floor in zip(ends, floors):
        take = _take(low, cap - accrued)
        if take < floor:
            return False
        accrued += take
    return True


def held_to_caps(shares: Iterable[tuple[Any, Interval]], counted: Mapping[Any, Decimal] | None = None) -> Interval:
    """Shares added up, what counts against each cap held to at most it: [(cap key or None, interval), ...].

    Each capped share's own range allows for the others' (`capped_intervals`),
    so their ranges added may pass the cap (800..1,000 and 0..200 under a cap of
    1,000 add to 800..1,200): each cap's shares are cut back to it. The key
    names the cap a share counts against ((base account, amount)); None for a
    share that counts against none. `counted`, per cap key, the low ends of
    every share the books count against it, added up: the shares given then
    hold at most the cap less the low ends of the others (what was paid
    outside them used the cap too).
    """
    inside: dict[Any, Interval] = {}
    total = Interval.exact(Decimal(0))
    for key, interval in shares:
        if key is None:
            total = total + interval
        else:
            inside[key] = inside.get(key, Interval.exact(Decimal(0))) + interval
    for key, interval in inside.items():
        room = key[1]
        if counted is not None and key in counted and interval.low is not None:
            room -= max(counted[key] - interval.low, Decimal(0))  # the others' low ends: never below 0
        total = total + interval.intersection(Interval(None, max(room, interval.low or Decimal(0))))
    return total


# --- rules ----------------------------------------------------------------

RULE_TYPE = "revenue-share"
CAP_TYPE = "revenue-share-cap"
#: `DATE custom "revenue-share-cap-reading" BASE-ACCOUNT` with `counts-from: DATE`: a scenario's
#: other reading of when the base's cap starts counting.
CAP_READING_TYPE = "revenue-share-cap-reading"
#: The cap directive's metadata key: the first day whose accruals count against it.
COUNTS_FROM = "counts-from"


@dataclass(frozen=True)
class Rule:
    """`DATE custom "revenue-share" BASE-ACCOUNT "PAYEE" RATE`, in force from DATE."""

    date: datetime.date
    base: str
    payee: str
    rate: Decimal
    entry: Any = None  # the custom directive it was read from

    @property
    def payer(self) -> str | None:
        """The entity whose base it is: always one for a rule `read_rules` accepted."""
        return entity_of(self.base)


@dataclass(frozen=True)
class Cap:
    """`DATE custom "revenue-share-cap" BASE-ACCOUNT "PAYEE" AMOUNT` with `counts-from: DATE`.

    The share of `base` accrued since `counts_from` never exceeds `amount`.
    """

    date: datetime.date
    base: str
    payee: str
    amount: Decimal
    counts_from: datetime.date
    entry: Any = None  # the custom directive it was read from
    reading: Any = None  # the `revenue-share-cap-reading` that set `counts_from`, if one did


class RuleBook:
    """The rules in force by date: a rule holds until a later one for its base; and the caps, one per base."""

    def __init__(self, rules: Iterable[Rule], caps: Iterable[Cap] = ()):
        self._by_base: dict[str, list[Rule]] = {}
        for rule in sorted(rules, key=lambda r: r.date):
            self._by_base.setdefault(rule.base, []).append(rule)
        self.caps: dict[str, Cap] = {cap.base: cap for cap in caps}

    @property
    def bases(self) -> list[str]:
        return list(self._by_base)

    def rules_of(self, base: str) -> list[Rule]:
        """Every rule for `base`, oldest first."""
        return list(self._by_base.get(base, ()))

    def bases_of(self, payer: str) -> list[str]:
        return [b for b in self._by_base if entity_of(b) == payer]

    def rule_at(self, base: str, day: datetime.date) -> Rule | None:
        """The rule in force for `base` on `day`, or None (no rule yet)."""
        found = None
        for rule in self._by_base.get(base, ()):
            if rule.date <= day:
                found = rule
            else:
                break
        return found

    def spans(self, base: str, start: datetime.date, end: datetime.date) -> list[tuple]:
        """[start, end] cut where `base`'s rule changes: (start, end, rule or None) pieces."""
        pieces, rule = [], self.rule_at(base, start)
        for later in self._by_base.get(base, ()):
            if start < later.date <= end:
                pieces.append((start, later.date - datetime.timedelta(days=1), rule))
                start, rule = later.date, later
        pieces.append((start, end, rule))
        return pieces

    def rate_at(self, base: str, day: datetime.date) -> Decimal:
        rule = self.rule_at(base, day)
        return rule.rate if rule else Decimal(0)

    def payer_rate_at(self, payer: str, day: datetime.date) -> Decimal:
        """The rate on `payer`'s revenue on `day` (the highest among its bases)."""
        rates = [self.rate_at(b, day) for b in self.bases_of(payer)]
        return max(rates, default=Decimal(0))

    def __iter__(self):
        for rules in self._by_base.values():
            yield from rules
