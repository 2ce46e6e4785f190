"""Each company's income statement (leakledger.statements, `leakledger statement`).

Real books through the real loader and plugins; figures are docs/sources.md
arithmetic, written out.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
from decimal import Decimal

import pytest
from conftest import LEDGER_DIR, MAIN
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.errors import UsageError
from leakledger.intervals import Interval
from leakledger.presentation import balance_cells, statement_cells
from leakledger.statements import (
    EXPENSES,
    INCOME,
    NET,
    TOTAL_ROW,
    balance_records,
    income_statement,
    load_statement,
)

D = Decimal
OPENAI_BOOK = LEDGER_DIR / "openai.beancount"
MICROSOFT_BOOK = LEDGER_DIR / "microsoft.beancount"
SCENARIO = LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"

# docs/sources.md: 2024's leaked net payment N and inference spend I, and the second leak's audited revenue R.
N_2024, I_2024 = D("493800000"), D("3767100000")
REVENUE_2024 = D("3700000000")  # exact: recorded, not implied
OPENAI_SHARE_2024 = D("0.20") * REVENUE_2024  # 740,000,000
MICROSOFT_SHARE_2024 = OPENAI_SHARE_2024 - N_2024  # solved: 246,200,000
# Z2's total costs 12,480,000,000 hold inference and OpenAI's 20%; the rest posts as costs not itemized.
COSTS_2024 = D("12480000000")
NOT_ITEMIZED_2024 = COSTS_2024 - I_2024 - OPENAI_SHARE_2024  # 7,972,900,000
OPENAI_NET_2024 = REVENUE_2024 + MICROSOFT_SHARE_2024 - COSTS_2024  # -8,533,800,000
MICROSOFT_INCOME_2024 = OPENAI_SHARE_2024 + I_2024  # 4,507,100,000 recorded
# Bing and Azure OpenAI Service: no figure each, but the payment solves their sum, (740M − 493.8M) / 0.20
MICROSOFT_BASES_2024 = (OPENAI_SHARE_2024 - N_2024) / D("0.20")  # 1,231,000,000
# docs/sources.md: Microsoft's 2025-Q3 share of OpenAI's losses (10-Q).
LOSSES_Q3 = D("4100000000")


@pytest.fixture(scope="module")
def openai():
    return load_statement(OPENAI_BOOK, "OpenAI")


@pytest.fixture(scope="module")
def microsoft():
    return load_statement(MICROSOFT_BOOK, "Microsoft")


def test_openai_2024(openai):
    revenue = openai.cell("Income:OpenAI:Revenue", "2024")
    assert (revenue.amount, revenue.lower_bound) == (REVENUE_2024, False)  # exact: no "≥"
    assert openai.cell("Expenses:OpenAI:Compute:Inference", "2024")[:2] == (I_2024, False)
    # OpenAI's 20% follows from the revenue; Microsoft's is what the net payment leaves of it.
    assert openai.cell("Expenses:OpenAI:RevenueShare:Microsoft", "2024")[:2] == (OPENAI_SHARE_2024, False)
    assert openai.cell("Income:OpenAI:RevenueShare:Microsoft", "2024")[:2] == (MICROSOFT_SHARE_2024, False)
    assert openai.cell("Expenses:OpenAI:Costs:NotItemized", "2024")[:2] == (NOT_ITEMIZED_2024, False)
    assert openai.cell(EXPENSES, "2024")[:2] == (COSTS_2024, False)  # the audited total, counted once
    # Z2's operating loss is 8,780,000,000: the 246,200,000 apart is Microsoft's 20%, which the audited
    # revenue may hold already (docs/model.md).
    assert openai.cell(NET, "2024")[:2] == (OPENAI_NET_2024, False) == (D("-8533800000"), False)
    assert openai.cell(INCOME, "2024").amount - openai.cell(EXPENSES, "2024").amount == OPENAI_NET_2024


def test_microsoft_2024(microsoft):
    total_income = MICROSOFT_INCOME_2024 + MICROSOFT_BASES_2024
    assert microsoft.cell(INCOME, "2024")[:2] == (total_income, False) == (D("5738100000"), False)
    assert microsoft.cell("Income:Microsoft:Azure:OpenAICompute", "2024")[:2] == (I_2024, False)
    assert microsoft.cell("Income:Microsoft:RevenueShare:OpenAI", "2024")[:2] == (OPENAI_SHARE_2024, False)
    assert microsoft.cell("Expenses:Microsoft:RevenueShare:OpenAI", "2024").amount == MICROSOFT_SHARE_2024
    # Its equity-method result for 2024 is not in the books (recorded from 2025-Q3 on): not 0, so its 2024
    # expenses and net are not known, and say why; its Bing and Azure OpenAI Service revenue has no figure
    # either, but the books solve their sum: (0.2·R − 493.8M) / 0.2 = R − 2,469,000,000, 1.181B..1.281B. So its
    # income is 3,767,100,000 + 0.2·R + R − 2,469,000,000 = 1.2·R + 1,298,100,000: 5,678,100,000..5,798,100,000
    # (it read "at least 4,497,100,000", as if those bases were 0).
    expenses, net, income = (microsoft.cell(key, "2024") for key in (EXPENSES, NET, INCOME))
    assert expenses.amount is None and "Expenses:Microsoft:OpenAILosses has no figure for 2024" in expenses.not_known
    assert net.amount is None and net.not_known == expenses.not_known
    assert expenses.not_known in microsoft.not_known  # said under the table
    low, high = (D("1.2") * r + D("1298100000") for r in (D("3650000000"), D("3750000000")))
    assert (income.interval.low, income.interval.high) == (low, high) == (D("5678100000.00"), D("5798100000.00"))
    assert income.not_known is None
    assert "1,181,000,000..1,281,000,000" in microsoft.cell("Income:Microsoft:Bing", "2024").not_known
    quarters = load_statement(MICROSOFT_BOOK, "Microsoft", by="quarter")
    # Its 20% of OpenAI's audited 2025 revenue spans the year, so 2025 is one column: the 2025-Q3 loss
    # (4,100,000,000) and the 2025-Q4 gain (about 10,000,000,000) sit in it, -5,900,000,000.
    assert quarters.cell("Expenses:Microsoft:OpenAILosses", "2025")[:2] == (LOSSES_Q3 - D("10000000000"), False)


def test_lines_are_the_companys_income_and_expense_accounts(openai, microsoft):
    for statement, entity in ((openai, "OpenAI"), (microsoft, "Microsoft")):
        keys = [line.key for line in statement.lines]
        accounts = [k for k in keys if ":" in k]
        assert accounts and all(k.split(":")[1] == entity for k in accounts)
        assert keys[-1] == NET and keys.index(INCOME) < keys.index(EXPENSES)


@pytest.mark.parametrize("by", ["year", "half", "quarter"])
def test_each_total_is_the_sum_of_its_periods(by):
    statement = load_statement(OPENAI_BOOK, "OpenAI", by=by)
    assert statement.labels[-1] == TOTAL_ROW
    for line in statement.lines:
        parts = [statement.cell(line.key, label).amount for label in statement.labels[:-1]]
        total = statement.cell(line.key, TOTAL_ROW)
        if all(p is None for p in parts):
            assert total.amount is None
        elif total.amount is None:  # a column not known (2026: no figure, a share in force) and of either sign
            assert total.not_known and any(statement.cell(line.key, label).not_known for label in statement.labels)
        else:  # what is recorded, and a lower bound where a column is not known
            assert total.amount == sum(p for p in parts if p is not None)
            unknown = any(statement.cell(line.key, label).not_known for label in statement.labels[:-1])
            assert not unknown or total.lower_bound or total.interval is not None and total.interval.high is None


def test_a_column_past_the_last_figure_covers_what_the_entries_do_and_the_total_adds_it(openai, microsoft):
    """OpenAI's books post no income or expense after 2025 but go on to 2026-06-30 (its cash asserted as of
    2026-03-31, Microsoft's funding as of 2026-06-30), and its 2026 cells are "not known": the total's revenue
    is ≥ 3.65B + 13.065B = 16,715,000,000 because 2026 is in it. So 2026 covers 2026-01..2026-06, as Microsoft's
    does (its equity-method result runs to 2026-06-30), and both totals cover 2024-01..2026-06, not 2025-12."""
    revenue = openai.cell("Income:OpenAI:Revenue", TOTAL_ROW)
    assert (revenue.interval.low, revenue.interval.high, revenue.partial) == (D("16715000000"), None, True)
    for statement in (openai, microsoft):
        assert (statement.covered_label("2026"), statement.covered_label(TOTAL_ROW)) == ("2026-H1", "2024-01..2026-06")
    headers = statement_cells(openai)[0]
    assert headers[-2:] == ["2026 (2026-H1)", "total (2024-01..2026-06)"]


def test_a_yearly_figure_is_not_split_into_quarters():
    statement = load_statement(OPENAI_BOOK, "OpenAI", by="quarter")
    # The audited revenue of 2024 and 2025 is one figure a year (docs/model.md): its quarters are not
    # known, so a quarter column would split it; the grid keeps each year whole.
    # After 2025 the books record OpenAI's cash (asserted as of 2026-03-31) and Microsoft's funding to
    # 2026-06-30, and no income or expense: 2026's quarters are columns, each not known.
    assert statement.labels == ("2024", "2025", "2026-Q1", "2026-Q2", TOTAL_ROW)
    assert statement.cell("Income:OpenAI:Revenue", "2024")[:2] == (REVENUE_2024, False)
    assert statement.cell("Income:OpenAI:Revenue", "2026-Q1").not_known
    # The columns past the last figure reach the books' last entry (2026-06-30), so each quarter covers all of
    # itself and the total all of 2024-01..2026-06, its own span: no column covers less than its period.
    assert statement.covered == {}
    # The quarters still post their inference, and sum to the year: 3,767,100,000 for 2024.
    assert statement.cell("Expenses:OpenAI:Compute:Inference", "2024").amount == I_2024


def test_the_combined_books_give_the_same_statement(openai, microsoft):
    entries, errors, options = load_books(MAIN)
    assert errors == []
    for statement in (openai, microsoft):
        again = income_statement(entries, options, statement.entity)
        assert again.cells == statement.cells and again.lines == statement.lines


def test_a_recorded_microsoft_base_raises_the_figures_and_an_unrecorded_one_keeps_them_bounds():
    """The Azure OpenAI growth scenario records Azure OpenAI's base (1,000,000,000 in 2024), not Bing's."""
    openai = load_statement(SCENARIO, "OpenAI")
    microsoft = load_statement(SCENARIO, "Microsoft")
    azure_share = D("0.20") * D("1000000000")  # 200,000,000
    # 2024's revenue is recorded, so nothing is a bound: Microsoft's share is solved, and what the
    # payment leaves beyond Azure's recorded 20% is Bing's: 740,000,000 - 493,800,000 - 200,000,000.
    bing_share = OPENAI_SHARE_2024 - N_2024 - azure_share  # 46,200,000
    assert openai.cell("Income:OpenAI:Revenue", "2024")[:2] == (REVENUE_2024, False)
    assert microsoft.cell("Expenses:Microsoft:RevenueShare:OpenAI", "2024")[:2] == (azure_share + bing_share, False)
    assert azure_share + bing_share == MICROSOFT_SHARE_2024  # the recorded base moves no total, only who pays it
    assert openai.cell(NET, "2024")[:2] == (OPENAI_NET_2024, False)


def test_the_wrong_book_or_company_is_refused():
    with pytest.raises(UsageError, match="these are Microsoft's books, not OpenAI's"):
        load_statement(MICROSOFT_BOOK, "OpenAI")
    with pytest.raises(UsageError, match="no company 'Google'"):
        load_statement(MAIN, "Google")


# --- the command ----------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["leakledger", "statement", *args], capture_output=True, text=True)


def test_csv_carries_plain_numbers():
    done = run("OpenAI", "--by", "year", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    by_line = {(r["period"], r["line"]): r for r in rows}
    assert by_line[("2024", "Income:OpenAI:Revenue")]["amount"] == "3700000000.00"
    assert by_line[("2024", "Income:OpenAI:Revenue")]["bound"] == ""  # exact
    assert by_line[("2024", "net")]["amount"] == "-8533800000.00"  # 3,946,200,000 - 12,480,000,000
    assert by_line[("2025", "Income:OpenAI:Revenue")]["amount"] == "13070000000.00"
    assert by_line[("2025", "net")]["covered"] == ""  # the audited revenue covers the whole year


def test_json_and_table():
    done = run("microsoft", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    income = next(r for r in rows if r["period"] == "2024" and r["line"] == "income")
    # Money as exact decimal text, as every JSON output of the project carries it. 2024's income: Azure compute
    # 3,767,100,000 + OpenAI's 20% of 3.65B..3.75B + Bing and Azure OpenAI Service, solved together as
    # R − 2,469,000,000: a range, 5,678,100,000..5,798,100,000, posted at its midpoint; no bound.
    assert (income["entity"], income["amount"], income["amount_low"], income["amount_high"], income["bound"]) == (
        "Microsoft",
        "5738100000.00",
        "5678100000.00",
        "5798100000.00",
        None,
    )
    assert D(income["amount"]) == MICROSOFT_INCOME_2024 + MICROSOFT_BASES_2024
    table = run("OpenAI", "--by", "year").stdout
    # The audited revenue is exact: no "≥" anywhere in 2024 or 2025.
    # 3.7B audited is 3.65B..3.75B; inference is exact; the net 1.2·R − 493.8M − 12.48B over that range
    assert "3.65B–3.75B" in table and "3,767,100,000" in table and "-8.5938B to -8.4738B" in table
    # "≥" only where Microsoft's 2025 20% is not known (its income line and what it sums into), not from revenue.
    rows = [line.split("│") for line in table.splitlines() if line.startswith("│")]
    assert not any("≥" in row[2] for row in rows)  # 2024: every figure known
    # (2026, where the books record OpenAI's balances but no income or expense, is not known: so is the total)
    bounded = [row[1].strip() for row in rows if "≥" in row[2] + row[3]]
    # and the receivable it accrues into, on the balance sheet: what OpenAI is owed is at least what is posted;
    # what it owes is nearer 0 than posted (the 2025 payments net that share too)
    assert bounded == [  # (Microsoft's 20% itself reads "not known" for 2025)
        "total income",
        "net result",
        "Assets:OpenAI:Due:Microsoft",
        "Liabilities:OpenAI:Due:Microsoft",
    ]
    # ... and the note under the table says what "≥" means (it said nothing where no revenue was implied)
    assert "≥: a lower bound" in table
    income_rows = [line.split("│") for line in table.split("balances at each")[0].splitlines() if line.startswith("│")]
    assert not any("Microsoft" in row[1].replace("RevenueShare:Microsoft", "") for row in income_rows)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["Google"], 2, "error: no company 'Google': use OpenAI or Microsoft"),
        (["OpenAI", "--by", "week"], 2, "error: Invalid value for '--by'"),
        (["OpenAI", "--format", "xml"], 2, "error: Invalid value for '--format'"),
        (["OpenAI", "--ledger", str(MICROSOFT_BOOK)], 2, "error: these are Microsoft's books, not OpenAI's"),
        (["OpenAI", "--scenario", "nope"], 3, "error: no scenario 'nope'"),
    ],
)
def test_bad_input_is_one_error_line(args, code, message):
    done = run(*args)
    assert done.returncode == code and done.stdout == ""
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr


def test_the_statements_cover_2026_and_the_cap(openai, microsoft):
    # docs/sources.md, "The deal since the leak": the equity-method result by quarter
    # (2025-Q4 a ~10B gain, 2026-Q1 a 19M loss) and the 38B cap counted from 2026-04-27.
    quarters = load_statement(MICROSOFT_BOOK, "Microsoft", by="quarter")
    assert quarters.cell("Expenses:Microsoft:OpenAILosses", "2026-Q1")[:2] == (D("19000000"), False)
    # MSK: fiscal 2026's 6.5B gain less the three quarters posted: -6,500,000,000 + 5,881,000,000.
    assert quarters.cell("Expenses:Microsoft:OpenAILosses", "2026-Q2")[:2] == (D("-619000000"), False)
    for statement in (openai, microsoft):
        [cap] = statement.caps
        assert "38,000,000,000 USD counted from 2026-04-27; accrued ≥ 0, left ≤ 38,000,000,000" in cap
    projected = load_statement(LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount", "OpenAI")
    [cap] = projected.caps
    assert "accrued 38,000,000,000, left 0; reached on 2029-03-31 (2029-Q1)" in cap
    # OpenAI's share from 2026 to 2029 is the cap plus 20% of what the scenario puts before the
    # amendment: 5.7B x 1.16 = 6,612,000,000 for 2026-Q2, 26 of its 91 days = 1,889,142,857.14.
    shares = sum(
        projected.cell("Expenses:OpenAI:RevenueShare:Microsoft", str(year)).amount for year in range(2026, 2030)
    )
    before = (D("6612000000") * 26 / 91).quantize(D("0.01"))
    assert before == D("1889142857.14")
    assert shares == D("38000000000") + (before * D("0.20")).quantize(D("0.01"))
    # After the cap a known 0, not a blank, and exact: min(20% of revenue, 0 left) is 0 whatever the revenue.
    assert projected.cell("Expenses:OpenAI:RevenueShare:Microsoft", "2030")[:2] == (D("0.00"), False)


def test_each_cell_says_what_it_covers_and_an_empty_total_is_no_figure(microsoft):
    # 2025: Azure income is the leak's Jan-Sep; the equity-method line runs 2025-Q3 and Q4 (docs/sources.md).
    azure = microsoft.cell("Income:Microsoft:Azure:OpenAICompute", "2025")
    assert azure.covers.label == "2025-01..2025-09" and azure.partial
    losses = microsoft.cell("Expenses:Microsoft:OpenAILosses", "2025")
    assert losses.amount == LOSSES_Q3 + D("-10000000000") and losses.covers.label == "2025-H2"
    assert microsoft.cell(INCOME, "2025").partial
    assert not microsoft.cell("Income:Microsoft:Azure:OpenAICompute", "2024").partial  # the whole year
    # 2026: only the equity-method result is recorded, no income: not 0, and not known (Azure income is
    # recorded for 2024 and 2025, and the shares on Bing and Azure OpenAI run to 2026-04-26), with why.
    assert microsoft.cell(INCOME, "2026").amount is None and microsoft.cell(NET, "2026").amount is None
    assert "Azure:OpenAICompute has no figure for 2026" in microsoft.cell(INCOME, "2026").not_known
    result = CliRunner().invoke(
        app, ["statement", "Microsoft", "--format", "markdown", "--ledger", str(MICROSOFT_BOOK)]
    )
    [income] = [line for line in result.stdout.splitlines() if line.startswith("| total income |")]
    assert "| not known |" in income and " 0 |" not in income
    [azure_line] = [line for line in result.stdout.splitlines() if line.startswith("| Income:Microsoft:Azure:")]
    assert "| 8,670,000,000 † |" in azure_line
    records = [r for r in load_statement(MICROSOFT_BOOK, "Microsoft").records() if r["period"] == "2025"]
    [row] = [r for r in records if r["line"] == "Income:Microsoft:Azure:OpenAICompute"]
    assert (row["covers"], row["partial"]) == ("2025-01..2025-09", True)


# 2025: OpenAI's audited revenue 13,070,000,000 stated to 10M (13.065B..13.075B) and audited total costs
# 34,000,000,000 stated to 0.1B (33.95B..34.05B); Microsoft's 20% back is not known (no 2025-Q4 payment).
def test_a_share_the_books_cannot_solve_is_not_known_and_bounds_its_totals(openai, microsoft):
    share = openai.cell("Income:OpenAI:RevenueShare:Microsoft", "2025")
    assert share.amount is None and "cannot be solved" in share.not_known
    # OpenAI's income is at least its revenue, and its net at least 13.065B − 34.05B = −20,985,000,000.
    income, net = openai.cell(INCOME, "2025"), openai.cell(NET, "2025")
    assert (income.interval.low, income.interval.high) == (D("13065000000.00"), None)
    assert (net.interval.low, net.interval.high) == (D("-20985000000.00"), None)
    # Microsoft pays that share: its expenses are at least its equity-method line, the 2025-Q3 loss of
    # 4,100,000,000 less 2025-Q4's "about 10B" gain, which the nine months' 5.9B (MSQ3, 5.85B..5.95B) less
    # 4.1B and 2026-Q1's 19M pin to 9.969B..10.069B: at least 4.1B − 10.069B = −5,969,000,000. Its
    # income is at least 0.2 x 13.065B + 8,670,000,000 = 11,283,000,000, its Bing and Azure OpenAI Service
    # revenue unrecorded (a share on them in force). The share it pays is a fifth of those bases, its own income,
    # so its net is at least 11,283,000,000 less the most the equity-method line can be (−5,869,000,000):
    # 8,670M + 2,613M + 5,869M = 17,152,000,000, open above (it read "not known", as if the share grew alone).
    paid = microsoft.cell("Expenses:Microsoft:RevenueShare:OpenAI", "2025")
    assert paid.amount is None and paid.not_known == share.not_known
    assert (microsoft.cell(EXPENSES, "2025").interval.low, microsoft.cell(EXPENSES, "2025").interval.high) == (
        LOSSES_Q3 - D("10069000000"),
        None,
    )
    ms_income, ms_net = microsoft.cell(INCOME, "2025"), microsoft.cell(NET, "2025")
    assert (ms_income.interval.low, ms_income.interval.high) == (D("11283000000.00"), None)
    assert ms_net.interval == Interval(D("8670000000") + D("2613000000") + D("5869000000"), None)
    assert ms_net.interval.low == D("17152000000") and "no figure for 2025 while a share" in ms_net.not_known
    # OpenAI's 2024 is solved: nothing there is open.
    assert openai.cell(NET, "2024").not_known is None


def test_an_audited_total_makes_its_partial_lines_whole(openai):
    """2025's inference (8,670,000,000) covers 2025-01..2025-09, but the audited total costs (34.0B) cover the
    year and their rest (Costs:NotItemized) holds what inference leaves: total expenses cover the year, so
    neither they nor the net are partial (both read "†" as if they covered nine months)."""
    assert openai.cell("Expenses:OpenAI:Compute:Inference", "2025").partial  # the line itself covers Jan-Sep
    expenses, net = openai.cell(EXPENSES, "2025"), openai.cell(NET, "2025")
    assert (expenses.interval.low, expenses.interval.high) == (D("33950000000"), D("34050000000"))
    assert not expenses.partial and not net.partial
    # without the audited total (as known before the second leak) the rest is not known and the † stays
    before = load_statement(OPENAI_BOOK, "OpenAI", as_of=datetime.date(2026, 6, 15))
    assert before.cell("Expenses:OpenAI:Costs:NotItemized", "2025").amount is None
    assert before.cell(EXPENSES, "2025").partial


def test_the_not_known_cell_reads_so_with_its_reason_in_text_and_csv():
    text = run("OpenAI", "--by", "year").stdout
    assert "≥ -20,985,000,000" in text and "not known: Microsoft's share to OpenAI over 2025 is not known" in text
    rows = list(csv.DictReader(io.StringIO(run("Microsoft", "--format", "csv").stdout)))
    row = next(r for r in rows if (r["period"], r["line"]) == ("2025", "Expenses:Microsoft:RevenueShare:OpenAI"))
    assert row["amount"] == "" and "none is recorded for 2025-Q4" in row["not_known"]
    net = next(r for r in rows if (r["period"], r["line"]) == ("2025", "net"))
    assert (net["amount_low"], net["amount_high"], net["bound"]) == ("17152000000.00", "", "lower")
    assert "Income:Microsoft:Bing" in net["not_known"]


def test_cash_before_its_first_balance_assertion_is_not_known(openai, microsoft):
    # OpenAI's cash is fixed first at 2025-12-31 (about 25B, asserted on 2026-01-01); at the end of 2024 the
    # books hold only flows: its 2024 net, -8,533,800,000 (3.7B + 246.2M − 12.48B), which is not a balance;
    # as 3.7B is 3.65B..3.75B, those flows (1.2·R − 493.8M − 12.48B) lie within ±60M of it. Microsoft's funding
    # of 11.6B over 2019-07-22..2025-09-30 posts at its end, so none to all of it may have reached the cash by
    # 2024-12-31: the flows lie in -8,593,800,000..-8,473,800,000 + 11,600,000,000 = 3,126,200,000.
    [cash] = [line for line in openai.balances if line.account == "Assets:OpenAI:Cash"]
    flows = "-8,533,800,000 as posted, within -8,593,800,000..3,126,200,000 by 2024-12-31, with none to all of"
    assert cash.cells["2024"].amount is None and flows in cash.cells["2024"].not_known
    assert "Microsoft funding of OpenAI, total funded as of 2025-09-30, 2019-07-22..2025-09-30" in (
        cash.cells["2024"].not_known
    )
    assert cash.cells["2025"].amount == D("25000000000.00") and not cash.flows_only
    # "about 25B", stated to the billion: 25B ± 0.5B, the balance assertion's tolerance of 500,000,000.
    assert cash.cells["2025"].interval == Interval(D("24500000000.00"), D("25500000000.00"))
    # The pad's other side moves the other way: 2025's due to Microsoft is 0.2 x 13.07B − 865,800,000
    # = 1,748,200,000, ± 0.2 x 5,000,000 (13.07B is 13.065B..13.075B) = ±1,000,000: at most 1,749,200,000,
    # open toward 0 (the payments also net Microsoft's 2025 share, not known).
    [due] = [line for line in openai.balances if line.account == "Liabilities:OpenAI:Due:Microsoft"]
    assert due.cells["2025"].interval == Interval(D("-1749200000.00"), None)
    # 2024's due is settled whatever the revenue (Microsoft's solved share takes the rest): exactly 0.
    assert due.cells["2024"].amount == 0 and due.cells["2024"].interval is None
    row = _balance_row("OpenAI", "2025", "Assets:OpenAI:Cash")
    assert (row["balance"], row["balance_low"], row["balance_high"]) == (
        "25000000000.00",
        "24500000000.00",
        "25500000000.00",
    )
    assert "24.5B–25.5B" in run("OpenAI").stdout
    # Microsoft's cash is never asserted: its figures are the deal's flows, and the sheet says so.
    [ms_cash] = [line for line in microsoft.balances if line.account == "Assets:Microsoft:Cash"]
    assert ms_cash.flows_only and ms_cash.cells["2024"].amount == MICROSOFT_INCOME_2024 - MICROSOFT_SHARE_2024
    text = run("Microsoft").stdout
    assert "not the company's whole cash" in " ".join(text.split())
    # Microsoft's stake likewise: its funding and the equity-method results the books record (from 2025-07-01
    # only), not its carrying value; its 18.35B-18.45B at 2026-06-30 says so
    [stake] = [line for line in microsoft.balances if line.account == "Assets:Microsoft:Investment:OpenAI"]
    assert stake.flows_only and "or the carrying value of its stake" in " ".join(text.split())


def test_a_balance_inside_a_flows_span_lies_between_none_and_all_of_it_moved(openai, microsoft):
    """docs/sources.md: Microsoft had funded 11,600,000,000 by 2025-09-30 (10-Q) and 11,800,000,000 by 2026-03-31:
    200,000,000 on days the books do not know, posted at 2026-03-31. At 2025-12-31 none or all of it had moved, so
    the balances it touches are ranges there (they read the posted balance as exact)."""
    remainder = D("11800000000") - D("11600000000")  # 200,000,000 over 2025-10..2026-03
    [equity] = [line for line in openai.balances if line.account == "Equity:OpenAI:Investment:Microsoft"]
    cell = equity.cells["2025"]
    assert cell.amount == -D("11600000000")
    assert cell.interval == Interval(-D("11600000000") - remainder, -D("11600000000"))  # -11.8B..-11.6B
    assert "how much had moved by then is not known" in cell.not_known
    # Microsoft's side: its stake at 2025 is 17.5B posted, 17.469B..17.569B by the ~10B gain's range as the nine
    # months' 5.9B pins it (9.969B..10.069B), plus 0..200M
    [stake] = [line for line in microsoft.balances if line.account == "Assets:Microsoft:Investment:OpenAI"]
    assert stake.cells["2025"].interval == Interval(D("17469000000"), D("17569000000") + remainder)
    # an assertion the next day fixes a balance whatever moved inside a span: OpenAI's cash at 2025-12-31 keeps
    # the 2026-01-01 assertion's 25B ± 500M
    [cash] = [line for line in openai.balances if line.account == "Assets:OpenAI:Cash"]
    assert cash.cells["2025"].interval == Interval(D("24500000000"), D("25500000000"))
    row = _balance_row("OpenAI", "2025", "Equity:OpenAI:Investment:Microsoft")
    assert (row["balance_low"], row["balance_high"]) == ("-11800000000.00", "-11600000000.00")


def _balance_row(company: str, period: str, account: str) -> dict:
    """One row of `statement COMPANY --balance-sheet --format csv`, as the CSV carries it."""
    rows = csv.DictReader(io.StringIO(run(company, "--balance-sheet", "--format", "csv").stdout))
    return next(r for r in rows if (r["period"], r["account"]) == (period, account))


def test_a_balance_made_of_ranged_figures_shows_its_range(openai):
    # 2025: OpenAI owes its 20% of 13.07B (13.065B..13.075B: 2,613,000,000..2,615,000,000) less the Jan-Sep
    # net payments, 865,800,000 (2024's due nets to 0 whatever 3.7B is): -1,748,200,000, within ±1,000,000,
    # and toward 0 by what the payments settled of Microsoft's 2025 share, not known: from -1,749,200,000 up.
    [due] = [line for line in openai.balances if line.account == "Liabilities:OpenAI:Due:Microsoft"]
    assert due.cells["2025"].amount == D("-1748200000.00")
    assert due.cells["2025"].interval == Interval(D("-1749200000.00"), None)
    assert due.cells["2024"].interval is None  # 0.2·R − (0.2·R − 493.8M) − 493.8M = 0, exactly
    # The cash is asserted as "about 25B" (Z2), to the billion: 25B ± 500M. The pad to it takes that and what
    # the cash flows before it allow: 1.2 x ±50M (2024's revenue, less 20% of it in the costs not itemized)
    # + 1.2 x ±5M (2025's) + ±50M (2025's "34.0B" total costs) + ±500M = ±616,000,000 around -41,115,600,000;
    # and 0..200M less where the funding of 2025-10..2026-03 (11.8B − 11.6B, posted 2026-03-31) had reached the
    # cash by the assertion's eve: the pad was that much less, -41,731,600,000 up to -40,299,600,000.
    [pad] = [line for line in openai.balances if line.account == "Equity:OpenAI:Unitemized"]
    assert pad.cells["2025"].interval == Interval(D("-41731600000.00"), D("-40299600000.00"))
    [cash] = [line for line in openai.balances if line.account == "Assets:OpenAI:Cash"]
    assert cash.cells["2025"].interval == Interval(D("24500000000.00"), D("25500000000.00"))
    text = " ".join(run("OpenAI").stdout.split())
    assert "≥ -1,749,200,000" in text and "-41.7316B to -40.2996B" in text and "24.5B–25.5B" in text
    assert "Liabilities:OpenAI:Due:Microsoft at 2025: -1,748,200,000" in text  # posted, above its bound
    row = _balance_row("OpenAI", "2025", "Equity:OpenAI:Unitemized")
    assert (row["balance"], row["balance_low"], row["balance_high"]) == (
        "-41115600000.00",
        "-41731600000.00",
        "-40299600000.00",
    )


def test_the_balance_sheet_reaches_the_books_last_balance_entry_and_no_further():
    """OpenAI's income lines end with 2025, but its balances do not: cash is asserted as of 2026-03-31 ("~73B",
    72.5B..73.5B, the assertion dated 2026-04-01) and Microsoft's funding reaches 11,900,000,000 by 2026-06-30
    (docs/sources.md: 11.8B at 2026-03-31, 11.9B at 2026-06-30). So the balance sheet has a 2026 column, as of
    2026-06-30, the last day the books speak of: not as of 2026-12-31, which they say nothing of."""
    statement = load_statement(MAIN, "OpenAI")
    # no 2026 income or expense figure of OpenAI's: the column is there, each line not known (never left out)
    assert "2026" in statement.labels
    assert all(statement.cell(line.key, "2026").not_known for line in statement.lines if ":" in line.key)
    last = statement.balance_columns[-1]
    assert (last.label, last.period.end, last.end) == ("2026", datetime.date(2026, 6, 30), datetime.date(2026, 12, 31))
    assert last.heading == "2026 (at 2026-06-30)"
    cells = {line.account: line.cells["2026"] for line in statement.balances}
    assert cells["Equity:OpenAI:Investment:Microsoft"].amount == D("-11900000000.00")
    # 73B ± 0.5B asserted, then the 2026-Q2 funding of 11.9B − 11.8B = 0.1B: 72.6B..73.6B
    assert cells["Assets:OpenAI:Cash"].interval == Interval(D("72600000000.00"), D("73600000000.00"))
    # ... which is the balance asserted for 2026-03-31 plus the funding since, not OpenAI's cash at 2026-06-30:
    # no spending after the assertion is recorded (the note says so; 2025's, fixed by its own assertion, has none)
    assert "the balance asserted for 2026-03-31 plus the deal's flows" in cells["Assets:OpenAI:Cash"].not_known
    assert {line.account: line.cells["2025"] for line in statement.balances}["Assets:OpenAI:Cash"].not_known is None
    records = [r for r in balance_records(statement) if r["period"] == "2026"]
    assert records and {r["end"] for r in records} == {datetime.date(2026, 6, 30)}
    headers, _, _ = balance_cells(statement)
    assert headers[-1] == "2026 (at 2026-06-30)"
    # Microsoft's 20% for 2025 is not known (no 2025-Q4 payment solves it): what OpenAI is owed of it is at least
    # what is posted from 2025 on, not a plain 0; Microsoft's payable to OpenAI at most its posted 0
    due = cells["Assets:OpenAI:Due:Microsoft"]
    assert (due.amount, due.interval) == (
        D("0.00"),
        Interval(D("0.00"), None),
    ) and "Microsoft's 20% is in force over 2025 and nothing accrues it there" in due.not_known
    payable = {line.account: line.cells for line in load_statement(MAIN, "Microsoft").balances}
    assert payable["Liabilities:Microsoft:Due:OpenAI"]["2025"].interval == Interval(None, D("0.00"))
    assert payable["Liabilities:Microsoft:Due:OpenAI"]["2024"].interval is None  # 2024's share is solved


def test_a_share_line_with_no_accrual_while_its_share_is_in_force_is_not_known():
    """Microsoft's 2026 (2026-H1): OpenAI's 20% is in force all of it and Microsoft's until 2026-04-26, but no
    2026 revenue of either posts (OpenAI's 2026-Q1 5.7B is a reported record): both share lines read "not
    known" (they read blank), and the total of what OpenAI pays is at least 2024's and 2025's, 730M + 2,613M."""
    statement = load_statement(MAIN, "Microsoft")
    for line in ("Income:Microsoft:RevenueShare:OpenAI", "Expenses:Microsoft:RevenueShare:OpenAI"):
        cell = statement.cell(line, "2026")
        assert cell.amount is None and "has no accrual for 2026 while the share is in force" in cell.not_known
    assert "Income:OpenAI" not in " ".join(statement.not_known)  # OpenAI's base by name, not its account
    total = statement.cell("Income:Microsoft:RevenueShare:OpenAI", TOTAL_ROW)
    assert total.interval == Interval(D("3343000000.00"), None)


def test_a_line_blank_in_every_column_says_what_it_is():
    """OpenAI's training compute has no figure of its own; 2024's and 2025's audited costs are recorded, so it
    lies inside their rest, Expenses:OpenAI:Costs:NotItemized: a note says so (the line was blank, unexplained)."""
    statement = load_statement(MAIN, "OpenAI")
    assert statement.cell("Expenses:OpenAI:Compute:Training", "2024").amount is None
    [note] = [n for n in statement.blank_lines if n.startswith("Expenses:OpenAI:Compute:Training")]
    assert "in 2024, 2025 it lies inside Expenses:OpenAI:Costs:NotItemized" in note
    printed = " ".join(run("OpenAI").stdout.split())
    assert "Expenses:OpenAI:Compute:Training: no figure of its own; in 2024, 2025 it lies inside" in printed


def test_with_no_total_of_openais_costs_its_net_is_not_known_and_its_expenses_at_least_what_is_recorded():
    """As known on 2026-06-15, before the audited costs: OpenAI's costs for 2024 are its inference alone."""
    rows = list(csv.DictReader(io.StringIO(run("OpenAI", "--as-of", "2026-06-15", "--format", "csv").stdout)))
    cell = {(r["period"], r["line"]): r for r in rows}
    rest = cell[("2024", "Expenses:OpenAI:Costs:NotItemized")]
    assert rest["amount"] == "" and "no figure of OpenAI's total costs covers 2024" in rest["not_known"]
    # expenses: inference 3,767,100,000 + OpenAI's 20% of the revenue the 493.8M payment implies, at least 493,800,000
    expenses = cell[("2024", "expenses")]
    assert (expenses["amount_low"], expenses["amount_high"], expenses["bound"]) == ("4260900000.00", "", "lower")
    assert D(expenses["amount_low"]) == I_2024 + N_2024
    # income is at least 2,469,000,000 (493.8M / 0.20) and the costs beyond inference are not known: the net is
    # bounded neither way (it read "≥ -1,791,900,000", 0.8 x 2,469,000,000 − 3,767,100,000, as if they were 0)
    net = cell[("2024", "net")]
    assert (net["amount"], net["amount_low"], net["amount_high"], net["bound"]) == ("", "", "", "")
    assert "no figure of OpenAI's total costs covers 2024" in net["not_known"]
    text = run("OpenAI", "--as-of", "2026-06-15").stdout
    assert re.search(r"net result +│ +not known +│", text)


def test_a_cell_the_table_marks_as_a_bound_says_so_in_csv():
    """CSV's `bound` is what the table's mark is: 2025's net reads "≥ -20,985,000,000" and says "lower"."""
    rows = list(csv.DictReader(io.StringIO(run("OpenAI", "--by", "year", "--format", "csv").stdout)))
    net = next(r for r in rows if (r["period"], r["line"]) == ("2025", "net"))
    # income 13.065B..13.075B plus Microsoft's 2025 share, not known (at least 0); expenses 33.95B..34.05B:
    # the net is at least 13,065,000,000 − 34,050,000,000 = −20,985,000,000, open above
    assert (net["amount_low"], net["amount_high"], net["bound"]) == ("-20985000000.00", "", "lower")
    assert D("13065000000") - D("34050000000") == D(net["amount_low"])
    revenue = next(r for r in rows if (r["period"], r["line"]) == ("2025", "Income:OpenAI:Revenue"))
    assert revenue["bound"] == ""  # a range (13.065B..13.075B), both ends given: no bound


def test_microsofts_20_where_a_payment_implies_revenue_is_not_known_and_the_net_keeps_its_bound():
    """As known on 2026-06-15 no Microsoft base has a figure: the payments imply OpenAI's revenue as if
    Microsoft's 20% were 0. That 20% is not known (it read blank, with no reason), on both companies' lines."""
    day = datetime.date(2026, 6, 15)
    openai, microsoft = load_statement(MAIN, "OpenAI", as_of=day), load_statement(MAIN, "Microsoft", as_of=day)
    received = openai.cell("Income:OpenAI:RevenueShare:Microsoft", "2024")
    paid = microsoft.cell("Expenses:Microsoft:RevenueShare:OpenAI", "2025")
    for cell in (received, paid):
        assert cell.amount is None and "as if Microsoft's share were 0" in cell.not_known
    # Microsoft's 2025 expenses: its equity-method result, -5.969B..-5.869B (2025-Q4 pinned by the nine months'
    # 5.9B, known since 2026-04-29), plus that 20%, at least 0: open above
    assert microsoft.cell(EXPENSES, "2025").interval == Interval(D("-5969000000.00"), None)
    # its net still has its lower bound: the 20% it pays is a fifth of the Bing and Azure OpenAI revenue its
    # income would hold whole, so the net is at least inference 8,670,000,000 + the payments 865,800,000 + 5.869B
    net = microsoft.cell(NET, "2025")
    assert net.interval == Interval(D("8670000000") + D("865800000") + D("5869000000"), None)
    assert net.interval.low == D("15404800000") and net.bound == "lower"


def test_a_due_a_share_not_known_settles_says_which_way_it_may_move(openai, microsoft):
    """OpenAI's 20% of 2025: 0.2 x 13.065B..13.075B = 2,613M..2,615M, less the Jan–Sep payments 865.8M, is posted
    as owed (1,747.2M..1,749.2M). But those payments are net of Microsoft's 2025 share, not known: they settle
    some of it too, so what OpenAI owes is at most 1,749,200,000, open toward 0, on both companies' books."""
    owed = -(D("0.20") * D("13075000000") - D("865800000"))  # -1,749,200,000
    due = {line.account: line for line in openai.balances}["Liabilities:OpenAI:Due:Microsoft"]
    assert (
        due.cells["2025"].interval == Interval(owed, None)
        and "also settle a share not known" in due.cells["2025"].not_known
    )
    mirror = {line.account: line for line in microsoft.balances}["Assets:Microsoft:Due:OpenAI"]
    assert mirror.cells["2025"].interval == Interval(None, -owed)
    # 2026: OpenAI's 20% is in force and none of its revenue posts, so it may owe more too: not known either way
    for line in (due, mirror):
        assert (
            line.cells["2026"].amount is None
            and "OpenAI's 20% is in force over 2026-H1" in line.cells["2026"].not_known
        )
    # before the second leak the 2024 payment implies the revenue, read as if Microsoft's share were 0: the
    # payment settles OpenAI's 20% of it exactly, both Dues 0
    before = load_statement(MAIN, "OpenAI", as_of=datetime.date(2026, 6, 15))
    dues = {line.account: line.cells["2024"] for line in before.balances if ":Due:" in line.account}
    assert all((cell.amount, cell.interval, cell.not_known) == (0, None, None) for cell in dues.values()), dues


def test_a_balance_an_assertion_checks_at_its_column_end_is_that_balance_not_one_plus_flows():
    """By quarter: the cash asserted on 2026-04-01 (73B, "about") is OpenAI's balance at the end of 2026-Q1 itself;
    2026-Q2 adds Microsoft's funding recorded after it (11.9B − 11.8B = 100M), so it is the assertion plus flows."""
    quarters = load_statement(MAIN, "OpenAI", by="quarter")
    [cash] = [line for line in quarters.balances if line.account == "Assets:OpenAI:Cash"]
    assert cash.cells["2026-Q1"].interval == Interval(D("72500000000.00"), D("73500000000.00"))
    assert cash.cells["2026-Q1"].not_known is None  # it read "the balance asserted for 2025-12-31 plus flows"
    assert "the balance asserted for 2026-03-31 plus the deal's flows" in cash.cells["2026-Q2"].not_known
    assert cash.cells["2026-Q2"].interval == Interval(D("72600000000.00"), D("73600000000.00"))


def test_a_due_reads_the_same_kind_by_year_and_by_quarter_where_a_share_is_in_force_unaccrued():
    """As known on 2026-06-15, OpenAI's 2025 figures cover Jan–Sep; its 20% is in force in 2025-Q4 and nothing
    accrues it there, so at the end of 2025 what it owes is at most the 0 posted, by year as by quarter."""
    day = datetime.date(2026, 6, 15)
    for by, label in (("year", "2025"), ("quarter", "2025-Q4")):
        statement = load_statement(MAIN, "OpenAI", by=by, as_of=day)
        due = {line.account: line.cells[label] for line in statement.balances}["Liabilities:OpenAI:Due:Microsoft"]
        assert (due.amount, due.interval) == (D("0.00"), Interval(None, D("0.00"))), by
        assert "OpenAI's 20% is in force over 2025-Q4 and nothing accrues it there" in due.not_known


def test_a_solved_base_beside_a_recorded_one_gives_total_income_what_the_payments_leave():
    """azure-openai-growth records Azure OpenAI Service for 2024 (0.5B..1.5B) and leaves Bing to the payment.

    Whatever the split, Bing + Azure OpenAI Service is what the payments leave: (0.2·R − N) / 0.2 = R − 2,469,000,000
    over R in 3.65B..3.75B, 1,181,000,000..1,281,000,000, as in the base books. So Microsoft's 2024 income is
    3,767,100,000 + (R − 2,469,000,000) + 0.2·R = 1.2·R + 1,298,100,000: 5,678,100,000..5,798,100,000, the base
    books' range (an assumption adds no width), not "≥ 4,997,100,000" (Azure's low end alone, Bing read as 0).
    """
    scenario = load_statement(SCENARIO, "Microsoft")
    base = load_statement(MICROSOFT_BOOK, "Microsoft")
    low, high = (
        D("1.2") * D("3650000000") + I_2024 - N_2024 / D("0.20"),
        D("1.2") * D("3750000000") + I_2024 - D("2469000000"),
    )
    assert (low, high) == (D("5678100000"), D("5798100000"))
    income = scenario.cell(INCOME, "2024")
    assert (income.interval, income.lower_bound, income.not_known) == (Interval(low, high), False, None)
    assert (
        income.amount == I_2024 + MICROSOFT_BASES_2024 + OPENAI_SHARE_2024 == D("5738100000")
    )  # posted: 1.2 × 3.7B + …
    assert base.cell(INCOME, "2024").interval == income.interval
    # the total column counts Azure's 2024 once, inside the solved sum, and its 2025 quarters beside it
    total = scenario.cell(INCOME, TOTAL_ROW)
    azure_2025 = D("406250000") + D("468750000") + D("531250000")  # the scenario's three quarters
    assert (
        total.amount
        == I_2024
        + D("8670000000")
        + MICROSOFT_BASES_2024
        + azure_2025
        + scenario.cell("Income:Microsoft:RevenueShare:OpenAI", TOTAL_ROW).amount
    )
    result = CliRunner().invoke(
        app, ["statement", "Microsoft", "--scenario", "azure-openai-growth", "--format", "json"]
    )
    [row] = [r for r in json.loads(result.stdout) if (r["period"], r["line"]) == ("2024", INCOME)]
    assert (row["amount_low"], row["amount_high"], row["bound"]) == ("5678100000.00", "5798100000.00", None)


def test_the_net_says_how_it_meets_the_operating_loss_stated(openai, microsoft):
    """Z2 states OpenAI's 2024 operating loss as 8,780,000,000: its revenue less its audited costs, R − 12.48B.
    The net here also holds Microsoft's solved 20% (246,200,000 posted), so it reads −8,533,800,000; the statement
    says why the two differ (only docs/model.md did). Without that share the net moves with R alone (the share's
    moves cancel): 3.65B..3.75B − 12.48B = −8.83B..−8.73B, which holds the loss stated."""
    [note] = [n for n in openai.stated if n.startswith("net result, 2024:")]
    assert OPENAI_NET_2024 - MICROSOFT_SHARE_2024 == REVENUE_2024 - COSTS_2024 == D("-8780000000")
    assert "operating loss as 8,780,000,000 (leaked:" in note and "(246,200,000 as posted)" in note
    assert note.endswith(
        "without it the net is -8,830,000,000..-8,730,000,000 as the figures are stated, which holds the loss stated"
    )
    # 2025: 13.065B..13.075B − 33.95B..34.05B = −20.985B..−20.875B, holding the loss Z2 states as 20.92B, which
    # stands for 20,915,000,000..20,925,000,000 (it read as the exact 20,920,000,000)
    [later] = [n for n in openai.stated if n.startswith("net result, 2025:")]
    assert "not known there" in later and "-20,985,000,000..-20,875,000,000 as the figures are stated" in later
    assert "operating loss as 20,920,000,000 (20,915,000,000..20,925,000,000) (leaked:" in later
    assert "net result, 2024:" in " ".join(run("OpenAI").stdout.split())
    assert microsoft.stated == ()  # the operating losses the sources give are OpenAI's


def test_a_share_partly_accrued_but_not_known_opens_the_dues_its_payments_settle():
    """azure-openai-growth records Azure OpenAI Service for 2025 (1,406,250,000, so Microsoft accrues 281,250,000 of
    its 20%) but not Bing: Microsoft's 2025 share is not known (no 2025-Q4 payment), though some of it accrues. The
    Jan-Sep payments settled the unknown part too, so OpenAI owes at most 0.2 x 13.075B − 865.8M − 281.25M =
    1,467,950,000: its payable reads ≥ −1,467,950,000 (it read a closed range, as if Bing's share were 0)."""
    most_owed = D("0.20") * D("13075000000") - D("865800000") - D("0.20") * D("1406250000")
    assert most_owed == D("1467950000")
    statement = load_statement(SCENARIO, "OpenAI")
    [due] = [line for line in statement.balances if line.account == "Liabilities:OpenAI:Due:Microsoft"]
    assert due.cells["2025"].interval == Interval(-most_owed, None)
    assert "nearer 0 than posted" in due.cells["2025"].not_known


def test_a_balance_between_a_pad_and_the_assertion_it_pads_to_is_a_range():
    """Z2: OpenAI's cash ~25B at 2025-12-31 (25B ± 500M); TI-Q1: ~73B at 2026-03-31 (73B ± 500M). Beancount's pad
    for the second posts on 2026-01-01 all that moves until 2026-03-31, so at 2026-01-31 (Fava's ?time=2026-01) the
    cash is anywhere from the first balance, 24.5B, to the second, 73.5B: it read 72.3B–73.5B, as if all had moved
    on New Year's Day. The pad's other leg moves the other way. And a flow over a span moves by its own range:
    Microsoft's stake at 2025-11-30 is 7.5B (11.6B − 4.1B) up to 7.5B + 10.069B (the ~10B gain's top, as the nine
    months' 5.9B pins it) + 200M of funding = 17.769B."""
    openai = load_statement(OPENAI_BOOK, "OpenAI")
    at = {line.account: line.cells[TOTAL_ROW] for line in openai.closing_balances(datetime.date(2026, 1, 31))}
    assert at["Assets:OpenAI:Cash"].interval == Interval(D("24500000000"), D("73500000000"))
    assert "a pad of 2026-01-01 to the balance of 2026-04-01" in at["Assets:OpenAI:Cash"].not_known
    # the other leg moves the other way; 2025's pad was up to 200M less (Microsoft's 2025-10..2026-03 funding)
    assert at["Equity:OpenAI:Unitemized"].interval.high == -(D("41115600000") - D("616000000") - D("200000000"))
    microsoft = load_statement(MICROSOFT_BOOK, "Microsoft")
    stake = {line.account: line.cells[TOTAL_ROW] for line in microsoft.closing_balances(datetime.date(2025, 11, 30))}
    top = D("11600000000") - LOSSES_Q3 + D("10069000000") + D("200000000")
    assert stake["Assets:Microsoft:Investment:OpenAI"].interval == Interval(D("7500000000"), top)


def test_moves_over_one_span_move_together_inside_it():
    """At 2024-03-31 (Fava's ?time=2024-Q1) OpenAI's payable holds the leak's 2024-Q1 payment, 77,300,000, and its
    2024 accrual (0.2 × 3.65B..3.75B = 730M..750M) and the settlement of Microsoft's solved share (236.2M..256.2M)
    both post on 2024-12-31 for 2024: none or all of them had moved, together, so the payable lies between
    77.3M − (750M − 236.2M) = −436.5M and 77.3M. Each alone gave −323.5M..662.7M (the settlement moved, not the
    accrual it nets: a state no day has)."""
    openai = load_statement(OPENAI_BOOK, "OpenAI")
    at = {line.account: line.cells[TOTAL_ROW] for line in openai.closing_balances(datetime.date(2024, 3, 31))}
    payable = at["Liabilities:OpenAI:Due:Microsoft"]
    assert payable.amount == D("77300000")
    assert payable.interval == Interval(D("77300000") - (D("750000000") - D("236200000")), D("77300000"))


def test_a_balance_inside_a_first_flow_s_span_is_a_range_at_any_day():
    """Fava's ?time=2019 asks the balances at 2019-12-31, before any posting of the books but inside the span of
    Microsoft's funding (11.6B over 2019-07-22..2025-09-30): none to all of it, 0..11.6B; it raised an error (a
    500 on the Journal's notice) once such a balance stopped reading "not known"."""
    microsoft = load_statement(MICROSOFT_BOOK, "Microsoft")
    at = {line.account: line.cells[TOTAL_ROW] for line in microsoft.closing_balances(datetime.date(2019, 12, 31))}
    assert at["Assets:Microsoft:Investment:OpenAI"].interval == Interval(D("0"), D("11600000000"))


def test_a_total_over_a_hole_says_what_it_covers_and_every_blank_says_why():
    """openai-revenue-to-2030 assumes OpenAI's revenue from 2026-04-01 on; nothing posts for 2026-Q1 (TI-Q1's 5.7B
    is reported, not posted) while OpenAI's 20% is in force. The total of Income:OpenAI:Revenue is the audited
    3.65B..3.75B + 13.065B..13.075B plus the scenario's 23,179M + 52,289M + 94,677M + 171,426M + 310,392M =
    651,963,000,000: 668,678,000,000..668,788,000,000, over 2024..2030 less 2026-Q1, so partial ("†"), not a
    range over all of 2024-01..2030-12. Every blank cell says why (CSV as JSON): Training inside the audited
    costs not itemized, and Microsoft's 20% to OpenAI after it ended on 2026-04-27 (AMD), nothing to accrue."""
    projected = ["statement", "OpenAI", "--scenario", "openai-revenue-to-2030"]
    as_json = CliRunner().invoke(app, [*projected, "--format", "json"])
    rows = {(r["period"], r["line"]): r for r in json.loads(as_json.stdout)}
    scenario = D("23179000000") + D("52289000000") + D("94677000000") + D("171426000000") + D("310392000000")
    revenue = rows[(TOTAL_ROW, "Income:OpenAI:Revenue")]
    low, high = D("3650000000") + D("13065000000") + scenario, D("3750000000") + D("13075000000") + scenario
    assert (D(revenue["amount_low"]), D(revenue["amount_high"])) == (low, high) == (D("668678e6"), D("668788e6"))
    assert (revenue["covers"], revenue["partial"]) == ("2024-01..2030-12 except 2026-Q1", True)
    assert rows[(TOTAL_ROW, "Expenses:OpenAI:RevenueShare:Microsoft")]["partial"] is True  # OpenAI's 20% of it
    assert revenue["covered"] == "2024-01..2030-12 except 2026-Q1"  # the total column's own span says so too
    for row in rows.values():
        assert row["amount"] is not None or row["amount_blank"], row
    training = rows[("2024", "Expenses:OpenAI:Compute:Training")]
    assert (training["amount"], training["not_known"]) == (None, None)
    assert "lies inside Expenses:OpenAI:Costs:NotItemized" in training["amount_blank"]
    ended = rows[("2027", "Income:OpenAI:RevenueShare:Microsoft")]["amount_blank"]
    assert ended == (
        "Income:OpenAI:RevenueShare:Microsoft for 2027: nothing accrues: no share of Microsoft's is in force then "
        "(none is owed)"
    )
    as_csv = CliRunner().invoke(app, [*projected, "--format", "csv"])
    by_csv = {(r["period"], r["line"]): r for r in csv.DictReader(io.StringIO(as_csv.stdout))}
    assert by_csv[("2027", "Income:OpenAI:RevenueShare:Microsoft")]["amount_blank"] == ended
    assert by_csv[(TOTAL_ROW, "Income:OpenAI:Revenue")]["covers"] == "2024-01..2030-12 except 2026-Q1"
    table = " ".join(CliRunner().invoke(app, projected, env={"COLUMNS": "200"}).stdout.split())
    assert "total (2024-01..2030-12 except 2026-Q1)" in table  # the column's heading says its hole too
    assert "Income:OpenAI:RevenueShare:Microsoft, blank for 2027-01..2030-12: nothing accrues" in table


def test_a_statement_with_nothing_known_yet_says_why_and_when_the_first_figure_was():
    """As known on 2025-11-01 the books hold nothing of OpenAI's income or expenses: the first leak (Z) became
    public on 2025-11-12. The table says so instead of listing line names with no column; JSON stays a list."""
    result = CliRunner().invoke(app, ["statement", "OpenAI", "--as-of", "2025-11-01"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "no figure of OpenAI's income or expenses was known by 2025-11-01; the first became known on 2025-11-12" in (
        result.stdout
    )
    assert "Income:OpenAI:Revenue" not in result.stdout
