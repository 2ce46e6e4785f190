"""Leak sheets: `leakledger import`, beangulp's own CLI and Fava's import page.

Sheets are written per test; figures are docs/sources.md's or new ones whose
arithmetic is shown. Every write goes to a copy of the ledger.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import LEDGER_DIR, snapshot
from fava_client import fava
from leakledger.cli.app import app
from leakledger.importers.leaksheet import LeakSheetImporter, SheetError, read_sheet
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figures import figures_of

D = Decimal
runner = CliRunner()
ZITRON = "Ed Zitron, Where's Your Ed At, 2025-11-12"
SAMPLE = LEDGER_DIR / "imports" / "leak-2025-11-12.csv"
NEW_ROWS = [
    {"metric": "revenue-share", "period": "2025-Q4", "amount": "300M", "source": "Test sheet", "kind": "leaked"},
    {
        "metric": "inference",
        "period": "2025-10..2025-12",
        "amount": "$2.1bn",
        "source": "Test sheet",
        "url": "https://example.org/leak",
        "note": "a test row",
    },
]


def write_csv(
    path, rows, columns=("metric", "period", "amount", "source", "url", "kind", "note", "cumulative", "supersede")
):
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(f'"{row.get(c, "")}"' for c in columns))
    path.write_text("\n".join(lines) + "\n")
    return path


def run_import(sheet, ledger, *extra):
    return runner.invoke(app, ["import", str(sheet), "--ledger", str(ledger), *extra])


def posting_figures(ledger):
    entries, errors, _ = load_books(ledger)
    assert errors == []
    return {(f.metric, f.period.label): f for f in figures_of(entries) if f.posting and not f.superseded_by}


def test_csv_import_records_every_row_and_a_reimport_adds_nothing(ledger_copy, tmp_path):
    sheet = write_csv(tmp_path / "leak.csv", NEW_ROWS)
    first = run_import(sheet, ledger_copy)
    assert first.exit_code == 0, first.output
    assert "recorded 2 figure(s)" in first.stderr
    figures = posting_figures(ledger_copy)
    assert figures[("revenue-share", "2025-Q4")].amount == D("300000000")
    inference = figures[("inference", "2025-Q4")]
    assert inference.amount == D("2.1") * 10**9
    assert inference.entry.meta["url"] == "https://example.org/leak" and inference.entry.meta["note"] == "a test row"
    year_file = ledger_copy.parent / "2025.beancount"
    assert (
        subprocess.run(["bean-format", str(year_file)], capture_output=True, text=True).stdout == year_file.read_text()
    )

    after_first = snapshot(ledger_copy.parent)
    again = run_import(sheet, ledger_copy)
    assert again.exit_code == 0, again.output
    assert "recorded 0 figure(s); 2 duplicate(s)" in again.stderr
    assert (
        again.stdout.count("duplicate: ") == 2 and "leak.csv:2: duplicate: revenue-share over 2025-Q4" in again.stdout
    )
    assert snapshot(ledger_copy.parent) == after_first


@pytest.mark.parametrize("wrap", [False, True], ids=["list", "figures-object"])
def test_json_import_and_reimport(ledger_copy, tmp_path, wrap):
    rows = [dict(NEW_ROWS[0], amount=300000000), dict(NEW_ROWS[1], amount=2.1e9)]  # JSON numbers
    sheet = tmp_path / "leak.json"
    sheet.write_text(json.dumps({"figures": rows} if wrap else rows))
    assert run_import(sheet, ledger_copy).exit_code == 0
    figures = posting_figures(ledger_copy)
    assert figures[("inference", "2025-Q4")].amount == D("2100000000")
    after_first = snapshot(ledger_copy.parent)
    again = run_import(sheet, ledger_copy)
    assert again.exit_code == 0 and "2 duplicate(s)" in again.stderr
    assert snapshot(ledger_copy.parent) == after_first


def test_the_shipped_sample_sheet_is_all_duplicates(ledger_copy):
    """The leak's own figures, as a sheet: the books already hold every one (totals, year to date, quarters)."""
    before = snapshot(ledger_copy.parent)
    result = run_import(ledger_copy.parent / "imports" / SAMPLE.name, ledger_copy)
    assert result.exit_code == 0, result.output
    # 6 totals (2024, 2025-H1, Jan-Sep of each metric) and 14 quarters (docs/sources.md)
    assert "recorded 0 figure(s); 20 duplicate(s)" in result.stderr
    assert snapshot(ledger_copy.parent) == before


def test_rows_build_on_each_other(ledger_copy, tmp_path):
    rows = [
        {"metric": "training", "period": "2025-H1", "amount": "1B", "source": "Test sheet"},
        {
            "metric": "training",
            "period": "2025-01..2025-09",
            "amount": "1.5B",
            "source": "Test sheet",
            "cumulative": "yes",
        },
    ]
    assert run_import(write_csv(tmp_path / "ytd.csv", rows), ledger_copy).exit_code == 0
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    # 1.5B year to date, refined by the 1B of H1: the remainder 0.5B posts over Jul-Sep.
    [ytd] = [f for f in figures_of(entries) if f.metric == "training" and f.refined]
    assert ytd.period.label == "2025-01..2025-09" and ytd.amount == D("1500000000")
    assert ytd.entry.meta["remainder"].number == D("1500000000") - D("1000000000")


def test_a_superseding_row_is_a_duplicate_when_reimported(ledger_copy, tmp_path):
    rows = [
        {
            "metric": "losses-share",
            "period": "2025-Q3",
            "amount": "4.2B",
            "source": "Test sheet",
            "kind": "disclosed",
            "supersede": "yes",
        }
    ]
    sheet = write_csv(tmp_path / "fix.csv", rows)
    first = run_import(sheet, ledger_copy)
    assert first.exit_code == 0, first.output
    # 2025-Q3's 4.1B (docs/sources.md) is replaced by 4.2B: +100M.
    assert f"difference {D('4200000000') - D('4100000000'):+,.2f} USD" in first.stdout
    assert posting_figures(ledger_copy)[("losses-share", "2025-Q3")].amount == D("4200000000")
    after_first = snapshot(ledger_copy.parent)
    again = run_import(sheet, ledger_copy)
    assert again.exit_code == 0 and "1 duplicate(s)" in again.stderr
    assert snapshot(ledger_copy.parent) == after_first


def test_a_bad_row_refuses_the_whole_sheet(ledger_copy, tmp_path):
    rows = [NEW_ROWS[0], {"metric": "revenue-share", "period": "2025-Q3", "amount": "500M", "source": "Test sheet"}]
    sheet = write_csv(tmp_path / "bad.csv", rows)
    before = snapshot(ledger_copy.parent)
    result = run_import(sheet, ledger_copy)
    assert result.exit_code == 4 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: bad.csv:3: revenue-share over 2025-Q3 is recorded at")
    assert line.endswith("(set the row's supersede column to yes)")  # the sheet's column, not a flag
    assert snapshot(ledger_copy.parent) == before


@pytest.mark.parametrize(
    "content, message",
    [
        ("metric,period,amount\nrevenue,2024,1B\n", "not a leak sheet"),
        ("metric,period,amount,source,colour\nrevenue,2024,1B,S,red\n", "bad.csv:2: unknown column(s) colour"),
        (
            "metric,period,amount,source,cumulative\nrevenue,2024,1B,S,maybe\n",
            "bad.csv:2: cumulative must be yes or no",
        ),
        ("metric,period,amount,source\nrevenue,,1B,S\n", "bad.csv:2: empty period"),
    ],
)
def test_unreadable_sheets_are_one_line(ledger_copy, tmp_path, content, message):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(content)
    before = snapshot(ledger_copy.parent)
    result = run_import(sheet, ledger_copy)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line
    assert snapshot(ledger_copy.parent) == before


def test_dry_run_writes_nothing(ledger_copy, tmp_path):
    before = snapshot(ledger_copy.parent)
    result = run_import(write_csv(tmp_path / "leak.csv", NEW_ROWS), ledger_copy, "--dry-run")
    assert result.exit_code == 0 and "would record 2 figure(s)" in result.stderr
    assert "^revenue-share-2025-q4" in result.stdout
    assert snapshot(ledger_copy.parent) == before


def test_dry_run_refuses_what_the_import_would(ledger_copy, tmp_path):
    """A row of 12.5B Bing revenue in 2024 leaves -2,253,800,000 for Microsoft's 2024 share (docs/sources.md:
    0.20 x 3.7B of audited revenue = 740,000,000, less the 493,800,000 net payment, less 0.20 x 12.5B = 2,500,000,000
    of Microsoft's share): the import is refused, and its dry run too, with nothing written."""
    row = {"metric": "bing-revenue", "period": "2024", "amount": "12.5B", "source": "Test sheet"}
    before = snapshot(ledger_copy.parent)
    result = run_import(write_csv(tmp_path / "bing.csv", [row]), ledger_copy, "--dry-run")
    assert result.exit_code == 4 and "would record" not in result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: the change would add an error, so nothing would be written (dry run: nothing was")
    assert "2024.beancount:" in line and "leaves -2,253,800,000.00 for Microsoft's share: negative" in line
    assert snapshot(ledger_copy.parent) == before


def test_identify_takes_sheets_only(tmp_path):
    importer = LeakSheetImporter()
    assert importer.identify(str(SAMPLE))
    other = tmp_path / "bank.csv"
    other.write_text("date,payee,amount\n2025-01-01,x,1\n")
    assert not importer.identify(str(other))
    assert not importer.identify(str(LEDGER_DIR / "2024.beancount"))
    with pytest.raises(SheetError):
        read_sheet(other)


def test_beangulp_extract_marks_the_duplicates(ledger_copy, tmp_path):
    """`python ledger/import.py extract SHEET -e main.beancount`: recorded rows print commented out."""
    rows = [
        {"metric": "revenue-share", "period": "2024", "amount": "$493.8 million", "source": ZITRON},  # docs/sources.md
        NEW_ROWS[0],
    ]
    sheet = write_csv(tmp_path / "leak.csv", rows)
    script = ledger_copy.parent / "import.py"
    done = subprocess.run(
        [sys.executable, str(script), "extract", str(sheet), "-e", str(ledger_copy)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"; duplicate of {ledger_copy.parent / '2024.beancount'}:" in out
    assert '; 2024-12-31 * "Revenue share OpenAI paid Microsoft, net (2024)" #leaked ^revenue-share-2024' in out
    assert '\n2025-12-31 * "Revenue share OpenAI paid Microsoft, net (2025-Q4)" #leaked ^revenue-share-2025-q4\n' in out
    identified = subprocess.run([sys.executable, str(script), "identify", str(sheet)], capture_output=True, text=True)
    assert "leakledger.leaksheet" in identified.stdout + identified.stderr


def test_fava_import_page_extracts_and_marks_duplicates(ledger_copy):
    """Fava runs ledger/import.py as its import-config and lists the sheets in imports/."""
    books = fava(ledger_copy)
    imports = books.get("api/imports").get_json()["data"]
    sheet = str(ledger_copy.parent.resolve() / "imports" / SAMPLE.name)
    assert [(f["name"], [i["importer_name"] for i in f["importers"]]) for f in imports] == [
        (sheet, ["leakledger.leaksheet"])
    ]
    extracted = books.get("api/extract", filename=sheet, importer="leakledger.leaksheet")
    entries = extracted.get_json()["data"]
    assert len(entries) == 20 and all(e["meta"].get("__duplicate__") for e in entries)


def test_a_sheet_refines_in_any_order_and_names_the_row_that_breaks_a_total(ledger_copy, tmp_path):
    """Rows apply coarse before fine, whatever order the sheet lists them in."""

    def row(period, amount):
        return {"metric": "training", "period": period, "amount": amount, "source": "Test sheet"}

    fine_first = [row("2025-Q2", "300M"), row("2025-H1", "1B"), row("2025-Q1", "700M")]
    result = run_import(write_csv(tmp_path / "any-order.csv", fine_first), ledger_copy)
    assert result.exit_code == 0, result.output
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    [h1] = [f for f in figures_of(entries) if f.metric == "training" and f.refined]
    assert h1.period.label == "2025-H1" and h1.entry.meta["remainder"].number == 0  # 700M + 300M = 1B

    before = snapshot(ledger_copy.parent)
    # the half written exactly: "1B" would stand for 0.5B..1.5B as stated, which 900M lies in
    wrong = [row("2024-Q1", "700M"), row("2024-Q2", "200M"), row("2024-H1", "1000000000")]
    result = run_import(write_csv(tmp_path / "wrong.csv", wrong), ledger_copy)
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    # H1 first, then Q1, then Q2, which completes the half: 700M + 200M is 100M short of 1B.
    assert line.startswith("error: wrong.csv:3: ") and "difference -100,000,000.00 USD" in line
    assert snapshot(ledger_copy.parent) == before


def test_fava_answers_a_refused_sheet_with_one_line_not_a_500(ledger_copy):
    """A sheet the books refuse extracts on Fava's import page as one unticked Note saying why."""
    sheet = ledger_copy.parent / "imports" / "refused.csv"
    # docs/sources.md: 2024-Q2 is recorded as 109,500,000; 1M for it would count twice.
    sheet.write_text("metric,period,amount,source\nrevenue-share,2024-Q2,1M,Test sheet\n")
    books = fava(ledger_copy)
    assert books.get("import/").status_code == 200
    extracted = books.get("api/extract", filename=str(sheet.resolve()), importer="leakledger.leaksheet")
    assert extracted.status_code == 200
    [note] = extracted.get_json()["data"]
    assert note["t"] == "Note" and note["meta"]["__duplicate__"] is True  # nothing is imported by default
    assert note["comment"].startswith("error: refused.csv:2: revenue-share over 2024-Q2 is recorded at ")
    assert "supersede column" in note["comment"] and "\n" not in note["comment"] and "Traceback" not in note["comment"]
    # beangulp's own CLI still says why in one line and exits non-zero.
    cli = subprocess.run(
        [sys.executable, str(ledger_copy.parent / "import.py"), "extract", str(sheet), "-e", str(ledger_copy)],
        capture_output=True,
        text=True,
    )
    assert "refused.csv:2: revenue-share over 2024-Q2 is recorded at" in cli.stdout + cli.stderr
    assert "Traceback" not in cli.stdout + cli.stderr


def test_a_figure_and_its_correction_extract_on_fava_as_leakledger_import_writes_them(ledger_copy):
    """Fava's import page marks the corrected figure `superseded-by:` the correction, as `import` writes it."""
    sheet = ledger_copy.parent / "imports" / "correction.csv"
    # No training figure is recorded (docs/sources.md); 510M corrects the 500M of the same quarter.
    sheet.write_text(
        "metric,period,amount,source,kind,supersede\n"
        "training,2024-Q2,510M,Test sheet,leaked,yes\n"
        "training,2024-Q2,500M,Test sheet,leaked,\n"
    )
    extracted = fava(ledger_copy).get("api/extract", filename=str(sheet.resolve()), importer="leakledger.leaksheet")
    assert extracted.status_code == 200
    shown = {e["meta"].get("metric") and e["postings"][0]["amount"]: e for e in extracted.get_json()["data"]}
    correction, older = shown["510000000.00 USD"], shown["500000000.00 USD"]
    assert older["meta"]["superseded-by"] == correction["links"][0]
    assert not any(e["meta"].get("__duplicate__") for e in shown.values())  # both are ticked: both import

    result = run_import(sheet, ledger_copy)
    assert result.exit_code == 0, result.output
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    [written] = [f for f in figures_of(entries) if f.metric == "training" and f.superseded_by]
    assert written.superseded_by == older["meta"]["superseded-by"] and written.amount == D("500000000")
    assert posting_figures(ledger_copy)[("training", "2024-Q2")].amount == D("510000000")


def test_extracting_a_correction_of_a_figure_in_the_books_is_refused_and_import_records_it(ledger_copy, tmp_path):
    """Extracting only adds entries, so it cannot mark a recorded figure superseded-by: Fava's page says so."""
    first = run_import(
        write_csv(
            tmp_path / "first.csv",
            [{"metric": "training", "period": "2024-Q2", "amount": "500M", "source": "Test sheet"}],
        ),
        ledger_copy,
    )
    assert first.exit_code == 0, first.output
    sheet = ledger_copy.parent / "imports" / "later-correction.csv"
    sheet.write_text("metric,period,amount,source,supersede\ntraining,2024-Q2,510M,Test sheet,yes\n")
    extracted = fava(ledger_copy).get("api/extract", filename=str(sheet.resolve()), importer="leakledger.leaksheet")
    [note] = extracted.get_json()["data"]
    assert note["t"] == "Note" and note["meta"]["__duplicate__"] is True  # nothing is imported by default
    assert note["comment"].startswith("error: later-correction.csv:2: corrects training over 2024-Q2 at ")
    assert "leakledger import" in note["comment"] and "\n" not in note["comment"]

    result = run_import(sheet, ledger_copy)  # writes superseded-by: into the older figure's file
    assert result.exit_code == 0, result.output
    assert posting_figures(ledger_copy)[("training", "2024-Q2")].amount == D("510000000")


def test_an_import_changes_only_the_lines_it_adds(ledger_copy, tmp_path):
    """Untouched entries keep their bytes, even where bean-format would align them otherwise."""
    year_file = ledger_copy.parent / "2025.beancount"
    # A hand-written entry aligned its own way (two spaces before each amount), as people write them.
    by_hand = year_file.read_text().replace(
        "  Expenses:Microsoft:OpenAILosses         4100000000.00 USD\n",
        "  Expenses:Microsoft:OpenAILosses  4100000000.00 USD\n",
    )
    assert by_hand != year_file.read_text()
    year_file.write_text(by_hand)
    before = snapshot(ledger_copy.parent)
    result = run_import(write_csv(tmp_path / "leak.csv", NEW_ROWS), ledger_copy)
    assert result.exit_code == 0, result.output
    after = snapshot(ledger_copy.parent)
    assert [name for name in after if after[name] != before.get(name)] == ["2025.beancount"]
    grown = after["2025.beancount"]
    assert grown.startswith(before["2025.beancount"])  # every old byte where it was
    added = grown[len(before["2025.beancount"]) :].decode()
    assert added.count(" * ") == 2 and "^revenue-share-2025-q4" in added and "^inference-2025-q4" in added


def test_an_add_changes_only_the_lines_it_adds(ledger_copy):
    folder = ledger_copy.parent
    before = snapshot(folder)
    result = runner.invoke(
        app, ["add", "revenue-share", "300M", "--period", "2025-Q4", "--source", "Test", "--ledger", str(ledger_copy)]
    )
    assert result.exit_code == 0, result.output
    after = snapshot(folder)
    assert [name for name in after if after[name] != before.get(name)] == ["2025.beancount"]
    assert after["2025.beancount"].startswith(before["2025.beancount"])


def test_the_shipped_sheet_imports_into_fresh_books_as_the_books_hold_it(books):
    """The sheet wrote "77.3M", "$493.8 million", "8.67 billion": read at their stated precision those are
    ranges (77.3M is 77,250,000..77,350,000), while the books, like docs/sources.md, hold exact amounts."""
    entries, _, _ = books
    held = {(f.metric, f.period.label): f for f in figures_of(entries) if f.metric in ("revenue-share", "inference")}
    # Fresh books: nothing recorded, so every row is extracted as an entry of its own (no duplicates).
    extracted = {(f.metric, f.period.label): f for f in figures_of(LeakSheetImporter().extract(str(SAMPLE), []))}
    assert len(extracted) == 20  # 6 totals (2024, 2025-H1, Jan-Sep of each metric) and 14 quarters
    for key, fig in extracted.items():
        assert (fig.amount, fig.interval) == (held[key].amount, held[key].interval), key
        assert not fig.states_range and fig.interval.low == fig.interval.high == fig.amount, key  # exact
    # docs/sources.md: 2024-Q1's net payment 77,300,000; 2024's 493,800,000; Jan-Sep 2025 inference 8,670,000,000.
    assert extracted["revenue-share", "2024-Q1"].amount == D("77300000")
    assert extracted["revenue-share", "2024"].amount == D("493800000")
    assert extracted["inference", "2025-01..2025-09"].amount == D("8670000000")
