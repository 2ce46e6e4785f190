"""The books folder's lock: writers take it exclusive, readers shared.

`flock` on the books folder itself (the folder of the top-level file's
`books.beancount`, see `books_file_of`): every writer (`add`, `import`, a
rollback, Fava's saves under `leakledger serve`) takes it exclusive, and
every reader (`check`, `report`, `statement`, `reconcile`, `explain`,
`scenario compare`, `publish`, every Fava request under `serve`, Fava's
reloads included) takes it shared. Fava saves a file by emptying it and
rewriting it in place, so a reader without the lock could load half a file;
with it, a reader sees each file as it was before a save or after it.

In the folder, not the temp folder, so processes with different TMPDIRs
(PrivateTmp, sudo, containers) exclude each other; on the folder's own
descriptor, so no lock file is created and no planted symlink followed.
Each acquire opens its own descriptor: two threads of one process (Fava's
request threads) exclude each other too.

Neither side starves. `flock` grants a shared lock whenever no exclusive
one is held, so a stream of overlapping readers would starve a writer: a
waiting writer sets a mark (a shared OFD record lock, `fcntl`, independent
of `flock` on Linux, on byte 0 of the same folder), and a new reader waits
while it is there. A stream of writers would then starve the readers: a
reader that has waited `READER_PATIENCE` seconds sets its own mark (byte 1)
and takes the lock at the next gap between writers, and writers wait while
a reader's mark is there. Marks vanish with the descriptor, also when the
process is killed.

A thread that holds a folder's lock already takes it again for free (a
`write_change` loads the books under its own exclusive lock; `publish` and
`check` hold the shared lock across several loads, so what they read is
one state of the books).
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from leakledger.errors import NotFound, Refused

__all__ = [
    "BOOKS_NAME",
    "LOCK_TIMEOUT",
    "READER_PATIENCE",
    "BooksBusy",
    "INCLUDE_LINE",
    "BooksLock",
    "books_file_of",
    "books_folder_of",
    "reading",
]

LOCK_TIMEOUT = 120.0
#: How long a reader lets waiting writers go first before it claims the next turn.
READER_PATIENCE = 1.0
BOOKS_NAME = "books.beancount"
_POLL = 0.005

#: struct flock as fcntl(2) takes it: l_type, l_whence, l_start, l_len, l_pid.
_FLOCK = "hhqqi"
_WRITER, _READER = 0, 1  # the byte each side's waiting mark is on

#: Per thread: {folder: "shared" | "exclusive", with a count}, for taking a held lock again.
_held = threading.local()


class BooksBusy(Refused):
    """The books folder's lock was not free within the timeout."""


#: An `include` line and the name it gives, read from a file's text before anything loads. As Beancount reads the
#: name, a newline inside the quotes is part of it: `include "a<newline>b"` includes a file of that name.
INCLUDE_LINE = re.compile(r'^include\s+"([^"]+)"', re.MULTILINE)


def books_file_of(ledger: Path) -> Path:
    """The file year files are included from: the top-level's `books.beancount`, else itself.

    Read from the top-level file's text, without loading, so the lock can be
    chosen before anything is loaded: main.beancount and every scenario book
    include the same books.beancount, and so share one lock.
    """
    ledger = Path(ledger).resolve()
    for match in INCLUDE_LINE.finditer(ledger.read_bytes().decode("utf-8", errors="replace")):
        if Path(match[1]).name == BOOKS_NAME:
            return (ledger.parent / match[1]).resolve()
    return ledger


def books_folder_of(ledger: Path) -> Path:
    """The folder whose lock guards a ledger's books."""
    return books_file_of(ledger).parent


def _holdings() -> dict[Path, list]:
    if not hasattr(_held, "folders"):
        _held.folders = {}
    return _held.folders


def _mark(fd: int, byte: int, on: bool) -> None:
    kind = fcntl.F_RDLCK if on else fcntl.F_UNLCK
    fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack(_FLOCK, kind, os.SEEK_SET, byte, 1, 0))


def _marked(fd: int, byte: int) -> bool:
    """Whether another descriptor has set the waiting mark on this byte of the folder."""
    found = fcntl.fcntl(fd, fcntl.F_OFD_GETLK, struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, byte, 1, 0))
    return struct.unpack(_FLOCK, found)[0] != fcntl.F_UNLCK


class BooksLock:
    """The books folder's lock, exclusive (writers, the default) or shared (readers); see the module doc."""

    def __init__(self, folder: Path, timeout: float | None = None, *, shared: bool = False):
        self.folder = Path(folder).resolve()
        self.timeout = LOCK_TIMEOUT if timeout is None else timeout
        self.shared = shared
        self._fd: int | None = None
        self._reentered = False

    def _busy(self) -> BooksBusy:
        if self.shared:
            return BooksBusy(
                f"a writer has held the books folder {self.folder} for {self.timeout:.0f}s; nothing was read"
            )
        return BooksBusy(
            f"another writer or reader has held the books folder {self.folder} for "
            f"{self.timeout:.0f}s; nothing was written"
        )

    def acquire(self) -> BooksLock:
        holdings = _holdings()
        held = holdings.get(self.folder)
        if held is not None:
            if not self.shared and held[0] == "shared":
                raise RuntimeError(f"a reader of {self.folder} asked to write it: take the exclusive lock first")
            held[1] += 1
            self._reentered = True
            return self
        try:
            fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as exc:
            raise NotFound(f"cannot open the books folder {self.folder}: {exc.strerror or exc}") from None
        start = time.monotonic()
        mine, theirs = (_READER, _WRITER) if self.shared else (_WRITER, _READER)
        marked = not self.shared  # a writer marks at once, a reader once its patience is out
        try:
            if marked:
                _mark(fd, mine, True)
            while True:
                if not marked and time.monotonic() - start >= READER_PATIENCE:
                    _mark(fd, mine, True)
                    marked = True
                if (self.shared and marked) or not _marked(fd, theirs):
                    try:
                        fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        pass
                if time.monotonic() - start >= self.timeout:
                    raise self._busy()
                time.sleep(_POLL)
            if marked:
                _mark(fd, mine, False)  # in: the other side's turn may come
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        holdings[self.folder] = ["shared" if self.shared else "exclusive", 1]
        return self

    def release(self) -> None:
        if self._reentered:
            self._reentered = False
            _holdings()[self.folder][1] -= 1
            return
        fd, self._fd = self._fd, None
        if fd is not None:
            _holdings().pop(self.folder, None)
            os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> BooksLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


@contextmanager
def reading(ledgers: Iterable[Path | str], timeout: float | None = None) -> Iterator[None]:
    """Hold the shared lock of every books folder these ledgers use, in one order (so no deadlock)."""
    folders = sorted({books_folder_of(Path(ledger)) for ledger in ledgers if Path(ledger).is_file()})
    with ExitStack() as stack:
        for folder in folders:
            stack.enter_context(BooksLock(folder, timeout, shared=True))
        yield
