"""The README's examples run as shown, and the output it shows is what they print.

The front door must not lie: each command in a `sh` block that reads the
books (bean-query, leakledger report/reconcile/explain/add --dry-run) is run
from the repository root exactly as written, and the report table the README
prints is compared line by line with the command's own output.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
from conftest import LEDGER_DIR, ROOT, snapshot

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: Commands a reader can run as they stand (no [OPTIONS] placeholders, no server).
RUNNABLE = re.compile(r"^(bean-query |leakledger (add|report|reconcile|explain|statement|scenario compare) )")


def commands() -> list[str]:
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            placeholder = command.startswith("leakledger") and any(
                re.fullmatch(r"[A-Z][A-Z|:.]+", token) for token in shlex.split(command)
            )
            if RUNNABLE.match(command) and "[" not in command and not placeholder:
                lines.append(command)
    return lines


def run(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(shlex.split(command), cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_readme_has_runnable_examples():
    found = commands()
    assert any(c.startswith("bean-query") for c in found) and any(c.startswith("leakledger add") for c in found)


@pytest.mark.parametrize("command", commands())
def test_each_example_runs_as_shown_and_changes_nothing(command):
    if command.startswith("leakledger add"):
        assert "--dry-run" in command  # copying the example never writes a made-up figure
    before = snapshot(LEDGER_DIR)
    result = run(command)
    assert result.returncode == 0, (command, result.stderr)
    assert result.stdout.strip(), command
    assert snapshot(LEDGER_DIR) == before


def test_the_report_table_is_what_the_command_prints():
    intro = "`leakledger report --by half --format markdown` on the shipped books:"
    shown = README.split(intro, 1)[1].lstrip("\n").split("\n\n", 1)[0].splitlines()
    assert shown and all(line.startswith("|") for line in shown)
    printed = [
        line
        for line in run("leakledger report --by half --format markdown").stdout.splitlines()
        if line.startswith("|")
    ]
    assert printed == shown


def test_the_figures_the_readme_quotes_are_what_the_commands_print():
    # (0.20 x 3.7B - 493.8M) / 0.20 = 1,231,000,000, solved from the audited revenue (docs/sources.md)
    reconciled = run("leakledger reconcile --format markdown").stdout
    assert "1,231,000,000" in reconciled and "1,181,000,000..1,281,000,000" in reconciled
    assert "sources disagree" in reconciled
    # The scenario's Azure base, 0.5B..1.5B, accrues 0.20 x that = 100M..300M; the payments fix Microsoft's whole
    # 2024 share at 0.20 x 3.65B..3.75B − 493.8M = 236.2M..256.2M, and Azure's part only lifts its bottom (to
    # max(100M, 236.2M)): the same range in both books. The total adds 2025's 281,250,000: 517.45M..537.45M.
    compared = run("leakledger scenario compare azure-openai-growth --format markdown").stdout
    rows = [line for line in compared.splitlines() if line.startswith("| 2024 |")]
    rows += [compared.splitlines()[compared.splitlines().index(rows[0]) + 1]]
    assert [row.split(" | ")[5] for row in rows] == ["236.2M–256.2M", "236.2M–256.2M"]
    assert "| 517.45M–537.45M (partial) † |" in compared and "236.2M–300M" not in compared
    # `explain revenue-share-2024`, the README's own example: 740,000,000 - 493,800,000 = 246,200,000
    explained = run("leakledger explain revenue-share-2024")
    assert explained.returncode == 0 and "= 246,200,000.00 USD: solved" in explained.stdout
