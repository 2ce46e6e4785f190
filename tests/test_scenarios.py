"""Scenario books: top-level files over the base books, #assumed figures only.

The Azure OpenAI Service scenario follows The Information (2024-06): about
1B a year in mid-2024, about 2B a year later. The figures and what they
imply are checked here by arithmetic, not copied from the file.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from decimal import Decimal

import pandas as pd
import pytest
from beancount.core import data
from conftest import LEDGER_DIR, MAIN
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figures import figures_of, is_generated

D = Decimal
RATE = D("0.20")
SCENARIOS = sorted((LEDGER_DIR / "scenarios").glob("*.beancount"))
AZURE = LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"
NET_2024, NET_H1, NET_JAN_SEP = D("493800000"), D("454700000"), D("865800000")
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
# docs/sources.md, the leak quarter by quarter: the net payments the books post.
NET_BY_QUARTER = dict(
    zip(QUARTERS, map(D, ["77300000", "109500000", "139200000", "167800000", "206400000", "248300000", "411100000"]))
)

runner = CliRunner()


def run_rate(quarter: str) -> Decimal:
    """The straight line through 1B/yr at 2024-06-30 and 2B/yr at 2025-06-30, at the quarter's midpoint.

    Quarters after 2024-06-30 to the midpoint of `quarter`: 2024-Q3 is 0.5.
    """
    quarters_after_mid_2024 = D(QUARTERS.index(quarter)) - 2 + D("0.5")
    return D("1000000000") + (D("2000000000") - D("1000000000")) * quarters_after_mid_2024 / 4


def directives(path, word: str) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.startswith(word + " ")]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_scenario_is_a_top_level_book_over_the_base(path):
    # Only a top-level file's plugins and options count: they repeat main's.
    assert directives(path, "plugin") == directives(MAIN, "plugin")
    same = [line for line in directives(MAIN, "option") if '"title"' not in line]
    assert [line for line in directives(path, "option") if '"title"' not in line] == same
    assert 'include "../books.beancount"' in path.read_text()
    entries, errors, _ = load_books(path)
    assert errors == []
    # The plugins' notes (a share not known, at a revenue the scenario assumes) are not the scenario's own.
    own = [
        e
        for e in entries
        if e.meta.get("filename") == str(path) and not is_generated(e) and "generated" not in getattr(e, "tags", ())
    ]
    # Its own figures, or its own reading of a term (a directive), are assumed, with a source and a reason.
    assert own and all(e.meta.get("source") and e.meta.get("note") for e in own)
    assert all("assumed" in e.tags if isinstance(e, data.Transaction) else e.meta["kind"] == "assumed" for e in own)
    check = subprocess.run(["bean-check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    formatted = subprocess.run(["bean-format", str(path)], capture_output=True, text=True, check=True).stdout
    assert formatted == path.read_text()


@pytest.fixture(scope="module")
def azure(first_leak_main):
    # Over the books as the first leak left them (conftest.first_leak): what the payments imply with the
    # Azure base. Over the shipped books, 2024's audited revenue solves Bing's share instead (test_explain).
    entries, errors, options = load_books(first_leak_main.parent / "scenarios" / AZURE.name)
    assert errors == []
    return entries, options


AZURE_2024 = D("1000000000")  # "about 1B annualized in mid-2024", posted at the midpoint of 0.5B..1.5B
AZURE_2024_RANGE = (D("500000000"), D("1500000000"))
QUARTERS_2025 = QUARTERS[4:]


def test_the_azure_series_is_a_range_in_2024_and_the_run_rate_line_in_2025(azure):
    entries, _ = azure
    figures = {f.period.label: f for f in figures_of(entries) if f.metric == "azure-openai-revenue"}
    assert list(figures) == ["2024", *QUARTERS_2025]
    for fig in figures.values():
        assert fig.kind == "assumed"
        assert fig.source == "The Information (paywalled), 2024-06"
    # 2024: one range, 0.5B..1.5B, posting its midpoint (as `add azure-openai-revenue 0.5B..1.5B` writes it)
    year = figures["2024"]
    assert (year.low, year.high) == AZURE_2024_RANGE and year.amount == AZURE_2024 == sum(AZURE_2024_RANGE) / 2
    assert year.entry.meta["posted-as"] == "midpoint"
    for quarter in QUARTERS_2025:  # 2025-Q1: 1.625B / 4 = 406,250,000
        assert figures[quarter].amount == run_rate(quarter) / 4
        assert figures[quarter].entry.meta["run-rate"].number == run_rate(quarter)
    # The line passes the reported point a year after mid-2024: 2B/yr where 2025-Q2 meets Q3.
    assert (run_rate("2025-Q2") + run_rate("2025-Q3")) / 2 == D("2000000000")


def microsoft_share(quarters) -> Decimal:
    return sum((RATE * run_rate(q) / 4 for q in quarters), D(0))


def expected_implied() -> dict:
    """(net payment + 20% of the period's Azure OpenAI revenue) / 20%, per quarter and per total.

    The 2024 figure is a year: it counts in the payment whose period holds its end, 2024-Q4.
    """
    out = {q: NET_BY_QUARTER[q] / RATE for q in QUARTERS[:3]}  # 2024-Q1: 77.3M / 0.20 = 386,500,000
    out["2024-Q4"] = (NET_BY_QUARTER["2024-Q4"] + RATE * AZURE_2024) / RATE  # (167.8M + 200M) / 0.20
    out.update({q: (NET_BY_QUARTER[q] + microsoft_share([q])) / RATE for q in QUARTERS_2025})
    out["2024"] = (NET_2024 + RATE * AZURE_2024) / RATE  # (493.8M + 200M) / 0.20 = 3,469,000,000
    out["2025-H1"] = (NET_H1 + microsoft_share(QUARTERS[4:6])) / RATE  # (454.7M + 175M) / 0.20 = 3,148,500,000
    return out


def test_the_scenario_implies_more_revenue_and_its_range(azure):
    entries, _ = azure
    implied = {
        e.meta["payment-period"]: e.meta for e in entries if is_generated(e) and e.meta.get("rule") == "implied-revenue"
    }
    assert list(implied) == QUARTERS
    expected = expected_implied()
    for quarter, meta in implied.items():
        assert meta["revenue"].number == expected[quarter]
        # Azure OpenAI Service is recorded, but Bing's 20% is in force with no figure: still "at least".
        assert meta["bound"] == "lower"
    # 2024-Q4 carries Azure's range: Microsoft's 20% of it is at least 0.2 x 0.5B = 100M, so the least revenue
    # is (167.8M + 100M) / 0.20 = 1,339,000,000; Bing's share, unrecorded, leaves both tops open
    assert implied["2024-Q4"]["revenue-low"].number == D("1339000000")
    assert implied["2024-Q4"]["microsoft-share-low"].number == D("100000000")
    assert "microsoft-share-high" not in implied["2024-Q4"] and "revenue-high" not in implied["2024-Q4"]
    # The totals do not move: 2024 adds up to (493.8M + 200M) / 0.20.
    assert sum(implied[q]["revenue"].number for q in QUARTERS[:4]) == expected["2024"] == D("3469000000")
    assert sum(implied[q]["revenue"].number for q in QUARTERS[4:6]) == expected["2025-H1"]


def test_report_scenario_prints_the_same_table_for_the_scenario(first_leak_main):
    args = ["--by", "quarter", "--format", "json", "--ledger", str(first_leak_main)]
    result = runner.invoke(app, ["report", "--scenario", "azure-openai-growth", *args])
    assert result.exit_code == 0, result.output
    rows = {r["period"]: r for r in json.loads(result.output)}
    expected = expected_implied()
    # the yearly Azure figure spans 2024's quarters: they merge into one row
    assert D(rows["2024"]["implied_revenue"]) == expected["2024"]
    for label in QUARTERS_2025:
        assert D(rows[label]["implied_revenue"]) == expected[label]
        assert rows[label]["revenue_bound"] == "lower"  # no Bing revenue recorded
    # 2024: Microsoft's 20% of 0.5B..1.5B is 100M..300M (200M at the midpoint); revenue at least
    # (493.8M + 100M) / 0.20 = 2,969,000,000, open above
    assert D(rows["2024"]["microsoft_share"]) == RATE * AZURE_2024
    assert (D(rows["2024"]["microsoft_share_low"]), D(rows["2024"]["microsoft_share_high"])) == (
        D("100000000"),
        D("300000000"),
    )
    assert D(rows["2024"]["implied_revenue_low"]) == D("2969000000") and rows["2024"]["implied_revenue_high"] is None
    assert D(rows["2025-Q3"]["microsoft_share"]) == microsoft_share(["2025-Q3"])  # 2,125,000,000 / 4 x 0.20
    assert D(rows["total"]["implied_revenue"]) == expected["2024"] + sum(expected[q] for q in QUARTERS_2025)


def test_scenario_compare_sets_each_period_beside_the_base_with_the_implied_ranges(first_leak_main):
    ledger = ["--ledger", str(first_leak_main)]
    result = runner.invoke(
        app, ["scenario", "compare", "azure-openai-growth", "--by", "year", "--format", "csv", *ledger]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output), dtype=str, keep_default_na=False)
    assert list(frame["book"][:2]) == ["base", "azure-openai-growth"]
    pairs = frame.set_index(["period", "book"])
    assert pairs.loc[("2024", "base"), "implied_revenue"] == "2469000000.00"  # 493,800,000 / 0.20, at least
    assert D(pairs.loc[("2024", "azure-openai-growth"), "implied_revenue"]) == expected_implied()["2024"]
    assert pairs.loc[("2024", "azure-openai-growth"), "implied_revenue_low"] == "2969000000.00"
    table = runner.invoke(
        app, ["scenario", "compare", "azure-openai-growth", "--by", "year", *ledger], env={"COLUMNS": "200"}
    )
    # the base's "at least" and the scenario's: (493.8M + 0.2 x 0.5B) / 0.20; Microsoft's 20% a range
    assert table.exit_code == 0 and "≥ 2,469,000,000" in table.output and "≥ 2,969,000,000" in table.output
    assert "100M–300M (partial)" in table.output
    # each kind the table shows is said under it, as `report` says it: what "≥" is, and why the base's
    # Microsoft 20% is not known (no Microsoft base has a figure: the payment implies revenue at least)
    notes = " ".join(table.output[table.output.rindex("┘") :].split())
    assert "≥: a lower bound" in notes
    assert re.search(r"Not known, Microsoft 20%, 2024 base, .*: no Microsoft base in force has a figure", notes)


def test_an_unknown_scenario_is_one_line_of_error():
    result = runner.invoke(app, ["scenario", "compare", "no-such-book"])
    assert result.exit_code == 3
    assert re.fullmatch(
        r"error: no scenario 'no-such-book' in .*/ledger/scenarios; known: .*azure-openai-growth.*",
        result.output.strip(),
    )


def test_scenario_list_names_the_books():
    result = runner.invoke(app, ["scenario", "list"])
    assert result.exit_code == 0 and result.output.split() == [p.stem for p in SCENARIOS]


def test_a_microsoft_share_without_bing_is_partial_not_the_whole_share():
    """azure-openai-growth, shipped books: 2025's Microsoft 20% is Azure OpenAI Service's alone, Bing unknown.

    The scenario's Azure revenue for 2025-Q1..Q3 is 406,250,000 + 468,750,000 + 531,250,000 = 1,406,250,000
    (its header); its 20% is 281,250,000. 2025's payments cover Jan-Sep only, so Bing's share is not solved:
    the cell is partial. 2024's 246,200,000 is solved for both bases (0.20 x 3.7B - 493.8M): whole.
    """
    result = runner.invoke(app, ["report", "--scenario", "azure-openai-growth", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["period"]: r for r in json.loads(result.output)}
    azure_2025 = D("406250000") + D("468750000") + D("531250000")
    assert D(rows["2025"]["microsoft_share"]) == RATE * azure_2025 == D("281250000")
    assert rows["2025"]["microsoft_share_partial"] == "Bing unrecorded"
    assert rows["total"]["microsoft_share_partial"] == "Bing unrecorded"  # 246,200,000 + 281,250,000
    assert D(rows["2024"]["microsoft_share"]) == RATE * D("3700000000") - NET_2024
    assert rows["2024"]["microsoft_share_partial"] is None
    # 2024's whole Microsoft share: Azure's 20% is 100M..300M, the payments leave 0.2 x 3.65B..3.75B − 493.8M
    # = 236.2M..256.2M. The payments fix the whole share (net = OpenAI's 20% − Microsoft's whole 20%), and Azure's
    # part of it only lifts its bottom (the rest, Bing's, is never negative): max(100M, 236.2M)..256.2M. It read
    # 236.2M..300M, Azure's own top, which no payment the books record leaves room for.
    assert (
        (D(rows["2024"]["microsoft_share_low"]), D(rows["2024"]["microsoft_share_high"]))
        == (
            RATE * D("3650000000") - NET_2024,
            RATE * D("3750000000") - NET_2024,
        )
        == (D("236200000"), D("256200000"))
    )

    table = runner.invoke(app, ["report", "--scenario", "azure-openai-growth", "--format", "markdown"])
    [line_2025] = [line for line in table.output.splitlines() if line.startswith("| 2025 |")]
    assert "| 281,250,000 (partial) † |" in line_2025  # † (views): Azure covers Jan-Sep only
    assert "(partial): the Microsoft 20% covers less than its base" in table.output
    assert "2025: Bing unrecorded" in table.output

    base = runner.invoke(app, ["report", "--format", "json"])  # the base books record no Microsoft base
    base_rows = {r["period"]: r for r in json.loads(base.output)}
    assert all(r["microsoft_share_partial"] is None for r in base_rows.values())
    # The audited revenue (docs/sources.md) as recorded, over the whole years: 3.7B + 13.07B = 16.77B.
    assert [base_rows[p]["recorded_revenue"] for p in ("2024", "2025", "total")] == [
        "3700000000.00",
        "13070000000.00",
        "16770000000.00",
    ]
    assert base_rows["2025"]["recorded_revenue_covers"] == "2025" != base_rows["2025"]["covered"]


def test_a_due_the_solved_share_settles_moves_only_where_the_share_is_cut_at_zero():
    """azure-openai-growth, 2024: what Microsoft is owed after every settlement is min(0, x), never above 0.

    x = OpenAI's 20% − the net payments − Microsoft's 20% of Azure OpenAI Service, the share the books solve
    for Bing: 0.2 × 3.7B (3.65B..3.75B) − 493.8M (77.3M + 109.5M + 139.2M + 167.8M) − 0.2 × 1B (0.5B..1.5B)
    = 46.2M, in 730M − 493.8M − 300M = −63.8M .. 750M − 493.8M − 100M = 156.2M. Microsoft's share of Bing is
    max(0, x), so the Due is x − max(0, x): −63.8M..0 (it read −220M..156.2M, each figure's range added as
    if the solved share moved on its own).
    """
    from leakledger.intervals import Interval
    from leakledger.statements import load_statement

    def due(entity: str, account: str):
        statement = load_statement(AZURE, entity)
        return {line.account: line.cells["2024"] for line in statement.balances}[account]

    microsoft = due("Microsoft", "Assets:Microsoft:Due:OpenAI")
    assert (microsoft.amount, microsoft.interval) == (D("0.00"), Interval(D("-63800000.00"), D("0.00")))
    openai = due("OpenAI", "Liabilities:OpenAI:Due:Microsoft")
    assert (openai.amount, openai.interval) == (D("0.00"), Interval(D("0.00"), D("63800000.00")))


def test_the_note_on_an_unrecorded_bing_names_the_base_the_books_solve():
    """azure-openai-growth records Azure OpenAI Service for 2024, so the share the payments solve is Bing's alone:
    0..156.2M (the solved share, −63.8M..156.2M cut at 0) / 0.20 = 0..781,000,000, not both bases together."""
    from leakledger.statements import load_statement

    notes = " ".join(" ".join(load_statement(AZURE, "Microsoft").not_known).split())
    assert "the books solve Income:Microsoft:Bing from the payments: 0..781,000,000" in notes
    assert "together only, 0..781,000,000" not in notes


def test_microsofts_share_after_its_rule_ends_is_a_known_0():
    """openai-revenue-to-2030 projects OpenAI's revenue to 2030; Microsoft's 20% of Bing and Azure OpenAI Service
    ends on 2026-04-27 (the disclosed amendment: rate 0 from then), so from 2027 on it is 0, not a blank."""
    from leakledger.book_index import index_books
    from leakledger.book_model import BookModel
    from leakledger.reports import period_rows

    entries, errors, options = load_books(LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount")
    assert errors == []
    rows = {r["period"]: r for r in period_rows(index_books(entries))}
    assert [rows[year]["microsoft_share"] for year in ("2027", "2028", "2029", "2030")] == [D("0.00")] * 4
    assert rows["2026"]["microsoft_share"] is None  # in force until 2026-04-26, unrecorded: not known
    assert rows["2026"]["microsoft_share_blank"]
    # no figure stands behind that 0: the Leak model page and the site link it to none
    view = {r["period"]: r for r in BookModel(entries, options).view("year").period_rows}
    assert "microsoft_share" not in view["2027"]["cell_sources"] and "openai_share" in view["2027"]["cell_sources"]
