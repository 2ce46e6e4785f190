"""The safe write path: lock, journal, atomic replace, reload, restore.

Every command that changes ledger files goes through `write_change`:

1. take a lock (one per books folder), so two writers at once queue and both land;
2. roll back whatever a killed writer left half-done (its journal);
3. load the whole ledger, and let the caller compute the new text of each file;
4. journal the old bytes, then write each file atomically
   (temp file, fsync, `os.replace`, fsync of the folder);
5. load the whole ledger again: if the change adds any error, restore every
   touched file byte for byte and raise `WriteError` with one line.

Only files in the books folder (or below it) are ever written or restored.
A file (or the books folder) with no write permission bits is refused before
anything is written, even for root; a write the system refuses (a full disk,
a read-only or immutable file) restores what was touched and is a one-line
`WriteError` too.

Named fault points (`FAULT_POINTS`) mark each step: the environment variable
`LEAKLEDGER_FAULT=<point>` kills the process there with SIGKILL, and
`fault_hook` (in-process) is called with each point's name. Whatever point a
writer dies at, the next writer (or `recover`) leaves the files as they were
before it, or, past "committed", with the whole change.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import signal
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from leakledger.books import error_line, load_books

__all__ = [
    "Books",
    "FAULT_ENV",
    "FAULT_POINTS",
    "JOURNAL_NAME",
    "WriteError",
    "books_file_of",
    "journal_path",
    "lock_path",
    "new_errors",
    "recover",
    "write_change",
]

FAULT_ENV = "LEAKLEDGER_FAULT"
#: In the order a write passes them. "restoring" is reached only when a change is refused.
FAULT_POINTS = ("locked", "planned", "journaled", "temp-written", "replaced", "written",
                "verified", "restoring", "committed")
#: Called with each fault point's name; tests set it to raise mid-write.
fault_hook: Callable[[str], None] | None = None

JOURNAL_NAME = ".leakledger-journal.json"
LOCK_TIMEOUT = 120.0
BOOKS_NAME = "books.beancount"


class WriteError(Exception):
    """A change that was not made; the message is one line."""


@dataclass(frozen=True)
class Books:
    """The ledger as loaded before a change, and where its figure files live."""

    ledger: Path
    books_file: Path
    entries: list
    errors: list
    options_map: dict

    @property
    def folder(self) -> Path:
        return self.books_file.parent


def _fault(point: str) -> None:
    if fault_hook is not None:
        fault_hook(point)
    if os.environ.get(FAULT_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)


_INCLUDE = re.compile(r'^include\s+"([^"]+)"', re.MULTILINE)


def books_file_of(ledger: Path) -> Path:
    """The file year files are included from: the top-level's `books.beancount`, else itself.

    Read from the top-level file's text, without loading, so the lock can be
    chosen before anything is loaded: main.beancount and every scenario book
    include the same books.beancount, and so share one lock.
    """
    ledger = Path(ledger).resolve()
    for match in _INCLUDE.finditer(ledger.read_bytes().decode("utf-8", errors="replace")):
        if Path(match[1]).name == BOOKS_NAME:
            return (ledger.parent / match[1]).resolve()
    return ledger


def lock_path(folder: Path) -> Path:
    """One lock per books folder, outside it (so the folder holds only the books)."""
    digest = hashlib.sha1(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"leakledger-{digest}.lock"


def journal_path(folder: Path) -> Path:
    return Path(folder) / JOURNAL_NAME


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_of(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.leakledger-tmp")


def _write_temp(path: Path, content: bytes) -> Path:
    tmp = _temp_of(path)
    with open(tmp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def _atomic_write(path: Path, content: bytes) -> None:
    os.replace(_write_temp(path, content), path)
    _fsync_dir(path.parent)


def _restore(originals: dict[Path, bytes | None]) -> None:
    """Put every file back as it was; remove the ones the change created."""
    for n, (path, content) in enumerate(originals.items()):
        if content is None:
            if path.exists():
                path.unlink()
                _fsync_dir(path.parent)
        elif not path.exists() or path.read_bytes() != content:
            _atomic_write(path, content)
        if n == 0:
            _fault("restoring")


def _write_journal(folder: Path, ledger: Path, originals: dict[Path, bytes | None]) -> None:
    record = {
        "ledger": str(ledger),
        "files": {
            str(path): None if content is None else base64.b64encode(content).decode("ascii")
            for path, content in originals.items()
        },
    }
    _atomic_write(journal_path(folder), json.dumps(record, indent=1).encode("utf-8"))


def _discard(path: Path) -> None:
    """Remove a file if it is there (asking first: on a read-only mount unlink says EROFS, not ENOENT)."""
    if path.exists():
        path.unlink()


def _drop_journal(folder: Path) -> None:
    journal = journal_path(folder)
    if journal.exists():
        journal.unlink()
        _fsync_dir(folder)


def _refuse_read_only(paths) -> None:
    """Refuse to replace a file (or write in a folder) its owner made read-only.

    `os.replace` needs only the folder's permission, and root passes every
    check, so the mode bits themselves are read: a file chmod'ed 0444 is
    left alone even by root.
    """
    for path in paths:
        if path.exists() and (not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK)):
            raise WriteError(f"{path} is read-only; nothing was written")


def _outside(folder: Path, paths) -> Path | None:
    """The first path that is not in the books folder (or below it), symlinks resolved."""
    root = Path(folder).resolve()
    return next((path for path in paths if not Path(path).resolve().is_relative_to(root)), None)


def recover(folder: Path) -> list[Path]:
    """Roll back a write a killed process left half-done; return the files restored.

    Call with the books folder's lock held.
    """
    folder = Path(folder)
    journal = journal_path(folder)
    restored: list[Path] = []
    if journal.exists():
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            originals = {
                Path(path): None if content is None else base64.b64decode(content)
                for path, content in record["files"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # A journal is written atomically: an unreadable one was never a journal of ours.
            raise WriteError(f"cannot read the write journal {journal}: {exc}") from None
        outside = _outside(folder, originals)
        if outside:
            # We never journal such a file: this journal came with the folder, from someone else.
            raise WriteError(f"the write journal {journal} names {outside}, outside the books folder; "
                             f"nothing was restored: check the journal and remove it")
        _restore(originals)
        restored = list(originals)
        _drop_journal(folder)
    for stray in folder.glob(".*.leakledger-tmp"):
        stray.unlink(missing_ok=True)
    return restored


def _error_key(error) -> tuple[str, str]:
    """An error without line numbers, which shift when lines are inserted above."""
    meta = getattr(error, "source", None) or {}
    return os.path.basename(str(meta.get("filename", ""))), re.sub(r":\d+\b", ":#", " ".join(str(error.message).split()))


def new_errors(before, after) -> list:
    """The errors in `after` that `before` did not have."""
    remaining = Counter(map(_error_key, before))
    fresh = []
    for error in after:
        key = _error_key(error)
        if remaining[key]:
            remaining[key] -= 1
        else:
            fresh.append(error)
    return fresh


Prepare = Callable[[Books], "tuple[dict[Path, str], Any]"]


def _load(ledger: Path, books_file: Path) -> Books:
    entries, errors, options_map = load_books(ledger)
    return Books(ledger, books_file, entries, errors, options_map)


def write_change(ledger, prepare: Prepare, *, dry_run: bool = False) -> tuple[Any, dict[Path, str]]:
    """Load the ledger, apply `prepare`'s file texts safely, return (payload, edits).

    `prepare(books)` returns ({path: new full text}, payload) and may raise to
    refuse; nothing is written then. With `dry_run` nothing is ever written.
    """
    from filelock import FileLock, Timeout

    ledger = Path(ledger).resolve()
    if not ledger.is_file():
        raise WriteError(f"no ledger at {ledger}")
    books_file = books_file_of(ledger)
    folder = books_file.parent

    if dry_run:
        if journal_path(folder).exists():
            raise WriteError(f"an interrupted write left {journal_path(folder)}; run a write to roll it back first")
        books = _load(ledger, books_file)
        edits, payload = prepare(books)
        return payload, edits

    lock = FileLock(str(lock_path(folder)), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise WriteError(f"another leakledger write has held {lock.lock_file} for {LOCK_TIMEOUT:.0f}s") from None
    try:
        recover(folder)
        _fault("locked")
        books = _load(ledger, books_file)
        edits, payload = prepare(books)
        _fault("planned")
        if not edits:
            return payload, edits
        outside = _outside(folder, edits)
        if outside:
            raise WriteError(f"{outside} is outside the books folder {folder}; nothing was written")
        _refuse_read_only([folder, *edits])
        originals = {path: (path.read_bytes() if path.exists() else None) for path in edits}
        writing = journal_path(folder)
        try:
            _write_journal(folder, ledger, originals)
            _fault("journaled")
            for n, (path, text) in enumerate(edits.items()):
                writing = path
                tmp = _write_temp(path, text.encode("utf-8"))
                if n == 0:
                    _fault("temp-written")
                os.replace(tmp, path)
                _fsync_dir(path.parent)
                if n == 0:
                    _fault("replaced")
            _fault("written")
            writing = ledger
            after = _load(ledger, books_file)
            fresh = new_errors(books.errors, after.errors)
            _fault("verified")
        except BaseException as exc:
            for path in [*edits, journal_path(folder)]:
                _discard(_temp_of(path))
            _restore(originals)
            _drop_journal(folder)
            if isinstance(exc, OSError):  # a full disk, a read-only or immutable file
                raise WriteError(f"{writing}: {exc.strerror or exc}; nothing was written") from None
            raise
        if fresh:
            _restore(originals)
            _drop_journal(folder)
            more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
            raise WriteError(f"the change would add an error, so nothing was written: {error_line(fresh[0])}{more}")
        _drop_journal(folder)
        _fault("committed")
        return payload, edits
    finally:
        lock.release()
