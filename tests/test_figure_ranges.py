"""A figure may be a range: `add` and sheets write `low:`/`high:` and say which point they post.

Each write goes to a copy of the shipped books (conftest ledger_copy) and is read back
through real Beancount; the sheet goes through the real beangulp importer's reader.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import snapshot
from leakledger.cli.app import app
from leakledger.importers.leaksheet import read_sheet
from typer.testing import CliRunner

from leakledger.amounts import AmountError, parse_figure_amount
from leakledger.books import load_books
from leakledger.figures import figures_of

D = Decimal
runner = CliRunner()
SOURCE = "Analyst's assumption"


def add(ledger, *args):
    return runner.invoke(app, ["add", *args, "--source", SOURCE, "--ledger", str(ledger)])


def figure(ledger, metric, year):
    entries, errors, _ = load_books(ledger)
    assert not errors, errors
    (fig,) = [f for f in figures_of(entries) if f.metric == metric and f.period.start.year == year]
    return fig


@pytest.mark.parametrize(
    "text, amount, low, high, posted_as",
    [
        # (0.5B + 1.5B) / 2 = 1B posted, both ends kept.
        ("0.5B..1.5B", "1000000000", "500000000", "1500000000", "midpoint"),
        ("0.5B–1.5B", "1000000000", "500000000", "1500000000", "midpoint"),
        # A bare low end takes the high end's scale: 0.5..1.5B is 0.5B..1.5B.
        ("0.5..1.5B", "1000000000", "500000000", "1500000000", "midpoint"),
        # A range may start at nothing: (0 + 0.5B) / 2 = 0.25B.
        ("0..0.5B", "250000000", "0", "500000000", "midpoint"),
        ("at least 3.5B", "3500000000", "3500000000", None, "low"),
        ("3.5B..", "3500000000", "3500000000", None, "low"),
        ("at most 2B", "2000000000", None, "2000000000", "high"),
        # ~3.8B is stated to the 0.1B: 3.8B ± 0.05B.
        ("~3.8B", "3800000000", "3750000000", "3850000000", "midpoint"),
        # One number as before: its written precision, no posted-as.
        ("3.7B", "3700000000", "3650000000", "3750000000", None),
        ("13,070,000,000", "13070000000", None, None, None),
    ],
)
def test_what_an_amount_cell_stands_for(text, amount, low, high, posted_as):
    got = parse_figure_amount(text)
    assert got.amount == D(amount)
    assert got.low == (None if low is None else D(low))
    assert got.high == (None if high is None else D(high))
    assert got.posted_as == posted_as


@pytest.mark.parametrize("text", ["1.5B..0.5B", "..", "0..0", "~3800000000", "1.5B..x"])
def test_a_reversed_empty_or_unreadable_range_is_one_line(text):
    with pytest.raises(AmountError) as caught:
        parse_figure_amount(text)
    assert "\n" not in str(caught.value)


def test_add_a_range_writes_both_ends_and_posts_the_midpoint(ledger_copy):
    result = add(ledger_copy, "azure-openai-revenue", "0.5B..1.5B", "--period", "2023")
    assert result.exit_code == 0, result.output
    fig = figure(ledger_copy, "azure-openai-revenue", 2023)
    assert (fig.low, fig.amount, fig.high) == (D("500000000"), D("1000000000"), D("1500000000"))
    assert fig.entry.meta["posted-as"] == "midpoint"
    assert fig.interval is not None and fig.interval.contains(D("1499999999.99"))


def test_add_at_least_leaves_the_top_open(ledger_copy):
    result = add(ledger_copy, "bing-revenue", "at least 3.5B", "--period", "2023")
    assert result.exit_code == 0, result.output
    fig = figure(ledger_copy, "bing-revenue", 2023)
    assert (fig.low, fig.amount, fig.high) == (D("3500000000"), D("3500000000"), None)
    assert "high" not in fig.entry.meta and fig.entry.meta["posted-as"] == "low"


def test_a_reversed_range_exits_2_in_one_line_and_writes_nothing(ledger_copy):
    before = snapshot(ledger_copy.parent)
    result = add(ledger_copy, "azure-openai-revenue", "1.5B..0.5B", "--period", "2023")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "reversed" in result.output
    assert snapshot(ledger_copy.parent) == before


def test_a_sheet_takes_low_and_high_columns(tmp_path, ledger_copy):
    sheet = tmp_path / "ranges.csv"
    sheet.write_text(
        "metric,period,amount,source,low,high\n"
        f"azure-openai-revenue,2023,,{SOURCE},0.5B,1.5B\n"
        f"bing-revenue,2023,,{SOURCE},0,\n"
        f"bing-revenue,2022,,{SOURCE},0.2B,\n"
    )
    got = [r.amount for r in read_sheet(sheet)]
    # An empty end is open: 0.. alone says nothing (at least zero), 0.2B.. is at least 0.2B.
    assert got == ["0.5B..1.5B", "0..", "0.2B.."]
    bad = tmp_path / "both.csv"
    bad.write_text(f"metric,period,amount,source,low,high\nbing-revenue,2023,1B,{SOURCE},0.5B,1.5B\n")
    with pytest.raises(Exception, match="not both"):
        read_sheet(bad)
    result = runner.invoke(app, ["import", str(sheet), "--ledger", str(ledger_copy)])
    # The second row, "at least zero", is refused in one line naming its row; nothing is written.
    assert result.exit_code == 2 and "ranges.csv:3" in result.output, result.output
