"""Loading the books: always fresh, never from Beancount's pickle cache, under the books' shared lock.

Beancount's cache is keyed on ledger mtimes only and serves stale output after
a plugin changes, so everything in leakledger loads through here. A load
holds the books folder's lock shared (leakledger.books_lock), so it never
reads a file a writer (Fava's editor empties a file, then rewrites it) is
halfway through; under a writer's own exclusive lock it loads at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from beancount import loader

from leakledger.books_lock import reading
from leakledger.errors import BooksHaveErrors

_initialized = False


def load_books(path: str | os.PathLike):
    """(entries, errors, options_map) of a ledger, loaded with its plugins, uncached."""
    global _initialized
    if not _initialized:
        os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
        loader.initialize(use_cache=False)
        _initialized = True
    path = Path(path).resolve()
    with reading([path]):
        return loader.load_file(str(path))


def load_clean(path: str | os.PathLike):
    """(entries, options_map) of a ledger that loads clean; else BooksHaveErrors naming the first.

    Reports, lineage and statements from books with errors would mislead.
    """
    entries, errors, options_map = load_books(path)
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
