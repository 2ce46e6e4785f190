"""Books saved with Windows line ends (CRLF): `add` and `import` write into them in their own style.

Each test turns a scratch copy of the shipped books' files to CRLF, records a
figure through the real commands, and checks that the file is still all CRLF,
that every byte it held is still there, and that the whole ledger loads clean.
Figures are docs/sources.md's, with the arithmetic in comments.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import first_leak_books, snapshot
from fava_client import fava
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figures import figures_of
from leakledger.recording import _appended
from leakledger.writer import WriteError

D = Decimal
runner = CliRunner()
Z2 = "Ed Zitron, Where's Your Ed At, 2026-06-16, 'exclusive-openai-financials'"
MSQ3 = "Microsoft Form 10-Q, quarter ended 2026-03-31"


def to_crlf(path) -> bytes:
    """Rewrite a file with CRLF line ends; return its new bytes."""
    data = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(data)
    return data


def all_crlf(data: bytes) -> bool:
    return data.count(b"\n") == data.count(b"\r\n") > 0


def live(ledger, metric: str, label: str):
    entries, errors, _ = load_books(ledger)
    assert errors == [], [e.message for e in errors]
    [fig] = [f for f in figures_of(entries) if f.metric == metric and f.period.label == label and f.live]
    return fig


@pytest.fixture
def first_leak_crlf(tmp_path):
    """The first leak's books (no audited revenue) with 2024.beancount in CRLF; (main, its old bytes)."""
    main = first_leak_books(tmp_path)
    return main, to_crlf(main.parent / "2024.beancount")


def test_add_writes_into_a_crlf_year_file_in_its_style(first_leak_crlf):
    main, before = first_leak_crlf
    # Z2: OpenAI's audited revenue for 2024, stated as 3.7B (3,650,000,000..3,750,000,000).
    done = runner.invoke(app, ["add", "revenue", "3.7B", "--period", "2024", "--source", Z2, "--ledger", str(main)])
    assert done.exit_code == 0, done.output
    after = (main.parent / "2024.beancount").read_bytes()
    assert after.startswith(before) and all_crlf(after)
    assert b"\r\n  Assets:OpenAI:Cash " in after[len(before) :]
    assert live(main, "revenue", "2024").amount == D("3700000000")


def test_import_writes_into_a_crlf_year_file_and_a_reimport_adds_nothing(first_leak_crlf, tmp_path):
    main, before = first_leak_crlf
    sheet = tmp_path / "audited.csv"
    # Z2: 2024's revenue, 3.7B, and 2025's, 13.07B (13,065,000,000..13,075,000,000).
    sheet.write_text(f'metric,period,amount,source\nrevenue,2024,3.7B,"{Z2}"\nrevenue,2025,13.07B,"{Z2}"\n')
    before_2025 = to_crlf(main.parent / "2025.beancount")
    done = runner.invoke(app, ["import", str(sheet), "--ledger", str(main)])
    assert done.exit_code == 0, done.output
    assert "recorded 2 figure(s)" in done.stderr
    for name, old in (("2024.beancount", before), ("2025.beancount", before_2025)):
        after = (main.parent / name).read_bytes()
        assert after.startswith(old) and all_crlf(after), name
    assert live(main, "revenue", "2025").amount == D("13070000000")

    kept = snapshot(main.parent)
    again = runner.invoke(app, ["import", str(sheet), "--ledger", str(main)])
    assert again.exit_code == 0 and "recorded 0 figure(s); 2 duplicate(s) already in the books" in again.stderr
    assert snapshot(main.parent) == kept


def test_a_new_year_file_and_its_include_take_the_crlf_of_books_beancount(ledger_copy):
    folder = ledger_copy.parent
    (folder / "2026.beancount").unlink()  # the books as they were before 2026's figures
    books_file = folder / "books.beancount"
    books_file.write_text(books_file.read_text().replace('include "2026.beancount"\n', ""))
    old_books = to_crlf(books_file)
    # MSQ3: Microsoft's net loss from OpenAI (equity method), quarter ended 2026-03-31: 19,000,000, exact.
    done = runner.invoke(
        app,
        ["add", "losses-share", "19,000,000", "--period", "2026-Q1", "--kind", "disclosed", "--source", MSQ3]
        + ["--known-since", "2026-04-29", "--ledger", str(ledger_copy)],
    )
    assert done.exit_code == 0, done.output
    new_books = books_file.read_bytes()
    assert all_crlf(new_books) and all_crlf((folder / "2026.beancount").read_bytes())
    # the include goes right after 2025's, every other byte as it was
    include_2025 = b'include "2025.beancount"\r\n'
    assert new_books == old_books.replace(include_2025, include_2025 + b'include "2026.beancount"\r\n')
    assert live(ledger_copy, "losses-share", "2026-Q1").amount == D("19000000")


def test_superseding_marks_the_old_figure_in_its_crlf_file(ledger_copy):
    year = ledger_copy.parent / "2025.beancount"
    before = to_crlf(year)
    # 10Q: 4.1B pre-tax for 2025-Q3; a made-up correction to 4.2B (+100,000,000) replaces it.
    done = runner.invoke(
        app,
        ["add", "losses-share", "4,200,000,000", "--period", "2025-Q3", "--kind", "disclosed", "--supersede"]
        + ["--source", "Test correction", "--ledger", str(ledger_copy)],
    )
    assert done.exit_code == 0, done.output
    after = year.read_bytes()
    assert all_crlf(after)
    header = b'"Microsoft\'s share of OpenAI losses (equity method) (2025-Q3)" #disclosed ^losses-share-2025-q3\r\n'
    assert header + b'  superseded-by: "losses-share-2025-q3-2"\r\n' in after
    # every line it held is still there, in order: only lines were inserted
    assert after.replace(b'  superseded-by: "losses-share-2025-q3-2"\r\n', b"").startswith(before)
    assert live(ledger_copy, "losses-share", "2025-Q3").amount == D("4200000000")


def test_a_file_bean_format_cannot_align_keeps_its_bytes_and_gets_its_lines(first_leak_crlf):
    """A form feed in a comment: bean-format's own check fails on the whole file; the new lines are aligned alone."""
    main, before = first_leak_crlf
    year = main.parent / "2024.beancount"
    before = before + b"; page break\x0c here\r\n"
    year.write_bytes(before)
    done = runner.invoke(app, ["add", "revenue", "3.7B", "--period", "2024", "--source", Z2, "--ledger", str(main)])
    assert done.exit_code == 0, done.output
    after = year.read_bytes()
    assert after.startswith(before) and all_crlf(after)
    assert live(main, "revenue", "2024").amount == D("3700000000")


def test_lines_bean_format_cannot_align_are_one_error_line(tmp_path):
    # The lines to add are the printer's and never hold a form feed; if they did, bean-format's check fails.
    with pytest.raises(WriteError) as refused:
        _appended("; a file\r\n", '2024-12-31 note Assets:OpenAI:Cash "a\x0cb"\n', tmp_path / "2024.beancount")
    assert str(refused.value).count("\n") == 0 and "bean-format cannot align" in str(refused.value)


def test_fava_s_add_form_keeps_a_crlf_year_file_crlf(ledger_copy):
    """Fava's add form writes through Fava's own insert (each year file's insert-entry option), not this path:
    it keeps the file's CRLF too, so the books stay one style whoever writes them."""
    year = ledger_copy.parent / "2025.beancount"
    to_crlf(year)
    books = fava(ledger_copy, guarded=True)
    note = {"t": "Note", "date": "2025-12-31", "account": "Assets:OpenAI:Cash", "comment": "typed in Fava", "meta": {}}
    saved = books.client.put(f"/{books.slug}/api/add_entries", json={"entries": [note]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    after = year.read_bytes()
    assert b'note Assets:OpenAI:Cash "typed in Fava"\r\n' in after and all_crlf(after)
    assert load_books(ledger_copy)[1] == []
