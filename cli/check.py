"""`leakledger check`: load the books with the plugins and list every error.

Errors print as `FILE:LINE: message`, like bean-check; the exit status is 1
if there are any. The books are loaded through leakledger.books, never from
Beancount's pickle cache. A write journal left by a killed `add`/`import`
counts as an error: the books may hold half a change until the next write
rolls it back.

Speed: `check` should cost no more than 1.3x `bean-check -C` (bench/bench_check.py).
Typer 0.29 imports pydantic to coerce any command's parameters (~80 ms, as
much as the whole load of the shipped books), so `main()` runs plain
`leakledger check [--ledger FILE]` through `fast_check` before typer starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from leakledger.cli.app import app
from leakledger.cli.paths import default_ledger


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
            reason = (exc.msg if isinstance(exc, SyntaxError)
                      else "it holds a name or an expression" if isinstance(exc, ValueError) else type(exc).__name__)
            lines.append(f"{where}: fava-extension {name!r}: config {config!r} is not a Python literal ({reason})")
            continue
        if name == "leakledger.fava_ext":
            from leakledger.fava_ext import read_config  # imports Fava: only for a configured extension

            try:
                read_config(parsed)
            except ValueError as exc:
                lines.append(f"{where}: fava-extension {name!r}: config {config!r}: {exc}")
    return lines


def run_check(ledger: Path | None) -> int:
    """Print the books' errors; return the exit status (0 clean, 1 errors, 2 no ledger)."""
    from leakledger.books import error_line, load_books
    from leakledger.writer import books_file_of, conflict_files, journal_path

    path = Path(ledger or default_ledger())
    if not path.is_file():
        print(f"error: no ledger at {path}", file=sys.stderr)
        return 2
    entries, errors, _ = load_books(path)
    lines = [error_line(error) for error in errors] + extension_errors(entries, path.resolve())
    folder = books_file_of(path).parent
    journal = journal_path(folder)
    if journal.exists():
        lines.append(f"{journal}:0: an interrupted leakledger write left this journal; "
                     f"the next `leakledger add` or `import` rolls the change back")
    for conflict in conflict_files(folder):
        lines.append(f"{conflict}:0: a rollback kept a later edit of {conflict.name.rpartition('.conflict-')[0]} "
                     f"and put the version from before the interrupted write here: merge what you need, then delete it")
    for line in lines:
        print(line)
    if lines:
        print(f"{len(lines)} error(s) in {path}", file=sys.stderr)
        return 1
    print(f"{path}: {len(entries)} entries, no errors")
    return 0


def fast_check(argv: list[str]) -> int | None:
    """Run `check [--ledger FILE]` without typer's runtime; None for anything else."""
    if not argv or argv[0] != "check":
        return None
    rest = argv[1:]
    if not rest:
        return run_check(None)
    if len(rest) == 1 and rest[0].startswith("--ledger=") and len(rest[0]) > len("--ledger="):
        return run_check(Path(rest[0].partition("=")[2]))
    if len(rest) == 2 and rest[0] == "--ledger":
        return run_check(Path(rest[1]))
    return None  # --help, typos: typer says it properly


@app.command()
def check(
    ledger: Path = typer.Option(None, "--ledger", help="Top-level ledger file (default: the shipped books)."),
) -> None:
    """Load the books with the plugins (never cached); print errors as FILE:LINE: message."""
    code = run_check(ledger)
    if code:
        raise typer.Exit(code)
