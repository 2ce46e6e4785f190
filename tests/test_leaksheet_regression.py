"""The sheet importer's regression files, in beangulp.testing's convention.

tests/data/sheets/ holds input sheets, each beside the output beangulp's
extract gives for it (`SHEET.beancount`: the `;; Account/Date/Name` header,
then the entries as Beancount prints them). A document the importer does not
identify has no expected file. The files are checked twice: sheet by sheet
through beangulp.testing's own functions (a failure shows the diff), and all
at once through beangulp's `test` command, as a maintainer runs it.

After a deliberate change to what the importer extracts, regenerate the
expected files with beangulp's `generate` command and review the diff:

    python -c "import beangulp.testing as t; from leakledger.importers.leaksheet import LeakSheetImporter as I; t.main(I())" generate tests/data/sheets --force
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import beangulp.testing
import pytest
from beancount.parser import printer
from click.testing import CliRunner
from leakledger.importers.leaksheet import LeakSheetImporter
from ledgers import OPENS, RULES, load, messages

from leakledger.figures import figures_of

SHEETS = Path(__file__).resolve().parent / "data" / "sheets"
DOCUMENTS = sorted(p for p in SHEETS.iterdir() if p.suffix != ".beancount")


def expected_of(document: Path) -> Path:
    return document.with_name(document.name + ".beancount")


def test_the_regression_set_covers_csv_json_and_a_stranger():
    identified = [d for d in DOCUMENTS if LeakSheetImporter().identify(str(d))]
    assert {d.suffix for d in identified} == {".csv", ".json"} and len(identified) >= 4
    assert [d.name for d in DOCUMENTS if d not in identified] == ["bank-statement.csv"]
    # Every expected file has its document.
    assert sorted(SHEETS.glob("*.beancount")) == sorted(expected_of(d) for d in identified)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_extract_gives_the_expected_file(document):
    importer = LeakSheetImporter()
    if not importer.identify(str(document)):
        assert not expected_of(document).exists()
        return
    extracted = beangulp.testing.run_importer(importer, str(document))
    assert extracted[3], "an identified sheet extracts entries"
    diff = beangulp.testing.compare_expected(str(expected_of(document)), *extracted)
    assert diff == [], "".join(diff)


def test_beangulp_s_own_test_command_passes():
    done = CliRunner().invoke(beangulp.testing.wrap(LeakSheetImporter()), ["test", str(SHEETS)])
    assert done.exit_code == 0, done.output
    results = [line.split()[-1] for line in done.output.splitlines() if line.startswith("* ")]
    assert len(results) == len(DOCUMENTS) and results.count("IGNORED") == 1, done.output
    assert set(results) == {"PASSED", "IGNORED"}, done.output


def test_a_correction_in_the_same_sheet_extracts_to_books_without_errors(tmp_path):
    """A figure and its correction in one sheet: what beangulp extracts loads as clean books.

    The correction (510M, supersede=yes) is planned last; the 500M it corrects
    is extracted with `superseded-by:` naming it, so only 510M posts.
    """
    sheet = tmp_path / "correction.csv"
    sheet.write_text(
        "metric,period,amount,source,kind,supersede\n"
        "inference,2023-Q2,510M,Regression sheet,leaked,yes\n"
        "inference,2023-Q2,500M,Regression sheet,leaked,\n",
        encoding="utf-8",
    )
    entries = beangulp.testing.run_importer(LeakSheetImporter(), str(sheet))[3]
    correction, older = sorted(entries, key=lambda e: "supersedes" in e.meta, reverse=True)
    [link] = correction.links
    assert older.meta["superseded-by"] == link and correction.meta["supersedes"] == next(iter(older.links))
    text = "".join(printer.format_entry(e) for e in entries)
    loaded, errors = load(OPENS + RULES + text)[:2]
    assert messages(errors) == []
    live = [f for f in figures_of(loaded) if f.metric == "inference" and f.live]
    assert [f.amount for f in live] == [Decimal("510000000")]  # 510M, the correction; 500M is a record
