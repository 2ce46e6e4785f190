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
"""

from __future__ import annotations

from beancount import loader
from leakledger.plugins import figures, integrity, known_on, shares

__plugins__ = loader.combine_plugins(known_on, figures, shares, integrity)
