"""`leakledger check`: load the books with the plugins and list every error."""

from __future__ import annotations

from pathlib import Path

import typer

from leakledger.cli.app import app
from leakledger.cli.paths import default_ledger


@app.command()
def check(
    ledger: Path = typer.Option(None, "--ledger", help="Top-level ledger file (default: the shipped books)."),
) -> None:
    """Load the books with the plugins (never cached); print errors as FILE:LINE: message."""
    from leakledger.books import error_line, load_books

    path = ledger or default_ledger()
    if not path.exists():
        typer.echo(f"error: no ledger at {path}", err=True)
        raise typer.Exit(2)
    entries, errors, _ = load_books(path)
    for error in errors:
        typer.echo(error_line(error))
    if errors:
        typer.echo(f"{len(errors)} error(s) in {path}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: {len(entries)} entries, no errors")
