"""Each function of the plugin chain on loaded books: where the chain's own time goes.

    python -m bench.bench_chain_parts LEDGER [--repeat 3] [--profile 5]

Loads LEDGER (a top-level file without the plugin line, e.g. a
`bench.synthetic` books' `bare.beancount`) once, freezes the loaded heap
(so the collector walking it does not blur the plugins' own work: the
chain pauses it while it runs anyway), then runs every function of
`leakledger.plugins.chain`, and the sort Beancount's loader does after the
module, `--repeat` times; prints each one's median CPU time and their sum.
Run from another checkout with the same LEDGER to compare two versions.
`--profile N` then runs the chain once more under cProfile and prints the N
functions with the most own time (`tottime`; the profiler inflates every
call, so read it for where, and the medians for how much).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_chain_parts.py` too

from beancount import loader  # noqa: E402
from beancount.core import data  # noqa: E402
from leakledger.plugins import chain  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("ledger")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N functions with most own time")
    args = parser.parse_args(argv)
    entries, errors, options = loader.load_file(args.ledger)
    if errors:
        raise SystemExit(f"{args.ledger}: {len(errors)} error(s), first: {errors[0].message}")
    gc.collect()
    gc.freeze()
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        out = entries
        for plugin in chain.__plugins__:
            gc.collect()
            cpu = time.process_time()
            out, plugin_errors = plugin(out, options)
            times.setdefault(plugin.__name__, []).append(time.process_time() - cpu)
            if plugin_errors:
                raise SystemExit(f"{plugin.__name__}: {plugin_errors[0].message}")
        cpu = time.process_time()
        out.sort(key=data.entry_sortkey)
        times.setdefault("loader's sort", []).append(time.process_time() - cpu)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.ledger}: {len(entries)} entries, medians of {args.repeat} runs (CPU s)")
    print("  " + "  ".join(f"{name} {value:.3f}" for name, value in medians.items()))
    print(f"  total {sum(medians.values()):.3f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        _run_chain(entries, options)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    return 0


def _run_chain(entries, options):
    """The chain's functions once, as the loader runs them (without its sort)."""
    for plugin in chain.__plugins__:
        entries, _ = plugin(entries, options)
    return entries


if __name__ == "__main__":
    sys.exit(main())
