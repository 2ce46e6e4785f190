"""`leakledger reconcile` and `reports.reconcile_table`: the sources side by side.

Every expected figure is docs/sources.md arithmetic.
"""

from __future__ import annotations

import io
import json
import math
from decimal import Decimal

import pandas as pd
import pytest
from typer.testing import CliRunner

from leakledger.cli.app import app
from leakledger.reports import RECONCILE_COLUMNS, reconcile_table

from conftest import LEDGER_DIR

D = Decimal
RATE = D("0.20")  # both directions of the share (TechCrunch)
NET_2024, NET_H1, NET_JAN_SEP = D("493800000"), D("454700000"), D("865800000")
REPORTED_2024, REPORTED_H1 = D("3700000000"), D("4300000000")
INF_H1, COST_OF_REVENUE_H1 = D("5022000000"), D("2500000000")
CLAIMED_RUN_RATE = D("20000000000")
SCENARIO = LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"

runner = CliRunner()


@pytest.fixture(scope="module")
def table(books):
    entries, _, options = books
    return reconcile_table(entries, options)


def row(table, metric, period) -> dict:
    found = table[(table["metric"] == metric) & (table["period"] == period)]
    assert len(found) == 1, (metric, period)
    return found.iloc[0].to_dict()


def test_columns_are_stable(table):
    assert list(table.columns) == list(RECONCILE_COLUMNS)


def test_2024_revenue_and_the_microsoft_base_that_reconciles_it(table):
    r = row(table, "revenue", "2024")
    assert r["reported"] == float(REPORTED_2024)
    assert r["implied"] == float(NET_2024 / RATE) == 2_469_000_000
    assert r["implied_bound"] == "lower"
    assert r["gap"] == float(REPORTED_2024 - NET_2024 / RATE)
    # (0.20 x 3.7B - 493.8M) / 0.20 = 1,231,000,000
    assert r["reconciling_base"] == float((RATE * REPORTED_2024 - NET_2024) / RATE) == 1_231_000_000
    assert "1,231,000,000" in r["implies"]
    assert "New York Times" in r["sources"]


def test_2025_h1_revenue(table):
    r = row(table, "revenue", "2025-H1")
    assert r["implied"] == float(NET_H1 / RATE)  # 2,273,500,000
    # (0.20 x 4.3B - 454.7M) / 0.20 = 2,026,500,000
    assert r["reconciling_base"] == float((RATE * REPORTED_H1 - NET_H1) / RATE) == 2_026_500_000


def test_the_year_to_date_figure_is_reconciled_whole(table):
    assert row(table, "revenue-share", "2025-01..2025-09")["leaked"] == float(NET_JAN_SEP)
    # docs/sources.md: 2025 Jan-Sep implied revenue >= 4.329B = 865.8M / 0.20.
    r = row(table, "revenue", "2025-01..2025-09")
    assert r["implied"] == float(NET_JAN_SEP / RATE) == 4_329_000_000
    assert math.isnan(r["reported"])


def test_claimed_run_rate_against_the_latest_implied_revenue_annualized(table):
    r = row(table, "revenue-run-rate", "2025-12")
    q3 = (NET_JAN_SEP - NET_H1) / RATE  # 2025-Q3: 411.1M / 0.20 = 2,055,500,000
    assert r["claimed"] == float(CLAIMED_RUN_RATE)
    assert r["implied"] == float(q3 * 4) == 8_222_000_000
    assert r["gap"] == float(CLAIMED_RUN_RATE - q3 * 4)
    assert "2025-Q3" in r["implies"] and "Sam Altman" in r["sources"]


def test_leaked_inference_against_the_reported_cost_of_revenue(table):
    r = row(table, "inference", "2025-H1")
    assert r["leaked"] == float(INF_H1)
    assert r["reported"] == float(COST_OF_REVENUE_H1)
    assert r["gap"] == float(COST_OF_REVENUE_H1 - INF_H1)
    assert "cost of revenue" in r["implies"]
    assert f"{INF_H1 / COST_OF_REVENUE_H1:.2f}x" in r["implies"]  # leaked is 2.01x reported
    assert f"{INF_H1 / (NET_H1 / RATE):.2f}x the revenue implied" in r["implies"]


def test_a_fraction_is_a_ratio_not_dollars(table):
    r = row(table, "microsoft-stake", "2025-10-28")
    assert r["unit"] == "ratio" and r["disclosed"] == 0.27


def test_the_scenario_records_part_of_the_reconciling_base():
    from leakledger.reports import load_reconcile_table

    r = row(load_reconcile_table(SCENARIO), "revenue", "2024")
    # (493.8M + 0.20 x 1,000,000,000) / 0.20 = 3,469,000,000; not a lower bound any more.
    assert r["implied"] == float((NET_2024 + RATE * D("1000000000")) / RATE)
    assert r["implied_bound"] is None
    assert r["reconciling_base"] == 1_231_000_000
    assert "the books record 1,000,000,000" in r["implies"]


def test_csv_and_json_parse_back_to_the_same_numbers(table):
    numbers = ["leaked", "disclosed", "reported", "claimed", "assumed", "implied", "gap", "reconciling_base"]
    csv_out = runner.invoke(app, ["reconcile", "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    parsed = pd.read_csv(io.StringIO(csv_out.output))
    assert list(parsed.columns) == list(RECONCILE_COLUMNS)
    for column in numbers:
        pd.testing.assert_series_equal(parsed[column], table[column], check_names=False)
    json_out = runner.invoke(app, ["reconcile", "--format", "json"])
    records = json.loads(json_out.output)
    assert [r["metric"] for r in records] == list(table["metric"])
    for record, (_, expected) in zip(records, table.iterrows()):
        for column in numbers:
            assert record[column] == (None if math.isnan(expected[column]) else expected[column])


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_human_formats(fmt):
    result = runner.invoke(app, ["reconcile", "--format", fmt], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "1,231,000,000" in result.output and "≥ 8,222,000,000" in result.output


def test_a_superseded_figure_is_left_out():
    from conftest import load_ledger
    from ledgers import PAYMENT_ACCOUNTS, rule, year_payment

    entries, errors, options = load_ledger(PAYMENT_ACCOUNTS + rule() + year_payment(2024, "493800000.00") + """
2024-12-31 custom "figure" "revenue" 3000000000.00 USD
  period-start: 2024-01-01
  kind: "reported"
  source: "an older estimate"
  status: "superseded"

2024-12-31 custom "figure" "revenue" 3700000000.00 USD
  period-start: 2024-01-01
  kind: "reported"
  source: "New York Times / CNBC, 2024-09-27"
""")
    assert errors == []
    r = row(reconcile_table(entries, options), "revenue", "2024")
    assert r["reported"] == float(REPORTED_2024)
    assert "older" not in r["sources"] and "also reported" not in r["implies"]
    # No rule gives Microsoft a rate here, so no Microsoft base can reconcile anything.
    assert math.isnan(r["reconciling_base"])
