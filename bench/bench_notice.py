"""The notice atop Fava's own pages (the Leak model's `bounds` endpoint) against Fava's api/income_statement.

    python -m bench.bench_notice [-n 100000] [--repeat 7]

Both answer through Fava's Flask app (its test client, in one process) on the
same synthetic ledger (bench.synthetic) with the extension enabled, with no
time filter and with one (a year, a quarter): the notice reads a window
against the books' whole entries. It is measured *cold*: the extension's
models are emptied before each of its requests, so each builds the model and
the statements it reads, while Fava answers as it always does (its filtered
ledger built once per filter). Under a time filter it is measured a second
way, as a user meets it (`new window`): the books' model without the filter
is built already (the page without it was seen first), the window's is not.
Requests alternate (ABBA); the medians are compared per page and filter.
The account page's notice (of OpenAI's Due to Microsoft) also reads each
posting's range, in its journal view and in its views by period (`r=changes`,
`r=balances`). Under a tag filter (`-#generated`) the notice reads the books'
model, not one of the filtered entries, and counts what the filter leaves out
of each line. No target: the notice reads the model Fava's pages do not,
and is compared with its own earlier runs (the ratios); exits 0.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_notice.py` too

from bench.common import abba, arguments, synthetic_fava, timed_get  # noqa: E402

#: (page, time filter, more of the query): the synthetic books run 2023-01..2025-12.
CASES = (
    ("income_statement", "", ""),
    ("balance_sheet", "", ""),
    ("income_statement", "2024", ""),
    ("balance_sheet", "2024", ""),
    ("balance_sheet", "2024-Q2", ""),
    ("trial_balance", "", ""),
    ("account", "", ""),
    ("account", "2024", ""),
    ("account", "", "r=changes"),
    ("account", "", "r=balances"),
    ("account", "2024", "r=changes"),
    ("income_statement", "", "filter=-%23generated"),
    ("balance_sheet", "", "filter=-%23generated"),
    ("balance_sheet", "2024", "filter=-%23generated"),
    ("account", "", "filter=-%23generated"),
)
#: The account page's account: OpenAI's Due to Microsoft, which every accrual and net payment posts to.
ACCOUNT = "Liabilities:OpenAI:Due:Microsoft"


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=7)
    args = parser.parse_args(argv)

    with synthetic_fava(args.transactions) as books:
        slug, extension, client = books.slug, books.extension, books.client
        print(f"{args.transactions} transactions, {books.loaded}")
        for page, window, more in CASES:
            fava_query = "&".join(
                q for q in (f"time={window}" if window else "", more if "filter" in more else "") if q
            )
            of = f"&of={ACCOUNT}" if page == "account" else ""
            untimed = f"/{slug}/extension/LeakModel/bounds?page={page}{of}{'&' + more if more else ''}"
            urls = (
                f"/{slug}/api/income_statement{'?' + fava_query if fava_query else ''}",
                f"{untimed}{'&time=' + window if window else ''}",
            )
            for url in urls:  # first requests build Fava's filtered ledger
                timed_get(client, url)
            runs: list[list[float]] = [[], [], []]
            for order in abba(args.repeat):
                for side in order:
                    if side == 1:
                        extension.after_load_file()  # empty the extension's models: a full computation
                    runs[side].append(timed_get(client, urls[side])[0])
                if window:
                    extension.after_load_file()
                    timed_get(client, untimed)  # the page without a time filter, seen first
                    runs[2].append(timed_get(client, urls[1])[0])
            fava, notice = (statistics.median(times) for times in runs[:2])
            label = f"{page}{', time=' + window if window else ''}{', ' + more.replace('%23', '#') if more else ''}"
            line = (
                f"{label:<44} Fava api/income_statement {fava * 1000:7.1f} ms   "
                f"notice cold {notice * 1000:7.1f} ms ({notice / fava:5.2f}x)"
            )
            if window:
                new = statistics.median(runs[2])
                line += f"   new window {new * 1000:7.1f} ms ({new / fava:5.2f}x)"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
