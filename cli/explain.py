"""`leakledger explain`: the lineage of a derived figure."""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli.app import app
from leakledger.cli.output import as_of_date, as_of_option, ledger_option, ledger_path, scenario_option


@app.command()
def explain(
    target: str = typer.Argument(..., help="A link (revenue-share-2024 or ^revenue-share-2024) or FILE:LINE."),
    ledger: Path = ledger_option(),
    scenario: str = scenario_option(),
    as_of: str = as_of_option(),
) -> None:
    """Where a figure comes from: the rule, the arithmetic, the inputs and their sources with URLs."""
    import os

    from leakledger.books import load_clean
    from leakledger.lineage import lineage, tree_text

    day = as_of_date(as_of)
    entries, _ = load_clean(ledger_path(ledger, scenario), day)
    typer.echo(tree_text(lineage(entries, target, root=os.getcwd())))
