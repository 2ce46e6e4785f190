"""What a 1.05x load leaves the plugin chain's own work: a load less the chain's own line, side by side.

    python -m bench.bench_chain_budget [-n 100000] [--repeat 3] [--shapes no-metric,metric] [--dir DIR [--reuse]]

A load with the chain pays for two things: the chain's own work, and what
Beancount's loader does after it with what the chain returns (pad, balance
and validation over the derived entries, and the cyclic collector walking a
larger heap). This measures the second alone. Loads of the bare books and
of the books with the chain alternate (ABBA, fresh processes, CPU time); from
each load with the chain its plugin line (Beancount's per-plugin timing,
which includes the loader's sort after it) is taken out, and that sort,
timed here on the chain's output, put back. What is left is a load with the
chain's output as if the chain itself cost nothing.

The budget a 1.05x load leaves the chain's own work is then 1.05 x the bare
load minus that, printed per figure beside the least one Python pass over
the entries costs for the three plugins (`bench_chain_parts._floor_pass`)
and beside the chain's own time (its functions on the books as parsed and
booked, in this process): if the floor is above the budget, no Python chain
that reads each figure once can meet the target.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))  # `python bench/bench_chain_budget.py` too

from beancount import loader  # noqa: E402
from beancount.core import data  # noqa: E402
from beancount.parser import booking  # noqa: E402
from leakledger.plugins import chain  # noqa: E402

from bench.bench_chain_parts import _floor_pass, _median_cpu  # noqa: E402
from bench.common import abba, arguments, load_once, shaped_ledger_options, shapes_asked  # noqa: E402
from bench.synthetic import write_ledger  # noqa: E402

LOAD_TARGET = 1.05


def _load(path: Path) -> tuple[float, float, int]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_chain_budget", "--load-once", str(path)],
        capture_output=True,
        text=True,
        cwd=_ROOT,
    )
    if done.returncode:
        said = done.stderr.strip().splitlines()
        raise SystemExit(said[-1] if said else f"load of {path} failed")
    cpu, _, entries, plugin = json.loads(done.stdout.strip().splitlines()[-1])
    return cpu, plugin, entries


def _chain_costs(bare: Path, repeat: int) -> tuple[int, float, float, float]:
    """On the bare books as parsed and booked (what the loader hands the plugins): (figures, the chain's own s,
    the floor pass's s, the loader's sort of the chain's output s)."""
    entries, errors, options = loader._parse_recursive([(str(bare), True)], None)
    entries.sort(key=data.entry_sortkey)
    entries, booking_errors = booking.book(entries, options)
    if errors or booking_errors:
        raise SystemExit(f"{bare}: {len(errors) + len(booking_errors)} error(s)")
    figures = sum(1 for e in entries if e.__class__ is data.Transaction and "period-start" in e.meta)

    def run_chain():
        out = entries
        for plugin in chain.__plugins__:
            out, plugin_errors = plugin(out, options)
            if plugin_errors:
                raise SystemExit(f"{plugin.__name__}: {plugin_errors[0].message}")
        return out

    own = _median_cpu(run_chain, repeat)
    floor = _median_cpu(lambda: _floor_pass(entries, options), repeat)
    out = run_chain()
    sort = _median_cpu(lambda: sorted(out, key=data.entry_sortkey), repeat)
    return figures, own, floor, sort


def bench_shape(folder: Path, n: int, shape: str, reuse: bool, repeat: int) -> dict:
    files = folder / "main.beancount", folder / "bare.beancount"
    if not (reuse and all(f.exists() for f in files)):
        write_ledger(folder, n, shape=shape)
    chained, bare = files
    figures, own, floor, sort = _chain_costs(bare, repeat)
    runs: tuple[list, list] = ([], [])
    for order in abba(repeat):
        for side in order:
            runs[side].append(_load((bare, chained)[side]))
    bare_s = statistics.median(r[0] for r in runs[0])
    after_s = statistics.median(r[0] - r[1] for r in runs[1]) + sort
    budget = LOAD_TARGET * bare_s - after_s
    return {
        "shape": shape,
        "figures": figures,
        "bare": bare_s,
        "after": after_s,
        "entries": runs[1][0][2],
        "budget": budget,
        "floor": floor,
        "own": own,
    }


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=3)
    shaped_ledger_options(parser, "no-metric,metric")
    args = parser.parse_args(argv)
    if args.load_once:
        load_once(args.load_once, "leakledger")
        return 0
    shapes = shapes_asked(parser, args)
    n = args.transactions
    with tempfile.TemporaryDirectory(prefix="leakledger-bench-") as tmp:
        root = Path(args.dir or tmp)
        print(f"{n} transactions under {root}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        rows = [bench_shape(root / f"n{n}-{shape}", n, shape, args.reuse, args.repeat) for shape in shapes]
    print(f"side by side ({args.repeat} interleaved loads each, CPU medians; per figure in microseconds):")
    print("    shape       bare s  output-only s  ratio   budget s  budget/fig  floor/fig  chain/fig  floor fits")
    fits = True
    for r in rows:
        per = 1e6 / r["figures"]
        fit = r["floor"] <= r["budget"]
        fits &= fit
        print(
            f"    {r['shape']:<10} {r['bare']:7.2f}  {r['after']:13.2f}  {r['after'] / r['bare']:5.3f}  "
            f"{r['budget']:8.3f}  {r['budget'] * per:10.2f}  {r['floor'] * per:9.2f}  {r['own'] * per:9.2f}  "
            f"{'yes' if fit else 'no'}"
        )
    print(
        "a load of the chain's output alone (the chain at no cost) against the bare load; what a "
        f"{LOAD_TARGET}x load leaves for the chain's own work; the least one Python pass costs; the chain now"
    )
    return 0 if fits else 1


if __name__ == "__main__":
    sys.exit(main())
