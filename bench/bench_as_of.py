"""What an as-of load costs over a plain load, measured side by side in one run.

    python -m bench.bench_as_of [-n 100000] [--repeat 5]

Loads the synthetic books (`bench.synthetic`, the shipped plugin chain) as
`leakledger report` does (leakledger.books.load_books), and as
`leakledger report --as-of DATE` does: the book parsed and booked as it is,
then its plugins run with the chain given the as-of
(leakledger.parsed_books.ParsedBooks, leakledger.knowledge.as_of_plugins).
DATE is after the last entry, so both sides derive the same entries and the
difference is the as-of's own cost: the filter over every entry, nothing
left out (less what ParsedBooks leaves out because it would change nothing). Target: at most
1.05x. Runs alternate (ABBA), each load in a fresh process, CPU time;
prints the ratio of the medians and PASS or FAIL, exits 1 on a FAIL.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))

from leakledger.plugins import chain  # noqa: E402,F401 (imported before timing)

from bench.common import arguments, loads_side_by_side  # noqa: E402
from bench.synthetic import write_ledger  # noqa: E402
from leakledger.books import load_books  # noqa: E402

TARGET = 1.05
#: After every synthetic entry: the as-of keeps them all.
AS_OF = datetime.date(2199, 12, 31)


def _load_here(path: str, as_of: str) -> None:
    """In a fresh process: load once, print CPU s, wall s and entries."""
    day = datetime.date.fromisoformat(as_of) if as_of != "-" else None
    cpu, wall = time.process_time(), time.perf_counter()
    entries, errors, _ = load_books(path, day)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if errors:
        raise SystemExit(f"{path}: {len(errors)} error(s), first: {errors[0].message}")
    print(json.dumps([cpu, wall, len(entries)]))


def _load(side: tuple[Path, str]):
    path, as_of = side
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_as_of", "--load-once", str(path), as_of],
        capture_output=True,
        text=True,
        cwd=_ROOT,
    )
    if done.returncode:
        raise SystemExit(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"load of {path} failed")
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--load-once"]:
        _load_here(argv[1], argv[2])
        return 0
    args = arguments(__doc__, repeat=5).parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        files = write_ledger(folder, args.transactions)
        print(f"{args.transactions} transactions; as of {AS_OF} (nothing left out)")
        sides = ((files.main, "-"), (files.main, AS_OF.isoformat()))
        runs, ratio = loads_side_by_side(sides, args.repeat, _load, ("plain load", "as-of load"), TARGET)
        if runs[0][0][2] != runs[1][0][2]:
            raise SystemExit(f"the two loads differ: {runs[0][0][2]} and {runs[1][0][2]} entries")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
