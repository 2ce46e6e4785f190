"""Ledger text and look-ups shared by the plugin tests (test_rules, test_shares, ...).

The ledgers are Beancount text, loaded through the real loader with the
shipped plugin chain (conftest.load_ledger); balances come from beanquery.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from beancount.core import data
from beanquery import query

from conftest import PLUGINS, load_ledger

D = Decimal

#: Every account of the model, opened in 2019 as in ledger/accounts.beancount.
OPENS = """\
2019-01-01 open Assets:OpenAI:Cash USD
2019-01-01 open Assets:OpenAI:Due:Microsoft USD
2019-01-01 open Liabilities:OpenAI:Due:Microsoft USD
2019-01-01 open Equity:OpenAI:Investment:Microsoft USD
2019-01-01 open Income:OpenAI:Revenue USD
2019-01-01 open Income:OpenAI:RevenueShare:Microsoft USD
2019-01-01 open Expenses:OpenAI:RevenueShare:Microsoft USD
2019-01-01 open Expenses:OpenAI:Compute:Inference USD
2019-01-01 open Expenses:OpenAI:Compute:Training USD
2019-01-01 open Assets:Microsoft:Cash USD
2019-01-01 open Assets:Microsoft:Investment:OpenAI USD
2019-01-01 open Assets:Microsoft:Due:OpenAI USD
2019-01-01 open Liabilities:Microsoft:Due:OpenAI USD
2019-01-01 open Income:Microsoft:RevenueShare:OpenAI USD
2019-01-01 open Income:Microsoft:Azure:OpenAICompute USD
2019-01-01 open Income:Microsoft:Bing USD
2019-01-01 open Income:Microsoft:AzureOpenAIService USD
2019-01-01 open Expenses:Microsoft:RevenueShare:OpenAI USD
2019-01-01 open Expenses:Microsoft:OpenAILosses USD
"""

#: The shipped rules: 20% both ways from the start of the partnership.
RULES = """\
2019-07-22 custom "revenue-share" Income:OpenAI:Revenue "Microsoft" 0.20
  source: "TechCrunch, 2025-11-14"
  kind: "reported"
2019-07-22 custom "revenue-share" Income:Microsoft:Bing "OpenAI" 0.20
  source: "TechCrunch, 2025-11-14"
  kind: "reported"
2019-07-22 custom "revenue-share" Income:Microsoft:AzureOpenAIService "OpenAI" 0.20
  source: "TechCrunch, 2025-11-14"
  kind: "reported"
"""

DUE_ACCOUNTS = (
    "Assets:OpenAI:Due:Microsoft",
    "Liabilities:OpenAI:Due:Microsoft",
    "Assets:Microsoft:Due:OpenAI",
    "Liabilities:Microsoft:Due:OpenAI",
)


def payment(end: str, start: str, amount: str, link: str, tags: str = "#leaked", extra: str = "") -> str:
    """A net revenue-share payment figure, as the books write one."""
    return f"""
{end} * "Revenue share OpenAI paid Microsoft, net" {tags} ^{link}
  metric: "revenue-share"
  period-start: {start}
  source: "Ed Zitron, Where's Your Ed At, 2025-11-12"{extra}
  Liabilities:OpenAI:Due:Microsoft   {amount} USD
  Assets:OpenAI:Cash                -{amount} USD
  Assets:Microsoft:Cash              {amount} USD
  Assets:Microsoft:Due:OpenAI       -{amount} USD
"""


def revenue(day: str, account: str, amount: str, tags: str = "#assumed", start: str | None = None,
            link: str | None = None, cash: str | None = None) -> str:
    """A base posting: revenue of one entity against its cash."""
    cash = cash or ("Assets:OpenAI:Cash" if ":OpenAI:" in account else "Assets:Microsoft:Cash")
    head = f'{day} * "Revenue line item" {tags}' + (f" ^{link}" if link else "")
    meta = f"\n  period-start: {start}" if start else ""
    return f"""
{head}
  source: "test ledger"{meta}
  {cash}  {amount} USD
  {account}  -{amount} USD
"""


def ledger_text(body: str) -> str:
    """The text the loader sees for `load(body)`: the plugin lines, then the body."""
    return PLUGINS + textwrap.dedent(body)


def load(body: str):
    """(entries, errors, options) of a ledger body with the shipped plugin chain."""
    return load_ledger(body)


def line_of(body: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`, as the loader numbers it."""
    for number, line in enumerate(ledger_text(body).splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the ledger")


def generated(entries, rule: str | None = None) -> list[data.Transaction]:
    return [
        e for e in entries
        if isinstance(e, data.Transaction) and "generated" in e.tags and (rule is None or e.meta.get("rule") == rule)
    ]


def units(entry, account: str) -> Decimal:
    return sum((p.units.number for p in entry.postings if p.account == account), D(0))


def balance(books, account: str, on: str) -> Decimal:
    """An account's balance at the end of a day, through beanquery."""
    entries, _, options = books
    _, rows = query.run_query(entries, options,
                              f"SELECT sum(number) AS total WHERE account = '{account}' AND date <= {on}")
    value = rows[0][0] if rows else None
    return value if value is not None else D(0)


def implied(entries) -> dict[str, Decimal]:
    """Implied OpenAI revenue by payment period label."""
    out: dict[str, Decimal] = {}
    for e in generated(entries, "implied-revenue"):
        label = e.meta["payment-period"]
        out[label] = out.get(label, D(0)) + e.meta["revenue"].number
    return out


def messages(errors) -> list[str]:
    return [e.message for e in errors]


def rule(day: str, base: str, payee: str, rate: str, source: str = "scenario") -> str:
    """A revenue-share rule, with the provenance the books give one."""
    return f"""
{day} custom "revenue-share" {base} "{payee}" {rate}
  source: "{source}"
  kind: "assumed"
"""
