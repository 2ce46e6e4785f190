"""The figures plugin: supersession, overlapping figures, cumulative figures.

The supersede convention (public; `leakledger add --supersede` writes it):
the OLD posting figure gets `superseded-by: "<link of the new figure>"` and
becomes a non-posting `custom "figure"` record with `status: "superseded"`;
the new figure may say `supersedes: "<old link>"`, for people.
"""

from __future__ import annotations

import datetime

import pytest
from beancount.core import data
from entries import assert_equal_entries
from ledgers import OPENS, RULES, D, balance, implied, line_of, load, messages, payment

from leakledger.model import A

RATE = D("0.20")
NET_2025_H1 = D("454700000")  # docs/sources.md
SUPERSEDED = '\n  superseded-by: "revenue-share-2025-h1-v2"'


def test_a_superseded_figure_becomes_a_visible_record_that_does_not_post():
    body = (
        OPENS
        + RULES
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1", extra=SUPERSEDED)
        + payment(
            "2025-06-30",
            "2025-01-01",
            "460000000.00",
            "revenue-share-2025-h1-v2",
            extra='\n  supersedes: "revenue-share-2025-h1"',
        )
    )
    books = load(body)
    entries, errors, _ = books
    assert errors == []
    [record] = [e for e in entries if isinstance(e, data.Custom) and e.type == "figure"]
    # The old figure, 454,700,000 (docs/sources.md), as a record: its kind tag becomes `kind:`.
    assert_equal_entries(
        """
        2025-06-30 custom "figure" "revenue-share" 454700000.00 USD
          metric: "revenue-share"
          period-start: 2025-01-01
          source: "Ed Zitron, Where's Your Ed At, 2025-11-12"
          superseded-by: "revenue-share-2025-h1-v2"
          status: "superseded"
          narration: "Revenue share OpenAI paid Microsoft, net"
          kind: "leaked"
        """,
        [record],
    )
    assert record.values[1].value == data.Amount(NET_2025_H1, "USD")
    assert record.meta["lineno"] == line_of(body, "^revenue-share-2025-h1")  # the old figure's line, first
    # Only the newer figure posts, and only it implies revenue: 460,000,000 / 0.20.
    assert balance(books, A.OAI_CASH, "2025-06-30") == -D("460000000") + D("460000000") / RATE
    assert implied(entries) == {"2025-H1": D("460000000") / RATE}


def test_superseded_by_must_name_a_posting_figure_of_the_same_metric():
    missing = payment(
        "2025-06-30",
        "2025-01-01",
        "454700000.00",
        "revenue-share-2025-h1",
        extra='\n  superseded-by: "revenue-share-2025-h1-typo"',
    )
    body = OPENS + RULES + missing
    [error] = load(body)[1]
    assert "names no posting figure's link" in error.message
    assert error.source["lineno"] == line_of(body, "^revenue-share-2025-h1")

    other_metric = (
        OPENS
        + RULES
        + payment(
            "2025-06-30",
            "2025-01-01",
            "454700000.00",
            "revenue-share-2025-h1",
            extra='\n  superseded-by: "revenue-2025-h1"',
        )
        + """
2025-06-30 * "OpenAI revenue (2025-H1)" #reported ^revenue-2025-h1
  metric: "revenue"
  period-start: 2025-01-01
  source: "The Information"
  Assets:OpenAI:Cash      4300000000.00 USD
  Income:OpenAI:Revenue  -4300000000.00 USD
"""
    )
    assert any("is a revenue figure" in m for m in messages(load(other_metric)[1]))


def test_overlapping_figures_of_one_metric_are_an_error_at_the_later_one():
    # 2025-H1 and Apr-Sep both hold Apr-Jun, and neither lies inside the other: it would count twice.
    later = payment("2025-09-30", "2025-04-01", "659400000.00", "revenue-share-2025-04-2025-09")
    body = OPENS + RULES + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1") + later
    errors = load(body)[1]
    [error] = [e for e in errors if "overlaps" in e.message]
    assert "would count twice" in error.message and "supersede" in error.message
    assert error.source["lineno"] == line_of(body, "^revenue-share-2025-04-2025-09")
    assert f":{line_of(body, '^revenue-share-2025-h1')}" in error.message  # where the first one is


def test_supersedes_on_the_newer_figure_alone_does_not_lift_the_overlap():
    body = (
        OPENS
        + RULES
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1")
        + payment(
            "2025-06-30",
            "2025-01-01",
            "460000000.00",
            "revenue-share-2025-h1-v2",
            extra='\n  supersedes: "revenue-share-2025-h1"',
        )
    )
    assert any("overlaps" in m for m in messages(load(body)[1]))


def test_adjacent_periods_and_other_metrics_do_not_overlap():
    body = (
        OPENS
        + RULES
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1")
        + payment("2025-09-30", "2025-07-01", "411100000.00", "revenue-share-2025-q3")
        + """
2025-06-30 * "OpenAI inference spend on Azure (2025-H1)" #leaked ^inference-2025-h1
  metric: "inference"
  period-start: 2025-01-01
  source: "Ed Zitron"
  Expenses:OpenAI:Compute:Inference      5022000000.00 USD
  Assets:OpenAI:Cash                    -5022000000.00 USD
  Assets:Microsoft:Cash                  5022000000.00 USD
  Income:Microsoft:Azure:OpenAICompute  -5022000000.00 USD
"""
    )
    assert load(body)[1] == []


CUMULATIVE = "\n  cumulative: {} USD\n  cumulative-start: 2025-01-01"


def test_a_cumulative_figure_that_matches_its_sub_periods_passes():
    # docs/sources.md: Jan-Sep 865,800,000 = H1 454,700,000 + Jul-Sep 411,100,000.
    body = (
        OPENS
        + RULES
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1")
        + payment(
            "2025-09-30", "2025-07-01", "411100000.00", "revenue-share-2025-q3", extra=CUMULATIVE.format("865800000.00")
        )
    )
    assert load(body)[1] == []


@pytest.mark.parametrize(
    "extra, expected",
    [
        (CUMULATIVE.format("865000000.00"), "is 865,000,000.00 but the recorded figures add up to 865,800,000.00"),
        ('\n  cumulative: "865.8M"\n  cumulative-start: 2025-01-01', "must be an amount"),
        ("\n  cumulative: 865800000.00 USD", "needs cumulative-start"),
    ],
)
def test_a_cumulative_figure_that_disagrees_is_an_error_at_its_line(extra, expected):
    body = (
        OPENS
        + RULES
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1")
        + payment("2025-09-30", "2025-07-01", "411100000.00", "revenue-share-2025-q3", extra=extra)
    )
    [error] = load(body)[1]
    assert expected in error.message and error.source["lineno"] == line_of(body, "^revenue-share-2025-q3")


@pytest.mark.parametrize(
    "meta, expected",
    [
        ('metric: "revenue-shares"\n  period-start: 2025-01-01', "unknown metric 'revenue-shares'"),
        ('metric: "revenue-share"\n  period-start: 2025-07-01', "period-start 2025-07-01 is after the entry's date"),
        ('metric: "revenue-share"\n  period-start: "2025-H1"', "must be a date"),
        ('metric: "inference"\n  period-start: 2025-01-01', "posts its amount to Expenses:OpenAI:Compute:Inference"),
        ('metric: "revenue-share"', "needs period-start:"),
    ],
)
def test_a_figure_that_cannot_be_read_is_an_error_at_its_line(meta, expected):
    head = '2025-06-30 * "A payment" #leaked'
    body = (
        OPENS
        + RULES
        + f"""
{head}
  {meta}
  source: "test"
  Liabilities:OpenAI:Due:Microsoft   100.00 USD
  Assets:OpenAI:Cash                -100.00 USD
  Assets:Microsoft:Cash              100.00 USD
  Assets:Microsoft:Due:OpenAI       -100.00 USD
"""
    )
    entries, errors, _ = load(body)
    mine = [e for e in errors if expected in e.message]
    assert len(mine) == 1, messages(errors)
    assert mine[0].source["lineno"] == line_of(body, head)
    # The unreadable figure is no payment the shares plugin derives from.
    assert implied(entries) == {}


def test_the_shipped_year_to_date_figures_are_totals_their_parts_refine(books):
    entries, errors, _ = books
    assert errors == []
    [jan_sep] = [
        e
        for e in entries
        if isinstance(e, data.Transaction)
        and e.meta.get("status") == "refined"
        and e.meta["metric"] == "revenue-share"
        and e.date == datetime.date(2025, 9, 30)
    ]
    assert jan_sep.meta["period-start"] == datetime.date(2025, 1, 1)
    # docs/sources.md: Jan-Sep 865,800,000 = H1 454,700,000 + Q3 411,100,000, nothing left over.
    assert jan_sep.meta["total"].number == D("865800000.00") and jan_sep.meta["remainder"].number == 0


def _loss(day: str, start: str, amount: str, link: str, extra: str = "") -> str:
    return (
        f'\n{day} * "Microsoft\'s share of OpenAI losses" #disclosed ^{link}\n'
        f'  metric: "losses-share"\n  period-start: {start}\n  source: "a 10-Q"{extra}\n'
        f"  Expenses:Microsoft:OpenAILosses  {amount} USD\n  Assets:Microsoft:Investment:OpenAI  {-D(amount)} USD\n"
    )


ABOUT_10B_GAIN = '\n  stated: "10B"\n  low: -10500000000.00 USD\n  high: -9500000000.00 USD\n  posted-as: "midpoint"'


def _nine_months(amount: str, low: str, high: str) -> str:
    return (
        f'\n2026-03-31 custom "figure" "losses-share" {amount} USD\n  period-start: 2025-07-01\n  kind: "disclosed"\n'
        f'  source: "a 10-Q"\n  stated: "5.9B"\n  low: {low} USD\n  high: {high} USD\n'
    )


QUARTERS = (
    _loss("2025-09-30", "2025-07-01", "4100000000.00", "q3")
    + _loss("2025-12-31", "2025-10-01", "-10000000000.00", "q4", ABOUT_10B_GAIN)
    + _loss("2026-03-31", "2026-01-01", "19000000.00", "q1")
)


def test_a_record_over_the_quarters_pins_the_one_stated_to_a_range():
    # MSQ3's nine months: a 5.9B gain, -5,950,000,000..-5,850,000,000; less 2025-Q3's 4,100,000,000 loss and
    # 2026-Q1's 19,000,000 loss, 2025-Q4's "about 10B" gain is -10,069,000,000..-9,969,000,000, not -10.5B..-9.5B.
    entries, errors, _ = load(OPENS + QUARTERS + _nine_months("-5900000000.00", "-5950000000.00", "-5850000000.00"))
    assert errors == []
    [q4] = [e for e in entries if "q4" in getattr(e, "links", ())]
    assert (q4.meta["narrowed-low"].number, q4.meta["narrowed-high"].number) == (D("-10069000000"), D("-9969000000"))
    assert q4.meta["narrowed-by"] == "losses-share over 2025-07..2026-03"
    assert (q4.meta["low"].number, q4.meta["high"].number) == (D("-10500000000"), D("-9500000000"))  # as stated
    # a record the quarters' ranges already fit whole pins nothing: 4.1B - 10.5B + 0.019B = -6.381B and
    # 4.1B - 9.5B + 0.019B = -5.381B lie inside -7B..-5B
    entries, errors, _ = load(OPENS + QUARTERS + _nine_months("-6000000000.00", "-7000000000.00", "-5000000000.00"))
    assert errors == [] and not any("narrowed-by" in e.meta for e in entries)
    # nor one that leaves out a day of its period: the quarters do not tile 2025-07-01..2026-04-30
    body = OPENS + QUARTERS + _nine_months("-5900000000.00", "-5950000000.00", "-5850000000.00")
    entries, errors, _ = load(body.replace("2026-03-31 custom", "2026-04-30 custom"))
    assert errors == [] and not any("narrowed-by" in e.meta for e in entries)


def test_a_record_its_quarters_cannot_make_is_an_error_at_the_record():
    # A gain of 7.0B..7.1B over the nine months would need 2025-Q4 at -7.1B - 4.119B = -11.219B up to
    # -7.0B - 4.119B = -11.119B: outside the quarter's -10.5B..-9.5B.
    body = OPENS + QUARTERS + _nine_months("-7050000000.00", "-7100000000.00", "-7000000000.00")
    entries, errors, _ = load(body)
    [message] = messages(errors)
    assert message.startswith("losses-share over 2025-07..2026-03 -7,050,000,000.00 (")
    assert "cannot hold with the figures that make it up: losses-share over 2025-Q4 -10,000,000,000.00" in message
    assert errors[0].source["lineno"] == line_of(body, 'custom "figure" "losses-share"')
    assert not any("narrowed-by" in e.meta for e in entries)
