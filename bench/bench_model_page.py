"""The Leak model page against Fava's own Income Statement page, side by side, on the same books.

    python -m bench.bench_model_page [-n 100000] [--repeat 7]

Both pages are answers of Fava's Flask app (its test client, in one
process) on the same synthetic ledger (bench.synthetic) with the extension
enabled. Fava 1.30 draws its Income Statement in the browser: its page is
the HTML and the `api/income_statement` data the page fetches, both timed;
the Leak model page embeds its data in its HTML. The Leak model builds its model (leakledger.book_model.BookModel)
once per load and set of filters, as Fava builds its own modules in
`load_file`; measured *cold*, its cache is emptied before each request (what
the first view after a load costs: one walk over the entries and the
tables), and *warm* (every later view with the same filters). Requests
alternate (ABBA) and the medians are compared; target: cold ratio at most
1.0x. It also counts how many times a cold view walks the entries (target: 1).
Exits 1 on a FAIL.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_model_page.py` too

from bench.common import abba, arguments, counting_model_entries, synthetic_fava, verdict  # noqa: E402

TARGET = 1.0


def _timed(client, urls: tuple[str, ...]) -> float:
    gc.collect()
    start = time.perf_counter()
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=7)
    args = parser.parse_args(argv)

    import leakledger.fava_ext as extension_module

    given, _ = counting_model_entries(extension_module)
    with synthetic_fava(args.transactions) as books:
        slug, ledger, extension, client = books.slug, books.ledger, books.extension, books.client
        urls = (
            (f"/{slug}/income_statement/", f"/{slug}/api/income_statement"),
            (f"/{slug}/extension/LeakModel/",),
        )
        for url in urls:  # first requests build Fava's filtered ledger and trees
            _timed(client, url)

        cold: list[list[float]] = [[], []]
        warm: list[float] = []
        walks: list[int] = []
        for order in abba(args.repeat):
            for side in order:
                if side == 1:
                    extension.after_load_file()  # empty the extension's cache: a new model
                    before = len(given)
                cold[side].append(_timed(client, urls[side]))
                if side == 1:
                    walks.append(sum(entries.walks for entries in given[before:]))
            warm.append(_timed(client, urls[1]))

    fava, page = (statistics.median(times) for times in cold)
    cached = statistics.median(warm)
    ratio = page / fava
    print(f"{args.transactions} transactions, {len(ledger.all_entries)} entries with the generated ones")
    print(f"Fava Income Statement (page+data) median {fava * 1000:8.1f} ms")
    print(f"Leak model page, model built      median {page * 1000:8.1f} ms   ratio {ratio:.2f}x (target <= {TARGET})")
    print(f"Leak model page, model reused     median {cached * 1000:8.1f} ms   ratio {cached / fava:.2f}x")
    print(f"walks over the entries per cold page view: {sorted(set(walks))} (target: [1])")
    result = verdict(ratio, TARGET) if set(walks) == {1} else "FAIL"
    print(f"{result}: the Leak model page answers in {ratio:.2f}x the time of Fava's Income Statement page")
    return 0 if result == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
