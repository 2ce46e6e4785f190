"""Which blank statement cells are not known rather than nothing: a line the books record elsewhere, a base in force.

A statement line with no posting in a column is blank; a total adds what
is recorded. That is right where nothing happened, and wrong where the
books know something did: Microsoft's equity-method result exists in 2024
though the books record it from 2025-Q3 only, and Bing and Azure OpenAI
Service revenue exists while a share on it is in force though no figure of
it is recorded (the books may solve their sum, never each). A total or net
over such a cell is not known, or at least what is recorded, with why.
"""

from __future__ import annotations

from decimal import Decimal

from leakledger import derived as D
from leakledger.book_index import BookIndex
from leakledger.intervals import Interval
from leakledger.model import SHARE_ACCOUNTS, SHARE_LEGS, A, entity_of
from leakledger.periods import Period
from leakledger.reports import IMPLIED_SHARE_BLANK
from leakledger.table_numbers import span_text

__all__ = ["blank_reasons", "share_in_force", "unrecorded_cells"]


def unrecorded_cells(
    books: BookIndex,
    entity: str,
    accounts: list[str],
    columns: list[tuple[str, Period]],
    sums: dict[tuple[str, str], Decimal],
    bounded_rows: set[str],
    total: str,
) -> tuple[dict[tuple[str, str], str], set[tuple[str, str]], list[str]]:
    """(account, column label) -> why its blank cell is not known; the cells that may be of either sign; and what
    a line blank in every column is where that is no gap (a cost inside the audited costs not itemized).

    `columns`: the grid's (label, period), the total column left out (`total`
    is its label: a line unknown in a column is unknown there too). A line
    of either sign (a loss or a gain) leaves its total wholly unknown; a
    revenue base, never negative, leaves it at least what is recorded.
    """
    why: dict[tuple[str, str], str] = {}
    signed: set[tuple[str, str]] = set()
    unitemized = {label for label, _ in columns if (A.OAI_COSTS_NOT_ITEMIZED, label) in sums}
    blank_lines: list[str] = []
    # OpenAI's books record no total of its costs: what it spends beyond the lines recorded is not known
    no_total = entity == "OpenAI" and A.OAI_COSTS_NOT_ITEMIZED in accounts and not unitemized
    for account in accounts:
        if account in SHARE_ACCOUNTS or account in books.rules.bases:
            continue  # a share follows from its base; a base is read below
        recorded = [label for label, _ in columns if (account, label) in sums]
        if not recorded and no_total and account.startswith("Expenses:OpenAI:") and account != A.OAI_COSTS_NOT_ITEMIZED:
            blank_lines.append(
                f"{account}: no figure of its own; it lies within OpenAI's costs beyond the lines recorded, "
                f"not known ({A.OAI_COSTS_NOT_ITEMIZED})"
            )
            continue
        if not recorded and account == A.OAI_COSTS_NOT_ITEMIZED and entity == "OpenAI":
            # no total of OpenAI's costs: what it spends beyond the lines recorded is not known, so neither is
            # its net (expenses are at least what is recorded)
            for label, _ in columns:
                text = (
                    f"{account}: no figure of OpenAI's total costs covers {label}, so its costs beyond the "
                    "lines recorded are not known: not zero, only unrecorded"
                )
                for key in ((account, label), (account, total)):
                    why.setdefault(key, text)
            continue
        if not recorded:
            inside = [label for label, _ in columns if label in unitemized and account.startswith("Expenses:OpenAI:")]
            if inside and account != A.OAI_COSTS_NOT_ITEMIZED:
                blank_lines.append(
                    f"{account}: no figure of its own; in {', '.join(inside)} it lies inside "
                    f"{A.OAI_COSTS_NOT_ITEMIZED}, the rest of OpenAI's audited costs"
                )
                for label, _ in columns:  # where no audited total covers a column, nothing holds it: not known
                    if label not in unitemized:
                        text = (
                            f"{account} has no figure for {label}, and no audited total of OpenAI's costs covers "
                            f"{label}: not zero, only unrecorded"
                        )
                        for key in ((account, label), (account, total)):
                            why.setdefault(key, text)
            continue
        either = any(sums[(account, label)] < 0 for label in recorded) and any(
            sums[(account, label)] > 0 for label in recorded
        )
        for label, _ in columns:
            if (account, label) in sums or (label in unitemized and account.startswith("Expenses:OpenAI:")):
                continue  # recorded, or within an audited total whose rest posts as costs not itemized
            text = (
                f"{account} has no figure for {label}, though the books record it for {', '.join(recorded)}: "
                "not zero, only unrecorded"
            )
            for key in ((account, label), (account, total)):
                why.setdefault(key, text)
                if either or account == A.MS_LOSSES:
                    signed.add(key)
    for legs in SHARE_LEGS.values():  # a share line with no accrual while its share is in force: not known either
        bases = books.rules.bases_of(legs.payer)
        for share in (legs.payer_expense, legs.payee_income):
            if share not in accounts:
                continue
            for label, period in columns:
                if (share, label) in sums or not any(_in_force(books, base, period) for base in bases):
                    continue
                if label in bounded_rows:  # read as 0 by a payment's implied revenue, which grows with it
                    text = f"{share} for {label} is not known: {IMPLIED_SHARE_BLANK}; the lines marked ≥ grow with it"
                    for key in ((share, label), (share, total)):
                        why.setdefault(key, text)
                    continue
                # the other company's accounts are not in this one's book: its base by what it is
                base_text = ", ".join(bases) if legs.payer == entity else f"{legs.payer}'s revenue"
                text = (
                    f"{share} has no accrual for {label} while the share is in force: nothing of its base "
                    f"({base_text}) posts for {label}; not zero, only unrecorded"
                )
                for key in ((share, label), (share, total)):
                    why.setdefault(key, text)
    solved_shares = [d for d in books.of_rule(D.RULE_SHARE) if d.solved]  # read once, not per column
    for label, period in columns:
        missing = [
            b
            for b in books.rules.bases
            if entity_of(b) == entity and (b, label) not in sums and _in_force(books, b, period)
        ]
        if not missing:
            continue
        solved = _solved_base(solved_shares, period)
        many = len(missing) > 1
        text = (
            f"{' and '.join(missing)} {'have' if many else 'has'} no figure for {label} while a share "
            f"on {'them' if many else 'it'} is in force: not zero, only unrecorded"
            + (f"; {solved}" if solved else "")
            # there the payments are read as if Microsoft's share were 0: the lines marked "≥" grow with it
            + ("; the lines marked ≥ grow with it" if label in bounded_rows else "")
        )
        for base in missing:
            for key in ((base, label), (base, total)):
                why.setdefault(key, text)
    return why, signed, blank_lines


def blank_reasons(
    books: BookIndex, blanks: list[tuple[str, str, Period]], blank_lines: list[str]
) -> dict[tuple[str, str], str]:
    """(line, column label) -> why a blank cell with no "not known" is blank, in words that name neither (what
    CSV and JSON say beside it, after "LINE for LABEL: "; the table groups a line's columns under one note).

    `blanks`: (line, label, the column's period) of each such cell. A cost inside the audited costs not itemized
    says so (its `blank_lines` note); a share or a base with no share in force over the column has nothing to
    accrue (OpenAI's Microsoft share after 2026-04-27); anything else has nothing recorded for it.
    """
    legs_of = {share: legs for legs in SHARE_LEGS.values() for share in (legs.payer_expense, legs.payee_income)}
    found = {}
    for line, label, period in blanks:
        said = next((note for note in blank_lines if note.startswith(f"{line}: ")), None)
        legs = legs_of.get(line)
        if said is not None:
            why = said.removeprefix(f"{line}: ")
        elif legs is not None and not share_in_force(books, legs.payer, period):
            why = f"nothing accrues: no share of {legs.payer}'s is in force then (none is owed)"
        elif line in books.rules.bases and not _in_force(books, line, period):
            why = "no figure, and no share on it is in force then: the books track it only while one is (not zero)"
        else:
            why = "nothing recorded"
        found[(line, label)] = why
    return found


def share_in_force(books: BookIndex, payer: str, period: Period) -> bool:
    """Whether a share on some base of `payer` is in force on some day of `period`."""
    return any(_in_force(books, base, period) for base in books.rules.bases_of(payer))


def _in_force(books: BookIndex, base: str, period: Period) -> bool:
    """Whether a share on `base` is in force (a rate above 0) on some day of `period`."""
    return any(rule is not None and rule.rate > 0 for _, _, rule in books.rules.spans(base, period.start, period.end))


def _solved_base(solved: list[D.Derived], period: Period) -> str | None:
    """What the books solve of the Microsoft bases over `period` (from recorded revenue and payments): the bases
    the solved shares stand for (those with no figure of their own), and their range."""
    found = [d for d in solved if d.base_interval is not None and period.contains_date(d.date)]
    if not found:
        return None
    total = sum((d.base_interval for d in found if d.base_interval is not None), Interval.exact(Decimal(0)))
    low, high = total.low, total.high
    if low is None or high is None:
        return None
    bases = list(dict.fromkeys(b for d in found for b in d.base_accounts))
    amount = span_text(low, high)
    if len(bases) > 1:
        return f"the books solve {' and '.join(bases)} together only, {amount}"
    return f"the books solve {bases[0] if bases else 'the unrecorded base'} from the payments: {amount}"
