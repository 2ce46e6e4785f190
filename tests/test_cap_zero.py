"""A share the cap holds at 0 is a known 0, not a blank, and the share that reaches the cap is exact.

Made-up books (docs/model.md, "Caps"): a cap of 1,000 on OpenAI's 20%,
counted from 2023-01-01, and OpenAI revenue of 2,000 a quarter, so 400 of
share a quarter. 2023-Q1 and Q2 are recorded revenue: 400 + 400 = 800
accrued. 2023-Q3 and Q4 are net payments of 400 with no revenue recorded
and Microsoft's bases in force unrecorded: each implies a lower bound,
(400 + 0) / 0.20 = 2,000, whose 20% is [400, ∞). 2024's four quarters are
recorded revenue again.

The cap leaves 1,000 − 800 = 200 for 2023-Q3: min([400, ∞), 200) is
exactly 200, not "≥ 200" (a lower bound on the uncapped share does not make
the capped one a bound), and the cap is reached on 2023-09-30. Every later
quarter is min(x, 0) = 0 exactly, whatever x: 2023 is 400 + 400 + 200 + 0
= 1,000 over the whole year, and 2024 is 0 (capped), not blank.
"""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pandas as pd
import pytest
from beancount import loader
from fava_client import LEAK_MODEL, fava
from hypothesis import given, settings
from hypothesis import strategies as st
from leakledger.cli.app import app
from ledgers import OPENS, RULES, cap, figure, generated, ledger_text, load, payment
from typer.testing import CliRunner

from leakledger import derived as DK
from leakledger.book_index import index_books
from leakledger.book_model import BookModel
from leakledger.books import load_clean
from leakledger.intervals import Interval
from leakledger.model import A, capped_intervals, capped_shares
from leakledger.model_view import chart_data
from leakledger.reports import period_rows
from leakledger.statements import income_statement, load_statement

D = Decimal
REACHED = datetime.date(2023, 9, 30)
RANGED = "\n  low: 4000.00 USD\n  high: 6000.00 USD"  # 5,000 stated as 4,000..6,000
QUARTERS = [
    ("2024-01-01", "2024-03-31"),
    ("2024-04-01", "2024-06-30"),
    ("2024-07-01", "2024-09-30"),
    ("2024-10-01", "2024-12-31"),
]
BODY = (
    OPENS
    + RULES
    + cap(day="2023-01-01", amount="1000.00 USD", counts_from="2023-01-01")
    + figure("revenue", "2023-03-31", "2023-01-01", "2000.00", "rev-2023-q1", "#assumed", source="test")
    + figure("revenue", "2023-06-30", "2023-04-01", "2000.00", "rev-2023-q2", "#assumed", source="test")
    + payment("2023-09-30", "2023-07-01", "400.00", "pay-2023-q3", source="test")
    + payment("2023-12-31", "2023-10-01", "400.00", "pay-2023-q4", source="test")
    + "".join(
        figure("revenue", end, start, "2000.00", f"rev-{start[:7]}", "#assumed", source="test")
        for start, end in QUARTERS
    )
)
runner = CliRunner()


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    path = tmp_path_factory.mktemp("capzero") / "main.beancount"
    fava_extension = '\n2019-01-01 custom "fava-extension" "leakledger.fava_ext"\n'  # the Leak model page
    path.write_text(ledger_text(BODY + fava_extension), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def entries(books):
    entries, errors, _ = loader.load_file(str(books))
    assert errors == []
    return entries


def report(books, *args) -> str:
    result = runner.invoke(app, ["report", "--ledger", str(books), "--by", "year", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def openai_accruals(entries):
    return [e for e in generated(entries, "revenue-share") if e.meta["base-account"] == A.OAI_REVENUE]


def test_each_accrual_after_the_cap_is_kept_at_0_with_what_it_would_have_been(entries):
    shares = [(e.date, e.meta["share"].number) for e in openai_accruals(entries)]
    # 400, 400, then 200 of 400 (the cap's rest), then 0 for 2023-Q4 and each quarter of 2024.
    assert [s for _, s in shares] == [D("400.00"), D("400.00"), D("200.00")] + [D("0.00")] * 5
    reaching, *held = openai_accruals(entries)[2:]
    assert reaching.date == REACHED and reaching.meta[DK.CAP_UNCAPPED].number == D("400.00")
    # min([400, ∞), 200) = 200 exactly: the range keys of the implied revenue's share are gone.
    assert DK.SHARE_LOW not in reaching.meta and DK.SHARE_HIGH not in reaching.meta
    # Forgone: 200 of 2023-Q3 and 400 for each of the five quarters held at 0.
    assert reaching.meta[DK.CAP_FORGONE].number == D("200") + 5 * D("400")
    for e in held:
        assert e.meta[DK.CAP_UNCAPPED].number == D("400.00")  # 0.20 x 2,000
        assert e.meta[DK.CAP_REACHED] == REACHED and e.meta[DK.CAP_REMAINING].number == 0
        assert "generated" in e.tags and e.meta[DK.RULE] == DK.RULE_SHARE
        assert DK.SHARE_LOW not in e.meta and DK.SHARE_HIGH not in e.meta  # min(x, 0) = 0 exactly
        assert {str(p.units) for p in e.postings} == {"0.00 USD"}  # four legs, never "-0.00"


def test_the_text_report_shows_the_later_year_as_0_capped_and_the_binding_year_as_exact(books):
    out = report(books)
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:]] for line in out.splitlines() if "│" in line
    }
    openai = {period: cells[2] for period, cells in rows.items()}  # period, covers, net payment, OpenAI 20%
    # 2023: 400 + 400 + 200 + 0 = 1,000, the whole year, exact (no "≥", no span mark); 2024: 0, not blank.
    assert openai == {"2023": "1,000 (capped)", "2024": "0 (capped)", "total": "1,000 (capped)"}
    note = " ".join(out.split())
    assert (
        "(capped): the OpenAI 20% is held by a cap (2023, 2024, total: the cap of 1,000.00 USD on "
        "Income:OpenAI:Revenue's share, counted from 2023-01-01, was reached on 2023-09-30" in note
    )
    # the cap's own line says the same: reached, so exactly 1,000 accrued and 0 left, though Q3's and Q4's shares
    # are open above ([400, ∞) each): what accrues against a cap is never more than it
    assert "counted from 2023-01-01; accrued 1,000, left 0;" in note


def test_json_and_csv_carry_the_0_and_why(books):
    rows = {r["period"]: r for r in json.loads(report(books, "--format", "json"))}
    for period, share in (("2023", "1000.00"), ("2024", "0.00"), ("total", "1000.00")):
        row = rows[period]
        assert row["openai_share"] == share and "reached on 2023-09-30" in row["openai_share_capped"]
        assert "openai_share_low" not in row  # exact: no range
    assert rows["2023"]["openai_share_covers"] == "2023" and rows["2024"]["openai_share_covers"] == "2024"
    assert rows["2023"]["revenue_bound"] == "lower"  # the revenue stays a lower bound; its capped 20% is not
    frame = pd.read_csv(io.StringIO(report(books, "--format", "csv")), dtype=str).set_index("period")
    assert frame.loc["2024", "openai_share"] == "0.00"
    assert frame.loc["2024", "openai_share_capped"].startswith("capped: the cap of 1,000.00 USD")


def test_the_statement_reads_a_known_0_after_the_cap(books):
    statement = load_statement(books, "OpenAI")
    expense = "Expenses:OpenAI:RevenueShare:Microsoft"
    # exact, not "≥": the capped share does not grow with the unrecorded Microsoft base under the revenue
    assert statement.cell(expense, "2023")[:2] == (D("1000.00"), False)
    assert statement.cell(expense, "2024")[:2] == (D("0.00"), False)


def test_the_leak_model_page_shows_0_capped(books):
    page = fava(books)
    row = next(r for r in page.model()["period_table"] if r["period"] == "2024")
    assert D(row["openai_share"]) == 0 and "reached on 2023-09-30" in row["openai_share_capped"]
    html = page.get(f"{LEAK_MODEL}/").get_data(as_text=True)
    assert 'class="bound capped" title="capped: the cap of 1,000.00 USD' in html
    assert "(capped): the OpenAI 20% is held by a cap (2023, 2024, total:" in html


def test_the_charts_and_flows_say_what_the_capped_share_is(books):
    model = BookModel(*load_clean(books))
    view = model.view("year")
    [shares] = [s for chart in chart_data(view)["charts"] for s in chart["series"] if s["column"] == "openai_share"]
    # 2024's bar is 0 (a hairline): its tooltip says it is exact and capped, not a gap.
    assert shares["values"][1] == D("0.00") and shares["kinds"][1] == "exact"
    assert "(exact; capped: the cap of 1,000.00 USD" in shares["tooltips"][1]
    flow = view.flows[1].flow("openai_share")  # 2024
    assert (flow.amount, flow.kind) == (D("0.00"), "exact") and "reached on 2023-09-30" in flow.why


def test_ranged_shares_under_the_cap_are_ranges_held_to_it():
    # Q1: revenue 5,000 stated as 4,000..6,000, so 20% is 1,000 (800..1,200): the cap of 1,000 is reached at
    # the amount posted, and the share is [min(800, 1,000), min(1,200, 1,000)] = 800..1,000. Q2: 400 of
    # share, held at 0 at the amount posted; the room left is 0 (Q1 at its high end) to 1,000 - 800 = 200
    # (at its low end): 0..200. 2024-Q1: the low ends have reached the cap too (800 + 200): exactly 0.
    body = (
        OPENS
        + RULES
        + cap(day="2023-01-01", amount="1000.00 USD", counts_from="2023-01-01")
        + figure("revenue", "2023-03-31", "2023-01-01", "5000.00", "r1", "#assumed", RANGED, source="test")
        + figure("revenue", "2023-06-30", "2023-04-01", "2000.00", "r2", "#assumed", source="test")
        + figure("revenue", "2024-03-31", "2024-01-01", "2000.00", "r3", "#assumed", source="test")
    )
    entries, errors, options = load(body)
    assert errors == []
    index = index_books(entries)
    quarters = {r["period"]: r for r in period_rows(index, "quarter")}
    ends = {p: (r["openai_share"], r["openai_share_low"], r["openai_share_high"]) for p, r in quarters.items()}
    assert ends["2023-Q1"] == (D("1000.00"), D("800.00"), D("1000.00"))
    assert ends["2023-Q2"] == (D("0.00"), D("0.00"), D("200.00"))
    assert ends["2024-Q1"] == (D("0.00"), None, None)
    # 2023 adds 800..1,000 and 0..200, which passes the cap: what counts against it is at most 1,000.
    years = {r["period"]: r for r in period_rows(index, "year")}
    assert (years["2023"]["openai_share_low"], years["2023"]["openai_share_high"]) == (D("800.00"), D("1000.00"))
    assert all("was reached on 2023-03-31" in years[p]["openai_share_capped"] for p in ("2023", "2024", "total"))
    # The statement's expense line says the same: 0..200 for 2023-Q2, and 800..1,000 for 2023, not 800..1,200.
    expense = "Expenses:OpenAI:RevenueShare:Microsoft"
    by_quarter = income_statement(entries, options, "OpenAI", by="quarter")
    assert by_quarter.cell(expense, "2023-Q2").interval == Interval(D("0.00"), D("200.00"))
    assert by_quarter.cell(expense, "2024-Q1")[:2] == (D("0.00"), False)
    by_year = income_statement(entries, options, "OpenAI")
    assert by_year.cell(expense, "2023").interval == Interval(D("800.00"), D("1000.00"))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(0, 500), st.integers(0, 100), st.booleans()), min_size=1, max_size=8
    ),
    st.integers(1, 1500),
)
def test_capped_intervals_hold_every_capped_point(shares, limit):
    # Each share is [low, low + width] (or [low, ∞)); any points inside them, held to the cap by
    # capped_shares, fall inside capped_intervals' ends, which are closed.
    ends = [(D(low), None if open_top else D(low + width)) for low, _, width, open_top in shares]
    points = [D(low + min(at, width) if not open_top else low + at) for low, at, width, open_top in shares]
    bounds = capped_intervals(ends, D(limit))
    assert all(high is not None for _, high in bounds)
    for point, (low, high) in zip(capped_shares(points, D(limit)), bounds):
        assert low <= point <= high
