"""The Leak model's JSON endpoint against Fava's own api/income_statement, side by side.

    python -m bench.bench_fava [-n 100000] [--repeat 9]

Both answer through Fava's Flask app (its test client, in one process) on the
same synthetic ledger (bench.synthetic) with the extension enabled. The
extension keeps its tables per load and filter set, as Fava keeps its
filtered ledger; the target is measured *cold*: the extension's cache is
emptied before each of its requests, so every request computes
leakledger.reports' two tables and the links afresh, while Fava's
income_statement answers as it always does. Requests alternate (ABBA) and
the medians are compared; target: cold ratio at most 1.0x. The warm (cached)
ratio is printed beside it. Exits 1 on a FAIL.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_fava.py` too

from bench.common import abba, arguments, synthetic_fava, timed_get  # noqa: E402

TARGET = 1.0


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=9)
    args = parser.parse_args(argv)

    with synthetic_fava(args.transactions) as books:
        slug, extension, client = books.slug, books.extension, books.client
        print(f"{args.transactions} transactions, {books.loaded}")

        urls = (f"/{slug}/api/income_statement", f"/{slug}/extension/LeakModel/model")
        for url in urls:  # first requests build Fava's filtered ledger and trees
            timed_get(client, url)

        cold: list[list[float]] = [[], []]
        warm: list[float] = []
        for order in abba(args.repeat):
            for side in order:
                if side == 1:
                    extension.after_load_file()  # empty the extension's cache: a full computation
                cold[side].append(timed_get(client, urls[side])[0])
            warm.append(timed_get(client, urls[1])[0])

    fava, model = (statistics.median(times) for times in cold)
    cached = statistics.median(warm)
    ratio, warm_ratio = model / fava, cached / fava
    print(f"Fava api/income_statement       median {fava * 1000:8.1f} ms")
    print(
        f"Leak model endpoint, computed   median {model * 1000:8.1f} ms   ratio {ratio:.2f}x (target <= {TARGET:.1f}x)"
    )
    print(f"Leak model endpoint, cached     median {cached * 1000:8.1f} ms   ratio {warm_ratio:.2f}x")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"{verdict}: the Leak model endpoint answers in {ratio:.2f}x the time of Fava's income statement")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
