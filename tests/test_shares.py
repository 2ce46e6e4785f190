"""The shares plugin: implied revenue, both 20% shares, net settlement.

Every expected figure is docs/sources.md arithmetic written out beside it.
Where a test sets up its own small ledger, it compares every entry the
plugins generate, whole, with a docstring ledger of the expected ones
(tests/entries.py, as Beancount's assertEqualEntries), metadata included.
"""

from __future__ import annotations

import copy
import datetime
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import printer
from conftest import LEDGER_DIR, PLUGINS, load_ledger
from entries import assert_equal_entries
from leakledger.plugins import figures as figures_plugin
from leakledger.plugins import integrity as integrity_plugin
from leakledger.plugins import shares as shares_plugin
from ledgers import (
    DUE_ACCOUNTS,
    OPENS,
    RULES,
    D,
    balance,
    bing,
    generated,
    implied,
    line_of,
    load,
    payment,
    revenue,
    rule,
)

from leakledger import derived as DK
from leakledger.model import ENTITIES, GENERATED_TAG, A, entity_of

# docs/sources.md, the leak: net revenue share OpenAI paid Microsoft.
NET_2024 = D("493800000")
NET_2025_H1 = D("454700000")
NET_2025_JAN_SEP = D("865800000")
NET_2025_Q3 = NET_2025_JAN_SEP - NET_2025_H1  # the Jan-Sep total's third quarter: 411,100,000
RATE = D("0.20")  # TechCrunch: 20% both ways
# docs/sources.md, the leak quarter by quarter: the books post these, the totals above refine into them.
QUARTERS = {
    "2024-Q1": D("77300000"),
    "2024-Q2": D("109500000"),
    "2024-Q3": D("139200000"),
    "2024-Q4": D("167800000"),
    "2025-Q1": D("206400000"),
    "2025-Q2": D("248300000"),
    "2025-Q3": D("411100000"),
}

PAYMENT_DATES = ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30")


def by_year(got: dict) -> dict:
    """Implied revenue by quarter added up by year and by 2025-H1."""
    out = {}
    for label, amount in got.items():
        for key in (label[:4], "2025-H1" if label in ("2025-Q1", "2025-Q2") else None):
            if key:
                out[key] = out.get(key, D(0)) + amount
    return out


def scenario(tmp_path: Path, extra: str, ledger_dir: Path = LEDGER_DIR):
    """The books in `ledger_dir` (the shipped ones) plus `extra`, as a scenario book does it: its own top file."""
    main = tmp_path / "scenario.beancount"
    main.write_text(PLUGINS + f'include "{ledger_dir / "books.beancount"}"\n' + extra, encoding="utf-8")
    return loader.load_file(str(main))


# --- the shipped books ---------------------------------------------------------


def test_first_leak_books_imply_revenue_to_the_cent(first_leak):
    # The books before the second leak: payments only (conftest.first_leak).
    entries, errors, _ = first_leak
    assert errors == []
    got = implied(entries)
    # Each quarter implies payment / 0.20: 77,300,000 / 0.20 = 386,500,000 ... 411,100,000 / 0.20 = 2,055,500,000.
    assert got == {q: net / RATE for q, net in QUARTERS.items()}
    assert got["2024-Q1"] == D("386500000.00") and got["2025-Q3"] == D("2055500000.00")
    # The totals do not move: 2024 493,800,000 / 0.20 = 2,469,000,000; 2025-H1 454,700,000 / 0.20 = 2,273,500,000.
    years = by_year(got)
    assert years["2024"] == NET_2024 / RATE == D("2469000000.00")
    assert years["2025-H1"] == NET_2025_H1 / RATE == D("2273500000.00")
    # Jan-Sep: 865,800,000 / 0.20 = 4,329,000,000.
    assert years["2025"] == NET_2025_JAN_SEP / RATE == D("4329000000")
    # No Microsoft base is recorded: each is a lower bound.
    assert {e.meta.get("bound") for e in generated(entries, "implied-revenue")} == {"lower"}


def test_first_leak_books_revenue_through_beanquery(first_leak):
    # Income:OpenAI:Revenue holds only implied revenue in the first leak's books.
    assert balance(first_leak, A.OAI_REVENUE, "2024-12-31") == -(NET_2024 / RATE)
    assert balance(first_leak, A.OAI_REVENUE, "2025-09-30") == -(NET_2024 + NET_2025_JAN_SEP) / RATE


@pytest.mark.parametrize("day", PAYMENT_DATES)
@pytest.mark.parametrize("account", DUE_ACCOUNTS)
def test_first_leak_books_every_due_account_is_zero_after_each_settlement(first_leak, account, day):
    assert balance(first_leak, account, day) == 0


def test_shipped_books_revenue_is_the_audited_figures_once(books):
    # The second leak: 2024 revenue 3,700,000,000, 2025 revenue 13,070,000,000; nothing implied beside them.
    assert balance(books, A.OAI_REVENUE, "2024-12-31") == -D("3700000000")
    assert balance(books, A.OAI_REVENUE, "2025-12-31") == -(D("3700000000") + D("13070000000"))
    assert [e for e in generated(books[0], "implied-revenue") if e.date.year in (2024, 2025)] == []


def test_recording_azure_openai_revenue_raises_implied_revenue_but_bing_keeps_it_a_lower_bound(
    tmp_path, first_leak_main
):
    # 1,000,000,000 of Azure OpenAI Service revenue for 2024, #assumed: Microsoft owes
    # 20% of it, so the net payment implies (493,800,000 + 200,000,000) / 0.20.
    entries, errors, _ = scenario(
        tmp_path,
        """
2024-12-31 * "Microsoft Azure OpenAI Service revenue (2024)" #assumed ^azure-openai-revenue-2024
  metric: "azure-openai-revenue"
  period-start: 2024-01-01
  source: "The Information (paywalled), 2024-06"
  Assets:Microsoft:Cash                 1000000000.00 USD
  Income:Microsoft:AzureOpenAIService  -1000000000.00 USD
""",
        first_leak_main.parent,
    )
    assert errors == []
    azure = D("1000000000")
    imp_2024 = [e for e in generated(entries, "implied-revenue") if e.date.year == 2024]
    # The 2024 Azure figure spans the four quarter payments: its one monthly accrual (December) falls in Q4.
    assert sum(e.meta["revenue"].number for e in imp_2024) == (NET_2024 + RATE * azure) / RATE == D("3469000000")
    [q4] = [e for e in imp_2024 if e.meta["payment-period"] == "2024-Q4"]
    # Bing's 20% is in force too and no Bing revenue is recorded: still at least this much.
    assert q4.meta["bound"] == "lower" and q4.narration.endswith(", lower bound")
    assert q4.meta["microsoft-share"].number == RATE * azure
    assert "assumed" in q4.tags  # derived from an assumption: `-#assumed` hides it
    # The other periods have no Microsoft base: unchanged, still lower bounds.
    got = by_year(implied(entries))
    assert got["2025-H1"] == NET_2025_H1 / RATE and implied(entries)["2025-Q3"] == NET_2025_Q3 / RATE
    books = (entries, errors, _)
    for account in DUE_ACCOUNTS:
        for day in PAYMENT_DATES:
            assert balance(books, account, day) == 0, (account, day)


def test_a_rule_change_mid_year_applies_each_rate_to_its_own_payments(tmp_path, first_leak_main):
    entries, errors, _ = scenario(
        tmp_path, rule("2025-07-01", A.OAI_REVENUE, "Microsoft", "0.10"), first_leak_main.parent
    )
    assert errors == []
    got = implied(entries)
    assert by_year(got)["2025-H1"] == NET_2025_H1 / D("0.20")  # 2,273,500,000
    assert got["2025-Q3"] == NET_2025_Q3 / D("0.10")  # 411,100,000 / 0.10 = 4,111,000,000
    shares = {e.date: e.meta["rate"] for e in generated(entries, "revenue-share")}
    assert shares[datetime.date(2025, 6, 30)] == D("0.20")
    assert shares[datetime.date(2025, 9, 30)] == D("0.10")
    books = (entries, errors, _)
    for account in DUE_ACCOUNTS:
        assert balance(books, account, "2025-09-30") == 0


def test_a_rule_change_mid_year_applies_each_rate_to_its_own_postings():
    body = (
        OPENS
        + RULES
        + rule("2025-07-01", A.OAI_REVENUE, "Microsoft", "0.10")
        + revenue("2025-06-30", A.OAI_REVENUE, "1000.00", link="revenue-2025-06")
        + revenue("2025-07-01", A.OAI_REVENUE, "1000.00", link="revenue-2025-07")
    )
    entries, errors, _ = load(body)
    assert errors == []
    assert_equal_entries(
        """
        2025-06-30 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2025-06)" #assumed #generated ^revenue-2025-06
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22  ; the leak-era rule
          period-start: 2025-06-01
          base: 1000.00 USD
          share: 200.00 USD  ; 0.20 x 1,000.00
          sources: 1
          Expenses:OpenAI:RevenueShare:Microsoft   200.00 USD
          Liabilities:OpenAI:Due:Microsoft        -200.00 USD
          Assets:Microsoft:Due:OpenAI              200.00 USD
          Income:Microsoft:RevenueShare:OpenAI    -200.00 USD

        2025-07-01 * "OpenAI's share to Microsoft: 10% of Income:OpenAI:Revenue (2025-07)" #assumed #generated ^revenue-2025-07
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.10
          rule-date: 2025-07-01  ; the new rule, in force from its date
          period-start: 2025-07-01
          base: 1000.00 USD
          share: 100.00 USD  ; 0.10 x 1,000.00
          sources: 1
          Expenses:OpenAI:RevenueShare:Microsoft   100.00 USD
          Liabilities:OpenAI:Due:Microsoft        -100.00 USD
          Assets:Microsoft:Due:OpenAI              100.00 USD
          Income:Microsoft:RevenueShare:OpenAI    -100.00 USD
        """,
        generated(entries),
    )


def test_a_rate_change_inside_a_payment_period_spreads_the_revenue_by_days():
    # OpenAI's rate falls to 10% on 2025-04-01, inside the 2025-H1 payment:
    # Jan-Mar (90 days) at 20%, Apr-Jun (91 days) at 10%.
    body = (
        OPENS
        + RULES
        + rule("2025-04-01", A.OAI_REVENUE, "Microsoft", "0.10")
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1")
    )
    entries, errors, options = load(body)
    assert errors == []
    q1, q2 = sorted(generated(entries, "implied-revenue"), key=lambda e: e.date)
    assert (q1.meta["period-start"], q1.date) == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert (q2.meta["period-start"], q2.date) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    r1, r2 = q1.meta["revenue"].number, q2.meta["revenue"].number
    # Revenue per day is the same on both sides of the change, to a cent.
    assert abs(r1 / 90 - r2 / 91) < D("0.01")
    # The shares of the two pieces add up to the payment exactly.
    accrued = sum((e.meta["share"].number for e in generated(entries, "revenue-share")), D(0))
    assert accrued == NET_2025_H1
    assert r1 + r2 == q1.meta["period-revenue"].number == q2.meta["period-revenue"].number
    for account in DUE_ACCOUNTS:
        assert balance((entries, errors, options), account, "2025-06-30") == 0


# --- both shares, in both entities' books ----------------------------------------


def test_a_microsoft_base_posting_accrues_in_both_entities_books():
    entries, errors, _ = load(OPENS + RULES + revenue("2024-03-15", A.MS_BING, "1000.00", link="bing-2024-03"))
    assert errors == []
    [accrual] = generated(entries)
    # 0.20 x 1,000.00 = 200.00: Microsoft's expense and what it owes; what OpenAI is owed and its income.
    assert_equal_entries(
        """
        2024-03-15 * "Microsoft's share to OpenAI: 20% of Income:Microsoft:Bing (2024-03)" #assumed #generated ^bing-2024-03
          rule: "revenue-share"
          base-account: "Income:Microsoft:Bing"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-03-01
          base: 1000.00 USD
          share: 200.00 USD
          sources: 1
          Expenses:Microsoft:RevenueShare:OpenAI   200.00 USD
          Liabilities:Microsoft:Due:OpenAI        -200.00 USD
          Assets:OpenAI:Due:Microsoft              200.00 USD
          Income:OpenAI:RevenueShare:Microsoft    -200.00 USD
        """,
        [accrual],
    )
    assert {A.MS_SHARE_EXPENSE, A.MS_DUE_TO_OAI, A.OAI_DUE_FROM_MS, A.OAI_SHARE_INCOME} == {
        p.account for p in accrual.postings
    }
    for entity in ENTITIES:
        assert sum(p.units.number for p in accrual.postings if entity_of(p.account) == entity) == 0


def test_an_openai_revenue_posting_accrues_in_both_entities_books():
    entries, errors, _ = load(OPENS + RULES + revenue("2024-03-15", A.OAI_REVENUE, "1000.00", link="revenue-2024-03"))
    assert errors == []
    [accrual] = generated(entries)
    # 0.20 x 1,000.00 = 200.00: OpenAI's expense and what it owes; what Microsoft is owed and its income.
    assert_equal_entries(
        """
        2024-03-15 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2024-03)" #assumed #generated ^revenue-2024-03
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-03-01
          base: 1000.00 USD
          share: 200.00 USD
          sources: 1
          Expenses:OpenAI:RevenueShare:Microsoft   200.00 USD
          Liabilities:OpenAI:Due:Microsoft        -200.00 USD
          Assets:Microsoft:Due:OpenAI              200.00 USD
          Income:Microsoft:RevenueShare:OpenAI    -200.00 USD
        """,
        [accrual],
    )
    assert {A.OAI_SHARE_EXPENSE, A.OAI_DUE_TO_MS, A.MS_DUE_FROM_OAI, A.MS_SHARE_INCOME} == {
        p.account for p in accrual.postings
    }


def test_line_items_accrue_once_a_month_per_base():
    items = "".join(
        revenue(f"2024-03-{day:02d}", A.OAI_REVENUE, "333.33", link="items-2024-03") for day in range(1, 31)
    )
    items += revenue("2024-04-01", A.OAI_REVENUE, "333.33", link="items-2024-04")
    entries, errors, _ = load(OPENS + RULES + items)
    assert errors == []
    # One accrual for March's 30 items, dated at the last; one for April's item.
    assert_equal_entries(
        """
        2024-03-30 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2024-03)" #assumed #generated ^items-2024-03
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-03-01
          base: 9999.90 USD   ; 30 items x 333.33
          share: 1999.98 USD  ; 0.20 x 9,999.90
          sources: 30
          Expenses:OpenAI:RevenueShare:Microsoft   1999.98 USD
          Liabilities:OpenAI:Due:Microsoft        -1999.98 USD
          Assets:Microsoft:Due:OpenAI              1999.98 USD
          Income:Microsoft:RevenueShare:OpenAI    -1999.98 USD

        2024-04-01 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2024-04)" #assumed #generated ^items-2024-04
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-04-01
          base: 333.33 USD
          share: 66.67 USD  ; 0.20 x 333.33 = 66.666, to the cent
          sources: 1
          Expenses:OpenAI:RevenueShare:Microsoft   66.67 USD
          Liabilities:OpenAI:Due:Microsoft        -66.67 USD
          Assets:Microsoft:Due:OpenAI              66.67 USD
          Income:Microsoft:RevenueShare:OpenAI    -66.67 USD
        """,
        generated(entries),
    )


def test_equal_bing_and_azure_shares_on_one_day_settle_together():
    body = (
        OPENS
        + RULES
        + revenue("2024-03-31", A.MS_BING, "1000.00", link="bing-2024-03")
        + revenue("2024-03-31", A.MS_AZURE_OPENAI, "1000.00", link="azure-2024-03")
        + payment("2024-03-31", "2024-01-01", "1600.00", "revenue-share-2024-q1")
    )
    entries, errors, options = load(body)
    assert errors == []
    # Two accruals of 0.20 x 1,000.00 = 200.00 each, so Microsoft's share is 400.00 and its base
    # 2,000.00; both bases in force are recorded, so the revenue is exact: (1,600 + 400) / 0.20 = 10,000,
    # whose 20% is 2,000.00; the settlement sets Microsoft's 400.00 off against it.
    assert_equal_entries(
        """
        2024-03-31 * "Microsoft's share to OpenAI: 20% of Income:Microsoft:Bing (2024-03)" #assumed #generated ^bing-2024-03
          rule: "revenue-share"
          base-account: "Income:Microsoft:Bing"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-03-01
          base: 1000.00 USD
          share: 200.00 USD
          sources: 1
          Expenses:Microsoft:RevenueShare:OpenAI   200.00 USD
          Liabilities:Microsoft:Due:OpenAI        -200.00 USD
          Assets:OpenAI:Due:Microsoft              200.00 USD
          Income:OpenAI:RevenueShare:Microsoft    -200.00 USD

        2024-03-31 * "Microsoft's share to OpenAI: 20% of Income:Microsoft:AzureOpenAIService (2024-03)" #assumed #generated ^azure-2024-03
          rule: "revenue-share"
          base-account: "Income:Microsoft:AzureOpenAIService"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-03-01
          base: 1000.00 USD
          share: 200.00 USD
          sources: 1
          Expenses:Microsoft:RevenueShare:OpenAI   200.00 USD
          Liabilities:Microsoft:Due:OpenAI        -200.00 USD
          Assets:OpenAI:Due:Microsoft              200.00 USD
          Income:OpenAI:RevenueShare:Microsoft    -200.00 USD

        2024-03-31 * "Implied OpenAI revenue (2024-Q1)" #assumed #generated #leaked ^revenue-share-2024-q1
          rule: "implied-revenue"
          formula: "(payment + microsoft-share) / rate"
          period-start: 2024-01-01
          payment: 1600.00 USD
          microsoft-share: 400.00 USD
          microsoft-base: 2000.00 USD
          payment-period: "2024-Q1"
          rate: 0.20
          revenue: 10000.00 USD
          Assets:OpenAI:Cash      10000.00 USD
          Income:OpenAI:Revenue  -10000.00 USD

        2024-03-31 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2024-Q1)" #assumed #generated #leaked ^revenue-share-2024-q1
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-01-01
          base: 10000.00 USD
          share: 2000.00 USD
          sources: 1
          Expenses:OpenAI:RevenueShare:Microsoft   2000.00 USD
          Liabilities:OpenAI:Due:Microsoft        -2000.00 USD
          Assets:Microsoft:Due:OpenAI              2000.00 USD
          Income:Microsoft:RevenueShare:OpenAI    -2000.00 USD

        2024-03-31 * "Net settlement of the revenue shares (2024-Q1)" #assumed #generated #leaked ^revenue-share-2024-q1
          rule: "net-settlement"
          period-start: 2024-01-01
          payment: 1600.00 USD
          microsoft-share: 400.00 USD
          microsoft-base: 2000.00 USD
          Liabilities:OpenAI:Due:Microsoft   400.00 USD
          Assets:OpenAI:Due:Microsoft       -400.00 USD
          Liabilities:Microsoft:Due:OpenAI   400.00 USD
          Assets:Microsoft:Due:OpenAI       -400.00 USD
        """,
        generated(entries),
    )
    assert implied(entries) == {"2024-Q1": D("10000.00")}
    for account in DUE_ACCOUNTS:
        assert balance((entries, errors, options), account, "2024-03-31") == 0


# --- net settlement and what is left in Due ----------------------------------------


def test_a_consistent_net_payment_leaves_every_due_account_at_zero():
    # OpenAI revenue 10,000 and Bing 2,000 in 2024-Q1: 0.20 x 10,000 - 0.20 x 2,000 = 1,600.
    body = (
        OPENS
        + RULES
        + revenue("2024-02-10", A.OAI_REVENUE, "10000.00")
        + revenue("2024-02-11", A.MS_BING, "2000.00")
        + payment("2024-03-31", "2024-01-01", "1600.00", "revenue-share-2024-q1")
    )
    books = load(body)
    entries, errors, _ = books
    assert errors == []
    assert generated(entries, "implied-revenue") == []  # revenue is recorded: nothing implied
    [settlement] = generated(entries, "net-settlement")
    # Microsoft's share 0.20 x 2,000 = 400.00 is set off against OpenAI's 0.20 x 10,000 = 2,000.00.
    assert_equal_entries(
        """
        2024-03-31 * "Net settlement of the revenue shares (2024-Q1)" #assumed #generated #leaked ^revenue-share-2024-q1
          rule: "net-settlement"
          period-start: 2024-01-01
          payment: 1600.00 USD
          microsoft-share: 400.00 USD
          microsoft-base: 2000.00 USD
          Liabilities:OpenAI:Due:Microsoft   400.00 USD
          Assets:OpenAI:Due:Microsoft       -400.00 USD
          Liabilities:Microsoft:Due:OpenAI   400.00 USD
          Assets:Microsoft:Due:OpenAI       -400.00 USD
        """,
        [settlement],
    )
    for account in DUE_ACCOUNTS:
        assert balance(books, account, "2024-03-31") == 0


def test_an_inconsistent_net_payment_leaves_the_gap_in_due():
    # The same books with a payment of 1,500: OpenAI still owes 100.
    body = (
        OPENS
        + RULES
        + revenue("2024-02-10", A.OAI_REVENUE, "10000.00")
        + revenue("2024-02-11", A.MS_BING, "2000.00")
        + payment("2024-03-31", "2024-01-01", "1500.00", "revenue-share-2024-q1")
    )
    books = load(body)
    assert books[1] == []
    gap = D("1600.00") - D("1500.00")
    assert balance(books, A.OAI_DUE_TO_MS, "2024-03-31") == -gap
    assert balance(books, A.MS_DUE_FROM_OAI, "2024-03-31") == gap
    assert balance(books, A.OAI_DUE_FROM_MS, "2024-03-31") == 0
    assert balance(books, A.MS_DUE_TO_OAI, "2024-03-31") == 0


def test_implied_revenue_is_exact_only_when_every_microsoft_base_in_force_is_recorded():
    bing = (
        OPENS
        + RULES
        + revenue("2024-02-11", A.MS_BING, "2000.00")
        + payment("2024-03-31", "2024-01-01", "1600.00", "revenue-share-2024-q1")
    )
    entries, errors, _ = load(bing)
    assert errors == []
    [imp] = generated(entries, "implied-revenue")
    # (1,600 + 0.20 x 2,000) / 0.20 = 10,000; Azure OpenAI's 20% is in force and unrecorded: at least.
    assert imp.meta["revenue"].number == (D("1600") + RATE * D("2000")) / RATE
    assert_equal_entries(
        """
        2024-03-31 * "Implied OpenAI revenue (2024-Q1), lower bound" #assumed #generated #leaked ^revenue-share-2024-q1
          rule: "implied-revenue"
          formula: "(payment + microsoft-share) / rate"
          period-start: 2024-01-01
          payment: 1600.00 USD
          microsoft-share: 400.00 USD
          microsoft-base: 2000.00 USD
          payment-period: "2024-Q1"
          rate: 0.20
          revenue: 10000.00 USD
          bound: "lower"
          Assets:OpenAI:Cash      10000.00 USD
          Income:OpenAI:Revenue  -10000.00 USD
        """,
        [imp],
    )
    # With Azure OpenAI Service recorded too: (1,600 + 0.20 x (2,000 + 500)) / 0.20 = 10,500, exact.
    entries, errors, _ = load(bing + revenue("2024-02-12", A.MS_AZURE_OPENAI, "500.00"))
    assert errors == []
    [imp] = generated(entries, "implied-revenue")
    assert imp.meta["revenue"].number == (D("1600") + RATE * D("2500")) / RATE
    assert_equal_entries(
        """
        2024-03-31 * "Implied OpenAI revenue (2024-Q1)" #assumed #generated #leaked ^revenue-share-2024-q1
          rule: "implied-revenue"
          formula: "(payment + microsoft-share) / rate"
          period-start: 2024-01-01
          payment: 1600.00 USD
          microsoft-share: 500.00 USD  ; 0.20 x 2,500
          microsoft-base: 2500.00 USD  ; Bing 2,000 + Azure OpenAI Service 500
          payment-period: "2024-Q1"
          rate: 0.20
          revenue: 10500.00 USD
          Assets:OpenAI:Cash      10500.00 USD
          Income:OpenAI:Revenue  -10500.00 USD
        """,
        [imp],
    )


def test_no_lower_bound_when_no_microsoft_share_is_in_force():
    body = (
        OPENS
        + RULES
        + rule("2023-01-01", A.MS_BING, "OpenAI", "0")
        + rule("2023-01-01", A.MS_AZURE_OPENAI, "OpenAI", "0")
        + payment("2024-03-31", "2024-01-01", "1600.00", "revenue-share-2024-q1")
    )
    entries, errors, _ = load(body)
    assert errors == []
    # Microsoft's rates are 0: its share is nothing, and the revenue is exact, 1,600 / 0.20 = 8,000,
    # whose 20% is the payment again.
    assert_equal_entries(
        """
        2024-03-31 * "Implied OpenAI revenue (2024-Q1)" #generated #leaked ^revenue-share-2024-q1
          rule: "implied-revenue"
          formula: "(payment + microsoft-share) / rate"
          period-start: 2024-01-01
          payment: 1600.00 USD
          microsoft-share: 0.00 USD
          microsoft-base: 0.00 USD
          payment-period: "2024-Q1"
          rate: 0.20
          revenue: 8000.00 USD
          Assets:OpenAI:Cash      8000.00 USD
          Income:OpenAI:Revenue  -8000.00 USD

        2024-03-31 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2024-Q1)" #generated #leaked ^revenue-share-2024-q1
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2024-01-01
          base: 8000.00 USD
          share: 1600.00 USD
          sources: 1
          Expenses:OpenAI:RevenueShare:Microsoft   1600.00 USD
          Liabilities:OpenAI:Due:Microsoft        -1600.00 USD
          Assets:Microsoft:Due:OpenAI              1600.00 USD
          Income:Microsoft:RevenueShare:OpenAI    -1600.00 USD
        """,
        generated(entries),
    )


def test_recorded_revenue_overlapping_a_payment_implies_nothing():
    # A recorded revenue figure for January overlaps the Q1 payment.
    body = (
        OPENS
        + RULES
        + revenue("2024-01-31", A.OAI_REVENUE, "5000.00", start="2024-01-01")
        + payment("2024-03-31", "2024-01-01", "1600.00", "revenue-share-2024-q1")
    )
    entries, errors, _ = load(body)
    assert errors == []
    assert generated(entries, "implied-revenue") == []


def test_a_payment_that_would_imply_negative_revenue_is_an_error_at_its_line():
    # Microsoft's share (0.20 x 10,000 = 2,000) exceeds a payment of -2,500 by less than nothing.
    body = (
        OPENS
        + RULES
        + revenue("2024-02-11", A.MS_BING, "10000.00")
        + payment("2024-03-31", "2024-01-01", "-2500.00", "revenue-share-2024-q1").replace("--", "")
    )
    entries, errors, _ = load(body)
    [error] = errors  # one error at the line: the sign rule `add` applies (a net payment is a positive total)
    assert error.message.startswith("amount -2,500.00 USD is negative: a revenue-share figure is a positive total")
    assert error.source["lineno"] == error.entry.meta["lineno"] and error.entry.meta.get("metric") == "revenue-share"
    assert generated(entries, "implied-revenue") == []


# --- what a generated entry carries ---------------------------------------------


def test_generated_entries_carry_the_tag_the_source_link_and_their_inputs(first_leak):
    entries, _, _ = first_leak
    by_link = {}
    for e in entries:
        if isinstance(e, data.Transaction) and "generated" not in e.tags:
            for link in e.links:
                by_link.setdefault(link, []).append(e)
    # The remainders of 2026's funding and fiscal-2026 totals are the figures plugin's (test_refinement);
    # OpenAI's costs not itemized come from the audited costs, not a payment (test_second_leak).
    rows = [e for e in generated(entries) if e.meta["rule"] not in ("remainder", "unitemized-costs")]
    assert {e.meta["rule"] for e in rows} == {"implied-revenue", "revenue-share"}
    for e in rows:
        assert "generated" in e.tags and "leaked" in e.tags  # the payment's kind tag carries over
        assert any(link in by_link for link in e.links), e.narration
    [imp] = [e for e in rows if e.meta["rule"] == "implied-revenue" and e.meta["payment-period"] == "2024-Q4"]
    assert imp.links == {"revenue-share-2024-q4", "revenue-share-2024"}  # the quarter's and its total's
    assert imp.meta["payment"].number == QUARTERS["2024-Q4"]
    assert imp.meta["rate"] == RATE and imp.meta["formula"] == "(payment + microsoft-share) / rate"
    [share] = [e for e in rows if e.meta["rule"] == "revenue-share" and e.date == datetime.date(2024, 12, 31)]
    assert share.meta["base-account"] == A.OAI_REVENUE and share.meta["rule-date"] == datetime.date(2019, 7, 22)
    # 167,800,000 / 0.20 = 839,000,000, whose 20% is the payment again
    assert share.meta["base"].number == QUARTERS["2024-Q4"] / RATE and share.meta["share"].number == QUARTERS["2024-Q4"]


def test_a_linkless_source_gets_a_deterministic_content_link_through_a_copy():
    body = OPENS + RULES + revenue("2024-04-02", A.MS_BING, "100.00")
    first, errors, _ = load(body)
    assert errors == []
    [accrual] = generated(first, "revenue-share")
    [source] = [e for e in first if isinstance(e, data.Transaction) and "generated" not in e.tags]
    assert source.links == accrual.links and all(link.startswith("ll-") for link in accrual.links)
    # The same books always give the same link.
    second, _, _ = load(body)
    assert generated(second, "revenue-share")[0].links == accrual.links


def test_a_month_of_sources_shares_the_link_they_have_in_common():
    batch = "".join(revenue(f"2024-03-{d:02d}", A.MS_BING, "100.00", link="import-2024-03") for d in (1, 2, 3))
    entries, errors, _ = load(OPENS + RULES + batch)
    assert errors == []
    [accrual] = generated(entries, "revenue-share")
    assert accrual.links == {"import-2024-03"} and accrual.meta["sources"] == 3


def test_a_month_of_linkless_sources_is_named_by_account_span_and_count():
    items = "".join(revenue(f"2024-03-{d:02d}", A.MS_BING, "100.00") for d in (1, 2, 3))
    first, errors, _ = load(OPENS + RULES + items)
    assert errors == []
    [accrual] = generated(first, "revenue-share")
    assert accrual.meta["base-account"] == A.MS_BING and accrual.meta["sources"] == 3
    assert accrual.meta["period-start"] == datetime.date(2024, 3, 1) and accrual.date == datetime.date(2024, 3, 3)
    # Deterministic: the same books give the same content link.
    second, _, _ = load(OPENS + RULES + items)
    assert generated(second, "revenue-share")[0].links == accrual.links


def test_scenario_tags_carry_over_to_what_derives_from_them():
    body = (
        OPENS
        + RULES
        + revenue("2024-02-11", A.MS_BING, "2000.00", tags="#assumed #what-if")
        + payment("2024-03-31", "2024-01-01", "1600.00", "revenue-share-2024-q1")
    )
    entries, errors, _ = load(body)
    assert errors == []
    for e in generated(entries):
        assert {"what-if", "assumed"} <= e.tags, e.narration


def test_every_generated_entry_prints_and_parses_back(books):
    """Fava shows generated entries with Beancount's printer: each must print as valid text."""
    entries, _, _ = books
    rows = generated(entries)
    assert rows
    text = OPENS + "\n".join(printer.format_entry(e) for e in rows)
    reparsed, errors, _ = loader.load_string(text)
    assert errors == []

    def legs(txns):
        return [[(p.account, p.units) for p in e.postings] for e in txns if isinstance(e, data.Transaction)]

    assert legs(reparsed) == legs(rows)


def test_the_plugins_never_mutate_their_input():
    body = (
        OPENS
        + RULES
        + revenue("2024-02-11", A.MS_BING, "2000.00")
        + revenue("2024-02-12", A.OAI_REVENUE, "100.00")
        + payment("2024-03-31", "2024-01-01", "1600.00", "revenue-share-2024-q1")
        + payment(
            "2024-06-30",
            "2024-04-01",
            "1600.00",
            "revenue-share-2024-q2",
            extra='\n  superseded-by: "revenue-share-2024-q2b"',
        )
        + payment("2024-06-30", "2024-04-01", "1700.00", "revenue-share-2024-q2b")
    )
    entries, errors, options = load_ledger(body, plugins=False)
    assert errors == []
    for plugin in (figures_plugin.figures, shares_plugin.shares, integrity_plugin.integrity):
        before_list = list(entries)
        before = copy.deepcopy(entries)
        out, _ = plugin(entries, options)
        assert all(a is b for a, b in zip(entries, before_list)) and len(entries) == len(before_list)
        assert entries == before  # every entry, its meta, tags, links and postings, unchanged
        entries = out
    assert generated(entries)  # the chain did derive something


@pytest.mark.parametrize("kind", ["payment", "base"])
def test_amounts_beyond_decimal_precision_are_an_error_at_their_line_not_an_exception(kind):
    huge = "1" + "0" * 27 + ".00"  # 10^27 USD: no share of it quantizes to the cent in 28 digits
    entry = (
        payment("2024-03-31", "2024-01-01", huge, "revenue-share-2024-q1")
        if kind == "payment"
        else revenue("2024-03-31", A.MS_BING, huge)
    )
    body = OPENS + RULES + entry
    entries, errors, _ = load(body)
    # The integrity plugin bounds every hand-written amount (15 digits before the point); the
    # shares plugin, which meets it first, says so too instead of raising.
    assert sorted("too large" in e.message for e in errors) == [False, True]
    assert any("at most 15 digits before the point" in e.message for e in errors)
    assert {e.source["lineno"] for e in errors} == {line_of(body, "2024-03-31 *")}


def _base_ledger(seed: int):
    """Revenue line items of two bases on random days (many on one day), some with an earlier `period-start:`,
    some stating a range, loaded without plugins: the shares plugin's input."""
    import random

    rng = random.Random(seed)
    body = OPENS + RULES
    days = sorted(datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 120)) for _ in range(300))
    for n, day in enumerate(days):
        start = (day - datetime.timedelta(days=rng.randint(1, 3))).isoformat() if n % 7 == 0 else None
        amount = f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}"
        line = revenue(day.isoformat(), rng.choice([A.OAI_REVENUE, A.MS_BING]), amount, start=start)
        if n % 11 == 0:  # a stated range: a source the buckets' range readers read again
            line = line.replace("\n  source:", f"\n  low: {amount} USD\n  source:", 1)
        body += line
    entries, errors, _ = load_ledger(body, plugins=False)
    assert errors == []
    return entries


def _gathered_one_by_one(buckets, account, tags, indices, dates, numbers, starts, ranged, book, boundaries) -> None:
    """The buckets read posting by posting, in any order of the postings: what `_buckets` must give at once."""
    for index, day, number in zip(indices, dates, numbers):
        bucket = shares_plugin._bucket_of(buckets, account, tags, day, book, boundaries)
        bucket.total -= number
        if index not in bucket.sources:
            bucket.sources.append(index)
            if index in ranged:
                bucket.ranged.append(index)
        bucket.last = max(bucket.last, day)
        bucket.first = min(bucket.first, starts.get(index, day))


@pytest.mark.parametrize("seed", [5, 6])
def test_a_bucket_summed_at_once_is_the_bucket_read_posting_by_posting(seed):
    """`_buckets` takes each bucket's run of date-ordered postings by bisect and one sum; read one by one,
    the same buckets, totals (to the digit), sources, ranged sources, first and last days, with boundaries
    inside months."""
    from leakledger.rules import read_rules

    entries = _base_ledger(seed)
    book, _ = read_rules(entries)
    found, starts, _, _, ranged = shares_plugin._base_postings(entries, frozenset(book.bases))
    assert starts and ranged  # both readings meet earlier period-starts and stated ranges
    boundaries = [datetime.date(2024, 2, 10), datetime.date(2024, 3, 20)]
    at_once = shares_plugin._buckets(found, starts, ranged, book, boundaries)
    one_by_one: dict = {}
    for tags, by_account in found.items():
        for account, (indices, dates, numbers) in by_account.items():
            _gathered_one_by_one(one_by_one, account, tags, indices, dates, numbers, starts, ranged, book, boundaries)

    def facts(b):
        return (b.base, b.tags, b.start, b.end, b.first, b.last, str(b.total), b.sources, b.ranged)

    assert len(at_once) > 8  # months cut at the boundaries, two bases
    assert [facts(b) for b in at_once] == [
        facts(b) for b in sorted(one_by_one.values(), key=lambda b: (b.last, b.base))
    ]


@pytest.mark.parametrize("as_of", [None, "2024-06-30"])
def test_the_chain_hands_the_shares_plugin_its_entries_sorted(as_of):
    """Why `_buckets` needs no reading for postings out of date order: Beancount's loader sorts the entries
    before the plugin chain, and the chain's functions before the shares plugin keep them sorted, on books
    where the figures plugin replaces entries (a superseded payment, a year-to-date figure, a refined total)
    and generates some (the remainders, on a base account, among its line items)."""
    from leakledger.plugins import chain

    cumulative = "\n  cumulative: 900000000.00 USD\n  cumulative-start: 2024-01-01\n  known-since: 2024-12-01"
    body = (
        OPENS
        + RULES
        + bing("2024-12-31", "2024-01-01", "1000000000.00", "bing-2024")  # refined by its Q2: remainders
        + bing("2024-06-30", "2024-04-01", "200000000.00", "bing-2024-q2")
        + "".join(revenue(f"2024-{m:02d}-{d:02d}", A.MS_AZURE_OPENAI, "1000.00") for m in range(1, 13) for d in (3, 28))
        + payment("2024-06-30", "2024-01-01", "400000000.00", "revenue-share-2024-h1")
        + payment("2024-09-30", "2024-07-01", "500000000.00", "revenue-share-2024-q3", extra=cumulative)
        + payment("2024-12-31", "2024-10-01", "90.00", "old-q4", extra='\n  superseded-by: "revenue-share-2024-q4"')
        + payment("2024-12-31", "2024-10-01", "100000000.00", "revenue-share-2024-q4")
    )
    entries, errors, options = load_ledger(body, plugins=False)
    assert errors == []
    config = None if as_of is None else f"{{'as-of': '{as_of}'}}"
    functions = chain.__plugins__
    for plugin in functions[1 : functions.index(shares_plugin.shares)]:  # after the collector's pause
        entries, errors = plugin(entries, options, config)
        assert errors == []
    assert entries == sorted(entries, key=data.entry_sortkey)
    made = {e.meta.get(DK.RULE) for e in entries if GENERATED_TAG in getattr(e, "tags", ())}
    assert made == ({DK.RULE_REMAINDER} if as_of is None else set())  # known by mid-2024: no refined total yet
    if as_of is None:  # every kind of entry the figures plugin replaces is among them
        assert any(getattr(e, "type", None) == "figure" for e in entries)  # the superseded payment, as a record
        [ytd] = [e for e in entries if e.meta.get("cumulative")]  # read as the Jan-Sep total it gives: refined
        assert ytd.meta["period-start"] == datetime.date(2024, 1, 1) and ytd.meta["status"] == "refined"


def test_generated_entries_go_where_a_stable_sort_puts_them():
    """`derived.insert_sorted` places each generated entry after every entry that sorts with it, as a stable
    sort of the books followed by the generated entries does: after its ties, on days with many entries, and
    before and after them all."""
    import random

    from leakledger import derived

    entries = _base_ledger(7)
    rng = random.Random(7)
    generated = []
    for n in range(60):
        day = datetime.date(2023, 12, 30) + datetime.timedelta(days=rng.randint(0, 125))
        meta = data.new_metadata("generated", rng.choice([0, 5, 500, 10**6]))
        if n % 2:  # a tie: the same day, type and line as an entry of the books, so it goes after it
            twin = rng.choice(entries)
            day, meta = twin.date, data.new_metadata("generated", twin.meta["lineno"])
        generated.append(data.Transaction(meta, day, "*", None, "generated", frozenset(), frozenset(), []))
    want = sorted([*entries, *generated], key=data.entry_sortkey)
    got = derived.insert_sorted(entries, generated)
    assert [id(e) for e in got] == [id(e) for e in want]
