"""Recording figures: where each planned figure's text goes, and the one call to make.

A figure goes into `<YEAR>.beancount` beside books.beancount, for the year its
period ends (created with the year files' header and included in year order
if new). A figure it supersedes gets `superseded-by:` right under its header
line. Every other byte of a touched file stays as it was: the added lines
are aligned to the file's columns where they fit, else on their own, and end
as the file's lines do (CRLF in a Windows file; a new year file ends its
lines as books.beancount does).
`record_figures` is what `leakledger add` and `leakledger import` both call:
plan (figure_request) + text + safe write (writer).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from leakledger.figure_request import FigureRequest, Plan, plan_figures, planned_entries, usd
from leakledger.figure_text import entry_text, today
from leakledger.figures import SUPERSEDED_BY
from leakledger.intervals import Interval
from leakledger.knowledge import early_knowledge
from leakledger.model import CURRENCY
from leakledger.periods import HORIZON
from leakledger.presentation import range_note, range_text
from leakledger.remainders import completion_text, remainder_interval, total_and_parts
from leakledger.writer import LoadedBooks, WriteError, write_change

__all__ = ["Recorded", "YEAR_HEADER", "edits_for", "plan_text", "record_figures"]

#: Where the books keep reported and claimed figures that do not post.
RECORDS_NAME = "reported.beancount"
YEAR_HEADER = (
    "; Figures for {year}. Each is a total over its period, dated on the period's\n"
    "; last day, with `period-start:`. Written by hand or by `leakledger add`.\n"
    "\n"
    "; Fava's add form writes an entry dated in {year} here, just above this option\n"
    "; (Fava's insert-entry; the last year's file takes later dates too), not\n"
    "; into the top-level book, so every book and scenario reads it.\n"
    '{prior} custom "fava-option" "insert-entry" ".*"\n'
)
_YEAR_INCLUDE = re.compile(r'^include\s+"(\d{4})\.beancount"\s*$')
_ANY_INCLUDE = re.compile(r"^include\s+\"")


def _option_day(year: int) -> str:
    """The day a year file's insert-entry option stands on: the last day before the year, or, for the
    first year the books may speak of (leakledger.periods.HORIZON), its first day."""
    return f"{year}-01-01" if year <= HORIZON[0] else f"{year - 1}-12-31"


def _aligned(text: str) -> str | None:
    """The text (LF line ends) as `bean-format` would write it; None where bean-format's own
    whitespace check fails (a form feed or a lone CR in the text: it splits lines there)."""
    from beancount.scripts.format import align_beancount

    try:
        return align_beancount(text)
    except Exception:  # bean-format asserts that it changed whitespace only: any failure is "cannot align"
        return None


def _newline_of(text: str | None) -> str:
    """A file's own line ending: CRLF where most of its lines end so (a file saved on Windows), else LF."""
    crlf = (text or "").count("\r\n")
    return "\r\n" if crlf and 2 * crlf >= (text or "").count("\n") else "\n"


def _lines(text: str) -> list[str]:
    """The lines of a file, each with its end, split at LF only, as Beancount numbers them.

    (`str.splitlines` also ends a line at a form feed, U+2028 or a lone CR, so
    its line numbers drift from Beancount's.)
    """
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _with_include(books_text: str, year: int) -> str:
    """books.beancount with `include "YEAR.beancount"` among the year includes, in order, ended as its lines are."""
    nl = _newline_of(books_text)
    lines = _lines(books_text)
    years = [(i, int(m[1])) for i, line in enumerate(lines) if (m := _YEAR_INCLUDE.match(line))]
    before = [i for i, y in years if y < year]
    after = [i for i, y in years if y > year]
    if before:
        at = before[-1] + 1
    elif after:
        at = after[0]
    else:
        includes = [i for i, line in enumerate(lines) if _ANY_INCLUDE.match(line)]
        at = includes[-1] + 1 if includes else len(lines)
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    lines.insert(at, f'include "{year}.beancount"{nl}')
    return "".join(lines)


def _with_superseded_by(text: str, path: Path, linenos_links: list[tuple[int, str]]) -> str:
    """Insert `superseded-by:` under each header line, bottom up so line numbers hold."""
    nl = _newline_of(text)
    lines = _lines(text)
    for lineno, link in sorted(linenos_links, reverse=True):
        if not (0 < lineno <= len(lines)) or not re.match(r"^\d{4}-\d{2}-\d{2}\s", lines[lineno - 1]):
            raise WriteError(f"{path}:{lineno} is no longer the figure's header line: the file changed while loading")
        lines.insert(lineno, f'  {SUPERSEDED_BY}: "{link}"{nl}')
    return "".join(lines)


def edits_for(plans: list[Plan], books: LoadedBooks) -> dict[Path, str]:
    """{path: new full text} for recording the plans (duplicates add nothing)."""
    new = [p for p in plans if p.duplicate_of is None]
    planned = {id(p.entry) for p in new}
    entries = planned_entries(new)  # a figure a later row corrects is marked superseded-by: it
    # What plan_text printed, rendered once; a figure marked since is rendered again.
    rendered = [p.text if e is p.entry else entry_text(e) for p, e in zip(new, entries)]
    marks: dict[Path, list[tuple[int, str]]] = defaultdict(list)
    for plan in new:
        if not plan.superseded:
            continue
        link = plan.link
        assert link is not None, "what supersedes posts, and a posting figure is rendered with its link"
        for fig in plan.superseded:
            if id(fig.entry) not in planned:  # in the books already: marked in its file
                marks[Path(fig.entry.meta["filename"])].append((fig.entry.meta["lineno"], link))

    texts: dict[Path, str] = {}

    def current(path: Path) -> str | None:
        if path in texts:
            return texts[path]
        return books.read_text(path)  # records its sha256: the writer refuses if it changes before the rename

    def loaded(path: Path) -> str:
        """The text of a file the books were loaded from: gone now only if it changed while loading."""
        text = current(path)
        if text is None:
            raise WriteError(f"{path} is gone: the file changed while loading")
        return text

    for path, items in marks.items():
        texts[path] = _with_superseded_by(loaded(path), path, items)

    included = {Path(p).resolve() for p in books.options_map.get("include", ())}
    scenario = books.ledger.parent != books.folder  # a scenario book: what is added to it is its own
    records = books.folder / RECORDS_NAME
    records_included = records.resolve() in included
    added: dict[Path, list[str]] = {}  # joined once at the end: linear in the rows, however many per file
    for entry, text in zip(entries, rendered):
        year = entry.date.year
        if scenario:
            path = books.ledger
        elif records_included and not isinstance(entry, data.Transaction):
            path = records  # a non-posting record, beside the others
        else:
            path = books.folder / f"{year}.beancount"
        if path not in added:
            added[path] = []
            base = current(path)
            if base is None:  # a new file, its lines ended as the books' are
                header = YEAR_HEADER.format(year=year, prior=_option_day(year))
                base = header.replace("\n", _newline_of(loaded(books.books_file)))
            texts[path] = base
            if path.resolve() not in included:
                texts[books.books_file] = _with_include(loaded(books.books_file), year)
                included.add(path.resolve())
        added[path].append(text)
    for path, parts in added.items():
        texts[path] = _appended(texts[path], "\n\n".join(part.rstrip("\n") for part in parts), path)
    return texts


def _appended(text: str, added: str, path: Path) -> str:
    """`text` byte for byte, a blank line, then `added`, aligned, its lines ended as the file's are.

    Where bean-format's alignment of the whole result leaves `text` as it was
    (the new lines fit the file's columns), that is the result, and the file
    stays bean-format clean; otherwise the added lines are aligned on their
    own. Re-aligning lines nobody touched would make every diff noisy.
    bean-format reads LF only: it aligns the file's text with CRLF read as LF.
    """
    nl = _newline_of(text)
    head = text.replace("\r\n", "\n")
    gap = "\n" if head and not head.endswith("\n") else ""
    gap += "\n" if head and not (head + gap).endswith("\n\n") else ""
    head += gap
    added = added.rstrip("\n") + "\n"
    whole = _aligned(head + added)
    tail = whole[len(head) :] if whole is not None and whole.startswith(head) else _aligned(added)
    if tail is None:
        raise WriteError(
            f"{path}: bean-format cannot align the lines to add (its whitespace check fails); nothing was written"
        )
    return text + (gap + tail).replace("\n", nl)


def _known(amount: Decimal | None) -> Decimal:
    """A recorded figure's amount where the plan's checks imply one (a duplicate, a total, a superseded figure)."""
    assert amount is not None, "a figure that posts or is refined records its amount"
    return amount


def _amount_text(amount: Decimal, interval: Interval | None) -> str:
    """An amount in a message: exact as the books post it, else the range it stands for and what posts.

    "399.5M–1.4005B (midpoint 900,000,000 USD)": a midpoint alone would read as a fact.
    """
    if interval is None or interval.is_exact:
        return usd(amount)
    if interval.low is None or interval.high is None:
        return range_text(interval)  # "≥ 900,000,000": the open range's one end is what posts
    return f"{range_text(interval)} ({range_note(interval, amount)} {CURRENCY})"


def plan_text(plan: Plan) -> str:
    """What the commands print for a plan: the entry, then what it means, as comments."""
    request, fig = plan.request, plan.figure
    where = f"{request.where}: " if request.where else ""
    if plan.duplicate_of is not None:
        old = plan.duplicate_of
        at = f"repeats {plan.repeated_row}" if plan.repeated_row else f"is already recorded at {old.where}"
        return f"; {where}duplicate: {fig.metric} over {old.period} ({usd(_known(old.amount))}) {at}; nothing added\n"
    lines = [plan.text.rstrip("\n")]
    if plan.covered_by is not None:
        cover = plan.covered_by
        lines.append(
            f"; a {request.kind} figure for {fig.metric}, which the {cover.kind} {cover.metric} over "
            f"{cover.period} already covers: kept as a non-posting record (it would count twice), "
            f"set beside the leak by `leakledger reconcile`"
        )
    for _, message in early_knowledge([plan.entry]):  # recorded all the same, as `check` warns and passes
        lines.append(f"; warning: {message}")
    ref = plan.refinement
    if ref is not None:
        total = ref.total
        total_range, parts_range = total_and_parts(ref)
        role = (
            "is refined by"
            if total.entry is plan.entry
            else f"refines {fig.metric} over {total.period}, {_amount_text(_known(total.amount), total_range)}:"
        )
        parts = f"{len(ref.parts)} part(s) adding up to {_amount_text(ref.recorded, parts_range)}"
        rest = (
            completion_text(
                ref, _amount_text(ref.recorded, parts_range), _amount_text(_known(total.amount), total_range)
            )
            if ref.complete
            else f"the remainder {_amount_text(ref.remainder, remainder_interval(ref))} posts over "
            f"{', '.join(map(str, ref.gaps))}"
        )
        head = f"; {fig.metric} over {fig.period} {role}" if total.entry is plan.entry else f"; {role}"
        lines.append(f"{head} {parts}; {rest}")
    if request.supersede and not plan.superseded:
        lines.append(f"; nothing to supersede: no recorded {fig.metric} figure overlaps {fig.period}")
    if plan.superseded:
        olds = ", ".join(f"{f.period} ({usd(_known(f.amount))})" for f in plan.superseded)
        diff = plan.new_total - plan.old_total
        lines.append(
            f"; supersedes {fig.metric} over {olds}: total {usd(plan.old_total)} -> "
            f"{usd(plan.new_total)}, difference {diff:+,.2f} {CURRENCY}"
        )
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Recorded:
    plans: list[Plan]
    written: list[Path]

    @property
    def added(self) -> list[Plan]:
        return [p for p in self.plans if p.duplicate_of is None]

    @property
    def duplicates(self) -> list[Plan]:
        """Rows that repeat a figure already in the books."""
        return [p for p in self.plans if p.duplicate_of is not None and not p.repeated_row]

    @property
    def repeats(self) -> list[Plan]:
        """Rows that repeat an earlier row of the same sheet (counted apart: the books hold neither yet)."""
        return [p for p in self.plans if p.repeated_row]


def record_figures(
    ledger, requests: list[FigureRequest], *, dry_run: bool = False, on: datetime.date | None = None
) -> Recorded:
    """Plan the requests against the ledger and write them, all or nothing.

    Raises RequestError for a refused request and WriteError for a change that
    would add an error; no file changes then.
    """

    def prepare(books: LoadedBooks):
        plans = plan_figures(requests, books.entries, today=on or today())
        return edits_for(plans, books), plans

    plans, edits = write_change(ledger, prepare, dry_run=dry_run)
    return Recorded(plans, [] if dry_run else sorted(edits))
