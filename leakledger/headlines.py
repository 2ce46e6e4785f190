"""The one line `leakledger explain` heads an entry with, and so each published figure page.

A figure reads as its source states it and in its own unit: a rounded figure
as the range its `low:`/`high:` stand for, with the point the books post; a
bound as "at least" (`low:` and `posted-as: "low"`); a stake or a margin as a
percent, never dollars; a text value as its text; each with its
`qualifier:` and `stated:` words ("more than 20B"). Any other entry says
what it is: the amount and tolerance a balance asserts, the accounts a pad
moves between, the rule a `revenue-share` directive sets, the account an
`open` opens. The words come from `leakledger.presentation`; this only
chooses which apply.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import account, data, flags
from beancount.core.amount import Amount

from leakledger.figures import Figure, figure_of, kinds_of, record_value, usd
from leakledger.intervals import Interval
from leakledger.metadata import text_of
from leakledger.model import RULE_TYPE
from leakledger.presentation import bracket_text, number_text, percent_range_text, range_note, rate_text, rule_text
from leakledger.table_numbers import span_text

__all__ = ["usd_range", "figure_value_text", "headline"]


def usd_range(interval: Interval | None) -> str:
    """A range as explain writes amounts: "1,181,000,000.00 USD..1,281,000,000.00 USD", an open end said."""
    if interval is None:
        return usd(None)
    if interval.high is None:
        return f"at least {usd(interval.low)} (no upper end)"
    if interval.low is None:
        return f"at most {usd(interval.high)} (no lower end)"
    return span_text(interval.low, interval.high, usd)


def _number_range(interval: Interval) -> str:
    """A bare number's range: as percents where it is a fraction ("26.5%–27.5%", "≥ 20%"), else its ends."""
    ends = [end for end in (interval.low, interval.high) if end is not None]
    return percent_range_text(interval) if all(abs(end) <= 1 for end in ends) else bracket_text(interval)


def figure_value_text(fig: Figure) -> str:
    """A figure's value in its own unit, with the range or bound it stands for and its source's words.

    'stated "more than 20B": at least 20,000,000,000.00 USD (no upper end)',
    'stated "about 27%": 26.5%–27.5% (midpoint 27%)', '"equity method by ... (HLBV)"', "493,800,000.00 USD".
    """
    value = record_value(fig.entry)
    if isinstance(value, str):
        return f'"{value}"'
    interval = fig.interval
    if fig.amount is None or interval is None:
        return "no amount"
    meta = fig.entry.meta or {}
    # the source's own range first, then what a record over a longer period leaves of it
    pinned = f", pinned to {usd_range(interval)} by {fig.pinned_by}" if fig.pinned_by else ""
    interval = fig.stated_interval or interval
    money = not isinstance(value, Decimal)  # an Amount, or what a transaction posts
    if interval.is_exact:
        shown = usd(fig.amount) if money else number_text(fig.amount)
    elif money:
        shown = usd_range(interval)
        shown += f" ({range_note(interval, fig.amount, usd)})" if interval.bounded else ""
    else:
        shown = _number_range(interval)
        shown += f" ({range_note(interval, fig.amount, rate_text)})" if interval.bounded else ""
    qualifier, stated = text_of(meta.get("qualifier")), text_of(meta.get("stated"))
    if stated:
        return f'stated "{" ".join(w for w in (qualifier, stated) if w)}": {shown}{pinned}'
    return f"{qualifier} {shown}{pinned}" if qualifier else shown + pinned


def _kind(entry) -> str:
    kinds = kinds_of(entry)
    return f", {kinds[0]}" if len(kinds) == 1 else ""


def _value_text(typed) -> str:
    """One value of a `custom` directive as it reads: an account as it is, text quoted, an amount as the books
    write it."""
    value = typed.value
    if typed.dtype == account.TYPE:
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Amount):
        return f"{value.number:,.2f} {value.currency}" if value.number is not None else str(value)
    return str(value)


def _balance(entry: data.Balance) -> str:
    """What a balance asserts: the amount at the start of its day, and its tolerance as the range it allows."""
    number, currency, tolerance = entry.amount.number, entry.amount.currency, entry.tolerance
    head = f"balance of {entry.account} at the start of {entry.date}"
    if number is None:
        return f"{head}: {entry.amount}"
    if not tolerance:
        return f"{head}: {number:,.2f} {currency}, exact{_kind(entry)}"
    allowed = span_text(number - tolerance, number + tolerance, lambda end: f"{end:,.2f} {currency}")
    return f"{head}: {number:,.2f} {currency} ~ {tolerance:,.2f} {currency}, so {allowed}{_kind(entry)}"


def _padding(entry: data.Transaction) -> str:
    """What Beancount's pad posts: the difference to the next balance's stated amount (not Beancount's raw words)."""
    into, source = entry.postings
    units = into.units
    amount = f"{units.number:,.2f} {units.currency}" if units is not None and units.number is not None else "?"
    return (
        f"padding: {amount} from {source.account} to {into.account}, {entry.date}: what the next balance of "
        f"{into.account} needs at its stated amount"
    )


def _custom(entry: data.Custom) -> str:
    values = [v.value for v in entry.values]
    if entry.type == RULE_TYPE and len(values) == 3 and isinstance(values[2], Decimal):
        base, payee, rate = values
        ends = "; a rate of 0 ends the share" if rate == 0 else ""
        return f"revenue-share rule: {rule_text(base, payee, rate)} from {entry.date}{ends}{_kind(entry)}"
    return " ".join([f'custom "{entry.type}"', *map(_value_text, entry.values)]) + f", {entry.date}{_kind(entry)}"


def headline(entry) -> str:
    """The line explain heads an entry with: a figure's value as stated (`figure_value_text`), else what it is."""
    fig = figure_of(entry)
    if fig is not None:
        what = getattr(entry, "narration", None) or f"{fig.metric} figure"  # a record has no narration
        kind = f", {fig.kind}" if fig.kind else ""
        return f"{what}: {figure_value_text(fig)}{kind}, {fig.period}"
    if isinstance(entry, data.Transaction) and entry.flag == flags.FLAG_PADDING and len(entry.postings) == 2:
        return _padding(entry)
    if getattr(entry, "narration", None):
        return entry.narration
    if isinstance(entry, data.Balance):
        return _balance(entry)
    if isinstance(entry, data.Custom):
        return _custom(entry)
    if isinstance(entry, data.Pad):
        return f"pad {entry.account} from {entry.source_account}, {entry.date}: to the next balance of {entry.account}"
    if isinstance(entry, data.Open):
        return f"open {entry.account}, {entry.date}" + (f" ({', '.join(entry.currencies)})" if entry.currencies else "")
    if isinstance(entry, data.Query):
        return f'query "{entry.name}"'
    if isinstance(entry, data.Note):
        return f'note on {entry.account}, {entry.date}: "{entry.comment}"'
    return f"{type(entry).__name__.lower()} {entry.date}"
