"""What every benchmark shares: the ABBA run order, the verdict, the usual options.

Each benchmark measures two things side by side in one run and prints their
ratio against a target; these helpers keep that the same everywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import queue
import re
import statistics
import subprocess
import tempfile
import threading
import time
from typing import Any, NamedTuple


def abba(repeat: int):
    """A, B, B, A, A, B, ...: each side goes first as often as the other."""
    for r in range(repeat):
        yield (0, 1) if r % 2 == 0 else (1, 0)


def verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "FAIL"


def timed_get(client, url: str) -> tuple[float, int]:
    """(seconds, bytes) of one GET through a Flask test client, after a collection; exits on an answer but 200."""
    gc.collect()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed, len(response.data)


def arguments(
    doc: str, *, repeat: int, repeat_help: str = "runs of each side", transactions: int = 100_000
) -> argparse.ArgumentParser:
    """A parser with the options every ledger benchmark takes: -n and --repeat."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("-n", "--transactions", type=int, default=transactions)
    parser.add_argument("--repeat", type=int, default=repeat, help=repeat_help)
    return parser


def shaped_ledger_options(parser: argparse.ArgumentParser, shapes: str) -> None:
    """The options of benchmarks over `bench.synthetic`'s shapes: --shapes, --dir, --reuse (and the hidden
    --load-once their fresh processes are started with)."""
    parser.add_argument("--shapes", default=shapes, help="comma-separated shapes of bench.synthetic")
    parser.add_argument("--dir", help="write the ledgers here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="with --dir: load the ledgers already there")
    parser.add_argument("--load-once", metavar="LEDGER", help=argparse.SUPPRESS)


def shapes_asked(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The shapes --shapes names; a parser error naming any that `bench.synthetic` does not know."""
    from bench.synthetic import SHAPES

    shapes = args.shapes.split(",")
    if unknown := [s for s in shapes if s not in SHAPES]:
        parser.error(f"unknown shape(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    return shapes


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


def load_once(path: str, plugin_prefix: str) -> None:
    """In a fresh process: load once and print [CPU s, wall s, entries, seconds of the plugin lines whose
    module starts with `plugin_prefix`] as JSON (Beancount's per-plugin timings, which include the loader's
    sort after each plugin module)."""
    from beancount import loader

    timing = re.compile(rf"Operation: '({re.escape(plugin_prefix)}[^']*)'\s+Time:\s+(\d+) ms")
    plugin_ms = []

    def log(line: str) -> None:
        if m := timing.match(line):
            plugin_ms.append(int(m[2]))

    cpu, wall = time.process_time(), time.perf_counter()
    entries, errors, _ = loader.load_file(path, log_timings=log)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if errors:
        raise SystemExit(f"{path}: {len(errors)} error(s), first: {errors[0].message}")
    print(json.dumps([cpu, wall, len(entries), sum(plugin_ms) / 1000]))


@contextlib.contextmanager
def serving(*args: str, cwd=None, env=None, timeout: float = 120):
    """A live `leakledger serve --port 0 ARGS` (the OS picks the port); yields its base URL, then stops it.

    The one way the benchmarks and the tests start a server: it waits for the
    line serve prints once it listens, and stops the process whatever happens.
    Its log goes to a file, not a pipe nobody reads (a full pipe would stall it).
    """
    env = {k: v for k, v in (os.environ if env is None else env).items() if k != "LEAKLEDGER_FAULT"}
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            ["leakledger", "serve", "--port", "0", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
        try:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                raise RuntimeError(f"leakledger serve printed no URL within {timeout:.0f} s") from None
            if not line.startswith("Fava: http://127.0.0.1:"):
                process.wait(timeout=30)
                log.seek(0)
                raise RuntimeError(f"leakledger serve did not start: {line!r} {log.read()[-2000:]!r}")
            yield line.split(" ", 1)[1].strip()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()


class CountedWalks(list):
    """A list of entries that counts how often it is walked (each `for`, `list()`, `sorted()`, ...).

    Handed to the Leak model in place of Fava's filtered entries, it shows how
    many times one page view reads the books: the model's one walk, or more.
    """

    walks = 0

    def __iter__(self):
        self.walks += 1
        return super().__iter__()


def counting_model_entries(extension_module):
    """Make the Leak model read its entries through CountedWalks; returns the lists it was given, in order.

    `extension_module` is leakledger.fava_ext: its `model_entries` is wrapped for the
    rest of the process (a benchmark) or the test (restore it with the returned `undo`).
    """
    given: list[CountedWalks] = []
    original = extension_module.model_entries

    def counted(*args, **kwargs):
        entries, whole = original(*args, **kwargs)
        given.append(CountedWalks(entries))
        return given[-1], whole

    extension_module.model_entries = counted

    def undo() -> None:
        extension_module.model_entries = original

    return given, undo


#: The line that loads the Leak model extension into synthetic books.
EXTENSION_LINE = '\n2019-01-01 custom "fava-extension" "leakledger.fava_ext"\n'


class SyntheticFava(NamedTuple):
    """Fava on synthetic books with the Leak model extension: what the extension benchmarks request."""

    slug: str
    ledger: Any
    extension: Any
    client: Any
    #: How long Fava took to load the books, in seconds.
    seconds: float

    @property
    def loaded(self) -> str:
        """What was loaded, and how fast, as the benchmarks print it."""
        return (
            f"{len(self.ledger.all_entries)} entries with the generated ones; Fava loaded them in {self.seconds:.1f} s"
        )


@contextlib.contextmanager
def synthetic_fava(transactions: int):
    """Fava (create_app, loaded) on `transactions` synthetic transactions in a folder of its own, the extension
    enabled; exits where the books have errors."""
    from fava.application import create_app

    from bench.synthetic import write_ledger

    with tempfile.TemporaryDirectory() as folder:
        main_file = write_ledger(folder, transactions).main
        with main_file.open("a", encoding="utf-8") as books:
            books.write(EXTENSION_LINE)
        started = time.perf_counter()
        app = create_app([str(main_file.resolve())], load=True)
        seconds = time.perf_counter() - started
        slug = app.config["LEDGERS"].first_slug()
        ledger = app.config["LEDGERS"][slug]
        if ledger.errors:
            raise SystemExit(f"{len(ledger.errors)} error(s) in the synthetic books: {ledger.errors[0].message}")
        yield SyntheticFava(slug, ledger, ledger.extensions.get_extension("LeakModel"), app.test_client(), seconds)
