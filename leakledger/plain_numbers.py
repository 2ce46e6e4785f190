"""Which accounts Fava's own pages show as a plain number that is not an exact one, and what each is.

Fava's Income Statement and Balance Sheet print every balance as a number:
an audited "3.7B" posted at its midpoint reads 3,700,000,000, a Microsoft
20% that leaves out an unrecorded Bing base reads as if it were whole. The
books know better (each company's statement over the same entries, the
period table's partial shares); this says so per account, for a notice
atop those pages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import data

from leakledger.company_books import company_view_of
from leakledger.intervals import Interval
from leakledger.model import BALANCE_ROOTS, ENTITIES, SHARE_LEGS
from leakledger.periods import Period
from leakledger.presentation import range_note, range_text
from leakledger.reports import TOTAL_ROW
from leakledger.statements import BalanceLine, Statement, income_statement
from leakledger.table_numbers import running

__all__ = ["KINDS", "plain_number_notes"]

#: The kinds of note, in the order the notice says them. "lower" is no kind of its own: the accounts whose total
#: is a lower bound, which the notice's sentence on implied revenue names.
KINDS = ("range", "at least", "partial", "more", "not known", "flows")


def plain_number_notes(
    model: Any,
    accounts: Any = None,
    shown: tuple | None = None,
    inverted: bool = False,
    window: Period | None = None,
    lower: bool = True,
) -> dict[str, list[str]]:
    """{kind: [...]} for each of KINDS and "lower": each account's words, where its total is not exact.

    `model` is a BookModel of the entries in view (the page's account and
    advanced filters, not its time filter); `accounts`, where given, the
    accounts the page can show. A total is what the Income Statement shows
    (income and expenses over the window), a balance what the Balance Sheet
    shows (at the window's end). `window`: the days Fava's time filter keeps
    (None: every day); each total is then the books' own over the entries
    dated inside it, read against the whole books, and says where its figures
    cover more or less than it. `shown`: (entries, options) of the page,
    unfiltered by time, where they differ from the model's (a company's book:
    the model reads both companies' books, the Balance Sheet the company's
    own, its pads among them). `inverted`: the page shows income, liabilities
    and equity with their signs turned (Fava's
    `invert-income-liabilities-equity`); each range is signed as shown.
    `lower`: whether to read "lower" where the accounts are balances only
    (the statement of a window is read only where its totals are wanted).
    """
    notes: dict[str, list[str]] = {kind: [] for kind in (*KINDS, "lower")}
    view = company_view_of(model.options_map)
    roots = None if accounts is None else {account.split(":", 1)[0] for account in accounts}
    names = (model.options_map.get("name_income", "Income"), model.options_map.get("name_expenses", "Expenses"))
    totals = roots is None or lower or not roots.isdisjoint(names)
    balances = roots is None or not roots.isdisjoint(BALANCE_ROOTS)
    for entity in [view.entity] if view is not None else ENTITIES:
        if totals:
            statement = model.statement(entity, "year") if window is None else _window_statement(model, entity, window)
            blank = _totals(statement, accounts, inverted, window, notes) if statement.labels else []
            if blank and window is not None:  # what the books record for other periods only: not zero here
                recorded = _posted_by(model.entries, set(blank), datetime.date.max)
                notes["not known"] += [f"{a} for {window.label} (recorded for other periods)" for a in recorded]
        if not balances:
            continue
        # Fava's page shows the model's own entries in the books of both companies: its statement, built once
        if shown is None or shown[0] is model.entries:
            sheet = model.statement(entity, "year")
        else:
            sheet = income_statement(shown[0], shown[1], entity, "year", model.index)
        unknown = []  # balances the books do not know at the window's end
        for balance in _balances_at(sheet, None if window is None else window.end):
            if accounts is not None and balance.account not in accounts:
                continue
            end = balance.cells[TOTAL_ROW]
            if end.interval is not None and end.amount is not None:  # a range, or a bound ("≥ 900,000,000")
                shown_as = _as_shown(balance.account, end.interval, end.amount, inverted)
                notes["range" if end.interval.bounded else "at least"].append(f"{balance.account} {shown_as}")
            elif end.amount is None and end.not_known:
                unknown.append(balance.account)
        if unknown:  # Fava shows what the books record of those by then (a Due a share not known settles): flows
            day = window.end if window is not None else max(entry.date for entry in sheet.sheet_of[0])
            posted = _posted_by(sheet.sheet_of[0], set(unknown), day)
            said = {account: f"{account} at {day}" if window else account for account in unknown}
            notes["flows"] += [said[account] for account in unknown if account in posted]
            notes["not known"] += [said[account] for account in unknown if account not in posted]  # Fava: blank
    partial = [
        row
        for row in model.period_rows("year", totals=False)
        if row.get("microsoft_share_partial")
        and (window is None or (row["start"] <= window.end and window.start <= row["end"]))
    ]
    if partial:
        legs = SHARE_LEGS["Microsoft"]
        why = "; ".join(f"{row['period']}: {row['microsoft_share_partial']}" for row in partial)
        for account in (legs.payee_income, legs.payer_expense):
            if accounts is None or account in accounts:
                notes["partial"].append(f"{account} (Microsoft's 20% leaves out a base, {why})")
    return notes


def _posted_by(entries, accounts: set[str], end: datetime.date) -> set[str]:
    """Those of `accounts` that a transaction by the end of day `end` posts to (Fava shows their sum)."""
    found: set[str] = set()
    for entry in entries:
        if entry.date <= end and isinstance(entry, data.Transaction):
            found.update(p.account for p in entry.postings if p.account in accounts)
    return found


def _balances_at(sheet: Statement, end: datetime.date | None) -> tuple[BalanceLine, ...]:
    """The balance-sheet accounts at the end of day `end` (None: after the books' last entry), one cell each
    (TOTAL_ROW): a column of the statement's own balance sheet where one ends that day (read once per model,
    for every such window), else read afresh."""
    column = next((c for c in sheet.balance_columns if c.period.end == end), None) if end is not None else None
    if column is not None:
        return tuple(line._replace(cells={TOTAL_ROW: line.cells[column.label]}) for line in sheet.balances)
    return sheet.closing_balances(end)


def _window_statement(model: Any, entity: str, window: Period) -> Statement:
    """`entity`'s statement of the entries dated inside `window`, read against the whole books (the model's
    index where it holds them: the combined books, or a company's view of them unfiltered)."""
    view = company_view_of(model.options_map)
    whole = model.index if view is None or model.entries is view.whole else None
    return income_statement(model.entries, model.options_map, entity, "year", whole, window)


def _totals(statement: Statement, accounts: Any, inverted: bool, window: Period | None, notes: dict) -> list[str]:
    """The notes on each account's total (the statement's last column): ranges, bounds, what is not known, and
    under a window, what covers more or less of it; returns the accounts blank in the window with no reason."""
    blank: list[str] = []
    for line in statement.lines:
        if line.is_total:
            continue
        cell = statement.cell(line.key, TOTAL_ROW)
        if cell.lower_bound:
            notes["lower"].append(line.key)
        if accounts is not None and line.key not in accounts:
            continue
        unknown = [
            label
            for label in statement.labels[:-1]
            if statement.cell(line.key, label).amount is None and statement.cell(line.key, label).not_known
        ]
        if cell.amount is None:
            recorded = any(statement.cell(line.key, label).amount is not None for label in statement.labels[:-1])
            if recorded and unknown:  # Fava shows what is recorded; the books say the rest is not known
                notes["partial"].append(f"{line.key}{_missing(unknown)}")
            elif unknown:  # Fava shows the line blank
                notes["not known"].append(f"{line.key} for {', '.join(unknown)}")
            elif window is not None:  # nothing dated inside the window: blank, whatever other periods record
                blank.append(line.key)
            continue
        kind, said = None, line.key
        interval = cell.interval
        if interval is not None and interval.bounded and not unknown:
            kind, said = "range", f"{line.key} {_as_shown(line.key, interval, cell.amount, inverted)}"
        elif (
            interval is not None
            and interval.high is None
            and interval.low is not None
            and (unknown or not cell.lower_bound)
        ):
            kind = "at least"
            said = f"{line.key} {_as_shown(line.key, interval, cell.amount, inverted)}{_missing(unknown)}"
        elif unknown:
            kind, said = "partial", f"{line.key}{_missing(unknown)}"
        covers = cell.covers
        if window is not None and covers is not None and covers != window:
            more = covers.start < window.start  # a figure dated inside the window over a longer period
            said += f" (covers {covers.label}{', more than the window' if more else ''})"
            kind = kind or ("more" if more else "partial")
        if kind is not None:
            notes[kind].append(said)
    return blank


def _as_shown(account: str, interval: Interval, amount: Decimal, inverted: bool) -> str:
    """An account's range signed as Fava shows it (a statement's income is positive, a balance as posted)."""
    root = account.split(":", 1)[0]
    if root in ("Liabilities", "Equity") if inverted else root == "Income":
        interval, amount = -interval, -amount
    if interval.bounded:
        return range_text(interval) + _posted(interval, amount)
    end = interval.low if interval.high is None else interval.high
    # a bound the page shows above its end ("≥ 400,000,000" where a ranged Bing posts at its midpoint): say so
    return range_text(interval) + ("" if amount == end else f" (shown: {running(amount)})")


def _posted(interval: Any, amount: Any) -> str:
    """Words after a range whose shown amount is not its midpoint (the notice says ranges show midpoints)."""
    words = range_note(interval, amount)
    return "" if words.startswith("midpoint") else f" (shown: {words}, not its midpoint)"


def _missing(labels: list[str]) -> str:
    return f" (not known for {', '.join(labels)})" if labels else ""
