"""Derived numbers carry the interval their inputs allow: implied revenue and Microsoft's share.

Made-up 2023 books: a net payment of 229.1M for the year, and the Microsoft bases as an analyst
assumes them (a yearly base counts in the payment whose period holds its end, so one yearly
payment sees both), loaded through the real loader with the shipped plugin chain.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from ledgers import AZURE_2023, BING_2023, OPENS, RULES, figure, load, payment, ranged, year_interval

from leakledger import derived as DK
from leakledger.intervals import Interval
from leakledger.presentation import range_text

D = Decimal
AZURE, BING = AZURE_2023, BING_2023


def test_azure_and_bing_as_ranges_give_a_range_of_implied_revenue():
    # Revenue R satisfies 0.2·R = payments + Microsoft's 20% of its bases:
    # R = 229.1M / 0.2 + bases = 1,145.5M + (0.5B..1.5B + 0..0.5B) = 1,645,500,000..3,145,500,000.
    got = year_interval(AZURE + BING)
    assert (got.low, got.high) == (D("1645500000.00"), D("3145500000.00"))
    assert range_text(got) == "1.6455B–3.1455B"


def test_azure_alone_leaves_the_top_open_a_lower_bound():
    # Bing's share is in force with nothing recorded: its base is [0, ∞), so the top is open.
    # 1,145.5M + 0.5B = 1,645,500,000 at least.
    got = year_interval(AZURE)
    assert got == Interval(D("1645500000.00"), None)
    assert range_text(got) == "≥ 1,645,500,000"


def test_at_least_a_base_opens_the_top_too():
    # Azure at least 3.5B and Bing 0..0.5B: 1,145.5M + 3.5B = 4,645,500,000, no top.
    got = year_interval(ranged("azure-openai-revenue", "azure-openai-revenue-2023", "3500000000.00", None) + BING)
    assert got == Interval(D("4645500000.00"), None)


def test_exact_bases_give_an_exact_revenue():
    # Azure 1B and Bing 0.25B exact: 1,145.5M + 1.25B = 2,395,500,000 exactly, no range metadata.
    exact = figure("azure-openai-revenue", "2023-12-31", "2023-01-01", "1000000000.00", "a-2023", "#assumed")
    exact += figure("bing-revenue", "2023-12-31", "2023-01-01", "250000000.00", "b-2023", "#assumed")
    assert year_interval(exact) == Interval.exact(D("2395500000.00"))


@settings(max_examples=8, deadline=None)
@given(
    azure=st.decimals(min_value=500_000_000, max_value=1_500_000_000, places=2),
    bing=st.decimals(min_value=0, max_value=500_000_000, places=2),
)
def test_the_ranged_revenue_holds_the_revenue_of_any_point_choice(azure, bing):
    # Record the bases as the exact points chosen inside their ranges: the implied revenue the books
    # derive from them lies in the interval derived from the ranges (1,645,500,000..3,145,500,000).
    ranged_revenue = year_interval(AZURE + BING)
    exact = figure("azure-openai-revenue", "2023-12-31", "2023-01-01", f"{azure:.2f}", "a-2023", "#assumed")
    if bing:
        exact += figure("bing-revenue", "2023-12-31", "2023-01-01", f"{bing:.2f}", "b-2023", "#assumed")
    else:  # nothing at all is not a figure; zero Bing revenue is the same as Azure alone at its point, plus 0
        exact += figure("bing-revenue", "2023-12-31", "2023-01-01", "0.01", "b-2023", "#assumed")
    point = year_interval(exact)
    assert point.is_exact and ranged_revenue.contains(point.low)


def test_the_2024_microsoft_share_and_base_carry_the_revenue_precision(books):
    # 2024: revenue 3.7B stated to the 0.1B is 3.65B..3.75B; OpenAI's 20% less the 493.8M net payment is
    # Microsoft's 20%: 0.2·3.65B − 493.8M = 236,200,000 .. 0.2·3.75B − 493.8M = 256,200,000,
    # and its base ÷ 0.2: 1,181,000,000..1,281,000,000.
    entries, errors, _ = books
    (solved,) = [d for d in DK.derived(entries) if d.solved and d.entry.date.year == 2024]
    assert solved.share_interval == Interval(D("236200000.00"), D("256200000.00"))
    assert solved.base_interval == Interval(D("1181000000.00"), D("1281000000.00"))
    assert range_text(solved.share_interval) == "236.2M–256.2M"


# --- a solved Microsoft share keeps its revenue's range and open ends ---------------------------------------

NET_100M = payment("2023-12-31", "2023-01-01", "100000000.00", "revenue-share-2023")
RANGED_1B = '\n  low: 900000000.00 USD\n  high: 1100000000.00 USD\n  posted-as: "midpoint"'  # 0.9B..1.1B
AT_LEAST_1B = '\n  low: 1000000000.00 USD\n  posted-as: "low"'  # "at least 1B": no high end


def _revenue_2023(extra: str = "") -> str:
    return figure("revenue", "2023-12-31", "2023-01-01", "1000000000.00", "rev-2023", "#leaked", extra)


#: The ranged year refined by an exact first quarter: Q2..Q4 post as the total's remainder, 800M in 700M..900M.
REFINED_BY_Q1 = _revenue_2023(RANGED_1B) + figure(
    "revenue", "2023-03-31", "2023-01-01", "200000000.00", "rev-2023-q1", "#leaked"
)


def solved_2023(body: str) -> DK.Derived:
    """The Microsoft share the plugin solves for 2023 from the revenue in `body` and a 100M net payment."""
    entries, errors, _ = load(OPENS + RULES + NET_100M + body)
    assert errors == [], errors
    (solved,) = [d for d in DK.derived(entries, DK.RULE_SHARE) if d.solved]
    return solved


def test_a_share_solved_from_revenue_at_least_1b_is_open_above():
    # 0.2 x [1B, ∞) − 100M = [100M, ∞): posted at 100M, but a lower bound, not a fact; its base ÷ 0.2 = [500M, ∞)
    solved = solved_2023(_revenue_2023(AT_LEAST_1B))
    assert solved.share == D("100000000.00")
    assert solved.share_interval == Interval(D("100000000.00"), None)
    assert solved.base_interval == Interval(D("500000000.00"), None)
    assert range_text(solved.share_interval) == "≥ 100,000,000"


def test_refining_a_ranged_year_by_an_exact_quarter_keeps_the_solved_share_range():
    # unrefined: 0.2 x [0.9B, 1.1B] − 100M = [80M, 120M]; refined by Q1 = 200M exactly, the rest (Q2..Q4) is
    # [0.9B − 200M, 1.1B − 200M] = [700M, 900M], so 0.2 x (200M + [700M, 900M]) − 100M = [80M, 120M] again;
    # base ÷ 0.2 = [400M, 600M]
    whole = solved_2023(_revenue_2023(RANGED_1B))
    refined = solved_2023(REFINED_BY_Q1)
    assert whole.share_interval == refined.share_interval == Interval(D("80000000.00"), D("120000000.00"))
    assert refined.share == D("100000000.00")  # 0.2 x (200M + 800M posted) − 100M
    assert refined.base_interval == Interval(D("400000000.00"), D("600000000.00"))


def test_a_share_solved_from_exact_revenue_stays_exact():
    # 0.2 x 1B − 100M = 100M exactly: no share-low:/share-high: written
    solved = solved_2023(_revenue_2023())
    assert solved.share_interval == Interval.exact(D("100000000.00"))
    assert solved.base_interval == Interval.exact(D("500000000.00"))
    assert solved.share_low is None and solved.share_high is None
