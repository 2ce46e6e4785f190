"""The revenue-share cap: accruals stop at it, to the cent, and the books say so.

Figures from docs/sources.md, "The deal since the leak": the 38B cap (TI-CAP)
on OpenAI's 20% share, counted in the shipped books from the amendment of
2026-04-27 (AMD), when Microsoft's own share ends; OpenAI's ends after 2030.
"""

from __future__ import annotations

import datetime

import pytest
from beancount import loader
from conftest import LEDGER_DIR
from entries import assert_equal_entries
from hypothesis import given, settings
from hypothesis import strategies as st
from ledgers import (
    DUE_ACCOUNTS,
    OPENS,
    RULES,
    D,
    balance,
    cap,
    generated,
    implied,
    line_of,
    load,
    payment,
    revenue,
    rule,
)

from leakledger import derived as DK
from leakledger.model import A, capped_shares
from leakledger.rules import read_rules

CAP_38B = D("38000000000.00")
AMENDMENT = datetime.date(2026, 4, 27)


def with_shipped_books(tmp_path, figures: str):
    """The shipped books plus `figures`, as a scenario book: a top-level file that includes them."""
    path = tmp_path / "scenario.beancount"
    path.write_text(
        'option "operating_currency" "USD"\nplugin "leakledger.plugins.chain"\n'
        f'include "{LEDGER_DIR / "books.beancount"}"\n' + figures,
        encoding="utf-8",
    )
    return loader.load_file(str(path))


def figure(end: str, start: str, account: str, amount: str, metric: str, link: str) -> str:
    cash = "Assets:OpenAI:Cash" if ":OpenAI:" in account else "Assets:Microsoft:Cash"
    return f"""
{end} * "assumed {metric}" #assumed ^{link}
  metric: "{metric}"
  period-start: {start}
  source: "test: an assumption"
  {cash}  {amount} USD
  {account}  -{amount} USD
"""


def accruals(entries, base):
    return [e for e in generated(entries, "revenue-share") if e.meta["base-account"] == base]


# --- the shipped books ----------------------------------------------------------------


def test_microsofts_share_accrues_before_the_amendment_and_not_after(tmp_path):
    # AMD: no share to OpenAI from 2026-04-27. 2026-Q1 accrues 20%; 2026-Q3 nothing.
    entries, errors, _ = with_shipped_books(
        tmp_path,
        figure("2026-03-31", "2026-01-01", A.MS_AZURE_OPENAI, "600000000.00", "azure-openai-revenue", "aoai-2026-q1")
        + figure("2026-09-30", "2026-07-01", A.MS_AZURE_OPENAI, "700000000.00", "azure-openai-revenue", "aoai-2026-q3"),
    )
    assert errors == []
    [accrual] = accruals(entries, A.MS_AZURE_OPENAI)
    assert accrual.date == datetime.date(2026, 3, 31)
    assert accrual.meta["share"].number == D("120000000.00")  # 0.20 x 600,000,000


def test_openai_revenue_past_the_cap_accrues_exactly_the_cap_and_0_after(tmp_path):
    # 60B a quarter from 2026-Q3 to 2031-Q2: 20% is 12B a quarter, so 38B is
    # reached in the fourth quarter (12 + 12 + 12 = 36B, then 2B of the next 12B).
    quarters = [
        (f"{y}-{m:02d}-01", end)
        for y in range(2026, 2032)
        for m, end in ((1, "03-31"), (4, "06-30"), (7, "09-30"), (10, "12-31"))
        if (2026, 7) <= (y, m) <= (2031, 4)
    ]
    text = "".join(
        figure(f"{start[:4]}-{end}", start, A.OAI_REVENUE, "60000000000.00", "revenue", f"r-{start}")
        for start, end in quarters
    )
    entries, errors, _ = with_shipped_books(tmp_path, text)
    assert errors == []
    counted = [e for e in accruals(entries, A.OAI_REVENUE) if e.date >= AMENDMENT]
    assert sum(e.meta["share"].number for e in counted) == CAP_38B
    # 2027-Q3 to 2030-Q4 (14 quarters) are held at 0: kept, so each reads as a known 0; 2031 has no rate.
    assert [e.meta["share"].number for e in counted] == [D("12000000000.00")] * 3 + [D("2000000000.00")] + [
        D("0.00")
    ] * 14
    last = counted[3]
    assert last.date == datetime.date(2027, 6, 30)  # the cap binds in 2027-Q2
    assert last.meta[DK.CAP_REMAINING].number == 0 and last.meta[DK.CAP_UNCAPPED].number == D("12000000000.00")
    # Forgone: 10B of the crossing quarter and 12B for each of 2027-Q3 to 2030-Q4 (14 quarters).
    assert last.meta[DK.CAP_FORGONE].number == D("10000000000") + 14 * D("12000000000")
    assert "accrue 0" in last.meta[DK.CAP_NOTE] and "(14 accrual(s) held at 0)" in last.meta[DK.CAP_NOTE]
    held = counted[4:]
    assert held[-1].date == datetime.date(2030, 12, 31)
    for e in held:  # what it would have been (0.20 x 60B), and when the cap was reached
        assert e.meta[DK.CAP_UNCAPPED].number == D("12000000000.00")
        assert e.meta[DK.CAP_REACHED] == datetime.date(2027, 6, 30)
        assert e.meta[DK.CAP_REMAINING].number == 0 and DK.SHARE_LOW not in e.meta
    # After the cap, every share posting in either company's books is 0.00 (never "-0.00"), and none after 2030.
    for account in ("Expenses:OpenAI:RevenueShare:Microsoft", "Income:Microsoft:RevenueShare:OpenAI"):
        after = [p for e in generated(entries) if e.date > last.date for p in e.postings if p.account == account]
        assert len(after) == 14 and {str(p.units) for p in after} == {"0.00 USD"}


def test_revenue_after_2030_accrues_nothing_under_the_cap(tmp_path):
    entries, errors, _ = with_shipped_books(
        tmp_path,
        figure("2030-12-31", "2030-10-01", A.OAI_REVENUE, "1000.00", "revenue", "r-2030-q4")
        + figure("2031-03-31", "2031-01-01", A.OAI_REVENUE, "1000.00", "revenue", "r-2031-q1"),
    )
    assert errors == []
    [accrual] = [e for e in accruals(entries, A.OAI_REVENUE) if e.date >= AMENDMENT]
    assert accrual.date == datetime.date(2030, 12, 31) and accrual.meta["share"].number == D("200.00")
    assert accrual.meta[DK.CAP_REMAINING].number == CAP_38B - D("200.00")


def test_the_shipped_books_have_the_whole_cap_left():
    entries, errors, _ = loader.load_file(str(LEDGER_DIR / "main.beancount"))
    assert errors == []
    # Nothing of OpenAI's share accrues after 2026-04-27 in the shipped books.
    assert [e for e in accruals(entries, A.OAI_REVENUE) if e.date >= AMENDMENT] == []


# --- the arithmetic on small ledgers ------------------------------------------------------


def test_a_payment_whose_period_reaches_the_cap_implies_a_lower_bound():
    # Cap 1,000 from 2026-07-01; recorded revenue of 3,000 in 2026-07 accrues 600;
    # the 2026-08..2026-09 payment of 500 accrues 500, cut to 400: the cap binds there.
    body = (
        OPENS
        + RULES
        + rule("2026-04-27", A.MS_BING, "OpenAI", "0")
        + rule("2026-04-27", A.MS_AZURE_OPENAI, "OpenAI", "0")
        + cap(day="2026-07-01", amount="1000.00 USD", counts_from="2026-07-01")
        + revenue("2026-07-31", A.OAI_REVENUE, "3000.00", link="revenue-2026-07")
        + payment("2026-09-30", "2026-08-01", "500.00", "revenue-share-2026-08-09")
    )
    entries, errors, _ = load(body)
    assert errors == []
    [imp] = generated(entries, "implied-revenue")
    assert imp.meta["revenue"].number == D("2500.00")  # 500 / 0.20
    assert imp.meta["bound"] == "lower" and "cap" in imp.meta[DK.CAP_NOTE]
    cut = [e for e in accruals(entries, A.OAI_REVENUE) if e.date == datetime.date(2026, 9, 30)]
    assert [e.meta["share"].number for e in cut] == [D("400.00")]
    assert cut[0].meta[DK.CAP_UNCAPPED].number == D("500.00")
    # Whole: July accrues 0.20 x 3,000 = 600 (400 left of the cap); the payment implies
    # 500 / 0.20 = 2,500, whose 20% (500) is cut to the 400 left; 100 is forgone.
    assert_equal_entries(
        """
        2026-07-31 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2026-07)" #assumed #generated ^revenue-2026-07
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2026-07-01
          base: 3000.00 USD
          share: 600.00 USD
          sources: 1
          cap: 1000.00 USD
          cap-counts-from: 2026-07-01
          cap-accrued: 600.00 USD
          cap-remaining: 400.00 USD
          Expenses:OpenAI:RevenueShare:Microsoft   600.00 USD
          Liabilities:OpenAI:Due:Microsoft        -600.00 USD
          Assets:Microsoft:Due:OpenAI              600.00 USD
          Income:Microsoft:RevenueShare:OpenAI    -600.00 USD

        2026-09-30 * "Implied OpenAI revenue (2026-08..2026-09), lower bound" #generated #leaked ^revenue-share-2026-08-09
          rule: "implied-revenue"
          formula: "(payment + microsoft-share) / rate"
          period-start: 2026-08-01
          payment: 500.00 USD
          microsoft-share: 0.00 USD
          microsoft-base: 0.00 USD
          payment-period: "2026-08..2026-09"
          rate: 0.20
          revenue: 2500.00 USD
          bound: "lower"
          cap-note: "a lower bound: the cap of 1,000.00 USD on OpenAI's share, counted from 2026-07-01, is reached in this period; revenue beyond it pays no share, so the payment cannot show it"
          Assets:OpenAI:Cash      2500.00 USD
          Income:OpenAI:Revenue  -2500.00 USD

        2026-09-30 * "OpenAI's share to Microsoft: 20% of Income:OpenAI:Revenue (2026-08..2026-09), cut to the cap" #generated #leaked ^revenue-share-2026-08-09
          rule: "revenue-share"
          base-account: "Income:OpenAI:Revenue"
          rate: 0.20
          rule-date: 2019-07-22
          period-start: 2026-08-01
          base: 2500.00 USD
          share: 400.00 USD
          sources: 1
          cap: 1000.00 USD
          cap-counts-from: 2026-07-01
          cap-accrued: 1000.00 USD
          cap-remaining: 0.00 USD
          uncapped-share: 500.00 USD
          cap-forgone: 100.00 USD
          cap-note: "the cap of 1,000.00 USD on Income:OpenAI:Revenue's share to Microsoft, counted from 2026-07-01, is reached here: later postings to Income:OpenAI:Revenue accrue 0 (0 accrual(s) held at 0)"
          Expenses:OpenAI:RevenueShare:Microsoft   400.00 USD
          Liabilities:OpenAI:Due:Microsoft        -400.00 USD
          Assets:Microsoft:Due:OpenAI              400.00 USD
          Income:Microsoft:RevenueShare:OpenAI    -400.00 USD
        """,
        generated(entries),
    )


@pytest.mark.parametrize(
    "line, message",
    [
        (cap(amount="38000000000.00 EUR"), "is in EUR: the books are in USD"),
        (cap(amount="38000000000.00"), "amount must be an amount in USD"),
        (cap(amount="0.00 USD"), "must be above zero"),
        (cap(counts_from=None), "has no counts-from: date"),
        (cap(counts_from='"2026-04-27"'), "counts-from: '2026-04-27' must be a date"),
        (cap(payee="OpenAI"), "owns the base account"),
        (cap(base="Income:Microsoft:Licensing"), "is not opened"),
    ],
)
def test_a_malformed_cap_is_an_error_at_its_line(line, message):
    body = OPENS + RULES + line
    entries, errors, _ = load(body)
    [error] = errors
    assert message in error.message
    assert error.source["lineno"] == line_of(body, 'custom "revenue-share-cap"')
    book, _ = read_rules(entries)
    assert book.caps == {}


def test_a_second_cap_for_one_base_is_an_error_at_the_second():
    body = OPENS + RULES + cap() + cap(day="2026-05-01", amount="1.00 USD")
    entries, errors, _ = load(body)
    [error] = errors
    assert "second revenue-share-cap for Income:OpenAI:Revenue" in error.message
    assert error.source["lineno"] == line_of(body, "2026-05-01 custom")
    book, _ = read_rules(entries)
    assert book.caps[A.OAI_REVENUE].amount == CAP_38B


def test_a_payment_across_the_caps_counts_from_is_split_by_days_there():
    # A 2026-Q2 payment of 100.00 straddles counts-from 2026-04-27: accepted whole, it implies
    # 100.00 / 0.20 = 500.00 spread by days, 26 days (04-01..04-26) and 65 days (04-27..06-30).
    body = OPENS + RULES + cap() + payment("2026-06-30", "2026-04-01", "100.00", "revenue-share-2026-q2")
    entries, errors, options = load(body)
    assert errors == []
    before, after = sorted(generated(entries, "implied-revenue"), key=lambda e: e.date)
    assert (before.meta["period-start"], before.date) == (datetime.date(2026, 4, 1), datetime.date(2026, 4, 26))
    assert (after.meta["period-start"], after.date) == (AMENDMENT, datetime.date(2026, 6, 30))
    # 500.00 x 26 / 91 = 142.857... -> 142.86, whose 20% is 28.57; the rest of the payment,
    # 100.00 - 28.57 = 71.43, is the later part's share: its revenue 71.43 / 0.20 = 357.15.
    assert before.meta["revenue"].number == D("142.86") and after.meta["revenue"].number == D("357.15")
    shares = {e.date: e for e in accruals(entries, A.OAI_REVENUE)}
    assert shares[datetime.date(2026, 4, 26)].meta["share"].number == D("28.57")
    assert "cap" not in shares[datetime.date(2026, 4, 26)].meta  # before counts-from: not against the cap
    counted = shares[datetime.date(2026, 6, 30)]
    assert counted.meta["share"].number == D("71.43") and counted.meta["cap-accrued"].number == D("71.43")
    for account in DUE_ACCOUNTS:  # the two shares settle the whole payment: 28.57 + 71.43 = 100.00
        assert balance((entries, errors, options), account, "2026-06-30") == 0


def test_a_rule_inside_a_payments_period_while_a_cap_counts_splits_it_there():
    # The cap counts from 2026-01-01; Microsoft's share ends 2026-04-27, inside a 2026-Q2 payment.
    body = (
        OPENS
        + RULES
        + cap(day="2026-01-01", counts_from="2026-01-01")
        + rule("2026-04-27", A.MS_BING, "OpenAI", "0")
        + payment("2026-06-30", "2026-04-01", "100.00", "revenue-share-2026-q2")
    )
    entries, errors, _ = load(body)
    assert errors == []
    pieces = sorted(generated(entries, "implied-revenue"), key=lambda e: e.date)
    assert [e.date for e in pieces] == [datetime.date(2026, 4, 26), datetime.date(2026, 6, 30)]
    # Both parts count against a cap counting from 2026-01-01; their shares are the payment: 28.57 + 71.43.
    counted = [e.meta["share"].number for e in accruals(entries, A.OAI_REVENUE) if "cap" in e.meta]
    assert counted == [D("28.57"), D("71.43")]


def test_a_rule_inside_a_payments_period_before_any_cap_counts_is_spread_by_days():
    body = (
        OPENS
        + RULES
        + cap(day="2026-04-27")
        + rule("2025-04-01", A.OAI_REVENUE, "Microsoft", "0.10")
        + payment("2025-06-30", "2025-01-01", "100.00", "revenue-share-2025-h1")
    )
    entries, errors, _ = load(body)
    assert errors == []
    assert len(generated(entries, "implied-revenue")) == 2


def test_payments_on_both_sides_of_the_amendment_are_clean_and_settle():
    body = (
        OPENS
        + RULES
        + cap()
        + rule("2026-04-27", A.MS_BING, "OpenAI", "0")
        + payment("2026-04-26", "2026-04-01", "100.00", "revenue-share-2026-04a")
        + payment("2026-06-30", "2026-04-27", "100.00", "revenue-share-2026-04b")
    )
    entries, errors, _ = load(body)
    assert errors == []
    assert implied(entries) == {"2026-04-01..2026-04-26": D("500.00"), "2026-04-27..2026-06-30": D("500.00")}
    [counted] = [e for e in accruals(entries, A.OAI_REVENUE) if e.date >= AMENDMENT]
    assert counted.meta[DK.CAP_ACCRUED].number == D("100.00")


# --- properties -------------------------------------------------------------------------

SETTINGS = settings(max_examples=30, deadline=None)
dollars = st.integers(0, 10**11).map(D)  # whole dollars: 20% of each is exact to the cent


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 10**13).map(lambda n: D(n) / 100), max_size=30),
    st.integers(1, 10**13).map(lambda n: D(n) / 100),
)
def test_capped_shares_never_exceed_the_cap_and_add_up_to_the_lesser(shares, limit):
    allowed = capped_shares(shares, limit)
    assert sum(allowed) == min(limit, sum(shares))
    assert all(D(0) <= a <= s for a, s in zip(allowed, shares))
    running = D(0)
    for a, s in zip(allowed, shares):
        assert a == s or running + a == limit  # whole, or cut to exactly what remains
        running += a
        assert running <= limit


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 23), dollars), min_size=1, max_size=12),
    st.integers(1, 10**11).map(lambda n: D(n) / 100),
    st.integers(0, 23),
)
def test_through_the_plugin_the_share_since_counts_from_is_min_of_cap_and_20_percent(path, limit, start):
    """Random monthly revenue over 2026-2027; the cap counts from the first of a random month."""

    def month(m: int) -> datetime.date:
        return datetime.date(2026 + m // 12, m % 12 + 1, 28)

    counts_from = datetime.date(2026 + start // 12, start % 12 + 1, 1)
    body = (
        OPENS + RULES + cap(day=counts_from.isoformat(), amount=f"{limit:.2f} USD", counts_from=counts_from.isoformat())
    )
    for m, amount in path:
        body += revenue(month(m).isoformat(), A.OAI_REVENUE, f"{amount:.2f}")
    entries, errors, _ = load(body)
    assert errors == []
    base = sum((amount for m, amount in path if month(m) >= counts_from), D(0))
    counted = [e.meta["share"].number for e in accruals(entries, A.OAI_REVENUE) if e.date >= counts_from]
    assert sum(counted, D(0)) == min(limit, base * D("0.20"))
    assert all(
        e.meta[DK.CAP_ACCRUED].number <= limit for e in accruals(entries, A.OAI_REVENUE) if e.date >= counts_from
    )
    before = [e.meta["share"].number for e in accruals(entries, A.OAI_REVENUE) if e.date < counts_from]
    assert sum(before, D(0)) == sum((a for m, a in path if month(m) < counts_from), D(0)) * D("0.20")


def reading(counts_from="2019-07-22", base=A.OAI_REVENUE, day="2026-04-27") -> str:
    counts = f"\n  counts-from: {counts_from}" if counts_from else ""
    return f"""
{day} custom "revenue-share-cap-reading" {base}{counts}
  source: "test"
  kind: "assumed"
  note: "the other reading"
"""


def test_a_reading_sets_when_the_cap_counts_from_and_keeps_the_rest():
    # Payments of 100 in 2024 and 2025 count against a cap of 150 from 2019-07-22: 50 of it is left.
    body = (
        OPENS
        + RULES
        + cap(amount="150.00 USD")
        + reading()
        + payment("2024-12-31", "2024-01-01", "100.00", "revenue-share-2024")
        + payment("2025-12-31", "2025-01-01", "100.00", "revenue-share-2025")
    )
    entries, errors, _ = load(body)
    assert errors == []
    book, _ = read_rules(entries)
    assert book.caps[A.OAI_REVENUE].counts_from == datetime.date(2019, 7, 22)
    assert book.caps[A.OAI_REVENUE].amount == D("150.00")
    shares = [e.meta["share"].number for e in accruals(entries, A.OAI_REVENUE)]
    assert shares == [D("100.00"), D("50.00")]
    [imp2024, imp2025] = sorted(generated(entries, "implied-revenue"), key=lambda e: e.date)
    # 2025's payment reaches the cap: its implied revenue is a lower bound for that reason too.
    assert DK.CAP_NOTE not in imp2024.meta and imp2025.meta["bound"] == "lower" and DK.CAP_NOTE in imp2025.meta


@pytest.mark.parametrize(
    "line, message",
    [
        (reading(base=A.MS_BING), "the books have no revenue-share-cap for it"),
        (reading(counts_from=None), "has no counts-from: date"),
        (reading() + reading(counts_from="2020-01-01", day="2026-04-28"), "second revenue-share-cap-reading"),
    ],
)
def test_a_malformed_reading_is_an_error_at_its_line(line, message):
    body = OPENS + RULES + cap() + line
    _, errors, _ = load(body)
    [error] = errors
    assert message in error.message
    needle = "2026-04-28 custom" if "second" in message else 'custom "revenue-share-cap-reading"'
    assert error.source["lineno"] == line_of(body, needle)
