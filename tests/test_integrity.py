"""The integrity plugin: each entity balances on its own, two entities only, provenance.

Each error is a Beancount error at the offending entry's line.
"""

from __future__ import annotations

import pytest

from ledgers import OPENS, RULES, generated, line_of, load, messages


def errors_of(body: str):
    entries, errors, _ = load(body)
    assert not any("Error applying plugin" in m for m in messages(errors)), messages(errors)
    return errors


def test_the_shipped_books_pass_every_check(books):
    _, errors, _ = books
    assert errors == []


def test_a_transaction_balanced_overall_but_not_within_each_entity_is_an_error():
    # OpenAI's cash comes from Microsoft's income: Beancount sees a balanced
    # transaction, but OpenAI's books gain 100 and Microsoft's lose it.
    head = '2024-03-01 * "Cash across the entities" #assumed'
    body = OPENS + f"""
{head}
  source: "test"
  Assets:OpenAI:Cash      100.00 USD
  Income:Microsoft:Bing  -100.00 USD
"""
    [error] = errors_of(body)
    assert "does not balance within each entity" in error.message
    assert "off by 100.00 USD" in error.message
    assert error.source["lineno"] == line_of(body, head)


def test_a_transaction_across_entities_that_balances_in_each_passes():
    body = OPENS + """
2024-03-01 * "Inference spend on Azure" #leaked
  source: "test"
  Expenses:OpenAI:Compute:Inference      100.00 USD
  Assets:OpenAI:Cash                    -100.00 USD
  Assets:Microsoft:Cash                  100.00 USD
  Income:Microsoft:Azure:OpenAICompute  -100.00 USD
"""
    assert errors_of(body) == []


def test_an_account_outside_the_two_entities_is_an_error_at_its_open_and_its_use():
    opening = "2019-01-01 open Assets:Google:Cash USD"
    head = '2024-03-01 * "Cash to a third party" #assumed'
    body = OPENS + f"""
{opening}

{head}
  source: "test"
  Assets:OpenAI:Cash  -100.00 USD
  Assets:Google:Cash   100.00 USD
"""
    errors = errors_of(body)
    outside = [e for e in errors if "outside the two entities" in e.message]
    assert sorted(e.source["lineno"] for e in outside) == sorted([line_of(body, opening), line_of(body, head)])
    # The third party's cash leaves OpenAI's books unbalanced, too.
    assert any("OpenAI's postings are off by -100.00 USD" in m for m in messages(errors))


@pytest.mark.parametrize(
    "tags, meta, expected",
    [
        ("", '  source: "test"\n', "needs exactly one kind tag"),
        ("#leaked #assumed", '  source: "test"\n', "found assumed, leaked"),
        ("#leaked", "", "has no source: metadata"),
        ("#leaked", '  source: ""\n', "has no source: metadata"),
    ],
)
def test_a_hand_written_transaction_needs_a_source_and_one_kind_tag(tags, meta, expected):
    head = f'2024-03-01 * "Revenue" {tags}'.rstrip()
    body = OPENS + f"""
{head}
{meta}  Assets:OpenAI:Cash      100.00 USD
  Income:OpenAI:Revenue  -100.00 USD
"""
    [error] = errors_of(body)
    assert expected in error.message and error.source["lineno"] == line_of(body, head)


@pytest.mark.parametrize(
    "meta, expected",
    [
        ('  source: "New York Times"\n', "needs exactly one kind"),
        ('  kind: "rumoured"\n  source: "New York Times"\n', "needs exactly one kind"),
        ('  kind: "reported"\n', "has no source: metadata"),
    ],
)
def test_a_figure_record_needs_a_source_and_a_kind(meta, expected):
    head = '2024-12-31 custom "figure" "revenue" 3700000000.00 USD'
    body = OPENS + f"\n{head}\n  period-start: 2024-01-01\n{meta}"
    [error] = errors_of(body)
    assert expected in error.message and error.source["lineno"] == line_of(body, head)


def test_generated_entries_need_no_provenance_and_balance_in_each_entity():
    body = OPENS + RULES + """
2024-03-01 * "Bing revenue" #assumed
  source: "test"
  Assets:Microsoft:Cash   1000.00 USD
  Income:Microsoft:Bing  -1000.00 USD
"""
    entries, errors, _ = load(body)
    assert errors == []
    [accrual] = generated(entries)
    assert "source" not in accrual.meta and not ({"leaked", "disclosed", "reported", "claimed"} & accrual.tags)


def test_a_hand_written_generated_tag_is_refused_at_its_line():
    head = '2024-03-01 * "Looks derived" #generated #assumed'
    body = OPENS + f"""
{head}
  source: "test"
  Assets:OpenAI:Cash      100.00 USD
  Income:OpenAI:Revenue  -100.00 USD
"""
    [error] = errors_of(body)
    assert "#generated is reserved" in error.message and error.source["lineno"] == line_of(body, head)
