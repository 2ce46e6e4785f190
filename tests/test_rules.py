"""The `custom "revenue-share"` rules: when each is in force, and every malformed one.

A malformed rule is a Beancount error at the rule's own line, never an
exception, and the books still load.
"""

from __future__ import annotations

import datetime

import pytest
from ledgers import OPENS, RULES, D, generated, line_of, load, messages, payment, revenue, rule

from leakledger.model import A
from leakledger.rules import read_rules


def test_the_shipped_rules_read_clean(books):
    entries, errors, _ = books
    book, rule_errors = read_rules(entries)
    assert rule_errors == []
    # rules.beancount: 20% both ways from 2019-07-22.
    day = datetime.date(2025, 1, 1)
    assert book.rate_at(A.OAI_REVENUE, day) == D("0.20")
    assert book.rate_at(A.MS_BING, day) == D("0.20")
    assert book.rate_at(A.MS_AZURE_OPENAI, day) == D("0.20")
    assert book.rule_at(A.OAI_REVENUE, datetime.date(2019, 7, 21)) is None


def test_a_rule_holds_until_a_later_rule_for_the_same_base():
    entries, errors, _ = load(OPENS + RULES + rule("2025-07-01", A.OAI_REVENUE, "Microsoft", "0.10"))
    assert errors == []
    book, _ = read_rules(entries)
    assert book.rate_at(A.OAI_REVENUE, datetime.date(2025, 6, 30)) == D("0.20")
    assert book.rate_at(A.OAI_REVENUE, datetime.date(2025, 7, 1)) == D("0.10")
    # The later OpenAI rule leaves Microsoft's bases alone.
    assert book.rate_at(A.MS_BING, datetime.date(2025, 7, 1)) == D("0.20")


def test_no_rule_before_the_first_one_accrues_nothing():
    body = (
        OPENS
        + RULES
        + revenue("2019-07-21", "Income:OpenAI:Revenue", "1000.00")
        + revenue("2019-07-22", "Income:OpenAI:Revenue", "1000.00")
    )
    entries, errors, _ = load(body)
    assert errors == []
    [accrual] = generated(entries, "revenue-share")
    assert accrual.date == datetime.date(2019, 7, 22)
    assert accrual.meta["share"].number == D("1000.00") * D("0.20")


def test_a_rate_of_zero_ends_a_share():
    body = (
        OPENS
        + RULES
        + rule("2030-01-01", A.MS_BING, "OpenAI", "0")
        + revenue("2029-12-31", A.MS_BING, "500.00")
        + revenue("2030-01-02", A.MS_BING, "500.00")
    )
    entries, errors, _ = load(body)
    assert errors == []
    [accrual] = generated(entries, "revenue-share")
    assert accrual.date == datetime.date(2029, 12, 31)
    assert accrual.meta["share"].number == D("500.00") * D("0.20")


MALFORMED = [
    ('Income:OpenAI:Revenue "Microsoft"', "needs 3 values, got 2"),
    ('Income:OpenAI:Revenue "Microsoft" 0.20 0.30', "needs 3 values, got 4"),
    ('"Income:OpenAI:Revenue" "Microsoft" 0.20', "first value must be an account"),
    ("Income:OpenAI:Revenue Income:Microsoft:Bing 0.20", "payee must be a string"),
    ('Income:OpenAI:Revenue "Microsoft" "0.20"', "rate must be a number"),
    ('Income:OpenAI:Revenue "Microsoft" 0.20 USD', "rate must be a number"),
    ('Income:OpenAI:Revenue "Microsoft" TRUE', "rate must be a number"),
    ('Income:OpenAI:Revenue "Microsoft" 1.5', "outside [0, 1]"),
    ('Income:OpenAI:Revenue "Microsoft" -0.20', "outside [0, 1]"),
    ('Income:OpenAI:Licensing "Microsoft" 0.20', "is not opened"),
    ('Income:OpenAI:Revenue "Google" 0.20', "is not one of the entities"),
    ('Income:OpenAI:Revenue "OpenAI" 0.20', "owns the base account"),
    ('Assets:OpenAI:Cash "Microsoft" 0.20', "not an Income account"),
]


@pytest.mark.parametrize("values, message", MALFORMED)
def test_a_malformed_rule_is_an_error_at_its_line(values, message):
    line = f'2024-01-01 custom "revenue-share" {values}'
    body = (
        OPENS
        + RULES
        + f'\n{line}\n  source: "test"\n  kind: "assumed"\n'
        + revenue("2024-03-31", "Income:OpenAI:Revenue", "1000.00")
    )
    entries, errors, _ = load(body)
    rule_errors = [e for e in errors if "revenue-share" in e.message]
    assert len(rule_errors) == 1, messages(errors)
    assert message in rule_errors[0].message
    assert rule_errors[0].source["lineno"] == line_of(body, line)
    assert not any("Error applying plugin" in m for m in messages(errors))
    # The malformed rule is ignored; the good ones still accrue: 20% of 1,000.00.
    [accrual] = generated(entries, "revenue-share")
    assert accrual.meta["share"].number == D("200.00")


def test_two_rules_for_one_base_on_one_day_are_an_error_at_the_second():
    second = '2024-01-01 custom "revenue-share" Income:OpenAI:Revenue "Microsoft" 0.30'
    body = (
        OPENS
        + RULES
        + f"""
2024-01-01 custom "revenue-share" Income:OpenAI:Revenue "Microsoft" 0.25
  source: "test"
  kind: "assumed"
{second}
  source: "test"
  kind: "assumed"
"""
        + revenue("2024-03-31", "Income:OpenAI:Revenue", "1000.00")
    )
    entries, errors, _ = load(body)
    [error] = errors
    assert "ambiguous" in error.message and error.source["lineno"] == line_of(body, second)
    # The first of the two holds: 25% of 1,000.00.
    [accrual] = generated(entries, "revenue-share")
    assert accrual.meta["share"].number == D("250.00")


def test_a_payment_with_no_openai_rate_in_force_cannot_imply_revenue():
    body = (
        OPENS
        + payment("2019-06-30", "2019-01-01", "100.00", "revenue-share-2019-h1")
        + rule("2019-07-22", A.MS_BING, "OpenAI", "0.20")
    )
    entries, errors, _ = load(body)
    [error] = errors
    assert "cannot imply OpenAI revenue for 2019-H1" in error.message
    assert error.source["lineno"] == line_of(body, "Revenue share OpenAI paid Microsoft")
    assert generated(entries, "implied-revenue") == []
