"""The readers' per-load indexes answer what a scan of everything would (issue 23: readers linear at 100k).

Each index replaces a scan that ran once per row, node or explained entry;
these tests hold each to the scan it replaced: `Tiles` to `tiled_sum` over
every pair, the report's coverage runs to a day-by-day walk, FILE:LINE
look-ups to the entry each line of the shipped books belongs to, and the
book index's derived records by link, accruals by date and figures inside a
period to plain filters of the whole books.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leakledger import derived as D
from leakledger.book_index import index_books
from leakledger.lineage import ExplainError, find_entries
from leakledger.periods import Coverage, Period, Rows, Window
from leakledger.reconciliation import Tiles
from leakledger.table_numbers import tiled_sum

SETTINGS = settings(max_examples=60, deadline=None)
START = datetime.date(2024, 1, 1)


def _period(offset: int, length: int) -> Period:
    start = START + datetime.timedelta(days=offset)
    return Period(start, start + datetime.timedelta(days=length))


# Short spans over two months: they nest, touch, overlap and repeat often enough to matter
# (half of them on a grid of five-day blocks, so one often ends the day before another starts).
periods = st.one_of(
    st.builds(_period, st.integers(0, 60), st.integers(0, 20)),
    st.builds(lambda block, blocks: _period(5 * block, 5 * blocks - 1), st.integers(0, 12), st.integers(1, 4)),
)
amounts = st.integers(1, 10**6).map(lambda n: Decimal(n) / 100)


@SETTINGS
@given(st.lists(st.tuples(periods, amounts), max_size=25), periods)
def test_tiles_sum_as_tiled_sum_of_every_pair(pairs, query):
    tiles = Tiles((p, a, i) for i, (p, a) in enumerate(pairs))
    inside = [i for _, _, i in tiles.within(query)]
    assert inside == [i for i, (p, _) in enumerate(pairs) if query.contains(p)]  # the given order kept
    assert tiles.sum(query) == tiled_sum(pairs, query)


@SETTINGS
@given(st.lists(periods, max_size=15), periods)
def test_coverage_misses_and_touches_a_day_as_a_walk_over_the_days_finds(covered, span):
    days = {p.start + datetime.timedelta(days=n) for p in covered for n in range(p.days)}
    span_days = [span.start + datetime.timedelta(days=n) for n in range(span.days)]
    assert Coverage(covered).misses(span) == any(day not in days for day in span_days)
    # touches: as the flows asked it of every base figure, some period overlapping the span
    assert Coverage(covered).touches(span) == any(day in days for day in span_days)
    assert Coverage(covered).touches(span) == any(p.overlaps(span) for p in covered)
    # gaps: the span's uncovered days, as runs, are the days the walk finds uncovered
    gaps = Coverage(covered).gaps(span)
    assert [d for g in gaps for d in (g.start + datetime.timedelta(days=n) for n in range(g.days))] == [
        day for day in span_days if day not in days
    ]
    assert all(a.end + datetime.timedelta(days=1) < b.start for a, b in zip(gaps, gaps[1:]))  # runs, not days


days = st.integers(0, 90).map(lambda n: START + datetime.timedelta(days=n))


@SETTINGS
@given(st.lists(days, max_size=12).map(sorted), days)
def test_row_of_a_day_is_the_last_row_a_walk_finds_starting_by_it(starts, day):
    # rows as the tables have them (a period each), or as an account's moves (many on one day): the row holding
    # `day` is the last to start on or before it, -1 before the first
    assert Rows(starts).row_of(day) == max((i for i, start in enumerate(starts) if start <= day), default=-1)


@pytest.fixture(scope="module")
def index(books):
    entries, errors, _ = books
    assert not errors
    return index_books(entries)


def test_every_line_of_a_written_entry_finds_it(index):
    """Each line from an entry's head to its last posting names that entry (and what starts on its line)."""
    lines = index.lines
    written = [e for e in index.entries if e.meta.get("filename", "").endswith("2024.beancount")]
    written = [e for e in written if "generated" not in (getattr(e, "tags", None) or ())]
    assert len(written) > 5  # the 2024 figures of the leak and the audit
    for entry in written:
        postings = [p.meta["lineno"] for p in getattr(entry, "postings", ()) if p.meta and "lineno" in p.meta]
        for line in (entry.meta["lineno"], *postings):
            found = find_entries(index.entries, f"{entry.meta['filename']}:{line}", lines)
            assert any(e is entry for e in found), (entry.meta["lineno"], line)
            assert all(e.meta["lineno"] == entry.meta["lineno"] for e in found)
    first = min(e.meta["lineno"] for e in written)
    with pytest.raises(ExplainError):  # above the file's first entry: the options and comments
        find_entries(index.entries, f"{written[0].meta['filename']}:{first - 1}", lines)


def test_derived_by_link_and_accruals_by_date_as_the_scans(index):
    links = {link for d in index.derived for link in d.entry.links or ()}
    assert links
    for link in links:
        for rule in ("", D.RULE_IMPLIED, D.RULE_SHARE, D.RULE_REMAINDER):
            scan = [d for d in index.derived if link in (d.entry.links or ()) and rule in ("", d.rule)]
            assert index.linked([link], rule) == scan
    spans = {Period(d.period_start or d.date, d.date) for d in index.derived} | {Period(START, START)}
    for span in spans:
        scan = [d for d in index.of_rule(D.RULE_SHARE) if span.contains_date(d.date)]
        assert index.shares_within(span) == scan


def test_figures_inside_a_period_as_the_scan(index):
    spans = {f.period for f in index.figures} | {Period(START, datetime.date(2025, 12, 31))}
    for metric in index.by_metric:
        for span in spans:
            scan = [f for f in index.by_metric[metric] if (f.posting or f.refined) and span.contains(f.period)]
            assert sorted(map(id, index.inside([metric], span))) == sorted(map(id, scan))


@SETTINGS
@given(st.lists(periods, max_size=20), periods)
def test_window_finds_what_a_filter_finds_in_the_given_order(items, span):
    by_start = Window(items, lambda p: p.start)
    assert by_start.within(span.start, span.end) == [p for p in items if span.start <= p.start <= span.end]
    assert by_start.upto(span.end) == [p for p in items if p.start <= span.end]
