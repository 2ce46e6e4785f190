"""`leakledger publish` against a Fava page load of the same 100k-transaction ledger, side by side.

    python -m bench.bench_publish [-n 100000] [--repeat 1] [--known-since quarterly|own]

Both sides run in fresh processes on the same synthetic books
(bench.synthetic, with the Leak model extension enabled), alternating
(ABBA when repeated), and the medians of their CPU time (user + system, so
other work on a shared machine does not tilt the ratio) are compared:

- publish: `leakledger publish OUT --ledger main.beancount`, the whole
  command (start, load the books, every page, the write);
- a Fava page load: what a reader waits for from `leakledger serve` to the
  Leak model page: Fava loads the books and renders the page (its Flask app,
  in one process, with the extension's first computation).

Target: publish takes at most 1.5 Fava page loads. Also printed, with no
target: the publish work after its load against three renders of the Leak
model page in a Fava that has the books loaded already (the extension's
cache emptied before each, so each computes its tables), and the timeline's
part of publish (it runs the plugins and the model once per knowledge date).

The books' knowledge dates (bench.synthetic.KNOWN_SINCE): "quarterly" (the
default) gives every entry the `known-since:` of a quarterly filing, 45 days
after its quarter, as books whose figures all say when they became public
(the shipped books, `add`); "own" leaves it out, so every entry counts from
its own date: a knowledge date for every day with an entry, the timeline's
worst case (it grows with days x entries). Exits 1 on a FAIL.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/bench_publish.py` too

from bench.common import EXTENSION_LINE, arguments  # noqa: E402
from bench.synthetic import KNOWN_SINCE, write_ledger  # noqa: E402

TARGET = 1.5
PAGES = 3

#: One Fava page load, then PAGES renders of the same page with the extension's cache emptied.
_FAVA = """
import json, sys, time
start = time.process_time()
from fava.application import create_app
app = create_app([sys.argv[1]], load=True)
slug = app.config["LEDGERS"].first_slug()
client = app.test_client()
url = f"/{slug}/extension/LeakModel/"
response = client.get(url)
cold = time.process_time() - start
assert response.status_code == 200, response.status_code
extension = app.config["LEDGERS"][slug].extensions.get_extension("LeakModel")
warm = []
for _ in range(int(sys.argv[2])):
    extension.after_load_file()
    t = time.process_time()
    assert client.get(url).status_code == 200
    warm.append(time.process_time() - t)
print(json.dumps({"cold": cold, "warm": warm}))
"""

#: publish, with its loads and its timeline timed apart (the functions the command calls).
_PUBLISH = """
import json, sys, time
from pathlib import Path
import leakledger.books as books
import leakledger.parsed_books as parsed_books
import leakledger.publish as publish
import leakledger.timeline as timeline
spent = {"load": 0.0, "timeline": 0.0}
inside = []
def timed(function, part):
    def run(*args, **kwargs):
        t = time.process_time()
        inside.append(part)
        try:
            return function(*args, **kwargs)
        finally:
            inside.pop()
            if not inside:  # a load inside the timeline is the timeline's
                spent[part] += time.process_time() - t
    return run
# Parsing the books, loading them (as known on a day), load_clean of the other top-level books: the load.
parsed_books.ParsedBooks.__init__ = timed(parsed_books.ParsedBooks.__init__, "load")
parsed_books.ParsedBooks.load = timed(parsed_books.ParsedBooks.load, "load")
books.load_clean = timed(books.load_clean, "load")  # publish imports these when it runs
timeline.timeline = timed(timeline.timeline, "timeline")
start = time.process_time()
publish.publish(Path(sys.argv[2]), Path(sys.argv[1]))
print(json.dumps({"total": time.process_time() - start, **spent}))
"""


def _cpu(command: list[str]) -> tuple[float, dict]:
    """CPU seconds (user + system) the command's process took, and what it printed as JSON."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])}: exit {done.returncode}: {done.stderr.strip()[-500:]}")
    return elapsed, json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = arguments(__doc__, repeat=1)
    parser.add_argument("--known-since", choices=KNOWN_SINCE, default="quarterly")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        main_file = write_ledger(Path(folder) / "books", args.transactions, known_since=args.known_since).main
        with main_file.open("a", encoding="utf-8") as books:
            books.write(EXTENSION_LINE)
        out = Path(folder) / "site"
        publish_cmd = [sys.executable, "-c", _PUBLISH, str(main_file), str(out)]
        fava_cmd = [sys.executable, "-c", _FAVA, str(main_file), str(PAGES)]
        runs: dict[str, list] = {"publish": [], "fava": []}
        for r in range(args.repeat):
            order = ("publish", "fava") if r % 2 == 0 else ("fava", "publish")
            for side in order:
                runs[side].append(_cpu(publish_cmd if side == "publish" else fava_cmd))
        pages = sum(1 for p in out.rglob("*.html"))

    publish_cpu = statistics.median(cpu for cpu, _ in runs["publish"])
    fava_cpu = statistics.median(cpu for cpu, _ in runs["fava"])
    build = statistics.median(inner["total"] - inner["load"] for _, inner in runs["publish"])
    warm = statistics.median(t for _, inner in runs["fava"] for t in inner["warm"])
    ratio = publish_cpu / fava_cpu
    timeline_cpu = statistics.median(inner["timeline"] for _, inner in runs["publish"])
    print(f"{args.transactions} transactions, known {args.known_since}; the site has {pages} pages")
    print(f"leakledger publish (whole command)        median {publish_cpu:8.1f} s CPU")
    print(f"Fava page load (start, load, Leak model)  median {fava_cpu:8.1f} s CPU")
    print(f"ratio publish / Fava page load: {ratio:.2f} (target <= {TARGET:.1f})")
    print(
        f"  no target: publish after its load {build:.1f} s, of which the timeline {timeline_cpu:.1f} s; "
        f"Leak model page render in a loaded Fava {warm:.2f} s (x{PAGES} = {PAGES * warm:.1f} s): "
        f"{build / (PAGES * warm):.2f}"
    )
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"{verdict}: publishing {args.transactions} transactions takes {ratio:.2f}x the time of a Fava page load")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
