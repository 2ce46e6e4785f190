"""bench/synthetic.py writes the books it promises: clean, N transactions, Due settled.

The benchmarks (plugins here, Fava elsewhere) rely on it, so a small one is
loaded through Beancount with the plugins and checked through beanquery.
"""

from __future__ import annotations

import datetime
import importlib
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from ledgers import DUE_ACCOUNTS, balance, generated

from bench.synthetic import write_ledger
from leakledger import derived as D


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


def test_the_shapes_users_write_load_clean_and_are_what_they_say(tmp_path):
    """no-metric: figures read by their accounts; refined: days in quarters in years; cap: a cap that binds."""
    # 600 transactions, one-day items from 1900-01: 3 a day (2 in every third month) -> Jan, Feb, Mar (implied), ...
    books = {}
    for shape in ("no-metric", "refined", "cap"):
        entries, errors, _ = loader.load_file(str(write_ledger(tmp_path / shape, 600, shape=shape, months=6).main))
        assert errors == [], (shape, errors[:2])
        books[shape] = entries
    read = [e for e in books["no-metric"] if isinstance(e, data.Transaction) and "generated" not in e.tags]
    # every hand-written transaction there is a figure; the plugin names its metric by its accounts
    assert len(read) == 600 and all("metric" in e.meta for e in read)
    # a payment a month and 3 items a day (2 in March and July, the implied months): Jan 1+93, Feb 1+84,
    # Mar 1+62, Apr 1+90, May 1+93, Jun 1+90 = 518, Jul 1+81 = 600: 8 payments, 592 line items
    assert sum(e.meta["metric"] != "revenue-share" for e in read) == 600 - 8
    refined = [e for e in books["refined"] if isinstance(e, data.Transaction) and e.meta.get("status") == "refined"]
    # Bing and Azure OpenAI each have an item every day of Q1 and Q2 1900 (the items run into July):
    # a quarter figure each, exactly their sum, refined by its days; OpenAI's revenue misses every third
    # month, so none of its quarters is whole, and no year is whole at 600 transactions
    quarters = {("1900-01-01", "1900-03-31"), ("1900-04-01", "1900-06-30")}
    assert {(e.meta["period-start"].isoformat(), e.date.isoformat()) for e in refined} == quarters
    assert len(refined) == 2 * 2
    capped = [e for e in books["cap"] if isinstance(e, data.Transaction) and e.meta.get(D.CAP_NOTE)]
    # one accrual is cut where the cap binds; after it, implied revenue is only a lower bound
    assert sum(e.meta.get(D.RULE) == D.RULE_SHARE for e in capped) == 1, "the cap binds once"


def test_the_metric_shape_names_what_no_metric_leaves_to_the_accounts(tmp_path):
    """ "metric": the "no-metric" books with each figure's `metric:` written; loaded, the two are the same books."""
    files = {shape: write_ledger(tmp_path / shape, 600, shape=shape, months=6) for shape in ("no-metric", "metric")}
    named = (files["metric"].main.parent / "entries.beancount").read_text()
    bare = (files["no-metric"].main.parent / "entries.beancount").read_text()
    # every one-day figure (600 less the 8 monthly payments, which name theirs in both) gains a metric: line
    assert named.count("metric:") - bare.count("metric:") == 600 - 8
    # and that is all that differs: without the one-day figures' metric: lines, the files are the same
    assert "".join(line for line in named.splitlines(True) if not _names_a_line_metric(line)) == "".join(
        line for line in bare.splitlines(True) if not _names_a_line_metric(line)
    )
    loaded = {}
    for shape, paths in files.items():
        entries, errors, _ = loader.load_file(str(paths.main))
        assert errors == []
        loaded[shape] = [
            (e.date, e.narration, e.meta.get("metric"), e.meta.get("period-start"))
            for e in entries
            if isinstance(e, data.Transaction)
        ]
    assert loaded["metric"] == loaded["no-metric"]


def _names_a_line_metric(line: str) -> bool:
    return line.startswith("  metric:") and "revenue-share" not in line


def test_past_the_horizon_the_days_take_more_metrics_then_line_items(tmp_path, monkeypatch):
    """A million transactions fit: once the bases fill the horizon's days, other metrics fill them, then items.

    The horizon is cut to one year (1900) so that a small ledger reaches it.
    """
    import bench.synthetic as synthetic

    monkeypatch.setattr(synthetic, "_DAILY_TO", 1900)
    # past this day figures are forecasts (#assumed): a leaked figure may not lie in the future
    monkeypatch.setattr(synthetic, "_LEAKED_UNTIL", datetime.date(1900, 6, 30))
    entries, errors, _ = loader.load_file(str(write_ledger(tmp_path, 3000, shape="no-metric").main))
    assert errors == []
    hand = [e for e in entries if isinstance(e, data.Transaction) and "generated" not in e.tags]
    assert len(hand) == 3000
    figures = [e for e in hand if "period-start" in e.meta]
    # 1900: 12 payments; 365 days x 3 bases less OpenAI revenue in Mar, Jun, Sep, Dec (31+30+30+31 = 122 days)
    # = 973 base items; then one a day of each of 4 more metrics = 1460: 12 + 973 + 1460 = 2445 figures
    assert len(figures) == 2445
    assert sum(e.meta["metric"] in synthetic._MORE_METRICS for e in figures) == 4 * 365
    # the other 3000 - 2445 = 555 are line items on the bases, read by the shares plugin, no figures
    items = [e for e in hand if "period-start" not in e.meta]
    assert len(items) == 555 and all("metric" not in e.meta for e in items)
    assert all(e.date.year == 1900 for e in hand)
    payments = [e for e in hand if e.meta.get("metric") == "revenue-share"]
    assert [sorted(e.tags) for e in payments] == [["leaked"]] * 6 + [["assumed"]] * 6


BENCH = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "bench").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", BENCH)
def test_every_benchmark_script_imports(name):
    """A benchmark is run by hand, rarely: one whose imports broke (bench_publish read a name bench.common took
    over) would fail only when someone needs its figures. Importing each one runs no benchmark."""
    module = importlib.import_module(f"bench.{name}")
    assert module.__doc__, f"bench/{name}.py says what it measures"
