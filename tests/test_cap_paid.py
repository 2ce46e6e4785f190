"""A capped share's range never passes the cap, nor falls below what was paid.

The scenario cap-counts-all-payments counts every payment since 2019-07-22
against the 38B cap (TI-CAP; docs/sources.md, "The deal since the leak").
As known between 2026-05-11 (the cap) and 2026-06-15 (before the second
leak's audited revenue), OpenAI's share is implied from the leak's net
payments alone, with no Microsoft base recorded: each quarter's share is
its payment plus Microsoft's share (at least 0), so at least the payment,
with no top but the cap. The payments (docs/sources.md, the leak quarter by
quarter) add up to 2024: 493,800,000 and 2025 Jan-Sep: 865,800,000, so
1,359,600,000 of the cap is used at least; what counts against it never
passes 38,000,000,000 in total, so no span holds more than the cap less what
the others paid.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pandas as pd
import pytest
from conftest import LEDGER_DIR
from fava_client import fava
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from leakledger.cli.app import app
from ledgers import OPENS, RULES, cap, generated, load, payment
from typer.testing import CliRunner

from leakledger import derived as DK
from leakledger.book_index import index_books
from leakledger.books import load_clean
from leakledger.intervals import Interval
from leakledger.model import A, capped_intervals, capped_shares, held_to_caps
from leakledger.reports import period_rows

D = Decimal
SCENARIO = "cap-counts-all-payments"
KNOWN = "2026-06-15"  # the cap is public (2026-05-11); the audited revenue is not yet (2026-06-16)
CAP = D("38000000000")
PAID = {  # docs/sources.md, the leak quarter by quarter: the net payments
    datetime.date(2024, 3, 31): D("77300000"),
    datetime.date(2024, 6, 30): D("109500000"),
    datetime.date(2024, 9, 30): D("139200000"),
    datetime.date(2024, 12, 31): D("167800000"),
    datetime.date(2025, 3, 31): D("206400000"),
    datetime.date(2025, 6, 30): D("248300000"),
    datetime.date(2025, 9, 30): D("411100000"),
}
PAID_2024 = D("493800000")  # 77.3M + 109.5M + 139.2M + 167.8M
PAID_2025 = D("865800000")  # 206.4M + 248.3M + 411.1M, the Jan-Sep figure
PAID_ALL = PAID_2024 + PAID_2025  # 1,359,600,000

runner = CliRunner()


@pytest.fixture(scope="module")
def known():
    """The scenario's books as known on 2026-06-15: (entries, options)."""
    return load_clean(LEDGER_DIR / "scenarios" / f"{SCENARIO}.beancount", datetime.date.fromisoformat(KNOWN))


def share_ends(row: dict) -> tuple:
    return row["openai_share"], row["openai_share_low"], row["openai_share_high"]


def test_each_quarter_accrues_at_least_its_payment_and_at_most_the_cap_less_the_others(known):
    entries, _ = known
    accruals = [d for d in DK.derived(entries, DK.RULE_SHARE) if d.base_account == A.OAI_REVENUE]
    assert [d.date for d in accruals] == list(PAID)
    for d in accruals:
        # 2024-Q1: at least 77,300,000, at most 38,000,000,000 - (1,359,600,000 - 77,300,000) = 36,717,700,000
        # (it read 77.3M..38B, and 2024-Q2 0..37,922,700,000: below the 109,500,000 paid for it)
        assert d.share_interval == Interval(PAID[d.date], CAP - (PAID_ALL - PAID[d.date])), d.date
    # the cap binds at the earliest with the last payment (each before it was followed by one: it had room)
    assert accruals[-1].cap_binds_from == datetime.date(2025, 9, 30) and accruals[-1].cap_binds_by is None


@pytest.mark.parametrize(
    "by, expected",
    [
        (
            "year",
            {  # each span: at least what it paid, at most the cap less what the rest paid
                "2024": (PAID_2024, PAID_2024, CAP - PAID_2025),  # 493.8M..37,134,200,000
                "2025": (PAID_2025, PAID_2025, CAP - PAID_2024),  # 865.8M..37,506,200,000
                "total": (PAID_ALL, PAID_ALL, CAP),  # 1,359,600,000..38,000,000,000
            },
        ),
        (
            "half",
            {  # 2024-H2: 139.2M + 167.8M = 307,000,000; 38B - (1,359.6M - 307M) = 36,947,400,000
                "2024-H1": (D("186800000"), D("186800000"), CAP - (PAID_ALL - D("186800000"))),
                "2024-H2": (D("307000000"), D("307000000"), D("36947400000")),
                "2025-H1": (D("454700000"), D("454700000"), CAP - (PAID_ALL - D("454700000"))),
                "2025-H2": (D("411100000"), D("411100000"), CAP - (PAID_ALL - D("411100000"))),
                "total": (PAID_ALL, PAID_ALL, CAP),
            },
        ),
    ],
)
def test_the_period_table_holds_each_span_between_its_payments_and_the_cap(known, by, expected):
    rows = {r["period"]: r for r in period_rows(index_books(known[0]), by)}
    assert {p: share_ends(rows[p]) for p in expected} == expected
    for row in rows.values():  # never "≥" open above, nor below what the row's net payments paid
        assert row["openai_share_high"] <= CAP and row["openai_share_low"] >= row["net_payment"]


def test_the_statements_hold_the_shares_as_the_report_does(known):
    """Each company's statement reads OpenAI's 20% the same way: at least what was paid, at most the cap less what
    the rest paid (it read "≥ 493,800,000": no top, passing the cap, as only a reached cap held a cell)."""
    from leakledger.statements import TOTAL_ROW, income_statement

    entries, options = known
    openai = income_statement(entries, options, "OpenAI")
    microsoft = income_statement(entries, options, "Microsoft")
    for statement, account in ((openai, A.OAI_SHARE_EXPENSE), (microsoft, A.MS_SHARE_INCOME)):
        assert statement.cell(account, "2024").interval == Interval(PAID_2024, CAP - PAID_2025), account
        assert statement.cell(account, "2025").interval == Interval(PAID_2025, CAP - PAID_2024), account
    assert openai.cell(A.OAI_SHARE_EXPENSE, TOTAL_ROW).interval == Interval(PAID_ALL, CAP)


def csv_money(value: Decimal) -> str:
    """An amount as the CSV writes it: plain digits, two decimals."""
    return f"{value:.2f}"


def span_text(low: Decimal, high: Decimal) -> str:
    """A range as the report's text writes it here: the low end in millions, the high in billions (493.8M–37.1342B)."""
    low_text = f"{low / 10**6}M" if low < 10**9 else f"{low / 10**9}B"
    return f"{low_text}–{high / 10**9}B"


def test_report_csv_and_text_and_scenario_compare_say_the_same(known):
    csv = runner.invoke(app, ["report", "--scenario", SCENARIO, "--as-of", KNOWN, "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    rows = {r["period"]: r for r in pd.read_csv(io.StringIO(csv.output), dtype=str).to_dict("records")}
    # 2024: at least the 493,800,000 paid, at most 38B less 2025's 865,800,000 = 37,134,200,000;
    # the total: at least 493.8M + 865.8M = 1,359,600,000, at most the cap.
    ends_2024 = (csv_money(PAID_2024), csv_money(CAP - PAID_2025))
    assert (rows["2024"]["openai_share_low"], rows["2024"]["openai_share_high"]) == ends_2024
    ends_total = (csv_money(PAID_ALL), csv_money(CAP))
    assert (rows["total"]["openai_share_low"], rows["total"]["openai_share_high"]) == ends_total
    text = runner.invoke(app, ["report", "--scenario", SCENARIO, "--as-of", KNOWN], env={"COLUMNS": "200"}).output
    # 493.8M–37.1342B; 2025: 865.8M–(38B - 493.8M = 37.5062B) †; the total: 1.3596B–38B †
    assert span_text(PAID_2024, CAP - PAID_2025) in text
    assert span_text(PAID_2025, CAP - PAID_2024) + " †" in text and span_text(PAID_ALL, CAP) + " †" in text
    assert "151.4099B" not in text and "0–" not in text  # what the review found
    assert "binds on 2025-09-30 (2025-Q3) at the earliest" in " ".join(text.split())
    compare = runner.invoke(
        app, ["scenario", "compare", SCENARIO, "--as-of", KNOWN, "--format", "csv"], env={"COLUMNS": "200"}
    )
    assert compare.exit_code == 0, compare.output
    frame = pd.read_csv(io.StringIO(compare.output), dtype=str)
    total = frame[(frame["period"] == "total") & (frame["book"] == SCENARIO)].iloc[0]
    assert (total["openai_share_low"], total["openai_share_high"]) == ends_total


def test_the_leak_model_page_reads_the_same_ranges():
    page = fava(LEDGER_DIR / "scenarios" / f"{SCENARIO}.beancount")
    rows = {r["period"]: r for r in page.model(**{"as-of": KNOWN})["period_table"]}  # money as exact strings
    ends = {p: (D(rows[p]["openai_share_low"]), D(rows[p]["openai_share_high"])) for p in ("2024", "2025", "total")}
    assert ends == {
        "2024": (PAID_2024, CAP - PAID_2025),
        "2025": (PAID_2025, CAP - PAID_2024),
        "total": (PAID_ALL, CAP),
    }


# --- the arithmetic on small ledgers --------------------------------------------------------------------------


def test_two_payments_under_a_cap_each_hold_at_least_what_was_paid():
    # Cap 1,000 from 2023-01-01; net payments of 100 (Q1) and 200 (Q2), Microsoft's bases unrecorded: each
    # implies a lower-bound revenue, so each share is [paid, ∞) before the cap. Q1: at least 100, at most
    # 1,000 - 200 (Q2 was paid after it) = 800; Q2: at least 200, at most 1,000 - 100 = 900; together
    # 300..1,000, never 300..1,700 (the two highs added).
    body = (
        OPENS
        + RULES
        + cap(day="2023-01-01", amount="1000.00 USD", counts_from="2023-01-01")
        + payment("2023-03-31", "2023-01-01", "100.00", "pay-q1", source="test")
        + payment("2023-06-30", "2023-04-01", "200.00", "pay-q2", source="test")
    )
    entries, errors, _ = load(body)
    assert errors == []
    shares = [DK.Derived.of(e) for e in generated(entries, "revenue-share") if "OpenAI:Revenue" in str(e.meta)]
    assert [d.share_interval for d in shares if d is not None] == [Interval(D(100), D(800)), Interval(D(200), D(900))]
    [half] = [r for r in period_rows(index_books(entries), "half") if r["period"] == "2023-H1"]
    assert share_ends(half) == (D(300), D(300), D(1000))


def test_held_to_caps_leaves_each_cell_the_cap_less_the_others_low_ends():
    key = (A.OAI_REVENUE, D(1000))
    cell = [(key, Interval(D(100), D(800)))]
    # the books count 100 + 200 against the cap: this cell holds at most 1,000 - 200 = 800
    assert held_to_caps(cell, {key: D(300)}) == Interval(D(100), D(800))
    assert held_to_caps(cell + [(key, Interval(D(200), D(900)))], {key: D(300)}) == Interval(D(300), D(1000))
    # without what the books count, the cap alone: as before
    assert held_to_caps(cell + [(key, Interval(D(200), D(900)))]) == Interval(D(300), D(1000))
    assert held_to_caps([(None, Interval(D(5), None)), *cell], {key: D(300)}) == Interval(D(105), None)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(0, 400), st.integers(0, 400), st.booleans(), st.booleans()),
        min_size=1,
        max_size=7,
    ),
    st.integers(1, 1500),
)
def test_capped_intervals_with_floors_hold_every_capped_point_that_pays_them(shares, limit):
    # Each share is [low, low + width] (or [low, ∞)); a paid one's floor is its low end. Any points inside the
    # ends, held to the cap by capped_shares, that accrue each paid share at least its floor, fall inside the
    # bounds capped_intervals gives with those floors.
    ends = [(D(low), None if open_top else D(low + width)) for low, _, width, open_top, _ in shares]
    floors = [D(low) if paid else D(0) for low, _, _, _, paid in shares]
    points = [D(low + (at if open_top else min(at, width))) for low, at, width, open_top, _ in shares]
    held = capped_shares(points, D(limit))
    assume(all(a >= f for a, f in zip(held, floors)))
    bounds = capped_intervals(ends, D(limit), floors)
    for point, (low, high) in zip(held, bounds):
        assert low <= point <= high
    assert sum(high for _, high in bounds) >= sum(held)


def test_floors_more_than_the_cap_allows_say_nothing():
    # paid 600 then 500 under a cap of 1,000: more than it allows, so the bounds are the cap's alone
    ends = [(D(600), D(600)), (D(500), D(500))]
    assert capped_intervals(ends, D(1000), [D(600), D(500)]) == capped_intervals(ends, D(1000))
