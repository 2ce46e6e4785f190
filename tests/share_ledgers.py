"""Small docstring-ledger pieces for the report, query and explain tests."""

from __future__ import annotations

#: The accounts a net payment and its implied revenue post to.
PAYMENT_ACCOUNTS = """
2019-01-01 open Assets:OpenAI:Cash USD
2019-01-01 open Income:OpenAI:Revenue USD
2019-01-01 open Liabilities:OpenAI:Due:Microsoft USD
2019-01-01 open Expenses:OpenAI:RevenueShare:Microsoft USD
2019-01-01 open Assets:Microsoft:Cash USD
2019-01-01 open Assets:Microsoft:Due:OpenAI USD
2019-01-01 open Income:Microsoft:RevenueShare:OpenAI USD
"""


def rule(rate: str = "0.20", meta: str = "") -> str:
    return f'\n2019-07-22 custom "revenue-share" Income:OpenAI:Revenue "Microsoft" {rate}\n{meta}'


def payment(year: int, amount: str, *, source: str = "test", url: str | None = None) -> str:
    """A leaked net payment over one year, linked ^revenue-share-YEAR."""
    url_line = f'\n  url: "{url}"' if url else ""
    return f"""
{year}-12-31 * "Revenue share OpenAI paid Microsoft, net ({year})" #leaked ^revenue-share-{year}
  metric: "revenue-share"
  period-start: {year}-01-01
  source: "{source}"{url_line}
  Liabilities:OpenAI:Due:Microsoft   {amount} USD
  Assets:OpenAI:Cash                -{amount} USD
  Assets:Microsoft:Cash              {amount} USD
  Assets:Microsoft:Due:OpenAI       -{amount} USD
"""
