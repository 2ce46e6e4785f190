"""The shipped books: every docs/sources.md figure, in both entities' books, clean.

Figures below are copied from docs/sources.md: the leak's totals and its quarters,
which refine them.
"""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal

import pytest
from beancount.core import data
from beanquery import query
from conftest import LEDGER_DIR, MAIN

from leakledger.figures import FIGURE_TYPE, figures_of, is_generated
from leakledger.model import ENTITIES, KINDS, entity_of

D = Decimal

# docs/sources.md, the leak table.
NET_2024 = D("493800000")
NET_2025_H1 = D("454700000")
NET_2025_JAN_SEP = D("865800000")
INF_2024 = D("3767100000")
INF_2025_H1 = D("5022000000")
INF_2025_JAN_SEP = D("8670000000")
# docs/sources.md, the leak quarter by quarter: (net revenue share, inference).
QUARTERS = {
    "2024-Q1": (D("77300000"), D("546800000")),
    "2024-Q2": (D("109500000"), D("748300000")),
    "2024-Q3": (D("139200000"), D("1005000000")),
    "2024-Q4": (D("167800000"), D("1467000000")),
    "2025-Q1": (D("206400000"), D("2075000000")),
    "2025-Q2": (D("248300000"), D("2947000000")),
    "2025-Q3": (D("411100000"), D("3648000000")),
}
# docs/sources.md, other public figures (10-Q).
FUNDED = D("11600000000")
COMMITTED = D("13000000000")
LOSSES_Q3 = D("4100000000")
LOSSES_Q3_AFTER_TAX = D("3100000000")


def total(books, account: str, start: str, end: str, extra: str = "") -> Decimal:
    """sum(position) for one account between two dates, through beanquery."""
    entries, _, options = books
    sql = f"SELECT sum(number) AS total WHERE account = '{account}' AND date >= {start} AND date <= {end} {extra}"
    _, rows = query.run_query(entries, options, sql)
    value = rows[0][0] if rows else None
    return value if value is not None else D(0)


def test_books_load_clean(books):
    entries, errors, options = books
    assert errors == []
    assert options["operating_currency"] == ["USD"]
    assert options["title"] == "Both: OpenAI and Microsoft added together"


def test_bean_check_and_bean_format_clean():
    """bean-check passes and every ledger file is a fixed point of bean-format."""
    check = subprocess.run(["bean-check", str(MAIN)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    for path in sorted(LEDGER_DIR.rglob("*.beancount")):
        formatted = subprocess.run(["bean-format", str(path)], capture_output=True, text=True, check=True).stdout
        assert formatted == path.read_text(), f"{path.name} is not bean-format clean"


HAND_WRITTEN = " AND NOT ('generated' IN tags)"


@pytest.mark.parametrize(
    "account, start, end, expected",
    [
        # Net revenue share: OpenAI's Due to Microsoft is debited by the payment...
        ("Liabilities:OpenAI:Due:Microsoft", "2024-01-01", "2024-12-31", NET_2024),
        ("Liabilities:OpenAI:Due:Microsoft", "2025-01-01", "2025-06-30", NET_2025_H1),
        # Jul-Sep is recorded as the increment: 865.8M - 454.7M = 411.1M.
        ("Liabilities:OpenAI:Due:Microsoft", "2025-07-01", "2025-09-30", NET_2025_JAN_SEP - NET_2025_H1),
        ("Liabilities:OpenAI:Due:Microsoft", "2025-01-01", "2025-09-30", NET_2025_JAN_SEP),
        # ... and Microsoft receives the same in cash. OpenAI's cash also takes its audited
        # 2024 revenue (the second leak): 3,700,000,000 - 493,800,000 - 3,767,100,000 = -560,900,000.
        ("Assets:OpenAI:Cash", "2024-01-01", "2024-12-31", D("3700000000") - (NET_2024 + INF_2024)),
        ("Assets:Microsoft:Due:OpenAI", "2024-01-01", "2024-12-31", -NET_2024),
        ("Assets:Microsoft:Due:OpenAI", "2025-01-01", "2025-09-30", -NET_2025_JAN_SEP),
        # Inference: OpenAI's expense is Microsoft's Azure income.
        ("Expenses:OpenAI:Compute:Inference", "2024-01-01", "2024-12-31", INF_2024),
        ("Expenses:OpenAI:Compute:Inference", "2025-01-01", "2025-06-30", INF_2025_H1),
        # 8.67B - 5.022B = 3.648B for Jul-Sep.
        ("Expenses:OpenAI:Compute:Inference", "2025-07-01", "2025-09-30", INF_2025_JAN_SEP - INF_2025_H1),
        ("Expenses:OpenAI:Compute:Inference", "2025-01-01", "2025-09-30", INF_2025_JAN_SEP),
        ("Income:Microsoft:Azure:OpenAICompute", "2024-01-01", "2024-12-31", -INF_2024),
        ("Income:Microsoft:Azure:OpenAICompute", "2025-01-01", "2025-09-30", -INF_2025_JAN_SEP),
        # Microsoft's investment, funded as of 2025-09-30.
        ("Equity:OpenAI:Investment:Microsoft", "2019-01-01", "2025-09-30", -FUNDED),
        ("Assets:Microsoft:Investment:OpenAI", "2019-01-01", "2025-09-30", FUNDED - LOSSES_Q3),
        # Microsoft's share of OpenAI's losses, quarter ended 2025-09-30 (pre-tax).
        ("Expenses:Microsoft:OpenAILosses", "2025-07-01", "2025-09-30", LOSSES_Q3),
    ],
)
def test_each_leaked_figure_through_beanquery(books, account, start, end, expected):
    assert total(books, account, start, end, HAND_WRITTEN) == expected


def test_cash_sides_of_each_figure(books):
    """Microsoft's cash receives the payments and the inference spend, and funds the investment."""
    received = NET_2024 + NET_2025_JAN_SEP + INF_2024 + INF_2025_JAN_SEP
    assert total(books, "Assets:Microsoft:Cash", "2019-01-01", "2025-12-31", HAND_WRITTEN) == received - FUNDED


def test_inference_by_year_as_the_readme_query(books):
    """The query of the books issue's 'done means': 3,767,100,000 for 2024, 8,670,000,000 for 2025."""
    entries, _, options = books
    _, rows = query.run_query(
        entries,
        options,
        "SELECT year, sum(position) WHERE account = 'Expenses:OpenAI:Compute:Inference' GROUP BY year",
    )
    by_year = {row[0]: row[1].get_currency_units("USD").number for row in rows}
    assert by_year == {2024: INF_2024, 2025: INF_2025_JAN_SEP}


def test_the_totals_stay_as_checked_totals_of_the_quarters(books):
    entries = books[0]
    totals = {
        (f.metric, f.period.label): (f.amount, f.entry.meta["remainder"].number)
        for f in figures_of(entries)
        if f.refined
    }
    # The leak's totals, each refined by its parts, with nothing left over (remainder 0).
    assert totals == {
        ("revenue-share", "2024"): (NET_2024, 0),
        ("revenue-share", "2025-H1"): (NET_2025_H1, 0),
        ("revenue-share", "2025-01..2025-09"): (NET_2025_JAN_SEP, 0),
        ("inference", "2024"): (INF_2024, 0),
        ("inference", "2025-H1"): (INF_2025_H1, 0),
        ("inference", "2025-01..2025-09"): (INF_2025_JAN_SEP, 0),
        # Funding as of 2026-03-31 and 2026-06-30 (2026.beancount), each refined by the one before:
        # 11,800,000,000 - 11,600,000,000 = 200,000,000; 11,900,000,000 - 11,800,000,000 = 100,000,000.
        ("investment", "2019-07-22..2026-03-31"): (D("11800000000"), D("200000000")),
        ("investment", "2019-07-22..2026-06-30"): (D("11900000000"), D("100000000")),
        # Fiscal 2026's 6.5B gain refined by three posted quarters: -6,500,000,000 - (4,100,000,000
        # - 10,000,000,000 + 19,000,000) = -619,000,000 for the quarter to 2026-06-30.
        ("losses-share", "2025-07..2026-06"): (D("-6500000000"), D("-619000000")),
    }
    posting = {
        (f.metric, f.period.label): f.amount
        for f in figures_of(entries)
        if f.posting and f.metric in ("revenue-share", "inference")
    }
    assert posting == {
        (m, q): amount
        for q, (net, inf) in QUARTERS.items()
        for m, amount in (("revenue-share", net), ("inference", inf))
    }


def test_investment_and_losses_metadata(books):
    entries = books[0]
    by_metric = {f.metric: f for f in figures_of(entries) if f.posting}
    investment = by_metric["investment"].entry
    assert investment.date == datetime.date(2025, 9, 30)
    assert investment.meta["committed"].number == COMMITTED
    assert investment.meta["dates-known"] is False
    assert "not known" in investment.meta["note"]
    [losses] = [
        f.entry for f in figures_of(entries) if f.posting and f.metric == "losses-share" and f.period.label == "2025-Q3"
    ]
    assert losses.meta["period-start"] == datetime.date(2025, 7, 1)
    assert losses.meta["after-tax"].number == LOSSES_Q3_AFTER_TAX


def test_techcrunch_rounding_is_noted(books):
    rounded = {
        f.period.label: f.entry.meta["rounded"]
        for f in figures_of(books[0])
        if f.metric == "inference" and "rounded" in f.entry.meta
    }
    assert "3.8 billion" in rounded["2024"]
    assert "8.65 billion" in rounded["2025-01..2025-09"]


def _hand_written(entries):
    """The transactions a person wrote: not the plugins' (#generated), nor Beancount's pads (flag P)."""
    return [e for e in entries if isinstance(e, data.Transaction) and not is_generated(e) and e.flag != "P"]


def test_every_transaction_balances_within_each_entity(books):
    entries = books[0]
    transactions = [e for e in entries if isinstance(e, data.Transaction)]
    assert transactions
    for txn in transactions:
        for entity in ENTITIES:
            units = [p.units.number for p in txn.postings if entity_of(p.account) == entity]
            assert sum(units, D(0)) == 0, (entity, txn.date, txn.narration)


def test_every_hand_written_entry_has_provenance(books):
    hand_written = _hand_written(books[0])
    # 3 payment totals, 3 inference totals, 7 quarters of each, investment, 3 quarters of equity-method result;
    # the second leak's 2024 and 2025 revenue; funding as of 2026-03-31 and 2026-06-30; fiscal 2026's result
    assert len(hand_written) == 3 + 3 + 7 + 7 + 1 + 3 + 2 + 2 + 1
    for txn in hand_written:
        assert txn.meta.get("source"), txn.narration
        assert len([t for t in txn.tags if t in KINDS]) == 1, txn.narration
        assert isinstance(txn.meta.get("period-start"), datetime.date)
        assert txn.meta["period-start"] <= txn.date
    leaked = [t for t in hand_written if "leaked" in t.tags]
    second = {"revenue-2024", "revenue-2025"}  # the second leak's own piece
    assert all(t.meta["url"] == "https://www.wheresyoured.at/oai_docs/" for t in leaked if not t.links & second)
    assert {t.meta["url"] for t in leaked if t.links & second} == {
        "https://www.wheresyoured.at/exclusive-openai-financials/"
    }


def test_rules_say_the_rate_is_unconfirmed(books):
    rules = [
        e
        for e in books[0]
        if isinstance(e, data.Custom) and e.type == "revenue-share" and e.date == datetime.date(2019, 7, 22)
    ]  # the 2026 amendment's rules: test_deal.py
    assert {(r.values[0].value, r.values[1].value, r.values[2].value) for r in rules} == {
        ("Income:OpenAI:Revenue", "Microsoft", D("0.20")),
        ("Income:Microsoft:Bing", "OpenAI", D("0.20")),
        ("Income:Microsoft:AzureOpenAIService", "OpenAI", D("0.20")),
    }
    for rule in rules:
        assert rule.meta["source"] and rule.meta["url"]
        assert "Neither company confirmed the rate" in rule.meta["note"]


def test_reported_and_claimed_figures_are_records(books):
    records = [e for e in books[0] if isinstance(e, data.Custom) and e.type == FIGURE_TYPE]
    by_metric = {}
    for r in records:
        by_metric.setdefault(r.values[0].value, []).append(r)
        assert r.meta.get("source") and r.meta.get("kind") in KINDS
    assert by_metric["revenue"][0].values[1].value.number == D("3700000000")
    assert by_metric["revenue"][1].values[1].value.number == D("4300000000")
    assert by_metric["revenue-run-rate"][0].meta["kind"] == "claimed"
    assert by_metric["investment-committed"][0].values[1].value.number == COMMITTED


def test_reported_and_claimed_figures_change_no_balance(tmp_path):
    """The books with and without reported.beancount have the same balances."""
    from beancount import loader
    from beancount.core import realization

    without = tmp_path / "ledger"
    import shutil

    shutil.copytree(LEDGER_DIR, without)
    books_file = without / "books.beancount"
    books_file.write_text(books_file.read_text().replace('include "reported.beancount"\n', ""))
    with_entries, errors_a, _ = loader.load_file(str(MAIN))
    without_entries, errors_b, _ = loader.load_file(str(without / "main.beancount"))
    assert errors_a == [] and errors_b == []
    assert len(with_entries) > len(without_entries)

    def balances(entries):
        real = realization.realize(entries)
        return {
            acc.account: acc.balance.get_currency_units("USD").number
            for acc in realization.iter_children(real)
            if not acc.balance.is_empty()
        }

    assert balances(with_entries) == balances(without_entries)
