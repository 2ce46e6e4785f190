"""Loading the books: always fresh, never from Beancount's pickle cache, never from a device, under the books' shared lock.

Beancount's cache is keyed on ledger mtimes only and serves stale output after
a plugin changes, so everything in leakledger loads through here. Beancount
reads whatever an `include` names: `include "/dev/zero"` (or a FIFO) would
never end, and a writer would hang holding the books' lock. So the include
tree is walked first, from the files' text alone (`walk_includes`), and a
file that is not a regular file is refused before anything is loaded. A load
holds the books folder's lock shared (leakledger.books_lock), so it never
reads a file a writer (Fava's editor empties a file, then rewrites it) is
halfway through; under a writer's own exclusive lock it loads at once.
"""

from __future__ import annotations

import datetime
import glob
import os
import re
import stat
from pathlib import Path
from typing import Any, NamedTuple

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import booking

from leakledger.books_lock import books_folder_of, reading
from leakledger.errors import BooksHaveErrors

_initialized = False


_INCLUDE = re.compile(r'^include\s+"([^"\n]+)"', re.MULTILINE)


class NotARegularFile(BooksHaveErrors):
    """An include (or the top-level file) that is a device, a FIFO or a folder: reading it may never end."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class Include(NamedTuple):
    """One file an `include` line matched: the line's file and number, the pattern as written, the file."""

    file: Path
    line: int
    written: str
    path: Path

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def walk_includes(path: str | os.PathLike) -> list[Include]:
    """Every file the books include, from their text alone (the included file resolved).

    Raises NotARegularFile, naming the include's line, for one that is not a
    regular file; an include that matches nothing is left to Beancount's own error.
    """
    top = Path(path).absolute()
    try:
        mode = os.stat(top).st_mode
    except OSError:
        return []  # the load says it is missing
    if not stat.S_ISREG(mode):
        raise NotARegularFile(f"{top} is {_kind(mode)}, not a books file; nothing was loaded")
    found: list[Include] = []
    seen, todo = {os.path.realpath(top)}, [top]
    while todo:
        current = todo.pop()
        text = current.read_bytes().decode("utf-8", errors="replace")
        if "include" not in text:
            continue
        for match in _INCLUDE.finditer(text):
            line = text.count(chr(10), 0, match.start()) + 1
            pattern = match[1] if os.path.isabs(match[1]) else os.path.join(current.parent, match[1])
            for name in sorted(glob.glob(pattern, recursive=True)):
                mode = os.stat(name).st_mode
                if not stat.S_ISREG(mode):
                    raise NotARegularFile(
                        f"{current}:{line}: include {match[1]!r} is {_kind(mode)}, not a books file; nothing was loaded"
                    )
                real = os.path.realpath(name)
                found.append(Include(current, line, match[1], Path(real)))
                if real not in seen:
                    seen.add(real)
                    todo.append(Path(os.path.normpath(name)))
    return found


def books_root(ledger: str | os.PathLike) -> Path:
    """The folder that holds the books: the top-level file's and its `books.beancount`'s.

    A scenario book in scenarios/ includes ../books.beancount, so its root is
    the books folder too.
    """
    ledger = Path(ledger).resolve()
    return Path(os.path.commonpath([ledger.parent, books_folder_of(ledger).resolve()]))


def outside_includes(path: str | os.PathLike, root: Path | None = None) -> list[Include]:
    """The includes of a ledger that lie outside `root` (default: its books_root).

    A file from elsewhere travels with no copy of the books, may be anyone's,
    and `publish` would ship it with its folder names: `check` warns, `publish` refuses.
    """
    root = books_root(path) if root is None else root.resolve()
    return [found for found in walk_includes(path) if not found.path.is_relative_to(root)]


def load_books(
    path: str | os.PathLike, as_of: datetime.date | None = None
) -> tuple[data.Directives, list[data.BeancountError], dict[str, Any]]:
    """(entries, errors, options_map) of a ledger, loaded with its plugins, uncached.

    Raises NotARegularFile before loading when an include is a device, a FIFO or a folder.
    With `as_of`, the books as known on that day (leakledger.knowledge): the
    book parsed as it is, its chain plugin given the as-of (ParsedBooks).
    """
    if as_of is not None:
        return ParsedBooks(path).load(as_of)
    walk_includes(path)
    _initialize()
    path = Path(path).resolve()
    with reading([path]):
        return loader.load_file(str(path))


def _initialize() -> None:
    global _initialized
    if not _initialized:
        os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
        loader.initialize(use_cache=False)
        _initialized = True


class ParsedBooks:
    """A ledger parsed and booked once; `load(day)` runs its plugins and Beancount's validation as known that day.

    What `loader.load_file` does, in two halves: parsing and booking are most
    of a load (on 100k transactions, 5.1 s of 7.2) and do not depend on the
    day, so a timeline that needs the books as known on every knowledge date
    pays them once. Each `load` hands the plugins a fresh list of the same
    booked entries (plugins build new entries; they never change one in
    place). Booking after the as-of filter would differ only for lots held at
    cost, which these books do not hold (leakledger.model: USD only).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        walk_includes(path)
        _initialize()
        self.path = Path(path).resolve()
        with reading([self.path]):
            entries, errors, options_map = loader._parse_recursive([(str(self.path), True)], None, None)
        entries.sort(key=data.entry_sortkey)
        entries, booking_errors = booking.book(entries, options_map)
        self.entries: data.Directives = entries
        self.errors: list = [*errors, *booking_errors]
        self.options_map: dict[str, Any] = options_map
        # Whether a booked transaction balances depends on it alone: checked once, not on every load.
        self._booked = {id(entry) for entry in entries}
        self._unbalanced = {
            id(error.entry): error for error in validation.validate_check_transaction_balances(entries, options_map)
        }
        self._pads = any(isinstance(entry, data.Pad) for entry in entries)
        self._balances = any(isinstance(entry, data.Balance) for entry in entries)

    def load(self, as_of: datetime.date | None = None) -> tuple[data.Directives, list, dict[str, Any]]:
        """(entries, errors, options_map): the books with their plugins run (as known on `as_of`), validated."""
        from leakledger.knowledge import as_of_plugins

        options_map = dict(self.options_map)
        plugins = options_map["plugin"] if as_of is None else as_of_plugins(options_map["plugin"], as_of)
        options_map["plugin"] = plugins
        skip = set()
        if not options_map["documents"]:
            skip.add("beancount.ops.documents")  # with no documents folder it only sorts the entries
        if _own(plugins):
            # Beancount's pad and balance plugins walk every posting to serve pads and balance assertions:
            # with none in the books (leakledger's plugins make none), they return the entries as they are.
            skip.update(() if self._pads else ("beancount.ops.pad",))
            skip.update(() if self._balances else ("beancount.ops.balance",))
        if options_map["plugin_processing_mode"] == "default":
            options_map["plugin_processing_mode"] = "raw"  # Beancount's own plugins named here, less those skipped
            everything = [*loader.PLUGINS_PRE, *plugins, *loader.PLUGINS_AUTO, *loader.PLUGINS_POST]
            options_map["plugin"] = [p for p in everything if p[0] not in skip]
        entries, errors = loader.run_transformations(list(self.entries), self.errors, options_map, None)
        options_map["plugin_processing_mode"], options_map["plugin"] = (
            self.options_map["plugin_processing_mode"],
            plugins,
        )
        for check in validation.VALIDATIONS:
            if check is validation.validate_check_transaction_balances:
                errors.extend(self._balance_errors(entries, options_map))
            else:
                errors.extend(check(entries, options_map))
        return entries, errors, options_map

    def _balance_errors(self, entries: data.Directives, options_map: dict[str, Any]) -> list:
        """Beancount's check that every transaction balances, in entry order, run only on what the plugins made."""
        errors = []
        for entry in entries:
            if id(entry) in self._booked:
                if id(entry) in self._unbalanced:
                    errors.append(self._unbalanced[id(entry)])
            elif isinstance(entry, data.Transaction):
                errors.extend(validation.validate_check_transaction_balances([entry], options_map))
        return errors

    def load_clean(self, as_of: datetime.date | None = None) -> tuple[data.Directives, dict[str, Any]]:
        """(entries, options_map) as known on `as_of`; BooksHaveErrors if they have errors (as `load_clean`)."""
        entries, errors, options_map = self.load(as_of)
        _refuse_errors(self.path, errors)
        return entries, options_map


def _own(plugins: list[tuple[str, str | None]]) -> bool:
    return all(name.startswith("leakledger.plugins.") for name, _ in plugins)


def load_clean(path: str | os.PathLike, as_of: datetime.date | None = None) -> tuple[data.Directives, dict[str, Any]]:
    """(entries, options_map) of a ledger that loads clean (as known on `as_of`); else BooksHaveErrors.

    Reports, lineage and statements from books with errors would mislead.
    """
    entries, errors, options_map = load_books(path, as_of)
    _refuse_errors(path, errors)
    return entries, options_map


def _refuse_errors(path: str | os.PathLike, errors: list) -> None:
    if errors:
        raise BooksHaveErrors(
            f"{path} has {len(errors)} error(s), the first: {error_line(errors[0])} (see: leakledger check)"
        )


def error_line(error, root: str | os.PathLike | None = None) -> str:
    """`FILE:LINE: message`, the way compilers and bean-check say it."""
    meta = getattr(error, "source", None) or {}
    filename = meta.get("filename", "<unknown>")
    if root and filename and not filename.startswith("<"):
        try:
            filename = os.path.relpath(filename, root)
        except ValueError:
            pass
    lineno = meta.get("lineno", 0)
    message = " ".join(str(error.message).split())
    return f"{filename}:{lineno}: {message}"
