"""The saved queries of two queries files side by side, on the same loaded books, in one run.

    python -m bench.bench_queries OTHER.beancount [FOLDER] [-n 100000] [--repeat 6]

OTHER is another version of ledger/queries.beancount (the one before a
change: `git show main:ledger/queries.beancount > /tmp/old.beancount`);
the books' own file is the second side. Each query both files save runs on
the shipped books and on `bench.synthetic` books of N transactions (written
into FOLDER, or a temporary folder), loaded once, through beanquery in this
process, the two versions in ABBA order. Printed per query: each side's
median CPU time (parse, compile and run: bean-query and Fava's Query page
pay all three) and its parse time alone, and the ratio of the medians.
BeanQuery's parser (tatsu) costs about as much as the text is long and
nested, so on small books parsing is nearly all of it.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_queries.py` too

from bench.common import abba, arguments  # noqa: E402
from bench.synthetic import write_ledger  # noqa: E402

LEDGER = Path(__file__).resolve().parent.parent / "ledger"
#: A saved query as the books write it: `DATE query "NAME" "TEXT"`, TEXT with `\\` for each backslash.
_SAVED = re.compile(r'^\d{4}-\d\d-\d\d query "([^"]+)" "(.*?)"\n', re.S | re.M)


def saved_queries(path: Path) -> dict[str, str]:
    """{name: query text} of a queries file, its string escapes undone as Beancount reads them."""
    return {m.group(1): m.group(2).replace("\\\\", "\\") for m in _SAVED.finditer(path.read_text(encoding="utf-8"))}


def cpu(run) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def main(argv=None) -> None:
    parser = arguments(__doc__, repeat=6)
    parser.add_argument("other", type=Path, help="the other version of ledger/queries.beancount")
    parser.add_argument("folder", nargs="?", type=Path, help="where to write the synthetic books")
    args = parser.parse_args(argv)

    import beanquery
    from beancount import loader
    from beanquery import parser as bql

    sides = (saved_queries(args.other), saved_queries(LEDGER / "queries.beancount"))
    names = [name for name in sides[1] if name in sides[0]]
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-queries-"))
    synthetic = write_ledger(folder, transactions=args.transactions, seed=0).main
    for label, path in (("shipped books", LEDGER / "main.beancount"), (f"{args.transactions:,} synthetic", synthetic)):
        entries, errors, options = loader.load_file(str(path))
        connection = beanquery.connect("beancount:", entries=entries, errors=errors, options=options)
        print(f"{label} ({len(entries)} entries): other | this, median CPU s of {args.repeat} runs each")
        for name in names:
            runs: tuple[list[float], list[float]] = ([], [])
            for order in abba(args.repeat):
                for side in order:
                    runs[side].append(cpu(lambda q=sides[side][name], c=connection: c.execute(q).fetchall()))
            parse = [cpu(lambda q=sides[side][name]: bql.parse(q)) for side in (0, 1)]
            old, new = (statistics.median(r) for r in runs)
            print(
                f"    {name:<22} {old:6.3f} | {new:6.3f}  (parse {parse[0]:.3f} | {parse[1]:.3f})"
                f"  ratio {new / old:.2f}x"
            )


if __name__ == "__main__":
    main()
