"""`leakledger explain`: the lineage of a derived figure."""

from __future__ import annotations

from pathlib import Path

import typer

from leakledger.cli.app import app
from leakledger.cli.frames import fail, ledger_option, ledger_path, scenario_option


@app.command()
def explain(
    target: str = typer.Argument(..., help="A link (revenue-share-2024 or ^revenue-share-2024) or FILE:LINE."),
    ledger: Path = ledger_option(),
    scenario: str = scenario_option(),
) -> None:
    """Where a figure comes from: the rule, the arithmetic, the inputs and their sources with URLs."""
    import os

    from leakledger.books import error_line, load_books
    from leakledger.lineage import ExplainError, lineage, tree_text

    path = ledger_path(ledger, scenario)
    entries, errors, _ = load_books(path)
    if errors:
        fail(f"{path} has {len(errors)} error(s), the first: {error_line(errors[0])} (see: leakledger check)", code=1)
    try:
        tree = lineage(entries, target, root=os.getcwd())
    except ExplainError as exc:
        fail(str(exc), code=1)
    typer.echo(tree_text(tree))
