"""Readers take the books' lock shared: they never see a file a writer is halfway through.

Fava saves a file by emptying it and then writing it. Each test here holds
the books' lock as a writer does, empties 2025.beancount as Fava's save does
half way, and shows that a reader (a command, a Fava page, Fava's reload)
waits and then sees the whole file: without the lock it would load 2025 empty
and report 2024 alone. The figures come from the leak (docs/sources.md):
2025's net payments are 454,700,000 (H1) + 411,100,000 (Q3) = 865,800,000,
and 2024's 493,800,000 + 865,800,000 = 1,359,600,000 in all.

Also here: a waiting writer goes before new readers, and a reader that has
waited its patience out goes before new writers; under `serve` a write
first reloads a book changed on disk (an attach from a stale view never lands
on the wrong entry, with one server or two); Fava's addresses stay as they
were at start whatever a reload finds; publish removes what killed runs left.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import snapshot
from fava.util import slugify
from fava_client import LEAK_MODEL, fava

from leakledger.books_lock import _READER, _WRITER, BooksBusy, BooksLock, _marked

NET_2025 = "865800000.00"  # 454,700,000 + 411,100,000
NET_ALL = "1359600000.00"  # 493,800,000 + 865,800,000
REVENUE_2025 = "13070000000.00"  # OpenAI's audited 2025 revenue, stated as 13.07B, in 2025.beancount


class HalfSaved:
    """A writer's lock on the books, with 2025.beancount emptied as Fava's save leaves it half way."""

    def __init__(self, ledger: Path):
        self.folder = ledger.parent
        self.year = ledger.parent / "2025.beancount"
        self.text = self.year.read_bytes()
        self.lock = BooksLock(self.folder)

    def __enter__(self) -> HalfSaved:
        self.lock.acquire()
        self.year.write_bytes(b"")
        return self

    def __exit__(self, *exc) -> None:
        self.year.write_bytes(self.text)  # the save completes, then the writer lets go
        self.lock.release()


def until_marked(folder: Path, side: int, within: float = 10.0) -> None:
    """Return once a lock waiting on the folder has set its side's mark (`books_lock._marked`): a writer sets it as it
    starts waiting, a reader once its patience is out; fail if none has `within` seconds."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + within
        while not _marked(fd, side):
            assert time.monotonic() < deadline, f"no {'writer' if side == _WRITER else 'reader'} waits on {folder}"
            time.sleep(0.005)
    finally:
        os.close(fd)


READERS = {
    "report": (["report", "--format", "csv"], lambda out: "2025,2025-01-01,2025-12-31" in out and NET_ALL in out),
    "check": (["check"], lambda out: "no errors" in out),
    "statement": (["statement", "OpenAI", "--format", "csv"], lambda out: REVENUE_2025 in out),
    "reconcile": (["reconcile", "--format", "csv"], lambda out: NET_2025 in out),
    "explain": (["explain", "revenue-share-2025-h1"], lambda out: "865,800,000.00 USD" in out),
}


@pytest.mark.parametrize("command", READERS)
def test_a_reader_waits_for_a_writer_and_sees_the_whole_file(ledger_copy, command):
    argv, whole = READERS[command]
    with HalfSaved(ledger_copy):
        reader = subprocess.Popen(
            ["leakledger", *argv, "--ledger", str(ledger_copy)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            reader.wait(timeout=1.5)  # it waits, loading nothing
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert whole(out), out


def test_publish_waits_for_a_writer_and_ships_the_whole_books(ledger_copy, tmp_path):
    site = tmp_path / "site"
    with HalfSaved(ledger_copy) as saving:
        publisher = subprocess.Popen(
            ["leakledger", "publish", str(site), "--ledger", str(ledger_copy)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            publisher.wait(timeout=1.5)
    _, err = publisher.communicate(timeout=180)
    assert publisher.returncode == 0, err
    assert NET_ALL in (site / "downloads" / "report-year.csv").read_text()
    assert (site / "books" / "2025.beancount").read_bytes() == saving.text


def test_a_waiting_writer_goes_before_new_readers(tmp_path):
    reading = BooksLock(tmp_path, shared=True).acquire()
    order: list[str] = []
    writer = threading.Thread(target=lambda: (BooksLock(tmp_path).acquire().release(), order.append("writer")))
    writer.start()
    until_marked(tmp_path, _WRITER)  # the writer waits for the reader, and has set its mark
    late = []

    def late_reader():
        try:
            with BooksLock(tmp_path, timeout=0.5, shared=True):
                late.append("read")
        except BooksBusy as exc:
            late.append(str(exc))

    other = threading.Thread(target=late_reader)
    other.start()
    other.join()
    assert late and late[0].startswith("a writer has held the books folder") and late[0].endswith("nothing was read")
    assert order == []
    reading.release()
    writer.join(timeout=10)
    assert order == ["writer"]
    with BooksLock(tmp_path, timeout=1, shared=True):  # the writer is through: readers go again
        pass


def test_a_reader_behind_a_stream_of_writers_gets_its_turn(tmp_path):
    from leakledger.books_lock import READER_PATIENCE

    order: list[str] = []

    def take(name: str, shared: bool) -> None:
        with BooksLock(tmp_path, shared=shared):
            order.append(name)  # while holding it

    holding = BooksLock(tmp_path).acquire()  # a writer is in
    reader = threading.Thread(target=take, args=("r", True))
    reader.start()
    until_marked(tmp_path, _READER, READER_PATIENCE + 10)  # the reader's patience is out: it has claimed the next turn
    writer = threading.Thread(target=take, args=("w", False))
    writer.start()  # a writer that comes after it ...
    until_marked(tmp_path, _WRITER)  # ... and waits too
    holding.release()
    reader.join(timeout=10)
    writer.join(timeout=10)
    assert order == ["r", "w"]  # ... goes after it, though writers go first otherwise


def test_a_thread_that_holds_the_lock_takes_it_again(ledger_copy):
    from leakledger.books import load_books

    with BooksLock(ledger_copy.parent):
        entries, errors, _ = load_books(ledger_copy)  # would wait 120 s on itself otherwise
    assert entries and errors == []
    with BooksLock(ledger_copy.parent, shared=True), pytest.raises(RuntimeError):
        BooksLock(ledger_copy.parent).acquire()  # a reader never turns writer: that could deadlock


# --- Fava under serve ---------------------------------------------------------------------


def model_2025(app, slug) -> tuple[int, dict]:
    response = app.test_client().get(f"/{slug}/{LEAK_MODEL}/model")
    return response.status_code, response.get_json()


def test_a_fava_reload_waits_for_a_writer(ledger_copy):
    served = fava(ledger_copy, guarded=True)
    answers = []
    with HalfSaved(ledger_copy) as saving:
        os.utime(saving.year)  # Fava's watcher sees the change
        asking = threading.Thread(target=lambda: answers.append(model_2025(served.app, served.slug)))
        asking.start()
        until_marked(saving.folder, _READER)  # the request has waited out a reader's patience for the lock ...
        assert answers == []  # ... the page waits for the save, and reloads nothing before
    asking.join(timeout=60)
    status, model = answers[0]
    assert status == 200 and model["errors"] == []
    [row] = [row for row in model["period_table"] if row["period"] == "2025"]
    assert row["net_payment"] == NET_2025


def test_fava_keeps_its_addresses_whatever_a_reload_finds(ledger_copy):
    served = fava(ledger_copy, guarded=True)
    slug = served.slug
    main = ledger_copy.read_text()
    assert 'option "title"' in main
    with BooksLock(ledger_copy.parent):  # a writer drops the title (a half-written main.beancount has none)
        ledger_copy.write_text("\n".join(line for line in main.splitlines() if 'option "title"' not in line) + "\n")
        os.utime(ledger_copy)
    response = served.client.get(f"/{slug}/{LEAK_MODEL}/")
    assert response.status_code == 200
    # The book was reloaded without its title: Fava alone would now name it another slug.
    title = served.ledger(slug).options["title"]
    assert slugify(title) != slug and slug == slugify("Both: OpenAI and Microsoft added together")
    assert served.app.config["LEDGERS"].first_slug() == slug
    assert served.client.get("/").headers["Location"].startswith(f"/{slug}/")


def figure_entry(ledger, link: str):
    """The entry of a Fava book written on the line that carries `^link` (finer figures carry it too)."""
    year = Path(ledger.beancount_file_path).parent / "2025.beancount"
    lineno = next(n for n, line in enumerate(year.read_text().splitlines(), 1) if line.endswith(f"^{link}"))
    return next(e for e in ledger.all_entries if e.meta.get("filename") == str(year) and e.meta.get("lineno") == lineno)


def attach(app, slug: str, entry_hash: str, name: str):
    return app.test_client().put(f"/{slug}/api/attach_document", json={"filename": name, "entry_hash": entry_hash})


def documents_on(ledger: Path) -> dict[str, str]:
    """{document: the link written on the header of the entry its line sits in}, read from 2025.beancount."""
    from leakledger.books import load_books

    assert load_books(ledger)[1] == []  # the books load clean
    found, header = {}, ""
    for line in (ledger.parent / "2025.beancount").read_text().splitlines():
        if line[:1].isdigit():
            header = line
        elif line.strip().startswith("document"):
            found[line.split('"')[1]] = header.rsplit("^", 1)[1]
    return found


def test_an_attach_from_a_stale_view_never_lands_on_another_entry(ledger_copy):
    served = fava(ledger_copy, guarded=True)
    slug = served.slug
    from fava.beans.funcs import hash_entry

    stale = hash_entry(figure_entry(served.ledger(), "inference-2025-h1"))
    year = ledger_copy.parent / "2025.beancount"
    with BooksLock(ledger_copy.parent):  # another process inserts lines above the figure, at once
        year.write_text("; two lines\n; above every figure\n" + year.read_text())
    after_insert = snapshot(ledger_copy.parent)
    answer = attach(served.app, slug, stale, "stale.pdf")
    # The book is reloaded first: the old hash (its line number) names no entry, and nothing is written.
    assert answer.status_code != 200
    assert snapshot(ledger_copy.parent) == after_insert
    fresh = hash_entry(figure_entry(served.ledger(), "inference-2025-h1"))
    assert attach(served.app, slug, fresh, "fresh.pdf").status_code == 200
    assert documents_on(ledger_copy) == {"fresh.pdf": "inference-2025-h1"}


def test_two_servers_never_attach_to_the_neighbouring_figure(ledger_copy):
    from fava.beans.funcs import hash_entry

    one, two = fava(ledger_copy, guarded=True), fava(ledger_copy, guarded=True)
    first = hash_entry(figure_entry(one.ledger(), "revenue-share-2025-h1"))
    below = hash_entry(figure_entry(two.ledger(), "inference-2025-h1"))
    assert attach(one.app, one.slug, first, "one.pdf").status_code == 200  # a line above the other figure
    answer = attach(two.app, two.slug, below, "two.pdf")  # server two's view predates it
    if answer.status_code != 200:  # refused: its view was stale; with the reloaded view it lands
        below = hash_entry(figure_entry(two.ledger(), "inference-2025-h1"))
        assert attach(two.app, two.slug, below, "two.pdf").status_code == 200
    assert documents_on(ledger_copy) == {"one.pdf": "revenue-share-2025-h1", "two.pdf": "inference-2025-h1"}
    check = subprocess.run(["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


# --- publish ------------------------------------------------------------------------------


def test_publish_removes_what_killed_runs_left(ledger_copy, tmp_path):
    from leakledger.publish.output import remove_leftovers

    out = tmp_path / "site"
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that has ended: its leftovers are fair game
    left = [
        tmp_path / ".site.abcd1234.old" / "site",  # from before runs named their PID
        tmp_path / f".site.{gone.pid}.abcd1234.old" / "site",
        tmp_path / f".site.{gone.pid}.efgh5678.tmp",
    ]
    live = tmp_path / f".site.{os.getppid()}.ijkl9012.tmp"  # a run still going: kept
    unrelated = [tmp_path / ".site.notmine.old", tmp_path / ".other.abcd1234.old"]
    for folder in [*left, live, *unrelated]:
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("<p>left behind</p>")
    done = subprocess.run(
        ["leakledger", "publish", str(out), "--ledger", str(ledger_copy), "--scenario", "azure-openai-growth"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert [p for p in left if p.exists()] == [] and live.exists() and all(p.exists() for p in unrelated)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == sorted(
        [live.name, ".site.notmine.old"]
    )
    assert remove_leftovers(out) == []
