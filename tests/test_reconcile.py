"""`leakledger reconcile` and `reports.reconcile_table`: the sources side by side.

Every expected figure is docs/sources.md arithmetic.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pandas as pd
import pytest
from conftest import LEDGER_DIR, load_ledger
from leakledger.cli.app import app
from ledgers import OPENS, RULES, inference, payment
from typer.testing import CliRunner

from leakledger.reconciliation import BESIDE
from leakledger.reports import RECONCILE_COLUMNS, reconcile_table

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


@pytest.fixture(scope="module")
def first_table(first_leak):
    """The reconciliation of the books as the first leak left them: payments, no recorded revenue."""
    entries, _, options = first_leak
    return reconcile_table(entries, options)


def row(table, metric, period) -> dict:
    found = table[(table["metric"] == metric) & (table["period"] == period)]
    assert len(found) == 1, (metric, period)
    return found.iloc[0].to_dict()


def test_columns_are_stable(table):
    # RECONCILE_COLUMNS, with <column>_low/_high beside each column some row holds a range in, and the facts
    # a row's note states beside the column they are of (BESIDE: _metric, _expected, _solved, and why a gap or
    # a base is blank: _blank).
    assert [c for c in table.columns if not c.endswith(BESIDE)] == list(RECONCILE_COLUMNS)
    assert [c for c in table.columns if c.endswith(BESIDE[2:])] == [
        "reported_metric",
        "reported_expected",
        "gap_blank",
        "reconciling_base_solved",
        "reconciling_base_blank",
    ]
    for column in ("reported_metric", "reported_expected"):  # beside the figure they are of, after its range
        assert list(table.columns).index(column) < list(table.columns).index("claimed")
    for column in (c for c in table.columns if c.endswith("_low")):
        at = list(table.columns).index(column)
        assert table.columns[at - 1] == column[: -len("_low")] and table.columns[at + 1] == column[:-4] + "_high"


def test_stated_precision_and_the_solved_base_are_ranges(table):
    # 2024: leaked 3.7B as stated is 3.65B..3.75B; the NYT's "about 3.7B" is 3.65B..3.75B too, so the gap is
    # [3.65B, 3.75B] − [3.65B, 3.75B] = [3.65B − 3.75B, 3.75B − 3.65B] = [−100M, 100M]; the base solved is
    # (0.2·R − 493.8M)/0.2 over R in 3.65B..3.75B = 1,181,000,000..1,281,000,000.
    r = row(table, "revenue", "2024")
    assert (r["leaked_low"], r["leaked_high"]) == (D("3650000000.00"), D("3750000000.00"))
    assert (r["reported_low"], r["reported_high"]) == (D("3650000000.00"), D("3750000000.00"))
    assert (r["gap_low"], r["gap_high"]) == (D("-100000000.00"), D("100000000.00"))
    assert (r["reconciling_base_low"], r["reconciling_base_high"]) == (D("1181000000.00"), D("1281000000.00"))
    text = runner.invoke(app, ["reconcile"]).output
    assert "3.65B–3.75B" in text and "1.181B–1.281B" in text and "-100M to 100M" in text


def test_2024_revenue_and_the_microsoft_base_that_reconciles_it(first_table):
    r = row(first_table, "revenue", "2024")
    assert r["reported"] == REPORTED_2024
    assert r["implied"] == NET_2024 / RATE == 2_469_000_000
    assert r["implied_bound"] == "lower"
    assert r["gap"] == REPORTED_2024 - NET_2024 / RATE
    # (0.20 x 3.7B - 493.8M) / 0.20 = 1,231,000,000
    assert r["reconciling_base"] == (RATE * REPORTED_2024 - NET_2024) / RATE == 1_231_000_000
    assert "1,231,000,000" in r["implies"]
    assert "New York Times" in r["sources"]


def test_2024_microsoft_base_is_solved_from_the_audited_revenue(table):
    # Z2: audited 2024 revenue 3,700,000,000 (stated as 3.7B); NYT reported ~3.7B beside it.
    r = row(table, "revenue", "2024")
    assert r["leaked"] == REPORTED_2024 and r["reported"] == REPORTED_2024 and r["gap"] == 0
    assert r["implied"] is None and r["implied_bound"] is None  # recorded: nothing implied, no bound
    # Solved, not estimated: (0.20 x 3,700,000,000 - 493,800,000) / 0.20 = 1,231,000,000 ...
    assert r["reconciling_base"] == (RATE * REPORTED_2024 - NET_2024) / RATE == 1_231_000_000
    assert "solved, not estimated" in r["implies"] and "246,200,000" in r["implies"]
    assert "is 246,200,000 / 0.20 = 1,231,000,000;" in r["implies"]  # it read "is 1,231,000,000 / 0.20"
    # ... to the precision of "3.7B": (0.20 x 3,650,000,000 - 493,800,000) / 0.20 = 1,181,000,000 up to
    # (0.20 x 3,750,000,000 - 493,800,000) / 0.20 = 1,281,000,000.
    assert "1,181,000,000..1,281,000,000" in r["implies"]


def test_a_blank_gap_or_base_says_what_it_is_in_csv_and_json(table):
    # No cell of the gap or of a revenue row's base is a bare null: beside it, what it is and why.
    for r in table.to_dict("records"):
        if r["gap"] is None:
            assert r["gap_blank"].split(": ")[0] in ("not compared", "not known"), r
        if r["metric"] == "revenue" and r["reconciling_base"] is None:
            assert r["reconciling_base_blank"].split(": ")[0] in ("not known", "not estimated", "not applicable"), r
    # 2024-Q1's leaked net payment, 77,300,000 (docs/sources.md), has nothing reported beside it to compare
    quarter = row(table, "revenue-share", "2024-Q1")
    assert quarter["leaked"] == D("77300000") and quarter["gap"] is None
    assert quarter["gap_blank"] == "not compared: no reported or claimed figure to set the leaked figure against"
    # 2026-Q1's reported revenue 5,700,000,000 has no leaked or implied figure beside it, and no net payment over
    # the quarter to square it with: neither gap nor base
    q1 = row(table, "revenue", "2026-Q1")
    assert q1["reported"] == D("5700000000") and q1["gap"] is None and q1["reconciling_base"] is None
    assert q1["gap_blank"].startswith("not compared: no leaked, disclosed, assumed or implied figure")
    assert q1["reconciling_base_blank"].startswith("not known: no net payment is recorded over the period")
    # 2025's audited revenue (13.07B): Microsoft's share, so its base, is not solvable (no 2025-Q4 payment)
    assert row(table, "revenue", "2025")["reconciling_base_blank"].startswith("not known: Microsoft's share")
    # where the gap and the base are there, nothing says they are blank: 2024's [-100M, 100M] and 1,231,000,000
    solved = row(table, "revenue", "2024")
    assert solved["gap_blank"] is None and solved["reconciling_base_blank"] is None
    # CSV and JSON carry the same words
    out = runner.invoke(app, ["reconcile", "--format", "json"]).output
    first = next(r for r in json.loads(out) if (r["metric"], r["period"]) == ("revenue-share", "2024-Q1"))
    assert first["gap"] is None and first["gap_blank"] == quarter["gap_blank"]
    csv = pd.read_csv(io.StringIO(runner.invoke(app, ["reconcile", "--format", "csv"]).output), dtype=str)
    at = csv[(csv["metric"] == "revenue") & (csv["period"] == "2026-Q1")].iloc[0]
    assert at["reconciling_base_blank"] == q1["reconciling_base_blank"]


def test_2025_revenue_is_audited_and_microsofts_share_is_not_known(table):
    r = row(table, "revenue", "2025")
    assert r["leaked"] == D("13070000000") and r["reconciling_base"] is None
    assert "not known" in r["implies"] and "2025-Q4" in r["implies"]


def test_no_row_is_blank_throughout(table, first_table):
    """A row says something: a figure, or a note. 2025's Jan-Sep payments once implied revenue over their span;
    with the audited 2025 revenue recorded, nothing is implied there, and that row is gone, not left blank."""
    values = [c for c in table.columns if c not in ("metric", "period", "start", "end", "unit")]
    blank = table[table[values].isna().all(axis=1)]
    assert blank.empty, blank[["metric", "period"]].to_dict(orient="records")
    assert not ((table["metric"] == "revenue") & (table["period"] == "2025-01..2025-09")).any()
    # As the first leak left the books, the same span held the payments' implied revenue, a lower bound:
    # (206.4M + 248.3M + 411.1M) / 0.20 = 4,329,000,000.
    assert row(first_table, "revenue", "2025-01..2025-09")["implied"] == D("4329000000")


def test_the_two_leaks_disagree_side_by_side(table):
    # Z: inference on Azure 8,670,000,000 over Jan-Sep 2025; Z2: the whole year's cost of revenue
    # 7,500,000,000, of which 6,047,000,000 paid to Microsoft. Both kept, both marked.
    inference_row = row(table, "inference", "2025-01..2025-09")
    paid = row(table, "payments-to-microsoft-cost-of-revenue", "2025")
    assert inference_row["leaked"] == D("8670000000") and paid["leaked"] == D("6047000000")
    for r, other in ((inference_row, "6,047,000,000"), (paid, "8,670,000,000")):
        assert "sources disagree" in r["implies"] and other in r["implies"] and "classify differently" in r["implies"]
    assert "7,500,000,000" in inference_row["implies"]
    # The smaller quarters and the half fit inside the year's 6,047,000,000: not marked.
    assert "sources disagree" not in (row(table, "inference", "2025-H1")["implies"] or "")


def test_what_a_total_s_parts_leave_is_said_on_the_total_s_row(table):
    # Z2: 2025's payments to Microsoft, 17.2B (17,150,000,000..17,250,000,000), given as 10,590,000,000 in R&D
    # and 6,047,000,000 in cost of revenue: 16,637,000,000, so 17.2B - 16.637B = 563,000,000 is unexplained,
    # 17.15B - 16.637B = 513,000,000 to 17.25B - 16.637B = 613,000,000 at the headline's stated precision.
    paid = row(table, "payments-to-microsoft", "2025")
    assert paid["leaked"] == D("17200000000")
    assert (
        "add up to 16,637,000,000; the rest, 513,000,000..613,000,000 (563,000,000 at the total's " in paid["implies"]
    )
    assert paid["implies"].endswith("is payments the source's parts leave unexplained")
    # Z2: 2025's costs 34.0B (33.95B..34.05B) less R&D 19.18B, cost of revenue 7.5B and S&M 5.73B = 32.41B:
    # 1,590,000,000 the source does not itemize, 1,540,000,000..1,640,000,000.
    costs = row(table, "total-costs", "2025")
    assert "add up to 32,410,000,000; the rest, 1,540,000,000..1,640,000,000 (1,590,000,000 at" in costs["implies"]


def test_2025_h1_revenue(first_table):
    r = row(first_table, "revenue", "2025-H1")
    assert r["implied"] == NET_H1 / RATE  # 2,273,500,000
    # (0.20 x 4.3B - 454.7M) / 0.20 = 2,026,500,000 at the point TI's "4.3B" posts; it stands for 4.25B..4.35B,
    # so the base is (0.20 x 4.25B - 454.7M) / 0.20 = 1,976,500,000 to (0.20 x 4.35B - 454.7M) / 0.20 = 2,076,500,000
    assert r["reconciling_base"] == (RATE * REPORTED_H1 - NET_H1) / RATE == 2_026_500_000
    assert (r["reported_low"], r["reported_high"]) == (D("4250000000"), D("4350000000"))
    assert (r["reconciling_base_low"], r["reconciling_base_high"]) == (D("1976500000"), D("2076500000"))


def test_the_year_to_date_figure_is_reconciled_whole(first_table):
    assert row(first_table, "revenue-share", "2025-01..2025-09")["leaked"] == NET_JAN_SEP
    # docs/sources.md: 2025 Jan-Sep implied revenue >= 4.329B = 865.8M / 0.20.
    r = row(first_table, "revenue", "2025-01..2025-09")
    assert r["implied"] == NET_JAN_SEP / RATE == 4_329_000_000
    assert r["reported"] is None


def test_claimed_run_rate_against_the_latest_implied_revenue_annualized(first_table):
    r = row(first_table, "revenue-run-rate", "2025-12")
    q3 = (NET_JAN_SEP - NET_H1) / RATE  # 2025-Q3: 411.1M / 0.20 = 2,055,500,000
    assert r["claimed"] == CLAIMED_RUN_RATE
    assert r["implied"] == q3 * 4 == 8_222_000_000
    # "more than 20B" less "at least 8,222,000,000" can be anything: the gap is not known, never ≥ 11,778,000,000
    # (it read so, taking the implied lower bound as exact), and no ratio is said
    assert r["gap"] is None and r.get("gap_low") is None and r.get("gap_high") is None
    assert "the gap is not known: the claimed and the implied figures are both lower bounds" in r["implies"]
    assert "x implied" not in r["implies"]
    assert "2025-Q3" in r["implies"] and "Sam Altman" in r["sources"]


def test_leaked_inference_against_the_reported_cost_of_revenue(first_table):
    r = row(first_table, "inference", "2025-H1")
    assert r["leaked"] == INF_H1
    assert r["reported"] == COST_OF_REVENUE_H1
    assert r["gap"] == COST_OF_REVENUE_H1 - INF_H1
    # TI's "2.5B" is 2.45B..2.55B: the gap 2.45B - 5.022B = -2,572,000,000 to 2.55B - 5.022B = -2,472,000,000,
    # and the ratio 5.022B / 2.55B = 1.9694 to 5.022B / 2.45B = 2.0498, its ends rounded outward: 1.96x-2.05x
    assert (r["gap_low"], r["gap_high"]) == (D("-2572000000"), D("-2472000000"))
    assert "cost of revenue" in r["implies"]
    assert "leaked is 1.96x–2.05x reported" in r["implies"]
    # over the implied 2,273,500,000, a lower bound: 5,022,000,000 / 2,273,500,000 = 2.2089, at most, rounded up
    assert "inference is ≤ 2.21x the revenue implied for 2025-H1 (that revenue is a lower bound)" in r["implies"]


def test_what_a_row_s_note_says_of_its_figures_is_a_column_too(table):
    """The facts a row's `implies` states in words are columns beside the figure they are of: a reader (the
    timeline, a program reading CSV) reads them, never the words."""
    # TI's 2,500,000,000 for 2025-H1 is OpenAI's cost of revenue, set beside the leaked inference: its metric.
    inference = row(table, "inference", "2025-H1")
    assert (inference["reported"], inference["reported_metric"]) == (COST_OF_REVENUE_H1, "cost-of-revenue")
    assert row(table, "cost-of-revenue", "2025")["reported_metric"] is None  # Z2's leaked 7.5B: its own row
    # TI (2024-06): about 1B a year then, about 2B "expected a year later": only the second is an expectation.
    assert row(table, "azure-openai-run-rate", "2025-06")["reported_expected"] is True
    assert row(table, "azure-openai-run-rate", "2024-06")["reported_expected"] is None
    # 2024's base is solved from the audited 3.7B and the 493.8M paid: (0.20 x 3.7B - 493.8M) / 0.20 = 1.231B;
    # 2025-H1's would square TI's reported 4.3B with the 454.7M paid: (0.20 x 4.3B - 454.7M) / 0.20 = 2.0265B.
    assert row(table, "revenue", "2024")["reconciling_base_solved"] is True
    h1 = row(table, "revenue", "2025-H1")
    assert h1["reconciling_base"] == (RATE * REPORTED_H1 - NET_H1) / RATE == D("2026500000")
    assert h1["reconciling_base_solved"] is False
    assert row(table, "revenue", "2025")["reconciling_base_solved"] is None  # Microsoft's 2025 share: not known


def test_a_fraction_is_a_ratio_not_dollars(table):
    r = row(table, "microsoft-stake", "2025-10-28")
    assert r["unit"] == "ratio" and r["disclosed"] == D("0.27")


def test_the_scenario_records_part_of_the_reconciling_base():
    from leakledger.reports import load_reconcile_table

    r = row(load_reconcile_table(SCENARIO), "revenue", "2024")
    # The audited revenue is recorded, so Bing's share is what the payment leaves beyond Azure's
    # recorded 20%: 0.20 x 3,700,000,000 - 493,800,000 - 0.20 x 1,000,000,000 = 46,200,000, and
    # Bing's base 46,200,000 / 0.20 = 231,000,000 (with Azure's 1,000,000,000, the 1,231,000,000 again).
    assert r["implied"] is None
    assert r["reconciling_base"] == (RATE * REPORTED_2024 - NET_2024 - RATE * D("1000000000")) / RATE == 231_000_000
    assert "(Bing)" in r["implies"] and "200,000,000 its recorded bases accrue" in r["implies"]
    # Azure's 2024 is stated as 0.5B..1.5B and the revenue as 3.65B..3.75B: at the far ends the payment leaves
    # Bing (0.20 x 3,650,000,000 - 493,800,000 - 0.20 x 1,500,000,000) / 0.20 = -319,000,000, less than nothing.
    # The range is cut at 0 (0..781,000,000), and the note says so and why, not 0 as if a figure allowed it.
    cut = (RATE * D("3650000000") - NET_2024 - RATE * D("1500000000")) / RATE
    assert cut == -319_000_000
    assert "precision of the revenue and the recorded Microsoft bases as stated: 0..781,000,000" in r["implies"]
    assert "cut at 0: at the far ends of the figures' stated ranges the payments leave it -319,000,000" in r["implies"]


def test_csv_and_json_carry_exact_decimal_text(table):
    numbers = ["leaked", "disclosed", "reported", "claimed", "assumed", "implied", "gap", "reconciling_base"]
    csv_out = runner.invoke(app, ["reconcile", "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    # 2024: leaked and reported 3.7B, nothing implied, gap 0, base solved (0.20 x 3.7B - 493.8M) / 0.20 = 1.231B
    # (each beside its range: leaked and reported 3.65B..3.75B as stated, the gap 3.65B − 3.75B = −100M to
    # 3.75B − 3.65B = 100M, the base 1.181B..1.281B)
    assert ",3700000000.00,3650000000.00,3750000000.00,,,,3700000000.00,3650000000.00,3750000000.00," in (
        csv_out.output
    )
    # (gap_blank, empty, between the gap's range and the base: the gap is there)
    assert ",0.00,-100000000.00,100000000.00,,1231000000.00,1181000000.00,1281000000.00," in csv_out.output
    parsed = pd.read_csv(io.StringIO(csv_out.output), dtype=str, keep_default_na=False)
    assert list(parsed.columns) == list(table.columns)
    for column in numbers:
        assert [D(v) if v else None for v in parsed[column]] == list(table[column]), column
    # the facts beside a figure as CSV and JSON carry them: True in CSV, true in JSON, empty and null elsewhere
    solved = {(r["metric"], r["period"]): r["reconciling_base_solved"] for _, r in parsed.iterrows()}
    assert (solved["revenue", "2024"], solved["revenue", "2025-H1"], solved["revenue", "2025"]) == ("True", "False", "")
    records = json.loads(runner.invoke(app, ["reconcile", "--format", "json"]).output)
    assert [r["metric"] for r in records] == list(table["metric"])
    solved = {(r["metric"], r["period"]): r["reconciling_base_solved"] for r in records}
    assert (solved["revenue", "2024"], solved["revenue", "2025-H1"], solved["revenue", "2025"]) == (True, False, None)
    assert [(r["metric"], r["period"]) for r in records if r["reported_metric"] == "cost-of-revenue"] == [
        ("inference", "2025-H1")
    ]
    for record, (_, expected) in zip(records, table.iterrows()):
        for column in numbers:
            assert record[column] == (None if expected[column] is None else str(expected[column]))


def reported(metric: str, end: str, start: str, amount: str) -> str:
    return f"""
{end} custom "figure" "{metric}" {amount} USD
  period-start: {start}
  kind: "reported"
  source: "TI"
"""


QUARTERS_2025_H1 = "".join(
    [
        OPENS,
        RULES,
        payment("2025-03-31", "2025-01-01", "206400000.00", "revenue-share-2025-q1"),
        payment("2025-06-30", "2025-04-01", "248300000.00", "revenue-share-2025-q2"),
        inference("2025-03-31", "2025-01-01", "2075000000.00", "inference-2025-q1"),
        inference("2025-06-30", "2025-04-01", "2947000000.00", "inference-2025-q2"),
        reported("revenue", "2025-06-30", "2025-01-01", "4300000000.00"),
        reported("cost-of-revenue", "2025-06-30", "2025-01-01", "2500000000.00"),
    ]
)


def test_a_half_recorded_in_quarters_is_summed_the_same_way_in_every_section():
    entries, errors, options = load_ledger(QUARTERS_2025_H1)
    assert errors == []
    table = reconcile_table(entries, options)
    # docs/sources.md quarters: inference 2,075,000,000 + 2,947,000,000 = 5,022,000,000 (2025-H1)
    inference = row(table, "inference", "2025-H1")
    assert inference["leaked"] == INF_H1 and inference["reported"] == COST_OF_REVENUE_H1
    assert inference["gap"] == COST_OF_REVENUE_H1 - INF_H1  # -2,522,000,000
    assert "leaked is 2.01x reported" in inference["implies"]  # 5.022B / 2.5B = 2.0088
    # payments 206,400,000 + 248,300,000 = 454,700,000: implied 2,273,500,000, and the
    # reconciling base (0.20 x 4.3B - 454.7M) / 0.20 = 2,026,500,000, as with the half recorded whole.
    revenue = row(table, "revenue", "2025-H1")
    assert revenue["implied"] == NET_H1 / RATE and revenue["implied_bound"] == "lower"
    assert revenue["reconciling_base"] == (RATE * REPORTED_H1 - NET_H1) / RATE == 2_026_500_000


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_human_formats(fmt):
    result = runner.invoke(app, ["reconcile", "--format", fmt], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # notes wrap at the table's width
    assert "1,231,000,000" in text and "solved, not estimated" in text
    assert "sources disagree" in text and "6,047,000,000" in text


def test_titles_and_notes_wrap_between_words_only():
    """The review saw "payments-to-microsoft-cost-o" and "f-revenue (main.beancount)" on two lines: Rich folds a word
    longer than the table mid-word, so each table is at least as wide as its title's and notes' longest word."""
    result = runner.invoke(app, ["reconcile"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    words = result.output.split()
    # The metric's name in the title and in the "sources disagree" note, whole each time.
    assert words.count("payments-to-microsoft-cost-of-revenue") >= 2
    assert "payments-to-microsoft-cost-o" not in words and "f-revenue" not in words


def test_a_superseded_figure_is_left_out():
    from conftest import load_ledger
    from ledgers import PAYMENT_ACCOUNTS, rule, year_payment

    entries, errors, options = load_ledger(
        PAYMENT_ACCOUNTS
        + rule()
        + year_payment(2024, "493800000.00")
        + """
2024-12-31 custom "figure" "revenue" 3000000000.00 USD
  period-start: 2024-01-01
  kind: "reported"
  source: "an older estimate"
  status: "superseded"

2024-12-31 custom "figure" "revenue" 3700000000.00 USD
  period-start: 2024-01-01
  kind: "reported"
  source: "New York Times / CNBC, 2024-09-27"
"""
    )
    assert errors == []
    r = row(reconcile_table(entries, options), "revenue", "2024")
    assert r["reported"] == REPORTED_2024
    assert "older" not in r["sources"] and "also reported" not in r["implies"]
    # No rule gives Microsoft a rate here, so no Microsoft base can reconcile anything.
    assert r["reconciling_base"] is None


def test_a_total_with_some_of_its_parts_still_reconciles_whole():
    # docs/sources.md: 2024 net 493,800,000, of which 2024-Q1 77,300,000; reported revenue ~3.7B.
    entries, errors, options = load_ledger(
        "".join(
            [
                OPENS,
                RULES,
                payment("2024-12-31", "2024-01-01", "493800000.00", "revenue-share-2024"),
                payment("2024-03-31", "2024-01-01", "77300000.00", "revenue-share-2024-q1"),
                reported("revenue", "2024-12-31", "2024-01-01", "3700000000.00"),
            ]
        )
    )
    assert errors == []
    table = reconcile_table(entries, options)
    assert row(table, "revenue-share", "2024")["leaked"] == NET_2024  # the total stays, visible
    r = row(table, "revenue", "2024")
    # Q1 77.3M / 0.20 + the remainder 416.5M / 0.20 over Apr-Dec = 2,469,000,000, as without parts,
    # and (0.20 x 3.7B - 493.8M) / 0.20 = 1,231,000,000.
    assert r["implied"] == NET_2024 / RATE and r["reconciling_base"] == 1_231_000_000


def reconcile_markdown(ledger, *args) -> list[str]:
    result = runner.invoke(app, ["reconcile", "--format", "markdown", "--ledger", str(ledger), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def revenue_section(lines) -> list[str]:
    start = lines.index(next(line for line in lines if line.startswith("**revenue (")))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("**"))
    return lines[start:end]


def test_periods_run_in_time_order_a_total_after_its_parts(table):
    periods = list(table[table["metric"] == "inference"]["period"])
    # The leak's quarters, then the year they make up; 2025-H1 after its Q2; Jan-Sep after its Q3.
    assert periods[:5] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024"]
    assert periods.index("2025-H1") == periods.index("2025-Q2") + 1
    assert periods.index("2025-01..2025-09") == periods.index("2025-Q3") + 1


def test_the_lower_bound_footnote_is_one_note_naming_its_periods(first_leak_main):
    # The first leak's books: payments alone, so each quarter's implied revenue is a lower bound.
    section = revenue_section(reconcile_markdown(first_leak_main))
    notes = [line for line in section if "lower bound: a Microsoft revenue base" in line]
    assert len(notes) == 1 and notes[0].startswith("[1] 2024-Q1, 2024-Q2, 2024-Q3, 2024-Q4, 2025-Q1")
    assert sum(" [1] |" in line for line in section) == 8  # the leak's seven quarters and Jan-Sep


def test_the_reconciling_base_goes_where_it_equals_the_gap_and_stays_where_it_does_not(first_leak_main):
    # First leak: no Microsoft base recorded, both rates 0.20, so (0.20 x 3.7B - 493.8M) / 0.20 =
    # 3.7B - 2.469B = 1,231,000,000; over the NYT's "about 3.7B" (3.65B..3.75B) the base is
    # 3.65B - 2.469B = 1.181B to 3.75B - 2.469B = 1.281B. The gap is the reported revenue less an implied
    # revenue that is a lower bound (≥ 2,469,000,000): at most 3.75B - 2.469B = 1,281,000,000, a bound, so it
    # is not the base (a range) and both columns stay.
    first = revenue_section(reconcile_markdown(first_leak_main))
    assert "reconciling MS base" in first[2]
    assert "| 2024 [2] | 3.65B–3.75B | ≥ 2,469,000,000 | ≤ 1,281,000,000 | 1.181B–1.281B |" in first
    assert not any(line.startswith("Reconciling Microsoft base: ") for line in first)
    # Shipped books: 2024's revenue is recorded (reported and leaked 3.65B..3.75B as stated: gap
    # 3.65B − 3.75B = −100M to 100M), while the base that squares it stays 1,231,000,000 (1.181B..1.281B):
    # both columns stay.
    shipped = revenue_section(reconcile_markdown(LEDGER_DIR / "main.beancount"))
    assert "reconciling MS base" in shipped[2]
    assert any(line.startswith("| 2024 [") and line.endswith("| -100M to 100M | 1.181B–1.281B |") for line in shipped)


def test_the_leak_model_page_and_publish_show_the_base_once_where_it_is_the_gap(
    first_leak_main, shipped_fava, tmp_path
):
    from fava_client import LEAK_MODEL, fava

    # First leak: the gap over a lower-bound implied revenue is an upper bound ("≤ 1,281,000,000"), the base a
    # range (1.181B–1.281B): not the same number, so both pages keep the base column.
    first = fava(first_leak_main)
    page = first.client.get(f"/{first.slug}/{LEAK_MODEL}/").get_data(as_text=True)
    assert ">Reconciling base</th>" in page and "it equals the gap, so it is not shown twice" not in page
    site = tmp_path / "site"
    assert runner.invoke(app, ["publish", str(site), "--ledger", str(first_leak_main)]).exit_code == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Reconciling Microsoft base</th>" in index and "it equals the gap, so it is not shown twice" not in index
    # The shipped books: gap 0 against a base of 1,231,000,000 for 2024: the page keeps both.
    shipped = shipped_fava.client.get(f"/{shipped_fava.slug}/{LEAK_MODEL}/").get_data(as_text=True)
    assert ">Reconciling base</th>" in shipped
