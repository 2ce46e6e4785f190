"""What every benchmark shares: the ABBA run order, the verdict, the usual options.

Each benchmark measures two things side by side in one run and prints their
ratio against a target; these helpers keep that the same everywhere.
"""

from __future__ import annotations

import argparse
import statistics


def abba(repeat: int):
    """A, B, B, A, A, B, ...: each side goes first as often as the other."""
    for r in range(repeat):
        yield (0, 1) if r % 2 == 0 else (1, 0)


def verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "FAIL"


def arguments(doc: str, *, repeat: int, repeat_help: str = "runs of each side",
              transactions: int = 100_000) -> argparse.ArgumentParser:
    """A parser with the options every ledger benchmark takes: -n and --repeat."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("-n", "--transactions", type=int, default=transactions)
    parser.add_argument("--repeat", type=int, default=repeat, help=repeat_help)
    return parser


def ratio_of_medians(runs) -> float:
    """Median CPU time of the second side over that of the first."""
    return statistics.median(r[0] for r in runs[1]) / statistics.median(r[0] for r in runs[0])


def loads_side_by_side(files, repeat: int, load, labels: tuple[str, str], target: float):
    """Load two ledgers in ABBA order; print each side's medians, the pairs and the ratio.

    `load(path)` returns (cpu, wall, entries, ...) for one load in a fresh
    process. Returns (runs, ratio); runs[side] holds each load's tuple.
    """
    runs = ([], [])
    for order in abba(repeat):
        for side in order:
            runs[side].append(load(files[side]))
    print(f"(a) load, {repeat} interleaved runs each (fresh processes):")
    width = max(map(len, labels))
    for label, side in zip(labels, runs):
        cpu = statistics.median(r[0] for r in side)
        wall = statistics.median(r[1] for r in side)
        print(f"    {label:<{width}}  median {cpu:6.2f} s CPU  {wall:6.2f} s wall  ({side[0][2]} entries)")
    ratio = ratio_of_medians(runs)
    pairs = [second[0] / first[0] for first, second in zip(*runs)]
    print(f"    neighbouring runs ({labels[1]} / {labels[0]}): {', '.join(f'{p:.3f}' for p in pairs)}")
    print(f"    ratio of the medians {ratio:.3f}x; target <= {target}x: {verdict(ratio, target)}")
    return runs, ratio
