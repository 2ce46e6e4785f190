"""The whole plugin chain from one plugin line: figures, then shares, then integrity.

    plugin "leakledger.plugins.chain"

does what the three plugin lines of ledger/main.beancount do, in the same
order. Beancount's loader sorts every entry after each plugin module (about
90 ms for 100k entries on the reference machine), so one module instead of
three saves two of those sorts; `python -m bench.bench_plugins --one-line`
measures it.
"""

from __future__ import annotations

from beancount import loader
from leakledger.plugins import figures, integrity, shares

__plugins__ = loader.combine_plugins(figures, shares, integrity)
