"""What a filter that leaves out entries makes of each line Fava's pages show: the books' own number, or part of it.

Fava's tag and account filters keep whole entries, and its pages then sum
the postings kept. A line none of whose postings the filter leaves out
shows the books' own number, so it is exactly what the books say it is
(a range, a bound, not known for a period the filter shows nothing of).
A line it leaves out postings of shows only the sum of those it keeps:
partial, whatever the books say of their own total. This sorts the
notice's words (leakledger.plain_numbers) into those two.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from leakledger.model import BALANCE_ROOTS
from leakledger.periods import Period
from leakledger.table_numbers import running

__all__ = ["LeftOut", "left_out_lines", "sort_filtered"]

#: The kinds of note that speak of one account's number (the notice's order); what each says of the books' own.
_BOOKS_WORDS = {
    "range": "",
    "at least": "",
    "partial": "partial",
    "more": "covering more than the window",
    "not known": "not known",
    "sum": "not known",
    "flows": "not known",
}
#: What Fava shows of a line in the notice's words: not what the filtered page shows.
_SHOWN = re.compile(r"\s*\(shown: [^)]*\)")
#: "not known (not known for 2024)": said once.
_TWICE = re.compile(r"not known \(not known for ([^)]*)\)")
#: A solved sum's words on what Fava sums of a company's income (plain_numbers), which a filter changes.
_FAVA_SUM = re.compile(r"(Fava's sum of (\w+)'s income) \([^)]*\)")


class LeftOut(NamedTuple):
    """The postings to one account that a filter leaves out of the page: how many, their sum as posted, and how many
    the page would sum without the filter."""

    lines: int
    amount: Decimal
    of: int


def left_out_lines(left: Iterable[Any], kept: Iterable[Any], window: Period | None = None) -> dict[str, LeftOut]:
    """{account: LeftOut} of the transactions `left` that the filter leaves out (`kept`: those it keeps), as the
    page would have summed them.

    Within `window` (None: every day), an income or expense line sums the postings dated inside it, a balance
    every posting up to its end (Fava's Balance Sheet carries the earlier ones forward).
    """
    found: dict[str, LeftOut] = {}
    for account, number in _lines(left, window):
        lines, amount, of = found.get(account, LeftOut(0, Decimal(0), 0))
        found[account] = LeftOut(lines + 1, amount + number, of + 1)
    for account, _ in _lines(kept, window, found):
        found[account] = found[account]._replace(of=found[account].of + 1)
    return found


def _lines(
    entries: Iterable[Any], window: Period | None, accounts: Container[str] | None = None
) -> Iterator[tuple[str, Decimal]]:
    """(account, number) of each posting of `entries` (to one of `accounts`, None: any) that a page of `window`
    sums."""
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if accounts is not None and posting.account not in accounts:
                continue
            balance = posting.account.split(":", 1)[0] in BALANCE_ROOTS
            if window is not None and (entry.date > window.end or (not balance and entry.date < window.start)):
                continue
            number = posting.units.number if posting.units is not None else None
            yield posting.account, number or Decimal(0)


def sort_filtered(
    notes: dict[str, list[str]], left: Mapping[str, LeftOut], accounts: Any, inverted: bool, roots: Sequence[str]
) -> None:
    """Move each line of `accounts` that the filter leaves postings of (`left`) out of the books' kinds in `notes`
    and into "partial", saying what it leaves out and what the books say of the whole; the rest stay the books'.

    `roots`: the books' names of income, liabilities and equity, whose sign Fava turns where `inverted`.
    """
    books: dict[str, str] = {}
    for kind, words in _BOOKS_WORDS.items():
        kept = []
        for note in notes[kind]:
            account, _, rest = note.partition(" ")
            if account not in left:
                kept.append(note)
                continue
            said = " ".join(w for w in (words, _SHOWN.sub("", rest).strip()) if w)
            books[account] = _TWICE.sub(r"not known for \1", said)
        notes[kind] = kept
    # Fava's sum of a company's income, which a solved sum names, is no longer the books' once a line of it is left
    touched = {account.split(":")[1] for account in left if account.split(":", 1)[0] == roots[0] and ":" in account}
    notes["solved"] = [_FAVA_SUM.sub(lambda m: m[1] if m[2] in touched else m[0], note) for note in notes["solved"]]
    for account in sorted(left):
        if accounts is not None and account not in accounts:
            continue
        lines, amount, of = left[account]
        if inverted and account.split(":", 1)[0] in roots:
            amount = -amount
        whole = "balance" if account.split(":", 1)[0] in BALANCE_ROOTS else "total"
        said = books.get(account, "exact (the number shown plus what is left out)")
        notes["partial"].append(
            f"{account} (the filter leaves out {_how_many(lines, of)}, "
            f"{running(amount)} as posted, of the books' {whole}: {said})"
        )


def _how_many(lines: int, of: int) -> str:
    """ "3 of its lines", "all 3 of its lines", "both of its lines", "its only line": `lines` of a line's `of`."""
    if lines < of:
        return f"{lines} of its lines"
    return "its only line" if lines == 1 else "both of its lines" if lines == 2 else f"all {lines} of its lines"
