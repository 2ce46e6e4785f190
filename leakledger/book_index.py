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

import bisect
import datetime
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from beancount.core import data

from leakledger import derived as D
from leakledger.caps import CapStatus, cap_statuses_of
from leakledger.derived import Derived
from leakledger.figures import Figure, Refinements, figure_of, is_generated, refine
from leakledger.model import CAP_READING_TYPE, CAP_TYPE, GENERATED_TAG, RULE_TYPE, RuleBook
from leakledger.periods import Period, Window
from leakledger.rules import RuleError, read_rules
from leakledger.table_numbers import live

__all__ = ["BookIndex", "EntryIndex", "index_books", "is_term"]

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

    @cached_property
    def _counting_by_start(self) -> dict[str, tuple[list[datetime.date], list[Figure]]]:
        found = {}
        for metric, figs in self.by_metric.items():
            counting = sorted((f for f in figs if f.posting or f.refined), key=lambda f: f.period.start)
            found[metric] = ([f.period.start for f in counting], counting)
        return found

    def inside(self, metrics: Iterable[str], period: Period) -> list[Figure]:
        """The figures of `metrics` that count (posting, or refined: their parts post them) within `period`.

        By metric, then by start: bisected from the figures sorted once, not read all per period.
        """
        found = []
        for metric in metrics:
            starts, figs = self._counting_by_start.get(metric, ([], []))
            lo, hi = bisect.bisect_left(starts, period.start), bisect.bisect_right(starts, period.end)
            found += [f for f in figs[lo:hi] if f.period.end <= period.end]
        return found

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

    @cached_property
    def lines(self) -> EntryIndex:
        """Every entry by link and by file and line: what `explain` finds its targets in (made on first use)."""
        return EntryIndex(self.entries)

    @cached_property
    def _derived_by_link(self) -> dict[str, list[tuple[int, Derived]]]:
        found: dict[str, list[tuple[int, Derived]]] = defaultdict(list)
        for position, d in enumerate(self.derived):
            for link in d.entry.links or ():
                found[link].append((position, d))
        return dict(found)

    def linked(self, links: Iterable[str], rule: str = "") -> list[Derived]:
        """The derived records carrying any of `links` (of one `rule:`, if given), in the books' order."""
        found = {p: d for link in links for p, d in self._derived_by_link.get(link, ()) if rule in ("", d.rule)}
        return [found[p] for p in sorted(found)]

    @cached_property
    def _shares_by_date(self) -> Window:
        return Window(self.of_rule(D.RULE_SHARE), lambda d: d.date)

    def shares_within(self, period: Period) -> list[Derived]:
        """The accruals (`rule: share`) dated within `period`, in the books' order."""
        return self._shares_by_date.within(period.start, period.end)


def _same_file(meta_filename: str, wanted: str) -> bool:
    if not meta_filename or meta_filename.startswith("<"):
        return False
    if os.path.exists(wanted):
        return os.path.realpath(meta_filename) == os.path.realpath(wanted)
    return os.path.normpath(meta_filename).endswith(os.sep + os.path.normpath(wanted))


def _line(entry: Any) -> int:
    return entry.meta.get("lineno", 0)


class _FileLines:
    """One file's entries by line, sorted once: a FILE:LINE look-up bisects instead of reading the file's entries."""

    def __init__(self, entries: list[Any], name: str = "") -> None:
        self.name = name
        self.at: dict[int, list[Any]] = defaultdict(list)
        for entry in entries:
            self.at[_line(entry)].append(entry)
        self.lines = sorted(self.at)
        self.written = sorted({_line(e) for e in entries if not is_generated(e)})

    def last_written(self, line: int) -> int | None:
        """The last line at or before `line` where a hand-written entry starts."""
        i = bisect.bisect_right(self.written, line)
        return self.written[i - 1] if i else None

    def next_after(self, line: int) -> int | None:
        """The first line after `line` where an entry starts."""
        i = bisect.bisect_right(self.lines, line)
        return self.lines[i] if i < len(self.lines) else None

    @cached_property
    def length(self) -> int | None:
        """How many lines the file has (read once, when a FILE:LINE asks), or None where it cannot be read.

        The last entry's lines run to the file's end, not beyond: a LINE past it names no entry.
        """
        try:
            with open(self.name, "rb") as file:
                text = file.read()
        except OSError:
            return None
        return text.count(b"\n") + (not text.endswith(b"\n") and bool(text))


class EntryIndex:
    """The entries by link and by file, built once for many look-ups (a published site makes hundreds)."""

    def __init__(self, entries: Iterable[Any]) -> None:
        self.by_link: dict[str, list[tuple[int, Any]]] = defaultdict(list)
        self.by_file: dict[str, list[Any]] = defaultdict(list)
        for position, entry in enumerate(entries):
            for link in getattr(entry, "links", None) or ():
                self.by_link[link].append((position, entry))
            self.by_file[(entry.meta or {}).get("filename", "")].append(entry)
        self._files: dict[str, list[str]] = {}
        self._lines: dict[str, _FileLines] = {}

    def linked(self, links: Iterable[str]) -> list[Any]:
        """The entries carrying any of `links`, in the books' order."""
        found = {position: entry for link in links for position, entry in self.by_link.get(link, ())}
        return [found[p] for p in sorted(found)]

    def files(self, wanted: str) -> list[str]:
        """The books' file names that `wanted` names (a path, or the end of one), in the books' order."""
        if wanted not in self._files:
            self._files[wanted] = [name for name in self.by_file if _same_file(name, wanted)]
        return self._files[wanted]

    def lines_of(self, name: str) -> _FileLines:
        if name not in self._lines:
            self._lines[name] = _FileLines(self.by_file[name], name)
        return self._lines[name]


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
