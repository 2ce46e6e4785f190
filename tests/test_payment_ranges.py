"""A net payment stated as a range carries its range into what it solves and implies.

`leakledger add revenue-share 300M` writes the payment with `low: 299500000.00 USD` and
`high: 300500000.00 USD`: "300M" is stated to the million, so it stands for 299.5M..300.5M.
The books below are 2025 as the shipped books hold it (docs/sources.md): the leak's quarterly payments
206.4M, 248.3M and 411.1M (exact, known since 2025-11-12), the audited revenue "13.07B"
(13,065,000,000..13,075,000,000, known since 2026-06-16), and a made-up fourth payment "300M",
known since 2026-01-05, as README's "Adding a figure" adds it.

- All known: the payments cover 2025 with the revenue, so Microsoft's share is solved,
  0.2 x R − N with N = 206.4M + 248.3M + 411.1M + 300M = 1,165.8M, as the figures are stated:
  0.2 x 13.065B − 1,166.3M = 1,446,700,000 to 0.2 x 13.075B − 1,165.3M = 1,449,700,000.
- As known on 2026-01-10: the revenue is not known yet, so 2025-Q4's payment implies OpenAI's
  revenue, a lower bound (no Microsoft base has a figure): ≥ 299.5M / 0.20 = 1,497,500,000, and
  OpenAI's 20% of it ≥ 299,500,000; not ≥ 1.5B and ≥ 300M, which "300M" does not say.
"""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal

import pytest
from beancount import loader
from fava_client import LEAK_MODEL, fava
from leakledger.cli.app import app
from ledgers import DUE_ACCOUNTS, OPENS, RULES, balance, figure, generated, ledger_text, load, payment, rule
from typer.testing import CliRunner

from leakledger import derived as DK
from leakledger.book_index import index_books
from leakledger.flows import period_flows
from leakledger.intervals import Interval
from leakledger.lineage import lineage, tree_text
from leakledger.presentation import period_cells
from leakledger.reconciliation import reconcile_table
from leakledger.reports import period_rows, period_table
from leakledger.statements import income_statement

D = Decimal
FAVA_EXTENSION = '\n2019-01-01 custom "fava-extension" "leakledger.fava_ext"\n'
LEAK = "\n  known-since: 2025-11-12"
#: "300M", as `leakledger add` writes it: half a million each way.
ROUNDED_300M = "\n  known-since: 2026-01-05\n  low: 299500000.00 USD\n  high: 300500000.00 USD"
BOOKS = (
    OPENS
    + RULES
    + payment("2025-03-31", "2025-01-01", "206400000.00", "revenue-share-2025-q1", extra=LEAK)
    + payment("2025-06-30", "2025-04-01", "248300000.00", "revenue-share-2025-q2", extra=LEAK)
    + payment("2025-09-30", "2025-07-01", "411100000.00", "revenue-share-2025-q3", extra=LEAK)
    + payment("2025-12-31", "2025-10-01", "300000000.00", "revenue-share-2025-q4", extra=ROUNDED_300M)
    + figure(
        "revenue",
        "2025-12-31",
        "2025-01-01",
        "13070000000.00",
        "revenue-2025",
        extra="\n  known-since: 2026-06-16\n  low: 13065000000.00 USD\n  high: 13075000000.00 USD",
    )
)

#: Bing 100M and Azure OpenAI Service 400M for 2025-Q4: Microsoft's 20% of them is 100,000,000, exact.
MICROSOFT_Q4 = figure("bing-revenue", "2025-12-31", "2025-10-01", "100000000.00", "bing-2025-q4", "#assumed") + figure(
    "azure-openai-revenue", "2025-12-31", "2025-10-01", "400000000.00", "azure-2025-q4", "#assumed"
)


def _as_of(body: str, day: str):
    """(entries, errors, options) of `body` as known on `day` (the chain's own as-of config)."""
    plugins = f'option "operating_currency" "USD"\nplugin "leakledger.plugins.chain" "{{\'as-of\': \'{day}\'}}"\n'
    return loader.load_string(plugins + textwrap.dedent(body))


@pytest.fixture(scope="module")
def known():
    entries, errors, options = load(BOOKS)
    assert errors == [], errors
    return entries, errors, options


@pytest.fixture(scope="module")
def early():
    entries, errors, options = _as_of(BOOKS, "2026-01-10")
    assert errors == [], errors
    return entries, errors, options


def _row(entries, options, label: str, by: str = "year") -> dict:
    return next(r for r in period_table(entries, options, by=by).to_dict(orient="records") if r["period"] == label)


def test_the_solved_share_and_its_base_carry_the_payments_range(known):
    entries, _, _ = known
    [solved] = [d for d in DK.derived(entries, DK.RULE_SHARE) if d.solved]
    # 0.2 x 13.07B − 1,165.8M = 1,448,200,000, posted; the payments as stated are 1,165.3M..1,166.3M.
    assert solved.share == D("1448200000.00")
    assert solved.payment_interval == Interval(D("1165300000.00"), D("1166300000.00"))
    # 0.2 x 13.065B − 1,166.3M = 1,446,700,000; 0.2 x 13.075B − 1,165.3M = 1,449,700,000 (not 1.4472B–1.4492B)
    assert solved.share_interval == Interval(D("1446700000.00"), D("1449700000.00"))
    # its base, share / 0.20: 7,233,500,000..7,248,500,000
    assert solved.base_interval == Interval(D("7233500000.00"), D("7248500000.00"))
    # the settlement of that share says what it settles against
    [settled] = [d for d in DK.derived(entries, DK.RULE_SETTLEMENT) if d.microsoft_share == solved.share]
    assert settled.payment_interval == solved.payment_interval


def test_the_report_explain_and_reconcile_show_the_solved_range(known):
    entries, _, options = known
    row = _row(entries, options, "2025")
    assert (row["microsoft_share_low"], row["microsoft_share_high"]) == (D("1446700000.00"), D("1449700000.00"))
    _, cells = period_cells(period_table(entries, options).loc[lambda f: f["period"] == "2025"])
    assert "1.4467B–1.4497B" in cells[0]
    text = tree_text(lineage(entries, "revenue-share-2025-q4"))
    assert "− [1,165,300,000, 1,166,300,000] = [1,446,700,000, 1,449,700,000]" in text
    assert "cut at 0" not in text  # the share is not cut: the payments' range widens it
    [rec] = [r for r in reconcile_table(entries, options).to_dict(orient="records") if r["metric"] == "revenue"]
    assert (rec["reconciling_base_low"], rec["reconciling_base_high"]) == (D("7233500000.00"), D("7248500000.00"))
    # the Leak model's flow names both inputs its range comes from: the revenue and the "300M" payment
    index = index_books(entries)
    [flows] = [pf for pf in period_flows(period_rows(index), index) if pf.period == "2025"]
    what = flows.flow("microsoft_share").what
    assert "revenue 2025 13,070,000,000 stands for" in what and "revenue-share 2025-Q4 300,000,000 stands for" in what


def test_every_due_closes_and_the_statements_carry_the_range(known):
    entries, errors, options = known
    # The solved share and its settlement move with the payments: every Due account is 0 at the year's end.
    for account in DUE_ACCOUNTS:
        assert balance(known, account, "2025-12-31") == 0, account
    openai = income_statement(entries, options, "OpenAI")
    income = openai.cell("Income:OpenAI:RevenueShare:Microsoft", "2025")
    assert income.interval == Interval(D("1446700000.00"), D("1449700000.00"))
    for company, due in (("OpenAI", "Liabilities:OpenAI:Due:Microsoft"), ("Microsoft", "Assets:Microsoft:Due:OpenAI")):
        [line] = [line for line in income_statement(entries, options, company).balances if line.account == due]
        # 0.2 x R − N − (0.2 x R − N): 0 whatever R and N are within their ranges
        assert line.cells["2025"].amount == 0 and line.cells["2025"].interval is None, company
    # Microsoft's cash takes the payments in: 1,165.8M ± 0.5M ("300M"), not an exact sum.
    [cash] = [
        line for line in income_statement(entries, options, "Microsoft").balances if line.account.endswith("Cash")
    ]
    assert cash.cells["2025"].interval == Interval(D("1165300000.00"), D("1166300000.00"))


def test_an_implied_lower_bound_starts_at_the_payments_low_end(early):
    entries, _, options = early
    [implied] = [d for d in DK.derived(entries, DK.RULE_IMPLIED) if d.payment_period == "2025-Q4"]
    assert implied.lower_bound and implied.revenue == D("1500000000.00")  # 300M / 0.20, posted
    # ≥ 299.5M / 0.20 = 1,497,500,000, open above: a Microsoft base in force has no figure
    assert implied.revenue_interval == Interval(D("1497500000.00"), None)
    assert implied.payment_interval == Interval(D("299500000.00"), D("300500000.00"))
    [accrual] = [d for d in DK.derived(entries, DK.RULE_SHARE) if d.date.isoformat() == "2025-12-31" and not d.solved]
    assert accrual.share_interval == Interval(D("299500000.00"), None)  # 0.20 x 1,497,500,000
    row = _row(entries, options, "2025-Q4", by="quarter")
    assert (row["implied_revenue_low"], row["implied_revenue_high"]) == (D("1497500000.00"), None)
    assert (row["openai_share_low"], row["openai_share_high"]) == (D("299500000.00"), None)
    frame = period_table(entries, options, by="quarter")
    _, cells = period_cells(frame.loc[lambda f: f["period"] == "2025-Q4"])
    assert "≥ 299,500,000" in cells[0] and "≥ 1,497,500,000" in cells[0]
    assert not any("1,500,000,000" in c or "300,000,000" in c for c in cells[0])  # no false bound left


def test_explain_reconcile_and_the_statement_say_the_lower_bound(early):
    entries, _, options = early
    text = tree_text(lineage(entries, "revenue-share-2025-q4"))
    assert "([299,500,000, 300,500,000] + [0, ∞)) / 0.20 = [1,497,500,000, ∞)" in text
    assert "base [1,497,500,000, ∞) × 0.20 = [299,500,000, ∞)" in text
    rows = reconcile_table(entries, options).to_dict(orient="records")
    [rec] = [r for r in rows if (r["metric"], r["period"]) == ("revenue", "2025-Q4")]
    assert (rec["implied"], rec["implied_bound"]) == (D("1500000000.00"), "lower")
    assert (rec["implied_low"], rec["implied_high"]) == (D("1497500000.00"), None)
    openai = income_statement(entries, options, "OpenAI", by="quarter")
    assert openai.cell("Income:OpenAI:Revenue", "2025-Q4").interval == Interval(D("1497500000.00"), None)
    # OpenAI's cash gains R − N = 4N (no Microsoft share counted) + 5 x the unrecorded base's 20%:
    # at least 4 x 299.5M = 1,198,000,000 in 2025-Q4, so the balance moves with the payment too.
    [cash] = [line for line in openai.balances if line.account == "Assets:OpenAI:Cash"]
    q3, q4 = cash.cells["2025-Q3"], cash.cells["2025-Q4"]
    assert q4.interval is not None and q3.interval is not None and q3.interval.low is not None
    assert q4.interval.low == q3.interval.low + D("1198000000.00")


def test_a_closed_implied_revenue_carries_the_payments_range_both_ways():
    # Bing 100M and Azure OpenAI Service 400M recorded for 2025-Q4: Microsoft's 20% is 100,000,000, exact,
    # so "300M" implies (300M + 100M) / 0.20 = 2,000,000,000, within (299.5M + 100M) / 0.20 = 1,997,500,000
    # and (300.5M + 100M) / 0.20 = 2,002,500,000: a range, not a bound.
    body = (
        OPENS
        + RULES
        + payment("2025-12-31", "2025-10-01", "300000000.00", "revenue-share-2025-q4", extra=ROUNDED_300M)
        + MICROSOFT_Q4
    )
    entries, errors, options = books = load(body)
    assert errors == [], errors
    [implied] = generated(entries, DK.RULE_IMPLIED)
    d = DK.Derived.of(implied)
    assert d is not None and not d.lower_bound
    assert d.revenue_interval == Interval(D("1997500000.00"), D("2002500000.00"))
    assert DK.MICROSOFT_SHARE_LOW not in implied.meta and DK.MICROSOFT_SHARE_HIGH not in implied.meta  # exact
    row = _row(entries, options, "2025-Q4", by="quarter")
    assert (row["implied_revenue_low"], row["implied_revenue_high"]) == (D("1997500000.00"), D("2002500000.00"))
    # OpenAI's 20%, 399.5M..400.5M, less the payment and Microsoft's 100M: every Due closes to 0.
    assert (row["openai_share_low"], row["openai_share_high"]) == (D("399500000.00"), D("400500000.00"))
    for account in DUE_ACCOUNTS:
        assert balance(books, account, "2025-12-31") == 0, account


def test_the_cli_and_the_leak_model_page_say_the_lower_bound_once(tmp_path):
    # The same books as known on 2026-01-10, as a file: reconcile's text and the Leak model page write the
    # lower bound once, at the payment's low end (its range says "≥"; the bound mark is not added again).
    path = tmp_path / "books.beancount"
    path.write_text(ledger_text(BOOKS) + FAVA_EXTENSION, encoding="utf-8")
    printed = (
        CliRunner()
        .invoke(app, ["reconcile", "--ledger", str(path), "--as-of", "2026-01-10"], env={"COLUMNS": "200"})
        .output
    )
    assert "≥ 1,497,500,000" in printed and "≥ ≥" not in printed
    books = fava(path)
    page = books.get(f"{LEAK_MODEL}/", **{"as-of": "2026-01-10"}).get_data(as_text=True)
    # reconcile's 2025-Q4 cell: its range's "≥ 1,497,500,000" (a link to the payment), no second "≥" before it
    assert "≥ 1,497,500,000</a>" in page and not re.search(r"≥\s*<a [^>]*>≥", page)
    rows = books.model(**{"as-of": "2026-01-10", "by": "quarter"})["period_table"]
    [q4] = [r for r in rows if r["period"] == "2025-Q4"]
    assert (q4["implied_revenue_low"], q4["openai_share_low"]) == ("1497500000.00", "299500000.00")


def test_a_payment_stated_as_at_most_leaves_the_revenue_at_least_zero():
    # "at most 300M": N in (−∞, 300M], so R = (N + 100M) / 0.20 is at most 2,000,000,000 and, a revenue, at
    # least 0; the statement's revenue line says so (it read an exact 2B when the spread missed the cut at 0).
    at_most = '\n  high: 300000000.00 USD\n  posted-as: "high"'
    body = OPENS + RULES + payment("2025-12-31", "2025-10-01", "300000000.00", "p", extra=at_most) + MICROSOFT_Q4
    entries, errors, options = load(body)
    assert errors == [], errors
    [implied] = [d for d in DK.derived(entries, DK.RULE_IMPLIED)]
    assert implied.payment_interval == Interval(None, D("300000000.00"))
    assert implied.revenue_interval == Interval(D("0.00"), D("2000000000.00")) and not implied.lower_bound
    openai = income_statement(entries, options, "OpenAI", by="quarter")
    assert openai.cell("Income:OpenAI:Revenue", "2025-Q4").interval == Interval(D("0.00"), D("2000000000.00"))


def test_a_payment_split_by_days_moves_each_piece_and_its_share_with_it():
    # OpenAI's rate falls to 10% on 2025-11-15: 45 days at 20%, 47 at 10%, a day-weighted rate of
    # (45 x 0.20 + 47 x 0.10) / 92 = 13.7 / 92. R = 400M / (13.7 / 92) = 2,686,131,386.86..., and with "300M",
    # 399.5M..400.5M over the same rate: 2,682,773,722.63..2,689,489,051.09 (to the cent, as each piece rounds).
    body = OPENS + RULES + rule("2025-11-15", rate="0.10")
    body += payment("2025-12-31", "2025-10-01", "300000000.00", "p", extra=ROUNDED_300M) + MICROSOFT_Q4
    entries, errors, options = books = load(body)
    assert errors == [], errors
    pieces = [d for d in DK.derived(entries, DK.RULE_IMPLIED)]
    assert len(pieces) == 2
    total = sum((d.revenue_interval for d in pieces if d.revenue_interval), Interval.exact(D(0)))
    assert total.low is not None and total.high is not None
    assert abs(total.low - D("2682773722.63")) <= D("0.05") and abs(total.high - D("2689489051.09")) <= D("0.05")
    openai = income_statement(entries, options, "OpenAI", by="quarter")
    # OpenAI's two shares add up to N + 100M whatever N is: 399.5M..400.5M, and its Due closes to exactly 0
    assert openai.cell("Expenses:OpenAI:RevenueShare:Microsoft", "2025-Q4").interval == Interval(
        D("399500000.00"), D("400500000.00")
    )
    [due] = [line for line in openai.balances if line.account == "Liabilities:OpenAI:Due:Microsoft"]
    assert due.cells["2025-Q4"].amount == 0 and due.cells["2025-Q4"].interval is None
    assert balance(books, "Liabilities:OpenAI:Due:Microsoft", "2025-12-31") == 0
