"""leakledger.intervals: every derived interval holds every value its inputs' points give, and reads as it should."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leakledger.intervals import UNKNOWN_BASE, Interval, IntervalError
from leakledger.presentation import range_text

D = Decimal
money = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
rates = st.sampled_from([D("0.20"), D("0.10"), D("0.5"), D("1"), D("-0.20")])


@st.composite
def interval_and_point(draw, open_ends: bool = True):
    """An interval (an end open now and then) and a point inside it."""
    a, b = sorted([draw(money), draw(money)])
    point = draw(st.decimals(min_value=a, max_value=b, places=2, allow_nan=False, allow_infinity=False))
    low = None if open_ends and draw(st.booleans()) and draw(st.booleans()) else a
    high = None if open_ends and draw(st.booleans()) and draw(st.booleans()) else b
    return Interval(low, high), point


@given(interval_and_point(), interval_and_point())
def test_sum_and_difference_hold_every_point_choice(x, y):
    (i, p), (j, q) = x, y
    assert (i + j).contains(p + q)
    assert (i - j).contains(p - q)


@given(interval_and_point(), rates)
def test_times_and_divided_by_a_rate_hold_every_point_choice(x, rate):
    i, p = x
    assert i.times(rate).contains(p * rate)
    assert i.divided_by(rate).contains(p / rate)


@given(interval_and_point(open_ends=False), interval_and_point())
def test_ratio_holds_every_point_choice(x, y):
    (i, p), (j, q) = x, y
    r = i.over(j)
    if q == 0:
        return  # the point ratio itself is undefined
    assert r is not None and r.contains(p / q)


@given(interval_and_point(), interval_and_point())
def test_meets_when_and_only_when_a_point_is_shared(x, y):
    (i, _), (j, _) = x, y
    shared = [v for v in (i.low, i.high, j.low, j.high) if v is not None and i.contains(v) and j.contains(v)]
    both_open = i.low is None and j.low is None or i.high is None and j.high is None
    assert i.meets(j) == bool(shared or both_open)


def test_the_microsoft_base_of_2024():
    # 2024: OpenAI's revenue 3.7B stated to the 0.1B is 3.65B..3.75B; net payment 493.8M.
    # Microsoft's 20% = 0.2·R − 493.8M: 0.2·3.65B − 493.8M = 236.2M, 0.2·3.75B − 493.8M = 256.2M;
    # its base = share ÷ 0.2: 1,181,000,000..1,281,000,000.
    revenue = Interval(D("3650000000"), D("3750000000"))
    share = revenue.times(D("0.2")) - Interval.exact(D("493800000"))
    assert (share.low, share.high) == (D("236200000"), D("256200000"))
    base = share.divided_by(D("0.2"))
    assert (base.low, base.high) == (D("1181000000"), D("1281000000"))


def test_implied_revenue_of_made_up_2023_payments():
    # Made-up 2023 payments of 229.1M in all, taken as OpenAI's 20%: 229.1M ÷ 0.2 = 1,145.5M is OpenAI's revenue
    # beyond Microsoft's share. Azure OpenAI Service 0.5B..1.5B and Bing 0..0.5B, of which Microsoft owes 20%:
    # bases 0.5B..2B, so OpenAI's revenue = (229.1M + 0.2·bases) ÷ 0.2 = 1,145.5M + bases = 1,645.5M..3,145.5M.
    bases = Interval(D("500000000"), D("1500000000")) + Interval(D("0"), D("500000000"))
    revenue = (Interval.exact(D("229100000")) + bases.times(D("0.2"))).divided_by(D("0.2"))
    assert (revenue.low, revenue.high) == (D("1645500000"), D("3145500000"))
    assert range_text(revenue) == "1.6455B–3.1455B"
    # Azure alone, Bing unrecorded: [0, ∞) opens the top, and the result is the old lower bound.
    alone = (
        Interval.exact(D("229100000")) + (Interval(D("500000000"), D("1500000000")) + UNKNOWN_BASE).times(D("0.2"))
    ).divided_by(D("0.2"))
    assert alone == Interval.at_least(D("1645500000"))
    assert range_text(alone) == "≥ 1,645,500,000"


def test_reversed_interval_is_refused_in_one_line():
    with pytest.raises(IntervalError) as caught:
        Interval(D("1500000000"), D("500000000"))
    assert "\n" not in str(caught.value) and "reversed" in str(caught.value)


def test_texts():
    assert range_text(Interval.exact(D("493800000.00"))) == "493,800,000"
    assert range_text(Interval(None, D("1.53"))) == "≤ 1.53"
    assert range_text(Interval(None, None), unknown="not known") == "not known"
    assert range_text(Interval(D("13065000000"), D("13075000000"))) == "13.065B–13.075B"
    # a range's ends keep four places at most, rounded outward, never in: openai-revenue-to-2030's capped 2029
    # share, 41,720,828,571.43..41,742,828,571.43, read "41.72082857143B–41.74282857143B"
    assert range_text(Interval(D("41720828571.43"), D("41742828571.43"))) == "41.7208B–41.7429B"
    assert range_text(Interval(D("-8593850000"), D("-8473850000"))) == "-8.5939B to -8.4738B"
