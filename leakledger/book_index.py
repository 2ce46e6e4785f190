"""The books read once: figures, derived records, rules and caps, indexed for every table.

`index_books` is the one walk over the entries that the tables make: each
entry is classified once (a figure, a record the plugins derived, a rule, a
cap, an opened account), and everything else is read from what it kept:
the rule book, the caps' state, the refinements, the figures by metric.
The period table, the reconciliation, the Leak model's sources and
`explain` all read a `BookIndex`; `leakledger.book_model.BookModel` holds one
per load.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from beancount.core import data

from leakledger import derived as D
from leakledger.caps import CapStatus, cap_statuses_of
from leakledger.derived import Derived
from leakledger.figures import Figure, Refinements, figure_of, refine
from leakledger.model import CAP_READING_TYPE, CAP_TYPE, GENERATED_TAG, RULE_TYPE, RuleBook
from leakledger.periods import Period
from leakledger.rules import RuleError, read_rules
from leakledger.table_numbers import live

__all__ = ["BookIndex", "index_books", "is_term"]

_TERM_TYPES = frozenset({RULE_TYPE, CAP_TYPE, CAP_READING_TYPE})


@dataclass
class BookIndex:
    """What one walk over the entries keeps, and what is read from it (each once, on first use)."""

    entries: Sequence[Any]
    #: Every figure, in the books' order (superseded ones too: the reconciliation notes them).
    figures: list[Figure] = field(default_factory=list)
    #: Every entry the plugins derived, read through the contract (`Derived.of`).
    derived: list[Derived] = field(default_factory=list)
    #: The Open directives and the rule, cap and cap-reading customs: what `read_rules` reads.
    terms: list[data.Directive] = field(default_factory=list)
    #: The notes the plugins generated (a share that is not known, and why).
    notes: list[data.Note] = field(default_factory=list)

    @classmethod
    def of(cls, entries: Iterable[Any], extra_terms: Iterable[Any] = ()) -> BookIndex:
        return index_books(entries, extra_terms)

    @cached_property
    def not_known(self) -> list[tuple[data.Note, Period]]:
        """The shares plugin's notes of a share the books cannot solve, each with the span it covers."""
        return [
            (note, Period(start, note.date))
            for note in self.notes
            if note.meta.get(D.RULE) == D.NOT_KNOWN
            and isinstance(start := note.meta.get(D.PERIOD_START), datetime.date)
        ]

    @cached_property
    def live_figures(self) -> list[Figure]:
        """The figures that count: not superseded."""
        return live(self.figures)

    @cached_property
    def by_metric(self) -> dict[str, list[Figure]]:
        """Every figure by its metric, in the books' order."""
        found: dict[str, list[Figure]] = defaultdict(list)
        for fig in self.figures:
            found[fig.metric].append(fig)
        return dict(found)

    def of_rule(self, rule: str) -> list[Derived]:
        """The derived records of one `rule:` (leakledger.derived.RULE_*), in the books' order."""
        return self._by_rule.get(rule, [])

    def having(self, key: str, value: str = "") -> list[Derived]:
        """The derived records whose metadata `key` holds `value` (any value for "")."""
        if key == D.RULE:
            return self.of_rule(value) if value else list(self.derived)
        return [d for d in self.derived if (held := d.entry.meta.get(key)) is not None and value in ("", held)]

    @cached_property
    def _by_rule(self) -> dict[str, list[Derived]]:
        found: dict[str, list[Derived]] = defaultdict(list)
        for d in self.derived:
            found[d.rule].append(d)
        return dict(found)

    @cached_property
    def _rules(self) -> tuple[RuleBook, list[RuleError]]:
        return read_rules(self.terms)

    @property
    def rules(self) -> RuleBook:
        """The share rules and caps in force (malformed ones are the plugins' errors)."""
        return self._rules[0]

    @cached_property
    def caps(self) -> list[CapStatus]:
        """Every cap with the accruals that count against it."""
        return cap_statuses_of(self.of_rule(D.RULE_SHARE), self.rules)

    @cached_property
    def refinements(self) -> Refinements:
        """The live figures nested: totals, their parts, and overlaps."""
        return refine(self.figures)

    @cached_property
    def generated(self) -> list[Any]:
        """The entries the plugins generated, in the books' order."""
        return [d.entry for d in self.derived]


def index_books(entries: Iterable[Any], extra_terms: Iterable[Any] = ()) -> BookIndex:
    """Walk the entries once, keeping the figures, the derived records and the rules' directives.

    `extra_terms` are rule and cap directives that apply though the entries lack
    them: a filter that drops the 2019 `revenue-share` rules (Fava's time
    filter drops every directive before its window) leaves their rates in force.
    """
    entries = entries if isinstance(entries, Sequence) else list(entries)
    index = BookIndex(entries)
    figures, derived, terms = index.figures, index.derived, index.terms
    transaction, custom, opened = data.Transaction, data.Custom, data.Open
    for entry in entries:
        kind = type(entry)
        if kind is transaction:
            if GENERATED_TAG in (entry.tags or ()):
                record = Derived.of(entry)
                if record is not None:
                    derived.append(record)
                continue
            fig = figure_of(entry)
            if fig is not None:
                figures.append(fig)
        elif kind is custom:
            if entry.type in _TERM_TYPES:
                terms.append(entry)
            else:
                fig = figure_of(entry)
                if fig is not None:
                    figures.append(fig)
        elif kind is opened:
            terms.append(entry)
        elif kind is data.Note and GENERATED_TAG in (entry.tags or ()):
            index.notes.append(entry)
    if extra_terms:
        present = {id(t) for t in terms}
        terms[:0] = [t for t in extra_terms if is_term(t) and id(t) not in present]
    return index


def is_term(entry: Any) -> bool:
    """A rule, cap or cap-reading directive (`custom "revenue-share"` and the like)."""
    return type(entry) is data.Custom and entry.type in _TERM_TYPES
