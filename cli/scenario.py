"""`leakledger scenario`: what-if books in ledger/scenarios, set beside the base books."""

from __future__ import annotations

import typer

from leakledger.cli.app import app
from leakledger.cli.frames import By, Format, Section, by_option, emit, format_option
from leakledger.cli.paths import SCENARIOS_DIR, default_ledger, scenario_ledger
from leakledger.cli.report import period_display

scenario_app = typer.Typer(help="What-if books: list them, compare them with the base books.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("list")
def list_scenarios() -> None:
    """The scenario books in ledger/scenarios."""
    for path in sorted(SCENARIOS_DIR.glob("*.beancount")):
        typer.echo(path.stem)


@scenario_app.command()
def compare(
    names: list[str] = typer.Argument(..., help="Scenario names (or top-level .beancount files)."),
    by: By = by_option(),
    fmt: Format = format_option(),
) -> None:
    """The period report of the base books and of each scenario, row by row per period."""
    from leakledger.reports import compare_tables, load_period_table

    paths = {"base": default_ledger()}
    for name in names:
        paths[name] = scenario_ledger(name)
    tables = {name: load_period_table(path, by=by) for name, path in paths.items()}
    frame = compare_tables(tables)
    headers, rows = period_display(frame)
    emit(frame, fmt, [Section(f"base vs {', '.join(names)}, by {by} (USD)", headers, rows, text_columns=3)])
