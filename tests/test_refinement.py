"""Refinement: a finer figure of one metric refines a coarser one.

The books post the finer figures and the coarser one's remainder over the days
they don't cover; the total stays with its link, and complete parts must add up
to it to the cent. These ledgers use other metrics and periods than the leak's,
with round numbers whose arithmetic is written out beside each check.
"""

from __future__ import annotations

import datetime

import pytest
from beancount.core import data
from entries import assert_equal_entries
from ledgers import OPENS, RULES, D, balance, bing, generated, implied, inference, line_of, load, messages, payment

from leakledger.model import A

RATE = D("0.20")


def spent(books, start: str, end: str) -> D:
    """Inference posted between two days, through beanquery."""
    before = datetime.date.fromisoformat(start) - datetime.timedelta(days=1)
    return balance(books, A.OAI_INFERENCE, end) - balance(books, A.OAI_INFERENCE, before.isoformat())


def txn(entries, link: str, generated_too: bool = False):
    return [
        e
        for e in entries
        if isinstance(e, data.Transaction) and link in e.links and (generated_too or "generated" not in e.tags)
    ]


# --- a month in a quarter in a year ---------------------------------------------


NESTED = (
    OPENS
    + RULES
    + inference("2023-12-31", "2023-01-01", "1200.00", "inference-2023")
    + inference("2023-06-30", "2023-04-01", "300.00", "inference-2023-q2")
    + inference("2023-05-31", "2023-05-01", "120.00", "inference-2023-05")
)


def test_a_month_refines_a_quarter_which_refines_a_year():
    books = load(NESTED)
    entries, errors, _ = books
    assert errors == []
    # The year never moves: 1,200 in all; the quarter 300; the month 120.
    assert spent(books, "2023-01-01", "2023-12-31") == D("1200.00")
    assert spent(books, "2023-04-01", "2023-06-30") == D("300.00")
    assert spent(books, "2023-05-01", "2023-05-31") == D("120.00")
    # The quarter's remainder, 300 - 120 = 180, over April and June (30 days each): 90 + 90.
    assert spent(books, "2023-04-01", "2023-04-30") == D("90.00")
    assert spent(books, "2023-06-01", "2023-06-30") == D("90.00")
    # The year's remainder, 1,200 - 300 = 900, over Jan-Mar (90 days) and Jul-Dec (184 days):
    # 900 x 90 / 274 = 295.62, and Jul-Dec takes the rest, 604.38.
    assert spent(books, "2023-01-01", "2023-03-31") == D("295.62")
    assert spent(books, "2023-07-01", "2023-12-31") == D("604.38")


def test_the_totals_stay_visible_and_every_part_and_remainder_carries_their_links():
    """^inference-2023 shows the year, the quarter, the month and all four remainder pieces, whole."""
    entries = load(NESTED)[0]
    # The totals keep their links and lose their postings; the month carries every total it refines
    # (`refines:` innermost first); the remainders are those of test_a_month_refines_a_quarter_which_refines_a_year.
    assert_equal_entries(
        """
        2023-03-31 * "OpenAI inference spend on Azure: remainder of 2023 over 2023-Q1" #generated #leaked ^inference-2023
          rule: "remainder"
          metric: "inference"
          period-start: 2023-01-01
          total: 1200.00 USD
          total-period: "2023"
          remainder: 900.00 USD  ; 1,200 - the quarter's 300
          Expenses:OpenAI:Compute:Inference      295.62 USD  ; 900 x 90 / 274 days
          Assets:OpenAI:Cash                    -295.62 USD
          Assets:Microsoft:Cash                  295.62 USD
          Income:Microsoft:Azure:OpenAICompute  -295.62 USD

        2023-04-30 * "OpenAI inference spend on Azure: remainder of 2023-Q2 over 2023-04" #generated #leaked ^inference-2023 ^inference-2023-q2
          rule: "remainder"
          metric: "inference"
          period-start: 2023-04-01
          total: 300.00 USD
          total-period: "2023-Q2"
          remainder: 180.00 USD  ; 300 - the month's 120
          Expenses:OpenAI:Compute:Inference      90.00 USD  ; 180 x 30 / 60 days
          Assets:OpenAI:Cash                    -90.00 USD
          Assets:Microsoft:Cash                  90.00 USD
          Income:Microsoft:Azure:OpenAICompute  -90.00 USD

        2023-05-31 * "OpenAI inference spend on Azure" #leaked ^inference-2023 ^inference-2023-05 ^inference-2023-q2
          metric: "inference"
          period-start: 2023-05-01
          source: "test ledger"
          refines: "inference-2023-q2, inference-2023"
          Expenses:OpenAI:Compute:Inference      120.00 USD
          Assets:OpenAI:Cash                    -120.00 USD
          Assets:Microsoft:Cash                  120.00 USD
          Income:Microsoft:Azure:OpenAICompute  -120.00 USD

        2023-06-30 * "OpenAI inference spend on Azure" #leaked ^inference-2023 ^inference-2023-q2
          metric: "inference"
          period-start: 2023-04-01
          source: "test ledger"
          refines: "inference-2023"
          status: "refined"
          total: 300.00 USD
          remainder: 180.00 USD

        2023-06-30 * "OpenAI inference spend on Azure: remainder of 2023-Q2 over 2023-06" #generated #leaked ^inference-2023 ^inference-2023-q2
          rule: "remainder"
          metric: "inference"
          period-start: 2023-06-01
          total: 300.00 USD
          total-period: "2023-Q2"
          remainder: 180.00 USD
          Expenses:OpenAI:Compute:Inference      90.00 USD  ; 180 x 30 / 60 days
          Assets:OpenAI:Cash                    -90.00 USD
          Assets:Microsoft:Cash                  90.00 USD
          Income:Microsoft:Azure:OpenAICompute  -90.00 USD

        2023-12-31 * "OpenAI inference spend on Azure" #leaked ^inference-2023
          metric: "inference"
          period-start: 2023-01-01
          source: "test ledger"
          status: "refined"
          total: 1200.00 USD
          remainder: 900.00 USD

        2023-12-31 * "OpenAI inference spend on Azure: remainder of 2023 over 2023-H2" #generated #leaked ^inference-2023
          rule: "remainder"
          metric: "inference"
          period-start: 2023-07-01
          total: 1200.00 USD
          total-period: "2023"
          remainder: 900.00 USD
          Expenses:OpenAI:Compute:Inference      604.38 USD  ; the rest of 900: 900 - 295.62
          Assets:OpenAI:Cash                    -604.38 USD
          Assets:Microsoft:Cash                  604.38 USD
          Income:Microsoft:Azure:OpenAICompute  -604.38 USD
        """,
        txn(entries, "inference-2023", generated_too=True),
    )


def test_the_last_of_several_gaps_takes_the_rest_so_the_total_posts_to_the_cent():
    # docs/sources.md: inference 2024 3,767,100,000 + 2025 Jan-Sep 8,670,000,000 = 12,437,100,000 over
    # 2024-01..2025-09, refined by 2024-Q2 748,300,000 and 2024-Q4 1,467,000,000: the remainder
    # 12,437,100,000 - 2,215,300,000 = 10,221,800,000 spreads over three gaps, 91 + 92 + 273 = 456 days:
    #   2024-Q1           10,221,800,000 x 91 / 456 = 2,039,876,754.386 -> 2,039,876,754.39
    #   2024-Q3           10,221,800,000 x 92 / 456 = 2,062,292,982.456 -> 2,062,292,982.46
    #   2025-01..2025-09  the rest: 10,221,800,000 - 2,039,876,754.39 - 2,062,292,982.46 = 6,119,630,263.15
    # (its own share, x 273 / 456 = 6,119,630,263.158 -> .16, would post 12,437,100,000.01 in all).
    body = (
        OPENS
        + RULES
        + inference("2025-09-30", "2024-01-01", "12437100000.00", "inference-2024-2025")
        + inference("2024-06-30", "2024-04-01", "748300000.00", "inference-2024-q2")
        + inference("2024-12-31", "2024-10-01", "1467000000.00", "inference-2024-q4")
    )
    books = load(body)
    assert books[1] == []
    assert spent(books, "2024-01-01", "2024-03-31") == D("2039876754.39")
    assert spent(books, "2024-07-01", "2024-09-30") == D("2062292982.46")
    assert spent(books, "2025-01-01", "2025-09-30") == D("6119630263.15")
    assert spent(books, "2024-01-01", "2025-09-30") == D("12437100000.00")


def test_partial_parts_of_a_payment_imply_revenue_for_the_parts_and_the_remainder():
    # 2023: 1,000 paid, 200 of it in Q1. The remainder 800 is a payment over Apr-Dec.
    body = (
        OPENS
        + RULES
        + payment("2023-12-31", "2023-01-01", "1000.00", "revenue-share-2023")
        + payment("2023-03-31", "2023-01-01", "200.00", "revenue-share-2023-q1")
    )
    entries, errors, _ = load(body)
    assert errors == []
    # 200 / 0.20 = 1,000 for Q1; 800 / 0.20 = 4,000 for Apr-Dec; 1,000 / 0.20 = 5,000 in all.
    assert implied(entries) == {"2023-Q1": D("1000.00"), "2023-04..2023-12": D("4000.00")}
    assert sum(implied(entries).values()) == D("1000") / RATE


# --- what refinement refuses ------------------------------------------------------


def test_a_wrong_last_part_is_an_error_at_its_line_naming_the_difference():
    # Bing 2023-H2 is 600; the months add up to 100 x 5 + 99 = 599.
    months = [("07", "31"), ("08", "31"), ("09", "30"), ("10", "31"), ("11", "30"), ("12", "31")]
    body = OPENS + RULES + bing("2023-12-31", "2023-07-01", "600.00", "bing-revenue-2023-h2")
    for month, last in months:
        body += bing(
            f"2023-{month}-{last}",
            f"2023-{month}-01",
            "99.00" if month == "12" else "100.00",
            f"bing-revenue-2023-{month}",
        )
    [error] = load(body)[1]
    assert error.source["lineno"] == line_of(body, "^bing-revenue-2023-12")
    assert "add up to 599.00 USD" in error.message and "600.00 USD" in error.message
    assert "difference -1.00 USD" in error.message


def test_parts_worth_more_than_their_incomplete_total_are_an_error():
    # Inference 2023 is 100, but Q1 alone is 150: the rest of the year would be -50.
    body = (
        OPENS
        + RULES
        + inference("2023-12-31", "2023-01-01", "100.00", "inference-2023")
        + inference("2023-03-31", "2023-01-01", "150.00", "inference-2023-q1")
    )
    entries, errors, _ = load(body)
    [error] = errors
    assert error.source["lineno"] == line_of(body, "^inference-2023-q1")
    assert "remainder over 2023-04..2023-12 would be -50.00 USD" in error.message
    assert not [e for e in generated(entries) if e.meta.get("rule") == "remainder"]


def test_overlaps_that_do_not_nest_stay_an_error():
    # 2025-H1 against 2025-Q2..Q3: April to June would count twice.
    body = (
        OPENS
        + RULES
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1")
        + payment("2025-09-30", "2025-04-01", "659400000.00", "revenue-share-2025-q2-2025-q3")
    )
    [error] = load(body)[1]
    assert error.source["lineno"] == line_of(body, "^revenue-share-2025-q2-2025-q3")
    assert "neither lies inside the other" in error.message


# --- every route in reads the same --------------------------------------------------


def test_a_period_start_written_as_text_is_a_date():
    # Fava's add-transaction form writes metadata as strings.
    body = OPENS + RULES + payment("2025-12-31", '"2025-10-01"', "300.00", "revenue-share-2025-q4")
    entries, errors, _ = load(body)
    assert errors == []
    [fig] = txn(entries, "revenue-share-2025-q4")
    assert fig.meta["period-start"] == datetime.date(2025, 10, 1)
    assert implied(entries) == {"2025-Q4": D("1500.00")}  # 300 / 0.20


def test_a_figure_without_period_start_is_an_error_at_its_line():
    body = (
        OPENS
        + RULES
        + payment("2025-12-31", "2025-10-01", "300.00", "revenue-share-2025-q4").replace(
            "  period-start: 2025-10-01\n", ""
        )
    )
    [error] = load(body)[1]
    assert "needs period-start:" in error.message
    assert error.source["lineno"] == line_of(body, "^revenue-share-2025-q4")


def test_a_hand_written_figure_without_metric_is_read_by_its_accounts():
    # No metric:, but it posts to the net payment's accounts: it overlaps the 2025-H1 payment, so it counts.
    body = (
        OPENS
        + RULES
        + payment("2025-06-30", "2025-01-01", "454700000.00", "revenue-share-2025-h1")
        + payment("2025-06-30", "2025-04-01", "248300000.00", "q2-by-hand").replace('  metric: "revenue-share"\n', "")
    )
    entries, errors, _ = load(body)
    assert errors == []
    [q2] = txn(entries, "q2-by-hand")
    assert q2.meta["metric"] == "revenue-share" and "revenue-share-2025-h1" in q2.links
    # H1 454,700,000 = Q2 248,300,000 + the rest 206,400,000 over Q1: 1,032,000,000 + 1,241,500,000 implied.
    assert implied(entries) == {"2025-Q1": D("1032000000.00"), "2025-Q2": D("1241500000.00")}


def test_a_figure_whose_accounts_fit_several_metrics_asks_for_metric():
    body = (
        OPENS
        + RULES
        + """
2025-06-30 * "Cash from OpenAI to Microsoft" #leaked
  period-start: 2025-01-01
  source: "test ledger"
  Assets:OpenAI:Cash       -100.00 USD
  Assets:Microsoft:Cash     100.00 USD
"""
    )
    [error] = [e for e in load(body)[1] if "metric:" in e.message]
    assert "say which figure it records with metric:" in error.message
    assert error.source["lineno"] == line_of(body, "Cash from OpenAI to Microsoft")


@pytest.mark.parametrize("quarter_amount", ["77300000.00", "77300000.01"])
def test_one_cent_off_in_a_quarter_is_an_error_and_to_the_cent_is_not(quarter_amount):
    # docs/sources.md: 2024 = 77.3M + 109.5M + 139.2M + 167.8M = 493.8M.
    quarters = [
        ("2024-03-31", "2024-01-01", quarter_amount),
        ("2024-06-30", "2024-04-01", "109500000.00"),
        ("2024-09-30", "2024-07-01", "139200000.00"),
        ("2024-12-31", "2024-10-01", "167800000.00"),
    ]
    body = OPENS + RULES + payment("2024-12-31", "2024-01-01", "493800000.00", "revenue-share-2024")
    for end, start, amount in quarters:
        body += payment(end, start, amount, f"revenue-share-{end}")
    errors = load(body)[1]
    if quarter_amount.endswith(".00"):
        assert errors == []
    else:
        assert messages(errors) == [m for m in messages(errors) if "difference +0.01 USD" in m] and errors


def test_refine_orders_figures_as_start_longest_first_then_where_written():
    """refine sorts by start, then longest, and orders only the ties by position: the order the full key gives.

    Periods of 1 to 3 days over 5 days and two files, so ties (the same period) are many.
    """
    import random

    from leakledger.figures import Figure, _start_then_longest
    from leakledger.periods import Period

    rng = random.Random(3)
    figs = []
    for _ in range(2000):
        start = datetime.date(2024, 1, rng.randint(1, 5))
        end = start + datetime.timedelta(days=rng.randint(0, 2))
        meta = data.new_metadata(rng.choice(["b.beancount", "a.beancount"]), rng.randint(1, 40))
        entry = data.Transaction(meta, end, "*", None, "", frozenset(), frozenset(), [])
        figs.append(Figure(entry, "revenue", Period(start, end), None, None, True))
    want = sorted(figs, key=lambda f: (f.period.start, -f.period.days, f.position))
    got = list(figs)
    _start_then_longest(got)
    assert [id(f) for f in got] == [id(f) for f in want]


def test_a_refinement_reads_its_parts_again_when_they_change():
    """`recorded` and `gaps` are worked out once per set of parts: a part added, or the parts replaced, is read."""
    from decimal import Decimal

    from leakledger.figures import Figure, Refinement
    from leakledger.periods import Period

    def fig(start, end, amount):
        entry = data.Transaction(data.new_metadata("f", 1), end, "*", None, "", frozenset(), frozenset(), [])
        return Figure(entry, "revenue", Period(start, end), Decimal(amount), None, True)

    day = datetime.date
    ref = Refinement(fig(day(2024, 1, 1), day(2024, 12, 31), "400.00"))
    ref.parts.append(fig(day(2024, 1, 1), day(2024, 3, 31), "100.00"))
    assert (ref.recorded, ref.remainder) == (Decimal("100.00"), Decimal("300.00"))
    assert [str(g) for g in ref.gaps] == ["2024-04..2024-12"]
    ref.parts.append(fig(day(2024, 7, 1), day(2024, 9, 30), "50.00"))
    assert ref.recorded == Decimal("150.00")  # 100 + 50
    assert [str(g) for g in ref.gaps] == ["2024-Q2", "2024-Q4"]
    ref.parts = [fig(day(2024, 1, 1), day(2024, 12, 31), "400.00")]
    assert (ref.recorded, ref.gaps, ref.complete) == (Decimal("400.00"), [], True)
