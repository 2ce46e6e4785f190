"""`leakledger report` and `reports.period_table`: every figure from docs/sources.md arithmetic.

The period table is computed once (leakledger.reports); the CLI only writes
it out, so the formats are checked to carry exactly the frame's numbers.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from decimal import ROUND_CEILING, Decimal

import pandas as pd
import pytest
from conftest import MAIN, first_leak_books, load_ledger
from leakledger.cli.app import app
from ledgers import PAYMENT_ACCOUNTS, payment, rule, year_payment
from typer.testing import CliRunner

from leakledger.reports import PERIOD_COLUMNS, TOTAL_ROW, period_table

D = Decimal
RATE = D("0.20")
# docs/sources.md, the leak. Jul-Sep 2025 = the Jan-Sep figure less 2025-H1.
NET_2024, NET_H1, NET_JAN_SEP = D("493800000"), D("454700000"), D("865800000")
INF_2024, INF_H1, INF_JAN_SEP = D("3767100000"), D("5022000000"), D("8670000000")
NET_Q3, INF_Q3 = NET_JAN_SEP - NET_H1, INF_JAN_SEP - INF_H1
# docs/sources.md, the leak quarter by quarter (net payment, inference): the books post these.
QUARTERS = {
    "2024-Q1": (D("77300000"), D("546800000")),
    "2024-Q2": (D("109500000"), D("748300000")),
    "2024-Q3": (D("139200000"), D("1005000000")),
    "2024-Q4": (D("167800000"), D("1467000000")),
    "2025-Q1": (D("206400000"), D("2075000000")),
    "2025-Q2": (D("248300000"), D("2947000000")),
    "2025-Q3": (NET_Q3, INF_Q3),
}

runner = CliRunner()


def invoke(*args, ok=True):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    if ok:
        assert result.exit_code == 0, result.output
    return result


def by_period(frame) -> dict:
    return {row["period"]: row for row in frame.to_dict(orient="records")}


def expected_rows(by: str) -> dict:
    """(net payment, inference) per row label; implied revenue is net / 0.20 (no Microsoft base)."""
    total = {TOTAL_ROW: (NET_2024 + NET_JAN_SEP, INF_2024 + INF_JAN_SEP)}
    if by == "year":
        return {"2024": (NET_2024, INF_2024), "2025": (NET_JAN_SEP, INF_JAN_SEP), **total}
    if by == "quarter":
        return {**QUARTERS, **total}

    def half(*quarters):
        return tuple(sum(QUARTERS[q][i] for q in quarters) for i in (0, 1))

    # 2024-H1: 77.3M + 109.5M = 186.8M net; 546.8M + 748.3M = 1,295.1M inference
    return {
        "2024-H1": half("2024-Q1", "2024-Q2"),
        "2024-H2": half("2024-Q3", "2024-Q4"),
        "2025-H1": (NET_H1, INF_H1),
        "2025-H2": (NET_Q3, INF_Q3),
        **total,
    }


@pytest.mark.parametrize("by", ["year", "half", "quarter"])
def test_every_figure_of_the_first_leaks_books(first_leak, by):
    # The books as the first leak left them (conftest.first_leak): what the payments alone imply.
    entries, _, options = first_leak
    frame = period_table(entries, options, by=by)
    # the columns every table has, and the ends of what is a bound: each ratio is over a lower-bound revenue, so
    # at most; OpenAI's 20% of it is at least (its low end, no high), which CSV and JSON must not read as exact
    bound_ends = [f"{c}_{end}" for c in ("openai_share", "inference_to_revenue") for end in ("low", "high", "bound")]
    assert [c for c in frame.columns if c not in bound_ends] == list(PERIOD_COLUMNS)
    assert list(frame["inference_to_revenue_high"]) == list(frame["inference_to_revenue"])
    assert list(frame["openai_share_low"]) == list(frame["openai_share"])
    assert all(high is None for high in frame["openai_share_high"])
    # and each says which end it is, as the text's "≥" and "≤" do
    assert set(frame["openai_share_bound"]) == {"lower"} and set(frame["inference_to_revenue_bound"]) == {"upper"}
    rows = by_period(frame)
    assert list(rows) == list(expected_rows(by))
    for label, (net, spend) in expected_rows(by).items():
        row = rows[label]
        revenue = net / RATE  # 2024: 493.8M / 0.20 = 2,469,000,000
        assert row["net_payment"] == net
        # OpenAI's gross 20% of the implied revenue is the net payment again.
        assert row["openai_share"] == revenue * RATE == net
        assert row["microsoft_share"] is None  # no Microsoft base recorded: unknown, not zero
        assert row["implied_revenue"] == revenue
        assert row["revenue_bound"] == "lower"
        assert row["inference"] == spend
        # Rounded once, to the cent of a ratio: 2024 is 3,767,100,000 / 2,469,000,000 = 1.5257... -> 1.53.
        # an upper bound (the revenue is a lower one), rounded up to stay one
        assert row["inference_to_revenue"] == (spend / revenue).quantize(D("0.01"), ROUND_CEILING)
        assert row["inference_to_revenue"] > 1  # docs/sources.md: inference exceeds implied revenue
        for column in ("net_payment", "openai_share", "implied_revenue", "inference"):
            assert isinstance(row[column], Decimal) and row[column].as_tuple().exponent == -2, column
    if by == "year":
        assert rows["2024"]["implied_revenue"] == 2_469_000_000
    if by == "quarter":  # 77,300,000 / 0.20 and 411,100,000 / 0.20
        assert rows["2024-Q1"]["implied_revenue"] == 386_500_000 and rows["2025-Q3"]["implied_revenue"] == 2_055_500_000


def test_the_2025_year_row_says_it_covers_january_to_september(first_leak):
    entries, _, options = first_leak
    rows = by_period(period_table(entries, options, by="year"))
    assert rows["2025"]["covered"] == "2025-01..2025-09"
    assert rows["2024"]["covered"] == "2024"
    # 2025: (454.7M + 411.1M) / 0.20 = 4,329,000,000, docs/sources.md's Jan-Sep lower bound.
    assert rows["2025"]["implied_revenue"] == NET_JAN_SEP / RATE == 4_329_000_000


def test_a_yearly_figure_is_not_split_into_quarters():
    # 2023 is recorded as one yearly figure: by quarter it is one row, labelled as the year.
    entries, errors, options = load_ledger(PAYMENT_ACCOUNTS + rule() + year_payment(2023, "100.00"))
    assert errors == []
    rows = by_period(period_table(entries, options, by="quarter"))
    assert "2023-Q1" not in rows and rows["2023"]["net_payment"] == Decimal("100.00")


GAP_LEDGER = PAYMENT_ACCOUNTS + rule() + year_payment(2023, "100.00") + year_payment(2025, "300.00")


def test_a_period_no_figure_covers_is_empty_not_zero():
    entries, errors, options = load_ledger(GAP_LEDGER)
    assert errors == []
    rows = by_period(period_table(entries, options, by="year"))
    assert list(rows) == ["2023", "2024", "2025", TOTAL_ROW]
    gap = rows["2024"]
    assert gap["covered"] is None
    for column in (
        "net_payment",
        "openai_share",
        "microsoft_share",
        "implied_revenue",
        "inference",
        "inference_to_revenue",
    ):
        assert gap[column] is None, column
    assert rows[TOTAL_ROW]["net_payment"] == D("400.00")
    assert rows[TOTAL_ROW]["implied_revenue"] == (D(100) + D(300)) / RATE
    assert rows[TOTAL_ROW]["inference"] is None  # no inference anywhere: empty, not 0


def test_csv_carries_exact_cents_and_parses_back_to_the_same_numbers(first_leak, first_leak_main):
    entries, _, options = first_leak
    frame = period_table(entries, options, by="half")
    text = invoke("report", "--by", "half", "--format", "csv", "--ledger", str(first_leak_main)).output
    # 2024-H1: 77.3M + 109.5M = 186,800,000 net, implied / 0.20 = 934,000,000, ratio 1,295,100,000 / that = 1.39;
    # no Microsoft share, so nothing partial about it, and no revenue recorded (empty cells), so the ratio is
    # over implied revenue
    assert (
        "2024-H1,2024-01-01,2024-06-30,2024-H1,186800000.00,186800000.00,186800000.00,,lower,,934000000.00,lower,"
        '1295100000.00,1.39,,1.39,upper,,2024-H1,2024-H1,,2024-H1,2024-H1,,,,implied,"no Microsoft base in force has a '
        "figure" in text  # OpenAI's 20% at least 186.8M (its low end, no high, bound "lower": not exact); the ratio at
        # most 1.39 (no low end, its high 1.39, bound "upper": over a lower-bound revenue, an upper bound); no reason
        # for a blank ratio; each money cell's span; and why Microsoft's 20% is blank (the cell before the kinds of
        # a recorded revenue, of which there is none)
    )
    assert "e+" not in text and ".0," not in text
    parsed = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    bound_ends = [f"{c}_{end}" for c in ("openai_share", "inference_to_revenue") for end in ("low", "high", "bound")]
    assert [c for c in parsed.columns if c not in bound_ends] == list(PERIOD_COLUMNS)
    # every ratio of the first leak is over implied revenue, a lower bound: at most its value, with no low end
    assert list(parsed["inference_to_revenue_high"]) == list(parsed["inference_to_revenue"])
    assert set(parsed["inference_to_revenue_low"]) == {""}
    for column in (
        "net_payment",
        "openai_share",
        "microsoft_share",
        "implied_revenue",
        "inference",
        "inference_to_revenue",
    ):
        assert [D(v) if v else None for v in parsed[column]] == list(frame[column]), column
    assert list(parsed["period"]) == list(frame["period"])
    assert list(parsed["start"]) == [d.isoformat() for d in frame["start"]]


def test_json_carries_exact_decimal_text(first_leak, first_leak_main):
    entries, _, options = first_leak
    frame = period_table(entries, options, by="quarter")
    records = json.loads(
        invoke("report", "--by", "quarter", "--format", "json", "--ledger", str(first_leak_main)).output
    )
    assert len(records) == len(frame)
    # 2024-Q1: 77,300,000 net; 546,800,000 / ≥ 386,500,000 = 1.4147... at most, rounded up to stay a bound: ≤ 1.42
    assert records[0]["net_payment"] == "77300000.00" and records[0]["inference_to_revenue"] == "1.42"
    assert (records[0]["inference_to_revenue_low"], records[0]["inference_to_revenue_high"]) == (None, "1.42")
    for record, (_, row) in zip(records, frame.iterrows()):
        assert record["microsoft_share"] is None
        # blank, and why: the payment implies OpenAI's revenue as if Microsoft's share were 0 (no base has a figure)
        assert record["microsoft_share_blank"].startswith("no Microsoft base in force has a figure")
        for column in ("net_payment", "openai_share", "implied_revenue", "inference", "inference_to_revenue"):
            assert isinstance(record[column], str) and D(record[column]) == row[column]
        assert record["end"] == row["end"].isoformat()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_human_formats_mark_the_lower_bound(fmt, first_leak_main):
    output = invoke("report", "--format", fmt, "--ledger", str(first_leak_main)).output
    assert "≥ 2,469,000,000" in output  # 493,800,000 / 0.20
    assert "3,767,100,000" in output
    assert "2025-01..2025-09" in output


@pytest.mark.parametrize("by", ["year", "half", "quarter"])
def test_the_shipped_books_solve_2024_and_know_openais_2025_share(books, by):
    # The second leak's audited revenue: OpenAI's 20% is 0.20 x 3,700,000,000 = 740,000,000 and
    # 0.20 x 13,070,000,000 = 2,614,000,000; Microsoft's 2024 20% is 740,000,000 - 493,800,000.
    entries, _, options = books
    rows = by_period(period_table(entries, options, by=by))
    # A year whose revenue is known is one row at every grain: its quarters' revenue is not known.
    assert list(rows) == ["2024", "2025", TOTAL_ROW]
    assert rows["2024"]["openai_share"] == RATE * D("3700000000") == D("740000000")
    assert rows["2024"]["microsoft_share"] == RATE * D("3700000000") - NET_2024 == D("246200000")
    assert rows["2025"]["openai_share"] == RATE * D("13070000000") == D("2614000000")
    assert rows["2025"]["microsoft_share"] is None  # not known: no 2025-Q4 payment, not zero
    # Nothing is implied beside the recorded revenue: no revenue counts twice.
    assert rows["2024"]["implied_revenue"] is None and rows["2025"]["implied_revenue"] is None
    assert rows["2024"]["net_payment"] == NET_2024 and rows["2025"]["net_payment"] == NET_JAN_SEP


@pytest.mark.parametrize("by", ["half", "quarter"])
def test_a_year_row_under_a_finer_grain_says_why_it_is_a_year(books, by):
    """The audited 3.7B (2024) and 13.07B (2025) are yearly: OpenAI's 20% of them (740,000,000, 2,614,000,000),
    Microsoft's solved 2024 share (246,200,000) and its 2025 share not known (no 2025-Q4 payment) are over the
    whole year, so by half or quarter each year is one row, on purpose; a note says so, and CSV/JSON columns."""
    from leakledger.model_view import period_notes

    entries, _, options = books
    frame = period_table(entries, options, by=by)
    rows = by_period(frame)
    for year in ("2024", "2025"):
        assert (rows[year]["merged_from"], rows[year]["merged_by"]) == (
            by,
            "openai_share, microsoft_share, recorded_revenue",
        )
    assert rows[TOTAL_ROW]["merged_by"] is None  # the totals row spans everything by design
    grains = {"half": "halves", "quarter": "quarters"}
    note = (
        f"2024, 2025: whole years, not {grains[by]}, as the books know OpenAI 20%, Microsoft 20%, recorded revenue "
        f"there only for the whole year (a figure is never split into {grains[by]})"
    )
    assert note in period_notes(frame.to_dict(orient="records"))
    # The CLI writes it under the table, and the merge as columns in CSV and JSON
    assert note in " ".join(invoke("report", "--by", by, "--ledger", str(MAIN)).output.split())
    records = json.loads(invoke("report", "--by", by, "--format", "json", "--ledger", str(MAIN)).output)
    assert [(r["period"], r["merged_from"]) for r in records] == [("2024", by), ("2025", by), (TOTAL_ROW, None)]
    csv = pd.read_csv(io.StringIO(invoke("report", "--by", by, "--format", "csv", "--ledger", str(MAIN)).output))
    assert list(csv["merged_by"].fillna("")) == ["openai_share, microsoft_share, recorded_revenue"] * 2 + [""]


def test_a_year_report_has_no_merged_rows(books):
    # By year no figure spans two rows: no merge columns, no note.
    entries, _, options = books
    frame = period_table(entries, options, by="year")
    assert "merged_from" not in frame.columns and "merged_by" not in frame.columns


def test_a_ledger_with_errors_is_refused(tmp_path):
    bad = tmp_path / "bad.beancount"
    bad.write_text('plugin "leakledger.plugins.integrity"\n2024-01-01 open Assets:Elsewhere:Cash USD\n')
    result = invoke("report", "--ledger", str(bad), ok=False)
    assert result.exit_code == 1
    assert result.output.startswith("error:") and "leakledger check" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_refined_total_posts_its_parts_and_its_remainder_once():
    # docs/sources.md: 2024 net 493,800,000, of which 2024-Q1 77,300,000; the rest,
    # 416,500,000, posts as the remainder over April to December.
    entries, errors, options = load_ledger(
        PAYMENT_ACCOUNTS
        + rule()
        + year_payment(2024, "493800000.00")
        + payment("2024-03-31", "2024-01-01", "77300000.00", "revenue-share-2024-q1")
    )
    assert errors == []
    rows = by_period(period_table(entries, options, by="quarter"))
    assert list(rows) == ["2024-Q1", "2024-04..2024-12", TOTAL_ROW]
    assert rows["2024-Q1"]["net_payment"] == D("77300000")
    assert rows["2024-04..2024-12"]["net_payment"] == NET_2024 - D("77300000") == D("416500000")
    assert rows[TOTAL_ROW]["net_payment"] == NET_2024  # counted once, not 493.8M + 77.3M
    assert by_period(period_table(entries, options, by="year"))["2024"]["net_payment"] == NET_2024


# --- what each cell covers ---------------------------------------------------------


def test_after_a_q4_payment_the_2025_row_names_what_its_inference_covers(tmp_path):
    """A 2025-Q4 payment makes the 2025 payment column whole; inference stays Jan-Sep (docs/sources.md).

    On the first leak's books (payments alone), so the payments imply revenue and the ratio has both sides.
    """
    ledger_copy = first_leak_books(tmp_path)
    added = runner.invoke(
        app, ["add", "revenue-share", "300M", "--period", "2025-Q4", "--source", "Test", "--ledger", str(ledger_copy)]
    )
    assert added.exit_code == 0, added.output
    result = runner.invoke(app, ["report", "--by", "year", "--format", "json", "--ledger", str(ledger_copy)])
    assert result.exit_code == 0, result.output
    [row] = [r for r in json.loads(result.stdout) if r["period"] == "2025"]
    assert row["net_payment"] == "1165800000.00"  # 865.8M (Jan-Sep) + 300M (Q4)
    assert row["net_payment_covers"] == "2025"
    assert row["inference"] == "8670000000.00" and row["inference_covers"] == "2025-01..2025-09"
    assert row["inference_to_revenue"] is None
    assert row["ratio_blank"] == "spans differ: inference 2025-01..2025-09, revenue 2025"
    text = runner.invoke(app, ["report", "--format", "markdown", "--ledger", str(ledger_copy)]).stdout
    [line] = [line for line in text.splitlines() if line.startswith("| 2025 |")]
    assert "8,670,000,000 (2025-01..2025-09)" in line and "spans differ" in line


def test_a_cell_over_part_of_its_period_is_marked_and_a_whole_one_is_not():
    # Shipped books: 2025's figures run Jan-Sep (the covers column), 2024's the whole year.
    lines = invoke("report", "--format", "markdown").stdout.splitlines()
    [y2024] = [line for line in lines if line.startswith("| 2024 |")]
    [y2025] = [line for line in lines if line.startswith("| 2025 |")]
    assert "†" not in y2024
    assert "| 2025-01..2025-09 | 865,800,000 † |" in y2025  # the leak's Jan-Sep payment
    assert any(line.startswith("†:") for line in lines)
    csv = invoke("report", "--format", "csv").stdout
    header, first = csv.splitlines()[:2]
    assert "inference_covers" in header.split(",") and first.startswith("2024,")


def test_a_total_over_a_microsoft_share_not_known_for_2025_has_no_upper_end(books):
    # 2024 is solved: 0.20 x 3.65B..3.75B (the audited "3.7B") - 493,800,000 = 236,200,000..256,200,000. 2025's
    # is not known (no 2025-Q4 payment), not 0: the total over 2024-01..2025-12 is at least 236,200,000 and has
    # no upper end, as `statement` says it ("≥ 236,200,000 †"); it read 236.2M–256.2M (2024), a range.
    entries, _, options = books
    total = by_period(period_table(entries, options))[TOTAL_ROW]
    assert (total["microsoft_share"], total["microsoft_share_low"], total["microsoft_share_high"]) == (
        D("246200000.00"),  # posted: 0.20 x 3.7B - 493.8M, the 2024 share alone
        D("236200000.00"),
        None,
    )
    assert "over 2025 is not known" in total["microsoft_share_blank"]
    [json_total] = [r for r in json.loads(invoke("report", "--format", "json").stdout) if r["period"] == TOTAL_ROW]
    assert (json_total["microsoft_share_low"], json_total["microsoft_share_high"]) == ("236200000.00", None)
    assert json_total["microsoft_share_blank"] == total["microsoft_share_blank"]
    csv = pd.read_csv(io.StringIO(invoke("report", "--format", "csv").stdout), dtype=str, keep_default_na=False)
    [csv_total] = csv[csv["period"] == TOTAL_ROW].to_dict("records")
    assert (csv_total["microsoft_share_low"], csv_total["microsoft_share_high"]) == ("236200000.00", "")
    text = invoke("report", "--format", "markdown").stdout
    [line] = [line for line in text.splitlines() if line.startswith(f"| {TOTAL_ROW} |")]
    assert "| ≥ 236,200,000 |" in line and "256.2M" not in line
    assert "Not known, Microsoft 20%, 2025, total: Microsoft's share to OpenAI over 2025 is not known" in text
    # scenario compare's totals say the same, in each book (the scenario keeps the base's 2024 and 2025)
    compare = invoke("scenario", "compare", "cap-counts-all-payments", "--format", "markdown").stdout
    totals = [line for line in compare.splitlines() if line.startswith(f"| {TOTAL_ROW} |") or line.startswith("|  |")]
    assert sum("| ≥ 236,200,000 |" in line for line in totals) == 2, totals


def test_a_blank_implied_revenue_says_why_in_csv():
    """The shipped books record OpenAI's revenue for 2024 and 2025 (Z2's audited 3.7B and 13.07B): the payments
    then solve Microsoft's share, so no revenue is implied, and each blank cell says so (as ratio_blank does)."""
    rows = list(pd.read_csv(io.StringIO(invoke("report", "--format", "csv").stdout), dtype=str).to_dict("records"))
    assert [row["period"] for row in rows] == ["2024", "2025", TOTAL_ROW]
    for row in rows:
        assert pd.isna(row["implied_revenue"]) and "OpenAI's revenue is recorded for" in row["implied_revenue_blank"]
    assert rows[0]["implied_revenue_blank"] == (
        "OpenAI's revenue is recorded for 2024: the net payments then solve Microsoft's share instead of implying "
        "revenue"
    )
    # openai-revenue-to-2030 assumes revenue from 2026-04; the leak's payments and inference stop at 2025-Q3
    projected = json.loads(invoke("report", "--scenario", "openai-revenue-to-2030", "--format", "json").stdout)
    [row_2027] = [row for row in projected if row["period"] == "2027"]
    assert (row_2027["net_payment"], row_2027["inference"]) == (None, None)
    assert (
        row_2027["net_payment_blank"] == "no net payment figure is recorded for the period: not zero, only unrecorded"
    )
    assert (
        row_2027["inference_blank"] == "no inference spend figure is recorded for the period: not zero, only unrecorded"
    )
    money = ("net_payment", "openai_share", "microsoft_share", "implied_revenue", "inference", "inference_to_revenue")
    why = {"microsoft_share": "microsoft_share_blank", "inference_to_revenue": "ratio_blank"}
    for row in projected:  # every empty money cell says why
        assert all(row[c] is not None or row[why.get(c, f"{c}_blank")] for c in money), row["period"]
    # AMD: Microsoft no longer pays a revenue share to OpenAI from 2026-04-27 (the rules put 0% on both bases):
    # its 20% in 2027-2030 is a known 0, and says so, in the row and under the table ("0 (ended)")
    ended = {row["period"]: (row["microsoft_share"], row["microsoft_share_ended"]) for row in projected}
    for year in ("2027", "2028", "2029", "2030"):
        assert ended[year][0] == "0.00" and "Income:Microsoft:Bing from 2026-04-27" in ended[year][1]
    assert ended["2024"] == ("246200000.00", None)
    text = " ".join(invoke("report", "--scenario", "openai-revenue-to-2030").stdout.split())
    assert "0 (ended)" in text and "(ended): Microsoft's 20% is 0 because it ended (2027, 2028, 2029, 2030:" in text


def test_a_report_with_nothing_known_yet_says_why_and_when_the_first_figure_was():
    """As known on 2025-11-01 the books hold no payment, revenue or inference: the first leak (Z) became public on
    2025-11-12. The table says so under itself; JSON stays an empty list, the reason on stderr."""
    why = "was known by 2025-11-01; the first became known on 2025-11-12"
    assert why in " ".join(invoke("report", "--as-of", "2025-11-01").stdout.split())
    as_json = invoke("report", "--as-of", "2025-11-01", "--format", "json")
    assert (json.loads(as_json.stdout), why in as_json.stderr) == ([], True)


# --- no bare blank cell -------------------------------------------------------------------------------------------

#: The money cells of a period row, each with the column that says why it is null (ratio_blank for the ratio).
MONEY_WHY = {
    "net_payment": "net_payment_blank",
    "openai_share": "openai_share_blank",
    "microsoft_share": "microsoft_share_blank",
    "recorded_revenue": "recorded_revenue_blank",
    "implied_revenue": "implied_revenue_blank",
    "inference": "inference_blank",
    "inference_to_revenue": "ratio_blank",
}
MONEY_HEADERS = (
    "net payment",
    "OpenAI 20%",
    "Microsoft 20%",
    "recorded revenue",
    "implied revenue",
    "inference",
    "inference ÷ revenue",
)


@pytest.fixture(scope="module")
def assumed_2027(tmp_path_factory):
    """A copy of the shipped books with an assumed 1B of Azure OpenAI Service revenue for 2027: the table then runs
    to 2027, and 2026 has no figure at all (nothing records OpenAI's revenue, a payment or inference there)."""
    folder = tmp_path_factory.mktemp("assumed-2027") / "ledger"
    shutil.copytree(MAIN.parent, folder, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    ledger = folder / "main.beancount"
    added = invoke(*"add azure-openai-revenue 1B --period 2027 --kind assumed --source s".split(), "--ledger", ledger)
    assert "^azure-openai-revenue-2027" in added.stdout
    return str(ledger)


@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("report", "--scenario", "openai-revenue-to-2030"),
        ("scenario", "compare", "openai-revenue-to-2030", "azure-openai-growth"),
        ("report", "--ledger", "ASSUMED_2027"),
    ],
    ids=["shipped", "to-2030", "compare", "assumed-2027"],
)
def test_no_money_cell_is_blank_and_every_null_says_why(args, request):
    """No money cell of `report` or `scenario compare` is empty: the text says "not known" (or "not implied" beside
    a recorded revenue, the pages' words, leakledger.blank_cells) and a note under the table says why, once,
    naming the rows; CSV and JSON fill every null money cell's reason column. On the old code the 2026-2030 net
    payment and inference of openai-revenue-to-2030 were empty cells, and an assumed 2027 left 2026's OpenAI 20%,
    Microsoft 20% and recorded revenue empty with no reason in JSON."""
    if "ASSUMED_2027" in args:
        args = tuple(request.getfixturevalue("assumed_2027") if a == "ASSUMED_2027" else a for a in args)
    rows = json.loads(invoke(*args, "--format", "json").stdout)
    for row in rows:
        for column, why in MONEY_WHY.items():
            said = row.get(why)
            assert row[column] is not None or (isinstance(said, str) and said), (row["period"], column)
    if args[0] == "report":  # the CSV's header is the JSON's keys, in the same order, nulls empty alike
        csv = pd.read_csv(io.StringIO(invoke(*args, "--format", "csv").stdout), dtype=str, keep_default_na=False)
        assert list(csv.columns) == list(rows[0]) and "openai_share_blank" in csv.columns
        for record, row in zip(csv.to_dict("records"), rows):
            assert {k: v or None for k, v in record.items()} == row
    text = invoke(*args, "--format", "markdown").stdout
    table = [line for line in text.splitlines() if line.startswith("| ")]
    notes = [line.strip() for line in text.splitlines() if line and not line.startswith(("|", "**"))]
    headers = [cell.strip() for cell in table[0].strip("|").split(" | ")]
    period = None
    for line in table[1:]:
        cells = dict(zip(headers, (cell.strip() for cell in line.strip().strip("|").split(" | "))))
        period = cells["period"] or period  # a comparison names a period on its first row only
        name = f"{period} {cells['book']}" if "book" in cells else period
        for header in MONEY_HEADERS:
            if header not in cells:
                continue
            assert cells[header], (name, header)
            if cells[header] == "not known":  # why: "Not known, <column>, <rows>: <reason>", the row named
                said = [n for n in notes if n.startswith(f"Not known, {header}, ")]
                assert len(said) == 1 and re.search(rf"[ ,]{re.escape(name)}[,:]", said[0]), (name, header, said)
            if cells[header] == "not implied":
                said = [n for n in notes if n.startswith("implied revenue: none where OpenAI's revenue is recorded")]
                assert len(said) == 1 and re.search(rf"[(,] ?{re.escape(name)}[,)]", said[0]), (name, said)
