"""Loading the books: always fresh, never from Beancount's pickle cache.

Beancount's cache is keyed on ledger mtimes only and serves stale output after
a plugin changes, so everything in leakledger loads through here.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from beancount import loader

from leakledger.errors import BooksHaveErrors

_initialized = False


def load_books(path: str | os.PathLike, as_of: datetime.date | None = None):
    """(entries, errors, options_map) of a ledger, loaded with its plugins, uncached.

    With `as_of`, the books as known on that day (leakledger.knowledge): a
    top-level text that repeats the book's options and plugins, the chain
    given the as-of, and includes the book.
    """
    global _initialized
    if not _initialized:
        os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
        loader.initialize(use_cache=False)
        _initialized = True
    if as_of is not None:
        from leakledger.knowledge import as_of_text

        entries, errors, options_map = loader.load_string(as_of_text(path, as_of))
        options_map["filename"] = str(Path(path).resolve())
        return entries, errors, options_map
    return loader.load_file(str(Path(path).resolve()))


def load_clean(path: str | os.PathLike, as_of: datetime.date | None = None):
    """(entries, options_map) of a ledger that loads clean (as known on `as_of`); else BooksHaveErrors.

    Reports, lineage and statements from books with errors would mislead.
    """
    entries, errors, options_map = load_books(path, as_of)
    if errors:
        raise BooksHaveErrors(
            f"{path} has {len(errors)} error(s), the first: {error_line(errors[0])} (see: leakledger check)"
        )
    return entries, options_map


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
