"""Reading the `custom "revenue-share"` rules out of the books.

    2019-07-22 custom "revenue-share" Income:OpenAI:Revenue "Microsoft" 0.20

A malformed rule is a Beancount error at the rule's line, never an exception:
the plugins report these errors, the reports just read the good rules.
"""

from __future__ import annotations

import collections
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data

from leakledger.model import ENTITIES, RULE_TYPE, Rule, RuleBook, entity_of

#: A malformed rule, in Beancount's error shape: (source meta, message, entry).
RuleError = collections.namedtuple("RuleError", "source message entry")


def _rule_of(entry: data.Custom, opened: set[str]) -> tuple[Rule | None, str | None]:
    values = entry.values or []
    usage = 'use: DATE custom "revenue-share" BASE-ACCOUNT "PAYEE" RATE'
    if len(values) != 3:
        return None, f"revenue-share rule needs 3 values, got {len(values)}; {usage}"
    base, payee, rate = (v.value for v in values)
    if values[0].dtype != account_lib.TYPE:
        return None, f"revenue-share rule's first value must be an account, got {base!r}; {usage}"
    if not isinstance(payee, str) or values[1].dtype is not str:
        return None, f"revenue-share rule's payee must be a string, got {payee!r}; {usage}"
    if not isinstance(rate, Decimal) or isinstance(rate, bool):
        return None, f"revenue-share rule's rate must be a number, got {rate!r}; {usage}"
    if not Decimal(0) <= rate <= Decimal(1):
        return None, f"revenue-share rate {rate} is outside [0, 1]"
    if base not in opened:
        return None, f"revenue-share base account {base} is not opened"
    if account_lib.root(1, base) != "Income":
        return None, f"revenue-share base account {base} is not an Income account: a share is of revenue"
    payer = entity_of(base)
    if payer is None:
        return None, f"revenue-share base account {base} belongs to neither {' nor '.join(ENTITIES)}"
    if payee not in ENTITIES:
        return None, f"revenue-share payee {payee!r} is not one of the entities ({', '.join(ENTITIES)})"
    if payee == payer:
        return None, f"revenue-share payee {payee!r} owns the base account {base}: a share is paid to the other entity"
    return Rule(entry.date, base, payee, rate, entry), None


def read_rules(entries) -> tuple[RuleBook, list[RuleError]]:
    """The rule book of the entries, and an error for each malformed rule."""
    opened, customs = set(), []
    for entry in entries:  # one pass: the plugins call this on every load
        kind = type(entry)
        if kind is data.Open:
            opened.add(entry.account)
        elif kind is data.Custom and entry.type == RULE_TYPE:
            customs.append(entry)
    rules, errors, seen = [], [], {}
    for entry in customs:
        rule, message = _rule_of(entry, opened)
        if rule is not None and (rule.base, rule.date) in seen:
            first = seen[rule.base, rule.date].meta
            rule, message = None, (
                f"second revenue-share rule for {rule.base} on {rule.date} "
                f"(first at {first.get('filename', '?')}:{first.get('lineno', '?')}): which rate holds is ambiguous")
        if rule is None:
            errors.append(RuleError(entry.meta, message, entry))
        else:
            seen[rule.base, rule.date] = entry
            rules.append(rule)
    return RuleBook(rules), errors
