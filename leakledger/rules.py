"""Reading the `custom "revenue-share"` rules and `custom "revenue-share-cap"` caps out of the books.

    2019-07-22 custom "revenue-share" Income:OpenAI:Revenue "Microsoft" 0.20
    2026-04-27 custom "revenue-share-cap" Income:OpenAI:Revenue "Microsoft" 38000000000.00 USD
      counts-from: 2026-04-27

A scenario book that includes the books holds the other reading of a cap's
start with `custom "revenue-share-cap-reading" BASE-ACCOUNT` and its own
`counts-from:` (one per cap), so the cap itself is written once.

A malformed rule or cap is a Beancount error at its line, never an
exception: the plugins report these errors, the reports just read the good
rules. A rule or cap dated inside a payment's period where a cap counts
splits that payment by days (`split_days`).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

from leakledger.model import (
    CAP_READING_TYPE,
    CAP_TYPE,
    COUNTS_FROM,
    CURRENCY,
    ENTITIES,
    RULE_TYPE,
    Cap,
    Rule,
    RuleBook,
    entity_of,
)

#: A malformed rule, in Beancount's error shape: (source meta, message, entry).
RuleError = collections.namedtuple("RuleError", "source message entry")


def _base_payee_error(what: str, base: str, payee: str, opened: set[str]) -> str | None:
    """Why a rule's or cap's base account and payee cannot be, or None."""
    if base not in opened:
        return f"{what} base account {base} is not opened"
    if account_lib.root(1, base) != "Income":
        return f"{what} base account {base} is not an Income account: a share is of revenue"
    payer = entity_of(base)
    if payer is None:
        return f"{what} base account {base} belongs to neither {' nor '.join(ENTITIES)}"
    if payee not in ENTITIES:
        return f"{what} payee {payee!r} is not one of the entities ({', '.join(ENTITIES)})"
    if payee == payer:
        return f"{what} payee {payee!r} owns the base account {base}: a share is paid to the other entity"
    return None


def _head_error(what: str, values, usage: str) -> str | None:
    """Why a directive's first two values are not BASE-ACCOUNT "PAYEE", or None."""
    if len(values) != 3:
        return f"{what} needs 3 values, got {len(values)}; {usage}"
    if values[0].dtype != account_lib.TYPE:
        return f"{what}'s first value must be an account, got {values[0].value!r}; {usage}"
    if not isinstance(values[1].value, str) or values[1].dtype is not str:
        return f"{what}'s payee must be a string, got {values[1].value!r}; {usage}"
    return None


def _rule_of(entry: data.Custom, opened: set[str]) -> tuple[Rule | None, str | None]:
    values = entry.values or []
    usage = 'use: DATE custom "revenue-share" BASE-ACCOUNT "PAYEE" RATE'
    message = _head_error("revenue-share rule", values, usage)
    if message:
        return None, message
    base, payee, rate = (v.value for v in values)
    if not isinstance(rate, Decimal) or isinstance(rate, bool):
        return None, f"revenue-share rule's rate must be a number, got {rate!r}; {usage}"
    if not Decimal(0) <= rate <= Decimal(1):
        return None, f"revenue-share rate {rate} is outside [0, 1]"
    message = _base_payee_error("revenue-share", base, payee, opened)
    if message:
        return None, message
    return Rule(entry.date, base, payee, rate, entry), None


def _cap_of(entry: data.Custom, opened: set[str]) -> tuple[Cap | None, str | None]:
    values = entry.values or []
    usage = f'use: DATE custom "{CAP_TYPE}" BASE-ACCOUNT "PAYEE" AMOUNT {CURRENCY}, with {COUNTS_FROM}: DATE'
    message = _head_error(CAP_TYPE, values, usage)
    if message:
        return None, message
    base, payee, amount = (v.value for v in values)
    if not isinstance(amount, Amount) or not isinstance(amount.number, Decimal):
        return None, f"{CAP_TYPE}'s amount must be an amount in {CURRENCY}, got {amount!r}; {usage}"
    if amount.currency != CURRENCY:
        return None, f"{CAP_TYPE}'s amount is in {amount.currency}: the books are in {CURRENCY}"
    if amount.number <= 0:
        return None, f"{CAP_TYPE}'s amount {amount.number} must be above zero"
    counts_from, message = _counts_from(CAP_TYPE, entry)
    if message:
        return None, message
    message = _base_payee_error(CAP_TYPE, base, payee, opened)
    if message:
        return None, message
    return Cap(entry.date, base, payee, amount.number, counts_from, entry), None


def _counts_from(what: str, entry) -> tuple[datetime.date | None, str | None]:
    counts_from = (entry.meta or {}).get(COUNTS_FROM)
    if counts_from is None:
        return None, (
            f"{what} has no {COUNTS_FROM}: date; whether a cap counts what accrued before "
            f"it was agreed is a reading the books must state"
        )
    if not isinstance(counts_from, datetime.date):
        return None, f"{what}'s {COUNTS_FROM}: {counts_from!r} must be a date (YYYY-MM-DD)"
    return counts_from, None


def _read_caps(cap_entries, reading_entries, opened, errors) -> list[Cap]:
    """The caps, one per base, each with a scenario's reading of its start applied; errors for the rest."""
    caps: dict[str, Cap] = {}
    for entry in cap_entries:
        cap, message = _cap_of(entry, opened)
        if cap is not None and cap.base in caps:
            cap, message = (
                None,
                (
                    f"second {CAP_TYPE} for {cap.base} (first at {_where(caps[cap.base].entry)}): "
                    f"a base has one cap; a scenario states another start with {CAP_READING_TYPE}"
                ),
            )
        if cap is None:
            errors.append(RuleError(entry.meta, message, entry))
        else:
            caps[cap.base] = cap
    for entry in reading_entries:
        values = entry.values or []
        base = values[0].value if len(values) == 1 and values[0].dtype == account_lib.TYPE else None
        counts_from, message = _counts_from(CAP_READING_TYPE, entry)
        if base is None:
            message = f'{CAP_READING_TYPE} needs one value, the capped base account; use: DATE custom "{CAP_READING_TYPE}" BASE-ACCOUNT'
        elif message is None and base not in caps:
            message = f"{CAP_READING_TYPE} for {base}: the books have no {CAP_TYPE} for it"
        elif message is None and caps[base].reading is not None:
            message = (
                f"second {CAP_READING_TYPE} for {base} (first at {_where(caps[base].reading)}): "
                f"which reading holds is ambiguous"
            )
        if message:
            errors.append(RuleError(entry.meta, message, entry))
        else:
            caps[base] = dataclasses.replace(caps[base], counts_from=counts_from, reading=entry)
    return list(caps.values())


def _where(entry) -> str:
    return f"{entry.meta.get('filename', '?')}:{entry.meta.get('lineno', '?')}"


def read_rules(entries) -> tuple[RuleBook, list[RuleError]]:
    """The rule book of the entries, and an error for each malformed rule."""
    opened, customs, cap_entries, readings = set(), [], [], []
    for entry in entries:  # one pass: the plugins call this on every load
        kind = type(entry)
        if kind is data.Open:
            opened.add(entry.account)
        elif kind is data.Custom and entry.type == RULE_TYPE:
            customs.append(entry)
        elif kind is data.Custom and entry.type == CAP_TYPE:
            cap_entries.append(entry)
        elif kind is data.Custom and entry.type == CAP_READING_TYPE:
            readings.append(entry)
    rules, errors, seen = [], [], {}
    for entry in customs:
        rule, message = _rule_of(entry, opened)
        if rule is not None and (rule.base, rule.date) in seen:
            rule, message = (
                None,
                (
                    f"second revenue-share rule for {rule.base} on {rule.date} "
                    f"(first at {_where(seen[rule.base, rule.date])}): which rate holds is ambiguous"
                ),
            )
        if rule is None:
            errors.append(RuleError(entry.meta, message, entry))
        else:
            seen[rule.base, rule.date] = entry
            rules.append(rule)
    return RuleBook(rules, _read_caps(cap_entries, readings, opened, errors)), errors


def split_days(book: RuleBook, period) -> list[datetime.date]:
    """The days inside `period` where a payment over it is split, so that each part meets its own terms.

    A cap counts its base's accruals in date order from `counts-from:`, so a
    payment whose period holds a cap's date or `counts-from:`, or a rule
    change on or after the first day a cap counts, is split by days there
    (the shares plugin): the part before the day accrues as it did, the part
    from it counts against the cap. Sources give one figure for the quarter,
    never the split. Before any cap counts, a rate change inside a period is
    spread by days over the base's own rule spans, as always.
    """
    if not book.caps:
        return []

    def inside(day) -> bool:
        return period.start < day <= period.end

    days = {d for cap in book.caps.values() for d in (cap.counts_from, cap.date) if inside(d)}
    first_count = min(cap.counts_from for cap in book.caps.values())
    if period.end >= first_count:
        days |= {rule.date for rule in book if inside(rule.date)}
    return sorted(days)
