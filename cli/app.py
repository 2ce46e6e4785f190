"""The `leakledger` typer application.

Each command lives in its own module and registers itself on `app`; this
module only wires them together. Keep imports here light: `leakledger --help`
must not import pandas or Fava.
"""

from __future__ import annotations

import sys

import typer
from typer.exceptions import TyperException

app = typer.Typer(
    name="leakledger",
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


def main() -> None:
    # `check` must cost at most 1.3x bean-check: it skips typer's runtime (see cli/check.py).
    from leakledger.cli.check import fast_check

    code = fast_check(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from leakledger.errors import LeakledgerError

    try:
        # Not standalone: a usage error becomes one `error:` line, like every other.
        code = app(standalone_mode=False)
    except LeakledgerError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except TyperException as exc:
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help())
            sys.exit(0)
        hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
        typer.echo(f"error: {exc.format_message()}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", 2))
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
