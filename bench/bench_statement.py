"""What the statement's ranges cost: `income_statement` with and without reading each posting's range.

    python -m bench.bench_statement [-n 20000] [--repeat 5] [--shape refined]

On a synthetic ledger of N transactions (bench/synthetic.py), loaded once
with the plugins: OpenAI's income statement by quarter, (a) as shipped,
each posting read for the ranged inputs it moves with
(`leakledger.statement_ranges.posting_spread`), and (b) with that reading
switched off (every posting exact), run alternating ABBA in this process;
prints each side's median CPU time and their ratio (target: at most 1.30x:
the ranges cost at most 30% of the statement). Exits 1 on a FAIL.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from beancount import loader  # noqa: E402

from bench.common import abba, arguments, verdict  # noqa: E402
from bench.synthetic import SHAPES, write_ledger  # noqa: E402
from leakledger import statements  # noqa: E402

TARGET = 1.30


def _timed(entries, options) -> float:
    gc.collect()
    start = time.process_time()
    statements.income_statement(entries, options, "OpenAI", "quarter")
    return time.process_time() - start


def main() -> int:
    parser = arguments(__doc__, repeat=5, transactions=20_000)
    parser.add_argument("--shape", choices=SHAPES, default="refined")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = write_ledger(folder, args.transactions, shape=args.shape)
        entries, errors, options = loader.load_file(str(files.main))
    assert not errors, errors[:3]
    shipped = statements.posting_spread
    runs: tuple[list[float], list[float]] = ([], [])
    for order in abba(args.repeat):
        for side in order:
            statements.posting_spread = (lambda entry, amount, books, memo=None: None) if side == 0 else shipped
            runs[side].append(_timed(entries, options))
    statements.posting_spread = shipped
    without, with_ranges = statistics.median(runs[0]), statistics.median(runs[1])
    ratio = with_ranges / without
    print(f"{args.transactions} transactions ({args.shape}), OpenAI by quarter, CPU s, median of {args.repeat}:")
    print(f"  without ranges {without:.3f}   with ranges {with_ranges:.3f}   ratio {ratio:.3f}x (target <= {TARGET}x)")
    print(verdict(ratio, TARGET))
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
