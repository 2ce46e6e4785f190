"""Each company's income statement by period, from its own books.

    from leakledger.statements import income_statement, load_statement
    statement = load_statement("ledger/openai.beancount", "OpenAI", by="year")
    statement.cell("Income:OpenAI:Revenue", "2024")   # StatementCell(amount=Decimal('2469000000.00'), lower_bound=True)
    statement.cell(NET, "2024").amount                 # Decimal('-1791900000.00')
    statement.records()                                # one dict per (period, line), for CSV and JSON

A line is one of the company's Income or Expenses accounts (every one its
book opens, in account order), then the totals `income` and `expenses` and
the `net` result. Income and expenses are positive; net is income less
expenses. An account line with no posting in a period is None (nothing
recorded is not zero), and so is a total none of whose lines has a figure,
and the net unless both totals have one (income less unknown expenses is
not known). Each cell carries the span its figures cover and whether that
is less than its period (`partial`). Money is Decimal, to the cent.

Periods are those of `leakledger report`: calendar years, halves or quarters
from the first figure to the last, merging the cells one figure spans (a
yearly total is not split into quarters), then the `total` column; `covered`
names the span a period's postings cover where it is less (2025: 2025-01..2025-09).

Bounds: where a payment's implied revenue is a lower bound, no Microsoft
revenue base B (Bing, Azure OpenAI Service) is recorded and it is taken as
zero. Every line that grows with B is then a lower bound too: the share base
accounts, both shares, the totals holding them and each company's net
(OpenAI: 4N + 5 x 0.2B - inference, for a net payment N at 20%; Microsoft:
N + inference + B). The bounds are read from the model, which is derived
from the books of both companies: a company book keeps them whole
(`leakledger.plugins.company_view`).

Ranges: a cell whose inputs are ranges (audited "3.7B" is 3.65B..3.75B)
carries `interval`, from each posting's moves (`leakledger.statement_ranges`,
a `Spread` per ranged input, so lines that move with one input cancel) and
no wider than its lines' intervals added; a lower bound's is open above.
Balances: `leakledger.balance_sheet` gives the company's balance-sheet
accounts at each period's end, each saying what it is.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from leakledger import derived as D
from leakledger.amounts import ZERO_CENTS as ZERO
from leakledger.amounts import cents
from leakledger.balance_sheet import BalanceCell, BalanceColumn, BalanceLine, balance_sheet, moves_balance, through
from leakledger.book_index import BookIndex, index_books
from leakledger.company_books import company_view_of, entity_named, keep_company
from leakledger.errors import UsageError
from leakledger.intervals import UNKNOWN_BASE, Interval, Spread
from leakledger.model import (
    DUE_ACCOUNTS,
    GENERATED_TAG,
    PAYMENT_METRIC,
    SHARE_ACCOUNTS,
    SHARE_LEGS,
    A,
    RuleBook,
    ShareLegs,
    entity_of,
    held_to_caps,
)
from leakledger.periods import Coverage, Period, Rows, covered_span, period_of, spans_label
from leakledger.reports import BY, TOTAL_ROW, grid_cell, load_clean, period_grid, whole_share
from leakledger.statement_gaps import blank_reasons, share_in_force, unrecorded_cells
from leakledger.statement_ranges import moved_range, moves_key, posting_spread, unitemized_spread
from leakledger.table_numbers import ends_text
from leakledger.table_numbers import running as grouped

__all__ = [
    "INCOME",
    "EXPENSES",
    "NET",
    "TOTAL_ROW",
    "RECORD_COLUMNS",
    "StatementCell",
    "Line",
    "Statement",
    "BalanceCell",
    "BalanceLine",
    "BALANCE_COLUMNS",
    "balance_sheet",
    "balance_records",
    "income_statement",
    "load_statement",
]

#: The keys of the statement's computed lines.
INCOME, EXPENSES, NET = "income", "expenses", "net"
#: The columns of `Statement.records()`, in order.
RECORD_COLUMNS = (
    "entity",
    "period",
    "start",
    "end",
    "covered",
    "section",
    "line",
    "amount",
    "amount_low",
    "amount_high",
    "bound",
    "covers",
    "partial",
    "not_known",
    "amount_blank",
)


@dataclass(frozen=True)
class Line:
    """One line of the statement: an account, or a total (`key` is INCOME, EXPENSES or NET)."""

    key: str
    section: str  # INCOME, EXPENSES or NET

    @property
    def is_total(self) -> bool:
        return self.key in (INCOME, EXPENSES, NET)


class StatementCell(NamedTuple):
    """A line's amount over a period (None: nothing recorded), and whether it is a lower bound.

    `covers` is the span its figures cover; `partial` says some of them cover
    less than the period (a total of a Jan-Sep line and a whole-year one).
    `interval` is the range the amount stands for where its inputs are ranges
    (3.7B of audited revenue is 3.65B..3.75B), None where it is exact or
    only a lower bound ("≥" says that).
    """

    amount: Decimal | None
    lower_bound: bool = False
    covers: Period | None = None
    partial: bool = False
    interval: Interval | None = None
    #: How far the amount moves with which ranged inputs (what `interval` is computed from).
    moves: Spread | None = None
    #: Why some of the line's amount is not known (a share the books cannot solve): the cell is
    #: "not known", or, where other figures are summed, open on the side the unknown amount moves it.
    not_known: str | None = None
    #: The runs of days inside `covers` that none of its figures covers (2026-Q1 of a 2024..2030 total whose
    #: 2026 figures start in April): `covers` is first to last day, and the cell is partial where these are.
    gaps: tuple[Period, ...] = ()

    @property
    def covers_label(self) -> str | None:
        """What its figures cover, said whole: "2024-01..2030-12 except 2026-Q1" (None: no figure)."""
        return spans_label(self.covers, self.gaps) if self.covers is not None else None

    @property
    def bound(self) -> str | None:
        """What CSV and JSON say beside the amount, as the text's mark does (`bound_of`)."""
        return bound_of(self.amount, self.interval, self.lower_bound)

    @property
    def spread(self) -> Spread:
        """Its moves, none where it moves with nothing: what sums of cells add."""
        return self.moves if self.moves is not None else Spread()


def bound_of(amount: Decimal | None, interval: Interval | None, lower_bound: bool = False) -> str | None:
    """ "lower" for a number that reads "≥ x", "upper" for one that reads "≤ x" (a range open at one end), else
    None (exact, a range, or no number)."""
    if amount is None:
        return None
    if lower_bound or (interval is not None and interval.low is not None and interval.high is None):
        return D.LOWER
    return UPPER if interval is not None and interval.low is None and interval.high is not None else None


#: `bound` of a cell that reads "≤ x" (D.LOWER of one that reads "≥ x").
UPPER = "upper"


@dataclass(frozen=True)
class Statement:
    """One company's income statement: lines down, periods across."""

    entity: str
    by: str
    periods: tuple[Period, ...]  # the grid's periods, then the whole span
    labels: tuple[str, ...]  # their labels; the last is TOTAL_ROW
    lines: tuple[Line, ...]
    cells: dict  # (line key, period label) -> StatementCell
    covered: dict  # period label -> the Period its postings cover, where that is less than the period
    caps: tuple[str, ...] = ()  # the state of each cap on a share the company pays or receives, one line each
    #: What `balances` is read from, `balance_sheet`'s arguments: made when first read (the timeline never does).
    sheet_of: tuple = field(default=(), repr=False, compare=False)
    #: What a line blank in every column is, where it is no gap (`statement_gaps.unrecorded_cells`).
    blank_lines: tuple[str, ...] = ()
    #: The net result beside the operating result the company's own statements state for a column (`_stated`).
    stated: tuple[str, ...] = ()
    #: (line, label) -> why a blank cell that is not "not known" is blank (`statement_gaps.blank_reasons`).
    blanks: dict = field(default_factory=dict)
    #: period label -> the runs of days inside `covered[label]` that none of its figures covers
    covered_gaps: dict = field(default_factory=dict)

    def covered_label(self, label: str) -> str | None:
        """What a column's figures cover where that is less than its period ("2024-01..2030-12 except 2026-Q1")."""
        span = self.covered.get(label)
        return None if span is None else spans_label(span, self.covered_gaps.get(label, ()))

    @functools.cached_property
    def balance_columns(self) -> tuple[BalanceColumn, ...]:
        """The balance sheet's columns: the grid's periods, then a `by` period for each later one the company's
        balance entries reach (OpenAI's cash asserted on 2026-04-01, past its last income or expense figure).
        The last ends on the last day those entries speak of, not after it: the books say nothing of a balance
        after their last entry (Microsoft's 2026 reads "at 2026-06-30", not as of 2026-12-31)."""
        if not self.sheet_of:
            return ()
        own, entity, grid, labels, *_ = self.sheet_of
        days = [e.date for e in own if moves_balance(e, entity)]
        if not days or not grid:
            return ()
        last = max(days)
        periods, names = list(grid), list(labels)
        while periods[-1].end < last:
            after = periods[-1].end + datetime.timedelta(days=1)
            cell = grid_cell(after, self.by)
            periods.append(cell)
            names.append(cell.label)
        return tuple(
            BalanceColumn(label, Period(period.start, min(period.end, last)), period.end)
            for label, period in zip(names, periods)
            if period.start <= last
        )

    @functools.cached_property
    def balances(self) -> tuple[BalanceLine, ...]:
        """The company's balance-sheet accounts at the end of each of `balance_columns` (`balance_sheet`)."""
        if not self.sheet_of or not self.balance_columns:
            return ()
        own, entity, *_ = self.sheet_of
        columns = self.balance_columns
        lines = balance_sheet(own, entity, [c.period for c in columns], [c.label for c in columns], *self._sheet_rest)
        return self._dues_opened(lines, {c.label: c.period for c in columns})

    @functools.cached_property
    def _sheet_rest(self) -> tuple:
        """`balance_sheet`'s last arguments: the books' index and each entry's moves, summed when first read."""
        books, moves_by_entry = self.sheet_of[4:6]
        return books, moves_by_entry()

    def _dues_opened(self, lines: tuple[BalanceLine, ...], ends: dict[str, Period]) -> tuple[BalanceLine, ...]:
        """The Due accounts where a share they settle is not known, from that share's period on, and why.

        A share not known (Microsoft's 20% for 2025: no 2025-Q4 payment; OpenAI's for 2026: no 2026 revenue)
        leaves its own Dues open away from zero: its receivable at least, its payable at most (credit
        negative) what is posted. Where net payments fall in its period, they settled it too, unposted: the
        Dues they post to (the other share's) are open toward zero, what they leave owed at most what is
        posted. Open both ways, a Due is not known. Not where a payment implies revenue: read as if the other
        share were 0, it leaves both Dues exact.
        """
        books = self.sheet_of[4] if len(self.sheet_of) > 4 else None
        opened: dict[str, dict[bool, tuple[datetime.date, str]]] = {}  # Due -> {away from zero: (from, why)}

        def open_due(due: str, away: bool, start: datetime.date, why: str) -> None:
            opened.setdefault(due, {}).setdefault(away, (start, why))

        for legs in SHARE_LEGS.values():
            for period, gap, label, why in self._shares_not_known(legs, books):
                for due, most in ((legs.payee_due, "at least"), (legs.payer_due, "at most")):
                    open_due(due, True, period.start, f"{due}: {most} what is posted, from {label} on: {why}")
                if books is None:
                    continue
                netting = [fig for fig in books.inside([PAYMENT_METRIC], period) if fig.period.overlaps(gap)]
                for fig in netting:
                    for posting in fig.entry.postings:
                        if posting.account in DUE_ACCOUNTS and posting.account not in (legs.payee_due, legs.payer_due):
                            words = (
                                f"{posting.account}: nearer 0 than posted, from {label} on: the net payments in "
                                f"{label} also settle a share not known there ({why}), so less may be owed"
                            )
                            open_due(posting.account, False, period.start, words)
        if not opened:
            return lines
        out = []
        for line in lines:
            sides = opened.get(line.account)
            if not sides:
                out.append(line)
                continue
            cells = {}
            for label, cell in line.cells.items():
                live = {away: why for away, (start, why) in sides.items() if ends[label].end >= start}
                if cell.amount is None or not live:
                    cells[label] = cell
                    continue
                low, high = (cell.interval.low, cell.interval.high) if cell.interval else (cell.amount, cell.amount)
                asset = line.account.startswith("Assets:")  # a receivable grows away from zero upward
                if True in live:
                    low, high = (low, None) if asset else (None, high)
                if False in live:
                    low, high = (None, high) if asset else (low, None)
                why = "; ".join(live.values())
                cells[label] = (
                    BalanceCell(None, why)
                    if low is None and high is None
                    else cell._replace(interval=Interval(low, high), not_known=why)
                )
            out.append(line._replace(cells=cells))
        return tuple(out)

    def _shares_not_known(self, legs, books) -> list[tuple[Period, Period, str, str]]:
        """(column period, the days in it, its label, why) where a share is in force on days no accrual of it
        covers: a column past the statement's last, part of a column whose accruals cover less (the books as
        known on 2026-06-15: OpenAI's 20% of 2025-Q4), or a share the books cannot solve (Microsoft's 2025).
        A payment's implied revenue covers Microsoft's share too: read as 0, it leaves both Dues exact."""
        if books is None:
            return []
        accrued = [period_of(d.entry) for d in books.of_rule(D.RULE_SHARE) if d.payer == legs.payer]
        if legs.payer != "OpenAI":  # an implied revenue reads the other share as 0 over its period
            accrued += [period_of(d.entry) for d in books.of_rule(D.RULE_IMPLIED)]
        found, coverage = [], Coverage(accrued)
        # the shares plugin's notes: part of a share it cannot solve, though some of it accrues (azure-openai-growth's
        # 2025: Azure OpenAI Service recorded, Bing not, and no 2025-Q4 payment), which coverage alone does not see
        noted = [(span, note.comment) for note, span in books.not_known if note.account == legs.payer_expense]
        for column in self.balance_columns:
            within = [(span, why) for span, why in noted if span.overlaps(column.period)]
            for gap in coverage.gaps(column.period):
                if share_in_force(books, legs.payer, gap):
                    why = f"{legs.payer}'s 20% is in force over {gap.label} and nothing accrues it there"
                    for span, _ in within:  # not known over more than the days nothing accrues: the payments there
                        gap = Period(min(gap.start, span.start), max(gap.end, span.end))  # settled it too
                    found.append((column.period, _inside(gap, column.period), column.label, why))
                    break
            else:
                found += [(column.period, _inside(span, column.period), column.label, why) for span, why in within[:1]]
        return found

    def closing_balances(self, end: datetime.date | None = None) -> tuple[BalanceLine, ...]:
        """The balance-sheet accounts after the books' last entry, one cell each (TOTAL_ROW): what Fava shows;
        at the end of day `end` where that is earlier (what Fava's Balance Sheet shows under its time filter)."""
        if not self.sheet_of or not self.sheet_of[0]:
            return ()
        entries, entity, grid, *_ = self.sheet_of
        last = max(entry.date for entry in entries)
        if end is not None and end < last:
            last, entries = end, through(entries, end)
        whole = Period(min(grid[0].start, last), last)
        lines = balance_sheet(entries, entity, [whole], [TOTAL_ROW], *self._sheet_rest)
        return self._dues_opened(lines, {TOTAL_ROW: whole})

    def cell(self, line: str, label: str) -> StatementCell:
        return self.cells[(line, label)]

    @property
    def lower_bound(self) -> bool:
        """Whether any figure of the statement is a lower bound."""
        return any(c.lower_bound for c in self.cells.values())

    @property
    def bounded(self) -> bool:
        """Whether any cell reads as a bound, "≥ x" or "≤ x": a lower bound, or a range open at one end (a figure
        stated as "at least", what it feeds): what `presentation.BOUND_NOTE` under the statement explains."""
        return self.lower_bound or any(
            (i := c.interval) is not None and (i.low is None) != (i.high is None) for c in self.cells.values()
        )

    @property
    def blank_notes(self) -> list[str]:
        """Why the blank cells no other note explains are blank, one note per line and reason ("…, blank for 2027,
        2028: nothing accrues: …"); a line blank throughout has its own note (`blank_lines`)."""
        at = dict(zip(self.labels, self.periods))
        columns: dict[tuple[str, str], list[Period]] = {}
        for (line, label), why in self.blanks.items():
            if f"{line}: {why}" not in self.blank_lines and label != TOTAL_ROW:
                columns.setdefault((line, why), []).append(at[label])
        notes = []
        for (line, why), periods in columns.items():  # adjoining columns as one span: "2026-07..2030-12"
            runs = _runs(*covered_span(periods))
            notes.append(f"{line}, blank for {', '.join(run.label for run in runs)}: {why}")
        return notes

    @property
    def not_known(self) -> list[str]:
        """Why a line is not known in some period (the books' own words), each said once."""
        return list(dict.fromkeys(c.not_known for c in self.cells.values() if c.not_known))

    def records(self) -> list[dict]:
        """One row per period and line (RECORD_COLUMNS): what CSV and JSON carry."""
        rows = []
        for period, label in zip(self.periods, self.labels):
            for line in self.lines:
                cell = self.cells[(line.key, label)]
                rows.append(
                    {
                        "entity": self.entity,
                        "period": label,
                        "start": period.start,
                        "end": period.end,
                        "covered": self.covered_label(label),
                        "section": line.section,
                        "line": line.key,
                        "amount": cell.amount,
                        "amount_low": cell.interval.low if cell.interval else None,
                        "amount_high": cell.interval.high if cell.interval else None,
                        "bound": cell.bound,
                        "covers": cell.covers_label,
                        "partial": True if cell.partial else None,
                        "not_known": cell.not_known,
                        "amount_blank": None
                        if cell.amount is not None
                        else cell.not_known
                        or f"{line.key} for {label}: {self.blanks.get((line.key, label), 'nothing recorded')}",
                    }
                )
        return rows


#: The columns of `Statement.balance_records()`.
BALANCE_COLUMNS = (
    "entity",
    "period",
    "end",
    "account",
    "balance",
    "balance_low",
    "balance_high",
    "bound",
    "not_known",
)


def balance_records(statement: Statement) -> list[dict]:
    """One row per period end and balance-sheet account: what CSV and JSON carry (`statement --balance-sheet`);
    `end` is the day the balance is as of (the books' last entry, in a period it ends inside)."""
    ends = {column.label: column.period for column in statement.balance_columns}
    return [
        {
            "entity": statement.entity,
            "period": label,
            "end": ends[label].end,
            "account": line.account,
            "balance": cell.amount,
            "balance_low": cell.interval.low if cell.interval else None,
            "balance_high": cell.interval.high if cell.interval else None,
            "bound": bound_of(cell.amount, cell.interval),
            "not_known": cell.not_known,
        }
        for line in statement.balances
        for label, cell in line.cells.items()
    ]


def _inside(span: Period, whole: Period) -> Period:
    """The part of `span` inside `whole` (they overlap)."""
    return Period(max(span.start, whole.start), min(span.end, whole.end))


def _lines(entries, accounts_seen, entity: str, roots: tuple[str, str]) -> list[Line]:
    opened = {e.account for e in entries if isinstance(e, data.Open) and entity_of(e.account) == entity}
    accounts = sorted(a for a in opened | accounts_seen if a.split(":", 1)[0] in roots)
    lines = []
    for root, section in zip(roots, (INCOME, EXPENSES)):
        lines += [Line(a, section) for a in accounts if a.split(":", 1)[0] == root]
        lines.append(Line(section, section))
    lines.append(Line(NET, NET))
    return lines


def _bounded_accounts(book: RuleBook) -> set[str]:
    """The accounts whose amounts grow with an unrecorded Microsoft base: bases and shares."""
    return set(book.bases) | SHARE_ACCOUNTS


def income_statement(
    entries,
    options_map,
    entity: str,
    by: str = "year",
    whole_index: BookIndex | None = None,
    window: Period | None = None,
) -> Statement:
    """`entity`'s income statement from loaded books, grouped `by` year, half or quarter.

    `entries` and `options_map` are a company book as loaded (its own
    postings, the whole books kept by the view) or the combined books (the
    company's postings are picked out the same way). UsageError for an
    unknown entity or grouping, or the other company's book. `whole_index` is
    the books of both companies as `leakledger.book_index` read them, when the
    caller has read them already (a BookModel of the combined books).
    `window`: one column, that period, of what Fava's time filter keeps of
    the books (the entries dated inside it, whose figures may cover more),
    read against the whole books; it has no balance sheet.
    """
    company = entity_named(entity)
    if company is None:
        raise UsageError(f"no company {entity!r}: use OpenAI or Microsoft")
    if by not in BY:
        raise UsageError(f"cannot group by {by!r}: use one of {', '.join(BY)}")
    view = company_view_of(options_map)
    if view is not None and view.entity != company:
        raise UsageError(f"these are {view.entity}'s books, not {company}'s")
    whole = view.whole if view is not None else entries
    books = whole_index if whole_index is not None else index_books(whole)
    own = keep_company(entries, company)
    roots = (options_map.get("name_income", "Income"), options_map.get("name_expenses", "Expenses"))

    items: list[tuple[Period, str, Decimal]] = []  # (period, account, amount: income and expenses positive)
    spread: dict[int, Spread] = {}  # item index -> how far its amount may move, where it is a range
    owners: dict[int, tuple[data.Transaction, int]] = {}  # item index -> its entry and sign (income: -1), if it moves
    memo: dict = {}  # what posting_spread reads once for all postings
    periods_of: dict = {}  # (date, period-start as written) -> its Period: one per day, not one per entry
    root_of: dict[str, str] = {}  # account -> its root, split once per account, not per posting
    last_day = None  # the last day the company's own entries speak of: its statement's columns reach it
    for entry in own:
        if not isinstance(entry, data.Transaction) or (window is not None and not window.contains_date(entry.date)):
            if isinstance(entry, data.Balance):  # checked at the start of its day: of the day before
                day = entry.date - datetime.timedelta(days=1)
                last_day = day if last_day is None or day > last_day else last_day
            continue
        last_day = entry.date if last_day is None or entry.date > last_day else last_day
        period = None
        meta = entry.meta or {}
        # only a figure or a derived entry moves (`posting_spread`): a line item is exact, with no call to say so
        may_move = "metric" in meta or (entry.tags and GENERATED_TAG in entry.tags)
        for posting in entry.postings:
            account = posting.account
            root = root_of.get(account) or root_of.setdefault(account, account.split(":", 1)[0])
            if root in roots and posting.units is not None:
                if period is None:
                    read = (entry.date, meta.get("period-start"))
                    period = periods_of.get(read) or periods_of.setdefault(read, period_of(entry))
                number = posting.units.number
                assert number is not None, "a loaded book's postings carry their number"
                sign = -1 if root == roots[0] else 1
                amount = -number if sign < 0 else number
                if may_move:  # a costs-not-itemized rest gets its moves below: its owner is kept here too
                    owners[len(items)] = (entry, sign)
                    if (moves := posting_spread(entry, amount, books, memo)) is not None:
                        spread[len(items)] = moves
                items.append((period, account, amount))
    for index, (period, account, amount) in enumerate(items):
        if account == A.OAI_COSTS_NOT_ITEMIZED:
            others = [
                moves
                for other, moves in spread.items()
                if items[other][1].startswith("Expenses:OpenAI:") and period.contains_date(items[other][0].end)
            ]
            moves = unitemized_spread(period, amount, others, books)
            if moves is not None:
                spread[index] = moves
    lower = [
        period_of(d.entry)
        for d in books.of_rule(D.RULE_IMPLIED)
        if d.lower_bound and (window is None or window.contains_date(d.date))
    ]
    lines = _lines(own, {a for _, a, _ in items}, company, roots)
    caps = tuple(status.summary() for status in books.caps if company in (entity_of(status.cap.base), status.cap.payee))
    if not items:
        return Statement(company, by, (), (), tuple(lines), {}, {}, caps)

    by_period: dict[tuple[Period, str], Decimal] = {}  # (period, account) -> its items added: one per day, not item
    for period, account, amount in items:
        key_of = (period, account)
        by_period[key_of] = by_period.get(key_of, ZERO) + amount
    # past the last income or expense, the columns go on as far as the company's entries do (OpenAI's cash and
    # funding in 2026): what the books do not record there is not known, never left out of the statement
    reach = [Period(last_day, last_day)] if last_day is not None else []
    grid = period_grid([p for p, _ in by_period] + lower + reach, by) if window is None else [window]
    periods = (*grid, Period(grid[0].start, grid[-1].end))
    labels = (*(p.label for p in grid), TOTAL_ROW)
    row_of = Rows(p.start for p in grid).row_of if window is None else _one_row  # the grid's row that holds a day
    dated = books if window is None else _dated(books, window)
    sums: dict[tuple[str, str], Decimal] = {}
    # (first day, last day) of what each cell and each row covers: made Periods once, at the end
    row_periods: dict[str, list[Period]] = {}  # each row's figures' periods
    cell_periods: dict[tuple[str, str], list[Period]] = {}  # each cell's figures' periods: its span and its gaps
    for (period, account), amount in by_period.items():
        label = labels[row_of(period.start)]
        for key in ((account, label), (account, TOTAL_ROW)):
            sums[key] = sums.get(key, ZERO) + amount
            cell_periods.setdefault(key, []).append(period)
        for row in (label, TOTAL_ROW):
            row_periods.setdefault(row, []).append(period)
    last_figure, entries_end = max(p.end for p in row_periods[TOTAL_ROW]), last_day if window is None else None
    for label, period in zip(labels, grid):
        # a column past the last figure, there for the company's other entries (OpenAI's cash and funding to
        # 2026-06-30), covers its days up to the last they speak of, and the total adds it: its cells are "not
        # known" there, not left out (OpenAI's 2026 reads "2026 (2026-H1)" as Microsoft's does)
        if entries_end is not None and last_figure < period.start <= entries_end:
            reached = Period(period.start, min(period.end, entries_end))
            row_periods[label] = [reached]
            row_periods[TOTAL_ROW].append(reached)
    row_spans = {row: covered_span(ps) for row, ps in row_periods.items()}
    cell_spans = {key: covered_span(ps) for key, ps in cell_periods.items()}
    covered = {
        label: row_spans[label][0]
        for label, period in zip(labels, periods)
        if label in row_spans and row_spans[label] != (period, ())
    }
    covered_gaps = {label: row_spans[label][1] for label in covered if row_spans[label][1]}
    bounded_rows = {labels[row_of(p.start)] for p in lower}
    if bounded_rows:
        bounded_rows.add(TOTAL_ROW)
    bounded = _bounded_accounts(books.rules)

    gathered: dict[tuple[str, str], list[Spread]] = {}  # (account, label) -> its items' moves
    for index, moved in spread.items():
        period, account, _ = items[index]
        for key in ((account, labels[row_of(period.start)]), (account, TOTAL_ROW)):
            gathered.setdefault(key, []).append(moved)
    spreads = {key: Spread.total(moves) for key, moves in gathered.items()}  # added up once each, not per item

    unknown = _not_known_cells(dated, {line.key for line in lines}, labels, row_of)
    columns = list(zip(labels[:-1], periods[:-1]))
    accounts_of = [line.key for line in lines if not line.is_total]
    blank, signed, blank_lines = unrecorded_cells(books, company, accounts_of, columns, sums, bounded_rows, TOTAL_ROW)
    for key, reason in blank.items():
        unknown.setdefault(key, reason)
    own_legs = next((legs for legs in SHARE_LEGS.values() if legs.payer == company), None)
    own_bases = books.rules.bases_of(company)
    offset: set[tuple[str, str]] = set()  # the not-known cells a net absorbs
    if own_legs is not None and own_bases:
        # the company's own 20% not known, on bases of its own not known either: a fifth of income it has whole,
        # so it opens no net (Microsoft's 2025, its share not solvable; a payment's implied revenue, which reads
        # it as 0 and grows with it)
        paid = own_legs.payer_expense
        offset |= {
            (paid, label)
            for label in labels
            if (paid, label) in unknown and all((b, label) in unknown for b in own_bases)
        }
    capped = _capped_cells(dated, labels, row_of, unknown)

    solved = _solved_bases(books, own_legs, labels, periods, unknown, memo, sums, spreads)
    cells = {}
    for label, whole in zip(labels, periods):
        in_bound = label in bounded_rows
        totals = {}
        for_net = {}  # each section's first not-known line the net does not absorb (`offset`)
        solved_part, said, held = solved.get(label, (None, frozenset(), frozenset()))
        for section in (INCOME, EXPENSES):
            accounts = [line.key for line in lines if line.section == section and not line.is_total]
            for account in accounts:
                summed = sums.get((account, label))
                cell_span, gaps = cell_spans.get((account, label), (None, ()))
                rounded = cents(summed) if summed is not None else None
                at_least = in_bound and summed is not None and account in bounded
                open_above, most = capped.get((account, label), (None, None))
                if open_above is not None:  # a cap holds the share: its own ranges say, not the revenue's
                    at_least = summed is not None and open_above
                cell = StatementCell(
                    rounded,
                    at_least,
                    cell_span,
                    cell_span is not None and (cell_span != whole or bool(gaps)),
                    moved_range(rounded, spreads.get((account, label))),
                    spreads.get((account, label)),
                    gaps=gaps,
                )
                cell = _bound(_whole_share(cell, account, whole, items, spread, books))
                cell = _open_above(cell, unknown.get((account, label)))
                if most is not None and cell.interval is not None:  # what counts against a cap is at most it
                    cell = cell._replace(interval=cell.interval.intersection(Interval(None, most)))
                # a line of either sign not recorded for the whole column (a loss or a gain): not known at all
                cells[(account, label)] = (
                    StatementCell(None, not_known=cell.not_known) if (account, label) in signed else cell
                )
            # a recorded base the solved sum holds is in it (`held`): the total counts it there, once
            parts = [cells[(a, label)] for a in accounts if cells[(a, label)].amount is not None and a not in held]
            if section == INCOME and solved_part is not None:  # bases the payments solve together: their sum
                parts.append(solved_part)
                parts += [  # the total column: a held base in the columns whose sums do not hold it
                    c
                    for column in (labels[:-1] if label == TOTAL_ROW else ())
                    for a in held
                    if a not in solved.get(column, (None, (), frozenset()))[2] and (c := cells[(a, column)]).amount
                ]
            rest = cells.get((A.OAI_COSTS_NOT_ITEMIZED, label))
            if section == EXPENSES and rest is not None and rest.amount is not None and not rest.partial:
                # an audited total covers the column and its rest makes every itemized line whole (inference
                # for 2025-01..09 inside 2025's 34.0B): the total covers the column, though a line does not
                parts = [part._replace(partial=False) for part in parts]
            # a base line not known alone whose sum with the others the books solve (`said`) opens no total
            told = [a for a in accounts if cells[(a, label)].not_known and a not in said]
            why = next((cells[(a, label)].not_known for a in told), None)
            either = next((cells[(a, label)].not_known for a in accounts if (a, label) in signed), None)
            total = StatementCell(None, not_known=either) if either else _open_above(_total(parts, whole), why)
            cells[(section, label)] = totals[section] = total
            for_net[section] = either or next(
                (cells[(a, label)].not_known for a in told if (a, label) not in offset),
                None,
            )
        income, expenses = totals[INCOME], totals[EXPENSES]
        if income.amount is not None and expenses.amount is not None:
            amount = income.amount - expenses.amount
            net = _total([income, expenses], whole)._replace(amount=amount)
            by_moves = (income.spread - expenses.spread).around(amount)
            by_lines = _exact_or(income) - _exact_or(expenses)
            net = _bound(net._replace(interval=_tightest(by_moves, by_lines)))
            cells[(NET, label)] = _net_opened(net, for_net[INCOME], for_net[EXPENSES])
        else:
            cells[(NET, label)] = StatementCell(None, not_known=income.not_known or expenses.not_known)
    by_entry = functools.partial(_moves_by_entry, owners, spread, items)  # summed where a balance sheet is read
    sheet = (own, company, grid, labels[:-1], books, by_entry) if window is None else ()
    stated = _stated(books, company, labels, periods, cells)
    unsaid = [  # blank, and no "not known" says why
        (key, label, at)
        for label, at in zip(labels, periods)
        for key in accounts_of
        if cells[(key, label)].amount is None and not cells[(key, label)].not_known
    ]
    blanks = blank_reasons(books, unsaid, blank_lines)
    return Statement(
        company,
        by,
        periods,
        labels,
        tuple(lines),
        cells,
        covered,
        caps,
        sheet,
        tuple(blank_lines),
        stated,
        blanks,
        covered_gaps,
    )


def _stated(books: BookIndex, company: str, labels, periods, cells: dict) -> tuple[str, ...]:
    """The net result against the operating loss the sources give for the same period (OpenAI's audited statements).

    The net is income less expenses as the books post them, which holds the share the other company pays it
    (Microsoft's 20% to OpenAI): a flow the audited revenue may already hold (the sources do not say). Less that
    share, the net is OpenAI's revenue less its total costs, the operating result, moving with both as stated:
    2024's is 1.0·R − 12.48B over R in 3.65B..3.75B, −8.83B..−8.73B, which holds the −8.78B stated. A loss stated
    rounded stands for its range: 2025's "20.92B" is 20.915B..20.925B, and the net holds it where the ranges meet.
    """
    legs = next((legs for legs in SHARE_LEGS.values() if legs.payee == company), None)
    stated = [f for f in books.live_figures if f.metric == "operating-loss" and f.amount is not None]
    if legs is None or not stated or company != "OpenAI":  # the operating losses the sources give are OpenAI's
        return ()
    notes = []
    for label, whole in zip(labels[:-1], periods[:-1]):
        net, share = cells.get((NET, label)), cells.get((legs.payee_income, label))
        loss = next((f for f in stated if f.period == whole), None)
        if loss is None or loss.amount is None or net is None or net.amount is None:
            continue
        known = share if share is not None and share.amount is not None else None
        without = net.amount - (known.amount if known is not None and known.amount is not None else ZERO)
        # the share's moves cancel against the net's where both move with the same revenue (`Spread`)
        moves = net.spread - (known.spread if known is not None else Spread())
        within = moves.around(without)
        if within.low is None and within.high is None:
            continue  # moves with something not known at either end: nothing to set beside the loss
        as_stated = ends_text(within.low, within.high)  # a bound where revenue is "at least", say
        held = (
            f"Microsoft's 20% to {company} ({grouped(known.amount)} as posted)"
            if known is not None and known.amount is not None
            else f"Microsoft's 20% to {company}, not known there"
        )
        # a loss stated rounded ("20.92B") stands for its range: the net holds it where the two ranges meet
        stated_loss = loss.interval or Interval.exact(loss.amount)
        meets = (
            "which holds the loss stated"
            if within.meets(-stated_loss)
            else (f"{abs(-loss.amount - without):,.0f} from the loss stated at its posted point")
        )
        given = f"{loss.amount:,.0f}"
        if not stated_loss.is_exact:
            given += f" ({ends_text(stated_loss.low, stated_loss.high)})"
        notes.append(
            f"net result, {label}: the sources give {company}'s operating loss as {given} ({loss.kind}: "
            f"{loss.entry.meta.get('source', 'its source')}); the net also holds {held}, which the audited revenue "
            f"may already hold (the sources do not say); without it the net is {as_stated} as the figures are "
            f"stated, {meets}"
        )
    return tuple(notes)


def _moves_by_entry(
    owners: dict[int, tuple[data.Transaction, int]], spread: dict[int, Spread], items: list[tuple]
) -> dict[tuple, Spread]:
    """`moves_key` -> an entry's income and expenses' moves, as posted: what the balance sheet's other legs move by."""
    gathered: dict[tuple, list[Spread]] = {}
    for index, moved in spread.items():
        entry, sign = owners[index]
        gathered.setdefault(moves_key(entry, items[index][1]), []).append(moved.scaled(Decimal(sign)))
    return {key: Spread.total(moves) for key, moves in gathered.items()}


def _solved_bases(
    books: BookIndex, legs: ShareLegs | None, labels, periods, unknown: dict, memo: dict, sums: dict, spreads: dict
) -> dict[str, tuple[StatementCell, frozenset[str], frozenset[str]]]:
    """Column label -> (the sum of `company`'s revenue bases the net payments solve there, the base lines not
    known it stands for, the recorded base lines it holds too), where the solved shares stand for every base
    with no figure in the column; beside recorded bases, the sum holds them too (`_beside_recorded`).

    Bing and Azure OpenAI Service have no figure for 2024, each not known, but the payments and OpenAI's
    audited revenue solve their sum: R − 493.8M / 0.20, 1.181B..1.281B. Microsoft's total income holds it,
    moving with R (its Spread is the solved share's over the rate), where it read "at least" as if it were 0.
    """
    if legs is None:
        return {}
    company = legs.payer
    shares = [
        d for d in books.of_rule(D.RULE_SHARE) if d.solved and d.base is not None and d.rate and d.payer == company
    ]
    found: dict[str, tuple[StatementCell, frozenset[str], frozenset[str]]] = {}
    for label, whole in zip(labels[:-1], periods[:-1]):
        here = [d for d in shares if whole.contains_date(d.date)]
        if not here:
            continue
        bases = frozenset(b for d in here for b in d.base_accounts)
        missing = {a for (a, column) in unknown if column == label and a in books.rules.bases}
        recorded = [b for b in books.rules.bases_of(company) if (b, label) in sums]
        beside = recorded and all(d.microsoft_total is not None and d.rate for d in here)
        if not missing or not missing <= bases or (recorded and not beside):
            continue
        amount = cents(sum((d.base for d in here if d.base is not None), ZERO))
        moves = Spread.total(spreads.get((b, label), Spread()) for b in recorded)  # the recorded bases' own
        for d in here:  # the solved share's moves as the statement posts it, over the rate
            for posting in d.entry.postings:
                number = posting.units.number if posting.units is not None else None
                if posting.account == legs.payer_expense and number is not None and d.rate:
                    moved = posting_spread(d.entry, number, books, memo)
                    moves = moves + moved.scaled(1 / d.rate) if moved is not None else moves
        covers = Period(min(period_of(d.entry).start for d in here), max(d.date for d in here))
        interval = moved_range(amount, moves)
        if beside:  # the solved bases and the recorded ones beside them, one sum: what the payments leave
            amount = cents(amount + sum((sums[(b, label)] for b in recorded), ZERO))
            moves, interval = _beside_recorded(amount, moves, here)
        cell = StatementCell(amount, False, covers, covers != whole, interval, moves)
        found[label] = (cell, frozenset(missing), frozenset(recorded))
    if found:  # the total column: where every column a base is not known in has it solved
        in_columns = {a for (a, column) in unknown if column in labels[:-1] and a in books.rules.bases}
        told = {
            a
            for a in in_columns
            if all(
                a in found.get(column, (None, (), ()))[1] for (b, column) in unknown if b == a and column != labels[-1]
            )
        }
        cells = [cell for cell, _, _ in found.values()]
        amount = cents(sum((c.amount for c in cells if c.amount is not None), ZERO))
        moves = Spread.total(c.moves for c in cells if c.moves is not None)
        covers = Period(min(c.covers.start for c in cells if c.covers), max(c.covers.end for c in cells if c.covers))
        found[labels[-1]] = (
            StatementCell(amount, False, covers, covers != periods[-1], moved_range(amount, moves), moves),
            frozenset(told),
            frozenset(a for _, _, held in found.values() for a in held),
        )
    return found


def _beside_recorded(amount: Decimal, moves: Spread, solved: list) -> tuple[Spread, Interval | None]:
    """(moves, range) of Microsoft's bases in a column, the solved ones (Bing) with the recorded ones beside them
    (Azure OpenAI Service): together what the payments leave, (0.2·R − N) / 0.2, whatever the recorded split.

    azure-openai-growth's 2024: Azure 0.5B..1.5B and Bing solved as what the payments leave of it, cut at 0;
    their sum is R − 493.8M / 0.2 over R in 3.65B..3.75B, 1.181B..1.281B, as the base books have it. Where the
    recorded range passes that (Azure above 1.281B), the cut is all that moves it there, and those ends cannot
    all hold at once: the sum holds to what the payments leave. Where no end of the recorded range meets it
    (the figures disagree throughout), the books' whole share over the rate (`microsoft-total-low:`..`-high:`).
    """
    whole = sum(
        (d.microsoft_total.divided_by(d.rate) for d in solved if d.microsoft_total is not None and d.rate),
        Interval.exact(ZERO),
    )
    left = Spread({key: term for key, term in moves.terms.items() if not (isinstance(key, tuple) and key[0] == "clip")})
    if left.around(amount).meets(whole):
        meets = left.around(amount).intersection(whole)
        return left, None if meets.is_exact else meets.map_ends(cents)
    return moves, whole.map_ends(cents)


def _one_row(day: datetime.date) -> int:
    """A window's one row: what lies in it is dated inside it, whenever its figures start."""
    return 0


def _dated(books: BookIndex, window: Period) -> BookIndex:
    """The books' derived records and notes dated inside `window` (what a time filter keeps), for the cells' "not
    known" and caps; the ranges read the whole books."""
    return dataclasses.replace(
        books,
        derived=[d for d in books.derived if window.contains_date(d.date)],
        notes=[n for n in books.notes if window.contains_date(n.date)],
    )


def _total(parts: list[StatementCell], whole: Period) -> StatementCell:
    """The sum of cells that have figures (None if none has), a bound if any is, partial if any is.

    Its range adds its parts' moves (`Spread`): one input's moves cancel
    where it is added and taken away; a lower bound's is open above.
    """
    if not parts:
        return StatementCell(None)
    runs = [run for c in parts if c.covers is not None for run in _runs(c.covers, c.gaps)]
    covers, gaps = covered_span(runs) if runs else (None, ())
    amount = cents(sum((c.amount for c in parts if c.amount is not None), ZERO))  # callers pass only such cells
    lower = any(c.lower_bound for c in parts)
    moves = Spread.total(c.spread for c in parts)
    by_lines = sum((_exact_or(c) for c in parts), Interval.exact(ZERO))
    return _bound(
        StatementCell(
            amount,
            lower,
            covers,
            any(c.partial for c in parts) or bool(gaps) or (covers is not None and covers != whole),
            _tightest(moves.around(amount), by_lines),
            moves,
            gaps=gaps,
        )
    )


def _runs(span: Period, gaps: tuple[Period, ...]) -> list[Period]:
    """The days of `span` less its `gaps`, as runs."""
    runs, day = [], span.start
    for gap in gaps:
        if gap.start > day:
            runs.append(Period(day, gap.start - datetime.timedelta(days=1)))
        day = gap.end + datetime.timedelta(days=1)
    return [*runs, Period(day, span.end)] if day <= span.end else runs


def _bound(cell: StatementCell) -> StatementCell:
    """A lower bound's range is open above: it is at least its low end (its amount where it has no range)."""
    if not cell.lower_bound or cell.interval is None:
        return cell
    low = cell.interval.low if cell.interval.low is not None else None
    return cell._replace(interval=None if low == cell.amount else Interval(low, None))


def _not_known_cells(books: BookIndex, accounts: set[str], labels, row_of) -> dict[tuple[str, str], str]:
    """(account, period label) -> why a share posted to it there is not known (the shares plugin's notes)."""
    found: dict[tuple[str, str], str] = {}
    for note, span in books.not_known:
        if note.account not in accounts:
            continue
        row = row_of(span.start)
        for label in ([labels[row]] if row >= 0 else []) + [TOTAL_ROW]:
            found.setdefault((note.account, label), note.comment)
    return found


def _capped_cells(
    books: BookIndex, labels, row_of, unknown: dict | None = None
) -> dict[tuple[str, str], tuple[bool, Decimal | None]]:
    """(share account, period label) -> (whether its share is open above, the most it can be), for each cell
    holding a share a cap holds.

    A capped share is min(share, what the cap leaves): exact once the share
    reaches it, whatever the revenue under it, so such a cell is a lower
    bound only where one of its accruals is itself open above. What counts
    against a cap adds up to at most the cap, though each capped share's
    range allows for the others': the most is each cap counted in the cell
    plus the highs of the shares that count against none (None: open), `model.held_to_caps`.
    """
    accruals = books.of_rule(D.RULE_SHARE)
    if not any(d.cap is not None for d in accruals):
        return {}
    counted = {status.key: status.counted_low for status in books.caps}  # what each cap's shares accrued at least
    cells: dict[tuple[str, str], list] = {}  # each cell's accruals
    for d in accruals:
        legs = SHARE_LEGS.get(entity_of(d.base_account or "") or "")
        if legs is None:
            continue
        row = row_of(period_of(d.entry).start)
        for label in ([labels[row]] if row >= 0 else []) + [TOTAL_ROW]:
            for account in (legs.payer_expense, legs.payee_income):
                cells.setdefault((account, label), []).append(d)
    found = {}
    for key, held in cells.items():
        if not any(d.cap is not None for d in held):  # held to a cap whether or not it is reached (as `report`)
            continue
        shares = [
            (
                (d.base_account, d.cap) if d.cap is not None else None,
                d.share_interval or Interval.exact(d.share or ZERO),
            )
            for d in held
        ]
        if unknown and key in unknown:  # a part not known counts against the same caps: anything up to what is left
            shares += [(cap, UNKNOWN_BASE) for cap in {cap for cap, _ in shares if cap is not None}]
        most = held_to_caps(shares, counted).high
        found[key] = (any((i := d.share_interval) is not None and i.high is None for d in held), most)
    return found


def _open_above(cell: StatementCell, why: str | None) -> StatementCell:
    """A cell some of whose amount is not known (a share, never below zero): "not known" alone, else at least
    what is known, its top open."""
    if why is None:
        return cell
    if cell.amount is None:
        return StatementCell(None, not_known=why)
    low = cell.interval.low if cell.interval is not None else cell.amount
    return cell._replace(interval=Interval(low, None), not_known=why)


def _net_opened(net: StatementCell, income_unknown: str | None, expenses_unknown: str | None) -> StatementCell:
    """The net where income (open above) or expenses (open above, so the net open below) are not all known."""
    if not (income_unknown or expenses_unknown):
        return net
    if net.interval is not None:
        interval = net.interval
    elif net.amount is not None:  # a lower bound at its amount is open above already
        interval = Interval(net.amount, None) if net.lower_bound else Interval.exact(net.amount)
    else:
        return net  # nothing to open: the net is not known already
    low = None if expenses_unknown else interval.low
    high = None if income_unknown else interval.high
    # why: what opened an end that was closed (an income share not known adds nothing to an open top)
    opened = [
        w for w, end in ((expenses_unknown, interval.low), (income_unknown, interval.high)) if w and end is not None
    ]
    why = opened[0] if opened else income_unknown or expenses_unknown  # each line's own reason is said too
    if low is None and high is None:  # open both ways: no number says anything of it
        return StatementCell(None, not_known=why)
    return net._replace(interval=Interval(low, high), not_known=why)


def _exact_or(cell: StatementCell) -> Interval:
    """A cell's interval; else its amount, exactly, or from it up where it is a lower bound."""
    if cell.interval is not None:
        return cell.interval
    assert cell.amount is not None, "only cells with an amount are summed"
    return Interval(cell.amount, None) if cell.lower_bound else Interval.exact(cell.amount)


def _tightest(by_moves: Interval, by_lines: Interval | None) -> Interval | None:
    """Where two enclosures of one amount overlap (each holds it); None where that is exact."""
    both = by_moves if by_lines is None else by_moves.intersection(by_lines)
    return None if both.is_exact else both.map_ends(cents)


_SHARE_ACCOUNTS = frozenset({SHARE_LEGS["Microsoft"].payer_expense, SHARE_LEGS["Microsoft"].payee_income})


def _whole_share(cell: StatementCell, account: str, whole: Period, items, spread, books: BookIndex) -> StatementCell:
    """Microsoft's share line, where a solved share and the ranged bases it was solved beside lie in the column.

    Their whole share is as solved (`microsoft-total-low:`..`-high:`: the
    recorded bases' share, or what the payments leave), not the two ranges
    added: the line is no wider than that plus its other items.
    """
    if account not in _SHARE_ACCOUNTS or cell.interval is None or cell.amount is None:
        return cell
    solved = [
        (span, d.microsoft_total)
        for d in books.of_rule(D.RULE_SHARE)
        if d.microsoft_total is not None and whole.contains(span := period_of(d.entry))
    ]
    if not solved:
        return cell
    line = [
        (period, spread[index].around(amount) if index in spread else Interval.exact(amount))
        for index, (period, what, amount) in enumerate(items)
        if what == account and whole.contains(period)
    ]
    tight = whole_share(cell.interval, solved, line)
    return cell._replace(interval=None if tight.is_exact else tight.map_ends(cents))


def load_statement(path, entity: str, by: str = "year", as_of: datetime.date | None = None) -> Statement:
    """`income_statement` of a ledger file (as known on `as_of`), loaded fresh; BooksHaveErrors if it has errors."""
    return income_statement(*load_clean(path, as_of), entity, by)
