"""What the plugin chain costs, measured side by side in one run.

    python -m bench.bench_plugins [-n 100000] [--repeat 5]

(a) Load time of a synthetic ledger with the three plugin lines against the
    same ledger without them (target: at most 1.05x).
(b) The plugins' own time at N and at 2N transactions (target: at most
    2.2x): figures, shares and integrity run on the entries of the bare
    ledger, each followed by the sort Beancount's loader does after every
    plugin, as in a real load.

Repetitions are interleaved (ABBA) and the medians compared, so drift and
other load on the machine hit both sides alike. Times are the process's CPU
time, which other processes on a shared machine disturb less than wall
time; wall-clock medians are printed beside them. Beancount's pickle cache
is off. Prints both ratios and PASS or FAIL; exits 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_plugins.py` too

from beancount import loader  # noqa: E402
from beancount.core import data  # noqa: E402

from bench.synthetic import write_ledger  # noqa: E402
from leakledger.plugins import figures, integrity, shares  # noqa: E402

LOAD_TARGET = 1.05
SCALING_TARGET = 2.2
CHAIN = (figures.figures, shares.shares, integrity.integrity)


def _timed(fn):
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def _abba(repeat: int):
    """A, B, B, A, A, B, ...: each side goes first as often as the other."""
    for r in range(repeat):
        yield (0, 1) if r % 2 == 0 else (1, 0)


def _load(path: Path):
    entries, errors, options = loader.load_file(str(path))
    if errors:
        raise SystemExit(f"{path}: {len(errors)} error(s), first: {errors[0].message}")
    return len(entries)


def _chain(entries, options):
    for plugin in CHAIN:
        entries, errors = plugin(entries, options)
        if errors:
            raise SystemExit(f"{plugin.__name__}: {len(errors)} error(s), first: {errors[0].message}")
        entries.sort(key=data.entry_sortkey)  # what the loader does after every plugin
    return len(entries)


def _medians(samples):
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def bench_load(files, repeat: int) -> float:
    samples = ([], [])
    counts = [None, None]
    for order in _abba(repeat):
        for side in order:
            cpu, wall, counts[side] = _timed(lambda: _load(files[side]))
            samples[side].append((cpu, wall))
    (bare_cpu, bare_wall), (main_cpu, main_wall) = _medians(samples[0]), _medians(samples[1])
    print(f"(a) load, {repeat} interleaved runs each, medians:")
    print(f"    without plugins  {bare_cpu:7.2f} s CPU  {bare_wall:7.2f} s wall  ({counts[0]} entries)")
    print(f"    with plugins     {main_cpu:7.2f} s CPU  {main_wall:7.2f} s wall  ({counts[1]} entries)")
    ratio = main_cpu / bare_cpu
    print(f"    ratio {ratio:.3f}x CPU ({main_wall / bare_wall:.3f}x wall); target <= {LOAD_TARGET}x: "
          f"{'PASS' if ratio <= LOAD_TARGET else 'FAIL'}")
    return ratio


def bench_scaling(bares, sizes, repeat: int) -> float:
    loaded = []
    for path in bares:
        entries, errors, options = loader.load_file(str(path))
        if errors:
            raise SystemExit(f"{path}: {len(errors)} error(s)")
        loaded.append((entries, options))
    samples = ([], [])
    for order in _abba(repeat):
        for side in order:
            entries, options = loaded[side]
            cpu, wall, _ = _timed(lambda: _chain(entries, options))
            samples[side].append((cpu, wall))
    (small_cpu, small_wall), (big_cpu, big_wall) = _medians(samples[0]), _medians(samples[1])
    print(f"(b) the plugins' own time (figures, shares, integrity, and the loader's sort after each), "
          f"{repeat} interleaved runs each, medians:")
    print(f"    {sizes[0]:>7} transactions  {small_cpu:6.3f} s CPU  {small_wall:6.3f} s wall")
    print(f"    {sizes[1]:>7} transactions  {big_cpu:6.3f} s CPU  {big_wall:6.3f} s wall")
    ratio = big_cpu / small_cpu
    print(f"    ratio {ratio:.3f}x CPU ({big_wall / small_wall:.3f}x wall); target <= {SCALING_TARGET}x: "
          f"{'PASS' if ratio <= SCALING_TARGET else 'FAIL'}")
    return ratio


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--transactions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side in (a)")
    parser.add_argument("--repeat-plugins", type=int, default=9, help="runs of each size in (b)")
    parser.add_argument("--dir", help="write the ledgers here (default: a temporary folder)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="leakledger-bench-") as tmp:
        root = Path(args.dir or tmp)
        n = args.transactions
        small = write_ledger(root / f"n{n}", n)
        big = write_ledger(root / f"n{2 * n}", 2 * n)
        print(f"synthetic ledgers: {n} and {2 * n} transactions under {root}")
        load_ratio = bench_load((small.bare, small.main), args.repeat)
        scaling_ratio = bench_scaling((small.bare, big.bare), (n, 2 * n), args.repeat_plugins)
    ok = load_ratio <= LOAD_TARGET and scaling_ratio <= SCALING_TARGET
    print(f"load {load_ratio:.3f}x (<= {LOAD_TARGET}x), plugins 2N/N {scaling_ratio:.3f}x (<= {SCALING_TARGET}x): "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
