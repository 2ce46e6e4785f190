"""bench/synthetic.py writes the books it promises: clean, N transactions, Due settled.

The benchmarks (plugins here, Fava elsewhere) rely on it, so a small one is
loaded through Beancount with the plugins and checked through beanquery.
"""

from __future__ import annotations

from beancount import loader
from beancount.core import data
from ledgers import DUE_ACCOUNTS, balance, generated

from bench.synthetic import write_ledger


def test_the_synthetic_ledger_is_clean_and_settles_every_month(tmp_path):
    files = write_ledger(tmp_path, 3000, seed=7, months=12)
    books = loader.load_file(str(files.main))
    entries, errors, _ = books
    assert errors == []
    hand_written = [e for e in entries if isinstance(e, data.Transaction) and "generated" not in e.tags]
    assert len(hand_written) == 3000
    payments = [e for e in hand_written if e.meta.get("metric") == "revenue-share"]
    assert len(payments) == 12
    # Every third month has no OpenAI revenue: its revenue is implied.
    assert len(generated(entries, "implied-revenue")) == 4
    for payment in payments:
        for account in DUE_ACCOUNTS:
            assert balance(books, account, payment.date.isoformat()) == 0, (account, payment.date)


def test_the_bare_variant_holds_the_same_entries_without_plugins(tmp_path):
    files = write_ledger(tmp_path, 500, seed=1, months=6)
    bare, errors, _ = loader.load_file(str(files.bare))
    assert errors == []
    assert not any(isinstance(e, data.Transaction) and "generated" in e.tags for e in bare)
    assert sum(isinstance(e, data.Transaction) for e in bare) == 500
    again = write_ledger(tmp_path / "again", 500, seed=1, months=6)
    assert (tmp_path / "entries.beancount").read_bytes() == (again.main.parent / "entries.beancount").read_bytes()
