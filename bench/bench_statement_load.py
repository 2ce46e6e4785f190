"""`leakledger statement`'s own work against the load it reads, side by side in one run.

    python -m bench.bench_statement_load [-n 100000] [--repeat 3] [--entity OpenAI]

On a synthetic ledger of N transactions (bench.synthetic, shape "items"),
the company's own book (the combined book and the company view's plugin
line, as ledger/openai.beancount) is loaded and its income statement made
(`leakledger.statements.income_statement`, what `statement` runs after
`load_clean`), in this process; each round loads afresh, then makes the
statement, so load on a shared machine hits both alike. The ratio is the
statement's median CPU time over the load's (target: at most 0.2x).
Prints PASS or FAIL; exits 1 on a FAIL.
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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_statement_load.py` too

from beancount import loader  # noqa: E402
from leakledger.plugins import chain, company_view  # noqa: E402,F401 (imported before timing)

from bench.bench_company_view import write_company_book  # noqa: E402
from bench.common import arguments, verdict  # noqa: E402
from bench.synthetic import write_ledger  # noqa: E402
from leakledger.statements import income_statement  # noqa: E402

TARGET = 0.2


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=3, repeat_help="rounds of load then statement")
    parser.add_argument("--entity", default="OpenAI", choices=("OpenAI", "Microsoft"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="leakledger-bench-") as tmp:
        book = write_company_book(write_ledger(Path(tmp), args.transactions).main, args.entity)
        loads, statements = [], []
        for _ in range(args.repeat):
            gc.collect()
            cpu = time.process_time()
            entries, errors, options = loader.load_file(str(book))
            loads.append(time.process_time() - cpu)
            if errors:
                raise SystemExit(f"{book}: {len(errors)} error(s), first: {errors[0].message}")
            gc.collect()
            cpu = time.process_time()
            statement = income_statement(entries, options, args.entity)
            statements.append(time.process_time() - cpu)
            del entries
    load, made = statistics.median(loads), statistics.median(statements)
    ratio = made / load
    print(f"{args.entity}'s book, {args.transactions} transactions, {args.repeat} rounds (CPU medians):")
    print(f"    load {load:6.2f} s   statement {made:6.3f} s   ({len(statement.periods)} columns)")
    print(f"    rounds (statement / load): {', '.join(f'{s / c:.3f}' for c, s in zip(loads, statements))}")
    print(f"    ratio {ratio:.3f}x; target <= {TARGET}x: {verdict(ratio, TARGET)}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
