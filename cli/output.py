"""Writing report frames out: a rich table, markdown, CSV or JSON.

The cells' text, CSV and JSON are leakledger.presentation's (shared with the
Fava page and the published site); this adds the commands' options and the
terminal's rich tables. Shared by `report`, `reconcile`, `statement` and
`scenario compare`.
"""

from __future__ import annotations

from enum import StrEnum

import typer

from leakledger.book_paths import books_or_found, scenario_ledger
from leakledger.presentation import to_csv, to_json, to_markdown


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class By(StrEnum):
    """The period of a report's rows: `leakledger.reports.BY` (a test holds them equal)."""

    year = "year"
    half = "half"
    quarter = "quarter"


def format_option():
    return typer.Option(Format.table.value, "--format", help="table, csv, json or markdown.")


def by_option():
    return typer.Option(By.year.value, "--by", help="Period of the rows: year, half or quarter.")


def ledger_option():
    return typer.Option(None, "--ledger", help="Top-level ledger file (default: the books found from here).")


def scenario_option():
    return typer.Option(
        None, "--scenario", help="One of the books' scenarios, by name (see: leakledger scenario list)."
    )


def as_of_option():
    return typer.Option(
        None,
        "--as-of",
        metavar="DATE",
        help="The books as known on DATE (YYYY-MM-DD): only figures, rules and caps public by then.",
    )


def as_of_date(text, option: str = "--as-of"):
    """The --as-of (or `option`) date, or None; a UsageError (exit 2) for text that is not a date."""
    from leakledger.knowledge import parse_as_of

    return None if text is None else parse_as_of(text, option)


def as_of_title(title: str, as_of) -> str:
    """A report's title, saying the day it is as known on."""
    return f"{title}, as known on {as_of}" if as_of else title


def ledger_path(ledger, scenario):
    """The top-level file to report on: the books (--ledger FILE or found from here), or --scenario NAME of them."""
    books = books_or_found(ledger)
    return scenario_ledger(scenario, books) if scenario else books


def print_table(title, headers, rows, *, section_before=None, notes=(), text_columns=1):
    """A rich table on stdout, numbers right-aligned; `section_before` draws a rule above that row.

    Rich wraps the title and notes to the table's width and folds a word longer
    than that mid-word ("…-cost-o / f-revenue"): the table is at least as wide as
    their longest word, so they wrap between words only.
    """
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    longest = max((cell_len(word) for text in (title, *notes) for word in str(text).split()), default=0)
    table = Table(
        title=title,
        title_justify="left",
        caption="\n".join(notes) or None,
        caption_justify="left",
        min_width=longest or None,
    )
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i < text_columns else "right", no_wrap=True)
    for i, row in enumerate(rows):
        table.add_row(*row, end_section=section_before is not None and i == section_before - 1)
    console = Console(soft_wrap=False)
    # Never crop a figure: a table wider than the terminal is printed whole.
    from rich.measure import Measurement

    needed = Measurement.get(console, console.options.update(max_width=10_000), table).maximum
    if needed > console.width:
        console = Console(soft_wrap=False, width=needed)
    console.print(table)


class Section:
    """One table for people: a title, headers, text rows and footnotes."""

    def __init__(self, title, headers, rows, *, notes=(), section_before=None, text_columns=1):
        self.title, self.headers, self.rows = title, headers, rows
        self.notes, self.section_before, self.text_columns = list(notes), section_before, text_columns


def emit(frame, fmt: Format, sections: list[Section]):
    """Write a frame in the chosen format: raw for csv/json, as sections for table/markdown."""
    if fmt == Format.csv:
        typer.echo(to_csv(frame), nl=False)
    elif fmt == Format.json:
        typer.echo(to_json(frame))
    elif fmt == Format.markdown:
        parts = []
        for s in sections:
            text = f"**{s.title}**\n\n" + to_markdown(s.headers, s.rows, s.text_columns)
            if s.notes:
                text += "\n\n" + "\n".join(f"{note}  " for note in s.notes)
            parts.append(text)
        typer.echo("\n\n".join(parts))
    else:
        for s in sections:
            print_table(
                s.title, s.headers, s.rows, section_before=s.section_before, notes=s.notes, text_columns=s.text_columns
            )
