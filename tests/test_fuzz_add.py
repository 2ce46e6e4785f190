"""Fuzzing the add -> load path: whatever is typed, the books stay clean and whole.

Hypothesis feeds `leakledger add` (and `leakledger import`, through a CSV
sheet it writes) figures that are mostly well formed, with any text at all
in the provenance and now and then any text in the amount, period, metric or
kind. Either the command refuses in one line and no file changes, or it
records exactly one figure per row: the books reload without errors,
bean-check passes, nothing recorded before is lost, and the stored text is
the cleaned input. One copy of the books serves every example and is put
back byte for byte after each.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from beancount.core import data
from conftest import LEDGER_DIR, snapshot
from corpus.checks import bean_check, lost_lines, restore
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figure_request import own_links
from leakledger.figure_text import clean_text
from leakledger.model import KINDS, METRICS

runner = CliRunner()
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mostly(valid, garbage=st.text(max_size=12)):
    """The valid strategy nine times in ten, any text the tenth."""
    return st.integers(0, 9).flatmap(lambda n: garbage if n == 9 else valid)  # hypothesis favours 0


# Years of the books (accounts open 2019-01-01; today is past 2025), and a few the books refuse.
years = st.integers(2017, 2027)
period_texts = mostly(
    st.one_of(
        years.map(str),
        st.tuples(years, st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
        st.tuples(years, st.integers(1, 2)).map(lambda t: f"{t[0]}-H{t[1]}"),
        st.tuples(years, st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
        st.tuples(years, st.integers(1, 12), st.integers(0, 14)).map(
            lambda t: f"{t[0]}-{t[1]:02d}..{t[0] + (t[1] + t[2] - 1) // 12}-{(t[1] + t[2] - 1) % 12 + 1:02d}"
        ),
    )
)
cents = st.integers(1, 10**17)  # 0.01 USD to 1e15 USD, the parser's limit
amount_texts = mostly(
    st.one_of(
        cents.map(lambda c: f"{c // 100}.{c % 100:02d}"),
        cents.map(lambda c: f"{c // 100:,}"),
        st.integers(1, 999_999).map(lambda n: f"${n / 10:g} million"),
        st.integers(1, 99_999).map(lambda n: f"{n / 100:g}B"),
    )
)
any_text = st.text(max_size=40)
sources = mostly(st.text(min_size=1, max_size=40), any_text)
metrics = mostly(st.sampled_from(list(METRICS)))
kinds = mostly(st.sampled_from(KINDS))


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("fuzz") / "ledger"
    shutil.copytree(LEDGER_DIR, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    return dest / "main.beancount"


def hand_written(entries) -> list:
    """Not the plugins' entries (#generated), nor Beancount's pads of the cash balances (flag P)."""
    return [e for e in entries if not (isinstance(e, data.Transaction) and ("generated" in e.tags or e.flag == "P"))]


def is_record(entry) -> bool:
    """A figure record written as one (a superseded figure is shown as one too: not those)."""
    return isinstance(entry, data.Custom) and entry.type == "figure" and "superseded-by" not in entry.meta


def record_key(entry) -> tuple:
    return (entry.date, *(str(v.value) for v in entry.values), entry.meta.get("kind"), entry.meta.get("source"))


def check_outcome(ledger: Path, argv: list[str], texts: list[dict[str, str | None]]) -> None:
    """Run the command; it refuses in one line with no change, or adds one entry per row, cleanly."""
    folder = ledger.parent
    before = snapshot(folder)
    entries, errors, _ = load_books(ledger)
    assert errors == []
    try:
        result = runner.invoke(app, [*argv, "--ledger", str(ledger)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        event("refused" if result.exit_code else "recorded")
        if result.exit_code != 0:
            assert result.stdout == ""
            [line] = result.stderr.splitlines()
            assert line.startswith("error: ")
            assert snapshot(folder) == before
            return
        after, errors, _ = load_books(ledger)
        assert errors == []
        assert bean_check(ledger) == ""
        assert lost_lines(before, folder) == []
        old_links = {link for e in entries for link in getattr(e, "links", None) or ()}
        old_records = {record_key(e) for e in entries if is_record(e)}
        # A posting figure has a new own link (it may refine a recorded total and carry its link too); a reported or claimed one the leak covers is a new record.
        new = [
            e
            for e in hand_written(after)
            if (isinstance(e, data.Transaction) and not set(own_links(e)) & old_links)
            or (is_record(e) and record_key(e) not in old_records)
        ]
        recorded = re.search(r"recorded (\d+) figure", result.stderr)
        assert len(new) == (int(recorded[1]) if recorded else 1) >= 1
        stored = [{name: clean_text(value or "") or None for name, value in given.items()} for given in texts]
        for entry in new:
            assert {name: entry.meta.get(name) for name in stored[0]} in stored
    finally:
        restore(folder, before)


@FUZZ
@given(
    metric=metrics,
    amount=amount_texts,
    period=period_texts,
    kind=kinds,
    source=sources,
    note=st.none() | any_text,
    url=st.none() | any_text,
    flags=st.sampled_from([(), (), (), ("--cumulative",), ("--supersede",)]),
)
def test_any_add_leaves_clean_books(books, metric, amount, period, kind, source, note, url, flags):
    argv = ["add", metric, amount, "--period", period, "--source", source, "--kind", kind, *flags]
    if note is not None:
        argv += ["--note", note]
    if url is not None:
        argv += ["--url", url]
    check_outcome(books, argv, [{"source": source, "note": note, "url": url}])


row = st.fixed_dictionaries(
    {
        "metric": metrics,
        "period": period_texts,
        "amount": amount_texts,
        "source": sources,
        "kind": st.sampled_from(["", *KINDS]),
        "note": any_text,
        "url": any_text,
    }
)


@FUZZ
@given(rows=st.lists(row, min_size=1, max_size=3, unique_by=lambda r: r["metric"]))
def test_any_sheet_leaves_clean_books(books, tmp_path_factory, rows):
    sheet = tmp_path_factory.mktemp("sheet") / "leak.csv"
    with open(sheet, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    check_outcome(books, ["import", str(sheet)], [{k: r[k] for k in ("source", "note", "url")} for r in rows])
