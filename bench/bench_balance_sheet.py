"""What the balance sheet's ranges cost: `leakledger statement`'s two tables, the balance sheet's ranges read or not.

    python -m bench.bench_balance_sheet [-n 20000] [--repeat 5] [--shape refined] [--entity OpenAI]

On a synthetic ledger of N transactions (bench/synthetic.py), loaded once
with the plugins: the company's income statement and balance sheet by
quarter, what `leakledger statement` computes, (a) with the balance sheet
as posted (no ranges, as before they were read) and (b) as shipped, each
balance posting read for the ranged inputs it moves with
(`leakledger.statement_ranges.balance_spreads`: a pad with its balance's
tolerance, a settlement with the share it settles), run alternating ABBA in
this process; prints each side's median CPU time, the balance sheet's alone,
and the ratio of the whole (target: at most 1.30x). Exits 1 on a FAIL.
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
from leakledger.balance_sheet import balance_sheet  # noqa: E402

TARGET = 1.30


def _timed(entries, options, entity: str, ranged: bool) -> tuple[float, float]:
    """(the whole, the balance sheet alone), CPU seconds."""
    gc.collect()
    start = time.process_time()
    own, company, grid, labels, books, moves = statements.income_statement(entries, options, entity, "quarter").sheet_of
    middle = time.process_time()
    # each entry's moves are summed where a balance sheet is read (`Statement._sheet_rest`): the sheet's own cost
    balance_sheet(own, company, grid, labels, books if ranged else None, moves())
    end = time.process_time()
    return end - start, end - middle


def main() -> int:
    parser = arguments(__doc__, repeat=5, transactions=20_000)
    parser.add_argument("--shape", choices=SHAPES, default="refined")
    parser.add_argument("--entity", choices=("OpenAI", "Microsoft"), default="OpenAI")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = write_ledger(folder, args.transactions, shape=args.shape)
        entries, errors, options = loader.load_file(str(files.main))
    assert not errors, errors[:3]
    runs: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for order in abba(args.repeat):
        for side in order:
            runs[side].append(_timed(entries, options, args.entity, ranged=side == 1))
    (without, sheet_without), (with_ranges, sheet_with) = (
        (statistics.median(w for w, _ in side), statistics.median(s for _, s in side)) for side in runs
    )
    ratio = with_ranges / without
    print(f"{args.transactions} transactions ({args.shape}), {args.entity} by quarter, CPU s, median of {args.repeat}:")
    print(f"  balance sheet alone: as posted {sheet_without:.3f}   with ranges {sheet_with:.3f}")
    print(
        f"  statement: as posted {without:.3f}   with ranges {with_ranges:.3f}   ratio {ratio:.3f}x (target <= {TARGET}x)"
    )
    print(verdict(ratio, TARGET))
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
