"""What the plugin chain costs, measured side by side in one run.

    python -m bench.bench_plugins [-n 100000] [--repeat 5] [--shapes items,no-metric,metric,refined,cap] [--one-line]
                                  [--dir DIR [--reuse]] [--no-scaling]

Every shape of `bench.synthetic.SHAPES` (figures with `metric:` and without,
quarters refining years, a cap that binds) is measured in the same run, and
a table at the end puts their ratios and peak memory side by side.

(a) Load time of a synthetic ledger with the plugin chain, loaded as the
    shipped books load it (`plugin "leakledger.plugins.chain"`), against the
    same ledger without them (target: at most 1.05x): runs alternate
    without/with, with/without, ... (ABBA) and the ratio is that of the two
    sides' medians. Each run with plugins also says how much of its own load
    time the plugin line took (Beancount's per-plugin timings, which
    include the sort the loader does after every plugin module): a
    cross-check that other load on the machine disturbs less.
(b) The plugins' own time at N and at K*N transactions (`--scale K`, 2 by default; target: at most
    1.1*K, 2.2x for 2N, 11x for 10N): figures, shares and integrity on the entries of the bare ledger,
    the plugin functions alone (the loader's sort after them is (a)'s);
    interleaved runs, medians.
--one-line also loads the same plugins from three plugin lines (three loader
sorts instead of one), for information. `--dir DIR --reuse` loads the ledgers
an earlier run with the same -n wrote under DIR instead of writing them again
(a million transactions take minutes to write); the items ledger is written
only where it is loaded (the items shape, --one-line, (b)).

Times are CPU time (each load of (a) in a fresh process); wall-clock
medians are printed beside them. Beancount's pickle cache is off. Prints both ratios and PASS or FAIL;
exits 1 on a FAIL.
"""

from __future__ import annotations

import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))  # `python bench/bench_plugins.py` too

from beancount import loader  # noqa: E402
from leakledger.plugins import chain, figures, integrity, shares  # noqa: E402,F401 (chain: imported before timing)

from bench.common import (  # noqa: E402
    abba,
    arguments,
    load_once,
    loads_side_by_side,
    ratio_of_medians,
    shaped_ledger_options,
    shapes_asked,
    verdict,
)
from bench.synthetic import SHAPES, LedgerFiles, write_ledger  # noqa: E402

LOAD_TARGET = 1.05
SCALING_SLACK = 1.1  # K times the transactions may cost at most 1.1*K times the time
CHAIN = (figures.figures, shares.shares, integrity.integrity)


_MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_TIME = "/usr/bin/time"


def _load(path: Path):
    """(CPU s, wall s, entries, seconds the plugin lines took, peak RSS in MB or None) of one uncached load.

    The peak memory is what `/usr/bin/time -v` reports for the process (None where it is missing).

    Each load runs in a fresh process (modules imported before the clock
    starts): loads in one process run measurably faster after a load of the
    same ledger than after one of the other, which would bias the ratio.
    """
    timed = [_TIME, "-v"] if os.path.exists(_TIME) else []
    done = subprocess.run(
        [*timed, sys.executable, "-m", "bench.bench_plugins", "--load-once", str(path)],
        capture_output=True,
        text=True,
        cwd=_ROOT,
    )
    if done.returncode:  # the load's own message, before what /usr/bin/time -v appends
        said = done.stderr.split("\tCommand being timed")[0].strip().splitlines()
        raise SystemExit(said[-1] if said else f"load of {path} failed")
    rss = _MAX_RSS.search(done.stderr)
    return (*json.loads(done.stdout.strip().splitlines()[-1]), int(rss[1]) / 1024 if rss else None)


def _ledger(folder: Path, n: int, shape: str, reuse: bool) -> LedgerFiles:
    """The synthetic books of `shape` under `folder`: those already there with `reuse`, else written anew."""
    files = LedgerFiles(folder / "main.beancount", folder / "bare.beancount")
    if reuse and files.main.exists() and files.bare.exists() and (folder / "entries.beancount").exists():
        return files
    return write_ledger(folder, n, shape=shape)


def _chain(entries, options):
    """The plugins' own work: figures, shares, integrity (not the loader's sort after them)."""
    for plugin in CHAIN:
        entries, errors = plugin(entries, options)
        if errors:
            raise SystemExit(f"{plugin.__name__}: {len(errors)} error(s), first: {errors[0].message}")
    return entries


def bench_one_line(folder: Path, bare: Path, repeat: int) -> None:
    """The same chain from three plugin lines: the loader sorts after each, so three sorts, not one."""
    three = "".join(f'plugin "leakledger.plugins.{name}"\n' for name in ("figures", "shares", "integrity"))
    one = folder / "three-lines.beancount"
    one.write_text(
        bare.read_text(encoding="utf-8").replace(
            'include "accounts.beancount"', three + 'include "accounts.beancount"'
        ),
        encoding="utf-8",
    )
    runs = ([], [])
    for order in abba(repeat):
        for side in order:
            runs[side].append(_load((bare, one)[side]))
    print(
        f"(a, for information) the same plugins from three plugin lines (three loader sorts): "
        f"{ratio_of_medians(runs):.3f}x"
    )


def bench_scaling(bares, sizes, repeat: int, target: float) -> float:
    loaded = []
    for path in bares:
        entries, errors, options = loader.load_file(str(path))
        if errors:
            raise SystemExit(f"{path}: {len(errors)} error(s)")
        loaded.append((entries, options))
    samples = ([], [])
    for order in abba(repeat):
        for side in order:
            entries, options = loaded[side]
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            _chain(entries, options)
            samples[side].append((time.process_time() - cpu, time.perf_counter() - wall))
    medians = [(statistics.median(s[0] for s in side), statistics.median(s[1] for s in side)) for side in samples]
    print(f"(b) the plugins' own time (figures, shares, integrity), {repeat} interleaved runs each, medians:")
    for size, (cpu, wall) in zip(sizes, medians):
        print(f"    {size:>7} transactions  {cpu:6.3f} s CPU  {wall:6.3f} s wall")
    ratio = medians[1][0] / medians[0][0]
    print(f"    ratio {ratio:.3f}x; target <= {target:.1f}x: {verdict(ratio, target)}")
    return ratio


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=5, repeat_help="runs of each side in (a)")
    parser.add_argument("--repeat-plugins", type=int, default=9, help="runs of each size in (b)")
    parser.add_argument("--one-line", action="store_true", help="also time the plugins from three plugin lines")
    parser.add_argument("--no-scaling", action="store_true", help="skip (b) and its K*N ledger (for 1M: a 2M ledger)")
    parser.add_argument("--scale", type=int, default=2, help="K of (b): the plugins' time at K*N against N")
    shaped_ledger_options(parser, ",".join(SHAPES))
    args = parser.parse_args(argv)
    if args.load_once:
        load_once(args.load_once, "leakledger")
        return 0

    shapes = shapes_asked(parser, args)
    with tempfile.TemporaryDirectory(prefix="leakledger-bench-") as tmp:
        root = Path(args.dir or tmp)
        n = args.transactions
        k = args.scale
        needs_items = "items" in shapes or args.one_line or not args.no_scaling
        small = _ledger(root / f"n{n}", n, "items", args.reuse) if needs_items else None
        big = None if args.no_scaling else _ledger(root / f"n{k * n}", k * n, "items", args.reuse)
        print(
            f"synthetic ledgers: {n}{'' if big is None else f' and {k * n}'} transactions under {root}; "
            f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )
        table = []
        for shape in shapes:
            files = small if shape == "items" else _ledger(root / f"n{n}-{shape}", n, shape, args.reuse)
            assert files is not None
            print(f"shape {shape}:")
            runs, ratio = loads_side_by_side(
                (files.bare, files.main), args.repeat, _load, ("without plugins", "with plugins"), LOAD_TARGET
            )
            shares_of_load = [r[3] / (r[1] - r[3]) for r in runs[1]]  # wall over wall, as Beancount times
            print(
                f"    cross-check, the plugin lines' share of their own load: "
                f"{statistics.median(shares_of_load) + 1:.3f}x (median)"
            )
            table.append((shape, runs, ratio))
        print(f"side by side, {n} transactions (CPU medians; peak RSS from /usr/bin/time -v, median):")
        print(f"    {'shape':<10} {'bare s':>7} {'chain s':>8} {'ratio':>6}  {'bare MB':>8} {'chain MB':>9}  verdict")
        for shape, runs, ratio in table:
            cpu = [statistics.median(r[0] for r in side) for side in runs]
            rss = [statistics.median(r[4] for r in side) if side[0][4] is not None else float("nan") for side in runs]
            print(
                f"    {shape:<10} {cpu[0]:7.2f} {cpu[1]:8.2f} {ratio:6.3f}  {rss[0]:8.0f} {rss[1]:9.0f}  "
                f"{verdict(ratio, LOAD_TARGET)}"
            )
        load_ratio = max(ratio for _, _, ratio in table)
        if args.one_line and small is not None:
            bench_one_line(root / f"n{n}", small.bare, args.repeat)
        scaling_target = SCALING_SLACK * k
        scaling_ratio = (
            None
            if big is None or small is None
            else bench_scaling((small.bare, big.bare), (n, k * n), args.repeat_plugins, scaling_target)
        )
    ok = load_ratio <= LOAD_TARGET and (scaling_ratio is None or scaling_ratio <= scaling_target)
    scaling = "not measured" if scaling_ratio is None else f"{scaling_ratio:.3f}x (<= {scaling_target:.1f}x)"
    print(
        f"load (worst shape) {load_ratio:.3f}x (<= {LOAD_TARGET}x), plugins {args.scale}N/N {scaling}: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
