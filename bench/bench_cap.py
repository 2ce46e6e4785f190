"""What a revenue-share cap costs the shares plugin, measured side by side in one run.

    python -m bench.bench_cap [-n 20000] [--repeat 7]

The synthetic ledger of `bench.synthetic` (N transactions, one payment and
month of line items at a time), its entries loaded once without plugins;
then the shares plugin alone on those entries, and on the same entries with
one `custom "revenue-share-cap"` on OpenAI's revenue that binds half way
(its amount is half of OpenAI's share over the ledger, counted from the
first month). Runs alternate without/with, with/without (ABBA); the ratio
is that of the medians of CPU time. Target: at most 1.10x (holding every
OpenAI accrual to the cap is one sort and one pass over what the plugin
generates). Prints the ratio and PASS or FAIL; exits 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"

from beancount import loader  # noqa: E402
from beancount.parser import parser  # noqa: E402
from leakledger.plugins.shares import shares  # noqa: E402

from bench.synthetic import RATE, write_ledger  # noqa: E402
from leakledger import derived as D  # noqa: E402
from leakledger.model import A  # noqa: E402

TARGET = 1.10


def _cap_entries(amount: Decimal) -> list:
    text = (
        f'2023-01-01 custom "revenue-share-cap" {A.OAI_REVENUE} "Microsoft" {amount:.2f} USD\n'
        f'  counts-from: 2023-01-01\n  source: "benchmark"\n  kind: "assumed"\n'
    )
    entries, errors, _ = parser.parse_string(text)
    assert not errors, errors
    return entries


def main(argv=None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("-n", type=int, default=20_000, help="transactions in the synthetic ledger")
    args.add_argument("--repeat", type=int, default=7, help="runs of each side (ABBA order)")
    opts = args.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        files = write_ledger(Path(folder), opts.n)
        entries, errors, options = loader.load_file(str(files.bare))
    assert not errors, errors[:3]
    uncapped, _ = shares(entries, options)
    total = sum(
        (
            e.meta[D.SHARE].number
            for e in uncapped
            if e.meta and e.meta.get(D.RULE) == D.RULE_SHARE and e.meta.get(D.BASE_ACCOUNT) == A.OAI_REVENUE
        ),
        Decimal(0),
    )
    capped_input = sorted(
        entries + _cap_entries((total / 2).quantize(Decimal("0.01"))),
        key=lambda e: (e.date, 0 if hasattr(e, "type") else 1),
    )
    capped, errors = shares(capped_input, options)
    assert not errors, errors[:3]
    counted = [e for e in capped if e.meta and e.meta.get(D.RULE) == D.RULE_SHARE and e.meta.get(D.CAP_NOTE)]
    assert len(counted) == 1, "the cap binds once"

    samples = {"without": [], "with": []}
    order = ["without", "with", "with", "without"] * ((opts.repeat + 1) // 2)
    for side in order:
        books = entries if side == "without" else capped_input
        cpu = time.process_time()
        shares(books, options)
        samples[side].append(time.process_time() - cpu)
    without, with_cap = (statistics.median(samples[k]) for k in ("without", "with"))
    ratio = with_cap / without
    print(
        f"shares plugin on {opts.n:,} transactions ({RATE:.0%} of OpenAI revenue, "
        f"cap of {total / 2:,.2f} binding on {counted[0].date}): "
        f"without cap {without * 1000:.0f} ms, with {with_cap * 1000:.0f} ms (CPU, median of "
        f"{len(samples['with'])}): {ratio:.3f}x, target at most {TARGET:.2f}x: "
        f"{'PASS' if ratio <= TARGET else 'FAIL'}"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
