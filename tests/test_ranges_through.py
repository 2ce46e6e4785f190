"""Ranges carried past the shares: ratios, explain, statements, remainders, caps, flows, scenarios.

The shipped books (session fixture `books`) and small made-up ones, loaded
through the real loader with the shipped plugin chain; every figure below
is docs/sources.md arithmetic, shown beside it.
"""

from __future__ import annotations

import datetime
import tempfile
from decimal import Decimal
from pathlib import Path

from conftest import LEDGER_DIR, MAIN
from fava_client import LEAK_MODEL, fava, get_json
from hypothesis import given, settings
from hypothesis import strategies as st
from leakledger.cli.app import app
from ledgers import (
    AZURE_2023,
    BING_2023,
    OPENS,
    PAYMENTS_2023,
    RULES,
    cap,
    figure,
    ledger_text,
    load,
    payment,
    year_interval,
)
from typer.testing import CliRunner

from leakledger import derived as DK
from leakledger.book_index import index_books
from leakledger.intervals import Interval, Spread
from leakledger.lineage import lineage, tree_text
from leakledger.model import SHARE_LEGS, A
from leakledger.model_view import period_notes
from leakledger.presentation import statement_cells
from leakledger.reports import TOTAL_ROW, period_rows
from leakledger.statements import EXPENSES, NET, income_statement, load_statement

D = Decimal
SCENARIO = LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"
INFERENCE_2024 = D("3767100000.00")  # docs/sources.md: OpenAI inference spend on Azure, 2024
REVENUE_2024 = Interval(D("3650000000"), D("3750000000"))  # audited "3.7B", stated to the 0.1B


def _rows(books, by: str = "year") -> dict:
    entries, errors, _ = books
    assert errors == []
    return {row["period"]: row for row in period_rows(index_books(entries), by)}


def test_the_2024_ratio_divides_inference_by_recorded_revenue_with_its_range(books):
    row = _rows(books)["2024"]
    # 3,767,100,000 / 3,700,000,000 = 1.01813... -> 1.02 (rounded once, to 0.01)
    assert row["inference_to_revenue"] == D("1.02") and row["ratio_over"] == "recorded"
    # over 3.65B..3.75B: 3,767,100,000 / 3,750,000,000 = 1.004560 (floor 1.0045);
    # 3,767,100,000 / 3,650,000,000 = 1.032082 (ceiling 1.0321): ends rounded outward
    assert (row["inference_to_revenue_low"], row["inference_to_revenue_high"]) == (D("1.0045"), D("1.0321"))
    assert row["ratio_blank"] is None


def test_the_2025_microsoft_share_is_not_known_and_says_why(books):
    row = _rows(books)["2025"]
    # docs/sources.md: the net payment is known for Jan-Sep only, so 2025's Microsoft 20% is not solvable
    assert row["microsoft_share"] is None
    assert "not known" in row["microsoft_share_blank"] and "2025-Q4" in row["microsoft_share_blank"]
    # inference covers 2025-01..2025-09, the audited revenue the whole year: no ratio, and why
    assert row["inference_to_revenue"] is None
    assert row["ratio_blank"] == "spans differ: inference 2025-01..2025-09, revenue 2025"


@settings(max_examples=12, deadline=None)
@given(revenue=st.decimals(min_value=3_650_000_000, max_value=3_750_000_000, places=2))
def test_the_ratio_range_holds_the_ratio_of_any_revenue_inside_3_7b(books, revenue):
    row = _rows(books)["2024"]
    ratio = Interval(row["inference_to_revenue_low"], row["inference_to_revenue_high"])
    assert ratio.contains(INFERENCE_2024 / revenue)


# --- explain: the interval arithmetic -------------------------------------------------------------


def test_explain_shows_the_2024_microsoft_share_as_interval_arithmetic(books):
    entries, _, _ = books
    text = tree_text(lineage(entries, "revenue-share-2024"))
    # docs/sources.md: 0.2 × 3.7B − 493.8M = 246.2M; "3.7B" is 3.65B..3.75B, so
    # 0.2 × 3.65B − 493.8M = 236,200,000 and 0.2 × 3.75B − 493.8M = 256,200,000; base ÷ 0.2
    assert (
        "as intervals: 0.20 × [3,650,000,000, 3,750,000,000] − 493,800,000 = [236,200,000, 256,200,000]; "
        "base = share / 0.20 = [1,181,000,000, 1,281,000,000]"
    ) in text


def test_explain_writes_a_lower_bound_with_its_open_end(first_leak):
    entries, _, _ = first_leak
    text = tree_text(lineage(entries, "revenue-share-2024"))
    # the first leak alone: 77.3M / 0.2 = 386.5M at least for 2024-Q1; the year 493.8M / 0.2 = 2,469,000,000 at least
    assert "as intervals: (77,300,000 + [0, ∞)) / 0.20 = [386,500,000, ∞); open above:" in text
    assert "as intervals, the sum of its parts': [2,469,000,000, ∞); open above:" in text


def test_explain_shows_a_ranged_base_through_to_the_implied_revenue():
    entries, errors, _ = load(OPENS + RULES + PAYMENTS_2023 + AZURE_2023 + BING_2023)
    assert errors == []
    text = tree_text(lineage(entries, "revenue-share-2023"))
    # Microsoft's 20% of Azure 0.5B..1.5B is 100M..300M, of Bing 0..0.5B is 0..100M: 100M..400M in all;
    # (229.1M + [100M, 400M]) / 0.2 = [1,645,500,000, 3,145,500,000] (the figure)
    assert "as intervals: (229,100,000 + [100,000,000, 400,000,000]) / 0.20 = [1,645,500,000, 3,145,500,000]" in text


def test_a_microsoft_share_range_written_with_its_high_end_only_starts_at_the_share():
    """The plugin writes only the ends of Microsoft's share that differ from it: a missing `microsoft-share-low:`
    is the share itself, not an open end (as a missing `share-low:` is): `Derived` reads it so, and explain
    through it."""
    azure = figure(  # the low end posted, its high end stated: 500M..1.5B
        "azure-openai-revenue",
        "2023-12-31",
        "2023-01-01",
        "500000000.00",
        "azure-2023",
        "#assumed",
        '\n  high: 1500000000.00 USD\n  posted-as: "low"',
    )
    bing = figure("bing-revenue", "2023-12-31", "2023-01-01", "100000000.00", "bing-2023", "#assumed")
    entries, errors, _ = load(OPENS + RULES + PAYMENTS_2023 + azure + bing)
    assert errors == []
    [implied] = list(DK.derived(entries, DK.RULE_IMPLIED))
    meta = implied.entry.meta
    assert DK.MICROSOFT_SHARE_LOW not in meta and DK.MICROSOFT_SHARE_HIGH in meta  # the case in question
    # 0.2 x (500M + 100M) = 120M posted; 0.2 x (1.5B + 100M) = 320M at the top; nothing below the posted share
    assert implied.microsoft_share_interval == Interval(D("120000000.00"), D("320000000.00"))
    # the same reading as the revenue's: (229.1M + [120M, 320M]) / 0.2 = [1,745,500,000, 2,745,500,000]
    assert implied.revenue_interval == Interval(D("1745500000.00"), D("2745500000.00"))
    text = tree_text(lineage(entries, "revenue-share-2023"))
    assert "as intervals: (229,100,000 + [120,000,000, 320,000,000]) / 0.20 = [1,745,500,000, 2,745,500,000]" in text


# --- statement: ranges per line, tight where lines move together; balances not known -----------------

REVENUE_2023 = "revenue-2023"
NET_2023 = payment("2023-12-31", "2023-01-01", "100000000.00", "revenue-share-2023")


def _revenue(amount: str, low: str | None = None, high: str | None = None) -> str:
    extra = f'\n  low: {low} USD\n  high: {high} USD\n  posted-as: "midpoint"' if low else ""
    return figure("revenue", "2023-12-31", "2023-01-01", amount, REVENUE_2023, "#leaked", extra)


def _statements(body: str):
    entries, errors, options = load(OPENS + RULES + NET_2023 + body)
    assert errors == [], errors
    return income_statement(entries, options, "OpenAI"), income_statement(entries, options, "Microsoft")


def test_statement_lines_carry_ranges_and_moves_that_cancel():
    openai, microsoft = _statements(_revenue("1000000000.00", "900000000.00", "1100000000.00"))
    # revenue R in 0.9B..1.1B; Microsoft's solved 20% = 0.2·R − 100M in 80M..120M; OpenAI's 20% = 0.2·R
    assert openai.cell("Income:OpenAI:Revenue", "2023").interval == Interval(D("900000000"), D("1100000000"))
    assert openai.cell("Income:OpenAI:RevenueShare:Microsoft", "2023").interval == Interval(
        D("80000000"), D("120000000")
    )
    # OpenAI's net of its recorded lines: R + (0.2·R − 100M) − 0.2·R = R − 100M: 800M..1B (a sum of the lines'
    # ranges would be 800M−40M..1B+40M: the 20% terms move together and cancel). No figure of OpenAI's total
    # costs is recorded, so its costs beyond the 20% are not known (not 0): the net is at most 1B, open below.
    net = openai.cell(NET, "2023")
    assert net.interval == Interval(None, D("1000000000")) and "total costs" in net.not_known
    # Microsoft's net: 0.2·R − (0.2·R − 100M) = the 100M net payment whatever R is, plus its Bing and Azure
    # OpenAI revenue, which has no figure each but the payment solves together, R − 500M: R − 400M, 500M..700M
    ms_net = microsoft.cell(NET, "2023")
    assert ms_net.amount == D("600000000.00") and ms_net.interval == Interval(D("500000000.00"), D("700000000.00"))
    assert ms_net.not_known is None
    row = next(r for r in openai.records() if r["period"] == "2023" and r["line"] == NET)
    assert (row["amount_low"], row["amount_high"], row["bound"]) == (None, D("1000000000.00"), "upper")


@settings(max_examples=5, deadline=None)
@given(point=st.decimals(min_value=900_000_000, max_value=1_100_000_000, places=2))
def test_every_statement_range_holds_the_statement_of_any_point_choice(point):
    ranged, _ = _statements(_revenue("1000000000.00", "900000000.00", "1100000000.00"))
    exact, _ = _statements(_revenue(f"{point:.2f}"))
    for line in ranged.lines:
        cell, at_point = ranged.cell(line.key, "2023"), exact.cell(line.key, "2023")
        if cell.amount is None:
            continue
        interval = cell.interval or Interval.exact(cell.amount)
        assert interval.contains(at_point.amount), (line.key, interval, at_point.amount)


def test_the_2024_microsoft_investment_is_a_range_not_zero(books):
    entries, _, options = books
    microsoft = income_statement(entries, options, "Microsoft")
    [investment] = [line for line in microsoft.balances if line.account == "Assets:Microsoft:Investment:OpenAI"]
    # docs/sources.md: 11.6B funded from 2019-07-22 to 2025-09-30 (10-Q), posted at its end: at the end of 2024
    # none to all of it had been funded, 0..11.6B (it read "not known", though the books hold the span)
    assert investment.cells["2024"].interval == Interval(D("0"), D("11600000000"))
    assert "how much had moved by then is not known" in investment.cells["2024"].not_known
    # 2025's end: 11.6B funded − 4.1B (the quarter's losses) + 10B (the recap's gain) = 17,500,000,000,
    # and the gain is "about 10B", which the nine months' 5.9B (5.85B..5.95B) less 4.1B and 2026-Q1's 19M pin to
    # 9.969B..10.069B: 17.469B..17.569B; and 0..200M more of the funding that reached 11.8B by 2026-03-31 on days
    # not known (11.8B − 11.6B over 2025-10..2026-03): 17.469B..17.769B.
    assert investment.cells["2025"].amount == D("17500000000.00")
    assert investment.cells["2025"].interval == Interval(D("17469000000.00"), D("17769000000.00"))
    # Fiscal 2026's "6.5B" gain (6.45B..6.55B) refines into its quarters; its remainder (2026-Q2) moves with
    # the total less the ~10B of 2025-Q4, so where both are summed the ~10B cancels: 2026's end is 11.9B
    # funded + 6.5B = 18.4B, 18.35B..18.45B (not 17.35B..19.45B, the two ranges added as if unrelated) ...
    assert investment.cells["2026"].interval == Interval(D("18350000000.00"), D("18450000000.00"))
    # ... while the losses line's total over 2024..2026 is not known: 2024 has no equity-method figure.
    total = microsoft.cell("Expenses:Microsoft:OpenAILosses", "total")
    assert total.amount is None and "no figure for 2024" in total.not_known


_ends = st.decimals(min_value=-1000, max_value=1000, places=2)


@settings(max_examples=40, deadline=None)
@given(
    moves=st.lists(st.tuples(_ends, _ends, st.decimals(min_value=-3, max_value=3, places=2)), min_size=1, max_size=3),
    picks=st.lists(st.decimals(min_value=0, max_value=1, places=3), min_size=3, max_size=3),
    scale=st.decimals(min_value=-2, max_value=2, places=1),
)
def test_a_spread_holds_every_point_choice_of_its_inputs(moves, picks, scale):
    # each input moves within [a, b]; a line is Σ coefficient × move, a second line `scale` times the first;
    # the difference of the two, by `Spread`, holds the difference at any point choice of the moves
    first, second, value = Spread(), Spread(), D(0)
    for key, ((a, b, coefficient), pick) in enumerate(zip(moves, picks)):
        low, high = min(a, b), max(a, b)
        move = Interval(low, high)
        first = first + Spread.of(key, coefficient, move)
        point = low + (high - low) * pick
        value += coefficient * point - scale * coefficient * point
    second = first.scaled(scale)
    assert (first - second).interval().contains(value)


# --- a ranged recorded Microsoft base beside a solved share (the azure-openai-growth scenario's case) -------


def _azure(amount: str, low: str | None = None, high: str | None = None) -> str:
    extra = f'\n  low: {low} USD\n  high: {high} USD\n  posted-as: "midpoint"' if low else ""
    return figure("azure-openai-revenue", "2023-12-31", "2023-01-01", amount, "azure-2023", "#assumed", extra)


def _year_row(body: str) -> dict:
    entries, errors, _ = load(OPENS + RULES + NET_2023 + body)
    assert errors == [], errors
    return {row["period"]: row for row in period_rows(index_books(entries))}["2023"]


def _share_interval(row) -> Interval:
    low, high = row.get("microsoft_share_low"), row.get("microsoft_share_high")
    if low is None and high is None:
        return Interval.exact(row["microsoft_share"])
    return Interval(low, high)


RANGED_BOOKS = _revenue("1000000000.00", "900000000.00", "1100000000.00") + _azure(
    "250000000.00", "100000000.00", "400000000.00"
)


def test_a_ranged_base_beside_a_solved_share_gives_their_whole_share_not_the_sum():
    row = _year_row(RANGED_BOOKS)
    # Azure's 20% of 100M..400M is 20M..80M; the payments leave 0.2 x 0.9B..1.1B − 100M = 80M..120M; Microsoft's
    # whole share is the larger: max(20M..80M, 80M..120M) = 80M..120M (the two added up would be 20M..200M)
    assert _share_interval(row) == Interval(D("80000000"), D("120000000"))


def test_the_statements_share_lines_give_the_whole_share_as_the_table_does():
    entries, errors, options = load(OPENS + RULES + NET_2023 + RANGED_BOOKS)
    assert errors == []
    # the one `reports.whole_share`: Microsoft's 20% to OpenAI is max(20M..80M, 80M..120M) = 80M..120M on both
    # companies' lines, as in the period table (Azure's 20M..80M and the solved rest added would be 20M..200M)
    whole = Interval(D("80000000.00"), D("120000000.00"))
    legs = SHARE_LEGS["Microsoft"]
    for company, account in (("Microsoft", legs.payer_expense), ("OpenAI", legs.payee_income)):
        assert income_statement(entries, options, company).cell(account, "2023").interval == whole


@settings(max_examples=6, deadline=None)
@given(
    azure=st.decimals(min_value=100_000_000, max_value=400_000_000, places=2),
    revenue=st.decimals(min_value=900_000_000, max_value=1_100_000_000, places=2),
)
def test_the_whole_share_holds_the_share_of_any_point_choice(azure, revenue):
    ranged = _share_interval(_year_row(RANGED_BOOKS))
    at_point = _year_row(_revenue(f"{revenue:.2f}") + _azure(f"{azure:.2f}"))
    assert ranged.contains(at_point["microsoft_share"]), (ranged, at_point["microsoft_share"])


# --- remainders of refined totals carry the interval ----------------------------------------------------

AZURE_Q1_2023 = figure(
    "azure-openai-revenue", "2023-03-31", "2023-01-01", "100000000.00", "azure-openai-revenue-2023-q1", "#assumed"
)


def test_a_ranged_year_refined_by_an_exact_quarter_leaves_a_ranged_remainder():
    entries, errors, _ = load(OPENS + RULES + PAYMENTS_2023 + AZURE_2023 + BING_2023 + AZURE_Q1_2023)
    assert errors == []
    [rest] = list(DK.derived(entries, DK.RULE_REMAINDER))
    # Azure 2023 is 0.5B..1.5B (posting 1B), its Q1 exactly 100M: the rest, over 2023-04..2023-12, posts
    # 1B − 100M = 900M and lies in 0.5B − 100M .. 1.5B − 100M = 400M..1.4B
    assert rest.remainder == D("900000000.00")
    assert rest.remainder_interval == Interval(D("400000000.00"), D("1400000000.00"))
    # the year's implied revenue does not move for being refined: still (229.1M + 0.2 x (0.5B..1.5B + 0..0.5B)) / 0.2
    assert year_interval(AZURE_2023 + BING_2023 + AZURE_Q1_2023) == Interval(D("1645500000.00"), D("3145500000.00"))
    text = tree_text(lineage(entries, "azure-openai-revenue-2023"))
    assert (
        "as intervals: [500,000,000, 1,500,000,000] − [100,000,000, 100,000,000] = [400,000,000, 1,400,000,000]" in text
    )


@settings(max_examples=5, deadline=None)
@given(q1=st.decimals(min_value=0, max_value=400_000_000, places=2))
def test_any_exact_quarter_inside_a_ranged_year_leaves_the_years_interval(q1):
    # refining a ranged year by an exact quarter moves what posts where, never the interval of what it implies
    quarter = figure("azure-openai-revenue", "2023-03-31", "2023-01-01", f"{q1:.2f}", "azure-2023-q1", "#assumed")
    assert year_interval(AZURE_2023 + BING_2023 + quarter) == Interval(D("1645500000.00"), D("3145500000.00"))


_QUARTERS = [("2023-01-01", "2023-03-31"), ("2023-04-01", "2023-06-30"), ("2023-07-01", "2023-09-30")]


@settings(max_examples=25, deadline=None)
@given(
    widths=st.lists(st.sampled_from([None, 0, 5_000_000]), min_size=4, max_size=4),
    parts=st.integers(min_value=1, max_value=3),
)
def test_the_remainder_is_ranged_exactly_when_a_figure_is_and_is_its_total_less_its_parts(widths, parts):
    """`remainders` answers "is the remainder a range?" itself: exact figures (no `low:`/`high:`) give none,
    with nothing passed in by the caller; any ranged figure gives the total's interval less the parts'."""
    from beancount import loader

    from leakledger.figures import figure_of, refine
    from leakledger.remainders import piece_ranges, remainder_interval, remainder_ranges

    def written(width, amount: int) -> str:  # None: one number; 0: low = high = amount; else amount ± width
        return "" if width is None else f"\n  low: {amount - width}.00 USD\n  high: {amount + width}.00 USD"

    # a year of 1,000M and quarters of 200M each, every one exact or stated as a range around its amount
    body = figure("revenue", "2023-12-31", "2023-01-01", "1000000000.00", "year", "#assumed", written(widths[0], 10**9))
    for (start, end), width in zip(_QUARTERS[:parts], widths[1:]):
        body += figure("revenue", end, start, "200000000.00", f"q-{start}", "#assumed", written(width, 2 * 10**8))
    entries, errors, _ = loader.load_string(OPENS + body)  # no plugins: the figures as written
    assert errors == []
    [ref] = refine([f for f in map(figure_of, entries) if f is not None]).totals.values()
    pieces = ref.remainder_pieces()
    got = remainder_interval(ref)
    if all(w in (None, 0) for w in widths[: parts + 1]):  # every figure one number: exact, no range written
        assert got is None and remainder_ranges(ref) == {} and piece_ranges(ref, pieces) == [{}] * len(pieces)
        return
    # the total's interval less its parts': 1,000M ± w0 − Σ (200M ± wi), each end against the other's
    low = 10**9 - (widths[0] or 0) - sum(2 * 10**8 + (w or 0) for w in widths[1 : parts + 1])
    high = 10**9 + (widths[0] or 0) - sum(2 * 10**8 - (w or 0) for w in widths[1 : parts + 1])
    assert got == Interval(D(low), D(high))
    assert remainder_ranges(ref) == {DK.REMAINDER_LOW: _usd(low), DK.REMAINDER_HIGH: _usd(high)}
    assert [r[DK.REMAINDER_LOW] for r in piece_ranges(ref, pieces)] == [_usd(low)]  # one gap: the year's rest


def _usd(number: int):
    from beancount.core.amount import Amount

    return Amount(D(number).quantize(D("0.01")), "USD")


# --- caps: where the capped shares are ranges, the day the cap binds is a range of days ----------------


def _ranged_revenue(end: str, start: str, link: str) -> str:
    # 0.2B..0.3B of revenue a quarter, posting its midpoint 0.25B: a 20% share of 40M..60M (50M)
    extra = '\n  low: 200000000.00 USD\n  high: 300000000.00 USD\n  posted-as: "midpoint"'
    return figure("revenue", end, start, "250000000.00", link, "#assumed", extra)


QUARTERS_AFTER_CAP = (
    _ranged_revenue("2026-09-30", "2026-07-01", "revenue-2026-q3")
    + _ranged_revenue("2026-12-31", "2026-10-01", "revenue-2026-q4")
    + _ranged_revenue("2027-03-31", "2027-01-01", "revenue-2027-q1")
)


def _caps(body: str):
    entries, errors, _ = load(OPENS + RULES + cap(amount="100000000.00 USD") + body)
    assert errors == [], errors
    return entries, index_books(entries).caps


def test_a_cap_over_ranged_shares_binds_within_a_range_of_days():
    entries, (status,) = _caps(QUARTERS_AFTER_CAP)
    # a 100M cap from 2026-04-27; shares of 40M..60M a quarter: the high ends reach it after two quarters
    # (60M + 60M = 120M, 2026-Q4), the low ends after three (40M x 3 = 120M, 2027-Q1)
    assert status.binds == (datetime.date(2026, 12, 31), datetime.date(2027, 3, 31))
    assert "binds between 2026-12-31 (2026-Q4, the shares at their high ends) and 2027-03-31" in status.summary()
    # at the midpoints (50M a quarter) it is reached on 2026-12-31, as the books post it
    assert status.reached is not None and status.reached.date == datetime.date(2026, 12, 31)
    text = tree_text(lineage(entries, "revenue-2026-q4"))
    assert "the shares are ranges: accrued against the cap [100,000,000, 100,000,000]" in text


def test_a_cap_the_low_ends_do_not_reach_says_so():
    two = QUARTERS_AFTER_CAP.split("\n\n2027-03-31")[0]
    _, (status,) = _caps(two)
    # two quarters: 80M..120M accrues, so 80M..100M counts against the cap, 0..20M left; the high ends reach
    # it on 2026-12-31, the low ends not by the books' last posting
    assert status.accrued_interval == Interval(D("80000000.00"), D("100000000.00"))
    assert status.binds == (datetime.date(2026, 12, 31), None)
    assert "accrued 80M–100M, left 0–20M" in status.summary()
    assert "at their low ends, not by the books' last posting" in status.summary()


@settings(max_examples=5, deadline=None)
@given(points=st.lists(st.decimals(min_value=200_000_000, max_value=300_000_000, places=2), min_size=3, max_size=3))
def test_the_cap_binds_inside_its_range_of_days_for_any_point_choice(points):
    _, (ranged,) = _caps(QUARTERS_AFTER_CAP)
    earliest, latest = ranged.binds
    quarters = (("2026-09-30", "2026-07-01"), ("2026-12-31", "2026-10-01"), ("2027-03-31", "2027-01-01"))
    body = "".join(
        figure("revenue", end, start, f"{point:.2f}", f"revenue-{end}", "#assumed")
        for (end, start), point in zip(quarters, points)
    )
    _, (exact,) = _caps(body)
    assert exact.reached is not None and earliest <= exact.reached.date <= latest


def _azure_quarters(amount: str) -> str:
    quarters = (("2023-03-31", "2023-01-01"), ("2023-06-30", "2023-04-01"), ("2023-09-30", "2023-07-01"))
    quarters += (("2023-12-31", "2023-10-01"),)
    return "".join(
        figure("azure-openai-revenue", end, start, amount, f"azure-2023-{start[5:7]}", "#assumed")
        for end, start in quarters
    )


def test_complete_parts_within_a_ranged_total_refine_it_and_beyond_it_are_an_error():
    # four quarters of 300M = 1.2B: inside Azure 2023's 0.5B..1.5B (posted 1B), so they refine it
    entries, errors, _ = load(OPENS + RULES + PAYMENTS_2023 + AZURE_2023 + _azure_quarters("300000000.00"))
    assert errors == []
    text = tree_text(lineage(entries, "azure-openai-revenue-2023"))
    assert "add up to 1,200,000,000.00 USD, within the total as stated" in text
    # four of 400M = 1.6B: above its 1.5B top, an error at the part that completes the set
    _, errors, _ = load(OPENS + RULES + PAYMENTS_2023 + AZURE_2023 + _azure_quarters("400000000.00"))
    assert any("add up to 1,600,000,000.00" in e.message for e in errors), errors


def test_a_lower_bound_statement_keeps_its_direction():
    # as known before the second leak, OpenAI's 2024 revenue is implied, at least 493.8M / 0.2 = 2,469,000,000,
    # and its expenses at least inference 3,767,100,000 + its 20%, at least 493,800,000 = 4,260,900,000; its
    # costs beyond inference are not recorded (no total of them): the net, at least income less at least
    # expenses, is bounded neither way (0.8·R − 3,767,100,000 = −1,791,900,000 would take those costs as 0)
    statement = load_statement(MAIN, "OpenAI", as_of=datetime.date(2025, 12, 1))
    assert statement.cell("Income:OpenAI:Revenue", "2024")[:2] == (D("2469000000.00"), True)
    expenses = statement.cell(EXPENSES, "2024")
    assert expenses.interval == Interval(D("4260900000.00"), None)
    net = statement.cell(NET, "2024")
    assert net.amount is None and "no figure of OpenAI's total costs covers 2024" in net.not_known
    headers, rows, at = statement_cells(statement)
    assert rows[at][1] == "not known"


def test_a_lower_bound_over_a_ranged_base_is_at_least_its_least():
    # azure-openai-growth as known on 2025-12-01: 2024's Azure OpenAI Service 0.5B..1.5B (A), Bing unrecorded (B);
    # the payments imply R = 493.8M / 0.2 + A + B = 2,469,000,000 + A + B, at least 2,969,000,000 (at the
    # midpoint A = 1B it posts 3,469,000,000: "≥" that would claim too much). The net is not known: OpenAI's
    # costs beyond inference have no figure before the second leak.
    statement = load_statement(SCENARIO, "OpenAI", as_of=datetime.date(2025, 12, 1))
    revenue = statement.cell("Income:OpenAI:Revenue", "2024")  # at least 2,469,000,000 + 500,000,000
    assert revenue.interval == Interval(D("2969000000.00"), None)
    headers, rows, at = statement_cells(statement)
    assert rows[0][1] == "≥ 2,969,000,000" and rows[at][1] == "not known"


# --- a solved share's open end and a refined revenue's range, through every reader ----------------------------

REVENUE_AT_LEAST_1B = figure(
    "revenue",
    "2023-12-31",
    "2023-01-01",
    "1000000000.00",
    REVENUE_2023,
    "#leaked",
    '\n  low: 1000000000.00 USD\n  posted-as: "low"',
)
REVENUE_REFINED_BY_Q1 = _revenue("1000000000.00", "900000000.00", "1100000000.00") + figure(
    "revenue", "2023-03-31", "2023-01-01", "200000000.00", "revenue-2023-q1", "#leaked"
)


def test_a_share_solved_from_revenue_at_least_1b_reads_at_least_everywhere():
    entries, errors, options = load(OPENS + RULES + NET_2023 + REVENUE_AT_LEAST_1B)
    assert errors == []
    # R ≥ 1B: OpenAI's 20% is 0.2·R ≥ 200M; Microsoft's solved 0.2·R − 100M ≥ 100M: open above, not exact
    row = {r["period"]: r for r in period_rows(index_books(entries))}["2023"]
    assert (row["openai_share_low"], row["openai_share_high"]) == (D("200000000.00"), None)
    assert (row["microsoft_share_low"], row["microsoft_share_high"]) == (D("100000000.00"), None)
    assert any("stated as at least an amount" in note for note in period_notes([row]))  # why "≥", said under it
    openai, microsoft = income_statement(entries, options, "OpenAI"), income_statement(entries, options, "Microsoft")
    assert openai.cell("Income:OpenAI:RevenueShare:Microsoft", "2023").interval == Interval(D("100000000"), None)
    # OpenAI's income R + (0.2·R − 100M) = 1.2·R − 100M ≥ 1.1B; its net of the recorded lines, R − 100M, would
    # be ≥ 900M, but no figure of its total costs is recorded (its costs beyond the 20% are not known, not 0), so
    # the net is bounded neither way. Microsoft's 0.2·R − (0.2·R − 100M) = 100M whatever R is, plus its Bing and
    # Azure OpenAI revenue, which has no figure: at least 100M, from 100M
    assert openai.cell("income", "2023").interval == Interval(D("1100000000.00"), None)
    net = openai.cell(NET, "2023")
    assert net.amount is None and "no figure of OpenAI's total costs covers 2023" in net.not_known
    # OpenAI's statement has no implied lower bound, only that open end: it still says what "≥" means
    assert not openai.lower_bound and openai.bounded
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "books.beancount"
        path.write_text(ledger_text(OPENS + RULES + NET_2023 + REVENUE_AT_LEAST_1B), encoding="utf-8")
        printed = " ".join(CliRunner().invoke(app, ["statement", "OpenAI", "--ledger", str(path)]).output.split())
    assert "≥ 1,100,000,000" in printed and "stated as at least (at most) an amount" in printed
    # Microsoft's net: the 100M payment plus its bases, solved together as R − 500M ≥ 500M: at least 600M
    ms_net = microsoft.cell(NET, "2023")
    assert ms_net.amount == D("600000000.00") and ms_net.interval == Interval(D("600000000.00"), None)
    text = tree_text(lineage(entries, "revenue-share-2023"))
    assert "as intervals: 0.20 × [1,000,000,000, ∞) − 100,000,000 = [100,000,000, ∞)" in text
    assert "at least 500,000,000.00 USD (no upper end)" in text  # the base, 100M / 0.2, open above too


#: The line that loads the Leak model extension into Fava.
FAVA_EXTENSION = '\n2019-01-01 custom "fava-extension" "leakledger.fava_ext"\n'


def test_inference_over_a_revenue_stated_as_at_least_is_at_most_the_ratio_everywhere():
    inference = figure("inference", "2023-12-31", "2023-01-01", "300000000.00", "inference-2023", "#leaked")
    entries, errors, options = load(OPENS + RULES + NET_2023 + REVENUE_AT_LEAST_1B + inference)
    assert errors == []
    # 300,000,000 over a revenue of at least 1,000,000,000: at most 0.30, no low end (it read a plain 0.30)
    row = {r["period"]: r for r in period_rows(index_books(entries))}["2023"]
    assert row["revenue_bound"] is None  # the revenue is stated as at least, not implied: the ratio says it alone
    assert (row["inference_to_revenue"], row["inference_to_revenue_low"], row["inference_to_revenue_high"]) == (
        D("0.30"),
        None,
        D("0.30"),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "books.beancount"
        path.write_text(ledger_text(OPENS + RULES + NET_2023 + REVENUE_AT_LEAST_1B + inference), encoding="utf-8")
        printed = CliRunner().invoke(app, ["report", "--ledger", str(path)], env={"COLUMNS": "200"}).output
    assert "≤ 0.30" in printed
    # reconcile's note on the solved share says "at least" of each amount, never "exact": 0.2 × ≥ 1B − 100M
    from leakledger.reconciliation import reconcile_table

    notes = " ".join(str(r["implies"]) for r in reconcile_table(entries, options).to_dict("records"))
    assert "Microsoft's share is at least 100,000,000 (OpenAI's share, at least 200,000,000," in notes
    assert "exact given the rate" not in notes


def _closing(statement) -> dict:
    """{account: its balance cell} after the books' last entry."""
    return {line.account: line.cells[TOTAL_ROW] for line in statement.closing_balances()}


def _balance_sheet_notice(body: str) -> str:
    """The notice atop Fava's Balance Sheet on these books ("" where it has none)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "books.beancount"
        path.write_text(ledger_text(body) + FAVA_EXTENSION, encoding="utf-8")
        books = fava(path)
        notice = get_json(books.client, f"/{books.slug}/{LEAK_MODEL}/bounds", page="balance_sheet")["notice"]
    return notice["text"] if notice else ""


def test_a_balance_that_grows_with_a_revenue_stated_as_at_least_reads_at_least():
    body = OPENS + RULES + NET_2023 + REVENUE_AT_LEAST_1B
    entries, errors, options = load(body)
    assert errors == []
    # OpenAI's cash from the deal's flows: revenue R ≥ 1B in, the 100M net payment out: R − 100M ≥ 900M, not 900M
    cash = _closing(income_statement(entries, options, "OpenAI"))[A.OAI_CASH]
    assert cash.amount == D("900000000.00") and cash.interval == Interval(D("900000000.00"), None)
    sheet = _closing(income_statement(entries, options, "OpenAI"))
    # what OpenAI owes and is owed nets to 0 whatever R is (Microsoft's solved 0.2·R − 100M and the payment)
    assert all(sheet[a].interval is None and sheet[a].amount == 0 for a in sheet if ":Due:" in a)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "books.beancount"
        path.write_text(ledger_text(body), encoding="utf-8")
        printed = " ".join(CliRunner().invoke(app, ["statement", "OpenAI", "--ledger", str(path)]).output.split())
        csv = CliRunner().invoke(
            app, ["statement", "OpenAI", "--ledger", str(path), "--balance-sheet", "--format", "csv"]
        )
    assert "│ Assets:OpenAI:Cash │ ≥ 900,000,000 │" in printed
    assert "the books post Assets:OpenAI:Cash at 2023: 900,000,000" in printed
    assert "OpenAI,2023,2023-12-31,Assets:OpenAI:Cash,900000000.00,900000000.00,," in csv.output
    assert "Assets:OpenAI:Cash ≥ 900,000,000." in _balance_sheet_notice(body)


def test_a_due_a_payment_settles_stays_exact_beside_an_implied_lower_bound():
    body = OPENS + RULES + NET_2023
    entries, errors, options = load(body)
    assert errors == []
    # no revenue figure and no Microsoft base: R = (100M + 0.2·B) / 0.2 ≥ 500M, so OpenAI's cash R − 100M ≥ 400M;
    # its Due to Microsoft, −0.2·R + 0.2·B + 100M, is 0 whatever B is: not "≤ 0" (B's share is never posted)
    sheet = _closing(income_statement(entries, options, "OpenAI"))
    assert sheet[A.OAI_CASH].interval == Interval(D("400000000.00"), None)
    assert sheet["Liabilities:OpenAI:Due:Microsoft"].amount == 0
    assert sheet["Liabilities:OpenAI:Due:Microsoft"].interval is None
    microsoft = _closing(income_statement(entries, options, "Microsoft"))
    assert microsoft["Assets:Microsoft:Due:OpenAI"].interval is None
    notice = _balance_sheet_notice(body)
    assert "Assets:OpenAI:Cash ≥ 400,000,000." in notice and "Due" not in notice


def test_a_share_solved_from_a_refined_ranged_year_reads_its_range_everywhere():
    entries, errors, options = load(OPENS + RULES + NET_2023 + REVENUE_REFINED_BY_Q1)
    assert errors == []
    # R = Q1 200M + the rest of 0.9B..1.1B (700M..900M) = 0.9B..1.1B; Microsoft's 0.2·R − 100M = 80M..120M
    row = {r["period"]: r for r in period_rows(index_books(entries))}["2023"]
    assert (row["microsoft_share_low"], row["microsoft_share_high"]) == (D("80000000.00"), D("120000000.00"))
    text = tree_text(lineage(entries, "revenue-share-2023"))
    assert "as intervals: 0.20 × [900,000,000, 1,100,000,000] − 100,000,000 = [80,000,000, 120,000,000]" in text
    # the refined total, an input, as the range it stands for (0.9B..1.1B) and the midpoint the books post
    assert (
        "revenue: OpenAI revenue: 900,000,000.00 USD..1,100,000,000.00 USD (midpoint 1,000,000,000.00 USD), "
        "leaked, 2023\n"
    ) in text
    # the lines move with R, the remainder's part of it too: OpenAI's net of its recorded lines, R − 100M, is at
    # most 1B (not 1.04B, a sum of ranges), open below: no figure of its total costs is recorded; Microsoft's is
    # the 100M net payment plus its Bing and Azure OpenAI revenue, solved together as R − 500M: R − 400M,
    # 500M..700M (the lines moving apart would give a range 40M + 200M wider)
    openai, microsoft = income_statement(entries, options, "OpenAI"), income_statement(entries, options, "Microsoft")
    assert openai.cell(NET, "2023").interval == Interval(None, D("1000000000"))
    assert microsoft.cell(NET, "2023").interval == Interval(D("500000000.00"), D("700000000.00"))
