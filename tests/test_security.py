"""Security: where `serve` listens, that no text is run as code, and where writes land.

- `leakledger serve` listens on 127.0.0.1 unless told otherwise (a real
  server: its printed URL answers on loopback and nowhere else), and warns
  when told to listen on a public address.
- No module of the project calls eval, exec, compile, __import__, pickle,
  marshal, unsafe yaml, os.system or a shell (an AST scan), and text that
  is code, in every column of a sheet, in a source, a note or a Fava
  extension config, runs nowhere: `import`, `check`, `report`, `reconcile`,
  `explain` and Fava's pages leave no PWNED file behind.
- A leak sheet cannot steer a write outside the ledger folder: with
  `../`-style values in every column, every file that changes is in it.
"""

from __future__ import annotations

import ast
import csv
import selectors
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
from conftest import LEDGER_DIR, ROOT, snapshot
from corpus.checks import bean_check
from leakledger.cli.app import app
from typer.testing import CliRunner

runner = CliRunner()
#: The project's own Python: everything that runs in the CLI, the plugins, Fava or the import config.
PROJECT_CODE = ("leakledger", "cli", "plugins", "importers", "fava_ext", "ledger", "bench")
VALID = {
    "metric": "training",
    "period": "2025-Q4",
    "amount": "5M",
    "source": "Security test",
    "url": "",
    "kind": "leaked",
    "note": "",
    "cumulative": "",
    "supersede": "",
}
VALID_ADD = ("training", "5M", "--period", "2025-Q4", "--source", "Security test")


def books_in(folder: Path) -> Path:
    dest = folder / "ledger"
    shutil.copytree(LEDGER_DIR, dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    return dest / "main.beancount"


def write_sheet(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(VALID))
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- serve ---------------------------------------------------------------------------


def first_line(proc: subprocess.Popen, stream, timeout: float = 60) -> str:
    """The first line a process writes to one of its pipes, or fail after `timeout` seconds."""
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    try:
        assert selector.select(timeout), f"no output from {proc.args} in {timeout}s"
        return stream.readline()
    finally:
        selector.close()


def non_loopback_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent over UDP by connect()
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.fixture
def served(tmp_path):
    """Start `leakledger serve --port 0 [ARGS]`; the process is stopped after the test."""
    procs = []

    def start(*args: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            ["leakledger", "serve", "--port", "0", "--ledger", str(books_in(tmp_path)), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait(timeout=30)


def test_serve_listens_on_loopback_only_by_default(served):
    proc = served()
    line = first_line(proc, proc.stdout)
    assert line.startswith("Fava: http://127.0.0.1:"), line
    port = int(line.split(":")[3].split("/")[0])
    with urllib.request.urlopen(line.split(" ", 1)[1].strip(), timeout=30) as page:
        assert page.status == 200
    public = non_loopback_address()
    if public is not None:
        with pytest.raises(OSError):  # refused: nothing listens there
            socket.create_connection((public, port), timeout=5).close()
    assert proc.poll() is None


def test_serve_warns_before_listening_on_a_public_address(served):
    proc = served("--host", "0.0.0.0")
    warning = first_line(proc, proc.stderr)
    assert warning.startswith("warning: listening on 0.0.0.0, not a loopback address"), warning


# --- nothing is evaluated -------------------------------------------------------------

#: Calls that run text as code, by the name they are called by.
FORBIDDEN_NAMES = {"eval", "exec", "compile", "__import__", "execfile"}
FORBIDDEN_ATTRIBUTES = {
    ("pickle", "load"),
    ("pickle", "loads"),
    ("marshal", "load"),
    ("marshal", "loads"),
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("os", "system"),
    ("os", "popen"),
    ("importlib", "import_module"),
    ("shelve", "open"),
}


def code_calls(path: Path) -> list[str]:
    """`FILE:LINE: call` for every call in a module that would run text as code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = None
        if isinstance(func, ast.Name) and func.id in FORBIDDEN_NAMES:
            name = func.id
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr) in FORBIDDEN_ATTRIBUTES
        ):
            name = f"{func.value.id}.{func.attr}"
        elif any(
            k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        ):
            name = "a shell"
        if name:
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            found.append(f"{where}:{node.lineno}: {name}")
    return found


def test_no_module_runs_text_as_code():
    modules = [p for folder in PROJECT_CODE for p in sorted((ROOT / folder).rglob("*.py"))]
    assert len(modules) > 20 and ROOT / "plugins" / "shares.py" in modules
    assert [call for path in modules for call in code_calls(path)] == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os, pickle\neval('1')\nos.system('x')\npickle.loads(b'')\n"
        "import subprocess\nsubprocess.run('x', shell=True)\nre.compile('x')\n"
    )
    assert [c.split(": ")[1] for c in code_calls(bad)] == ["eval", "os.system", "pickle.loads", "a shell"]


def test_code_anywhere_in_the_input_runs_nowhere(tmp_path):
    pwned = tmp_path / "PWNED"
    code = f"__import__('os').system('touch {pwned}')"
    ledger = books_in(tmp_path)
    # Every column of a sheet; only the text columns can hold it and still be recorded.
    for n, column in enumerate(VALID):
        row = {**VALID, "period": f"2025-{n + 1:02d}", column: code}
        done = runner.invoke(
            app, ["import", str(write_sheet(tmp_path / f"{column}.csv", [row])), "--ledger", str(ledger)]
        )
        recorded = column in ("source", "note")
        # A bad metric, period, amount, kind or url (no web address) is a usage error; a bad flag makes the
        # sheet unreadable.
        assert done.exit_code == (0 if recorded else 2), (column, done.stderr)
    text = (ledger.parent / "2025.beancount").read_text()
    assert text.count(code) == 2  # held as data: source and note of two figures
    # And in a Fava extension config, which Fava and `check` read with ast.literal_eval.
    fava = ledger.parent / "fava.beancount"
    fava.write_text(fava.read_text().replace('"leakledger.fava_ext"\n', f'"leakledger.fava_ext" "{code}"\n', 1))
    outputs = {}
    for command in ("check", "report", "reconcile", "explain"):
        argv = ["leakledger", command, *(["training-2025-04"] if command == "explain" else []), "--ledger", str(ledger)]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=60)
        assert "Traceback" not in done.stderr, (command, done.stderr)
        outputs[command] = done
    assert outputs["check"].returncode == 1 and "is not a Python literal" in outputs["check"].stdout
    assert outputs["explain"].returncode == 0 and code in outputs["explain"].stdout  # shown, as text
    assert not pwned.exists() and not (tmp_path / "ledger" / "PWNED").exists()


def test_fava_shows_code_and_markup_from_the_books_as_text(tmp_path):
    from fava_client import fava

    pwned = tmp_path / "PWNED"
    ledger = books_in(tmp_path)
    source = f"<script>alert(1)</script> {{{{ 7*7 }}}} __import__('os').system('touch {pwned}')"
    note = "<img src=x onerror=alert(1)>"
    args = ["add", "revenue-share", "300M", "--period", "2025-Q4", "--ledger", str(ledger)]
    before = {p: p.read_bytes() for p in ledger.parent.rglob("*.beancount")}
    # `add` refuses markup (check flags it), in one line, and writes nothing.
    refused = runner.invoke(app, [*args, "--source", source, "--note", note])
    assert refused.exit_code == 4 and "looks like markup" in refused.stderr and refused.stderr.count("\n") == 1
    assert {p: p.read_bytes() for p in ledger.parent.rglob("*.beancount")} == before
    # Written by hand instead: Fava must still show it as text.
    result = runner.invoke(app, [*args, "--source", "PLACEHOLDER-SOURCE", "--note", "PLACEHOLDER-NOTE"])
    assert result.exit_code == 0, result.stderr
    [written] = [p for p in ledger.parent.rglob("*.beancount") if b"PLACEHOLDER-SOURCE" in p.read_bytes()]
    text = written.read_text(encoding="utf-8").replace("PLACEHOLDER-SOURCE", source).replace("PLACEHOLDER-NOTE", note)
    written.write_text(text, encoding="utf-8")
    books = fava(ledger)
    client, slug = books.client, books.slug
    for page in ("journal/", "extension/LeakModel/", "errors/"):
        response = client.get(f"/{slug}/{page}")
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<img src=x onerror" not in html, page
    # The Leak model page names each figure's source: escaped, and a template expression stays text.
    model_page = client.get(f"/{slug}/extension/LeakModel/").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in model_page
    # Fava's journal is drawn in the browser from api/journal: JSON, where the text is a string.
    journal = client.get(f"/{slug}/api/journal")
    assert journal.mimetype == "application/json" and source in journal.get_data(as_text=True)
    assert not pwned.exists()


# --- writes stay in the ledger folder ------------------------------------------------------

TRAVERSAL = {
    "metric": "../../etc/passwd",
    "period": "../../etc",
    "amount": "../../../tmp/x",
    "source": "../../etc/passwd",
    "url": "file:///etc/passwd",
    "kind": "../leaked",
    "note": "/etc/cron.d/evil ../../../../tmp/escape.beancount",
    "cumulative": "../yes",
    "supersede": "/dev/null",
}


@pytest.mark.parametrize("column", list(TRAVERSAL))
def test_a_sheet_cannot_write_outside_the_ledger_folder(tmp_path, column):
    ledger = books_in(tmp_path)
    sheet = write_sheet(tmp_path / "leak.csv", [{**VALID, column: TRAVERSAL[column]}])
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["import", str(sheet), "--ledger", str(ledger)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    after = snapshot(tmp_path)
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    assert all(name.startswith("ledger/") for name in changed), changed
    # Only text columns are recorded (as text); the rest (a file:// url too) are refused, with no change at all.
    assert (result.exit_code == 0) == (column in ("source", "note")), result.stderr
    assert changed == ({"ledger/2025.beancount"} if result.exit_code == 0 else set())
    assert bean_check(ledger) == ""


def test_a_planted_journal_cannot_restore_a_file_outside_the_ledger_folder(tmp_path):
    """A journal that came with a copied or cloned books folder is not trusted to write elsewhere."""
    import base64
    import json

    from leakledger import writer

    ledger = books_in(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    journal = writer.journal_path(ledger.parent)
    journal.write_text(
        json.dumps(
            {
                "ledger": str(ledger),
                "files": {
                    str(ledger.parent / "2025.beancount"): base64.b64encode(b"").decode(),
                    str(ledger.parent / ".." / "victim.txt"): base64.b64encode(b"overwritten\n").decode(),
                },
            }
        )
    )
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["add", *VALID_ADD, "--ledger", str(ledger)])
    assert result.exit_code == 4
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: the write journal {journal} names ") and "outside the books folder" in line
    assert snapshot(tmp_path) == before and victim.read_text() == "mine\n"


def test_a_figure_kept_outside_the_ledger_folder_is_not_rewritten(tmp_path):
    """Superseding marks the old figure's file; a file outside the books folder is refused, not written."""
    ledger = books_in(tmp_path)
    outside = tmp_path / "outside.beancount"
    assert runner.invoke(app, ["add", *VALID_ADD, "--ledger", str(ledger)]).exit_code == 0
    year = ledger.parent / "2025.beancount"
    text = year.read_text()
    entry = text[text.index('2025-12-31 * "OpenAI training') :]
    year.write_text(text.replace(entry, ""))
    outside.write_text(entry)
    books = ledger.parent / "books.beancount"
    books.write_text(books.read_text() + 'include "../outside.beancount"\n')
    assert bean_check(ledger) == ""
    before = snapshot(tmp_path)
    result = runner.invoke(
        app,
        [
            "add",
            "training",
            "6M",
            "--period",
            "2025-Q4",
            "--source",
            "Security test",
            "--supersede",
            "--ledger",
            str(ledger),
        ],
    )
    assert result.exit_code == 4
    assert result.stderr == f"error: {outside} is outside the books folder {ledger.parent}; nothing was written\n"
    assert snapshot(tmp_path) == before


def test_the_lock_is_the_books_folder_itself_so_no_lock_file_is_made_or_followed(tmp_path, monkeypatch):
    """flock on the folder's own descriptor: nothing to plant a symlink at, in the folder or the temp folder."""
    ledger = books_in(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["add", *VALID_ADD, "--ledger", str(ledger)])
    assert result.exit_code == 0, result.stderr
    after = snapshot(tmp_path)
    assert set(after) == set(before) and list(temp.iterdir()) == []
    assert {name for name in after if after[name] != before[name]} == {"ledger/2025.beancount"}
