"""The Journal's `numbers` and `rules` endpoints: reading the load's model against walking the entries per request.

    python -m bench.bench_journal_endpoints [-n 100000] [--repeat 7]

LeakModel.js asks both on every Journal view. At 09402d8 each walked
Fava's entries on every request (`figures_of` over the custom entries,
`read_rules` over all); now each reads the model of the books as loaded
(`LeakModel.loaded_model`), built once per load. The walk is kept here as
an extra endpoint of the same extension (`<name>-walk`), so both answer
through Fava's Flask app (its test client, one process) on the same
synthetic ledger (bench.synthetic) and must answer the same bytes. The
model's side is measured two ways: `cold`, the extension's models emptied
before each request (the first request after a load builds the model), and
`built`, as a user meets it (the model is there: the bounds notice, which
every Fava page asks first, or the page without filters built it). CPU
time of the process per request, ABBA, medians. No target: the ratios are
printed for the README; exits 0.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_journal_endpoints.py` too

from bench.common import abba, arguments, synthetic_fava  # noqa: E402


def _walking_endpoints(extension) -> None:
    """The two endpoints as they were: a walk over Fava's entries per request, the same JSON made of it."""
    from beancount.core.data import Custom
    from flask import jsonify
    from leakledger.fava_ext import figure_numbers, rule_texts

    from leakledger.figures import figures_of
    from leakledger.rules import read_rules

    def numbers(self):
        return jsonify(
            {"figures": figure_numbers(figures_of(e for e in self.ledger.all_entries if isinstance(e, Custom)))}
        )

    def rules(self):
        return jsonify({"rules": rule_texts(read_rules(self.ledger.all_entries)[0])})

    extension.endpoints["numbers-walk", "GET"] = numbers
    extension.endpoints["rules-walk", "GET"] = rules


def _cpu_get(client, url: str) -> tuple[float, bytes]:
    """(CPU seconds, body) of one GET; exits on an answer but 200."""
    start = time.process_time()
    response = client.get(url)
    elapsed = time.process_time() - start
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed, response.data


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=7)
    args = parser.parse_args(argv)

    with synthetic_fava(args.transactions) as books:
        slug, extension, client = books.slug, books.extension, books.client
        _walking_endpoints(extension)
        print(f"{args.transactions} transactions, {books.loaded}")
        for name in ("numbers", "rules"):
            walk, model = (f"/{slug}/extension/LeakModel/{name}{suffix}" for suffix in ("-walk", ""))
            if _cpu_get(client, walk)[1] != _cpu_get(client, model)[1]:
                raise SystemExit(f"{name}: the walk and the model answer differently")
            runs: list[list[float]] = [[], [], []]
            for order in abba(args.repeat):
                for side in order:
                    if side == 1:
                        extension.after_load_file()  # a new load: the request builds the model
                    runs[side].append(_cpu_get(client, (walk, model)[side])[0])
                runs[2].append(_cpu_get(client, model)[0])  # the model built (by the request before)
            walked, cold, built = (statistics.median(times) for times in runs)
            print(
                f"{name:<8} walk {walked * 1000:8.1f} ms   model cold {cold * 1000:8.1f} ms ({cold / walked:6.2f}x)"
                f"   model built {built * 1000:8.2f} ms ({built / walked:6.3f}x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
