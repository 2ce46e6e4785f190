"""One error type for every command, each kind with its exit code.

As in beanquery's `errors.py`: code that finds a problem raises the kind that
says what went wrong; the CLI's `main()` catches `LeakledgerError` once,
prints `error: MESSAGE` on one line and exits with the kind's code. The
codes are the README's table; a test holds them.

| code | meaning |
|---:|---|
| 0 | done |
| 1 | the books have errors (`check`, or a report, `explain` or `scenario compare` on broken books) |
| 2 | usage: a bad option, argument or value (amount, period, metric, `--by`, `--format`, a sheet that is not one; books `publish` would ship with a file from outside their folder) |
| 3 | not found: no books, no scenario, no sheet, no entry to explain, a file that cannot be read |
| 4 | refused: a write that would break the books (an overlap, a duplicate, a new error), that lost a race, or a port another server holds; nothing changed |
"""

from __future__ import annotations

import sys
from contextlib import contextmanager


class LeakledgerError(Exception):
    """The base of every error a command reports; `exit_code` is what it exits with."""

    exit_code = 1

    def __str__(self) -> str:
        # One line, whatever the message held.
        return " ".join(str(self.args[0] if self.args else "").split())


class BooksHaveErrors(LeakledgerError):
    """The books load with errors, so what they imply would be wrong."""

    exit_code = 1


class UsageError(LeakledgerError):
    """A bad option, argument or input value."""

    exit_code = 2


class NotFound(LeakledgerError):
    """No books, scenario, sheet or file where one was looked for."""

    exit_code = 3


class Refused(LeakledgerError):
    """Refused: a write that would break the books, or a writer (a server) got there first."""

    exit_code = 4


@contextmanager
def exit_on_error():
    """Run a command: any LeakledgerError becomes one `error:` line on stderr and its exit code.

    An OSError that reaches this far is a file that could not be read: not found.
    The one place errors are reported, for the typer commands and for `check`.
    """
    try:
        yield
    except LeakledgerError as exc:
        code, line = exc.exit_code, str(exc)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # the reader went away (`| head`): nothing to say
            raise
        code, line = NotFound.exit_code, f"{exc.filename or 'a file'}: {exc.strerror or exc}"
    else:
        return
    sys.stdout.flush()
    print(f"error: {' '.join(line.split())}", file=sys.stderr)
    raise SystemExit(code)
