"""Values that used to crash a command or a page: one `error:` line or a page message now.

- A period in year 9999 was accepted; then Fava's pages and `report` failed
  on the year after it. Every period is within 1900..2200 (periods.HORIZON).
- A folder given as `--ledger` was a traceback in `report`.
- A hand-written `source: 5` or `cumulative: "lots"` was a traceback in
  `reconcile` and a 500 on the Leak model page; it is an error at its line in
  `check`, one line from the report commands, and the page still answers,
  with the error in Fava's error list.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import snapshot
from fava_client import fava


def leakledger(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(["leakledger", *argv], capture_output=True, text=True, timeout=120)


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("error: ")
    return line


@pytest.mark.parametrize("period", ["9999", "2025-01..9999-12", "9999-12-31", "1899"])
def test_a_period_outside_the_horizon_is_one_line_and_writes_nothing(ledger_copy, period):
    before = snapshot(ledger_copy.parent)
    line = one_error_line(
        leakledger(
            "add",
            "revenue",
            "1B",
            "--period",
            period,
            "--kind",
            "claimed",
            "--source",
            "Horizon test",
            "--ledger",
            str(ledger_copy),
        )
    )
    assert "is outside the years figures may speak of (1900 to 2200)" in line
    assert snapshot(ledger_copy.parent) == before


@pytest.mark.parametrize(
    "command",
    [
        ["report"],
        ["reconcile"],
        ["explain", "revenue-share-2024"],
        ["check"],
        ["add", "training", "1M", "--period", "2024", "--source", "Folder test"],
    ],
)
def test_a_folder_as_ledger_is_one_line(ledger_copy, command):
    folder = ledger_copy.parent
    before = snapshot(folder)
    line = one_error_line(leakledger(*command, "--ledger", str(folder)))
    assert str(folder) in line
    assert snapshot(folder) == before


def hand_edit(ledger: Path, old: str, new: str) -> None:
    year = ledger.parent / "2025.beancount"
    text = year.read_text()
    assert old in text
    year.write_text(text.replace(old, new, 1))


WRONG_TYPES = [
    # (what is in the books, what replaces it, what check says)
    ('  source: "Microsoft Form 10-Q, quarter ended 2025-09-30"', "  source: 5", "source: 5 must be text in quotes"),
    ('  rounded: "TechCrunch: about $8.65 billion"', '  cumulative: "lots"', "cumulative: 'lots' must be an amount"),
]


@pytest.mark.parametrize("old, new, says", WRONG_TYPES)
def test_a_wrong_typed_value_is_an_error_at_its_line_and_one_line_elsewhere(ledger_copy, old, new, says):
    hand_edit(ledger_copy, old, new)
    check = leakledger("check", "--ledger", str(ledger_copy))
    assert check.returncode == 1 and "Traceback" not in check.stderr
    [line] = check.stdout.splitlines()
    year = ledger_copy.parent / "2025.beancount"
    lineno = year.read_text().splitlines().index(new) + 1
    # The error names the entry's header line, a few lines above the value.
    file, at, message = line.split(":", 2)
    assert file == str(year) and 0 < lineno - int(at) < 12 and message.strip().startswith(says)
    for command in (["report"], ["reconcile"], ["explain", "revenue-share-2025-q3"]):
        assert "(see: leakledger check)" in one_error_line(leakledger(*command, "--ledger", str(ledger_copy)))


@pytest.mark.parametrize("old, new, says", WRONG_TYPES)
def test_the_leak_model_page_answers_with_a_wrong_typed_value(ledger_copy, old, new, says):
    hand_edit(ledger_copy, old, new)
    books = fava(ledger_copy)
    client, slug = books.client, books.slug
    assert client.get(f"/{slug}/extension/LeakModel/").status_code == 200
    assert client.get(f"/{slug}/extension/LeakModel/model").status_code == 200
    errors = client.get(f"/{slug}/api/errors").get_json()["data"]
    assert [e["message"][: len(says)] for e in errors] == [says]  # Fava's error list, on every page
