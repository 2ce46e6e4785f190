"""Each reader's CPU time against one load of the same books, side by side in one run.

    python -m bench.bench_readers FOLDER [--shape cap] [-n 100000] [--repeat 1] [--profile N]

Writes (or reuses) `bench.synthetic` books of the shape in FOLDER/SHAPE,
loads them once (`leakledger.books.load_books`, timed: the reference), and
runs each reader on that load in this process, the load served from memory:

- reconcile (as a table, and as CSV), report, statement (OpenAI), explain of
  the first payment's link: the CLI commands, through typer's runner, their
  output thrown away;
- explain every figure: `leakledger.publish.figure_pages.FigurePages` on the
  book's index, every page rendered as publish renders it;
- publish: the whole command into a fresh folder, with the timeline
  switched off (`leakledger.timeline.timeline` returns no arrivals: it loads
  the books again per knowledge date, and is measured on its own elsewhere).

Each reader's CPU time (user + system of this process) is printed beside the
load's, with their ratio. `--profile N` profiles each reader (cProfile) and
prints its N functions with the most own time. A reader's time excludes the
load; what it computes from the entries (the book model, its indexes) counts.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_readers.py` too

from bench.common import arguments  # noqa: E402
from bench.synthetic import SHAPES, write_ledger  # noqa: E402

READERS = ("reconcile", "reconcile-csv", "report", "statement", "explain", "explain-all", "publish")


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _serve_loads_from_memory(main: Path) -> Callable[[], float]:
    """Make `load_books` answer from one load of `main`; return a function that times a fresh load."""
    import leakledger.books as books

    real = books.load_books
    cache: dict = {}

    def timed_load() -> float:
        start = _cpu()
        cache[(str(main), None)] = real(main)
        return _cpu() - start

    def from_memory(path, as_of=None, *args, **kwargs):
        key = (str(Path(path).resolve()), as_of)
        if key not in cache:
            cache[key] = real(path, as_of, *args, **kwargs)
        return cache[key]

    books.load_books = from_memory
    return timed_load


def _cli(*words: str) -> Callable[[], None]:
    def run() -> None:
        from leakledger.cli.app import app
        from typer.testing import CliRunner

        result = CliRunner().invoke(app, list(words))
        if result.exit_code != 0:
            raise SystemExit(f"leakledger {' '.join(words)}: exit {result.exit_code}\n{result.output[-2000:]}")

    return run


def _explain_all(main: Path) -> Callable[[], None]:
    def run() -> None:
        from leakledger.book_model import BookModel
        from leakledger.books import load_clean
        from leakledger.publish.figure_pages import FigurePages

        model = BookModel(*load_clean(main))
        pages = FigurePages(model.index, "figures", str(main.parent))
        done: set[str] = set()
        while len(done) < len(pages.pages):  # rendering may register more pages, as publish's loop
            for path, (_, targets) in list(pages.pages.items()):
                if path not in done:
                    done.add(path)
                    pages.render(path, targets, "index.html")

    return run


def _publish(main: Path) -> Callable[[], None]:
    def run() -> None:
        import leakledger.timeline as timeline
        from leakledger.publish import publish

        timeline.timeline = lambda *args, **kwargs: []  # profiled apart: it reloads the books per date
        with tempfile.TemporaryDirectory() as out:
            publish(Path(out) / "site", main)

    return run


def _first_link(main: Path) -> str:
    """A link of the books that names a derived figure: the first payment's (`explain` of one entry)."""
    for line in (main.parent / "entries.beancount").open():
        if "^" in line and "revenue-share" in line:
            return line.split("^", 1)[1].split()[0]
    raise SystemExit("no linked payment in the books")


def readers(main: Path) -> dict[str, Callable[[], None]]:
    ledger = ("--ledger", str(main))
    return {
        "reconcile": _cli("reconcile", *ledger),
        "reconcile-csv": _cli("reconcile", "--format", "csv", *ledger),
        "report": _cli("report", *ledger),
        "statement": _cli("statement", "OpenAI", *ledger),
        "explain": _cli("explain", _first_link(main), *ledger),
        "explain-all": _explain_all(main),
        "publish": _publish(main),
    }


def main() -> None:
    parser = arguments(__doc__, repeat=1)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--shape", choices=SHAPES, default="cap")
    parser.add_argument("--readers", default=",".join(READERS), help="comma-separated: " + ", ".join(READERS))
    parser.add_argument("--profile", type=int, default=0, help="print each reader's N functions by own time")
    parser.add_argument("--sort", default="tottime", help="the profile's order: tottime (own time) or cumulative")
    args = parser.parse_args()
    folder = args.folder / args.shape
    main_file = folder / "main.beancount"
    if not main_file.is_file():
        write_ledger(folder, args.transactions, shape=args.shape)
    main_file = main_file.resolve()
    timed_load = _serve_loads_from_memory(main_file)
    loads = sorted(timed_load() for _ in range(args.repeat))
    load = loads[len(loads) // 2]
    print(f"{args.shape}, {args.transactions} transactions: one load {load:.2f} s CPU")
    print(f"{'reader':<12} {'CPU s':>8} {'/ load':>8}")
    runs = readers(main_file)
    for name in args.readers.split(","):
        run = runs[name]
        times = []
        for _ in range(args.repeat):
            start = _cpu()
            if args.profile:
                profile = cProfile.Profile()
                profile.runcall(run)
            else:
                run()
            times.append(_cpu() - start)
        cpu = sorted(times)[len(times) // 2]
        print(f"{name:<12} {cpu:8.2f} {cpu / load:7.3f}x")
        if args.profile:
            text = io.StringIO()
            pstats.Stats(profile, stream=text).sort_stats(args.sort).print_stats(args.profile)
            print("\n".join(line for line in text.getvalue().splitlines()[6:] if line.strip()))
        sys.stdout.flush()
    time.sleep(0)


if __name__ == "__main__":
    main()
