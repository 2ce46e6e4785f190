"""Where the books are: found like git finds its repository.

`--ledger FILE` first, then `LEAKLEDGER_LEDGER`, then from the current
folder up to the root the first `main.beancount` or `ledger/main.beancount`.
So a clone works from its root and every subfolder, and so do the books
`leakledger init` writes. Scenarios and company books are the found books'.
"""

from __future__ import annotations

import os
from pathlib import Path

from leakledger.errors import NotFound, UsageError

MAIN_NAME = "main.beancount"
#: Where a folder may keep its books: itself, or a ledger/ folder in it (a clone).
_PLACES = (Path(MAIN_NAME), Path("ledger") / MAIN_NAME)
SCENARIOS = "scenarios"
ENV = "LEAKLEDGER_LEDGER"


def find_books(start: Path | None = None) -> Path:
    """The top-level file of the books: LEAKLEDGER_LEDGER, else the nearest from `start` (the cwd) up."""
    if named := os.environ.get(ENV):
        path = Path(named).resolve()
        if not path.is_file():
            raise NotFound(f"no ledger at {path} (named by {ENV})")
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for place in _PLACES:
            if (folder / place).is_file():
                return folder / place
    raise NotFound(
        f"no books in {here} or any folder above it (no {MAIN_NAME} or ledger/{MAIN_NAME}): "
        f"run `leakledger init` to write a copy of the books, or give --ledger FILE or {ENV}"
    )


def books_or_found(ledger: Path | None) -> Path:
    """`--ledger FILE` if given (it must exist), else the books found from here."""
    if ledger is None:
        return find_books()
    if ledger.is_dir():
        raise UsageError(f"{ledger} is a folder: give its top-level ledger file (e.g. {ledger / MAIN_NAME})")
    if not ledger.is_file():
        raise NotFound(f"no ledger at {ledger}")
    return ledger


def scenarios_of(books: Path) -> list[Path]:
    """The scenario books beside `books`, in scenarios/, by name."""
    return sorted((books.parent / SCENARIOS).glob("*.beancount"))


def scenario_ledger(name: str, books: Path) -> Path:
    """The top-level file of one of the books' scenarios, by name (or a path to a .beancount file)."""
    candidate = Path(name)
    if candidate.suffix == ".beancount" and candidate.is_file():
        return candidate.resolve()
    path = books.parent / SCENARIOS / f"{name}.beancount"
    if not path.is_file():
        known = ", ".join(p.stem for p in scenarios_of(books)) or "none"
        raise NotFound(f"no scenario {name!r} in {books.parent / SCENARIOS}; known: {known}")
    return path


def company_ledger(entity: str, books: Path) -> Path:
    """A company's own book beside the combined one: openai.beancount, microsoft.beancount."""
    return books.parent / f"{entity.lower()}.beancount"


def company_ledgers(books: Path) -> list[Path]:
    """The company books that exist beside the combined one, OpenAI's first."""
    from leakledger.model import ENTITIES

    return [path for entity in ENTITIES if (path := company_ledger(entity, books)).is_file()]
