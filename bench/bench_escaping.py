"""Fava's journal rows escaped (leakledger.fava_ext.escaping) against Fava's own unescaped rows, side by side.

    python -m bench.bench_escaping [-n 20000] [--repeat 9]

Fava 1.30 renders journal rows with autoescaping off; `leakledger serve`
turns it back on in every template, so every payee, narration and metadata
value goes through markupsafe's escape. Two Fava apps on the same books,
one as Fava ships and one with the hook, answer the Journal's first page
(`api/journal_page`) and the whole journal of the account with the most
postings (`api/account_report`, the Account page), alternating (ABBA); the
medians are compared. The books: the shipped ones, then a synthetic ledger
of N transactions (bench.synthetic).

No target: this is what the escaping costs, printed so that a change in it
shows. (Escaping only the fields Fava leaves raw would be cheaper, and would
miss whatever a later Fava template prints raw; a Jinja `finalize` instead of
autoescaping escaped Fava's own macro output a second time.)
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_escaping.py` too

from bench.common import abba, arguments, timed_get  # noqa: E402
from bench.synthetic import write_ledger  # noqa: E402


def side_by_side(main_file: str, repeat: int) -> None:
    """Print each page's medians, as Fava ships and escaped, and their ratio."""
    from fava.application import create_app
    from leakledger.fava_ext.escaping import escape_everything

    plain, escaped = create_app([main_file], load=True), create_app([main_file], load=True)
    escape_everything(escaped)
    if plain.config["LEDGERS"].ledgers[0].extensions.extension_details:
        raise SystemExit(f"{main_file} loads a Fava extension: the Leak model's would escape both sides")
    slug = plain.config["LEDGERS"].first_slug()
    ledger = plain.config["LEDGERS"][slug]
    postings = Counter(p.account for e in ledger.all_entries for p in getattr(e, "postings", ()))
    account, count = postings.most_common(1)[0]
    print(f"{main_file}: {len(ledger.all_entries)} entries; {account} has {count} postings")
    clients = (plain.test_client(), escaped.test_client())
    pages = {
        "Journal, first page": f"/{slug}/api/journal_page?page=1&order=desc",
        f"Account page, {count} rows": f"/{slug}/api/account_report?a={account}&r=journal",
    }
    for name, url in pages.items():
        for client in clients:
            timed_get(client, url)  # compile the template, build the filtered ledger
        times: list[list[float]] = [[], []]
        sizes = [0, 0]
        for order in abba(repeat):
            for side in order:
                elapsed, sizes[side] = timed_get(clients[side], url)
                times[side].append(elapsed)
        fava, ours = (statistics.median(t) for t in times)
        print(
            f"  {name:<28} Fava as shipped {fava * 1000:8.1f} ms, escaped {ours * 1000:8.1f} ms, "
            f"ratio {ours / fava:.2f}x ({sizes[0]:,} and {sizes[1]:,} bytes)"
        )


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=9, transactions=20_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        # The shipped books load the Leak model extension, which installs the escaping: not here.
        books = Path(folder) / "ledger"
        shutil.copytree(Path(__file__).resolve().parent.parent / "ledger", books)
        fava = books / "fava.beancount"
        lines = fava.read_text(encoding="utf-8").splitlines(keepends=True)
        fava.write_text("".join(line for line in lines if '"fava-extension"' not in line), encoding="utf-8")
        side_by_side(str(books / "main.beancount"), args.repeat)
        side_by_side(str(write_ledger(folder, args.transactions).main.resolve()), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
