"""Writing figures as Beancount text, laid out like the hand-written books.

The shipped books, `leakledger add` and the leak-sheet importer all write
figures through `figure_entry` and Beancount's own printer, so every figure
has the same shape: dated on its period's last day, `period-start:`,
`metric:`, provenance, one kind tag and a link named after metric and period.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import printer
from beancount.parser.grammar import ValueType

from leakledger.amounts import cents
from leakledger.figures import FIGURE_TYPE
from leakledger.model import CURRENCY, KINDS, METRICS, narration_of, postings_for
from leakledger.periods import Period

__all__ = ["figure_link", "figure_entry", "entry_text", "clean_text"]

_LINK_UNSAFE = re.compile(r"[^A-Za-z0-9\-_/.]+")


def figure_link(metric: str, period: Period) -> str:
    """The link of a hand-written figure: `revenue-share-2025-h1`."""
    return _LINK_UNSAFE.sub("-", f"{metric}-{period.label}".lower())


def clean_text(value: str) -> str:
    """One line of text, safe inside a Beancount string.

    Newlines and control characters become spaces, so text from a leak can
    never break out of its string into Beancount syntax; Beancount's printer
    escapes the quotes and backslashes.
    """
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return " ".join(text.split())


def _provenance(filename: str, first: dict, source: str, url: str | None, note: str | None) -> dict:
    """A figure's metadata in the books' order: `first`, then source, url and note as clean text."""
    meta = data.new_metadata(filename, 0)
    meta.update(first)
    meta["source"] = clean_text(source)
    if url:
        meta["url"] = clean_text(url)
    if note:
        meta["note"] = clean_text(note)
    return meta


def figure_entry(
    metric: str,
    amount: Decimal,
    period: Period,
    *,
    source: str,
    kind: str,
    url: str | None = None,
    note: str | None = None,
    extra_meta: dict | None = None,
    narration: str | None = None,
    link: str | None = None,
    filename: str = "<leakledger>",
    record: bool = False,
    known_since: datetime.date | None = None,
) -> data.Transaction | data.Custom:
    """One figure as a Transaction that posts in both entities' books.

    With `record`, as the non-posting record reported.beancount keeps:
    `custom "figure" "METRIC" AMOUNT` with its period and provenance.
    """
    if metric not in METRICS:
        raise KeyError(metric)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    known = {"known-since": known_since} if known_since else {}
    if record:
        meta = _provenance(filename, {"period-start": period.start, "kind": kind, **known}, source, url, note)
        meta.update(extra_meta or {})
        values = [ValueType(metric, str), ValueType(Amount(cents(amount), CURRENCY), Amount)]
        return data.Custom(meta, period.end, FIGURE_TYPE, values)
    meta = _provenance(filename, {"metric": metric, "period-start": period.start, **known}, source, url, note)
    for key, value in (extra_meta or {}).items():
        meta[key] = clean_text(value) if isinstance(value, str) else value
    postings = [
        data.Posting(account, Amount(cents(units), CURRENCY), None, None, None, None)
        for account, units in postings_for(metric, amount)
    ]
    return data.Transaction(
        meta,
        period.end,
        "*",
        None,
        clean_text(narration or f"{narration_of(metric, amount)} ({period.label})"),
        frozenset({kind}),
        frozenset({link or figure_link(metric, period)}),
        postings,
    )


def entry_text(entry: data.Directive) -> str:
    """Beancount text for one entry, as the printer writes it, amounts aligned."""
    return printer.format_entry(entry)


def today() -> datetime.date:
    return datetime.date.today()
