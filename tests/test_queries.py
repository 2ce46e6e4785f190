"""The saved queries, run the way people run them: bean-query's CLI, `.run NAME`.

Expected figures are docs/sources.md arithmetic, written out.
"""

from __future__ import annotations

import collections
import csv
import io
import json
import re
import subprocess
import textwrap
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import LEDGER_DIR, MAIN, PLUGINS
from ledgers import year_payment

D = Decimal
SCENARIO = LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"
PROJECTION = LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount"
QUERIES = (
    "revenue-share-flows",
    "implied-revenue",
    "inference-vs-revenue",
    "figures-by-source",
    "refined-totals",
    "due-balances",
    "cap-accruals",
)
#: The books each query shows rows in (bean-query's text output prints no header without rows): the first leak's
#: and their scenario, or for the cap's accruals the projection, whose shares reach the cap.
BOOKS_WITH_ROWS = [(name, which) for name in QUERIES[:-1] for which in ("base", "scenario")] + [
    ("cap-accruals", "projection")
]

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


#: Books no test writes (the shipped ones, the first leak's session copy): each query runs once on each, however
#: many tests read its rows (bean-query parses a saved query anew each run, ~1.5 s for due-balances).
READ_ONLY: list[Path] = [LEDGER_DIR]
_ran: dict[tuple[str, str, str], str] = {}


def run(ledger, name: str, fmt: str = "text") -> str:
    key = (str(ledger), name, fmt)
    if key in _ran:
        return _ran[key]
    result = subprocess.run(
        ["bean-query", "-f", fmt, str(ledger), f".run {name}"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    if any(Path(ledger).resolve().is_relative_to(root.resolve()) for root in READ_ONLY):
        _ran[key] = result.stdout
    return result.stdout


def rows(ledger, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(run(ledger, name, "csv"))))


def amount(text: str) -> Decimal:
    """`' 493800000.00 USD'` or `'493800000.00'` as a Decimal."""
    return D(text.strip().split()[0])


def saved_queries(books) -> dict[str, str]:
    entries, _, _ = books
    return {e.name: e.query_string for e in entries if isinstance(e, data.Query)}


def outer_select(query: str) -> str:
    """The outermost SELECT list of a query: up to its first FROM or WHERE outside parentheses."""
    depth = 0
    for at, ch in enumerate(query):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and re.match(r"\s(FROM|WHERE)\b", query[at:]):
            return query[: at + 1]
    return query


def test_the_saved_queries_are_the_seven_listed(books):
    assert set(saved_queries(books)) == set(QUERIES)


@pytest.fixture(scope="module")
def first(first_leak_main) -> dict:
    """The first leak's books (conftest.first_leak) and their scenario: payments imply revenue there."""
    READ_ONLY.append(first_leak_main.parent)  # a session copy that no test writes
    return {
        "base": first_leak_main,
        "scenario": first_leak_main.parent / "scenarios" / SCENARIO.name,
        "projection": PROJECTION,
    }


@pytest.mark.parametrize("name, which", BOOKS_WITH_ROWS)
def test_every_column_is_aliased_and_no_header_is_cut(books, first, which, name):
    """bean-query cuts a header to its column's width: every alias must show whole."""
    ledger = first[which]  # every query has rows there (the shipped books imply no revenue)
    select = outer_select(saved_queries(books)[name])
    # One alias per top-level comma of the SELECT list (an alias inside a subquery is not the output's).
    depth, columns, top = 0, 1, []
    for ch in select:
        depth += ch == "("
        depth -= ch == ")"
        columns += ch == "," and depth == 0
        top.append(ch if depth == 0 else " ")
    aliases = re.findall(r"\bAS\s+(\w+)", "".join(top))
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
        # Microsoft's share is not known (no Bing or Azure OpenAI Service figure): at least the 0.00 its
        # recorded bases accrue, as `explain` writes [0, ∞), never a plain 0.00.
        assert found[end]["arithmetic"] == f"({net:.2f} USD + not known, ≥ 0.00 USD) / 0.20"
    assert amount(found["2024-03-31"]["revenue"]) == D("386500000")
    # 2024 adds up to 493,800,000 / 0.20 = 2,469,000,000.
    assert sum(amount(found[end]["revenue"]) for end in QUARTER_ENDS[:4]) == D("2469000000")


#: The leak's quarters by year: 2024 whole, 2025 January to September.
YEARS = {"2024": QUARTER_ENDS[:4], "2025": QUARTER_ENDS[4:]}


def test_inference_vs_revenue_query(first):
    """By year: the first leak's inference quarters against the revenue their payments imply."""
    found = {r["year"]: r for r in rows(first["base"], "inference-vs-revenue")}
    assert set(found) == set(YEARS)
    for year, ends in YEARS.items():
        inference = sum(INFERENCE[end] for end in ends)  # 2024: 3,767,100,000; 2025: 8,670,000,000
        revenue = sum(NET[end] for end in ends) / RATE  # 2024: 493,800,000 / 0.20 = 2,469,000,000
        assert (D(found[year]["inference"]), D(found[year]["revenue"])) == (inference, revenue)
        # the revenue is a lower bound, so x is an upper bound, rounded up to stay one: 2024: 3,767,100,000 /
        # 2,469,000,000 = 1.5257... -> 1.53; 2025: 8,670,000,000 / 4,329,000,000 = 2.0027... -> 2.01, not 2.00
        assert D(found[year]["x"]) == (inference / revenue).quantize(D("0.01"), ROUND_CEILING)
        assert found[year]["bound"] == "revenue ≥, x ≤"
        # docs/sources.md: inference spend exceeds implied revenue in every period.
        assert D(found[year]["x"]) > 1
    assert (D(found["2024"]["x"]), D(found["2025"]["x"])) == (D("1.53"), D("2.01"))


def test_the_query_page_and_the_report_round_the_ratio_the_same_way(first_leak, first):
    from leakledger.reports import period_table

    entries, _, options = first_leak
    report = {
        row["period"]: row["inference_to_revenue"]
        for row in period_table(entries, options, by="year", totals=False).to_dict("records")
    }
    found = {r["year"]: D(r["x"]) for r in rows(first["base"], "inference-vs-revenue")}
    assert found and all(report[year] == ratio for year, ratio in found.items()), (found, report)


def report_by_year(ledger) -> dict[str, dict]:
    """`leakledger report --by year --format json` on `ledger`, by period."""
    result = subprocess.run(
        ["leakledger", "report", "--by", "year", "--format", "json", "--ledger", str(ledger)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {row["period"]: row for row in json.loads(result.stdout)}


@pytest.mark.parametrize("book", ["main", "openai"])
def test_inference_vs_revenue_compares_a_year_with_its_year(book):
    """The review's bug: 2024-Q4's inference alone (1,467,000,000) over the whole year's revenue, 0.40, "no bound"."""
    found = {r["year"]: r for r in rows(LEDGER_DIR / f"{book}.beancount", "inference-vs-revenue")}
    row = found["2024"]
    # 2024: the four inference quarters 546.8M + 748.3M + 1,005M + 1,467M = 3,767,100,000 (docs/sources.md)
    # over the audited revenue 3.7B, which stands for 3,650,000,000..3,750,000,000:
    # 3,767,100,000 / 3,700,000,000 = 1.0181... -> 1.02; 3,767,100,000 / 3,750,000,000 = 1.00456 -> 1.0045 (down),
    # 3,767,100,000 / 3,650,000,000 = 1.03208... -> 1.0321 (up).
    inference = sum(INFERENCE[end] for end in YEARS["2024"])
    assert (D(row["inference"]), D(row["revenue"])) == (inference, D("3700000000")) == (D("3767100000"), D("3.7e9"))
    assert D(row["x"]) == round(inference / D("3700000000"), 2) == D("1.02")
    assert row["bound"] == "x 1.0045..1.0321: inference 3767100000.00, revenue 3650000000.00..3750000000.00"
    report = report_by_year(MAIN)["2024"]
    assert D(report["inference_to_revenue"]) == D(row["x"])  # the same ratio to 2 places
    assert (report["inference_to_revenue_low"], report["inference_to_revenue_high"]) == ("1.0045", "1.0321")
    # 2025: inference Jan-Sep (2,075M + 2,947M + 3,648M = 8,670,000,000), the audited revenue the whole year:
    # no ratio of unlike periods, as the report's "spans differ".
    later = found["2025"]
    assert (D(later["inference"]), D(later["revenue"]), later["x"]) == (D("8670000000"), D("13070000000"), "")
    # ... each side with the range it stands for, as 2024 carries its own: the audited "13.07B" is
    # 13,065,000,000..13,075,000,000 (half a unit of its last digit each way); the leaked quarters are exact.
    assert later["bound"] == (
        "spans differ: inference 2025-01-01..2025-09-30, revenue 2025-01-01..2025-12-31; "
        "inference 8670000000.00, revenue 13065000000.00..13075000000.00"
    )
    assert report_by_year(MAIN)["2025"]["ratio_blank"].startswith("spans differ")


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
    found = rows(PROJECTION, "cap-accruals")
    header = run(PROJECTION, "cap-accruals").splitlines()[0].split()
    assert header == ["date", "base", "share", "accrued", "left"]
    # docs/sources.md (TI-CAP): 38B; the running total ends exactly there and nothing is left.
    assert amount(found[-1]["accrued"]) == D("38000000000") and amount(found[-1]["left"]) == 0
    assert sum(amount(r["share"]) for r in found) == D("38000000000")
    assert all(amount(r["accrued"]) + amount(r["left"]) == D("38000000000") for r in found)
    assert rows(MAIN, "cap-accruals") == []  # nothing of OpenAI's share accrues after 2026-04-27 in the books


def test_inference_vs_revenue_marks_its_bounds(first_leak_main):
    """Issue 21: the query page dropped the ≥/≤ the report shows. An implied revenue is a lower bound, x an upper.

    "exact" where the figures are: test_inference_vs_revenue_with_recorded_revenue_is_exact.
    """
    # The first leak's books: every leaked quarter's revenue is implied (payment / 0.20), a lower bound.
    found = {r["year"]: r["bound"] for r in rows(first_leak_main, "inference-vs-revenue")}
    assert found == {year: "revenue ≥, x ≤" for year in YEARS}
    # A scenario that records OpenAI's revenue from 2026 on, over the same base books: those years
    # record revenue but no inference, so no row where 0.00 and x 0.00 stood.
    projected = {
        r["year"]: r["bound"]
        for r in rows(LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount", "inference-vs-revenue")
    }
    assert set(projected) == {"2024", "2025"}
    assert projected["2024"].startswith("x 1.0045..1.0321: ") and projected["2025"].startswith("spans differ: ")


def test_inference_vs_revenue_bound_below_the_revenue_posted(first):
    """The scenario states Azure OpenAI Service's 2024 revenue as a range (0.5B..1.5B, posted at 1B): the implied
    revenue is at least 2,969,000,000, below the 3,469,000,000 posted, and x reaches up to 1.2689, as the report says."""
    found = {r["year"]: r for r in rows(first["scenario"], "inference-vs-revenue")}
    # (493,800,000 + 0.20 x 1,000,000,000) / 0.20 = 3,469,000,000 posted; (493,800,000 + 0.20 x 500,000,000) / 0.20
    # = 2,969,000,000 at least; 3,767,100,000 / 2,969,000,000 = 1.26881... -> 1.2689 (up).
    assert D(found["2024"]["revenue"]) == D("3469000000")
    assert found["2024"]["bound"] == "revenue ≥ 2969000000.00, x ≤ 1.2689"


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


def test_figures_by_source_reads_each_metric_on_its_first_leg_in_each_company(books):
    """The query names each metric's amount accounts by hand: each company's first leg of the metric in the model."""
    from leakledger.model import ENTITIES, METRICS, entity_of

    query = saved_queries(books)["figures-by-source"]
    named = {
        metric: set(re.findall(r"'([^']+)'", accounts))
        for metric, accounts in re.findall(
            r"str\(entry_meta\('metric'\)\) = '([^']+)'\s+AND account IN \(([^)]*)\)", query
        )
    }
    first_legs = {
        name: {
            next(a for a, _ in m.legs if entity_of(a) == e)
            for e in ENTITIES
            if any(entity_of(a) == e for a, _ in m.legs)
        }
        for name, m in METRICS.items()
    }
    assert named == first_legs
    # So the units are the amount as the metric counts it, and the same on either company's leg.
    assert all(sign == 1 for m in METRICS.values() for a, sign in m.legs if a in first_legs[m.name])


def figures(book: str) -> dict[tuple[str, str, str], Decimal]:
    """figures-by-source on a shipped book: (source, metric, end) -> amount, each figure once."""
    found = rows(LEDGER_DIR / f"{book}.beancount", "figures-by-source")
    keyed = {(r["source"], r["metric"], r["end"]): D(r["amount"]) for r in found}
    assert len(keyed) == len(found)  # no figure twice
    return keyed


def test_figures_by_source_finds_each_figure_once_in_every_book():
    """The review's bug: on microsoft.beancount it listed 3 rows, the losses-share ones, and missed the leak's
    payments and inference and the 11.6B funding, which post to Microsoft's accounts there too."""
    from leakledger.model import METRICS, entity_of

    both, books = figures("main"), {company: figures(company.lower()) for company in ("OpenAI", "Microsoft")}
    for company, found in books.items():
        # A company's book holds the figures of metrics with a leg in that company, with the same amounts; OpenAI's
        # total costs post their rest to OpenAI's Expenses:OpenAI:Costs:NotItemized, against its cash.
        holds = {
            key: amount
            for key, amount in both.items()
            if company == "OpenAI"
            and key[1] == "total-costs"
            or key[1] in METRICS
            and any(entity_of(a) == company for a, _ in METRICS[key[1]].legs)
        }
        assert found == holds, company
    assert set(both) == set(books["OpenAI"]) | set(books["Microsoft"])
    counts = {company: collections.Counter(metric for _, metric, _ in found) for company, found in books.items()}
    # docs/sources.md: 7 leaked net payments and 7 inference quarters (both companies); 11.6B funded (10Q, both)
    # and what the 11.8B (MSQ3) and 11.9B (MSK) totals add to it, a remainder each; OpenAI's audited 2024 and
    # 2025 revenue and the rest of its audited 2024 and 2025 total costs (OpenAI only); three equity-method
    # results and FY2026's remainder (Microsoft only).
    assert counts["Microsoft"] == {"revenue-share": 7, "inference": 7, "investment": 1 + 2, "losses-share": 3 + 1}
    assert counts["OpenAI"] == {"revenue-share": 7, "inference": 7, "investment": 1 + 2, "revenue": 2, "total-costs": 2}
    assert len(both) == 7 + 7 + 3 + 2 + 2 + 4
    ms = books["Microsoft"]
    assert sum(a for (_, metric, _), a in ms.items() if metric == "revenue-share") == sum(NET.values())  # 1,359,600,000
    assert sum(a for (_, metric, _), a in ms.items() if metric == "inference") == sum(INFERENCE.values())  # 12,437.1M
    # 11.6B funded by 2025-09-30, then 11.8B - 11.6B = 200M and 11.9B - 11.8B = 100M.
    assert sorted(a for (_, metric, _), a in ms.items() if metric == "investment") == [
        D("100000000"),
        D("200000000"),
        D("11600000000"),
    ]


def test_figures_by_source_gives_each_figures_range():
    """OpenAI's audited revenue is stated "3.7B" and "13.07B": the ranges they stand for, beside the posted amount."""
    found = {(r["metric"], r["end"]): r for r in rows(MAIN, "figures-by-source")}
    ends = {key: (D(r["amount"]), D(r["low"]), D(r["high"])) for key, r in found.items()}
    # 3.7B to the 100M: 3,650,000,000..3,750,000,000; 13.07B to the 10M: 13,065,000,000..13,075,000,000.
    assert ends["revenue", "2024-12-31"] == (D("3700000000"), D("3650000000"), D("3750000000"))
    assert ends["revenue", "2025-12-31"] == (D("13070000000"), D("13065000000"), D("13075000000"))
    # The leak's quarters are exact: low = high = amount.
    for end in QUARTER_ENDS:
        assert ends["revenue-share", end] == (NET[end],) * 3
        assert ends["inference", end] == (INFERENCE[end],) * 3


def test_revenue_share_flows_say_which_amounts_are_midpoints():
    """2024's shares derive from the audited 3.7B, which stands for 3,650,000,000..3,750,000,000."""
    found = {(r["period_end"], r["flow"]): r for r in rows(MAIN, "revenue-share-flows")}
    ends = {key: (amount(r["amount"]), D(r["low"]), D(r["high"])) for key, r in found.items()}
    # OpenAI's 20%: 0.20 x 3,700,000,000 = 740,000,000 posted; 0.20 x 3.65B..3.75B = 730,000,000..750,000,000.
    assert ends["2024-12-31", "OpenAI 20% to Microsoft"] == (D("740000000"), D("730000000"), D("750000000"))
    # Microsoft's 20%, solved: OpenAI's 20% less the 493,800,000 paid: 246,200,000, 236,200,000..256,200,000.
    assert ends["2024-12-31", "Microsoft 20% to OpenAI"] == (D("246200000"), D("236200000"), D("256200000"))
    # 2025: 0.20 x 13.07B (13,065,000,000..13,075,000,000) = 2,614,000,000, 2,613,000,000..2,615,000,000.
    assert ends["2025-12-31", "OpenAI 20% to Microsoft"] == (D("2614000000"), D("2613000000"), D("2615000000"))
    # The leaked payments are exact: low = high = amount.
    for end, net in NET.items():
        assert ends[end, "net paid (leaked)"] == (net, net, net)


def test_revenue_share_flows_leave_an_open_end_blank(first):
    """In the first leak's books OpenAI's 20% is that of a lower-bound revenue: at least the payment, no upper end."""
    found = {(r["period_end"], r["flow"]): r for r in rows(first["base"], "revenue-share-flows")}
    for end, net in NET.items():
        share = found[end, "OpenAI 20% to Microsoft"]
        assert (amount(share["amount"]), D(share["low"]), share["high"]) == (net, net, "")


@pytest.mark.parametrize(
    "name, header",
    [("cap-accruals", "date,base,share,accrued,left"), ("implied-revenue", "start,end,arithmetic,revenue,bound")],
)
def test_a_query_with_no_rows_has_a_header_where_beanquery_prints_one(name, header):
    """No accrual counts against the cap in the shipped books, and no payment implies revenue (2024's and 2025's
    is recorded). bean-query 0.2's text output prints nothing for no rows (beanquery/render/text.py), as README
    warns, so the header is there in CSV (and on Fava's Query page)."""
    assert run(MAIN, name) == ""
    assert run(MAIN, name, "csv") == header + "\n"


#: How 2024's revenue of 3,700,000,000 is stated (its range metadata), and what x is beside 2024's inference
#: of 3,767,100,000: 3,767,100,000 / 3,700,000,000 = 1.01813... (1.02 to two places; 1.0181 down, 1.0182 up).
STATED = {
    "exact": ('stated: "3,700,000,000"', "exact"),
    # "3.7B": 3.65B..3.75B, so x is 3,767,100,000 / 3.75B .. / 3.65B = 1.0045..1.0321 (outward).
    "rounded": (
        "low: 3650000000.00 USD\n  high: 3750000000.00 USD",
        "x 1.0045..1.0321: inference 3767100000.00, revenue 3650000000.00..3750000000.00",
    ),
    # "at least 3.7B": revenue ≥ 3.7B, x ≤ 1.02 (its high end open).
    "at least": ('low: 3700000000.00 USD\n  posted-as: "low"', "revenue ≥, x ≤"),
    # "at most 3.7B": revenue ≤ 3.7B, x ≥ 1.0181 (rounded down), its upper end open.
    "at most": (
        'high: 3700000000.00 USD\n  posted-as: "high"',
        "x 1.0181..: inference 3767100000.00, revenue ..3700000000.00",
    ),
}


@pytest.mark.parametrize("stated", list(STATED))
def test_inference_vs_revenue_says_what_x_is_for_each_way_revenue_is_stated(tmp_path, stated):
    """2024's revenue recorded (3.7B) beside the leaked 2024 inference, the revenue exact, rounded or a bound."""
    meta, bound = STATED[stated]
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
          {{meta}}
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
    """).replace("{meta}", meta)
    )
    check = subprocess.run(["bean-check", str(ledger)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    [row] = rows(ledger, "inference-vs-revenue")
    assert (row["year"], D(row["inference"]), D(row["revenue"])) == ("2024", D("3767100000"), D("3700000000"))
    assert D(row["x"]) == round(D("3767100000") / D("3700000000"), 2) == D("1.02")
    assert row["bound"] == bound
    # figures-by-source gives the revenue figure's own range: an open end blank, not the amount.
    [revenue] = [r for r in rows(ledger, "figures-by-source") if r["metric"] == "revenue"]
    ends = {
        "exact": ("3700000000.00", "3700000000.00"),
        "rounded": ("3650000000.00", "3750000000.00"),
        "at least": ("3700000000.00", ""),
        "at most": ("", "3700000000.00"),
    }
    assert (revenue["low"].strip(), revenue["high"].strip()) == ends[stated]


def book_total(ledger, account: str) -> Decimal:
    """What the books post to `account`, through bean-query as Fava's statements read it."""
    [row] = list(
        csv.DictReader(
            io.StringIO(
                subprocess.run(
                    [
                        "bean-query",
                        "-f",
                        "csv",
                        str(ledger),
                        f"SELECT sum(number) AS total WHERE account = '{account}'",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
        )
    )
    return D(row["total"])


def test_figures_by_source_adds_up_to_what_the_books_post():
    """The review: its losses rows added up to -5,881,000,000 while Fava's Income Statement shows -6,500,000,000,
    and the 11.8B and 11.9B funding totals were missing: they post only through their remainders."""
    found = rows(MAIN, "figures-by-source")
    losses = [r for r in found if r["metric"] == "losses-share"]
    # docs/sources.md: 4,100,000,000 (2025-Q3) - 10,000,000,000 (2025-Q4) + 19,000,000 (2026-Q1) = -5,881,000,000;
    # FY2026's -6,500,000,000 leaves -6,500,000,000 + 5,881,000,000 = -619,000,000 over 2026-Q2.
    assert (
        sum(D(r["amount"]) for r in losses) == D("-6500000000") == book_total(MAIN, "Expenses:Microsoft:OpenAILosses")
    )
    [rest] = [r for r in losses if r["source"].startswith("remainder of ")]
    assert rest["source"] == "remainder of losses-share over 2025-07..2026-06, -6500000000.00 USD"
    # The 10-K is Microsoft's own filing, checked against stored copies of its text: disclosed, as its remainder.
    assert (rest["kind"], rest["start"], rest["end"], rest["link"]) == (
        "disclosed",
        "2026-04-01",
        "2026-06-30",
        "losses-share-fy2026",
    )
    # "6.5B" is -6,550,000,000..-6,450,000,000; the nine months' "5.9B" gain (-5.95B..-5.85B, MSQ3) pins 2025-Q4's
    # ~10B to -5.95B - 4.119B = -10,069,000,000 up to -5.85B - 4.119B = -9,969,000,000, so the three quarters are
    # -5.95B..-5.85B and the remainder -6.55B + 5.85B = -700,000,000 up to -6.45B + 5.95B = -500,000,000
    # (2026.beancount's comment).
    assert (D(rest["amount"]), D(rest["low"]), D(rest["high"])) == (D("-619000000"), D("-700000000"), D("-500000000"))
    [q4] = [r for r in losses if r["start"] == "2025-10-01"]
    assert (D(q4["amount"]), D(q4["low"]), D(q4["high"])) == (D("-10000000000"), D("-10069000000"), D("-9969000000"))
    funding = sorted(D(r["amount"]) for r in found if r["metric"] == "investment")
    # 11,600,000,000 funded by 2025-09-30 (10Q), 11,800,000,000 by 2026-03-31 (MSQ3), 11,900,000,000 by 2026-06-30.
    assert funding == [D("100000000"), D("200000000"), D("11600000000")] and sum(funding) == D("11900000000")


@pytest.mark.parametrize("book", ["main", "openai"])
def test_figures_by_source_gives_the_audited_total_costs_as_they_post(book):
    """The review: the rows said they add up to what the books post, but left out the audited total costs, which
    post their rest (what the books do not itemize) to Expenses:OpenAI:Costs:NotItemized: 30,688,900,000."""
    found = {
        r["end"]: r for r in rows(LEDGER_DIR / f"{book}.beancount", "figures-by-source") if r["metric"] == "total-costs"
    }
    ends = {end: (D(r["amount"]), D(r["low"]), D(r["high"])) for end, r in found.items()}
    # 2024: 12,480,000,000 (audited, exact) - 3,767,100,000 inference - 740,000,000 OpenAI's 20% of 3.7B =
    # 7,972,900,000; the 20% stands for 730,000,000..750,000,000 (3.65B..3.75B), so the rest for
    # 12,480,000,000 - 3,767,100,000 - 750,000,000 = 7,962,900,000 .. 12,480,000,000 - 3,767,100,000 - 730,000,000
    # = 7,982,900,000.
    assert ends["2024-12-31"] == (D("7972900000"), D("7962900000"), D("7982900000"))
    # 2025: "34.0B" (33,950,000,000..34,050,000,000) - 8,670,000,000 inference - 2,614,000,000 (20% of 13.07B,
    # 2,613,000,000..2,615,000,000) = 22,716,000,000, in 33.95B - 8.67B - 2.615B = 22,665,000,000 ..
    # 34.05B - 8.67B - 2.613B = 22,767,000,000.
    assert ends["2025-12-31"] == (D("22716000000"), D("22665000000"), D("22767000000"))
    assert {(r["kind"], r["start"], r["counts"]) for r in found.values()} == {
        ("leaked", "2024-01-01", "+ spent"),
        ("leaked", "2025-01-01", "+ spent"),
    }
    assert found["2024-12-31"]["source"] == "rest of total-costs, 12480000000.00 USD less 4507100000.00 USD itemized"
    # 7,972,900,000 + 22,716,000,000 = 30,688,900,000: what the books post there.
    total = sum(amount for amount, _, _ in ends.values())
    assert (
        total == D("30688900000") == book_total(LEDGER_DIR / f"{book}.beancount", "Expenses:OpenAI:Costs:NotItemized")
    )


def test_figures_by_source_under_fava_s_time_filter_gives_the_window_s_total_costs(shipped_fava):
    """On Fava's Query page of OpenAI's book with time=2025 the rest of 2025's audited total costs is the window's
    one total-costs row, with its range: "34.0B" - 8,670,000,000 - 2,614,000,000 = 22,716,000,000, in
    22,665,000,000..22,767,000,000."""
    from fava_client import get_json

    result = get_json(
        shipped_fava.client,
        f"/{shipped_fava.slugs['OpenAI']}/api/query",
        query_string=".run figures-by-source",
        time="2025",
    )
    names = [column["name"] for column in result["data"]["types"]]
    found = [dict(zip(names, row)) for row in result["data"]["rows"] if row[names.index("metric")] == "total-costs"]
    assert [(r["end"], D(r["amount"]), D(r["low"]), D(r["high"])) for r in found] == [
        ("2025-12-31", D("22716000000"), D("22665000000"), D("22767000000"))
    ]


def test_figures_by_source_names_each_figures_own_link():
    """A quarter carries the links of the totals it refines too; link is its own (its refines: are the others)."""
    found = {(r["metric"], r["end"]): r["link"] for r in rows(MAIN, "figures-by-source")}
    # 2025-Q1's payment refines 2025-H1, which refines Jan-Sep: ^revenue-share-2025-01-2025-09 sorts first.
    assert found["revenue-share", "2025-03-31"] == "revenue-share-2025-q1"
    assert found["losses-share", "2025-09-30"] == "losses-share-2025-q3"
    assert found["investment", "2025-09-30"] == "investment-2019-07-22..2025-09-30"
    assert found["revenue", "2024-12-31"] == "revenue-2024"


def test_refined_totals_lists_each_total_once_with_its_own_amount():
    """The totals the books keep as records (no postings of their own): the leak's years, halves and Jan-Sep,
    the 11.8B and 11.9B funding totals and FY2026's gain."""
    found = {(r["metric"], r["start"], r["end"]): r for r in rows(MAIN, "refined-totals")}
    assert len(found) == len(rows(MAIN, "refined-totals")) == 6 + 2 + 1

    def five(key):
        r = found[key]
        return tuple(D(r[c]) for c in ("amount", "low", "high", "remainder", "rest_low", "rest_high"))

    # docs/sources.md: the quarters add up to each leak total exactly, so nothing remains.
    for metric, start, end, total in [
        ("revenue-share", "2024-01-01", "2024-12-31", "493800000"),
        ("revenue-share", "2025-01-01", "2025-06-30", "454700000"),
        ("revenue-share", "2025-01-01", "2025-09-30", "865800000"),
        ("inference", "2024-01-01", "2024-12-31", "3767100000"),
        ("inference", "2025-01-01", "2025-06-30", "5022000000"),
        ("inference", "2025-01-01", "2025-09-30", "8670000000"),
    ]:
        assert five((metric, start, end)) == (D(total),) * 3 + (D(0),) * 3
        assert found[metric, start, end]["kind"] == "leaked"
    # Funding: 11.8B less the 11.6B it refines into leaves 200M; 11.9B less 11.8B, 100M. Exact.
    assert five(("investment", "2019-07-22", "2026-03-31")) == (D("11800000000"),) * 3 + (D("200000000"),) * 3
    assert five(("investment", "2019-07-22", "2026-06-30")) == (D("11900000000"),) * 3 + (D("100000000"),) * 3
    # FY2026: "6.5B" is -6,550,000,000..-6,450,000,000; its remainder -619,000,000 (-700,000,000..-500,000,000:
    # the nine months' 5.9B pins 2025-Q4, test_figures_by_source_adds_up_to_what_the_books_post).
    fy = ("losses-share", "2025-07-01", "2026-06-30")
    assert five(fy) == tuple(
        map(D, ("-6500000000", "-6550000000", "-6450000000", "-619000000", "-700000000", "-500000000"))
    )
    assert (found[fy]["kind"], found[fy]["link"]) == ("disclosed", "losses-share-fy2026")
    assert found[fy]["source"].startswith("Microsoft Form 10-K")
    # Its own link: 2025-H1's record carries Jan-Sep's link too (^revenue-share-2025-01-2025-09 sorts first).
    assert found["revenue-share", "2025-01-01", "2025-06-30"]["link"] == "revenue-share-2025-h1"
    assert found["investment", "2019-07-22", "2026-03-31"]["link"] == "investment-2019-07-22..2026-03-31"


def test_due_balances_say_what_the_books_know():
    """The review: the Due balances read as exact zeros and a closed range where `leakledger statement` says
    at least, at most or not known (Microsoft's 2025 20% and OpenAI's 2026 20% are not known)."""
    found = {r["account"]: r for r in rows(MAIN, "due-balances")}
    said = {a: (amount(r["balance"]), r["low"].strip(), r["high"].strip(), r["kind"]) for a, r in found.items()}
    # Microsoft's 20% over 2025 is not known (no 2025-Q4 payment: the books' note), at least 0: what OpenAI
    # is owed is at least the 0 posted, what Microsoft owes at most 0.
    assert said["Assets:OpenAI:Due:Microsoft"] == (0, "0.00", "", "at least")
    assert said["Liabilities:Microsoft:Due:OpenAI"] == (0, "", "0.00", "at most")
    # OpenAI's 2025 20% of 13.07B (2,613,000,000..2,615,000,000) less the 865,800,000 paid for Jan-Sep is
    # 1,747,200,000..1,749,200,000, posted at 1,748,200,000; those payments also settled Microsoft's 2025 20%
    # (>= 0, not known), so less may be owed, and OpenAI's 20% over 2026 accrues nothing (no 2026 revenue
    # posts): not known, as `statement` says at 2026-06-30.
    owed = RATE * D("13070000000") - D("865800000")
    assert said["Liabilities:OpenAI:Due:Microsoft"] == (-owed, "", "", "not known")
    assert said["Assets:Microsoft:Due:OpenAI"] == (owed, "", "", "not known")
    why = found["Liabilities:OpenAI:Due:Microsoft"]["why"]
    assert "share OpenAI owes: no accrual after 2025-12-31" in why
    assert "payments also settle share Microsoft owes, not known" in why
    assert "share Microsoft owes not known (a note)" in found["Assets:OpenAI:Due:Microsoft"]["why"]


def as_of_book(folder, day: str):
    """The books as known on `day`, as README's as-of book writes them (the chain given the as-of config)."""
    top = folder / f"as-of-{day}.beancount"
    top.write_text(
        f'option "title" "As known on {day}"\n'
        'option "operating_currency" "USD"\n'
        'option "inferred_tolerance_default" "USD:0.005"\n'
        f"plugin \"leakledger.plugins.chain\" \"{{'as-of': '{day}'}}\"\n"
        f'include "{LEDGER_DIR / "books.beancount"}"\n',
        encoding="utf-8",
    )
    return top


def closing_dues(ledger) -> dict[str, tuple]:
    """`leakledger statement`'s Due balances after the books' last entry (what Fava shows): (low, high), None open."""
    from leakledger.statements import load_statement

    found = {}
    for entity in ("OpenAI", "Microsoft"):
        for line in load_statement(ledger, entity).closing_balances():
            if ":Due:" in line.account:
                (cell,) = line.cells.values()
                ends = (cell.interval.low, cell.interval.high) if cell.interval else (cell.amount, cell.amount)
                found[line.account] = (None, None) if cell.amount is None else ends
    return found


@pytest.mark.parametrize("book", ["main", "first leak", "first leak scenario", "as of 2025-11-13", "projection"])
def test_due_balances_open_where_the_statement_does(first, tmp_path, book):
    """The query's ends are `leakledger statement`'s, the one place that opens a Due (statements._dues_opened):
    the first leak's OpenAI 20% accrues nothing after 2025-09-30 though the books run to 2026 (at most 0 owed);
    the books as known on 2025-11-13 end there (exact 0); the projection accrues nothing over 2026-Q1."""
    ledger = {
        "main": MAIN,
        "first leak": first["base"],
        "first leak scenario": first["scenario"],
        "as of 2025-11-13": as_of_book(tmp_path, "2025-11-13"),
        "projection": LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount",
    }[book]
    found = {r["account"]: (r["low"].strip() or None, r["high"].strip() or None) for r in rows(ledger, "due-balances")}
    statement = closing_dues(ledger)
    assert {account: found[account] for account in statement} == {
        account: tuple(None if end is None else f"{end:.2f}" for end in ends) for account, ends in statement.items()
    }
    # The statement has no line for a Due nothing posts to; the query has a row for every Due the books open. Where
    # no Microsoft base is recorded (the first leak; the books as known on 2025-11-13), Microsoft's 20% accrues
    # nothing and is not known, >= 0: OpenAI is owed at least the 0.00 posted, Microsoft owes at most 0.00.
    assert {account: found[account] for account in set(found) - set(statement)} == {
        account: ("0.00", None) if account.startswith("Assets:") else (None, "0.00")
        for account in ("Assets:OpenAI:Due:Microsoft", "Liabilities:Microsoft:Due:OpenAI")
        if book in ("first leak", "as of 2025-11-13")
    }


def test_due_balances_never_claim_more_than_the_statement():
    """The shipped scenario records Azure OpenAI Service's base but not Bing's: Microsoft's 2025 share is not known
    (the books' note), and the 2025 net payments settled it, so OpenAI may owe less than posted. The statement
    opens only the days no accrual covers, and gives OpenAI's payable as at most -1,402,150,000; the query reads
    the note too and says not known. Where they differ, the query's range holds the statement's."""
    ledger = LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"
    found = {r["account"]: r for r in rows(ledger, "due-balances")}
    for account, (low, high) in closing_dues(ledger).items():
        row = found[account]
        assert not row["low"].strip() or (low is not None and D(row["low"]) <= low), account
        assert not row["high"].strip() or (high is not None and D(row["high"]) >= high), account
    assert found["Liabilities:OpenAI:Due:Microsoft"]["kind"] == "not known"
    assert "settle share Microsoft owes" in found["Liabilities:OpenAI:Due:Microsoft"]["why"]


def test_implied_revenue_says_microsofts_share_is_not_known(tmp_path, first):
    """The review: on the books as known on 2025-11-13 the arithmetic read "(77300000.00 USD + 0.00 USD) / 0.20":
    a 0 for a share the books do not know (`explain`: [0, ∞))."""
    found = {r["end"]: r for r in rows(as_of_book(tmp_path, "2025-11-13"), "implied-revenue")}
    # 2024-Q1: 77,300,000 paid, no Bing or Azure OpenAI Service figure: 77,300,000 / 0.20 = 386,500,000 at least.
    assert found["2024-03-31"]["arithmetic"] == "(77300000.00 USD + not known, ≥ 0.00 USD) / 0.20"
    assert (amount(found["2024-03-31"]["revenue"]), found["2024-03-31"]["bound"].strip()) == (
        D("386500000"),
        "lower bound",
    )
    assert not any("+ 0.00 USD)" in r["arithmetic"] for r in found.values())
    # The first leak's scenario states Azure OpenAI Service's 2024 revenue as 0.5B..1.5B: its 2024-Q4 share is
    # 100,000,000..300,000,000 (posted 200,000,000), Bing's not known: Microsoft's share is at least 100,000,000,
    # and the revenue at least (167,800,000 + 100,000,000) / 0.20 = 1,339,000,000, below the
    # (167,800,000 + 200,000,000) / 0.20 = 1,839,000,000 posted.
    q4 = {r["end"]: r for r in rows(first["scenario"], "implied-revenue")}["2024-12-31"]
    assert q4["arithmetic"] == "(167800000.00 USD + not known, ≥ 100000000.00 USD) / 0.20"
    assert (amount(q4["revenue"]), q4["bound"]) == (D("1839000000"), "lower bound: ≥ 1339000000.00")


def test_the_query_page_notice_uses_the_rows_sign(shipped_fava):
    """The review: atop Fava's Query page the notice signed income, liabilities and equity as the Income Statement
    and Balance Sheet show them (inverted), so "Liabilities:Microsoft:Due:OpenAI ≥ 0" sat above a row of
    due-balances that reads at most 0.00. There it uses the books' sign, as the rows do, and says so."""
    from fava_client import LEAK_MODEL, get_json

    def notice(page: str) -> str:
        return get_json(shipped_fava.client, f"/{shipped_fava.slug}/{LEAK_MODEL}/bounds", page=page)["notice"]["text"]

    query = notice("query")
    # Microsoft's 2025 20% (>= 0, not known) is owed by Microsoft: a liability of at most 0 in the books' sign.
    assert "Liabilities:Microsoft:Due:OpenAI ≤ 0" in query and "Assets:OpenAI:Due:Microsoft ≥ 0" in query
    # OpenAI's revenue: 2024's "3.7B" (3.65B..3.75B) + 2025's "13.07B" (13.065B..13.075B) = 16.715B..16.825B, a
    # credit in the books; with 2026's not known (none recorded, a share in force), at most -16,715,000,000.
    assert "Income:OpenAI:Revenue ≤ -16,715,000,000 (shown: -16,770,000,000) (not known for 2026)" in query
    assert "16,715,000,000 (shown: 16,770" not in query
    assert "Equity:OpenAI:Unitemized -89.5316B to -88.2996B" in query
    assert "Signed as the books hold them" in query
    # The due-balances rows beneath it say the same of each Due.
    result = get_json(shipped_fava.client, f"/{shipped_fava.slug}/api/query", query_string=".run due-balances")
    names = [column["name"] for column in result["data"]["types"]]
    kinds = {row[0]: row[names.index("kind")] for row in result["data"]["rows"]}
    assert kinds["Liabilities:Microsoft:Due:OpenAI"] == "at most" and kinds["Assets:OpenAI:Due:Microsoft"] == "at least"
    assert (
        "Not known, shown as the sum of the flows the books record by then: Liabilities:OpenAI:Due:Microsoft" in query
    )
    assert kinds["Liabilities:OpenAI:Due:Microsoft"] == "not known"
    # The Balance Sheet shows them inverted, and its notice signs them so.
    sheet = notice("balance_sheet")
    assert "Liabilities:Microsoft:Due:OpenAI ≥ 0" in sheet and "Signed as the books hold them" not in sheet


_fava_due: dict[tuple[int, str, str | None], dict[str, tuple]] = {}


def fava_due(fava, time: str, slug: str | None = None) -> dict[str, tuple]:
    """due-balances on Fava's Query page (api/query) of a book under `time=` ("" for none): account -> (balance, low,
    high, kind), the ends None where open. Asked once per book and window of the read-only `shipped_fava`."""
    from fava_client import get_json

    key = (id(fava), time, slug)
    if key not in _fava_due:
        _fava_due[key] = _due_rows(get_json, fava, time, slug)
    return dict(_fava_due[key])


def _due_rows(get_json, fava, time: str, slug: str | None) -> dict[str, tuple]:
    result = get_json(
        fava.client,
        f"/{slug or fava.slug}/api/query",
        query_string=".run due-balances",
        **({"time": time} if time else {}),
    )
    return {row[0]: (D(row[1]["number"]), row[2], row[3], row[4]) for row in result["data"]["rows"]}


#: The Due accounts each book opens (ledger/accounts.beancount; a company's book keeps its own).
DUES = {
    "OpenAI": ("Assets:OpenAI:Due:Microsoft", "Liabilities:OpenAI:Due:Microsoft"),
    "Microsoft": ("Assets:Microsoft:Due:OpenAI", "Liabilities:Microsoft:Due:OpenAI"),
}


def test_due_balances_under_fava_s_time_filter_say_what_the_window_s_end_knows(shipped_fava):
    """Fava's Query page runs the query on the window's entries: what lies before is one opening balance (flag S)
    whose figures the query cannot see. The rows then are the balances at the window's end, as `statement` gives
    them for that year, one for every Due account the books open, with or without a posting in the window (the
    review: time=2025 and time=2026 dropped the two Dues of Microsoft's share, which nothing posts to there)."""
    # 2024 closes exactly: OpenAI's 20% of 3.7B less the 493,800,000 paid less Microsoft's 20% solved from the
    # same 3.7B is 0 whatever the revenue in 3.65B..3.75B.
    assert fava_due(shipped_fava, "2024") == {a: (0, D(0), D(0), "exact") for a in DUES["OpenAI"] + DUES["Microsoft"]}
    # At 2025's end OpenAI owes 0.2 x 13.065B..13.075B - 865,800,000 = 1,747,200,000..1,749,200,000, less
    # Microsoft's 2025 20% (>= 0, not known) that the Jan-Sep payments also settled: at most 1,749,200,000, as
    # `statement` prints >= -1,749,200,000; Microsoft's receivable the same, at most 1,749,200,000. Microsoft's
    # 2025 20% itself posts nothing (the books' note: not known, >= 0): OpenAI is owed at least the 0 posted,
    # Microsoft owes at most 0, as the notice atop the page says (Assets:OpenAI:Due:Microsoft >= 0, ...).
    owed = RATE * D("13070000000") - D("865800000")  # 1,748,200,000 posted
    assert fava_due(shipped_fava, "2025") == {
        "Liabilities:OpenAI:Due:Microsoft": (-owed, D("-1749200000"), None, "at least"),
        "Assets:Microsoft:Due:OpenAI": (owed, None, D("1749200000"), "at most"),
        "Assets:OpenAI:Due:Microsoft": (0, D(0), None, "at least"),
        "Liabilities:Microsoft:Due:OpenAI": (0, None, D(0), "at most"),
    }
    # In 2026 the 2025 balance is an opening balance and OpenAI's 2026 20% accrues nothing: not known. Microsoft's
    # share, in force until 2026-04-27, accrues nothing either (no Bing or Azure OpenAI figure): at least 0 owed
    # to OpenAI, at most 0 owed by Microsoft.
    assert fava_due(shipped_fava, "2026") == {
        "Liabilities:OpenAI:Due:Microsoft": (-owed, None, None, "not known"),
        "Assets:Microsoft:Due:OpenAI": (owed, None, None, "not known"),
        "Assets:OpenAI:Due:Microsoft": (0, D(0), None, "at least"),
        "Liabilities:Microsoft:Due:OpenAI": (0, None, D(0), "at most"),
    }


def test_due_balances_under_fava_s_account_filter_keep_the_dues_its_entries_post_to(shipped_fava):
    """Fava's account filter keeps the transactions that touch the account, and drops the other accounts' open
    directives: the Dues the kept entries post to still have their rows. With Assets:OpenAI:Cash, those are the
    leak's net payments: 77.3M + 109.5M + 139.2M + 167.8M + 206.4M + 248.3M + 411.1M = 1,359,600,000."""
    from fava_client import get_json

    result = get_json(
        shipped_fava.client,
        f"/{shipped_fava.slug}/api/query",
        query_string=".run due-balances",
        account="Assets:OpenAI:Cash",
    )
    paid = sum(NET.values())
    assert {row[0]: D(row[1]["number"]) for row in result["data"]["rows"]} == {
        "Liabilities:OpenAI:Due:Microsoft": paid,
        "Assets:Microsoft:Due:OpenAI": -paid,
    }


# (unfiltered, test_company_books.test_saved_queries_run_on_the_company_books compares the same rows by bean-query)
@pytest.mark.parametrize("time", ["2024", "2025"])
def test_due_balances_on_a_company_s_book_as_on_the_combined_book(shipped_fava, time):
    """A company's book holds its own Dues with what the combined book knows of them, under every window. The
    review: OpenAI's book with time=2024 gave its payable as "at least 0" (Microsoft's legs are not in that book,
    so every payment looked like one that settles Microsoft's share not known), where the combined book and
    `statement` give an exact 0 (0.2 x 3.7B - 493,800,000 = 246,200,000, Microsoft's 20%, solved: 0 for any
    revenue in 3.65B..3.75B); and with time=2025 it dropped Assets:OpenAI:Due:Microsoft (>= 0)."""
    both = fava_due(shipped_fava, time)
    for company, dues in DUES.items():
        own = fava_due(shipped_fava, time, shipped_fava.slugs[company])
        assert own == {account: both[account] for account in dues}, (company, time)
