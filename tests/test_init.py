"""`leakledger init` and finding the books like git finds its repository.

In process, through the console script's entry point: init writes the shipped
books into a new folder and never over anything; from that folder and any
folder below it every command works on those books; `--ledger`, then
`LEAKLEDGER_LEDGER`, then the nearest `main.beancount` or
`ledger/main.beancount` upwards; none found is one line naming all three ways.
"""

from __future__ import annotations

import pytest
from conftest import LEDGER_DIR, ROOT, snapshot
from leakledger.cli.init import book_files, shipped_books

from leakledger.__main__ import main

#: `scenario list` of the shipped books: the names in ledger/scenarios/, one a line.
SCENARIOS = "".join(f"{p.stem}\n" for p in sorted((LEDGER_DIR / "scenarios").glob("*.beancount")))


def run(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.fixture
def books(tmp_path, monkeypatch, capsys):
    """`leakledger init mybooks` in an empty folder; cwd is that folder, LEAKLEDGER_LEDGER unset."""
    monkeypatch.delenv("LEAKLEDGER_LEDGER", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["init", "mybooks"], capsys)
    assert code == 0 and err == "" and "mybooks" in out
    return tmp_path / "mybooks"


def test_init_writes_every_file_of_the_shipped_books(books):
    # Every top-level file of ledger/ (the company books included), scenarios, the import sheet, a README.
    assert book_files(books) == book_files(LEDGER_DIR)
    for name in book_files(books):
        assert (books / name).read_bytes() == (LEDGER_DIR / name).read_bytes(), name
    names = {str(p) for p in book_files(books)}
    assert {
        "main.beancount",
        "openai.beancount",
        "microsoft.beancount",
        "README.md",
        "import.py",
        "scenarios/azure-openai-growth.beancount",
        "imports/leak-2025-11-12.csv",
    } <= names


def test_the_package_carries_the_repositorys_books():
    assert shipped_books().resolve() == LEDGER_DIR.resolve()  # a clone: leakledger/ledger links to ledger/


@pytest.mark.parametrize("target", ["mybooks", "mybooks/sub/folder", "."])
def test_a_second_init_is_refused_and_changes_nothing(books, target, capsys):
    (books / "sub" / "folder").mkdir(parents=True)
    before = snapshot(books.parent)
    code, out, err = run(["init", target], capsys)
    assert code == 4 and out == ""
    assert (
        err == f"error: {target} already exists: nothing was written "
        f"(init never writes into an existing folder; name a new one)\n"
    )
    assert snapshot(books.parent) == before


@pytest.mark.parametrize("where", [".", "scenarios", "imports", "deep/er"])
def test_every_command_finds_the_books_from_their_folder_and_below(books, where, monkeypatch, capsys):
    (books / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(books / where)
    code, out, _ = run(["check"], capsys)
    assert code == 0 and out.startswith(f"{books / 'main.beancount'}: ")
    code, out, _ = run(["report", "--format", "csv"], capsys)
    # docs/sources.md: 2024's net payment 493,800,000; OpenAI's 20% of the audited 3,700,000,000 and
    # Microsoft's 20% solved from them, 740,000,000 - 493,800,000; nothing implied. Each with its range:
    # 3.7B stated to the 0.1B is 3.65B..3.75B, so 730M..750M and 236.2M..256.2M.
    # Both closed ranges: each `_bound` column after its pair is empty.
    row = "2024,2024-01-01,2024-12-31,2024,493800000.00,740000000.00,730000000.00,750000000.00,,246200000.00,"
    assert code == 0 and row + "236200000.00,256200000.00,,,," in out
    code, out, err = run(["add", "training", "5M", "--period", "2025-Q4", "--source", "Init test", "--dry-run"], capsys)
    assert code == 0 and "dry run: nothing written" in err
    code, out, _ = run(["scenario", "list"], capsys)
    assert code == 0 and out == SCENARIOS
    code, out, _ = run(["report", "--scenario", "azure-openai-growth", "--format", "csv"], capsys)
    # The scenario's 2025 Azure OpenAI revenue, 406,250,000 + 468,750,000 + 531,250,000, accrues 20%:
    # 281,250,000 of Microsoft's 2025 share (Bing's part is not known).
    # OpenAI's 2025 20% of 13.07B stated to the 10M (13.065B..13.075B): 2,613,000,000..2,615,000,000, a closed
    # range (its `_bound` empty).
    assert code == 0 and ",2614000000.00,2613000000.00,2615000000.00,,281250000.00," in out


def test_the_nearest_books_win_and_a_clone_is_found_at_ledger_main(books, monkeypatch, capsys):
    # The repository itself: ledger/main.beancount from its root and from a subfolder.
    for where in (ROOT, ROOT / "tests" / "data"):
        monkeypatch.chdir(where)
        code, out, _ = run(["check"], capsys)
        assert code == 0 and out.startswith(f"{LEDGER_DIR / 'main.beancount'}: ")
    # Books inside books: the nearest.
    inner = books / "inner"
    monkeypatch.chdir(books)
    assert run(["init", "inner"], capsys)[0] == 0
    monkeypatch.chdir(inner / "scenarios")
    assert run(["check"], capsys)[1].startswith(f"{inner / 'main.beancount'}: ")


def test_ledger_then_the_environment_then_the_folders(books, tmp_path, monkeypatch, capsys):
    other = tmp_path / "other"
    monkeypatch.chdir(tmp_path)
    assert run(["init", "other"], capsys)[0] == 0
    monkeypatch.chdir(books)
    monkeypatch.setenv("LEAKLEDGER_LEDGER", str(other / "main.beancount"))
    assert run(["check"], capsys)[1].startswith(f"{other / 'main.beancount'}: ")
    ledger = str(books / "main.beancount")
    assert run(["check", "--ledger", ledger], capsys)[1].startswith(f"{ledger}: ")
    monkeypatch.setenv("LEAKLEDGER_LEDGER", str(tmp_path / "gone.beancount"))
    code, _, err = run(["report"], capsys)
    assert code == 3 and err == f"error: no ledger at {tmp_path / 'gone.beancount'} (named by LEAKLEDGER_LEDGER)\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["report"],
        ["check"],
        ["add", "training", "5M", "--period", "2025-Q4", "--source", "x"],
        ["scenario", "list"],
        ["statement", "OpenAI"],
        ["serve"],
        ["explain", "x"],
    ],
    ids=lambda argv: argv[0],
)
def test_no_books_anywhere_is_one_line_naming_init(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("LEAKLEDGER_LEDGER", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(argv, capsys)
    assert code == 3 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"error: no books in {tmp_path} or any folder above it")
    assert "`leakledger init`" in line and "--ledger" in line and "LEAKLEDGER_LEDGER" in line
    assert list(tmp_path.iterdir()) == []


def test_scenarios_are_the_found_books_own(books, tmp_path, monkeypatch, capsys):
    for scenario in (books / "scenarios").iterdir():
        scenario.unlink()
    monkeypatch.chdir(books)
    code, out, err = run(["scenario", "list"], capsys)
    assert code == 0 and out == ""
    assert err == f"no scenarios: {books / 'scenarios'} holds no .beancount books\n"
    code, _, err = run(["report", "--scenario", "azure-openai-growth"], capsys)
    assert code == 3 and err.startswith(
        f"error: no scenario 'azure-openai-growth' in {books / 'scenarios'}; known: none"
    )
    # --ledger and --scenario together: the scenario of the books --ledger names.
    code, out, _ = run(
        [
            "report",
            "--ledger",
            str(LEDGER_DIR / "main.beancount"),
            "--scenario",
            "azure-openai-growth",
            "--format",
            "csv",
        ],
        capsys,
    )
    # The shipped scenario: its 2025 Azure OpenAI revenue accrues 0.20 x 1,406,250,000 = 281,250,000.
    # OpenAI's 2025 20% of 13.07B stated to the 10M (13.065B..13.075B): 2,613,000,000..2,615,000,000, a closed
    # range (its `_bound` empty).
    assert code == 0 and ",2614000000.00,2613000000.00,2615000000.00,,281250000.00," in out
    code, out, _ = run(["scenario", "list", "--ledger", str(LEDGER_DIR / "main.beancount")], capsys)
    assert code == 0 and out == SCENARIOS and "azure-openai-growth\n" in out


def test_python_dash_m_is_the_console_script(books, monkeypatch):
    import subprocess
    import sys

    monkeypatch.chdir(books / "scenarios")
    done = subprocess.run([sys.executable, "-m", "leakledger", "check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith(f"{books / 'main.beancount'}: ")
