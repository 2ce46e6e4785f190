"""What the flow diagrams add to a page of the Leak model, measured in one run.

    python -m bench.bench_flows [-n 100000] [--repeat 5]

On a synthetic ledger of N transactions (bench/synthetic.py), loaded once:
for each grouping (year, half, quarter), the median CPU time of the period
table's rows from the book index (the numbers the flows come from), of
the flows read from them (leakledger.flows.period_flows) and of their
diagrams and tables
(leakledger.publish.flow_svg.flow_section), and the flows' share of the
books' load. Target: flows and diagrams of all three groupings together
cost at most 2% of one load (the site and the Fava page both pay the load).
Prints PASS or FAIL; exits 1 on a FAIL.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_flows.py` too

from bench.common import arguments, verdict  # noqa: E402
from bench.synthetic import write_ledger  # noqa: E402
from leakledger import reports  # noqa: E402
from leakledger.book_index import index_books  # noqa: E402
from leakledger.books import load_clean  # noqa: E402
from leakledger.flows import period_flows  # noqa: E402
from leakledger.publish.flow_svg import flow_section  # noqa: E402

TARGET = 0.02


def _cpu(work) -> tuple[float, object]:
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def main(argv=None) -> None:
    args = arguments(__doc__, repeat=5).parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        books = write_ledger(Path(folder), args.transactions)
        load, (entries, _options) = _cpu(lambda: load_clean(books.main))
    print(f"load of {args.transactions:,} transactions: {load:.2f} s CPU")
    index = index_books(entries)
    flows_total = 0.0
    for by in reports.BY:
        table, flows, drawn = [], [], []
        for _ in range(args.repeat):
            cpu, rows = _cpu(lambda by=by: reports.period_rows(index, by))
            table.append(cpu)
            cpu, periods = _cpu(lambda rows=rows: period_flows(rows, index))
            flows.append(cpu)
            cpu, _ = _cpu(lambda periods=periods: flow_section("bench", periods))
            drawn.append(cpu)
        medians = [statistics.median(t) for t in (table, flows, drawn)]
        flows_total += medians[1] + medians[2]
        print(
            f"by {by:7} ({len(periods)} periods): period table {medians[0] * 1000:.1f} ms, "
            f"flows {medians[1] * 1000:.1f} ms, diagrams and tables {medians[2] * 1000:.1f} ms"
        )
    share = flows_total / load
    print(f"flows and diagrams, all three groupings: {flows_total * 1000:.1f} ms, {share:.2%} of the load")
    result = verdict(share, TARGET)
    print(f"{result} (target: at most {TARGET:.0%} of the load)")
    if result == "FAIL":
        sys.exit(1)


if __name__ == "__main__":
    main()
