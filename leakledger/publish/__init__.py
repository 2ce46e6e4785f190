"""`leakledger publish`: the model as a static site that opens offline and diffs in git.

    from leakledger.publish import publish
    publish(Path("site"), Path("ledger/main.beancount"))

Modules: `site` lays out the pages from the report tables, `figure_pages`
the pages `leakledger explain` would print, `companies` each company's
statements, `svg_charts` the charts and `flow_svg` the flow diagrams
(inline SVG, drawn here), `markup` the escaping HTML, `books_files` the
books' files and their hash, `output` the atomic write into OUT.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

from leakledger.errors import NotFound, UsageError

__all__ = ["publish", "scenario_files", "Published"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Published:
    out: Path
    files: int
    pages: int
    books_sha256: str


def scenario_files(ledger: Path, names: list[str] | None) -> list[Path]:
    """The scenario books to publish: those named (leakledger.book_paths.scenario_ledger: a name in
    scenarios/ beside the books, or a .beancount path), or, when none is named, every one there."""
    from leakledger.book_paths import scenario_ledger, scenarios_of

    paths = [scenario_ledger(name, ledger) for name in names] if names else scenarios_of(ledger)
    found = []
    for path in (p.resolve() for p in paths):
        if not _NAME.match(path.stem):  # the name becomes a folder and page of the site
            raise UsageError(f"scenario file name {path.name!r}: use letters, digits, '.', '-' and '_'")
        if path not in found:
            found.append(path)
    return found


def publish(
    out: Path, ledger: Path, scenarios: list[str] | None = None, as_of: datetime.date | None = None
) -> Published:
    """Write the site for `ledger` (and its scenarios; all as known on `as_of`) into the folder OUT, atomically.

    Raises NotFound (no books, no scenario), BooksHaveErrors, UsageError (a
    file from outside the books folder), Refused (OUT is something other than
    an earlier site, or cannot be written).
    """
    from leakledger.book_paths import company_ledger
    from leakledger.books import books_root, load_clean
    from leakledger.books_lock import reading
    from leakledger.model import ENTITIES
    from leakledger.parsed_books import ParsedBooks
    from leakledger.publish.books_files import books_of, refuse_outside
    from leakledger.publish.output import MANIFEST, check_replaceable, manifest_of, write_site
    from leakledger.publish.site import Book, build_site

    out = Path(os.path.abspath(out))
    ledger = Path(ledger).resolve()
    if not ledger.is_file():
        raise NotFound(f"no ledger at {ledger}")
    check_replaceable(out)  # before the slow part; checked again just before the rename
    paths = scenario_files(ledger, scenarios)
    company_paths = {e: p for e in ENTITIES if (p := company_ledger(e, ledger)).is_file() and p != ledger}
    tops = [ledger, *paths, *company_paths.values()]
    folder = books_root(ledger)
    with reading(tops):  # the books loaded and the bytes shipped are one state of them
        refuse_outside(tops, folder)
        parsed = ParsedBooks(ledger)  # parsed once: its load and the timeline's dates
        loaded = [parsed.load_clean(as_of), *(load_clean(p, as_of) for p in tops[1:])]
        books = books_of(tops, [options for _, options in loaded], folder)
    root = os.path.commonpath([str(p.parent) for p in tops])
    base = Book.of("base", *loaded[0], "figures", root)
    others = [Book.of(p.stem, *pair, f"scenarios/{p.stem}/figures", root) for p, pair in zip(paths, loaded[1:])]
    companies = {
        e: (*pair, Path(os.path.relpath(p, root)).as_posix())
        for (e, p), pair in zip(company_paths.items(), loaded[1 + len(paths) :])
    }
    title = loaded[0][1].get("title") or ledger.name
    if as_of is not None:
        title = f"{title}, as known on {as_of}"
    from leakledger.timeline import timeline

    arrivals = timeline(parsed, until=as_of, model=base.model)
    files = build_site(base, others, books, title, companies, arrivals)
    files[MANIFEST] = manifest_of(files, {"top": books.top, "sha256": books.sha256, "files": len(books.files)})
    write_site(out, files)
    return Published(out, len(files), sum(p.endswith(".html") for p in files), books.sha256)
