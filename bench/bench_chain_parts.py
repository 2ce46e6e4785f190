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

`--floor` also times the least one pass over the entries must do for the
three plugins together (`_floor_pass`: each transaction's date, tags,
metadata values, accounts, amounts and base postings read once, and a copy
of each figure's metadata naming its metric) and prints it, and the chain,
against the CPU time of the first load of LEDGER in this process: the share
of a load that no per-entry pass in Python can go below. It also times
`_bulk_checks`, the integrity checks alone as C-level passes over all the
transactions at once (map, itertools, set, join), the other way to read every
entry: what proving clean books in bulk would cost before any figure is read.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
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
    parser.add_argument("--floor", action="store_true", help="time the least one pass for all three plugins does")
    args = parser.parse_args(argv)
    load_cpu = time.process_time()
    entries, errors, options = loader.load_file(args.ledger)
    load_cpu = time.process_time() - load_cpu
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
    if args.floor:
        floor = _median_cpu(lambda: _floor_pass(entries, options), args.repeat)
        bulk = _median_cpu(lambda: _bulk_checks(entries), args.repeat)
        print(
            f"  the load {load_cpu:.3f} s; the chain {sum(medians.values()) / load_cpu:.1%} of it; "
            f"the floor pass {floor:.3f} s, {floor / load_cpu:.1%} of it (a 1.05x load leaves the chain 5%); "
            f"the checks alone in C-level bulk passes {bulk:.3f} s, {bulk / load_cpu:.1%} of it"
        )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        _run_chain(entries, options)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    return 0


def _median_cpu(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        cpu = time.process_time()
        run()
        times.append(time.process_time() - cpu)
    return statistics.median(times)


def _floor_pass(entries, options) -> list[list]:
    """The least the chain's three plugins must do together, in one pass: a lower bound on their cost.

    Per transaction: its date against the horizon, its tags' kinds (once per tag set), each metadata value's
    class and text for markup, its accounts (one shape per distinct list), every amount's precision, each base
    posting gathered, and a figure's metadata copied with its metric named. Left out, so it is a floor: every
    error message, refinement and overlaps, the shares and their entries, the sort, other directives.
    """
    from leakledger.amounts import CENT, MAX_DIGITS
    from leakledger.figures import posting_shape
    from leakledger.metadata import _RIGHT_CLASS_OF, KEYS
    from leakledger.model import KINDS
    from leakledger.periods import HORIZON
    from leakledger.rules import read_rules

    bases = frozenset(read_rules(entries)[0].bases)
    kinds = frozenset(KINDS)
    first, last = datetime.date(HORIZON[0], 1, 1), datetime.date(HORIZON[1], 12, 31)
    transaction, date_class = data.Transaction, datetime.date
    kind_counts: dict = {}
    gathered: dict = {}
    copies, suspects = [], []
    for index, entry in enumerate(entries):
        if entry.__class__ is not transaction:
            continue
        day = entry.date
        suspect = day < first or day > last
        tags = entry.tags
        if kind_counts.get(tags) is None:
            kind_counts[tags] = len(tags & kinds)
        meta = entry.meta
        for name, value in meta.items():
            cls = value.__class__
            if cls is str and ("<" in value or "=" in value):
                suspect = True
            if _RIGHT_CLASS_OF(name) is not cls and cls is not date_class and name in KEYS:
                suspect = True
        shape = posting_shape(entry)
        for posting in entry.postings:
            number = posting.units.number
            if not (number.same_quantum(CENT) and number.adjusted() < MAX_DIGITS):
                suspect = True
            if posting.account in bases:
                lists = gathered.get(posting.account)
                if lists is None:
                    lists = gathered[posting.account] = ([], [], [])
                lists[0].append(index)
                lists[1].append(day)
                lists[2].append(number)
        if suspect:
            suspects.append(index)
        if "period-start" in meta and shape.metrics:
            copies.append(tuple.__new__(transaction, ({**meta, "metric": shape.metrics[0]}, *entry[1:])))
    return [copies, suspects]


def _bulk_checks(entries) -> tuple:
    """The integrity checks alone, each as one C-level pass over every transaction (map, itertools, set, join;
    no Python-level loop per entry): what a plugin that proves clean books in bulk, and reads an entry one by
    one only where a check fails, would pay at least. No figure is read, no share derived, nothing copied.
    """
    from itertools import chain, repeat
    from operator import attrgetter

    from leakledger.amounts import CENT

    transactions = [e for e in entries if e.__class__ is data.Transaction]
    metas = list(map(attrgetter("meta"), transactions))
    kinds = set(map(attrgetter("tags"), transactions))  # each tag set's kinds, once per set
    # each metadata value's class per key, and its text for markup
    pairs = set(zip(chain.from_iterable(metas), map(type, chain.from_iterable(map(dict.values, metas)))))
    texts = "\0".join(v for v in chain.from_iterable(map(dict.values, metas)) if v.__class__ is str)
    said = "\0".join(
        filter(None, chain(map(attrgetter("narration"), transactions), map(attrgetter("payee"), transactions)))
    )
    markup = "<" in texts or "=" in texts or "<" in said or "=" in said
    sources = set(map(type, map(dict.get, metas, repeat("source"))))
    postings = list(chain.from_iterable(map(attrgetter("postings"), transactions)))
    accounts = set(map(attrgetter("account"), postings))  # every account, for its entity
    numbers = list(map(attrgetter("units.number"), postings))
    cents = all(map(CENT.same_quantum, numbers)) and max(map(type(CENT).adjusted, numbers), default=0)
    return transactions[0].date, transactions[-1].date, kinds, pairs, markup, sources, accounts, cents


def _run_chain(entries, options):
    """The chain's functions once, as the loader runs them (without its sort)."""
    for plugin in chain.__plugins__:
        entries, _ = plugin(entries, options)
    return entries


if __name__ == "__main__":
    sys.exit(main())
