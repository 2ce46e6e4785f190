"""What a company's own book costs over the combined one, measured side by side in one run.

    python -m bench.bench_company_view [-n 100000] [--repeat 3] [--entity OpenAI]

A company book (ledger/openai.beancount) is the combined book plus one plugin
line, `leakledger.plugins.company_view`, after the chain. On a synthetic
ledger of N transactions (bench/synthetic.py):

(a) load time of the company book against the combined book (target: at
    most 1.05x, the view costs at most 5% of load time): each load in a fresh
    process, runs alternating ABBA, the ratio of the two sides' median CPU
    times (bench.bench_plugins' loader, so both benchmarks measure alike);
(b) the view alone, in this process, on the loaded combined books: the
    plugin function plus the sort Beancount's loader does after every plugin
    module, as a share of (a)'s median load time of the combined book.

Beancount's pickle cache is off. Prints both and PASS or FAIL; exits 1 on a FAIL.
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
_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))  # `python bench/bench_company_view.py` too

from beancount import loader  # noqa: E402
from beancount.core import data  # noqa: E402
from leakledger.plugins.company_view import company_view  # noqa: E402

from bench.bench_plugins import _load  # noqa: E402
from bench.common import arguments, loads_side_by_side, verdict  # noqa: E402
from bench.synthetic import write_ledger  # noqa: E402

TARGET = 1.05


def write_company_book(main: Path, entity: str) -> Path:
    """The company's book beside a synthetic combined book: the same file, then the view's plugin line."""
    book = main.with_name(f"{entity.lower()}.beancount")
    book.write_text(
        main.read_text(encoding="utf-8") + f'plugin "leakledger.plugins.company_view" "{entity}"\n', encoding="utf-8"
    )
    return book


def bench_load(files, repeat: int, entity: str):
    runs, ratio = loads_side_by_side(files, repeat, _load, ("combined book", f"{entity}'s book"), TARGET)
    return ratio, statistics.median(r[0] for r in runs[0])


def bench_view(main: Path, entity: str, repeat: int, load_cpu: float) -> float:
    entries, errors, options = loader.load_file(str(main))
    if errors:
        raise SystemExit(f"{main}: {len(errors)} error(s), first: {errors[0].message}")
    samples = []
    for _ in range(repeat):
        gc.collect()
        cpu = time.process_time()
        kept, view_errors = company_view(entries, dict(options), entity)
        kept.sort(key=data.entry_sortkey)  # what the loader does after the plugin
        samples.append(time.process_time() - cpu)
        assert not view_errors
    median = statistics.median(samples)
    share = median / load_cpu
    print(
        f"(b) the view alone, plugin + the loader's sort after it, {repeat} runs: median {median:.3f} s CPU, "
        f"{len(kept)} of {len(entries)} entries kept"
    )
    print(
        f"    share of the combined book's load time: {share:.3f}; target <= {TARGET - 1:.2f}: "
        f"{verdict(share, TARGET - 1)}"
    )
    return share


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=3, repeat_help="runs of each side in (a)")
    parser.add_argument("--repeat-view", type=int, default=7, help="runs of the view alone in (b)")
    parser.add_argument("--entity", default="OpenAI", choices=("OpenAI", "Microsoft"))
    parser.add_argument("--dir", help="write the ledgers here (default: a temporary folder)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="leakledger-bench-") as tmp:
        root = Path(args.dir or tmp)
        files = write_ledger(root / f"n{args.transactions}", args.transactions)
        company = write_company_book(files.main, args.entity)
        print(
            f"synthetic ledger: {args.transactions} transactions under {root}; "
            f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )
        ratio, load_cpu = bench_load((files.main, company), args.repeat, args.entity)
        share = bench_view(files.main, args.entity, args.repeat_view, load_cpu)
    ok = ratio <= TARGET and share <= TARGET - 1
    print(
        f"{args.entity}'s book / combined book {ratio:.3f}x (<= {TARGET}x), view alone {share:.1%} of load "
        f"(<= {TARGET - 1:.0%}): {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
