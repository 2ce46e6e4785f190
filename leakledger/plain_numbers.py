"""Which accounts Fava's own pages show as a plain number that is not an exact one, and what each is.

Fava's Income Statement and Balance Sheet print every balance as a number:
an audited "3.7B" posted at its midpoint reads 3,700,000,000, a Microsoft
20% that leaves out an unrecorded Bing base reads as if it were whole. The
books know better (each company's statement over the same entries, the
period table's partial shares); this says so per account, for a notice
atop those pages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from leakledger.company_books import company_view_of
from leakledger.intervals import Interval
from leakledger.model import ENTITIES, SHARE_LEGS
from leakledger.presentation import range_note, range_text
from leakledger.reports import TOTAL_ROW
from leakledger.statements import income_statement
from leakledger.table_numbers import running

__all__ = ["plain_number_notes"]


def plain_number_notes(
    model: Any, accounts: Any = None, shown: tuple | None = None, inverted: bool = False
) -> dict[str, list[str]]:
    """{"range": [...], "at least": [...], "partial": [...], "not known": [...]}: each account's words, where its
    total is not exact ("not known": a balance the books bound neither way, e.g. a Due a share not known settles).

    `model` is a BookModel of the entries in view (the page's filters);
    `accounts`, where given, the accounts the page can show. A total is what
    the Income Statement shows (income and expenses over the entries in
    view), a balance what the Balance Sheet shows (after the last entry).
    `shown`: (entries, options) of the page, where they differ from the
    model's (a company's book: the model reads both companies' books, the
    Balance Sheet the company's own, its pads among them). `inverted`: the
    page shows income, liabilities and equity with their signs turned (Fava's
    `invert-income-liabilities-equity`); each range is signed as shown.
    """
    notes: dict[str, list[str]] = {"range": [], "at least": [], "partial": [], "not known": []}
    view = company_view_of(model.options_map)
    for entity in [view.entity] if view is not None else ENTITIES:
        statement = model.statement(entity, "year")
        if not statement.labels:
            continue
        for line in statement.lines:
            if line.is_total or (accounts is not None and line.key not in accounts):
                continue
            cell = statement.cell(line.key, TOTAL_ROW)
            unknown = [
                label
                for label in statement.labels[:-1]
                if statement.cell(line.key, label).amount is None and statement.cell(line.key, label).not_known
            ]
            if cell.amount is None:
                recorded = any(statement.cell(line.key, label).amount is not None for label in statement.labels[:-1])
                if recorded and unknown:  # Fava shows what is recorded; the books say the rest is not known
                    notes["partial"].append(f"{line.key}{_missing(unknown)}")
                continue
            interval = cell.interval
            if interval is not None and interval.bounded and not unknown:
                notes["range"].append(f"{line.key} {_as_shown(line.key, interval, cell.amount, inverted)}")
            elif (
                interval is not None
                and interval.high is None
                and interval.low is not None
                and (unknown or not cell.lower_bound)
            ):
                notes["at least"].append(
                    f"{line.key} {_as_shown(line.key, interval, cell.amount, inverted)}{_missing(unknown)}"
                )
            elif unknown:
                notes["partial"].append(f"{line.key}{_missing(unknown)}")
        # Fava's page shows the model's own entries in the books of both companies: its statement, built once
        if shown is None or shown[0] is model.entries:
            sheet = statement
        else:
            sheet = income_statement(shown[0], shown[1], entity, "year", model.index)
        for balance in sheet.closing_balances():
            if accounts is not None and balance.account not in accounts:
                continue
            end = balance.cells[TOTAL_ROW]
            if end.amount is None and end.not_known:  # Fava shows what is posted; the books cannot say which way
                notes["not known"].append(balance.account)
            elif end.interval is not None and end.amount is not None:  # a range, or a bound ("≥ 900,000,000")
                shown_as = _as_shown(balance.account, end.interval, end.amount, inverted)
                notes["range" if end.interval.bounded else "at least"].append(f"{balance.account} {shown_as}")
    partial = [row for row in model.period_rows("year", totals=False) if row.get("microsoft_share_partial")]
    if partial:
        legs = SHARE_LEGS["Microsoft"]
        why = "; ".join(f"{row['period']}: {row['microsoft_share_partial']}" for row in partial)
        for account in (legs.payee_income, legs.payer_expense):
            if accounts is None or account in accounts:
                notes["partial"].append(f"{account} (Microsoft's 20% leaves out a base, {why})")
    return notes


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
