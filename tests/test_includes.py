"""Includes are checked before loading (issue 22, item 7).

`include "/dev/zero"` made every command hang, and `add` hung holding the
books' lock. An include that is not a regular file (a device, a FIFO, a
folder) is now refused in one line, naming its line, before Beancount reads
it; nothing is written.

`publish` shipped an included file from outside the books folder, in the
site and in books.zip, under a path that named folders of the machine
(item 10). It now refuses such books in one line (exit 2) that names the
include by its line in the books and as written, and publishes nothing;
`check` warns about the include and says so.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import snapshot

from leakledger.books import NotARegularFile, walk_includes

COMMANDS = [
    ("check",),
    ("report",),
    ("reconcile",),
    ("statement", "OpenAI"),
    ("explain", "revenue-share-2024"),
    ("scenario", "compare", "azure-openai-growth"),
    ("add", "training", "5M", "--period", "2025-Q4", "--source", "Test source"),
    ("import", "{sheet}"),
    ("publish", "{tmp}/site"),
    ("serve", "--port", "0"),
]


def include(ledger: Path, target: str) -> tuple[Path, int]:
    """Append `include "TARGET"` to the books' 2025 file; (file, line)."""
    year = ledger.parent / "2025.beancount"
    text = year.read_text()
    year.write_text(text + f'\ninclude "{target}"\n')
    return year, text.count("\n") + 2


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_an_include_of_a_device_is_refused_before_loading_by_every_command(argv, ledger_copy, tmp_path):
    year, lineno = include(ledger_copy, "/dev/zero")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("metric,period,amount,source\ntraining,2025-Q4,5M,Test sheet\n")
    before = snapshot(ledger_copy.parent)
    args = [a.replace("{sheet}", str(sheet)).replace("{tmp}", str(tmp_path)) for a in argv]
    # It hung for good: the timeout is the test's failure, not a wait.
    done = subprocess.run(
        ["leakledger", *args, "--ledger", str(ledger_copy)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        f"error: {year}:{lineno}: include '/dev/zero' is a device, not a books file; nothing was loaded\n"
    )
    assert snapshot(ledger_copy.parent) == before


def test_a_fifo_or_a_folder_is_refused_too(ledger_copy, tmp_path):
    fifo = tmp_path / "figures.beancount"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    year, lineno = include(ledger_copy, str(fifo))
    with pytest.raises(NotARegularFile, match=f"{year}:{lineno}: include .* is a FIFO"):
        walk_includes(ledger_copy)
    year.write_text(year.read_text().replace(str(fifo), str(tmp_path)))
    with pytest.raises(NotARegularFile, match="is a folder"):
        walk_includes(ledger_copy)


def test_a_name_across_lines_is_read_as_beancount_reads_it(ledger_copy, tmp_path):
    """Beancount includes `include "a<newline>b"` as the file of that name, so the walk reads such a name too: a device
    behind one is refused (read within one line only, it went unchecked and Beancount read /dev/zero for good)."""
    link = tmp_path / "zero\nlink.beancount"
    link.symlink_to("/dev/zero")
    year, lineno = include(ledger_copy, str(link))
    with pytest.raises(NotARegularFile, match=f"{year}:{lineno}: include .* is a device"):
        walk_includes(ledger_copy)


def test_add_refused_for_a_fifo_leaves_the_lock_free(ledger_copy, tmp_path):
    """`add` hung holding the books' lock: the next writer could never get in."""
    fifo = tmp_path / "figures.beancount"
    os.mkfifo(fifo)
    year, _ = include(ledger_copy, str(fifo))
    add = ["leakledger", "add", "training", "5M", "--period", "2025-Q4", "--source", "Test source"]
    done = subprocess.run([*add, "--ledger", str(ledger_copy)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "is a FIFO" in done.stderr
    year.write_text(year.read_text().replace(f'\ninclude "{fifo}"\n', ""))
    done = subprocess.run([*add, "--ledger", str(ledger_copy)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_check_warns_about_an_include_outside_the_books_folder(ledger_copy, tmp_path):
    outside = tmp_path / "elsewhere.beancount"
    outside.write_text("; nothing but a comment\n")
    year, lineno = include(ledger_copy, str(outside))
    done = subprocess.run(
        ["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == (
        f"warning: {year}:{lineno}: include {outside} lies outside the books folder {ledger_copy.parent}; "
        "`publish` refuses books that include it\n"
    )


def test_publish_refuses_an_include_outside_the_books_folder_and_writes_nothing(ledger_copy, tmp_path):
    private = tmp_path / "home" / "alice" / "private"
    private.mkdir(parents=True)
    (private / "notes.beancount").write_text("; nothing but a comment\n")
    year, lineno = include(ledger_copy, str(private / "notes.beancount"))
    before = snapshot(tmp_path)
    done = subprocess.run(
        ["leakledger", "publish", str(tmp_path / "site"), "--ledger", str(ledger_copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"error: 2025.beancount:{lineno}: include '{private}/notes.beancount' lies outside the books folder: "
        "publish would ship it in books.zip with its folder names; move it into the books folder or drop the "
        "include; nothing was published\n"
    )
    assert snapshot(tmp_path) == before and not (tmp_path / "site").exists()


def test_publish_refuses_a_relative_include_that_climbs_out_and_a_scenario_from_elsewhere(ledger_copy, tmp_path):
    from leakledger.errors import UsageError
    from leakledger.publish import publish

    (tmp_path / "outside.beancount").write_text("; nothing but a comment\n")
    year, lineno = include(ledger_copy, "../outside.beancount")
    with pytest.raises(UsageError, match=f"^2025.beancount:{lineno}: include '../outside.beancount' lies outside"):
        publish(tmp_path / "site", ledger_copy)
    year.write_text(year.read_text().replace('include "../outside.beancount"', ""))
    scenario = tmp_path / "mine.beancount"
    scenario.write_text((ledger_copy.parent / "scenarios" / "azure-openai-growth.beancount").read_text())
    with pytest.raises(UsageError, match="^scenario book mine.beancount lies outside the books folder"):
        publish(tmp_path / "site", ledger_copy, [str(scenario)])
    assert not (tmp_path / "site").exists()


def test_the_published_archive_names_files_relative_to_the_books_folder_only(ledger_copy, tmp_path):
    """Before, one outside include moved the archive's root up and every name carried the folders above."""
    import zipfile

    from leakledger.publish import publish

    publish(tmp_path / "site", ledger_copy)
    names = zipfile.ZipFile(tmp_path / "site" / "downloads" / "books.zip").namelist()
    shipped = sorted(p.relative_to(ledger_copy.parent).as_posix() for p in ledger_copy.parent.rglob("*.beancount"))
    assert sorted(n.removeprefix("books/") for n in names if n.endswith(".beancount")) == shipped


def test_the_shipped_books_and_their_scenarios_include_only_their_own_files(ledger_copy):
    folder = ledger_copy.parent
    for top in [ledger_copy, *sorted((folder / "scenarios").glob("*.beancount"))]:
        included = [found.path for found in walk_includes(top)]
        assert included and all(path.is_relative_to(folder) for path in included), top


def _answer(url: str) -> tuple[int, str]:
    """(status, body) of a GET; a hang is a timeout error, the test's failure (how fast it answers is bench's)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _until(url: str, wanted: int) -> tuple[int, str]:
    """GET the page until it answers `wanted` (Fava's watcher notices a change within a second or so)."""
    import time

    deadline = time.monotonic() + 30
    while True:
        status, body = _answer(url)
        if status == wanted or time.monotonic() > deadline:
            return status, body
        time.sleep(0.2)


def test_an_include_of_a_device_added_while_serve_runs_is_refused_before_fava_reloads(ledger_copy):
    """Fava's reload read /dev/zero for good: now every request answers the error line until the include goes."""
    from bench.common import serving

    with serving("--ledger", str(ledger_copy)) as url:
        page, api = f"{url}income_statement/", f"{url}api/journal_page?page=1&order=desc"
        assert _answer(page)[0] == 200
        year, lineno = include(ledger_copy, "/dev/zero")
        line = f"error: {year}:{lineno}: include '/dev/zero' is a device, not a books file; nothing was loaded"
        assert _until(page, 500) == (500, line + "\n")
        status, body = _answer(api)  # Fava's API (the Journal's rows): the same line, as JSON
        assert (status, json.loads(body)) == (500, {"error": line})
        assert _answer(page) == (500, line + "\n")  # still refused: the watcher's notice is spent, the book is not
        year.write_text(year.read_text().replace('\ninclude "/dev/zero"\n', ""))
        assert _until(page, 200)[0] == 200  # the include gone, the next request reloads the books
        status, body = _answer(api)
        assert status == 200 and json.loads(body)["data"]["journal"]
