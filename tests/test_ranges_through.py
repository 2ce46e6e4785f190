"""Ranges carried past the shares: ratios, explain, statements, remainders, caps, flows, scenarios.

The shipped books (session fixture `books`) and small made-up ones, loaded
through the real loader with the shipped plugin chain; every figure below
is FACTS.md arithmetic, shown beside it.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from ledgers import OPENS, RULES, load, payment
from test_derived_ranges import AZURE as AZURE_2023
from test_derived_ranges import BING as BING_2023

from leakledger.book_index import index_books
from leakledger.intervals import Interval
from leakledger.lineage import lineage, tree_text
from leakledger.reports import period_rows

D = Decimal
INFERENCE_2024 = D("3767100000.00")  # FACTS.md: OpenAI inference spend on Azure, 2024
REVENUE_2024 = Interval(D("3650000000"), D("3750000000"))  # audited "3.7B", stated to the 0.1B
#: The issue's made-up 2023 books: 229.1M of net payments, Azure 0.5B..1.5B and Bing 0..0.5B (test_derived_ranges).
PAYMENTS_2023 = payment("2023-12-31", "2023-01-01", "229100000.00", "revenue-share-2023")


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
    # FACTS.md: the net payment is known for Jan-Sep only, so 2025's Microsoft 20% is not solvable
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
    # FACTS.md: 0.2 × 3.7B − 493.8M = 246.2M; "3.7B" is 3.65B..3.75B, so
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
