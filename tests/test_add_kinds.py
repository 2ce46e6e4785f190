"""Kinds decide posting, and a scenario's figures go into the scenario.

A reported or claimed figure for a metric the leak already covers would
count twice if it posted: `add revenue 3.7B --period 2024 --kind reported`
used to replace 2024's implied revenue. It is written as the non-posting
`custom "figure"` record reported.beancount keeps, and `add` says so. With
`--ledger` naming a scenario book, the figure is written into that book's
own file, not into the base books every other book shares.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data
from conftest import snapshot
from corpus.checks import bean_check
from leakledger.cli.app import app
from ledgers import implied
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figures import figures_of

runner = CliRunner()
SOURCE = "Kinds test"
D = Decimal


def add(ledger, *args, source: str = SOURCE):
    return runner.invoke(app, ["add", *args, "--source", source, "--ledger", str(ledger)])


def changed(before: dict[str, bytes], folder) -> set[str]:
    after = snapshot(folder)
    return {name for name in after if after.get(name) != before.get(name)}


def test_the_reported_2024_revenue_is_already_a_record(ledger_copy):
    """The issue's command: the books hold that very figure as a record (docs/sources.md: about 3.7B, 2024)."""
    before = snapshot(ledger_copy.parent)
    result = add(
        ledger_copy,
        "revenue",
        "3.7B",
        "--period",
        "2024",
        "--kind",
        "reported",
        source="New York Times / CNBC, 2024-09-27",
    )
    assert result.exit_code != 0
    assert result.stderr.startswith(
        "error: duplicate: revenue over 2024 (3,700,000,000.00 USD) is already recorded at "
        f"{ledger_copy.parent / 'reported.beancount'}:"
    )
    assert snapshot(ledger_copy.parent) == before


def test_a_claimed_revenue_the_leak_covers_is_a_record_and_the_audited_revenue_stays(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    result = add(ledger_copy, "revenue", "3.6B", "--period", "2024", "--kind", "claimed")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        '2024-12-31 custom "figure" "revenue" 3600000000.00 USD',
        "  period-start: 2024-01-01",
        '  kind: "claimed"',
        f"  known-since: {datetime.date.today()}",  # add's default: known from the day it is recorded
        f'  source: "{SOURCE}"',
        # "3.6B" is written to the 100M: it stands for 3,550,000,000..3,650,000,000.
        "  low: 3550000000.00 USD",
        "  high: 3650000000.00 USD",
        "; a claimed figure for revenue, which the leaked revenue over 2024 already covers: kept as a "
        "non-posting record (it would count twice), set beside the leak by `leakledger reconcile`",
    ]
    assert result.stderr == f"recorded in {folder / 'reported.beancount'}\n"
    assert changed(before, folder) == {"reported.beancount"}
    entries, errors, _ = load_books(ledger_copy)
    assert errors == [] and bean_check(ledger_copy) == ""
    # The audited 3,700,000,000 (the second leak) still posts alone: nothing implied, nothing added.
    assert sum(v for k, v in implied(entries).items() if k.startswith("2024")) == 0
    revenue = [f for f in figures_of(entries) if f.metric == "revenue" and f.posting and f.period.label == "2024"]
    assert [f.amount for f in revenue] == [D("3700000000")]
    # The same figure again is a duplicate of the record.
    again = add(ledger_copy, "revenue", "3.6B", "--period", "2024", "--kind", "claimed")
    assert again.exit_code != 0 and "duplicate: revenue over 2024" in again.stderr


def test_a_reported_figure_overlapping_a_leaked_one_is_a_record_not_a_refusal(ledger_copy):
    """Reported inference over 2024 beside the leaked 3,767,100,000 (docs/sources.md): kept for reconcile."""
    folder = ledger_copy.parent
    before = snapshot(folder)
    result = add(ledger_copy, "inference", "3.8B", "--period", "2024", "--kind", "reported")
    assert result.exit_code == 0, result.stderr
    assert "kept as a non-posting record" in result.stdout
    assert changed(before, folder) == {"reported.beancount"}
    assert bean_check(ledger_copy) == ""


def test_a_reported_figure_no_leak_covers_still_posts(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    result = add(ledger_copy, "training", "5M", "--period", "2024", "--kind", "reported")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith('2024-12-31 * "OpenAI training compute on Azure') and "record" not in result.stdout
    assert changed(before, folder) == {"2024.beancount"}


def test_a_record_cannot_be_cumulative_or_supersede(ledger_copy):
    before = snapshot(ledger_copy.parent)
    result = add(ledger_copy, "revenue", "3.6B", "--period", "2024", "--kind", "claimed", "--supersede")
    assert result.exit_code != 0 and "--cumulative and --supersede do not apply" in result.stderr
    assert snapshot(ledger_copy.parent) == before


def test_a_scenario_books_figure_goes_into_the_scenario(ledger_copy):
    folder = ledger_copy.parent
    scenario = folder / "scenarios" / "azure-openai-growth.beancount"
    before = snapshot(folder)
    result = add(scenario, "training", "5M", "--period", "2025-Q4")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"recorded in {scenario}\n"
    assert changed(before, folder) == {"scenarios/azure-openai-growth.beancount"}

    def training(ledger):
        entries, errors, _ = load_books(ledger)
        assert errors == []
        return [e for e in entries if isinstance(e, data.Transaction) and e.meta.get("metric") == "training"]

    assert [e.meta["source"] for e in training(scenario)] == [SOURCE]
    assert training(ledger_copy) == []  # the base books do not see it
