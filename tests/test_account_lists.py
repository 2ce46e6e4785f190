"""leakledger.account_lists: one answer per distinct list of posting accounts, bounded."""

from __future__ import annotations

from types import SimpleNamespace

from leakledger.account_lists import ByAccounts


def _postings(*accounts: str) -> list:
    return [SimpleNamespace(account=a) for a in accounts]


def test_an_answer_is_made_once_per_list_and_in_the_lists_order():
    made: list[list[str]] = []
    by = ByAccounts(lambda accounts: made.append(accounts) or tuple(accounts))
    first = by(_postings("Income:OpenAI:Revenue", "Assets:OpenAI:Cash"))
    assert by(_postings("Income:OpenAI:Revenue", "Assets:OpenAI:Cash")) is first
    # The same accounts in another order, or a prefix of the list, are other lists.
    assert by(_postings("Assets:OpenAI:Cash", "Income:OpenAI:Revenue")) == (
        "Assets:OpenAI:Cash",
        "Income:OpenAI:Revenue",
    )
    assert by(_postings("Income:OpenAI:Revenue")) == ("Income:OpenAI:Revenue",)
    assert len(made) == 3


def test_past_its_bound_it_starts_again():
    made: list[list[str]] = []
    by = ByAccounts(lambda accounts: made.append(accounts) or len(made), most=2)
    for account in ("A", "B", "C"):  # the third list passes the bound: everything is made again after it
        by(_postings(account))
    assert by(_postings("A")) == 4
    assert len(made) == 4
