"""The whole-entry comparison the plugin tests rely on (tests/entries.py) fails when it should.

One accrual the shares plugin makes (0.20 x 1,000.00 of Bing revenue =
200.00), compared with its docstring ledger as it is, and with each part of
it changed: every change must fail the comparison.
"""

from __future__ import annotations

import pytest
from entries import assert_equal_entries
from ledgers import OPENS, RULES, generated, load, revenue

from leakledger.model import A

EXPECTED = """
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
"""


@pytest.fixture(scope="module")
def made():
    entries, errors, _ = load(OPENS + RULES + revenue("2024-03-15", A.MS_BING, "1000.00", link="bing-2024-03"))
    assert errors == []
    return generated(entries)


def test_the_same_entries_pass_in_any_order_and_key_order(made):
    assert_equal_entries(EXPECTED, made)
    reordered = EXPECTED.replace('  rule: "revenue-share"\n', "").replace(
        "  sources: 1\n", '  sources: 1\n  rule: "revenue-share"\n'
    )
    assert_equal_entries(reordered, made)


@pytest.mark.parametrize(
    "old, new",
    [
        ("rate: 0.20", "rate: 0.2"),  # the same value at another scale
        ("share: 200.00 USD", "share: 200.01 USD"),  # a metadata amount
        ("sources: 1", "sources: 2"),
        ('  rule: "revenue-share"\n', ""),  # a key missing
        ("sources: 1\n", 'sources: 1\n  bound: "lower"\n'),  # a key too many
        ("#assumed ", ""),  # a tag
        ("^bing-2024-03", "^bing-2024-04"),  # a link
        ("(2024-03)", "(2024-04)"),  # the narration
        ("2024-03-15 *", "2024-03-16 *"),  # the date
        ("Assets:OpenAI:Due:Microsoft              200.00 USD", "Assets:OpenAI:Due:Microsoft              200.0 USD"),
    ],
)
def test_any_difference_fails(made, old, new):
    assert old in EXPECTED
    with pytest.raises(AssertionError, match="Expected, but not made"):
        assert_equal_entries(EXPECTED.replace(old, new), made)


def test_an_entry_too_many_fails(made):
    with pytest.raises(AssertionError, match="Made, but not expected"):
        assert_equal_entries("", made)
