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
from collections.abc import Container
from decimal import Decimal
from typing import Any

from beancount.core import data

from leakledger import pads
from leakledger.company_books import company_view_of
from leakledger.intervals import Interval, Spread
from leakledger.model import BALANCE_ROOTS, ENTITIES, SHARE_LEGS, entity_of
from leakledger.periods import Period, period_of
from leakledger.presentation import range_note, range_text
from leakledger.reports import TOTAL_ROW
from leakledger.statement_ranges import balance_spreads, moved_range, moves_key, posting_spread
from leakledger.statements import INCOME, BalanceLine, Statement, StatementCell, income_statement
from leakledger.table_numbers import running

__all__ = ["KINDS", "plain_number_notes", "posting_notes"]

#: The kinds of note, in the order the notice says them. "lower" is no kind of its own: the accounts whose total
#: is a lower bound, which the notice's sentence on implied revenue names.
KINDS = ("range", "at least", "partial", "more", "solved", "not known", "sum", "flows", "postings")


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


def posting_notes(
    model: Any, entries: Any, account: str, window: Period | None = None, kept: Container[int] | None = None
) -> list[str]:
    """Each posting to `account` (or an account under it) dated in `window` that stands for a range, as Fava's
    account page shows it (the books' sign): "2025-12-31 -2,614,000,000 (-2.615B to -2.613B)". `kept`: the ids of
    the entries a filter keeps, where one leaves some out (a posting's range is the books', whatever it keeps).

    `entries`: the page's, on every day (a pad's range rests on what its account moved before it). An accrual
    moves with the ranged revenue it is a share of, a Due leg against its entry's income and expenses, a pad
    against what it pads (`statement_ranges`); OpenAI's unitemized costs, and what they move, as the statement's
    column of them.
    """
    books, memo = model.index, dict[Any, Any]()
    signs = {"Income": Decimal(-1), "Expenses": Decimal(1)}  # statements show income positive

    def mine(name: str) -> bool:
        return name == account or name.startswith(account + ":")

    wanted = {p.account for e in entries if isinstance(e, data.Transaction) for p in e.postings if mine(p.account)}
    wanted |= {padded for e in entries if (padded := pads.padded_account(e)) and not wanted.isdisjoint(_accounts(e))}
    moves: dict[str, list[tuple]] = {}
    by_entry: dict[tuple, Spread] = {}
    flows: list[tuple] = []  # (entry, account, number, its moves) of the income and expenses shown
    for entry in entries:
        if not isinstance(entry, data.Transaction) or wanted.isdisjoint(_accounts(entry)):
            continue
        legs: dict[tuple, list[Spread]] = {}  # each company's own, as its balance legs read them (`moves_key`)
        for posting in entry.postings:
            number = posting.units.number if posting.units is not None else None
            root = posting.account.split(":", 1)[0]
            if number is None:
                continue
            if root in signs:
                moved = posting_spread(entry, number * signs[root], books, memo)
                if moved is None:
                    moved = _column_moves(model, entry, posting.account, number * signs[root])
                if moved is not None:
                    legs.setdefault(moves_key(entry, posting.account), []).append(moved.scaled(signs[root]))
                if mine(posting.account):
                    flows.append((entry, posting.account, number, moved))
            elif root in BALANCE_ROOTS and posting.account in wanted:
                moves.setdefault(posting.account, []).append((entry.date, number, entry))
        by_entry.update((key, Spread.total(moved)) for key, moved in legs.items())
    ranged = {}
    for entry, name, number, moved in flows:
        sign = signs[name.split(":", 1)[0]]
        ranged[(id(entry), name)] = moved_range(number, moved.scaled(sign)) if moved is not None else None
    spreads = balance_spreads(moves, pads.assertions(entries), by_entry, books) if moves else {}
    for name, dated in moves.items():
        for (_, number, entry), spread in zip(dated, spreads[name]):
            ranged[(id(entry), name)] = moved_range(number, spread) if mine(name) else None
    found = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or (window is not None and not window.contains_date(entry.date)):
            continue
        if kept is not None and id(entry) not in kept:
            continue
        for posting in entry.postings:
            interval = ranged.get((id(entry), posting.account))
            if interval is not None and posting.units is not None and posting.units.number is not None:
                found.append(f"{entry.date} {posting.account} {running(posting.units.number)} ({range_text(interval)})")
    return found


def _accounts(entry) -> set[str]:
    return {p.account for p in entry.postings} if isinstance(entry, data.Transaction) else set()


def _column_moves(model: Any, entry, account: str, amount: Decimal) -> Spread | None:
    """The moves of an income or expense posting of `amount` (income positive) that the statement reads as a whole
    column (OpenAI's unitemized costs: the audited total less the lines it leaves out), where its entry's period is
    one column of the company's statement holding exactly that amount: a move of its own; None otherwise."""
    statement = model.statement(entity_of(account), "year")
    period = period_of(entry)
    label = next((label for at, label in zip(statement.periods, statement.labels[:-1]) if at == period), None)
    cell = statement.cells.get((account, label))
    if cell is None or cell.interval is None or cell.amount != amount:
        return None
    return Spread.of(("column", account, label), Decimal(1), cell.interval - Interval.exact(amount))


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
            recorded = [
                c for label in statement.labels[:-1] if (c := statement.cell(line.key, label)).amount is not None
            ]
            if recorded and unknown:  # Fava shows the sum of what is recorded; the statement's total is not known
                notes["sum"].append(f"{line.key} {_recorded(line.key, recorded, inverted)}{_missing(unknown)}")
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
        if window is None and covers is not None and cell.partial:  # the statement's "†"
            said += f" (covers {cell.covers_label})"
            kind = kind or "partial"
        elif window is not None and covers is not None and covers != window:
            more = covers.start < window.start  # a figure dated inside the window over a longer period
            said += f" (covers {covers.label}{', more than the window' if more else ''})"
            kind = kind or ("more" if more else "partial")
        if kind is not None:
            notes[kind].append(said)
    solved = _solved_sum(statement, accounts, inverted)
    if solved:
        notes["solved"].append(solved)
    return blank


def _solved_sum(statement: Statement, accounts: Any, inverted: bool) -> str | None:
    """The income the statement's total holds that no line Fava shows does: bases the books solve as a sum only
    (Bing and Azure OpenAI Service for 2024: 246.2M / 0.2 = 1,231,000,000), each line blank, so what Fava sums of
    the company's income lies below the statement's total; None where the total is the sum of its lines."""
    lines = [line.key for line in statement.lines if line.section == INCOME and not line.is_total]
    total = statement.cell(INCOME, TOTAL_ROW)
    shown = [statement.cell(key, TOTAL_ROW) for key in lines if statement.cell(key, TOTAL_ROW).amount is not None]
    blank = [
        key for key in lines if statement.cell(key, TOTAL_ROW).amount is None and (accounts is None or key in accounts)
    ]
    fava = sum((c.amount for c in shown if c.amount is not None), Decimal(0))
    if total.amount is None or total.amount == fava or not blank:
        return None
    hidden = total.amount - fava
    columns = [label for label in statement.labels[:-1] if _sums_more(statement, lines, label)]
    moves = total.spread - Spread.total(c.spread for c in shown)
    # revenue bases are never negative: beside a recorded one (Azure OpenAI Service 0.5B..1.5B) the solved rest
    # moves against it, down to the cut at 0 (azure-openai-growth's 2024 Bing: 0..781,000,000, as the books solve it)
    interval = (moved_range(hidden, moves) or Interval.exact(hidden)).at_least_zero()
    whole = total.interval or Interval.exact(total.amount)
    fava_total = fava if inverted else -fava  # as Fava shows it: income positive where it inverts it
    entity = statement.entity
    return (
        f"{' + '.join(blank)} {_as_shown('Income', interval, hidden, inverted)} (for {', '.join(columns)}), which "
        f"Fava's sum of {entity}'s income ({running(fava_total)}) leaves out: {entity}'s total income in its "
        f"statement is {range_text(whole if inverted else -whole)}"
    )


def _sums_more(statement: Statement, lines: list[str], label: str) -> bool:
    """Whether the statement's total income in column `label` holds more than its lines (a solved sum of bases)."""
    total = statement.cell(INCOME, label).amount
    parts = [statement.cell(key, label).amount for key in lines]
    return total is not None and total != sum((p for p in parts if p is not None), Decimal(0))


def _recorded(account: str, cells: list[StatementCell], inverted: bool) -> str:
    """What Fava shows of a line whose total is not known: the sum of the figures the books record, and the range
    it stands for ("-6,500,000,000, within -6.55B to -6.45B")."""
    amount = sum((c.amount for c in cells if c.amount is not None), Decimal(0))
    interval = moved_range(amount, Spread.total(c.spread for c in cells))
    if account.split(":", 1)[0] == "Income" and not inverted:  # statements show income positive, the books not
        amount, interval = -amount, None if interval is None else -interval
    within = "" if interval is None else f", within {range_text(interval)}"
    return f"(shown: {running(amount)}{within})"


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
