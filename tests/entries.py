"""Whole-entry comparison for the plugin tests, as Beancount's own tests compare entries.

Beancount's `cmptest.assertEqualEntries` parses the expected entries from a
docstring ledger and compares them with what a plugin made, whole; but it
leaves metadata out, and the plugins here write their arithmetic there
(`rule:`, `rate:`, `revenue:`, `bound:`, ...). So this compares the
metadata too (in any key order), and only where an entry was read
(`filename`, `lineno`) and internal `__` keys are left out. Numbers must
match value and scale (`400.00 USD` is not `400 USD`), as Beancount prints
them. Order does not matter; a failure lists, as Beancount prints them, the
entries only one side has.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import data
from beancount.parser import cmptest, printer

_READ_AT = frozenset({"filename", "lineno"})


def _meta(meta: dict | None) -> dict | None:
    kept = {k: Decimal(v) if type(v) is int else v for k, v in (meta or {}).items()}
    kept = {k: kept[k] for k in sorted(kept) if k not in _READ_AT and not k.startswith("__")}
    return kept


def normalized(entry: data.Directive) -> data.Directive:
    """The entry as the comparison sees it: metadata sorted, without where it was read."""
    entry = entry._replace(meta=_meta(entry.meta))
    if isinstance(entry, data.Transaction):
        postings = [p._replace(meta=_meta(p.meta) or None) for p in entry.postings]
        entry = entry._replace(postings=postings, tags=frozenset(entry.tags), links=frozenset(entry.links))
    return entry


def _unmatched(ours: list[data.Directive], theirs: list[data.Directive]) -> list[data.Directive]:
    left = list(theirs)
    missing = []
    for entry in ours:
        text = printer.format_entry(entry)
        match = next((i for i, e in enumerate(left) if e == entry and printer.format_entry(e) == text), None)
        if match is None:
            missing.append(entry)
        else:
            del left[match]
    return missing


def assert_equal_entries(expected: str | Sequence[data.Directive], actual: Sequence[data.Directive]) -> None:
    """The entries are the expected ones, whole (a docstring ledger, parsed as Beancount's tests parse it)."""
    if isinstance(expected, str):
        expected = cmptest.read_string_or_entries(textwrap.dedent(expected))
    want = [normalized(e) for e in expected]
    got = [normalized(e) for e in actual]
    only_expected, only_actual = _unmatched(want, got), _unmatched(got, want)
    if only_expected or only_actual:
        lines = []
        if only_expected:
            lines += ["Expected, but not made:", *(printer.format_entry(e) for e in only_expected)]
        if only_actual:
            lines += ["Made, but not expected:", *(printer.format_entry(e) for e in only_actual)]
        raise AssertionError("\n".join(lines))
