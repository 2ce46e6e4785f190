"""Usage mistakes on the command line get one `error:` line, like bad figures do."""

from __future__ import annotations

import subprocess

import pytest


@pytest.mark.parametrize(
    "args, says",
    [
        (["nosuch"], "No such command 'nosuch'"),
        (["add", "revenue-share"], "Missing argument 'AMOUNT'"),
        (["add", "revenue-share", "1M", "--period", "2024", "--source", "x", "--bogus"], "--bogus"),
        (["report", "--by"], "requires an argument"),
    ],
)
def test_usage_errors_are_one_line(args, says):
    done = subprocess.run(["leakledger", *args], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], done.stderr


def test_bare_command_shows_help():
    done = subprocess.run(["leakledger"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "add" in done.stdout and "report" in done.stdout
