"""Every "about" and "more than" figure in the shipped books carries the range its qualifier implies.

A source's "~25B" stands for 24.5B..25.5B (half a unit of its last stated
digit, the rule `amounts.stated_range` holds) and "more than 20B" for
[20B, ∞): posted as exact, every view showed them as facts. The shipped
books are loaded through real Beancount (the session fixture `books`), and
each range is worked out again from the figure's `stated:` text by the one
reader of written amounts, `parse_figure_amount`, as `leakledger add` would.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from beancount.core.amount import Amount
from conftest import load_ledger

from leakledger.amounts import parse_figure_amount
from leakledger.figures import POSTED_AS, figure_of
from leakledger.intervals import Interval
from leakledger.reconciliation import reconcile_table

D = Decimal
#: How `add` is told each qualifier ("~25B", "at least 20B").
WRITTEN = {"about": "~", "more than": "at least "}
#: A percentage read by the same rule as a dollar amount: "~27%" as "~27M" (26.5M..27.5M), then scaled by
#: 10^-8 to the ratio (0.265..0.275): half a unit of its last stated digit either way, written once.
PERCENT = D("0.00000001")


def qualified(entries, dollars: bool = True):
    """The figures a person wrote with a `qualifier:`: those in USD, or (dollars=False) the ratios."""
    found = [(e, figure_of(e)) for e in entries if "qualifier" in (e.meta or {})]
    return [(e, f) for e, f in found if f is not None and isinstance(_value(e), Amount) == dollars]


def _value(entry):
    values = getattr(entry, "values", None)
    if values:  # a record: custom "figure" "METRIC" AMOUNT
        return values[1].value
    return entry.postings[0].units


def test_every_qualified_dollar_figure_states_its_range(books):
    entries, errors, _ = books
    assert not errors, errors
    figures = qualified(entries)
    # 2025-Q4's ~10B gain; NYT's ~3.7B; the ~1B and ~2B Azure run rates; the >20B run rate; the ~135B stake
    # value; ~2.5B stock compensation; cash ~17.5B, ~25B and ~73B: ten (the four ~% figures are ratios).
    assert len(figures) == 10, [f.where for _, f in figures]
    for entry, fig in figures:
        qualifier, stated = entry.meta["qualifier"], entry.meta.get("stated")
        assert qualifier in WRITTEN and stated, f"{fig.where}: qualifier {qualifier!r} needs stated: text"
        given = parse_figure_amount(WRITTEN[qualifier] + stated)
        sign = -1 if fig.amount < 0 else 1  # a gain posts as a negative loss share: its range flips
        assert fig.amount == sign * given.amount, fig.where
        ends = (given.low, given.high) if sign > 0 else (-given.high if given.high else None, -given.low)
        assert (fig.low, fig.high) == ends, fig.where
        assert entry.meta.get(POSTED_AS) == given.posted_as, fig.where
        assert not fig.interval.is_exact, fig.where


def test_every_qualified_ratio_states_its_range(books):
    entries = books[0]
    figures = qualified(entries, dollars=False)
    # Microsoft's stake ~27% and ~25%, ~45% of its backlog from OpenAI, the ~10% rate outlook: four.
    assert len(figures) == 4, [f.where for _, f in figures]
    for entry, fig in figures:
        stated = entry.meta.get("stated", "")
        assert entry.meta["qualifier"] == "about" and stated.endswith("%"), fig.where
        given = parse_figure_amount(f"~{stated[:-1]}M")
        assert fig.amount == given.amount * PERCENT, fig.where
        assert (fig.low, fig.high) == (given.low * PERCENT, given.high * PERCENT), fig.where
        assert entry.meta.get(POSTED_AS) == "midpoint", fig.where
    # "~27%": 0.27 ± 0.005
    (stake,) = [f for _, f in figures if f.metric == "microsoft-stake" and f.entry.date.year == 2025]
    assert stake.interval == Interval(D("0.265"), D("0.275"))


def test_a_ratio_range_keeps_its_digits_a_dollar_range_its_cents():
    """`low: 0.265` is a ratio's end (about 27%); `low: 0.265 USD` is a fraction of a cent, refused at its line."""
    record = """
        2025-10-28 custom "figure" "microsoft-stake" {value}
          kind: "disclosed"
          source: "Microsoft blog"
          qualifier: "about"
          low: {low}
          high: {high}
          posted-as: "midpoint"
    """

    def messages(value: str, low: str, high: str) -> list[str]:
        return [e.message for e in load_ledger(record.format(value=value, low=low, high=high))[1]]

    cents = [
        "low: amount 0.995 has a fraction of a cent (at most 2 digits after the point)",
        "high: amount 1.005 has a fraction of a cent (at most 2 digits after the point)",
    ]
    assert messages("0.27", "0.265", "0.275") == []
    assert messages("1.00 USD", "0.995 USD", "1.005 USD") == cents
    # A ratio's own value may be as fine as its ends (0.275 between 0.265 and 0.285) ...
    assert messages("0.275", "0.265", "0.285") == []
    # ... but a money figure's ends written without a currency are still money: cents, not a ratio's digits.
    assert messages("1.00 USD", "0.995", "1.005") == cents


@pytest.mark.parametrize(
    "metric, day, low, high",
    [
        # "~10B", stated to the billion: ±0.5B, of a gain (negative): -10.5B..-9.5B.
        ("losses-share", "2025-12-31", D("-10500000000"), D("-9500000000")),
        # "~3.7B", stated to the 100M: ±50M.
        ("revenue", "2024-12-31", D("3650000000"), D("3750000000")),
        # "~25B": ±0.5B, as cash.beancount's balance tolerance of 500,000,000 says.
        ("cash", "2025-12-31", D("24500000000"), D("25500000000")),
        # "more than 20B": [20B, ∞).
        ("revenue-run-rate", "2025-12-31", D("20000000000"), None),
    ],
)
def test_the_figures_the_review_named(books, metric, day, low, high):
    entries = books[0]
    (fig,) = [
        f
        for f in map(figure_of, entries)
        if f is not None and f.metric == metric and str(f.entry.date) == day and "qualifier" in f.entry.meta
    ]
    assert fig.stated_interval == Interval(low, high)


def test_the_nine_months_pin_the_quarter_stated_about_10b(books):
    # MSQ3's nine months, a 5.9B gain (-5.95B..-5.85B), less 2025-Q3's 4,100,000,000 and 2026-Q1's 19,000,000
    # losses: 2025-Q4 is -5.95B - 4.119B = -10,069,000,000 up to -5.85B - 4.119B = -9,969,000,000.
    (fig,) = [
        f
        for f in map(figure_of, books[0])
        if f is not None and f.metric == "losses-share" and str(f.entry.date) == "2025-12-31" and f.posting
    ]
    assert fig.interval == Interval(D("-10069000000"), D("-9969000000"))
    assert fig.pinned_by == "losses-share over 2025-07..2026-03"


def test_reconcile_shows_the_range_and_the_bound_in_the_cell(books):
    table = reconcile_table(books[0], books[2])

    def cell(metric, period, kind):
        (row,) = table[(table["metric"] == metric) & (table["period"] == period)].to_dict("records")
        return row[kind], row[f"{kind}_low"], row[f"{kind}_high"]

    assert cell("cash", "2025-12-31", "leaked") == (D("25000000000.00"), D("24500000000.00"), D("25500000000.00"))
    # "about 27%" of a ratio: its ends as written, no cents
    assert cell("microsoft-stake", "2025-10-28", "disclosed") == (D("0.27"), D("0.265"), D("0.275"))
    # a lower bound: its low end, and no high end (None, never a number)
    assert cell("revenue-run-rate", "2025-12", "claimed") == (D("20000000000.00"), D("20000000000.00"), None)
    # as the source states it; what the nine months pin it to is the row's note
    assert cell("losses-share", "2025-Q4", "disclosed") == (
        D("-10000000000.00"),
        D("-10500000000.00"),
        D("-9500000000.00"),
    )
    (q4,) = table[(table["metric"] == "losses-share") & (table["period"] == "2025-Q4")].to_dict("records")
    assert "pinned to -10,069,000,000..-9,969,000,000 by losses-share over 2025-07..2026-03" in q4["implies"]
    # NYT's ~3.7B (3.65B..3.75B) less the audited 3.7B (3.65B..3.75B): 3.65B - 3.75B = -100M to 3.75B - 3.65B = 100M.
    assert cell("revenue", "2024", "gap") == (D("0.00"), D("-100000000.00"), D("100000000.00"))
