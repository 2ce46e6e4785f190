"""Metadata and the project's `custom` directives, read typed: what each key and value must hold.

Beancount accepts any value for any key (`period-start: "garbage"`,
`qualifier: 5.00 USD`) and any values on a `custom` directive
(`custom "figure" 5 5 5`). A reader that compares or computes with such a
value either crashes (an Amount compared with text raises) or silently reads
something else (a period that is one day long). So every key the plugins
and readers use is named here once with what it holds: the integrity plugin
reports a wrong one at its line (`value_errors`, `custom_errors`), and the
readers read through `date_of`, `text_of`, `number_of` and `amount_of`, which
give None for a wrong type instead of raising.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from beancount.core.amount import Amount

from leakledger.amounts import amount_error
from leakledger.model import CAP_READING_TYPE, CAP_TYPE, CURRENCY, KINDS, METRICS, RULE_TYPE
from leakledger.periods import HORIZON, day_of, horizon_error

__all__ = [
    "KEYS",
    "Key",
    "amount_of",
    "custom_errors",
    "date_of",
    "number_of",
    "screen",
    "shown",
    "text_of",
    "value_errors",
]

DATE, TEXT, AMOUNT, FLAG = "date", "text", "amount", "flag"

_EXAMPLES = {
    DATE: "a date, e.g. 2025-01-01",
    TEXT: 'text in quotes, e.g. "…"',
    AMOUNT: "an amount, e.g. 865800000.00 USD",
    FLAG: "TRUE or FALSE",
}


@dataclass(frozen=True)
class Key:
    """One metadata key: what it holds, and the values it may take where they are a closed set."""

    name: str
    kind: str
    choices: tuple[str, ...] = ()


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        # what a figure is, and over which days
        Key("metric", TEXT),
        Key("period-start", DATE),
        Key("cumulative", AMOUNT),
        Key("cumulative-start", DATE),
        Key("known-since", DATE),
        Key("known-since-note", TEXT),  # why it counts from that day (a rule taken as known with the leak)
        Key("low", AMOUNT),
        Key("high", AMOUNT),
        Key("through", DATE),
        Key("counts-from", DATE),
        # what became of it
        Key("superseded-by", TEXT),
        Key("status", TEXT, ("superseded", "refined")),
        Key("total", AMOUNT),
        Key("remainder", AMOUNT),
        Key("refines", TEXT),
        # how sure it is, and who says so
        Key("kind", TEXT, KINDS),
        Key("qualifier", TEXT),
        Key("bound", TEXT, ("lower",)),
        Key("expected", FLAG),
        Key("rule", TEXT),
        Key("source", TEXT),
        Key("url", TEXT),
        Key("note", TEXT),
        Key("narration", TEXT),
        Key("basis", TEXT),
        Key("check", TEXT),
        Key("rounded", TEXT),
        Key("reported-by", TEXT),
        Key("reported-url", TEXT),
        Key("url-note", TEXT),
    )
}


def date_of(value) -> datetime.date | None:
    """A date value, or text `YYYY-MM-DD` (as Fava's forms write it), as a date; None for anything else."""
    return day_of(value)


def text_of(value) -> str | None:
    """A text value as it is; None for anything else (a hand-written `source: 5`)."""
    return value if isinstance(value, str) else None


def number_of(value) -> Decimal | None:
    """An Amount's number, or a number as it is; None for anything else (`"lots"`, TRUE)."""
    number = value.number if isinstance(value, Amount) else value
    return number if isinstance(number, Decimal) else None


def amount_of(value) -> Decimal | None:
    """An amount in the books' currency (or a plain number); None for anything else."""
    if isinstance(value, Amount) and value.currency != CURRENCY:
        return None
    return number_of(value)


def shown(value) -> str:
    """A value as it is written in the books: text in quotes, TRUE, 5.00 USD, 2025-01-01."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _value_error(key: Key, value, entry_date: datetime.date, ratio: bool = False) -> str | None:
    """Why `value` cannot be what `key` holds, or None."""
    if key.kind == DATE:
        day = date_of(value)
        if day is None:
            return f"{key.name}: {shown(value)} must be {_EXAMPLES[DATE]}"
        if too_far := horizon_error(day):
            return f"{key.name}: {too_far}"
        if key.name == "period-start" and day > entry_date:
            return (
                f"{key.name}: {day} is after the entry's date {entry_date}: an entry is dated on its period's last day"
            )
        return None
    if key.kind == TEXT:
        if not isinstance(value, str):
            return f"{key.name}: {shown(value)} must be {_EXAMPLES[TEXT]}"
        if key.choices and value not in key.choices:
            return f"{key.name}: {shown(value)} must be one of {', '.join(map(repr, key.choices))}"
        return None
    if key.kind == AMOUNT:
        if isinstance(value, bool) or number_of(value) is None:
            return f"{key.name}: {shown(value)} must be {_EXAMPLES[AMOUNT]}"
        if isinstance(value, Amount) and value.currency != CURRENCY:
            return f"{key.name}: {value} is in {value.currency}: the books are in {CURRENCY}"
        # A ratio's range ends are plain numbers finer than cents ("about 27%": low: 0.265); a money figure's not.
        ratio_end = ratio and key.name in _RATIO_ENDS and not isinstance(value, Amount)
        problem = amount_error(number_of(value), whole_cents=not ratio_end)
        return f"{key.name}: {problem}" if problem else None
    if key.kind == FLAG and not isinstance(value, bool):
        return f"{key.name}: {shown(value)} must be {_EXAMPLES[FLAG]}"
    return None


#: The class that makes a value right at once, by key: the integrity plugin meets every entry, and
#: most of their keys are Beancount's own (filename, lineno) or text.
_RIGHT_CLASS = {
    "filename": str,
    "lineno": int,
    "__tolerances__": dict,  # Beancount's booking writes it on every transaction
    **{k.name: str for k in KEYS.values() if k.kind == TEXT and not k.choices},
    **{k.name: bool for k in KEYS.values() if k.kind == FLAG},
}


#: What `screen` finds: a value that may be wrong (`value_errors` says which), text that may be markup.
SUSPECT_VALUE, SUSPECT_MARKUP = 1, 2


def screen(entry) -> int:
    """A first look at a hand-written entry's metadata: SUSPECT_VALUE | SUSPECT_MARKUP, or 0 when all is right.

    One loop for both checks the integrity plugin makes of every entry: a
    value of a known key that is not right at once (its class, a date inside
    the horizon), and text holding '<' or '=' (markup needs one; the pattern
    runs only then). Allocates nothing.
    """
    meta = entry.meta
    if not meta:
        return 0
    found = 0
    for name, value in meta.items():
        cls = value.__class__
        if cls is str and ("<" in value or "=" in value):
            found |= SUSPECT_MARKUP
        if _RIGHT_CLASS_OF(name) is cls:
            continue
        if (  # a date key holding a date inside the horizon (period-start: not after the entry): right at once
            cls is datetime.date
            and name in _DATE_KEYS
            and _FIRST_DAY <= value <= _LAST_DAY
            and (name != "period-start" or value <= entry.date)
        ):
            continue
        if name in KEYS:
            found |= SUSPECT_VALUE
    return found


def value_errors(entry) -> list[str]:
    """Why each of a hand-written entry's known metadata keys holds a wrong value (empty if none).

    Allocates nothing for an entry that is right (`screen` says so first): a
    list per entry of a large ledger costs more in garbage-collector passes
    than the checks themselves.
    """
    if not screen(entry) & SUSPECT_VALUE:
        return _NOTHING
    found = _NOTHING
    ratio = states_a_ratio(entry)
    for name, value in entry.meta.items():
        key = KEYS.get(name)
        if key is not None and (problem := _value_error(key, value, entry.date, ratio)):
            found = [*found, problem]
    return found


def states_a_ratio(entry) -> bool:
    """Whether an entry is a figure record of a plain number (a stake, a margin): a ratio, not money."""
    values: list = getattr(entry, "values", None) or []
    if getattr(entry, "type", None) != "figure" or len(values) != ARITY["figure"]:
        return False
    number = values[1].value
    return isinstance(number, Decimal) and not isinstance(number, bool)


_RATIO_ENDS = frozenset({"low", "high"})  # the keys a ratio's range is written in
_DATE_KEYS = frozenset(k.name for k in KEYS.values() if k.kind == DATE)
_FIRST_DAY, _LAST_DAY = datetime.date(HORIZON[0], 1, 1), datetime.date(HORIZON[1], 12, 31)  # horizon_error's
_RIGHT_CLASS_OF = _RIGHT_CLASS.get  # bound once: a bound method per call is an allocation per entry
_NOTHING: list[str] = []  # never appended to: value_errors returns a new list when it finds something


# --- the custom directives ----------------------------------------------------

#: `custom "figure" "METRIC" AMOUNT`: the one shape of a figure record (the rules and caps: leakledger.rules).
FIGURE_USAGE = (
    'use: DATE custom "figure" "METRIC" AMOUNT (e.g. 3700000000.00 USD, a ratio such as 0.27, '
    "or a stated fact in quotes)"
)
#: The custom directives the project defines, and how many values each takes (the rules module checks their types).
ARITY = {"figure": 2, RULE_TYPE: 3, CAP_TYPE: 3, CAP_READING_TYPE: 1}


def custom_errors(entry) -> list[str]:
    """Why a `custom "figure"` record's values are not "METRIC" AMOUNT (empty if they are).

    The amount is an amount in USD, a plain number (a ratio, a stake) or text
    (a stated fact, such as an accounting method: no amount to read), though
    a metric the model posts (METRICS) always takes an amount. A record
    with other values would be read as something it does not say:
    `custom "figure" 5 5 5` as a metric called "5".
    """
    values = entry.values or []
    if len(values) != ARITY["figure"]:
        return [f"a figure record takes 2 values, got {len(values)}; {FIGURE_USAGE}"]
    metric, amount = values[0].value, values[1].value
    found = []
    if values[0].dtype is not str or not isinstance(metric, str) or not metric.strip():
        found.append(f"a figure record's first value is its metric in quotes, got {shown(metric)}; {FIGURE_USAGE}")
    if isinstance(amount, Amount):
        if amount.currency != CURRENCY:
            found.append(f"a figure record's amount is in {amount.currency}: the books are in {CURRENCY}")
        elif problem := amount_error(amount.number):
            found.append(problem)
    elif values[1].dtype is str and isinstance(amount, str) and metric not in METRICS:
        pass  # a stated fact (an accounting method): the readers find no amount in it, and say none
    elif not isinstance(amount, Decimal) or isinstance(amount, bool) or values[1].dtype is not Decimal:
        found.append(f"a figure record's second value is its amount, got {shown(amount)}; {FIGURE_USAGE}")
    elif problem := amount_error(amount, whole_cents=False):  # a ratio (0.275), as its low:/high: may be
        found.append(problem)
    return found
