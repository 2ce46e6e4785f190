"""The integrity plugin: each entity balances on its own, two entities only, provenance.

Each error is a Beancount error at the offending entry's line.
"""

from __future__ import annotations

import textwrap
import unittest

import pytest
from beancount import loader
from ledgers import OPENS, RULES, generated, line_of, load, messages


def errors_of(body: str):
    entries, errors, _ = load(body)
    assert not any("Error applying plugin" in m for m in messages(errors)), messages(errors)
    return errors


def test_the_shipped_books_pass_every_check(books):
    _, errors, _ = books
    assert errors == []


def doc_line(test, needle: str) -> int:
    """The line of a load_doc test's ledger that holds `needle`, as the loader numbers it."""
    text = textwrap.dedent(test.__input__)
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


class TestSmallLedgers(unittest.TestCase):
    """Small ledgers written in the test's docstring, as Beancount's own plugin tests are."""

    @loader.load_doc(expect_errors=True)
    def test_balanced_overall_but_not_within_each_entity(self, _, errors, __):
        """
        plugin "leakledger.plugins.chain"
        2019-01-01 open Assets:OpenAI:Cash USD
        2019-01-01 open Income:Microsoft:Bing USD

        2024-03-01 * "Cash across the entities" #assumed
          source: "test"
          Assets:OpenAI:Cash      100.00 USD
          Income:Microsoft:Bing  -100.00 USD
        """
        # Beancount sees a balanced transaction, but OpenAI's books gain 100
        # and Microsoft's lose it.
        [error] = errors
        self.assertIn("does not balance within each entity", error.message)
        self.assertIn("off by 100.00 USD", error.message)
        self.assertEqual(
            error.source["lineno"],
            doc_line(type(self).test_balanced_overall_but_not_within_each_entity, "Cash across the entities"),
        )

    @loader.load_doc(expect_errors=False)
    def test_across_entities_and_balanced_in_each(self, entries, _, __):
        """
        plugin "leakledger.plugins.chain"
        2019-01-01 open Assets:OpenAI:Cash USD
        2019-01-01 open Expenses:OpenAI:Compute:Inference USD
        2019-01-01 open Assets:Microsoft:Cash USD
        2019-01-01 open Income:Microsoft:Azure:OpenAICompute USD

        2024-03-01 * "Inference spend on Azure" #leaked
          source: "test"
          metric: "inference"
          period-start: 2024-03-01
          Expenses:OpenAI:Compute:Inference      100.00 USD
          Assets:OpenAI:Cash                    -100.00 USD
          Assets:Microsoft:Cash                  100.00 USD
          Income:Microsoft:Azure:OpenAICompute  -100.00 USD
        """
        self.assertEqual(len([e for e in entries if hasattr(e, "postings")]), 1)

    @loader.load_doc(expect_errors=True)
    def test_an_account_outside_the_two_entities(self, _, errors, __):
        """
        plugin "leakledger.plugins.chain"
        2019-01-01 open Assets:OpenAI:Cash USD
        2019-01-01 open Assets:Google:Cash USD

        2024-03-01 * "Cash to a third party" #assumed
          source: "test"
          Assets:OpenAI:Cash  -100.00 USD
          Assets:Google:Cash   100.00 USD
        """
        test = type(self).test_an_account_outside_the_two_entities
        outside = [e for e in errors if "outside the two entities" in e.message]
        # At its open and at its use.
        self.assertEqual(
            sorted(e.source["lineno"] for e in outside),
            [doc_line(test, "open Assets:Google:Cash"), doc_line(test, "Cash to a third party")],
        )
        # The third party's cash leaves OpenAI's books unbalanced, too.
        self.assertTrue(any("OpenAI's postings are off by -100.00 USD" in m for m in messages(errors)))

    @loader.load_doc(expect_errors=True)
    def test_a_hand_written_generated_tag_is_refused_at_its_line(self, _, errors, __):
        """
        plugin "leakledger.plugins.chain"
        2019-01-01 open Assets:OpenAI:Cash USD
        2019-01-01 open Income:OpenAI:Revenue USD

        2024-03-01 * "Looks derived" #generated #assumed
          source: "test"
          Assets:OpenAI:Cash      100.00 USD
          Income:OpenAI:Revenue  -100.00 USD
        """
        [error] = errors
        self.assertIn("#generated is reserved", error.message)
        self.assertEqual(
            error.source["lineno"],
            doc_line(type(self).test_a_hand_written_generated_tag_is_refused_at_its_line, "Looks derived"),
        )


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
    body = (
        OPENS
        + f"""
{head}
{meta}  Assets:OpenAI:Cash      100.00 USD
  Income:OpenAI:Revenue  -100.00 USD
"""
    )
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
    body = (
        OPENS
        + RULES
        + """
2024-03-01 * "Bing revenue" #assumed
  source: "test"
  Assets:Microsoft:Cash   1000.00 USD
  Income:Microsoft:Bing  -1000.00 USD
"""
    )
    entries, errors, _ = load(body)
    assert errors == []
    [accrual] = generated(entries)
    assert "source" not in accrual.meta and not ({"leaked", "disclosed", "reported", "claimed"} & accrual.tags)


def revenue(head: str, source: str = '"test"') -> str:
    """A ledger with one hand-written revenue transaction under `head`."""
    return (
        OPENS
        + f"""
{head}
  source: {source}
  Assets:OpenAI:Cash      100.00 USD
  Income:OpenAI:Revenue  -100.00 USD
"""
    )


@pytest.mark.parametrize(
    "source, says",
    [
        ("5", "source: 5 must be text in quotes"),
        ("TRUE", "source: True must be text in quotes"),
        ("2024-01-01", "source: 2024-01-01 must be text in quotes"),
    ],
)
def test_a_wrong_typed_source_is_an_error_at_its_line(source, says):
    head = '2024-03-01 * "Revenue" #leaked'
    body = revenue(head, source)
    [error] = errors_of(body)
    assert error.message.startswith(says) and error.source["lineno"] == line_of(body, head)
    record = '2024-12-31 custom "figure" "revenue" 3700000000.00 USD'
    [error] = errors_of(OPENS + f'\n{record}\n  period-start: 2024-01-01\n  kind: "reported"\n  source: {source}\n')
    assert error.message.startswith(says)


@pytest.mark.parametrize("date", ["9999-12-31", "1899-12-31", "2201-01-01"])
def test_an_entry_outside_the_horizon_is_an_error_at_its_line(date):
    head = f'{date} * "Revenue" #claimed'
    body = revenue(head)
    errors = [e for e in errors_of(body) if "outside the years" in e.message]  # 1899: its accounts are not open too
    assert [(e.message, e.source["lineno"]) for e in errors] == [
        (f"entry dated {date} is outside the years figures may speak of (1900 to 2200)", line_of(body, head))
    ]


@pytest.mark.parametrize(
    "payee, narration, found",
    [
        ("", "<img src=x onerror=alert(1)>", "'<i'"),
        ("", "Revenue</td><script>alert(1)</script>", "'</'"),
        ('"<svg/onload=alert(1)>"', "Revenue", "'<s'"),
        ("", "Revenue onmouseover = alert(1)", "'onmouseover ='"),
    ],
)
def test_markup_in_a_hand_written_payee_or_narration_is_flagged(payee, narration, found):
    head = f'2024-03-01 * {payee} "{narration}" #leaked'
    body = revenue(head)
    [error] = errors_of(body)
    field = "payee" if payee else "narration"
    assert error.message == f"hand-written {field} looks like markup ({found}); write it as plain text"
    assert error.source["lineno"] == line_of(body, head)


def test_markup_in_hand_written_metadata_is_flagged_on_transactions_and_records():
    head = '2024-03-01 * "Revenue" #leaked'
    body = revenue(head, source='"<meta http-equiv=refresh content=0;url=//x>"')
    [error] = errors_of(body)
    assert error.message == "hand-written source: looks like markup ('<m'); write it as plain text"
    assert error.source["lineno"] == line_of(body, head)
    record = '2024-12-31 custom "figure" "revenue" 3700000000.00 USD'
    meta = '  period-start: 2024-01-01\n  kind: "reported"\n  source: "audit"\n  note: "<div style=x>"\n'
    [error] = errors_of(OPENS + f"\n{record}\n{meta}")
    assert error.message == "hand-written note: looks like markup ('<d'); write it as plain text"


@pytest.mark.parametrize("narration", ["Revenue < 1% of the total", "Share = 20% of revenue", "Revenue (a <= b)"])
def test_plain_text_with_angle_brackets_or_equals_is_not_markup(narration):
    assert errors_of(revenue(f'2024-03-01 * "{narration}" #leaked')) == []


@pytest.mark.parametrize("kind", ["leaked", "disclosed", "reported", "claimed"])
def test_a_figure_of_a_kind_other_than_assumed_may_not_lie_in_the_future(kind):
    head = f'2099-12-31 * "OpenAI revenue (2099)" #{kind}'
    record = '2099-12-31 custom "figure" "revenue" 5.00 USD'
    body = (
        OPENS
        + f"""
{head}
  metric: "revenue"
  period-start: 2099-01-01
  source: "test"
  Assets:OpenAI:Cash      100.00 USD
  Income:OpenAI:Revenue  -100.00 USD

{record}
  kind: "{kind}"
  source: "test"
"""
    )
    errors = errors_of(body)
    assert [(e.source["lineno"], "lies in the future" in e.message) for e in errors] == [
        (line_of(body, head), True),
        (line_of(body, record), True),
    ]


def test_an_assumed_figure_may_lie_in_the_future():
    body = (
        OPENS
        + """
2099-12-31 * "OpenAI revenue (2099)" #assumed
  metric: "revenue"
  period-start: 2099-01-01
  source: "test: a projection"
  Assets:OpenAI:Cash      100.00 USD
  Income:OpenAI:Revenue  -100.00 USD

2099-12-31 custom "figure" "revenue" 5.00 USD
  kind: "assumed"
  source: "test"
"""
    )
    assert errors_of(body) == []
