"""`leakledger init [DIR]`: a copy of the shipped books to work on, never over anything.

The books travel in the package (`leakledger/ledger`, package data: in a
clone it is a link to the repository's `ledger/`). DIR is created, so an
existing DIR, even an empty one, is refused and left as it is; a copy that
fails half-way is removed again.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import typer
from leakledger.cli.app import app

from leakledger.errors import Refused

#: What a books folder holds; anything else in the package's copy (caches, a
#: write journal, a lock) stays behind.
BOOK_SUFFIXES = (".beancount", ".csv", ".json", ".py", ".md")


def shipped_books() -> Path:
    """The books as the package carries them."""
    return Path(str(resources.files("leakledger") / "ledger"))


def _is_book_file(path: Path) -> bool:
    return path.is_file() and path.suffix in BOOK_SUFFIXES and not path.name.startswith(".")


def book_files(source: Path) -> list[Path]:
    """Every top-level file of the books and of their subfolders (scenarios/, imports/), relative."""
    files = [p for p in source.iterdir() if _is_book_file(p)]
    for folder in source.iterdir():
        if folder.is_dir() and not folder.name.startswith((".", "__")):
            files += [p for p in folder.iterdir() if _is_book_file(p)]
    return sorted(p.relative_to(source) for p in files)


def write_books(folder: Path, source: Path | None = None) -> list[Path]:
    """Copy the books into a new `folder`; Refused if it exists. Returns the files written."""
    source = source or shipped_books()
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise Refused(
            f"{folder} already exists: nothing was written (init never writes into an existing folder; name a new one)"
        ) from None
    try:
        for name in book_files(source):
            (folder / name).parent.mkdir(exist_ok=True)
            shutil.copyfile(source / name, folder / name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return book_files(folder)


@app.command()
def init(
    folder: Path = typer.Argument(Path("leakledger-books"), metavar="DIR", help="A new folder for the books."),
) -> None:
    """Write a copy of the books into a new folder: main.beancount, each company's, scenarios, the import sheet."""
    written = write_books(folder)
    typer.echo(f"wrote {len(written)} files into {folder} (its README.md says what each holds)")
    typer.echo(f"next: cd {folder} && leakledger check && leakledger report")
