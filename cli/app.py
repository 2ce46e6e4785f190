"""The `leakledger` typer application.

Each command lives in its own module and registers itself on `app`; this
module only wires them together. Keep imports here light: `leakledger --help`
must not import pandas or Fava. The console script is `leakledger.__main__:main`.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from leakledger.errors import exit_on_error


class Commands(TyperGroup):
    """The app's command group: errors reported in one place, and `check` as a plain click command.

    `check` is not a typer command: typer's runtime (pydantic, to coerce the
    parameters) would double its time (bench/bench_check.py), so it is a click
    command like bean-check, listed and run here like the others.
    """

    def list_commands(self, ctx) -> list[str]:
        return ["check", *super().list_commands(ctx)]

    def get_command(self, ctx, name: str):
        if name == "check":
            from leakledger.cli.check import check

            return check
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        with exit_on_error():
            return super().invoke(ctx)


app = typer.Typer(
    name="leakledger",
    cls=Commands,
    help="Double-entry books of the money between OpenAI and Microsoft, from leaked figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Plain-text books of the money between OpenAI and Microsoft.

    Browse them with `leakledger serve`, query them with bean-query, and add
    newly leaked figures with `leakledger add`.
    """


# Command modules register on `app` when imported.
from leakledger.cli import commands  # noqa: E402,F401

# Console scripts installed before the entry point moved to leakledger.__main__ import main from here.
from leakledger.__main__ import main  # noqa: E402,F401
