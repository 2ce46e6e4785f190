"""`leakledger check`: FILE:LINE: message for every error, exit 1, never the pickle cache."""

from __future__ import annotations

import os
import subprocess

from conftest import MAIN, PLUGINS
from leakledger.cli.app import app
from ledgers import TRAINING_ACCOUNTS, training
from typer.testing import CliRunner

runner = CliRunner()

#: Two training figures whose periods overlap (Apr-Jun): an error at the second.
OVERLAP = (
    PLUGINS
    + TRAINING_ACCOUNTS
    + training("2025-01-01", "2025-06-30", "100.00", "training-2025-h1")
    + training("2025-04-01", "2025-09-30", "100.00", "training-2025-04..2025-09")
)


def check(*args, env=None):
    return subprocess.run(["leakledger", "check", *args], capture_output=True, text=True, env=env)


def test_the_shipped_books_are_clean():
    done = check("--ledger", str(MAIN))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"{MAIN}: ") and done.stdout.rstrip().endswith("entries, no errors")


def test_errors_print_as_file_line_message_and_exit_1(tmp_path):
    ledger = tmp_path / "main.beancount"
    ledger.write_text(OVERLAP)
    header = (
        OVERLAP.splitlines().index(
            '2025-09-30 * "Training (training-2025-04..2025-09)" #leaked ^training-2025-04..2025-09'
        )
        + 1
    )
    done = check(f"--ledger={ledger}")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith(f"{ledger}:") for line in lines)
    overlap = [line for line in lines if "overlaps" in line]
    assert len(overlap) == 1 and overlap[0].startswith(f"{ledger}:{header}: training over 2025-04..2025-09 overlaps")
    assert done.stderr == f"error: {len(lines)} error(s) in {ledger}\n"
    # Run from the app's command group (as `leakledger --help` lists it), it says exactly the same.
    through_app = runner.invoke(app, ["check", "--ledger", str(ledger)])
    assert through_app.exit_code == 1 and through_app.stdout == done.stdout


def test_a_missing_ledger_is_one_line(tmp_path):
    done = check("--ledger", str(tmp_path / "nope.beancount"))
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr == f"error: no ledger at {tmp_path / 'nope.beancount'}\n"


def test_never_the_pickle_cache(tmp_path):
    """A plugin change leaves ledger mtimes alone: the cache is stale, check is not."""
    plugin = tmp_path / "flagger.py"
    # Beancount writes its cache only for loads that take a second or more.
    plugin.write_text(
        "import time\n__plugins__ = ('flag',)\n\n"
        "def flag(entries, options_map):\n    time.sleep(1.1)\n    return entries, []\n"
    )
    ledger = tmp_path / "main.beancount"
    ledger.write_text('plugin "flagger"\n\n2020-01-01 open Assets:OpenAI:Cash USD\n')
    env = {k: v for k, v in os.environ.items() if k != "BEANCOUNT_DISABLE_LOAD_CACHE"}
    env["PYTHONPATH"] = f"{tmp_path}{os.pathsep}{env.get('PYTHONPATH', '')}"
    assert subprocess.run(["bean-check", str(ledger)], env=env).returncode == 0
    assert (tmp_path / ".main.beancount.picklecache").exists()
    plugin.write_text(
        "import collections\n__plugins__ = ('flag',)\nE = collections.namedtuple('E', 'source message entry')\n\n"
        "def flag(entries, options_map):\n    return entries, [E(entries[0].meta, 'flagged by the new plugin', None)]\n"
    )
    stale = subprocess.run(["bean-check", str(ledger)], env=env, capture_output=True, text=True)
    assert stale.returncode == 0  # bean-check served the cache: the test can tell the difference
    fresh = check("--ledger", str(ledger), env=env)
    assert fresh.returncode == 1
    assert fresh.stdout == f"{ledger}:3: flagged by the new plugin\n"


def test_changing_one_2024_quarter_fails_check_at_its_file_and_line(ledger_copy):
    """docs/sources.md: 2024 = 77.3M + 109.5M + 139.2M + 167.8M = 493.8M; Q2 typed as 109.6M breaks it."""
    year = ledger_copy.parent / "2024.beancount"
    text = year.read_text()
    assert text.count("109500000.00 USD") == 4  # the quarter's four legs
    year.write_text(text.replace("109500000.00 USD", "109600000.00 USD"))
    result = subprocess.run(["leakledger", "check", "--ledger", str(ledger_copy)], capture_output=True, text=True)
    assert result.returncode == 1
    [line] = [out for out in result.stdout.splitlines() if out.startswith(str(year))]
    lineno = int(line.split(":")[1])
    assert year.read_text().splitlines()[lineno - 1].endswith("^revenue-share-2024-q4")  # the part that completes it
    assert "add up to 493,900,000.00 USD" in line and "difference +100,000.00 USD" in line
