"""The saved queries, run the way people run them: bean-query's CLI, `.run NAME`.

Expected figures are docs/sources.md arithmetic, written out.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import textwrap
from decimal import Decimal

import pytest
from beancount.core import data
from conftest import LEDGER_DIR, MAIN, PLUGINS
from ledgers import year_payment

D = Decimal
SCENARIO = LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"
QUERIES = ("revenue-share-flows", "implied-revenue", "inference-vs-revenue", "figures-by-source", "due-balances")

# docs/sources.md, the leak quarter by quarter (the books post the quarters; the totals refine into them).
QUARTER_ENDS = ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30")
NET = dict(
    zip(
        QUARTER_ENDS, map(D, ("77300000", "109500000", "139200000", "167800000", "206400000", "248300000", "411100000"))
    )
)
INFERENCE = dict(
    zip(
        QUARTER_ENDS,
        map(D, ("546800000", "748300000", "1005000000", "1467000000", "2075000000", "2947000000", "3648000000")),
    )
)
RATE = D("0.20")


def run(ledger, name: str, fmt: str = "text") -> str:
    result = subprocess.run(
        ["bean-query", "-f", fmt, str(ledger), f".run {name}"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    return result.stdout


def rows(ledger, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(run(ledger, name, "csv"))))


def amount(text: str) -> Decimal:
    """`' 493800000.00 USD'` or `'493800000.00'` as a Decimal."""
    return D(text.strip().split()[0])


def saved_queries(books) -> dict[str, str]:
    entries, _, _ = books
    return {e.name: e.query_string for e in entries if isinstance(e, data.Query)}


def test_the_five_queries_are_saved_in_the_books(books):
    assert set(QUERIES) <= set(saved_queries(books))


@pytest.fixture(scope="module")
def first(first_leak_main) -> dict:
    """The first leak's books (conftest.first_leak) and their scenario: payments imply revenue there."""
    return {"base": first_leak_main, "scenario": first_leak_main.parent / "scenarios" / SCENARIO.name}


@pytest.mark.parametrize("which", ["base", "scenario"])
@pytest.mark.parametrize("name", QUERIES)
def test_every_column_is_aliased_and_no_header_is_cut(books, first, which, name):
    """bean-query cuts a header to its column's width: every alias must show whole."""
    ledger = first[which]  # every query has rows there (the shipped books imply no revenue)
    query = saved_queries(books)[name]
    select = query.split("WHERE")[0]
    aliases = re.findall(r"\bAS\s+(\w+)", select)
    # One alias per top-level comma of the SELECT list.
    depth, columns = 0, 1
    for ch in select:
        depth += ch == "("
        depth -= ch == ")"
        columns += ch == "," and depth == 0
    assert len(aliases) == columns, f"{name}: {columns} columns, {len(aliases)} aliases"
    header = run(ledger, name).splitlines()[0].split()
    assert header == aliases


def test_revenue_share_flows_both_ways_and_the_net(first):
    flows = {(r["period_end"], r["flow"]): amount(r["amount"]) for r in rows(first["base"], "revenue-share-flows")}
    for end, net in NET.items():
        # No Microsoft base in the base books: OpenAI's implied 20% is the net payment itself.
        assert flows[(end, "net paid (leaked)")] == net
        assert flows[(end, "OpenAI 20% to Microsoft")] == net
    # Unknown is not zero: no row for Microsoft's 20% at all.
    assert not any(flow.startswith("Microsoft") for _, flow in flows)


def test_revenue_share_flows_in_the_scenario(first):
    flows = [(r["period_end"], r["flow"], amount(r["amount"])) for r in rows(first["scenario"], "revenue-share-flows")]
    ms_2024 = sum(a for end, flow, a in flows if flow.startswith("Microsoft") and end.startswith("2024"))
    # Azure OpenAI Service revenue 2024 in the scenario: 1,000,000,000; Microsoft pays 20% of it.
    assert ms_2024 == RATE * D("1000000000")
    openai_2024 = sum(a for end, flow, a in flows if end.startswith("2024") and flow.startswith("OpenAI"))
    # Gross = net + Microsoft's share: 493.8M (the four quarters) + 200M.
    assert openai_2024 == D("493800000") + ms_2024


def test_implied_revenue_query(first):
    assert rows(MAIN, "implied-revenue") == []  # the shipped books record 2024's and 2025's revenue
    found = {r["end"]: r for r in rows(first["base"], "implied-revenue")}
    assert set(found) == set(NET)
    for end, net in NET.items():
        # net / 0.20: 386,500,000 ... 2,055,500,000 (docs/sources.md's lower bounds).
        assert amount(found[end]["revenue"]) == net / RATE
        assert found[end]["bound"] == "lower bound"
        assert found[end]["arithmetic"].startswith(f"({net:.2f} USD + 0")
    assert amount(found["2024-03-31"]["revenue"]) == D("386500000")
    # 2024 adds up to 493,800,000 / 0.20 = 2,469,000,000.
    assert sum(amount(found[end]["revenue"]) for end in QUARTER_ENDS[:4]) == D("2469000000")


def test_inference_vs_revenue_query(first):
    found = {r["period_end"]: r for r in rows(first["base"], "inference-vs-revenue")}
    for end in NET:
        revenue = NET[end] / RATE
        assert D(found[end]["inference"]) == INFERENCE[end]
        assert D(found[end]["revenue"]) == revenue
        assert D(found[end]["x"]) == round(INFERENCE[end] / revenue, 2)  # 2024: 1.5257... -> 1.53
        # docs/sources.md: inference spend exceeds implied revenue in every period.
        assert D(found[end]["x"]) > 1


def test_the_query_page_and_the_report_round_the_ratio_the_same_way(first_leak, first):
    from leakledger.reports import period_table

    entries, _, options = first_leak
    report = {
        row["end"].isoformat(): row["inference_to_revenue"]
        for row in period_table(entries, options, by="quarter", totals=False).to_dict("records")
    }
    found = {r["period_end"]: D(r["x"]) for r in rows(first["base"], "inference-vs-revenue")}
    assert found and all(report[end] == ratio for end, ratio in found.items()), (found, report)


def test_figures_by_source_query():
    found = rows(MAIN, "figures-by-source")
    zitron = [r for r in found if r["source"].startswith("Ed Zitron")]
    assert {(r["metric"], r["end"]): D(r["amount"]) for r in zitron} == {
        **{("revenue-share", end): net for end, net in NET.items()},
        **{("inference", end): spend for end, spend in INFERENCE.items()},
        # The second leak's audited revenue (Z2).
        ("revenue", "2024-12-31"): D("3700000000"),
        ("revenue", "2025-12-31"): D("13070000000"),
    }
    assert {r["kind"] for r in zitron} == {"leaked"}
    assert {r["url"] for r in zitron} == {
        "https://www.wheresyoured.at/oai_docs/",
        "https://www.wheresyoured.at/exclusive-openai-financials/",
    }
    ten_q = {(r["metric"], r["end"]): D(r["amount"]) for r in found if r["source"].startswith("Microsoft Form 10-Q")}
    # docs/sources.md: 11.6B funded and a 4.1B loss (10Q), a 19M loss in 2026-Q1 (MSQ3).
    assert ten_q == {
        ("investment", "2025-09-30"): D("11600000000"),
        ("losses-share", "2025-09-30"): D("4100000000"),
        ("losses-share", "2026-03-31"): D("19000000"),
    }


def test_due_balances_are_settled_in_the_first_leaks_books(first):
    """The implied revenue makes OpenAI's 20% equal the net payment, so Due closes."""
    balances = {r["account"]: amount(r["balance"]) for r in rows(first["base"], "due-balances")}
    assert balances and set(balances.values()) == {D(0)}


def test_due_balances_in_the_shipped_books_hold_2025s_unpaid_share():
    # 2024 closes (Microsoft's 20% solved); 2025's OpenAI 20% of 13,070,000,000 less the Jan-Sep
    # payments stays owed: 2,614,000,000 - 865,800,000 = 1,748,200,000 (no 2025-Q4 payment is known).
    balances = {r["account"]: amount(r["balance"]) for r in rows(MAIN, "due-balances")}
    owed = RATE * D("13070000000") - D("865800000")
    assert balances["Liabilities:OpenAI:Due:Microsoft"] == -owed == D("-1748200000")
    assert balances["Assets:Microsoft:Due:OpenAI"] == owed
    assert balances["Assets:OpenAI:Due:Microsoft"] == balances["Liabilities:Microsoft:Due:OpenAI"] == 0


def test_due_balances_close_when_revenue_and_payment_solve_microsofts_share(tmp_path):
    """Record 2024's revenue: 20% of 3.7B exceeds the 493.8M paid by Microsoft's 20%, solved and settled."""
    ledger = tmp_path / "main.beancount"
    ledger.write_text(
        PLUGINS
        + textwrap.dedent(f"""
        include "{LEDGER_DIR / "accounts.beancount"}"
        include "{LEDGER_DIR / "rules.beancount"}"
        include "{LEDGER_DIR / "queries.beancount"}"

        2024-12-31 * "OpenAI revenue (2024)" #reported ^revenue-2024
          metric: "revenue"
          period-start: 2024-01-01
          source: "New York Times / CNBC, 2024-09-27"
          Assets:OpenAI:Cash       3700000000.00 USD
          Income:OpenAI:Revenue   -3700000000.00 USD

    """)
        + year_payment(2024, "493800000.00")
    )
    balances = {r["account"]: amount(r["balance"]) for r in rows(ledger, "due-balances")}
    # Microsoft's 20% = 740,000,000 - 493,800,000 = 246,200,000 accrues and is set off: every Due is 0.
    assert balances and set(balances.values()) == {D(0)}
    flows = {r["flow"]: amount(r["amount"]) for r in rows(ledger, "revenue-share-flows")}
    assert any(flow.startswith("Microsoft") and a == D("246200000") for flow, a in flows.items())


def test_cap_accruals_query_runs_to_the_cap_in_the_projection():
    projection = LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount"
    found = rows(projection, "cap-accruals")
    header = run(projection, "cap-accruals").splitlines()[0].split()
    assert header == ["date", "base", "share", "accrued", "left"]
    # docs/sources.md (TI-CAP): 38B; the running total ends exactly there and nothing is left.
    assert amount(found[-1]["accrued"]) == D("38000000000") and amount(found[-1]["left"]) == 0
    assert sum(amount(r["share"]) for r in found) == D("38000000000")
    assert all(amount(r["accrued"]) + amount(r["left"]) == D("38000000000") for r in found)
    assert rows(MAIN, "cap-accruals") == []  # nothing of OpenAI's share accrues after 2026-04-27 in the books


def test_inference_vs_revenue_marks_its_bounds(first_leak_main):
    """Issue 21: the query page dropped the ≥/≤ the report shows. An implied revenue is a lower bound, x an upper.

    "no bound" where the figures are none: test_inference_vs_revenue_with_recorded_revenue_is_no_bound.
    """
    # The first leak's books: every leaked quarter's revenue is implied (payment / 0.20), a lower bound.
    found = {r["period_end"]: r["bound"] for r in rows(first_leak_main, "inference-vs-revenue")}
    assert found == {end: "revenue ≥, x ≤" for end in NET}
    # The shipped books record the audited 2024 revenue (3,700,000,000) beside 2024's inference
    # (546.8M + 748.3M + 1,005M + 1,467M = 3,767,100,000): one row, a figure, not a bound. 2025's
    # audited revenue covers the year, its inference Jan-Sep only: no row.
    assert {r["period_end"]: r["bound"] for r in rows(MAIN, "inference-vs-revenue")} == {"2024-12-31": "no bound"}
    # A scenario that records OpenAI's revenue from 2026 on, over the same base books: those years
    # record revenue but no inference, so no row where 0.00 and x 0.00 stood.
    projected = {
        r["period_end"]: r["bound"]
        for r in rows(LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount", "inference-vs-revenue")
    }
    assert projected == {"2024-12-31": "no bound"}


def test_figures_by_source_gives_a_gain_and_a_loss_opposite_signs():
    """Issue 21: the ~10B 2025-Q4 gain showed as 10000000000.00, the same sign as the 4.1B loss."""
    found = {(r["metric"], r["end"]): r for r in rows(MAIN, "figures-by-source")}
    loss, gain = found["losses-share", "2025-09-30"], found["losses-share", "2025-12-31"]
    # docs/sources.md: a 4,100,000,000 loss in 2025-Q3 and a ~10,000,000,000 gain in 2025-Q4 (equity method).
    assert D(loss["amount"]) == D("4100000000") and D(gain["amount"]) == -D("10000000000")
    assert loss["counts"] == gain["counts"] == "+ loss, - gain"
    assert found["revenue-share", "2024-03-31"]["counts"] == "+ paid"
    assert found["inference", "2024-03-31"]["counts"] == "+ spent"
    assert found["investment", "2025-09-30"]["counts"] == "+ funded"


def test_figures_by_source_reads_each_metric_on_its_first_leg(books):
    """The query names each metric's amount account by hand: it must be the model's first leg, for every metric."""
    from leakledger.model import METRICS

    query = saved_queries(books)["figures-by-source"]
    pairs = dict(re.findall(r"str\(entry_meta\('metric'\)\) = '([^']+)' AND account = '([^']+)'", query))
    assert pairs == {name: m.legs[0][0] for name, m in METRICS.items()}
    assert all(m.legs[0][1] == 1 for m in METRICS.values())  # so the units are the amount as the metric counts it


def test_cap_accruals_has_a_header_where_beanquery_prints_one():
    """No accrual counts against the cap in the shipped books. bean-query 0.2's text output prints
    nothing for no rows (beanquery/render/text.py), so the header is there in CSV (and on Fava's Query page)."""
    assert run(MAIN, "cap-accruals") == ""
    assert run(MAIN, "cap-accruals", "csv") == "date,base,share,accrued,left\n"


def test_inference_vs_revenue_with_recorded_revenue_is_no_bound(tmp_path):
    """2024's revenue recorded (3.7B, reported) beside the leaked 2024 inference: a figure, not a bound."""
    ledger = tmp_path / "main.beancount"
    ledger.write_text(
        PLUGINS
        + textwrap.dedent(f"""
        include "{LEDGER_DIR / "accounts.beancount"}"
        include "{LEDGER_DIR / "rules.beancount"}"
        include "{LEDGER_DIR / "queries.beancount"}"

        2024-12-31 * "OpenAI revenue (2024)" #reported ^revenue-2024
          metric: "revenue"
          period-start: 2024-01-01
          source: "New York Times / CNBC, 2024-09-27"
          Assets:OpenAI:Cash       3700000000.00 USD
          Income:OpenAI:Revenue   -3700000000.00 USD

        2024-12-31 * "OpenAI inference spend on Azure (2024)" #leaked ^inference-2024
          metric: "inference"
          period-start: 2024-01-01
          source: "Ed Zitron, Where's Your Ed At, 2025-11-12"
          Expenses:OpenAI:Compute:Inference      3767100000.00 USD
          Assets:OpenAI:Cash                    -3767100000.00 USD
          Assets:Microsoft:Cash                  3767100000.00 USD
          Income:Microsoft:Azure:OpenAICompute  -3767100000.00 USD
    """)
    )
    [row] = rows(ledger, "inference-vs-revenue")
    assert (row["period_end"], D(row["inference"]), D(row["revenue"])) == (
        "2024-12-31",
        D("3767100000"),
        D("3700000000"),
    )
    assert D(row["x"]) == round(D("3767100000") / D("3700000000"), 2) == D("1.02")
    assert row["bound"] == "no bound"
