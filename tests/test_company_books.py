"""Each company's own books: ledger/openai.beancount and ledger/microsoft.beancount.

Loaded through the real loader (the chain, then the company_view plugin) and
queried through real beanquery and bean-query. Figures are docs/sources.md
arithmetic, written out.
"""

from __future__ import annotations

import functools
import subprocess
from decimal import Decimal

import pytest
from beancount.core import data
from beanquery import query
from conftest import LEDGER_DIR, MAIN, load_ledger
from leakledger.plugins.company_view import company_view_of, keep_company
from ledgers import OPENS, RULES, year_payment

from leakledger.books import load_books
from leakledger.model import entity_of

D = Decimal
BOOKS = {"OpenAI": LEDGER_DIR / "openai.beancount", "Microsoft": LEDGER_DIR / "microsoft.beancount"}

# docs/sources.md, 2024: the leaked net payment and inference spend, and the second leak's audited revenue.
NET_2024 = D("493800000")
INF_2024 = D("3767100000")
REVENUE_2024 = D("3700000000")
# The revenue is recorded, so OpenAI's 20% follows from it and Microsoft's 20% is solved from the payment.
OPENAI_SHARE_2024 = D("0.20") * REVENUE_2024  # 740,000,000
MICROSOFT_SHARE_2024 = OPENAI_SHARE_2024 - NET_2024  # 246,200,000
# OpenAI: revenue and Microsoft's 20% in; its audited total costs out (Z2: 12,480,000,000), of which the
# books itemize inference and its own 20%; the rest posts as costs not itemized.
OPENAI_INCOME_2024 = REVENUE_2024 + MICROSOFT_SHARE_2024  # 3,946,200,000
COSTS_2024 = D("12480000000")
NOT_ITEMIZED_2024 = COSTS_2024 - INF_2024 - OPENAI_SHARE_2024  # 7,972,900,000
OPENAI_EXPENSES_2024 = INF_2024 + OPENAI_SHARE_2024 + NOT_ITEMIZED_2024  # = the total costs
OPENAI_NET_2024 = OPENAI_INCOME_2024 - OPENAI_EXPENSES_2024  # -8,533,800,000
# Microsoft: its 20% of OpenAI's revenue and the inference OpenAI buys on Azure in; its own 20% out.
MICROSOFT_INCOME_2024 = OPENAI_SHARE_2024 + INF_2024  # 4,507,100,000


@pytest.fixture(scope="module", params=list(BOOKS))
def company(request):
    """(entity, (entries, errors, options)) of one company's shipped book."""
    return request.param, load_books(BOOKS[request.param])


@pytest.fixture(scope="module")
def both():
    return load_books(MAIN)


def year_sum(books, where: str, year: int = 2024) -> Decimal:
    entries, _, options = books
    _, rows = query.run_query(entries, options, f"SELECT sum(number) AS total WHERE year = {year} AND ({where})")
    value = rows[0][0] if rows else None
    return value if value is not None else D(0)


def test_a_company_book_loads_clean_with_its_own_accounts_only(company):
    entity, (entries, errors, options) = company
    assert errors == []
    assert options["title"] == entity
    postings = [p for e in entries if isinstance(e, data.Transaction) for p in e.postings]
    assert postings and {entity_of(p.account) for p in postings} == {entity}
    opened = {e.account for e in entries if isinstance(e, data.Open)}
    assert opened and {entity_of(a) for a in opened} == {entity}
    # Its retained earnings are its own, too (Fava's balance sheet adds them).
    from beancount.parser.options import get_current_accounts

    assert get_current_accounts(options)[0] == f"Equity:{entity}:Earnings:Current"


def test_openai_2024_income_statement():
    books = load_books(BOOKS["OpenAI"])
    income = year_sum(books, "account ~ '^Income:'")
    expenses = year_sum(books, "account ~ '^Expenses:'")
    assert income == -OPENAI_INCOME_2024 == D("-3946200000")
    assert expenses == OPENAI_EXPENSES_2024 == COSTS_2024
    assert income + expenses == -OPENAI_NET_2024 == D("8533800000")


def test_microsoft_2024_income_statement():
    books = load_books(BOOKS["Microsoft"])
    assert year_sum(books, "account ~ '^Income:'") == -MICROSOFT_INCOME_2024 == D("-4507100000")
    assert year_sum(books, "account ~ '^Expenses:'") == MICROSOFT_SHARE_2024 == D("246200000")


def test_each_account_has_the_balance_it_has_in_both_books(company, both):
    """The two company books are the combined book cut in two: nothing lost, nothing added."""
    entity, books = company
    sql = "SELECT account, sum(number) AS total GROUP BY account"
    _, own = query.run_query(books[0], books[2], sql)
    _, whole = query.run_query(both[0], both[2], sql)
    assert dict(own) == {a: t for a, t in whole if entity_of(a) == entity}


def test_the_view_keeps_the_whole_books_for_the_model(company, both):
    entity, (entries, _, options) = company
    view = company_view_of(options)
    assert view.entity == entity

    # The combined book's entries, less its Fava import page (only main.beancount includes it).
    def where(entries):
        return [
            (type(e).__name__, e.date, e.meta["filename"].rsplit("/", 1)[-1], e.meta.get("lineno")) for e in entries
        ]

    # Beancount pads the cash balances after every plugin, so the whole books the view keeps have no pads.
    pads = [e for e in both[0] if isinstance(e, data.Transaction) and e.flag == "P"]
    assert pads and all(e.meta["filename"].endswith("cash.beancount") for e in pads)
    kept = [e for e in both[0] if not (isinstance(e, data.Transaction) and e.flag == "P")]
    assert where(view.whole) == [w for w in where(kept) if w[2] != "import.beancount"]
    assert company_view_of(both[2]) is None


def test_bean_check_and_bean_query_on_each_company_book():
    for entity, path in BOOKS.items():
        check = subprocess.run(["bean-check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        out = subprocess.run(
            ["bean-query", "-f", "csv", str(path), "SELECT DISTINCT account ORDER BY account"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert out[0] == "account" and {entity_of(a) for a in out[1:]} == {entity}


@functools.cache
def saved(path, name: str) -> list[list[str]]:
    """A saved query's CSV rows on shipped books (read-only: each query runs once per book however often read)."""
    done = subprocess.run(
        ["bean-query", "-f", "csv", str(path), f".run {name}"], capture_output=True, text=True, check=True
    )
    return [line.split(",") for line in done.stdout.splitlines()]


def test_saved_queries_run_on_the_company_books():
    # OpenAI's revenue and inference live in OpenAI's books: the same rows as the combined books.
    for name in ("implied-revenue", "inference-vs-revenue"):
        assert saved(BOOKS["OpenAI"], name) == saved(MAIN, name)
    # 2024's audited revenue (the second leak), 3,700,000,000, beside the year's inference.
    rows = saved(BOOKS["OpenAI"], "inference-vs-revenue")
    assert any(row[0] == "2024" and "3700000000.00" in row[2] for row in rows)
    # Each company's Due accounts, and only its own.
    for entity, path in BOOKS.items():
        rows = saved(path, "due-balances")
        assert rows[0] == ["account", "balance", "low", "high", "kind", "why"] and len(rows) > 1
        assert {entity_of(r[0]) for r in rows[1:]} == {entity}
    # ... each as the combined books give it, and what the books know of it (kind) the same
    both = {r[0]: r[1:5] for r in saved(MAIN, "due-balances")[1:]}
    assert {r[0]: r[1:5] for p in BOOKS.values() for r in saved(p, "due-balances")[1:]} == both


# --- the plugin on small ledgers ----------------------------------------------

VIEW = 'plugin "leakledger.plugins.company_view" "{}"\n'


def test_the_view_drops_the_other_companys_legs_and_directives():
    body = (
        OPENS
        + RULES
        + year_payment(2024, "100.00")
        + """
2024-06-01 balance Assets:Microsoft:Cash 0.00 USD
2024-06-01 balance Assets:OpenAI:Cash 0.00 USD
"""
    )
    entries, errors, _ = load_ledger(VIEW.format("OpenAI") + body)
    assert errors == []
    balances = [e.account for e in entries if isinstance(e, data.Balance)]
    assert balances == ["Assets:OpenAI:Cash"]
    payment = next(
        e
        for e in entries
        if isinstance(e, data.Transaction) and "revenue-share-2024" in e.links and "generated" not in e.tags
    )
    assert [p.account for p in payment.postings] == ["Liabilities:OpenAI:Due:Microsoft", "Assets:OpenAI:Cash"]
    # A wrong balance assertion on the other company's account is not this book's error.
    wrong = body.replace("balance Assets:Microsoft:Cash 0.00", "balance Assets:Microsoft:Cash 7.00")
    assert load_ledger(VIEW.format("OpenAI") + wrong)[1] == []
    assert len(load_ledger(VIEW.format("Microsoft") + wrong)[1]) == 1


def test_keep_company_never_mutates_and_is_idempotent():
    entries, errors, _ = load_ledger(OPENS + RULES + year_payment(2024, "100.00"))
    assert errors == []
    before = [(e, getattr(e, "postings", None) and list(e.postings)) for e in entries]
    once = keep_company(entries, "Microsoft")
    assert [(e, getattr(e, "postings", None) and list(e.postings)) for e in entries] == before
    twice = keep_company(once, "Microsoft")
    assert len(twice) == len(once) and all(a is b for a, b in zip(once, twice))


@pytest.mark.parametrize("config", ["", "Google", "OpenAI:Cash"])
def test_a_bad_company_is_one_error_and_changes_nothing(config):
    entries, errors, options = load_ledger(VIEW.format(config) + OPENS + RULES + year_payment(2024, "100.00"))
    assert [e.message for e in errors] == [
        f"company_view needs the company as its config, one of OpenAI, Microsoft; got {config!r}"
    ]
    assert company_view_of(options) is None
    assert {entity_of(p.account) for e in entries if isinstance(e, data.Transaction) for p in e.postings} == {
        "OpenAI",
        "Microsoft",
    }


def test_a_company_book_of_imported_line_items_balances_on_its_own(tmp_path):
    """The benchmark's synthetic books (line items of every metric, monthly payments): each company's
    book loads clean, every transaction in it sums to zero, and the two hold every posting of the whole."""
    from bench.bench_company_view import write_company_book
    from bench.synthetic import write_ledger

    files = write_ledger(tmp_path, 400, seed=3)
    whole, errors, _ = load_books(files.main)
    assert errors == []
    postings = 0
    for entity in ("OpenAI", "Microsoft"):
        entries, errors, _ = load_books(write_company_book(files.main, entity))
        assert errors == []
        for entry in entries:
            if isinstance(entry, data.Transaction):
                assert sum(p.units.number for p in entry.postings) == 0, entry
                assert {entity_of(p.account) for p in entry.postings} == {entity}
                postings += len(entry.postings)
    assert postings == sum(len(e.postings) for e in whole if isinstance(e, data.Transaction))
