"""One error type for every command, each kind with its exit code.

As in beanquery's `errors.py`: code that finds a problem raises the kind that
says what went wrong; the CLI's `main()` catches `LeakledgerError` once,
prints `error: MESSAGE` on one line and exits with the kind's code. The
codes are the README's table; a test holds them.

| code | meaning |
|---:|---|
| 0 | done |
| 1 | the books have errors (`check`, or a report on broken books) |
| 2 | usage: a bad option, argument or value (amount, period, metric, format) |
| 3 | not found: no books, no scenario, no sheet, an unreadable file |
| 4 | refused: a write that would break the books, or that lost a race; nothing changed |
"""

from __future__ import annotations


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
    """A write refused: it would break the books, or another writer got there first."""

    exit_code = 4
