"""Ledger text and look-ups shared by the tests: one place for each helper.

Fixed ledgers (the account tree, the leak-era rules) are files in
`tests/data/`; the helpers here write the figures tests vary. Ledgers load
through the real loader with the shipped plugin chain (`conftest.load_ledger`),
and balances come from beanquery.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beanquery import query
from conftest import PLUGINS, load_ledger

from leakledger import derived as DK
from leakledger.intervals import Interval
from leakledger.model import METRICS

D = Decimal
DATA = Path(__file__).resolve().parent / "data"
ZITRON = "Ed Zitron, Where's Your Ed At, 2025-11-12"


def _data(name: str) -> str:
    """A data file's entries, without its leading comment lines."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith(";"))


#: Every account of the model, opened in 2019.
OPENS = _data("accounts.beancount")
#: The rules as the leak found them: 20% both ways.
RULES = _data("rules.beancount")
#: The accounts a net payment and its implied revenue post to.
PAYMENT_ACCOUNTS = "\n" + _data("payment-accounts.beancount")
#: The accounts a training-compute figure moves.
TRAINING_ACCOUNTS = "\n" + _data("training-accounts.beancount")

DUE_ACCOUNTS = (
    "Assets:OpenAI:Due:Microsoft",
    "Liabilities:OpenAI:Due:Microsoft",
    "Assets:Microsoft:Due:OpenAI",
    "Liabilities:Microsoft:Due:OpenAI",
)


# --- figures -----------------------------------------------------------------


def figure(
    metric: str,
    end: str,
    start: str,
    amount: str,
    link: str,
    tags: str = "#leaked",
    extra: str = "",
    *,
    source: str = ZITRON,
    narration: str | None = None,
) -> str:
    """A figure of one metric over [start, end], posting as the model's own legs for it say."""
    spec = METRICS[metric]
    legs = "".join(f"\n  {account}  {'-' if sign < 0 else ''}{amount} USD" for account, sign in spec.legs)
    return f"""
{end} * "{narration or spec.narration}" {tags} ^{link}
  metric: "{metric}"
  period-start: {start}
  source: "{source}"{extra}{legs}
"""


def payment(
    end: str,
    start: str,
    amount: str,
    link: str,
    tags: str = "#leaked",
    extra: str = "",
    *,
    source: str = ZITRON,
    narration: str | None = None,
) -> str:
    """A net revenue-share payment figure over [start, end], as the books write one."""
    return figure("revenue-share", end, start, amount, link, tags, extra, source=source, narration=narration)


def inference(end: str, start: str, amount: str, link: str, extra: str = "", *, source: str = "test ledger") -> str:
    """An inference figure (OpenAI's spend on Azure, Microsoft's Azure income)."""
    return figure("inference", end, start, amount, link, extra=extra, source=source)


def bing(end: str, start: str, amount: str, link: str) -> str:
    """An assumed Bing revenue figure (the base of Microsoft's share to OpenAI)."""
    return figure("bing-revenue", end, start, amount, link, "#assumed", source="test ledger")


def year_payment(year: int, amount: str, *, source: str = "test", url: str | None = None) -> str:
    """A leaked net payment over one year, linked ^revenue-share-YEAR."""
    return payment(
        f"{year}-12-31",
        f"{year}-01-01",
        amount,
        f"revenue-share-{year}",
        extra=f'\n  url: "{url}"' if url else "",
        source=source,
        narration=f"Revenue share OpenAI paid Microsoft, net ({year})",
    )


def revenue(
    day: str,
    account: str,
    amount: str,
    tags: str = "#assumed",
    start: str | None = None,
    link: str | None = None,
    cash: str | None = None,
) -> str:
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


def training(start: str, end: str, amount: str, link: str) -> str:
    """A leaked training-compute figure over [start, end], in both entities' books."""
    return figure("training", end, start, amount, link, source="S", narration=f"Training ({link})")


def rule(
    day: str = "2019-07-22",
    base: str = "Income:OpenAI:Revenue",
    payee: str = "Microsoft",
    rate: str = "0.20",
    source: str = "scenario",
    kind: str = "assumed",
) -> str:
    """A revenue-share rule, with the provenance the books give one."""
    return f"""
{day} custom "revenue-share" {base} "{payee}" {rate}
  source: "{source}"
  kind: "{kind}"
"""


# --- loading and look-ups ----------------------------------------------------


def ledger_text(body: str) -> str:
    """The text the loader sees for `load(body)`: the plugin line, then the body."""
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
    """The derived entries, of one `rule:` if given (read through the derived contract)."""
    return [d.entry for d in DK.derived(entries, rule)]


def units(entry, account: str) -> Decimal:
    return sum((p.units.number for p in entry.postings if p.account == account), D(0))


def balance(books, account: str, on: str) -> Decimal:
    """An account's balance at the end of a day, through beanquery."""
    entries, _, options = books
    _, rows = query.run_query(
        entries, options, f"SELECT sum(number) AS total WHERE account = '{account}' AND date <= {on}"
    )
    value = rows[0][0] if rows else None
    return value if value is not None else D(0)


def implied(entries) -> dict[str, Decimal]:
    """Implied OpenAI revenue by payment period label."""
    out: dict[str, Decimal] = {}
    for d in DK.derived(entries, DK.RULE_IMPLIED):
        out[d.payment_period] = out.get(d.payment_period, D(0)) + d.revenue
    return out


def messages(errors) -> list[str]:
    return [e.message for e in errors]


# --- ranges: the made-up 2023 books, and a cap -------------------------------------------------

#: Made-up 2023 books: a net payment of 229.1M for the year (the issue's figures ranges are checked on).
PAYMENTS_2023 = payment("2023-12-31", "2023-01-01", "229100000.00", "revenue-share-2023")


def ranged(metric: str, link: str, low: str, high: str | None) -> str:
    """A 2023 base figure written as `add` writes a range: the midpoint (or the one end) posted."""
    if high is None:
        amount, extra = low, f'\n  low: {low} USD\n  posted-as: "low"'
    else:
        amount = f"{(D(low) + D(high)) / 2:.2f}"
        extra = f'\n  low: {low} USD\n  high: {high} USD\n  posted-as: "midpoint"'
    return figure(metric, "2023-12-31", "2023-01-01", amount, link, "#assumed", extra)


def year_interval(body: str) -> Interval:
    """The interval of 2023's implied revenue over PAYMENTS_2023 and `body`, loaded with the plugins."""
    entries, errors, _ = load(OPENS + RULES + PAYMENTS_2023 + body)
    assert errors == [], errors
    total = Interval.exact(D(0))
    for d in DK.derived(entries, DK.RULE_IMPLIED):
        if d.entry.date.year == 2023:
            assert d.revenue_interval is not None
            total = total + d.revenue_interval
    return total


#: Azure OpenAI Service 0.5B..1.5B and Bing 0..0.5B in 2023, as an analyst assumes them.
AZURE_2023 = ranged("azure-openai-revenue", "azure-openai-revenue-2023", "500000000.00", "1500000000.00")
BING_2023 = ranged("bing-revenue", "bing-revenue-2023", "0.00", "500000000.00")


def cap(
    day="2026-04-27",
    amount="38000000000.00 USD",
    counts_from="2026-04-27",
    base="Income:OpenAI:Revenue",
    payee="Microsoft",
) -> str:
    """A revenue-share cap directive (assumed), counted from `counts_from` (none: no counts-from:)."""
    counts = f"\n  counts-from: {counts_from}" if counts_from else ""
    return f"""
{day} custom "revenue-share-cap" {base} "{payee}" {amount}{counts}
  source: "test"
  kind: "assumed"
"""
