"""`leakledger import` in linear time, measured side by side in one run.

    python -m bench.bench_import [--small 2000] [--large 20000] [--repeat 3]

Writes two leak sheets of daily training figures (one row per day from
1901-01-01, so no two overlap), imports each into a fresh copy of the shipped
books whose accounts open in 1900, and runs bean-check on the books the large
import leaves. Each `leakledger import` and each bean-check runs in its own
process (as a person runs them); the medians are compared:

- large import / small import: target at most 12x for 10x the rows;
- large import / bean-check of its result: target at most 3x (an import
  loads the books twice, plans every row and writes the files once).

Prints both ratios and PASS or FAIL; exits 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Not 1900: a new year file opens with a fava-option dated the year before (leakledger.recording),
#: and 1899 is outside the horizon the integrity plugin enforces.
FIRST_DAY = datetime.date(1901, 1, 1)
SCALING_TARGET = 12.0
CHECK_TARGET = 3.0


def write_sheet(path: Path, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["metric", "period", "amount", "source"])
        for n in range(rows):
            day = FIRST_DAY + datetime.timedelta(days=n)
            out.writerow(["training", day.isoformat(), f"{n + 1}M", "Import bench"])
    return path


def books_copy(folder: Path) -> Path:
    """The shipped books, their accounts opened in 1900 so the bench's early figures may post."""
    dest = folder / "ledger"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOT / "ledger", dest, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    accounts = dest / "accounts.beancount"
    text = accounts.read_text(encoding="utf-8")
    accounts.write_text(text.replace("2019-01-01 open", "1900-01-01 open"), encoding="utf-8")
    return dest / "main.beancount"


def _timed(argv: list[str]) -> float:
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    env.pop("LEAKLEDGER_FAULT", None)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} failed: {done.stderr.strip()[-500:]}")
    return elapsed


def import_time(folder: Path, sheet: Path) -> tuple[float, Path]:
    ledger = books_copy(folder)
    return _timed(["leakledger", "import", str(sheet), "--ledger", str(ledger)]), ledger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        small = write_sheet(folder / "small.csv", args.small)
        large = write_sheet(folder / "large.csv", args.large)
        smalls, larges, checks = [], [], []
        for _ in range(args.repeat):  # interleaved, so load on the machine touches both sides alike
            smalls.append(import_time(folder, small)[0])
            seconds, ledger = import_time(folder, large)
            larges.append(seconds)
            checks.append(_timed(["bean-check", "--no-cache", str(ledger)]))
    small_s, large_s, check_s = (statistics.median(x) for x in (smalls, larges, checks))
    scaling, against_check = large_s / small_s, large_s / check_s
    ok = scaling <= SCALING_TARGET and against_check <= CHECK_TARGET
    print(
        f"import {args.small} rows: {small_s:.2f} s, {args.large} rows: {large_s:.2f} s; "
        f"bean-check of the {args.large}-row books: {check_s:.2f} s (medians of {args.repeat})"
    )
    print(
        f"ratio {args.large}/{args.small} rows {scaling:.2f}x (target <= {SCALING_TARGET:g}x); "
        f"import / bean-check {against_check:.2f}x (target <= {CHECK_TARGET:g}x): {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
