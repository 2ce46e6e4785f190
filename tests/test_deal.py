"""The deal as it stands: the 2026-04-27 amendment's rules and cap, and the figures since the leak.

Every figure here is from docs/sources.md, "The deal since the leak".
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data

from leakledger.figures import FIGURE_TYPE, figures_of
from leakledger.knowledge import known_since
from leakledger.model import A
from leakledger.reports import reconcile_table
from leakledger.rules import read_rules

D = Decimal
AMENDMENT = datetime.date(2026, 4, 27)


def _customs(entries, kind):
    return [e for e in entries if isinstance(e, data.Custom) and e.type == kind]


def test_the_shipped_books_load_clean_with_the_amendments_rules_and_cap(books):
    entries, errors, _ = books
    assert errors == []
    book, rule_errors = read_rules(entries)
    assert rule_errors == []
    # AMD: Microsoft pays no share from 2026-04-27; OpenAI's share runs through 2030.
    for base in (A.MS_BING, A.MS_AZURE_OPENAI):
        assert book.rate_at(base, AMENDMENT - datetime.timedelta(days=1)) == D("0.20")
        assert book.rate_at(base, AMENDMENT) == D(0)
        assert book.rule_at(base, AMENDMENT).entry.meta["kind"] == "disclosed"
    assert book.rate_at(A.OAI_REVENUE, datetime.date(2030, 12, 31)) == D("0.20")
    assert book.rate_at(A.OAI_REVENUE, datetime.date(2031, 1, 1)) == D(0)
    [cap] = _customs(entries, "revenue-share-cap")
    assert cap.date == AMENDMENT
    assert [v.value for v in cap.values[:2]] == [A.OAI_REVENUE, "Microsoft"]
    # TI-CAP: a 38B cap, reported.
    assert cap.values[2].value.number == D("38000000000.00") and cap.values[2].value.currency == "USD"
    assert cap.meta["counts-from"] == AMENDMENT
    assert cap.meta["kind"] == "reported" and cap.meta["source"] and cap.meta["url"]
    assert "counts-from" in cap.meta["note"]
    for rule in book:
        assert rule.entry.meta["source"] and rule.entry.meta["url"] and rule.entry.meta["kind"]


def _figures(entries, metric):
    return {f.period.label: f for f in figures_of(entries) if f.metric == metric}


def test_microsofts_equity_method_result_posts_quarter_by_quarter(books):
    entries = books[0]
    posted = {
        label: f.amount
        for label, f in _figures(entries, "losses-share").items()
        if f.entry.__class__ is data.Transaction and f.posting
    }
    # 10Q: 4.1B loss; MSQ2: ~10B gain (a negative loss share); MSQ3: 19M loss.
    assert posted == {"2025-Q3": D("4100000000.00"), "2025-Q4": D("-10000000000.00"), "2026-Q1": D("19000000.00")}
    nine_months = _figures(entries, "losses-share")["2025-07..2026-03"]
    assert not nine_months.posting and nine_months.kind == "disclosed"
    # MSQ3: "$5.9 billion of net gains" over nine months, stated to 0.1B as the 10-K's 6.5B is: a gain of
    # 5,850,000,000..5,950,000,000 (a negative loss share); the quarters add up to 5.881B, inside it.
    assert nine_months.amount == D("-5900000000")
    assert (nine_months.low, nine_months.high) == (D("-5950000000"), D("-5850000000"))
    assert nine_months.low <= sum(D(v) for v in ("4100000000", "-10000000000", "19000000")) <= nine_months.high
    assert sum(posted.values()) == D("-5881000000")
    assert round(sum(posted.values()) / D("1e8")) == round(nine_months.amount / D("1e8"))
    # MSK: a 6.5B gain over fiscal 2026, refined by the three quarters posted; its remainder is the
    # quarter to 2026-06-30: -6,500,000,000 - (-5,881,000,000) = -619,000,000 (reports: about 600M).
    year = _figures(entries, "losses-share")["2025-07..2026-06"]
    assert year.refined and year.amount == D("-6500000000")
    assert year.entry.meta["remainder"].number == D("-6500000000") - sum(posted.values()) == D("-619000000")


def test_the_10q_to_2026_03_31_is_disclosed_from_its_filing_day(books):
    """MSQ3, filed on SEC EDGAR 2026-04-29 (docs/sources.md): Microsoft's own filing, its text checked."""
    entries = books[0]
    msq3 = datetime.date(2026, 4, 29)
    # Note 1: "$11.8 billion has been funded as of March 31, 2026"; Note 3: "$19 million of net losses".
    funded = _figures(entries, "investment")["2019-07-22..2026-03-31"]
    quarter = _figures(entries, "losses-share")["2026-Q1"]
    for figure, amount in ((funded, "11800000000"), (quarter, "19000000")):
        assert (figure.amount, figure.kind, known_since(figure.entry)) == (D(amount), "disclosed", msq3)
    # Note 1 already says Microsoft calculates its equity-method result by HLBV: dated to this 10-Q, not the 10-K.
    [method] = [e for e in _customs(entries, FIGURE_TYPE) if e.values[0].value == "accounting-method"]
    assert (method.date, known_since(method), method.meta["kind"]) == (datetime.date(2026, 3, 31), msq3, "disclosed")
    assert "HLBV" in method.values[1].value and method.meta["source"].startswith("Microsoft Form 10-Q")


def test_commitments_and_outside_figures_are_records_not_flows(books):
    entries = books[0]
    records = {(f.metric, f.period.label): f for f in figures_of(entries) if not f.posting and not f.refined}
    # MSB: 250B Azure commitment, ~27% stake worth ~135B; MSQ2: 625B RPO, ~45% of it from OpenAI.
    assert records["azure-commitment", "2025-10-28"].amount == D("250000000000")
    assert records["microsoft-stake", "2025-10-28"].amount == D("0.27")
    assert records["microsoft-stake-value", "2025-10-28"].amount == D("135000000000")
    assert records["commercial-rpo", "2025-12-31"].amount == D("625000000000")
    assert records["commercial-rpo-openai-fraction", "2025-12-31"].amount == D("0.45")
    assert records["losses-share-after-tax", "2025-Q4"].amount == D("-7600000000")
    # TI (2025-09-29/30): OpenAI's first half of 2025.
    for metric, amount in {
        "research-and-development": "6700000000",
        "sales-and-marketing": "2000000000",
        "stock-compensation": "2500000000",
        "operating-loss": "7800000000",
        "net-loss": "13500000000",
    }.items():
        assert records[metric, "2025-H1"].amount == D(amount) and records[metric, "2025-H1"].kind == "reported"
    assert records["cash", "2025-06-30"].amount == D("17500000000")
    # TI-Q1: 2026-Q1 revenue 5.7B and cash burn 3.7B; TI-CAP: 97B of savings.
    assert records["revenue", "2026-Q1"].amount == D("5700000000")
    assert records["cash-burn", "2026-Q1"].amount == D("3700000000")
    # TI-CAP is dated 2026-05-11 (Reuters relayed it the same day).
    assert records["cap-savings", "2026-05-11"].amount == D("97000000000")
    assert records["cap-savings", "2026-05-11"].entry.meta["through"] == datetime.date(2030, 12, 31)
    # None of them moves a balance: only figures with a metric post.
    assert all(isinstance(f.entry, data.Custom) and f.entry.type == FIGURE_TYPE for f in records.values())


def test_reconcile_lists_the_reported_2026_q1_revenue(books):
    entries, _, options = books
    frame = reconcile_table(entries, options)
    [row] = frame[(frame.metric == "revenue") & (frame.period == "2026-Q1")].to_dict(orient="records")
    assert row["reported"] == 5_700_000_000  # TI-Q1


# --- the cap, in reconcile and the scenarios ------------------------------------------------

from conftest import LEDGER_DIR  # noqa: E402

from leakledger.book_model import BookModel  # noqa: E402
from leakledger.books import load_books  # noqa: E402

SCENARIOS = LEDGER_DIR / "scenarios"
CAP = D("38000000000")


def _row(frame, metric):
    [row] = frame[frame.metric == metric].to_dict(orient="records")
    return row


def test_reconcile_sets_the_cap_beside_what_has_accrued_against_it(books):
    entries, _, options = books
    frame = reconcile_table(entries, options)
    cap = _row(frame, "revenue-share-cap")
    # TI-CAP: 38B; nothing of OpenAI's share accrues in the shipped books after 2026-04-27.
    assert (cap["period"], cap["reported"], cap["implied"], cap["gap"]) == ("2026-04-27..2030-12-31", CAP, 0, CAP)
    savings = _row(frame, "cap-savings")
    assert savings["reported"] == D("97000000000") and savings["implied"] is None
    # TI-CAP states the savings as "97B": 96,500,000,000..97,500,000,000 (it read as an exact 97,000,000,000)
    assert (savings["reported_low"], savings["reported_high"]) == (D("96500000000"), D("97500000000"))
    assert "do not reach the cap" in savings["implies"]


def test_the_other_reading_counts_the_leaked_payments_against_the_cap():
    entries, errors, options = load_books(SCENARIOS / "cap-counts-all-payments.beancount")
    assert errors == []
    [status] = BookModel(entries, options).caps  # as report, reconcile and the Leak model page read them
    # Z2: OpenAI's share of its audited revenue, 0.20 x 3,700,000,000 + 0.20 x 13,070,000,000
    # = 740,000,000 + 2,614,000,000 = 3,354,000,000 (the payments imply nothing beside it).
    assert status.cap.counts_from == datetime.date(2019, 7, 22)
    assert status.accrued == D("3354000000") and status.remaining == CAP - D("3354000000")
    cap = _row(reconcile_table(entries, options), "revenue-share-cap")
    assert cap["gap"] == D("38000000000") - D("3354000000") == D("34646000000")
    # Each share is a range ("3.7B" is 3.65B..3.75B, "13.07B" 13.065B..13.075B): 0.20 x those is 730M..750M and
    # 2,613,000,000..2,615,000,000, so 3,343,000,000..3,365,000,000 accrued over 2024 and 2025. The cap counts
    # from 2019-07-22, and the books record no share from then to 2023: at least 3,343,000,000 accrued, so at
    # most 38B less that is left (a range would read as if 2019-2023 accrued nothing).
    assert (cap["implied_low"], cap["implied_high"]) == (D("3343000000"), None)
    assert (cap["gap_low"], cap["gap_high"]) == (None, D("34657000000"))
    assert "over part of 2019-07-22..2025-12-31 only" in status.summary()
    savings = _row(reconcile_table(entries, options), "cap-savings")
    assert "≤ 34,657,000,000 of it is left" in savings["implies"]


def test_the_cap_cells_show_the_ranges_their_note_gives():
    from leakledger.cli.app import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["reconcile", "--scenario", "cap-counts-all-payments"], catch_exceptions=False)
    [line] = [line for line in result.output.splitlines() if line.startswith("│ 2019-07-22..2030-12-31 [1] │ 38,")]
    # the cells, not only the note: accrued ≥ 3,343,000,000, left ≤ 34,657,000,000 (as above), never the midpoints
    assert "≥ 3,343,000,000" in line and "≤ 34,657,000,000" in line and "3,354,000,000" not in line


def test_the_projection_binds_the_cap_in_2029_q1_and_sets_its_savings_beside_the_reported_97b():
    entries, errors, options = load_books(SCENARIOS / "openai-revenue-to-2030.beancount")
    assert errors == []
    # The scenario's rule: quarter k after 2026-Q1 is 5.7B x 1.16^k, to the million;
    # 2026-Q2 counts from 2026-04-27 for 65 of its 91 days.
    quarters = [(D("5700000000") * D("1.16") ** k).quantize(D("1e6")) for k in range(1, 20)]
    before = (quarters[0] * 26 / 91).quantize(D("0.01"))
    counted = [quarters[0] - before, *quarters[1:]]
    shares = [(q * D("0.20")).quantize(D("0.01")) for q in counted]  # each accrual to the cent
    running, bound = D(0), None
    for index, share in enumerate(shares):
        running += share
        if running >= CAP:
            bound = index
            break
    # Index 0 is 2026-Q2; 2029-Q1 is the 12th quarter after it.
    assert bound == 11
    [status] = BookModel(entries, options).caps
    assert status.accrued == CAP and status.reached.date == datetime.date(2029, 3, 31)
    assert status.forgone == sum(shares) - CAP
    savings = _row(reconcile_table(entries, options), "cap-savings")
    assert savings["reported"] == D("97000000000") and savings["implied"] == sum(shares) - CAP
    # "97B" is 96.5B..97.5B, so the gap is 96.5B - 92,014,771,428.57 = 4,485,228,571.43 to 5,485,228,571.43
    forgone = sum(shares) - CAP
    assert (savings["gap_low"], savings["gap_high"]) == (D("96500000000") - forgone, D("97500000000") - forgone)
    assert "2029-Q1" in savings["implies"] and "assumed" in savings["implies"]
    # Every figure of the projection is assumed, with its reason.
    own = [
        e
        for e in entries
        if e.meta.get("filename", "").endswith("openai-revenue-to-2030.beancount")
        and isinstance(e, data.Transaction)
        and "generated" not in e.tags
    ]
    assert len(own) == 20 and all("assumed" in e.tags and "1.16^" in e.meta["note"] for e in own)


def test_report_and_reconcile_say_what_has_accrued_against_the_cap_and_what_is_left():
    from leakledger.cli.app import app
    from typer.testing import CliRunner

    runner = CliRunner()
    base = runner.invoke(app, ["report", "--by", "half"])
    assert base.exit_code == 0, base.output
    # Shipped books: no OpenAI revenue is recorded after 2026-04-27, so what accrued is not known (≥ 0, not a
    # known 0) and at most all 38B is left.
    said = " ".join(base.output.split())
    assert "38,000,000,000 USD counted from 2026-04-27; accrued ≥ 0, left ≤ 38,000,000,000" in said
    assert "since 2026-04-27: not known, not 0" in said
    projected = runner.invoke(app, ["report", "--scenario", "openai-revenue-to-2030"])
    assert projected.exit_code == 0, projected.output
    assert "reached on" in projected.output and "(2029-Q1)" in projected.output.replace("\n", "")
    reconciled = runner.invoke(app, ["reconcile", "--format", "csv"])
    assert reconciled.exit_code == 0
    # TI-Q1: 2026-Q1 revenue 5,700,000,000, reported.
    assert any(
        line.startswith("revenue,2026-Q1,") and ",5700000000.00," in line for line in reconciled.output.splitlines()
    )
