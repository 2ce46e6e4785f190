"""Amounts: dollar figures as people write them, to `Decimal` cents.

Leaks and articles write `493,800,000`, `$493.8 million`, `8.67B` or `$1.2bn`;
the books hold `493800000.00 USD`. This module is the one place that reads
those forms and writes the canonical one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from leakledger.errors import UsageError

__all__ = [
    "AmountError",
    "CENT",
    "MAX_AMOUNT",
    "MAX_DIGITS",
    "amount_error",
    "cents",
    "parse_amount",
    "parse_figure_amount",
    "FigureAmount",
    "quoted",
    "stated_range",
]

CENT = Decimal("0.01")
#: Zero, to the cent: what a sum of amounts starts from.
ZERO_CENTS = Decimal("0.00")
#: Digits before the point an amount may have: larger than any figure in the leak by
#: many orders (beyond it a typo is likelier), and small enough that sums of many stay
#: exact in Decimal's 28 digits (a 26-digit figure made the statements' rounding raise).
MAX_DIGITS = 15
MAX_AMOUNT = Decimal("999999999999999.99")
#: Longer text is refused before it is turned into a number at all.
_MAX_TEXT = 64


class AmountError(UsageError):
    """An amount that cannot be read, or is no dollar figure (zero, too large, a fraction of a cent)."""


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def quoted(text) -> str:
    """A written amount as a message quotes it: `'-600M'`, cut at 40 characters."""
    raw = str(text)
    return repr(raw if len(raw) <= 40 else raw[:37] + "...")


def amount_error(number: object, *, whole_cents: bool = True) -> str | None:
    """Why a number cannot be an amount in the books (at most 15 digits before the point, 2 after), or None.

    Checked before any arithmetic: the exponent alone says it, so `1e999999999` is
    refused at once, never expanded. `whole_cents=False` for a ratio (an end of
    "about 27%" is 0.265): its digits after the point are its own.
    """
    if not isinstance(number, Decimal) or not number.is_finite():
        return f"amount {_shown(number)} is not a finite number"
    if number and number.adjusted() >= MAX_DIGITS:
        return (
            f"amount {_shown(number)} is larger than {MAX_AMOUNT:,} USD (at most {MAX_DIGITS} digits before "
            f"the point): check the scale"
        )
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int), "finite (checked above): 'n', 'N' and 'F' are the non-finite exponents"
    if whole_cents and exponent < -2 and number != number.quantize(CENT):
        return f"amount {_shown(number)} has a fraction of a cent (at most 2 digits after the point)"
    return None


def cents(value) -> Decimal:
    """Quantize to the cent, banker's rounding, as Beancount's own tolerances expect."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


_SCALES = {
    "": 1,
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mm": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "billions": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trillion": 10**12,
}

_AMOUNT = re.compile(
    r"""^\s*
    (?P<sign>[-+−])?\s*
    (?:US)?\$?\s*
    (?P<number>\d[\d,]*(?:\.\d*)?|\.\d+)
    \s*(?P<scale>[A-Za-z]*)\s*$""",
    re.VERBOSE,
)
_USD_SUFFIX = re.compile(r"\s*USD\s*$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_amount(text) -> Decimal:
    """Read `493.8M`, `$493.8 million`, `493,800,000`, `8.67B`, `$1.2bn`, `-600M` as Decimal cents.

    Raises AmountError (one line) for anything unreadable, zero or absurdly
    large. Fractions of a cent are refused, not rounded: a figure that needs
    them is a misreading. A sign is read, not judged: whether a metric may be
    negative (a loss share's gain) is `model.sign_error`'s to say.
    """
    raw = str(text)
    shown = quoted(raw)
    if len(raw) > _MAX_TEXT:
        raise AmountError(f"cannot read amount {shown}: {len(raw)} characters is too long for an amount")
    m = _AMOUNT.match(_USD_SUFFIX.sub("", raw.replace("\u00a0", " ")))
    if not m:
        raise AmountError(f"cannot read amount {shown}: use e.g. 493800000, 493.8M, $493.8 million, 8.67B")
    number = m["number"]
    if "," in number and not _GROUPED.match(number):
        raise AmountError(f"cannot read amount {shown}: misplaced thousands separator")
    scale_word = m["scale"].lower()
    if scale_word not in _SCALES:
        raise AmountError(f"cannot read amount {shown}: unknown scale {m['scale']!r} (use K, M, B, million, billion)")
    try:
        value = Decimal(number.replace(",", "")) * _SCALES[scale_word]
    except InvalidOperation:
        raise AmountError(f"cannot read amount {shown}") from None
    if value == 0:
        raise AmountError(f"amount {shown} is zero: a figure is a total of something, never nothing")
    if m["sign"] in ("-", "−"):
        value = -value
    if problem := amount_error(value):
        raise AmountError(problem.replace(f"amount {_shown(value)}", f"amount {shown}", 1))
    return cents(value)


def stated_range(text) -> tuple[Decimal, Decimal] | None:
    """The range a written amount stands for, or None when it is written to the cent or the dollar.

    Sources round: `13.07B` is stated to the 10M, so it stands for
    13,065,000,000 to 13,075,000,000 (half a unit of its last digit either
    way); `3.7B` for 3,650,000,000 to 3,750,000,000; `300M` for 299,500,000 to
    300,500,000. An amount written in plain digits (`13,070,000,000`) is
    exact: None. The text must read with `parse_amount`.
    """
    amount = parse_amount(text)
    m = _AMOUNT.match(_USD_SUFFIX.sub("", str(text).replace("\u00a0", " ")))
    if m is None:  # parse_amount read it, so this cannot happen
        raise AmountError(f"cannot read amount {text!r}")
    scale = _SCALES[m["scale"].lower()]
    if scale == 1:
        return None
    number = m["number"].replace(",", "")
    decimals = len(number.split(".", 1)[1]) if "." in number else 0
    half = Decimal(scale) / (Decimal(10) ** decimals) / 2
    if half < CENT:
        return None
    return cents(amount - half), cents(amount + half)


@dataclass(frozen=True)
class FigureAmount:
    """What `add` or a sheet's amount cell says: the amount to post, and the range it stands for.

    `low`/`high` are None when the figure is exact, and one of them is None when
    the range is open ("at least 3.5B"). `posted_as` says which point of a range
    was posted ("midpoint", "low", "high"); None for an amount written as one
    number (its stated precision, if any, is in low/high all the same).
    """

    amount: Decimal
    low: Decimal | None = None
    high: Decimal | None = None
    posted_as: str | None = None


_AT_LEAST = re.compile(r"^\s*(?:at\s+least|≥|>=)\s*(?P<rest>.*)$", re.IGNORECASE)
_AT_MOST = re.compile(r"^\s*(?:at\s+most|up\s+to|≤|<=)\s*(?P<rest>.*)$", re.IGNORECASE)
_ABOUT = re.compile(r"^\s*(?:~|about\s|roughly\s|around\s)\s*(?P<rest>.*)$", re.IGNORECASE)
_RANGE = re.compile(r"^(?P<low>[^.–]*(?:\.\d[^.–]*)?)\s*(?:\.\.|–)\s*(?P<high>.*)$")


def _end(text: str, scale: str) -> Decimal:
    """One end of a range: an amount, or zero (a range may start at nothing); a bare number takes `scale`."""
    m = _AMOUNT.match(_USD_SUFFIX.sub("", text.replace("\u00a0", " ")))
    if m and not m["scale"] and scale and Decimal(m["number"].replace(",", "")) < 1000:
        text = f"{text.strip()}{scale}"  # "0.5..1.5B": both ends in billions
    if m and not m["sign"] and Decimal(m["number"].replace(",", "") or "0") == 0:
        return Decimal("0.00")
    return parse_amount(text)


def _scale_of(text: str) -> str:
    m = _AMOUNT.match(_USD_SUFFIX.sub("", text.replace("\u00a0", " ")))
    return m["scale"] if m else ""


def parse_figure_amount(text) -> FigureAmount:
    """Read an amount cell: `3.7B`, a range `0.5B..1.5B` (or `0.5B–1.5B`), `at least 3.5B`, `at most 2B`, `~3.8B`.

    A range posts its midpoint; an open one (`at least`, `1B..`) posts its one
    end. `~3.8B` is 3.8B with the range its written precision states
    (3.75B..3.85B); `3.7B` alone carries that range too, as before. A signed
    amount reads as one (`-600M`: -650M..-550M; `-0.7B..-0.5B`). A reversed
    or empty range is an AmountError of one line.
    """
    raw = str(text)
    shown = quoted(raw)
    if len(raw) > _MAX_TEXT:
        raise AmountError(f"cannot read amount {shown}: {len(raw)} characters is too long for an amount")
    if m := _AT_LEAST.match(raw):
        floor = parse_amount(m["rest"])
        return FigureAmount(floor, floor, None, "low")
    if m := _AT_MOST.match(raw):
        ceiling = parse_amount(m["rest"])
        return FigureAmount(ceiling, None, ceiling, "high")
    if m := _ABOUT.match(raw):
        stated = stated_range(m["rest"])
        if stated is None:
            raise AmountError(
                f"amount {shown} says neither its precision nor its ends: write it rounded (~3.8B) or as a range (3.7B..3.9B)"
            )
        return FigureAmount(parse_amount(m["rest"]), stated[0], stated[1], "midpoint")
    m = _RANGE.match(raw) if (".." in raw or "–" in raw) else None
    if m is None:
        amount = parse_amount(raw)
        stated = stated_range(raw)
        return FigureAmount(amount, *stated) if stated else FigureAmount(amount)
    low_text, high_text = m["low"].strip(), m["high"].strip()
    if not low_text and not high_text:
        raise AmountError(f"range {shown} is empty: give at least one end (0.5B..1.5B, 3.5B.., ..2B)")
    low: Decimal | None = _end(low_text, _scale_of(high_text)) if low_text else None
    high: Decimal | None = _end(high_text, _scale_of(low_text)) if high_text else None
    if low is not None and high is not None:
        if low > high:
            raise AmountError(f"range {shown} is reversed: {low:,.2f} is above {high:,.2f}; write the low end first")
        if low == high:
            if not low:
                raise AmountError(f"range {shown} is empty: it holds nothing but zero")
            return FigureAmount(low)
        if not (midpoint := cents((low + high) / 2)):
            raise AmountError(
                f"range {shown} posts its midpoint, zero: a figure is a total of something, never nothing"
            )
        return FigureAmount(midpoint, low, high, "midpoint")
    if low is not None:
        if not low:
            raise AmountError(f"range {shown} says only that the amount is at least zero: give an upper end")
        return FigureAmount(low, low, None, "low")
    assert high is not None
    if not high:
        raise AmountError(f"range {shown} says only that the amount is at most zero: give a lower end")
    return FigureAmount(high, None, high, "high")
