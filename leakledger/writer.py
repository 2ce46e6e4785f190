"""The safe write path: lock, journal, atomic replace, reload, restore.

Every command that changes ledger files goes through `write_change`:

1. take the books folder's lock exclusive (leakledger.books_lock: `flock`
   on the folder itself, which readers take shared), so every writer
   (`add`, `import`, a rollback, and Fava's saves under `leakledger serve`,
   see leakledger.cli.serve_guard) queues on the same folder whatever its
   TMPDIR, no reader loads a file while it is written, and no lock file is
   ever created;
2. roll back whatever a killed writer left half-done (its journal);
3. load the whole ledger, and let the caller compute the new text of each
   file from `LoadedBooks.read_text`, which records each file's sha256;
4. journal the old bytes and the new text's sha256, then write each file
   atomically (temp file, fsync, `os.replace`, fsync of the folder); just
   before each rename the file must still hash as it was read: a writer
   that ignores the lock (an editor) changed it otherwise, and the change is
   refused (`LostRace`, exit 4) with the other writer's bytes kept;
5. load the whole ledger again: if the change adds any error, roll back and
   raise `WriteError` with one line.

A dry run (`dry_run=True`) takes steps 3 and 5 without writing: it loads the
books as they would be with the new texts in place (leakledger.books
`load_edited`, every file read where it is, none written) and refuses, in the
same words and with the same exit code, whatever the write would refuse.

A rollback (of a refused change, or of a killed writer's journal) puts a
file back only if it still holds what the interrupted write left. A file
changed since is kept as it is, the version from before the write beside
it as `FILE.conflict-N`, and a warning says so; `leakledger check` lists
leftover conflict files as errors.

`guard_write` gives another program's write (Fava's add form and import
page, under `leakledger serve` or a plain `fava`) steps 1, 2 and 5: the
lock, the bytes of every file of the books kept, the write let run, the
books loaded again, and every file put back if the write added an error.

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
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from leakledger.books import error_line, load_books, load_edited, walk_includes
from leakledger.books_lock import BooksLock, books_file_of, reading
from leakledger.errors import NotFound, Refused

__all__ = [
    "LoadedBooks",
    "BooksLock",
    "CONFLICT_GLOB",
    "CONFLICT_NOTE",
    "FAULT_ENV",
    "FAULT_POINTS",
    "JOURNAL_NAME",
    "LostRace",
    "WriteError",
    "books_file_of",
    "conflict_files",
    "guard_write",
    "journal_path",
    "new_errors",
    "recover",
    "write_change",
]

FAULT_ENV = "LEAKLEDGER_FAULT"
#: In the order a write passes them. "restoring" is reached only when a change is refused.
FAULT_POINTS = (
    "locked",
    "planned",
    "journaled",
    "temp-written",
    "replaced",
    "written",
    "verified",
    "restoring",
    "committed",
)
#: Called with each fault point's name; tests set it to raise mid-write.
fault_hook: Callable[[str], None] | None = None

JOURNAL_NAME = ".leakledger-journal.json"

T = TypeVar("T")


#: `FILE.conflict-N`: the version of FILE a rollback did not put back over a later edit.
CONFLICT_GLOB = "*.conflict-*"
#: How a conflict file's first line starts: what the rollback left, for `leakledger check` to repeat.
CONFLICT_NOTE = "; leakledger: "


class WriteError(Refused):
    """A change that was not made; the message is one line."""


class LostRace(WriteError):
    """Another writer changed a file between our read and our rename; theirs is kept."""


def _digest(content: bytes | None) -> str | None:
    return None if content is None else hashlib.sha256(content).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class LoadedBooks:
    """The ledger as loaded before a change, and where its figure files live."""

    ledger: Path
    books_file: Path
    entries: list
    errors: list
    options_map: dict
    #: sha256 of each file as `read_text` read it (None: it did not exist).
    digests: dict = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.books_file.parent

    def read_text(self, path: Path) -> str | None:
        """A file's text (None if absent), its sha256 recorded for the check before the rename."""
        path = Path(path)
        content = _read(path)
        self.digests.setdefault(path, _digest(content))
        if content is None:
            return None
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WriteError(f"{path} is not UTF-8 text (byte {exc.start}); nothing was written") from None


def _fault(point: str) -> None:
    if fault_hook is not None:
        fault_hook(point)
    if os.environ.get(FAULT_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def conflict_files(folder: Path) -> list[Path]:
    """The `FILE.conflict-N` files a rollback left in (or below) the books folder."""
    return sorted(Path(folder).rglob(CONFLICT_GLOB))


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


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


#: Missing from a journal written before journals recorded it: restore as before.
_UNKNOWN = object()


def _conflict_path(path: Path) -> Path:
    n = 1
    while (candidate := path.with_name(f"{path.name}.conflict-{n}")).exists():
        n += 1
    return candidate


def _conflict_note(path: Path, put_back: list[Path]) -> str:
    """One line: the file kept holds the interrupted write's part, which other files went back, what to do."""
    note = f"{path.name} was edited after an interrupted leakledger write and is kept as it is, with what that write put in it"
    if put_back:
        note += f", while the write's other files ({', '.join(p.name for p in put_back)}) were put back as before it"
    return f"{note}; below is {path.name} from before that write: merge what you need, then delete this file"


def _roll_back(originals: dict[Path, bytes | None], written: dict, say: Callable[[str], None]) -> list[Path]:
    """Undo a write: put back each file that still holds what the write left; return them.

    `written[path]` is the sha256 of what the write put there (None: it
    removed or never created the file). A file that holds anything else was
    changed since, by someone else: it is kept, and its version from before
    the write goes beside it as FILE.conflict-N, under a first line that says
    the kept file still holds the write's part and which of the write's other
    files were put back (a two-file import then leaves one of its rows).
    """
    changed = {path: _read(path) for path in originals}

    def still_as_written(path: Path) -> bool:
        left, current = written.get(path, _UNKNOWN), changed[path]
        return left is _UNKNOWN or current is None or _digest(current) == left

    put_back = [path for path, content in originals.items() if changed[path] != content and still_as_written(path)]
    restored = []
    for n, (path, content) in enumerate(originals.items()):
        if changed[path] != content:
            if path in put_back:
                if content is None:
                    path.unlink()
                    _fsync_dir(path.parent)
                else:
                    _atomic_write(path, content)
                restored.append(path)
            elif content is None:
                say(f"{path} was created by an interrupted write and changed since: kept as it is")
            else:
                beside = _conflict_path(path)
                note = _conflict_note(path, put_back)
                _atomic_write(beside, f"{CONFLICT_NOTE}{note}\n".encode() + content)
                others = f"; the write's other files were put back: {', '.join(p.name for p in put_back)}"
                say(
                    f"{path} changed after an interrupted write: kept as it is, with what that write put in it; "
                    f"its version from before that write is in {beside.name}{others if put_back else ''}"
                )
        if n == 0:
            _fault("restoring")
    return restored


def _write_journal(folder: Path, ledger: Path, originals: dict[Path, bytes | None], written: dict) -> None:
    record = {
        "ledger": str(ledger),
        "files": {
            str(path): None if content is None else base64.b64encode(content).decode("ascii")
            for path, content in originals.items()
        },
        "written": {str(path): digest for path, digest in written.items()},
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


def recover(folder: Path, say: Callable[[str], None] = _warn) -> list[Path]:
    """Roll back a write a killed process left half-done; return the files restored.

    Call with the books folder's lock held. A file edited since the write was
    killed is kept (see `_roll_back`), and `say` is told.
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
            written = {
                Path(path): str(digest) if digest is not None else None
                for path, digest in record.get("written", {}).items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # A journal is written atomically: an unreadable one was never a journal of ours.
            raise WriteError(f"cannot read the write journal {journal}: {exc}") from None
        outside = _outside(folder, originals)
        if outside:
            # We never journal such a file: this journal came with the folder, from someone else.
            raise WriteError(
                f"the write journal {journal} names {outside}, outside the books folder; "
                f"nothing was restored: check the journal and remove it"
            )
        restored = _roll_back(originals, written, say)
        _drop_journal(folder)
    for stray in folder.glob(".*.leakledger-tmp"):
        stray.unlink(missing_ok=True)
    return restored


def _error_key(error) -> tuple[str, str]:
    """An error without line numbers, which shift when lines are inserted above."""
    meta = getattr(error, "source", None) or {}
    return os.path.basename(str(meta.get("filename", ""))), re.sub(
        r":\d+\b", ":#", " ".join(str(error.message).split())
    )


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


Prepare = Callable[[LoadedBooks], "tuple[dict[Path, str], Any]"]


def _load(ledger: Path, books_file: Path) -> LoadedBooks:
    entries, errors, options_map = load_books(ledger)
    return LoadedBooks(ledger, books_file, entries, errors, options_map)


def _refuse_unwritable(folder: Path, edits) -> None:
    """Refuse edits of a file outside the books folder, or of a read-only file or folder."""
    outside = _outside(folder, edits)
    if outside:
        raise WriteError(f"{outside} is outside the books folder {folder}; nothing was written")
    _refuse_read_only([folder, *edits])


def _refusal(before: list, after: list, *, dry_run: bool) -> WriteError | None:
    """The check every change passes, written or tried: the books after it may have no error they had not before.

    `after` is the books' errors loaded with the change written (a write) or
    with its texts in place of the files' (`load_edited`, a dry run): a dry
    run refuses what the write would, in the same words.
    """
    fresh = new_errors(before, after)
    if not fresh:
        return None
    more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
    nothing = "nothing would be written (dry run: nothing was written)" if dry_run else "nothing was written"
    return WriteError(f"the change would add an error, so {nothing}: {error_line(fresh[0])}{more}")


def _check_unchanged(path: Path, expected: str | None) -> None:
    """Refuse if `path` no longer hashes as it did when read: someone else wrote it."""
    if _digest(_read(path)) != expected:
        raise LostRace(
            f"{path} changed while this write was prepared (another program saved it); "
            f"nothing was written and its new text is kept: run the command again"
        )


def write_change(
    ledger, prepare: Prepare, *, dry_run: bool = False, say: Callable[[str], None] = _warn
) -> tuple[Any, dict[Path, str]]:
    """Load the ledger, apply `prepare`'s file texts safely, return (payload, edits).

    `prepare(books)` returns ({path: new full text}, payload) and may raise to
    refuse; nothing is written then. It reads the files it changes through
    `books.read_text`, so a file changed after that read is never overwritten.
    With `dry_run` nothing is ever written, and the change is checked as a
    write checks it (`_refuse_unwritable`, then `_refusal` on the books loaded
    with the edits in place, `load_edited`): a dry run is refused where the
    write would be. `say` gets the rollback's warnings.
    """
    ledger = Path(ledger).resolve()
    if not ledger.is_file():
        raise NotFound(f"no ledger at {ledger}")
    walk_includes(ledger)  # an include of /dev/zero would hang the load below, holding the lock
    books_file = books_file_of(ledger)
    folder = books_file.parent

    if dry_run:
        if journal_path(folder).exists():
            raise WriteError(f"an interrupted write left {journal_path(folder)}; run a write to roll it back first")
        with reading([ledger]):  # both loads see one state of the books
            books = _load(ledger, books_file)
            edits, payload = prepare(books)
            if edits:
                _refuse_unwritable(folder, edits)
                refused = _refusal(books.errors, load_edited(ledger, edits)[1], dry_run=True)
                if refused:
                    raise refused
        return payload, edits

    with BooksLock(folder):
        recover(folder, say)
        _fault("locked")
        books = _load(ledger, books_file)
        edits, payload = prepare(books)
        _fault("planned")
        if not edits:
            return payload, edits
        _refuse_unwritable(folder, edits)
        originals = {path: _read(path) for path in edits}
        for path, content in originals.items():
            books.digests.setdefault(path, _digest(content))
            _check_unchanged(path, books.digests[path])
        contents = {path: text.encode("utf-8") for path, text in edits.items()}
        written = {path: _digest(content) for path, content in contents.items()}
        writing = journal_path(folder)
        replaced: dict[Path, bytes | None] = {}  # what a rollback in this process undoes
        try:
            _write_journal(folder, ledger, originals, written)
            _fault("journaled")
            for n, (path, content) in enumerate(contents.items()):
                writing = path
                tmp = _write_temp(path, content)
                if n == 0:
                    _fault("temp-written")
                _check_unchanged(path, books.digests[path])
                os.replace(tmp, path)
                replaced[path] = originals[path]
                _fsync_dir(path.parent)
                if n == 0:
                    _fault("replaced")
            _fault("written")
            writing = ledger
            refused = _refusal(books.errors, _load(ledger, books_file).errors, dry_run=False)
            _fault("verified")
        except BaseException as exc:
            for path in [*edits, journal_path(folder)]:
                _discard(_temp_of(path))
            _roll_back(replaced, written, say)
            _drop_journal(folder)
            if isinstance(exc, OSError):  # a full disk, a read-only or immutable file
                raise WriteError(f"{writing}: {exc.strerror or exc}; nothing was written") from None
            raise
        if refused:
            _roll_back(replaced, written, say)
            _drop_journal(folder)
            raise refused
        _drop_journal(folder)
        _fault("committed")
        return payload, edits


def guard_write(ledger, write: Callable[[], T], *, say: Callable[[str], None] = _warn) -> T:
    """Run `write` (a program that writes the books itself: Fava's add form) as `write_change` writes.

    Under the books folder's exclusive lock (free if this thread holds it,
    as `leakledger serve` does for Fava's writing requests), after rolling
    back a killed writer's journal: keep the bytes of each file of the books
    in the books folder, load them, run `write`, load them again. If the
    write added an error (`_refusal`, the check every change passes), or
    raised, every file it changed is put back byte-for-byte (`_roll_back`)
    and the error is raised: for added errors, `write_change`'s one-line
    WriteError. Returns what `write` returned. No journal is kept while
    `write` runs: a process killed then leaves what `write` had written.
    """
    ledger = Path(ledger).resolve()
    if not ledger.is_file():
        raise NotFound(f"no ledger at {ledger}")
    books_file = books_file_of(ledger)
    folder = books_file.parent
    with BooksLock(folder):
        recover(folder, say)
        files = [ledger, *(found.path for found in walk_includes(ledger))]  # a device include refused, not read
        originals = {path: _read(path) for path in dict.fromkeys(files) if _outside(folder, [path]) is None}
        before = _load(ledger, books_file)

        def put_back() -> None:
            left = {path: _read(path) for path in originals}
            changed = {path: content for path, content in originals.items() if left[path] != content}
            _roll_back(changed, {path: _digest(left[path]) for path in changed}, say)

        try:
            result = write()
            refused = _refusal(before.errors, _load(ledger, books_file).errors, dry_run=False)
        except BaseException:
            put_back()
            raise
        if refused:
            put_back()
            raise refused
        return result
