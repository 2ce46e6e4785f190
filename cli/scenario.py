"""`leakledger scenario`: what-if books in the books' scenarios/ folder, set beside the base books."""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli.app import app
from leakledger.cli.output import (
    By,
    Format,
    Section,
    as_of_date,
    as_of_option,
    as_of_title,
    by_option,
    emit,
    format_option,
    ledger_option,
)

from leakledger.book_paths import SCENARIOS, books_or_found, scenario_ledger, scenarios_of

scenario_app = typer.Typer(help="What-if books: list them, compare them with the base books.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("list")
def list_scenarios(ledger: Path = ledger_option()) -> None:
    """The books' scenarios (in scenarios/ beside them), one name a line."""
    books = books_or_found(ledger)
    found = scenarios_of(books)
    for path in found:
        typer.echo(path.stem)
    if not found:
        typer.echo(f"no scenarios: {books.parent / SCENARIOS} holds no .beancount books", err=True)


@scenario_app.command()
def compare(
    names: list[str] = typer.Argument(..., help="Scenario names (or top-level .beancount files)."),
    by: By = by_option(),
    fmt: Format = format_option(),
    ledger: Path = ledger_option(),
    as_of: str = as_of_option(),
) -> None:
    """The period report of the base books and of each scenario, row by row per period, and each book's caps."""
    from leakledger.book_model import BookModel
    from leakledger.books import load_clean
    from leakledger.books_lock import reading
    from leakledger.reports import compare_tables
    from leakledger.scenarios import compare_section_notes, table_cells

    day = as_of_date(as_of)
    books = books_or_found(ledger)
    paths = {"base": books, **{name: scenario_ledger(name, books) for name in names}}
    with reading(paths.values()):  # every book as of one moment
        models = {name: BookModel(*load_clean(path, day)) for name, path in paths.items()}
    frame = compare_tables({name: model.period_table(by) for name, model in models.items()})
    _, headers, rows = table_cells(frame)  # recorded revenue beside the implied, an assumed one marked
    # the caps, each book's labelled: a scenario may differ from the base in nothing else
    notes = compare_section_notes(frame, {name: model.caps for name, model in models.items()}, blanks=True)
    title = as_of_title(f"base vs {', '.join(names)}, by {by} (USD)", day)
    emit(frame, fmt, [Section(title, headers, rows, text_columns=3, notes=notes)])
