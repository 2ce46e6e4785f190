"""`leakledger publish OUT`: the model as a static site (see leakledger.publish)."""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli.app import app
from leakledger.cli.output import as_of_date, as_of_option, ledger_option

from leakledger.book_paths import books_or_found


@app.command()
def publish(
    out: Path = typer.Argument(
        ..., metavar="OUT", help="Folder to write the site into (new, empty, or an earlier site)."
    ),
    ledger: Path = ledger_option(),
    scenario: list[str] = typer.Option(
        [],
        "--scenario",
        "-s",
        help="Scenario book to set beside the books (name or path); repeatable. "
        "Default: every book in scenarios/ beside the ledger.",
    ),
    as_of: str = as_of_option(),
) -> None:
    """Write the model as a static site: index.html, a page per figure, company and scenario pages, downloads.

    It opens from file:// with no network; the same books give a byte-identical site.
    """
    from leakledger.publish import publish as publish_site

    day = as_of_date(as_of)
    done = publish_site(out, books_or_found(ledger), scenario, day)
    typer.echo(
        f"published {done.pages} pages ({done.files} files) into {done.out}; books sha256 {done.books_sha256[:12]}"
    )
