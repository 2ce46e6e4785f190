"""The whole plugin chain from one plugin line: as-of, figures, then shares, then integrity.

    plugin "leakledger.plugins.chain"
    plugin "leakledger.plugins.chain" "{'as-of': '2025-11-13'}"   # the books as known that day

does what the plugin lines of ledger/main.beancount did, in the same order.
Beancount's loader sorts every entry after each plugin module (about 90 ms
for 100k entries on the reference machine), so one module instead of three
saves two of those sorts; `python -m bench.bench_plugins --one-line`
measures it. Beancount hands the config to every function of the chain: the
as-of filter (leakledger.plugins.known_on) reads it first, so the figures
plugin sees only what was known; the others take no config.

The cyclic garbage collector is paused while the chain runs (and resumed
after it, as it was): the chain makes objects by the hundred thousand on
large books, and each collection that triggers walks the whole loaded heap
(on 100k figures, collections cost more than the chain's own work). The
chain makes no reference cycles to collect, so nothing accumulates. On
resuming, what was made while paused goes straight to the oldest generation
(`gc.freeze()` then `gc.unfreeze()`, which moves objects and walks none):
left young, the 100k books' new entries were walked by a young collection
and again by a middle one before they settled, 0.23 s of CPU per load
(measured with `gc.callbacks`); the full collections stay as many (11 per
load of the 100k no-metric books, with the chain or without it).
"""

from __future__ import annotations

import gc
import threading

from beancount import loader
from leakledger.plugins import figures, integrity, known_on, shares

_paused = threading.local()  # per thread: Fava reloads in its own thread


def _pause_collector(entries, options_map, config=None):
    """First in the chain: pause the cyclic garbage collector, remembering whether it ran."""
    _paused.was_enabled = gc.isenabled()
    gc.disable()
    return entries, []


def _resume_collector(entries, options_map, config=None):
    """Last in the chain: resume the collector if it ran before (the loader runs this even after a plugin fails)."""
    if getattr(_paused, "was_enabled", False):
        _paused.was_enabled = False
        gc.freeze()  # the objects made while it was paused go to the oldest generation at once (freeze, then
        gc.unfreeze()  # unfreeze): not walked again by a young collection, then by a middle one, before they settle
        gc.enable()
    return entries, []


__plugins__ = [
    _pause_collector,
    *loader.combine_plugins(known_on, figures, shares, integrity),
    _resume_collector,
]
