"""A refined total's remainder keeps its total's sign, and a complete set of parts posts in the total's place.

On a copy of the shipped books, whose OpenAI inference for 2025 is three
recorded quarters (FACTS: 2,075,000,000 + 2,947,000,000 + 3,648,000,000 =
8,670,000,000 for 2025-01..2025-09), a later figure for the year stated as
"8.7B" (to the hundred million: 8,650,000,000..8,750,000,000) leaves over
2025-Q4 8.7B - 8.67B = 30,000,000 as posted, and as a range
8.65B - 8.67B .. 8.75B - 8.67B = -20,000,000..80,000,000: but the days no
quarter covers cannot spend less than nothing, so 0..80,000,000.
"""

import subprocess
from decimal import Decimal as D

import pytest
from beancount import loader

from leakledger.book_index import index_books
from leakledger.figures import refine
from leakledger.intervals import Interval
from leakledger.remainders import remainder_interval

Q1_Q3_2025 = D("2075000000") + D("2947000000") + D("3648000000")  # 8,670,000,000: the first leak's 2025 inference


def add(main, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["leakledger", "add", "inference", *args, "--source", "a later leak", "--ledger", str(main)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": __import__("os").environ["PATH"], "BEANCOUNT_DISABLE_LOAD_CACHE": "1"},
    )


def refined(main, start: str, end: str):
    """The loaded books and the refined total over start..end (its parts carry its links too)."""
    entries, errors, _ = loader.load_file(str(main))
    assert not errors, errors[0].message
    [total] = [
        e
        for e in entries
        if e.meta.get("status") == "refined" and (str(e.meta.get("period-start")), str(e.date)) == (start, end)
    ]
    return entries, total


@pytest.fixture
def main(ledger_copy):
    return ledger_copy


def test_a_remainder_never_takes_the_opposite_sign_to_its_total(main):
    assert Q1_Q3_2025 == D("8670000000")
    done = add(main, "8.7B", "--period", "2025", "--known-since", "2026-08-01")
    assert done.returncode == 0, done.stderr
    message = " ".join(done.stdout.split())
    assert "the remainder 0–80M (posted 30,000,000 USD) posts over 2025-Q4" in message
    entries, total = refined(main, "2025-01-01", "2025-12-31")
    assert (total.meta["remainder"].number, total.meta["remainder-low"].number) == (D("30000000.00"), D("0.00"))
    assert total.meta["remainder-high"].number == D("80000000.00")
    refs = refine(list(index_books(entries).live_figures)).totals.values()
    [ref] = [r for r in refs if (r.total.metric, r.total.period.label) == ("inference", "2025")]
    assert remainder_interval(ref) == Interval(D(0), D("80000000"))


def test_parts_that_cover_a_ranged_total_post_in_its_place_and_leave_no_remainder(main):
    # "12.4B" over 2024-01..2025-09 (12,350,000,000..12,450,000,000): the recorded 2024 (3,767,100,000) and
    # 2025-01..2025-09 (8,670,000,000) add up to 12,437,100,000, within it, so they refine it, and nothing remains
    # (the midpoint's -37,100,000 does not post)
    assert D("3767100000") + Q1_Q3_2025 == D("12437100000")
    done = add(main, "12.4B", "--period", "2024-01..2025-09", "--known-since", "2026-08-01")
    assert done.returncode == 0, done.stderr
    message = " ".join(done.stdout.split())
    assert "complete: the parts cover every day and post in its place, 12,437,100,000.00 USD within the total's" in (
        message
    )
    assert "to the cent" not in message
    _, total = refined(main, "2024-01-01", "2025-09-30")
    assert total.meta["remainder"].number == D("0.00") and "remainder-low" not in total.meta


def test_parts_whose_range_is_wider_than_the_total_s_meet_it_not_within_it():
    """Microsoft's fiscal 2026 gain, -6.55B..-6.45B ("6.5B"), tiled by 2025-Q3's 4.1B loss, 2025-Q4's gain pinned
    to -10.069B..-9.969B, 2026-Q1's 19M and a 2026-Q2 "-600M" (-600.5M..-599.5M): the parts add up to
    4.1B + 19M - 10.069B - 600.5M = -6.5505B .. 4.1B + 19M - 9.969B - 599.5M = -6.4495B, wider than the total on
    both sides. `add` said they lay "within the total's -6.55B to -6.45B"; they only meet it."""
    from conftest import MAIN

    done = subprocess.run(
        ["leakledger", "add", "losses-share", "-600M", "--period", "2026-Q2", "--source", "a later filing"]
        + ["--kind", "disclosed", "--ledger", str(MAIN), "--dry-run"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": __import__("os").environ["PATH"], "BEANCOUNT_DISABLE_LOAD_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    message = " ".join(done.stdout.split())
    assert "-6.5505B to -6.4495B (posted -6,481,000,000 USD), which meets the total's -6.55B to -6.45B" in message
    assert "within the total" not in message
