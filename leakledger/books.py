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
import fnmatch
import glob
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import booking, options, parser
from beancount.utils import encryption

from leakledger.books_lock import INCLUDE_LINE, books_folder_of, reading
from leakledger.errors import BooksHaveErrors

_initialized = False


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
        for match in INCLUDE_LINE.finditer(text):
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
    book parsed as it is, its chain plugin given the as-of (leakledger.parsed_books).
    """
    if as_of is not None:
        from leakledger.parsed_books import ParsedBooks

        return ParsedBooks(path).load(as_of)
    walk_includes(path)
    initialize()
    path = Path(path).resolve()
    with reading([path]):
        return loader.load_file(str(path))


def load_edited(
    path: str | os.PathLike, texts: Mapping[Path, str]
) -> tuple[data.Directives, list[data.BeancountError], dict[str, Any]]:
    """(entries, errors, options_map) of a ledger as `load_books` would give them were `texts` written, nothing written.

    `texts` maps a file (existing or new) to the full text it would hold. Every
    other file, outside the books folder too, is read as it is. Parsed as
    Beancount's loader parses (`loader._parse_recursive`: each include in
    turn, its glob matched, a file parsed twice an error), with each error
    and entry under the file's own name, then booked, run through the
    plugins and validated as `loader._load` does: the errors are those the
    books would load with, word for word.
    """
    walk_includes(path)
    initialize()
    path = Path(path).resolve()
    edited = {os.path.realpath(name): text for name, text in texts.items()}
    with reading([path]):
        entries, errors, options_map = _parse_edited(str(path), edited)
    entries.sort(key=data.entry_sortkey)
    entries, booking_errors = booking.book(entries, options_map)
    errors.extend(booking_errors)
    saved_path = list(sys.path)
    try:
        sys.path[0:0] = options_map.get("pythonpath") or []  # as Beancount's loader: the books' own plugins
        entries, errors = loader.run_transformations(entries, errors, options_map, None)
    finally:
        sys.path[:] = saved_path
    errors.extend(validation.validate(entries, options_map))
    return entries, errors, options_map


def _parse_edited(top: str, edited: dict[str, str]) -> tuple[list, list, dict[str, Any]]:
    """`loader._parse_recursive([(top, True)], ...)`, reading `edited` (by real path) in place of those files."""
    entries: list = []
    errors: list = []
    options_map: dict[str, Any] | None = None
    others: list = []
    todo, seen = [os.path.normpath(top)], set()
    new = [name for name in edited if not os.path.exists(name)]
    while todo:
        filename = todo.pop(0)
        text = edited.get(os.path.realpath(filename))
        if filename in seen:
            errors.append(loader.LoadError(data.new_metadata("<load>", 0), f'Duplicate filename parsed: "{filename}"'))
            continue
        if text is None and not os.path.exists(filename):
            errors.append(loader.LoadError(data.new_metadata("<load>", 0), f'File "{filename}" does not exist'))
            continue
        seen.add(filename)
        if text is None and encryption.is_encrypted_file(filename):
            text = encryption.read_encrypted_file(filename)
        parsed = parser.parse_file(filename) if text is None else parser.parse_string(text, filename)
        entries.extend(parsed[0])
        errors.extend(parsed[1])
        if options_map is None:
            options_map = parsed[2]
        else:
            others.append(parsed[2])
        cwd = os.path.dirname(filename)
        for pattern in parsed[2]["include"]:
            search = pattern if os.path.isabs(pattern) else os.path.join(cwd, pattern)
            matched = glob.glob(search, recursive=True) + [name for name in new if _glob_matches(search, name)]
            if not matched:
                errors.append(
                    loader.LoadError(data.new_metadata("<load>", 0), f'File glob "{pattern}" does not match any files')
                )
            todo.extend(os.path.normpath(os.path.join(cwd, name)) for name in matched)
    if options_map is None:  # the top-level file is missing
        options_map = options.OPTIONS_DEFAULTS.copy()
    options_map["include"] = sorted(seen)
    return entries, errors, loader.aggregate_options_map(options_map, others)


def _glob_matches(pattern: str, name: str) -> bool:
    """Whether `glob.glob(pattern)` would list the file `name`, were it written (a file `load_edited` adds)."""
    if not glob.has_magic(pattern):
        return os.path.normpath(pattern) == os.path.normpath(name)
    parts, names = Path(pattern).parts, Path(name).parts
    if "**" in parts:
        return fnmatch.fnmatchcase(name, pattern)
    return len(parts) == len(names) and all(
        fnmatch.fnmatchcase(part, want) and (want.startswith(".") or not part.startswith("."))
        for part, want in zip(names, parts, strict=True)
    )


def initialize() -> None:
    """Beancount's loader set up once, its pickle cache off."""
    global _initialized
    if not _initialized:
        os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
        loader.initialize(use_cache=False)
        _initialized = True


def load_clean(path: str | os.PathLike, as_of: datetime.date | None = None) -> tuple[data.Directives, dict[str, Any]]:
    """(entries, options_map) of a ledger that loads clean (as known on `as_of`); else BooksHaveErrors.

    Reports, lineage and statements from books with errors would mislead.
    """
    entries, errors, options_map = load_books(path, as_of)
    refuse_errors(path, errors)
    return entries, options_map


def refuse_errors(path: str | os.PathLike, errors: list) -> None:
    """BooksHaveErrors naming the first of `errors`, if there are any."""
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
