"""`leakledger` and `python -m leakledger`: run one command, report one error line.

Every error a command raises is a `leakledger.errors.LeakledgerError`, reported
as one `error:` line with its kind's exit code (`errors.exit_on_error`, around
every command); a usage mistake the parser finds (an unknown option, a missing
argument, a value outside a choice) is one such line here, exit 2.
"""

from __future__ import annotations

import sys

from leakledger.errors import UsageError


def _command(args: list[str]):
    """(click command, its name, its arguments, the usage errors of its click) for a command line."""
    if args[:1] == ["check"]:
        # Straight to the click command: not even typer's import (bench/bench_check.py).
        import click

        from leakledger.cli.check import check

        return check, "leakledger check", args[1:], click.ClickException
    import typer
    import typer.main

    from leakledger.cli.app import app

    # typer runs on its own copy of click, whose errors derive from TyperException.
    return typer.main.get_command(app), "leakledger", args, typer.TyperException


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    command, name, rest, usage_errors = _command(args)
    try:
        code = command.main(rest, prog_name=name, standalone_mode=False)
    except usage_errors as exc:
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `leakledger`, `leakledger scenario`
            if exc.format_message():  # typer's rich help has printed itself already
                print(exc.format_message())
            sys.exit(0)
        hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
        print(f"error: {' '.join(exc.format_message().split())}{hint}", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", UsageError.exit_code))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
