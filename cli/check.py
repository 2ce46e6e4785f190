"""`leakledger check`: load the books with the plugins and list every error.

Errors print as `FILE:LINE: message`, like bean-check; the exit status is 1
if there are any. Warnings print on stderr as `warning: FILE:LINE: message`
and leave the exit status 0: a leaked or disclosed figure whose `known-since:` precedes
the end of its own period (leakledger.knowledge.early_knowledge), an include from
outside the books folder. The books are loaded through leakledger.books, never from
Beancount's pickle cache. A write journal left by a killed `add`/`import`
counts as an error: the books may hold half a change until the next write
rolls it back.

Speed: `check` should cost no more than 1.3x `bean-check -C` (bench/bench_check.py).
Typer imports pydantic to coerce any command's parameters (~100 ms, as much
as the whole load of the shipped books: through typer, check took 1.97x
bean-check), so `check` is a plain click command, as bean-check is, and
`leakledger.__main__` runs it without importing typer (0.96x).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from leakledger.book_paths import books_or_found
from leakledger.errors import BooksHaveErrors, exit_on_error

#: What ast.literal_eval raises on text that is not a Python literal (Fava catches only SyntaxError).
_LITERAL_ERRORS = (SyntaxError, ValueError, TypeError, MemoryError, RecursionError)


def extension_errors(entries, ledger: Path) -> list[str]:
    """`FILE:LINE: message` for each `custom "fava-extension"` that Fava could not load.

    Fava imports the module (also from the ledger's folder) and reads the
    optional config with ast.literal_eval; a config that is not a literal, or
    that the Leak model page refuses, would show up only when Fava starts.
    """
    import ast
    import importlib.util

    from beancount.core import data

    lines = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type != "fava-extension" or not entry.values:
            continue
        where = f"{entry.meta.get('filename', ledger)}:{entry.meta.get('lineno', 0)}"
        name = str(entry.values[0].value)
        sys.path.insert(0, str(ledger.parent))
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        finally:
            sys.path.pop(0)
        if not found:
            lines.append(f"{where}: fava-extension {name!r}: no such module")
            continue
        if len(entry.values) < 2:
            continue
        config = entry.values[1].value
        try:
            parsed = ast.literal_eval(config) if isinstance(config, str) else config
        except _LITERAL_ERRORS as exc:
            reason = (
                exc.msg
                if isinstance(exc, SyntaxError)
                else "it holds a name or an expression"
                if isinstance(exc, ValueError)
                else type(exc).__name__
            )
            lines.append(f"{where}: fava-extension {name!r}: config {config!r} is not a Python literal ({reason})")
            continue
        if name == "leakledger.fava_ext":
            from leakledger.fava_ext import read_config  # imports Fava: only for a configured extension

            try:
                read_config(parsed)
            except ValueError as exc:
                lines.append(f"{where}: fava-extension {name!r}: config {config!r}: {exc}")
    return lines


def conflict_line(conflict: Path) -> str:
    """What a conflict file says of itself on its first line (leakledger.writer.CONFLICT_NOTE), or the general case."""
    from leakledger.writer import CONFLICT_NOTE

    with open(conflict, "rb") as handle:
        first = handle.readline(2000).decode("utf-8", errors="replace").rstrip("\n")
    if first.startswith(CONFLICT_NOTE):
        return first[len(CONFLICT_NOTE) :]
    return (
        f"a rollback kept a later edit of {conflict.name.rpartition('.conflict-')[0]} "
        f"and put the version from before the interrupted write here: merge what you need, then delete it"
    )


def run_check(ledger: Path | None) -> None:
    """Print the books' errors, one per line; BooksHaveErrors if there are any."""
    from leakledger.books import books_root, error_line, load_books, outside_includes
    from leakledger.books_lock import reading
    from leakledger.model import GENERATED_TAG
    from leakledger.writer import books_file_of, conflict_files, journal_path

    path = books_or_found(ledger)
    with reading([path]):  # the books, the journal and the conflict files as of one moment
        entries, errors, options_map = load_books(path)  # refuses an include that is no regular file, before loading
        root = books_root(path)
        for found in outside_includes(path, root):
            print(
                f"warning: {found.where}: include {found.path} lies outside the books folder {root}; "
                "`publish` refuses books that include it",
                file=sys.stderr,
            )
        lines = [error_line(error) for error in errors] + extension_errors(entries, path.resolve())
        folder = books_file_of(path).parent
        journal = journal_path(folder)
        if journal.exists():
            lines.append(
                f"{journal}:0: an interrupted leakledger write left this journal; "
                f"the next `leakledger add` or `import` rolls the change back"
            )
        for conflict in conflict_files(folder):
            lines.append(f"{conflict}:0: {conflict_line(conflict)}")
    from leakledger.knowledge import early_knowledge

    warnings = [
        f"{entry.meta.get('filename', path)}:{entry.meta.get('lineno', 0)}: {message}"
        for entry, message in early_knowledge(entries)
    ]
    for line in lines:
        print(line)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if lines:
        raise BooksHaveErrors(f"{len(lines)} error(s) in {path}")
    generated = sum(1 for entry in entries if GENERATED_TAG in (getattr(entry, "tags", None) or ()))
    files = len(options_map.get("include") or ())
    said = f", {len(warnings)} warning(s)" if warnings else ""
    print(
        f"{path}: {len(entries) - generated} entries loaded from {files} file(s), "
        f"{generated} generated by the plugins, no errors{said}"
    )


@click.command(help="Load the books with the plugins (never cached); print errors as FILE:LINE: message.")
@click.option(
    "--ledger",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Top-level ledger file (default: the books found from here).",
)
def check(ledger: Path | None) -> None:
    with exit_on_error():
        run_check(ledger)
