"""The second leak (2026-06-16): OpenAI's audited 2024 and 2025, and books that solve for the unknown side.

Real books through the real loader, beanquery and the CLI. Every figure is
docs/sources.md arithmetic, written out beside it.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from beancount.core import data
from beanquery import query
from conftest import LEDGER_DIR, MAIN, snapshot
from ledgers import DUE_ACCOUNTS, OPENS, RULES, balance, generated, line_of, load, messages, payment, revenue

from leakledger.amounts import AmountError, stated_range
from leakledger.books import load_books
from leakledger.figures import breakdown_checks, figures_of
from leakledger.model import A

D = Decimal
RATE = D("0.20")
# Z2: audited revenue; Z: the net payments (2024 in all; 2025 Jan-Sep).
REVENUE_2024, REVENUE_2025 = D("3700000000"), D("13070000000")
NET_2024, NET_2025_JAN_SEP = D("493800000"), D("865800000")
BOOKS = {"OpenAI": LEDGER_DIR / "openai.beancount", "Microsoft": LEDGER_DIR / "microsoft.beancount"}


@pytest.fixture(scope="module")
def company_books():
    return {name: load_books(path) for name, path in BOOKS.items()}


def test_openai_book_holds_each_audited_year_once(company_books):
    books = company_books["OpenAI"]
    assert books[1] == []
    revenue_figures = [f for f in figures_of(books[0]) if f.metric == "revenue" and f.posting]
    assert sorted((f.period.label, f.amount) for f in revenue_figures) == [
        ("2024", REVENUE_2024),
        ("2025", REVENUE_2025),
    ]
    # Once: Income:OpenAI:Revenue over each year is the audited figure, nothing implied beside it.
    assert balance(books, A.OAI_REVENUE, "2024-12-31") == -REVENUE_2024
    assert balance(books, A.OAI_REVENUE, "2025-12-31") == -(REVENUE_2024 + REVENUE_2025)


def test_2024_both_shares_on_both_books_and_the_due_accounts_close(books, company_books):
    openai_share = RATE * REVENUE_2024  # 740,000,000
    microsoft_share = openai_share - NET_2024  # 246,200,000
    assert (openai_share, microsoft_share) == (D("740000000"), D("246200000"))
    oai, ms = company_books["OpenAI"], company_books["Microsoft"]
    assert balance(oai, A.OAI_SHARE_EXPENSE, "2024-12-31") == openai_share
    assert balance(ms, A.MS_SHARE_INCOME, "2024-12-31") == -openai_share
    assert balance(ms, A.MS_SHARE_EXPENSE, "2024-12-31") == microsoft_share
    assert balance(oai, A.OAI_SHARE_INCOME, "2024-12-31") == -microsoft_share
    for account in DUE_ACCOUNTS:
        assert balance(books, account, "2024-12-31") == 0, account
    [solved] = [e for e in generated(books[0], "revenue-share") if "solved" in e.meta]
    # The base: 246,200,000 / 0.20 = 1,231,000,000, exact given the rate.
    assert solved.meta["base"].number == microsoft_share / RATE == D("1231000000")


def test_2025_openais_share_and_microsofts_not_known(books):
    assert (
        balance(books, A.OAI_SHARE_EXPENSE, "2025-12-31") - balance(books, A.OAI_SHARE_EXPENSE, "2024-12-31")
        == RATE * REVENUE_2025
        == D("2614000000")
    )
    # No 2025-Q4 payment: Microsoft's 20% is not solved, and not zero: a note on both share accounts says so.
    assert balance(books, A.MS_SHARE_EXPENSE, "2025-12-31") == balance(books, A.MS_SHARE_EXPENSE, "2024-12-31")
    notes = [e for e in books[0] if isinstance(e, data.Note) and e.meta.get("rule") == "not-known"]
    assert {n.account for n in notes} == {A.MS_SHARE_EXPENSE, A.OAI_SHARE_INCOME}
    assert all("not known" in n.comment and "2025-Q4" in n.comment for n in notes)
    # What stays in Due is OpenAI's 20% less the Jan-Sep payments: 2,614,000,000 - 865,800,000.
    assert balance(books, A.OAI_DUE_TO_MS, "2025-12-31") == -(RATE * REVENUE_2025 - NET_2025_JAN_SEP)


def test_statement_by_year_shows_2024_revenue_exact():
    done = subprocess.run(
        ["leakledger", "statement", "OpenAI", "--by", "year"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": __import__("os").environ["PATH"]},
    )
    assert done.returncode == 0, done.stderr
    [line] = [row for row in done.stdout.splitlines() if row.startswith("│ Income:OpenAI:Revenue ")]
    # audited, so not a bound; stated as 3.7B and 13.07B, so the ranges those stand for
    _, _, in_2024, in_2025, *_ = line.split("│")
    assert "3.65B–3.75B" in in_2024 and "13.065B–13.075B" in in_2025 and "≥" not in in_2024 + in_2025


@pytest.mark.parametrize("path", [MAIN, *BOOKS.values(), *sorted((LEDGER_DIR / "scenarios").glob("*.beancount"))])
def test_bean_check_is_clean(path):
    done = subprocess.run(["bean-check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_openai_cash_is_what_the_sources_give_within_their_tolerance(company_books):
    books = company_books["OpenAI"]
    # Z2: ~25B at 2025-12-31; TI-Q1: ~73B at 2026-03-31; each stated to the billion: +-500,000,000.
    for day, stated in (("2025-12-31", D("25000000000")), ("2026-03-31", D("73000000000"))):
        assert abs(balance(books, A.OAI_CASH, day) - stated) <= D("500000000"), day
    # Padded from the account named for what the books do not itemize, on OpenAI's own books.
    pads = [e for e in books[0] if isinstance(e, data.Transaction) and e.flag == "P"]
    assert pads and all({p.account for p in e.postings} == {A.OAI_CASH, "Equity:OpenAI:Unitemized"} for e in pads)


def test_a_wrong_cash_balance_beyond_its_tolerance_is_an_error():
    # With no pad, 100.00 of revenue against a balance of 200.00 ~ 50.00: 100.00 apart, beyond 50.00.
    body = (
        OPENS
        + RULES
        + revenue("2024-12-31", A.OAI_REVENUE, "100.00", start="2024-01-01")
        + "\n2025-01-01 balance Assets:OpenAI:Cash  200.00 ~ 50.00 USD\n"
    )
    _, errors, _ = load(body)
    assert any("Balance failed" in m for m in messages(errors))


def test_a_q2_2026_payment_is_recorded_whole_and_check_is_clean(ledger_copy):
    folder = ledger_copy.parent
    args = ["--period", "2026-Q2", "--source", "a leak of 2026-Q2", "--ledger", str(ledger_copy)]
    done = subprocess.run(["leakledger", "add", "revenue-share", "500M", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # 500M is written to the million: it stands for 499,500,000..500,500,000.
    text = (folder / "2026.beancount").read_text()
    assert "low: 499500000.00 USD" in text and "high: 500500000.00 USD" in text
    check = subprocess.run(["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    entries, errors, options = load_books(ledger_copy)
    assert errors == []
    # Split by days at 2026-04-27: 500,000,000 / 0.20 = 2,500,000,000 over 91 days, 26 before the amendment:
    # 2,500,000,000 x 26 / 91 = 714,285,714.29, whose 20% is 142,857,142.86; the rest of the payment,
    # 357,142,857.14, counts against the cap.
    shares = sorted(
        (
            e
            for e in generated(entries, "revenue-share")
            if e.meta["base-account"] == A.OAI_REVENUE and e.date.year == 2026
        ),
        key=lambda e: e.date,
    )
    assert [e.meta["share"].number for e in shares] == [D("142857142.86"), D("357142857.14")]
    assert "cap" not in shares[0].meta and shares[1].meta["cap-accrued"].number == D("357142857.14")
    explain = subprocess.run(
        ["leakledger", "explain", "revenue-share-2026-q2", "--ledger", str(ledger_copy)], capture_output=True, text=True
    )
    assert "(26 days)" in explain.stdout and "(65 days)" in explain.stdout


def test_the_shipped_books_are_untouched_by_the_copy(ledger_copy):
    before = snapshot(LEDGER_DIR)
    subprocess.run(
        [
            "leakledger",
            "add",
            "revenue-share",
            "500M",
            "--period",
            "2026-Q2",
            "--source",
            "x",
            "--ledger",
            str(ledger_copy),
        ],
        capture_output=True,
        check=True,
    )
    assert snapshot(LEDGER_DIR) == before


# --- solving and checking on small books -------------------------------------------


def test_an_over_determined_year_that_disagrees_is_an_error_at_the_revenue():
    # Revenue 1,000.00, a payment of 100.00 and every Microsoft base recorded: Bing 100.00, Azure 0.01.
    # OpenAI's 200.00 less the payment 100.00 leaves 100.00; the bases accrue 20.00 + 0.00: 80.00 apart.
    body = (
        OPENS
        + RULES
        + revenue("2024-12-31", A.OAI_REVENUE, "1000.00", tags="#leaked", start="2024-01-01")
        + payment("2024-12-31", "2024-01-01", "100.00", "revenue-share-2024")
        + revenue("2024-12-31", A.MS_BING, "100.00", start="2024-01-01")
        + revenue("2024-12-31", A.MS_AZURE_OPENAI, "0.05", start="2024-01-01")
    )
    _, errors, _ = load(body)
    [error] = [e for e in errors if "disagree beyond their precision" in e.message]
    assert error.source["lineno"] == line_of(body, "Revenue line item")  # OpenAI's revenue, written first


def test_an_over_determined_year_that_agrees_is_clean():
    # OpenAI's 200.00 less the payment 180.00 is 20.00: exactly Bing's 20% of 100.00 (Azure 0).
    body = (
        OPENS
        + RULES
        + revenue("2024-12-31", A.OAI_REVENUE, "1000.00", tags="#leaked", start="2024-01-01")
        + payment("2024-12-31", "2024-01-01", "180.00", "revenue-share-2024")
        + revenue("2024-12-31", A.MS_BING, "100.00", start="2024-01-01")
        + revenue("2024-12-31", A.MS_AZURE_OPENAI, "0.01", start="2024-01-01")
    )
    entries, errors, options = load(body)
    assert errors == []
    assert [e for e in generated(entries) if "solved" in e.meta] == []


def test_payments_beyond_openais_share_are_an_error():
    # OpenAI's 20% of 100.00 is 20.00; a payment of 50.00 would need a negative Microsoft share.
    body = (
        OPENS
        + RULES
        + revenue("2024-12-31", A.OAI_REVENUE, "100.00", tags="#leaked", start="2024-01-01")
        + payment("2024-12-31", "2024-01-01", "50.00", "revenue-share-2024")
    )
    _, errors, _ = load(body)
    assert any("exceed OpenAI's share" in m for m in messages(errors))


# --- precision ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13.07B", ("13065000000.00", "13075000000.00")),  # stated to the 10M
        ("3.7B", ("3650000000.00", "3750000000.00")),
        ("34.0B", ("33950000000.00", "34050000000.00")),
        ("$493.8 million", ("493750000.00", "493850000.00")),
        ("13,070,000,000", None),  # written out: exact
        ("493800000", None),
    ],
)
def test_the_range_a_written_amount_stands_for(text, expected):
    got = stated_range(text)
    assert got == (tuple(map(D, expected)) if expected else None)


def test_an_unreadable_amount_has_no_range():
    with pytest.raises(AmountError):
        stated_range("lots")


def test_totals_against_their_parts_pass_within_the_stated_precision(books):
    checks = breakdown_checks(figures_of(books[0]))
    assert checks and all(problem is None for _, problem, _ in checks)
    found = [f for _, _, f in checks]
    # 2025: revenue 13.07B + operating loss 20.92B = 33.99B against costs 34.0B: 10,000,000 apart,
    # within 34.0B's 33,950,000,000..34,050,000,000.
    assert any("-10,000,000.00; the ranges meet" in f and "2025" in f for f in found)
    # 2024: 3,700,000,000 + 8,780,000,000 = 12,480,000,000 exactly.
    assert any("+0.00; the ranges meet" in f and "2024" in f for f in found)
    # 2025 costs less R&D, cost of revenue and S&M: 34,000,000,000 - 32,410,000,000 = 1,590,000,000 not itemized;
    # payments to Microsoft: 17,200,000,000 - 16,637,000,000 = 563,000,000 unexplained.
    assert any("remainder 1,590,000,000.00" in f for f in found)
    assert any("remainder 563,000,000.00" in f for f in found)


def test_a_total_its_parts_exceed_beyond_precision_is_an_error():
    body = (
        OPENS
        + RULES
        + """
2025-12-31 custom "figure" "total-costs" 100.00 USD
  period-start: 2025-01-01
  kind: "leaked"
  source: "test"

2025-12-31 custom "figure" "research-and-development" 90.00 USD
  period-start: 2025-01-01
  kind: "leaked"
  source: "test"

2025-12-31 custom "figure" "cost-of-revenue" 20.00 USD
  period-start: 2025-01-01
  kind: "leaked"
  source: "test"
"""
    )
    _, errors, _ = load(body)
    [error] = [e for e in errors if "total-costs" in e.message]
    # 90.00 + 20.00 = 110.00 of parts against a total of 100.00, both exact.
    assert "add up to 110.00, more than the total" in error.message
    assert error.source["lineno"] == line_of(body, '"total-costs"')


def test_openais_audited_costs_post_once_as_what_the_books_do_not_itemize(company_books):
    books = company_books["OpenAI"]
    # Z2: 2024 costs 12,480,000,000 hold inference 3,767,100,000 (Z) and OpenAI's 20%, 740,000,000.
    # 2025 costs 34,000,000,000 hold inference 8,670,000,000 (Jan-Sep) and 2,614,000,000.
    for year, costs, itemized in (
        ("2024", D("12480000000"), D("3767100000") + RATE * REVENUE_2024),
        ("2025", D("34000000000"), D("8670000000") + RATE * REVENUE_2025),
    ):
        start, end = f"{int(year) - 1}-12-31", f"{year}-12-31"
        rest = balance(books, A.OAI_COSTS_NOT_ITEMIZED, end) - balance(books, A.OAI_COSTS_NOT_ITEMIZED, start)
        assert rest == costs - itemized, year  # 7,972,900,000 and 22,716,000,000
        _, rows = query.run_query(
            books[0],
            books[2],
            f"SELECT sum(number) WHERE account ~ '^Expenses:OpenAI:' AND year = {year}",
        )
        assert rows[0][0] == costs, year  # OpenAI's expenses are the audited total, once


def test_itemized_expenses_beyond_the_total_costs_are_an_error():
    # Inference of 150.00 against total costs of 100.00 (exact): 50.00 more than the total.
    body = (
        OPENS
        + RULES
        + """
2025-12-31 * "Inference" #leaked
  metric: "inference"
  period-start: 2025-01-01
  source: "test"
  Expenses:OpenAI:Compute:Inference       150.00 USD
  Assets:OpenAI:Cash                     -150.00 USD
  Assets:Microsoft:Cash                   150.00 USD
  Income:Microsoft:Azure:OpenAICompute   -150.00 USD

2025-12-31 custom "figure" "total-costs" 100.00 USD
  period-start: 2025-01-01
  kind: "leaked"
  source: "test"
"""
    )
    _, errors, _ = load(body)
    [error] = [e for e in errors if "exceed its total costs" in e.message]
    assert error.source["lineno"] == line_of(body, '"total-costs"')
