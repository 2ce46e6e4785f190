"""Fuzzing the two parsers everything shares: periods and amounts.

Round trip: parsing the canonical form of a parsed value gives the same value.
Any text at all either parses or raises the parser's own one-line error.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from beancount.core.amount import Amount
from hypothesis import given, settings
from hypothesis import strategies as st

from leakledger.amounts import AmountError, parse_amount
from leakledger.model import CURRENCY
from leakledger.periods import Period, PeriodError, month_end, parse_period, quarter_of

years = st.integers(min_value=1900, max_value=2100)
months = st.integers(min_value=1, max_value=12)

period_texts = st.one_of(
    years.map(str),
    st.tuples(years, st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(years, st.integers(1, 2)).map(lambda t: f"{t[0]}-H{t[1]}"),
    st.tuples(years, months).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(years, months, st.integers(0, 30)).map(
        lambda t: f"{t[0]}-{t[1]:02d}..{t[0] + (t[1] + t[2] - 1) // 12}-{(t[1] + t[2] - 1) % 12 + 1:02d}"
    ),
)


@settings(max_examples=300, deadline=None)
@given(period_texts)
def test_period_round_trip(text):
    period = parse_period(text)
    assert parse_period(period.label) == period
    assert period.start.day == 1 and period.end == month_end(period.end.year, period.end.month)


@settings(max_examples=300, deadline=None)
# The last start plus 800 days stays inside the horizon's last year, 2200 (2198-10-01 + 800 days = 2200-12-10).
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2198, 10, 1)), st.integers(0, 800))
def test_any_span_of_days_round_trips(start, length):
    end = start + datetime.timedelta(days=length)
    period = Period(start, end)
    assert parse_period(period.label) == period


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2198, 12, 31)))
def test_the_quarter_of_a_day_is_the_quarter_that_holds_it(day):
    quarter = parse_period(quarter_of(day))
    assert quarter.grain == "quarter" and quarter.start <= day <= quarter.end and quarter.label == quarter_of(day)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_says_why(text):
    try:
        parse_period(text)
    except PeriodError as exc:
        assert "\n" not in str(exc)
    try:
        parse_amount(text)
    except AmountError as exc:
        assert "\n" not in str(exc)


cents_values = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2)


@settings(max_examples=300, deadline=None)
@given(cents_values)
def test_amount_round_trip(value):
    """An amount as the books print it (Beancount's text of a posting's units, "1234.56 USD") reads back as itself."""
    text = Amount(value, CURRENCY).to_string()
    assert parse_amount(text) == value
    assert parse_amount(text.removesuffix(f" {CURRENCY}")) == value


@settings(max_examples=300, deadline=None)
@given(cents_values, st.sampled_from(["{:,.2f}", "${:,.2f}", "{:.2f} USD", "US${:.2f}"]))
def test_amount_written_forms_agree(value, form):
    assert parse_amount(form.format(value)) == value


@pytest.mark.parametrize(
    "text, expected",
    [
        # docs/sources.md's 2024 net payment, as people write it.
        ("493800000", Decimal("493800000.00")),
        ("493,800,000", Decimal("493800000.00")),
        ("493.8M", Decimal("493800000.00")),
        ("$493.8 million", Decimal("493800000.00")),
        # 2025 Jan-Sep inference: 8.67 × 10^9.
        ("8.67B", Decimal("8670000000.00")),
        ("8.67 billion", Decimal("8670000000.00")),
        ("$1.2bn", Decimal("1200000000.00")),
    ],
)
def test_amount_forms(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        ("2025-Q3", datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
        ("2025-H1", datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)),
        ("2025-09", datetime.date(2025, 9, 1), datetime.date(2025, 9, 30)),
        ("2025-01..2025-09", datetime.date(2025, 1, 1), datetime.date(2025, 9, 30)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
    ],
)
def test_period_forms(text, start, end):
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2025-Q5",
        "2025-H3",
        "2025-13",
        "25",
        "2025-09..2025-01",
        "2025..",
        "..2025",
        "2025-01..2025-02..2025-03",
        "Q3 2025",
    ],
)
def test_bad_periods(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(
    "text",
    ["", "5 gazillion", "1,23,456", "0", "-0", "$0.00", "0.001", "1e20", "NaN", "Infinity", "12..3", "5MM5", "--5M"],
)
def test_bad_amounts(text):
    with pytest.raises(AmountError):
        parse_amount(text)


@pytest.mark.parametrize("text", ["-600M", "−600M", "-$600 million", "-600,000,000"])
def test_a_sign_is_read_not_judged(text):
    """FACTS: the 2026-Q2 gain, 6.5B − 5.9B = 600M, as a negative loss share; whether a metric may be
    negative is leakledger.model.sign_error's to say (tests/test_gains.py), not the reader's."""
    assert parse_amount(text) == Decimal("-600000000.00")
