"""`leakledger check` against `bean-check -C` on the same books, side by side.

Runs the two commands alternately (so load on the machine hits both alike),
takes the median wall time of each and prints the ratio; the budget is 1.3x.
Both load the same plugins without the pickle cache, so the difference is
what leakledger adds: its start-up and its error listing.

A third row, not budgeted, runs the same `run_check` as a typer command: why
`check` is a plain click command (typer's runtime imports pydantic to coerce
the parameters).

    python bench/bench_check.py [--ledger FILE] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.3
#: `check` as a typer command would be: the same run_check behind typer's option parsing.
TYPER_CHECK = """
from pathlib import Path
import typer
from leakledger.cli.check import run_check
app = typer.Typer()
@app.command()
def check(ledger: Path = typer.Option(None, "--ledger")):
    run_check(ledger)
app()
"""


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path, default=ROOT / "ledger" / "main.beancount")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    ledger = str(args.ledger.resolve())
    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    commands = {
        "bean-check -C": ["bean-check", "-C", ledger],
        "leakledger check": ["leakledger", "check", "--ledger", ledger],
        "check via typer": [sys.executable, "-c", TYPER_CHECK, "--ledger", ledger],
    }
    for command in commands.values():  # warm the OS caches and __pycache__
        wall(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(args.rounds):
        order = list(commands.items()) if n % 2 == 0 else list(reversed(commands.items()))
        for name, command in order:
            times[name].append(wall(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:<18} median {value * 1000:7.1f} ms over {args.rounds} runs")
    ratio = medians["leakledger check"] / medians["bean-check -C"]
    verdict = "OK" if ratio <= BUDGET else "OVER BUDGET"
    print(f"ratio leakledger check / bean-check -C = {ratio:.2f} (budget {BUDGET}): {verdict}  [{ledger}]")
    print(
        f"ratio check via typer / bean-check -C = {medians['check via typer'] / medians['bean-check -C']:.2f} "
        f"(why check is a plain click command)"
    )
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
