"""Fava's editor against `leakledger add` and the readers, on one multi-MB file; then stale attaches.

    python -m bench.race_fava [--seconds 60] [--adders 2] [--readers] [--year-mb 4] [--attach-rounds 8]

Starts a real `leakledger serve` on a copy of the shipped books. One thread
saves 2025.beancount through `PUT api/source` exactly as Fava's editor does
(the source and the sha256sum it last loaded or saved, plus one new comment
line `; race save N`); a save Fava refuses because the file changed reloads
the source and goes on. Meanwhile `--adders` threads run `leakledger add`
processes that record a training figure for one day of 2025 each, into the
same file. At the end every acknowledged save's line and every recorded
figure must be in the books, and `leakledger check` must be clean.

With `--readers`, 2025.beancount is first padded with comment lines to
`--year-mb` MB (Fava's editor then rewrites several MB on each save, and
empties the file first), a second editor saves main.beancount, a third one
saves the year file under the books' lock as Fava does but slowly (a slow
disk: the file stays half-written for a fraction of a second), and readers
run all along: `leakledger report --format csv` and `leakledger publish`
processes, and GETs of the Leak model endpoint at the address `serve`
printed. Each answer must be the one the books gave before the race (the
race adds comment lines and training figures, which none of them shows):
anything else, a failed run included, is a wrong answer, and a 404 at the
printed address is counted apart.

With `--attach-rounds N`, two `serve`s run on a fresh copy of the books and
each round attaches a document through Fava from a view that another
writer made stale just before: once after `leakledger add --supersede`
inserted a line above the target figure (server one), once after the other
server attached a document above it (server two). A refused attach is
retried from the reloaded view. Every document line must sit in its
target figure and the books must load clean: a broken or misplaced entry
counts, and so does a 404 at the address either server printed.

Prints what was done and what went wrong; exits 1 if anything was lost,
wrong, misplaced or not clean. tests/test_race_fava.py runs it for a few
seconds on every run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import serving

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "Race with Fava's editor"
FIRST_DAY = datetime.date(2025, 1, 1)


@dataclass
class Race:
    rounds: int = 0
    saves: list[int] = field(default_factory=list)  # acknowledged (HTTP 200) save numbers
    adds: list[datetime.date] = field(default_factory=list)  # days whose add said "recorded"
    add_failures: list[str] = field(default_factory=list)
    lost_saves: list[int] = field(default_factory=list)
    lost_adds: list[datetime.date] = field(default_factory=list)
    check: str = ""
    main_saves: list[int] = field(default_factory=list)  # acknowledged saves of main.beancount
    slow_saves: list[int] = field(default_factory=list)  # saves by the slow editor (under the lock)
    lost_main_saves: list[int] = field(default_factory=list)
    reads: Counter = field(default_factory=Counter)  # answers per reader: report, publish, model
    wrong: list[str] = field(default_factory=list)  # reader answers that differ from the books' own
    not_found: int = 0  # 404s at the address serve printed

    @property
    def clean(self) -> bool:
        return (
            not self.lost_saves
            and not self.lost_adds
            and not self.lost_main_saves
            and not self.add_failures
            and not self.wrong
            and not self.not_found
            and self.check == ""
        )


def _api(url: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"} if data else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body or b"{}")
        except ValueError:  # an HTML error page
            return error.code, {"error": body[:200].decode("utf-8", "replace")}


def _address_not_found(status: int, answer: dict) -> bool:
    """A 404 for the address itself (no such book), not Fava's answer that an entry hash names no entry.

    A stale attach is refused with 404 "No entry found for hash": that is the
    refusal the stale-view guard is for, and the address answered.
    """
    return status == 404 and not str(answer.get("error", "")).startswith("No entry found for hash")


def _saver(base: str, path: Path, until: float, race: Race, saves: list[int] | None = None) -> None:
    """Fava's editor: save the source it holds, with one more line, as fast as the server answers."""
    saves = race.saves if saves is None else saves
    get = f"{base}api/source?filename={urllib.request.quote(str(path))}"
    _, loaded = _api(get)
    source, sha = loaded["data"]["source"], loaded["data"]["sha256sum"]
    n = 0
    while time.monotonic() < until:
        n += 1
        race.rounds += 1
        text = source.rstrip("\n") + f"\n; race save {n}\n"
        status, answer = _api(f"{base}api/source", "PUT", {"file_path": str(path), "source": text, "sha256sum": sha})
        if status == 200:
            saves.append(n)
            source, sha = text, answer["data"]
            continue
        race.not_found += _address_not_found(status, answer)
        while time.monotonic() < until:  # "the file was changed externally": the editor reloads it
            status, loaded = _api(get)
            race.not_found += _address_not_found(status, loaded)
            if status == 200:
                source, sha = loaded["data"]["source"], loaded["data"]["sha256sum"]
                break


def pad(year: Path, megabytes: float) -> None:
    """Make a year file multi-MB with comment lines: every save then rewrites that much."""
    line = "; padding: a comment line that makes the year file as large as a busy year's\n"
    count = int(megabytes * 1_000_000 / len(line))
    with open(year, "a", encoding="utf-8") as handle:
        handle.write(line * count)


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LEAKLEDGER_FAULT"}
    return subprocess.run(["leakledger", *argv], capture_output=True, text=True, env=env, timeout=600)


def _slow_saver(year: Path, until: float, race: Race) -> None:
    """An editor on a slow disk: under the books' lock, it empties the year file and writes it back
    in 256 KB steps 20 ms apart, as Fava's `set_source` does in one go, with one more line each time.

    Fava's own save leaves the file half-written for a millisecond or so; this one for a fraction of
    a second, so a reader that ignores the lock is caught at it within seconds, not hours.
    """
    from leakledger.books_lock import BooksLock

    n = 0
    while time.monotonic() < until:
        n += 1
        with BooksLock(year.parent):
            text = year.read_text(encoding="utf-8").rstrip("\n") + f"\n; slow save {n}\n"
            with open(year, "w", encoding="utf-8") as handle:
                for start in range(0, len(text), 256_000):
                    handle.write(text[start : start + 256_000])
                    handle.flush()
                    time.sleep(0.02)
        race.slow_saves.append(n)
        time.sleep(0.1)


def _report(ledger: Path) -> str:
    done = _run(["report", "--format", "csv", "--ledger", str(ledger)])
    return done.stdout if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()}"


_DOWNLOADS = ("report-year.csv", "report-half.csv", "report-quarter.csv")


def _publish(ledger: Path, out: Path) -> str:
    done = _run(["publish", str(out), "--ledger", str(ledger), "--scenario", "azure-openai-growth"])
    if done.returncode != 0:
        return f"exit {done.returncode}: {done.stderr.strip()}"
    return "".join((out / "downloads" / name).read_text(encoding="utf-8") for name in _DOWNLOADS)


def _model(base: str, race: Race) -> str:
    status, answer = _api(f"{base}extension/LeakModel/model")
    race.not_found += _address_not_found(status, answer)
    if status != 200:
        return f"HTTP {status}"
    return json.dumps({"errors": answer.get("errors"), "period_table": answer.get("period_table")}, sort_keys=True)


def _reader(name: str, read, expected: str, until: float, race: Race) -> None:
    """Ask one reader again and again; every answer must be the books' own."""
    while time.monotonic() < until:
        answer = read()
        race.reads[name] += 1
        if answer != expected:
            race.wrong.append(f"{name}: {answer[:300]!r}")


def _readers(base: str, ledger: Path, out: Path, race: Race) -> list[tuple]:
    """(name, read, expected) of each reader: how to ask it, and what the books answered before the race."""
    jobs = {
        "report": lambda: _report(ledger),
        "publish": lambda: _publish(ledger, out),
        "model": lambda: _model(base, race),
    }
    found = []
    for name, read in jobs.items():
        expected = read()
        if expected.startswith(("exit ", "HTTP ")):
            raise RuntimeError(f"{name} failed before the race: {expected}")
        found.append((name, read, expected))
    return found


def _adder(ledger: Path, days: queue.Queue[datetime.date], until: float, race: Race) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LEAKLEDGER_FAULT"}
    while time.monotonic() < until:
        day = days.get_nowait()
        amount = f"{(day - FIRST_DAY).days + 1}M"
        done = subprocess.run(
            [
                "leakledger",
                "add",
                "training",
                amount,
                "--period",
                day.isoformat(),
                "--source",
                SOURCE,
                "--ledger",
                str(ledger),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        if done.returncode == 0:
            race.adds.append(day)
        else:
            race.add_failures.append(done.stderr.strip())


def race(ledger: Path, seconds: float, adders: int = 2, *, readers: bool = False, year_mb: float = 0) -> Race:
    """Run the race on the books at `ledger` (a copy: it is written) and check what is left.

    `readers`: a second editor saves main.beancount, and report, publish and
    the Leak model endpoint are asked all along (see the module doc).
    """
    from leakledger.books import load_books
    from leakledger.figures import figures_of

    year = ledger.parent / "2025.beancount"
    if year_mb:
        pad(year, year_mb)
    result = Race()
    with tempfile.TemporaryDirectory() as temp, serving("--ledger", str(ledger)) as base:
        asked = _readers(base, ledger, Path(temp) / "site", result) if readers else []  # before the race
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=_reader, args=(*reader, until, result)) for reader in asked]
        days: queue.Queue = queue.Queue()
        for n in range(365):
            days.put(FIRST_DAY + datetime.timedelta(days=n))
        threads += [threading.Thread(target=_saver, args=(base, year, until, result))]
        if readers:
            threads.append(threading.Thread(target=_saver, args=(base, ledger, until, result, result.main_saves)))
            threads.append(threading.Thread(target=_slow_saver, args=(year, until, result)))
        threads += [threading.Thread(target=_adder, args=(ledger, days, until, result)) for _ in range(adders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    text = year.read_text(encoding="utf-8")
    result.lost_saves = [n for n in result.saves if f"; race save {n}\n" not in text]
    result.lost_saves += [-n for n in result.slow_saves if f"; slow save {n}\n" not in text]
    main_text = ledger.read_text(encoding="utf-8")
    result.lost_main_saves = [n for n in result.main_saves if f"; race save {n}\n" not in main_text]
    entries, _, _ = load_books(ledger)
    recorded = {f.period.start for f in figures_of(entries) if f.metric == "training" and f.posting}
    result.lost_adds = [day for day in result.adds if day not in recorded]
    check = subprocess.run(["leakledger", "check", "--ledger", str(ledger)], capture_output=True, text=True)
    result.check = "" if check.returncode == 0 else check.stdout + check.stderr
    return result


@dataclass
class Attaches:
    rounds: int = 0  # attaches asked for, from a view made stale just before
    landed_first_time: int = 0  # answered 200 from the stale view
    refused_stale: int = 0  # refused: the reloaded book had no entry with the stale hash; retried
    failed: list[str] = field(default_factory=list)  # an attach that did not land even from a fresh view
    misplaced: list[str] = field(default_factory=list)  # a document line in another entry than its target
    broken: str = ""  # the books' errors after the race
    not_found: int = 0  # 404s at the addresses the two servers printed

    @property
    def clean(self) -> bool:
        return not self.failed and not self.misplaced and self.broken == "" and not self.not_found

    def ask(self, url: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
        """_api, counting a 404 at a printed address."""
        status, answer = _api(url, method, body)
        self.not_found += _address_not_found(status, answer)
        return status, answer


def _header_line(year: Path, link: str) -> int | None:
    for n, line in enumerate(year.read_text(encoding="utf-8").splitlines(), 1):
        if line.endswith(f"^{link}"):
            return n
    return None


def _hash_of(base: str, year: Path, link: str, result: Attaches) -> str:
    """The entry hash Fava gives the figure written with `^link`, once its view has the file as it is."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, answer = result.ask(f"{base}api/journal?filter={urllib.request.quote('^' + link)}")
        line = _header_line(year, link)
        for entry in answer.get("data", []):
            meta = entry.get("meta", {})
            if entry.get("t") == "Transaction" and meta.get("filename") == str(year) and meta.get("lineno") == line:
                return entry["entry_hash"]
        time.sleep(0.05)  # Fava's watcher has not seen the change yet
    raise RuntimeError(f"Fava at {base} never showed ^{link}")


def _attach(base: str, year: Path, link: str, stale_hash: str, name: str, result: Attaches) -> None:
    """Attach `name` to the figure ^link from a stale view; if refused, once more from the reloaded one."""
    result.rounds += 1
    body = {"filename": name, "entry_hash": stale_hash}
    status, answer = result.ask(f"{base}api/attach_document", "PUT", body)
    if status == 200:
        result.landed_first_time += 1
        return
    result.refused_stale += 1
    body["entry_hash"] = _hash_of(base, year, link, result)
    status, answer = result.ask(f"{base}api/attach_document", "PUT", body)
    if status != 200:
        result.failed.append(f"{name}: HTTP {status} {answer}")


def _training(ledger: Path, day: datetime.date, amount: str, *more: str) -> str:
    """Record a training figure for one day with `leakledger add` (`more`: e.g. --supersede); its link."""
    argv = ["add", "training", amount, "--period", day.isoformat(), "--source", SOURCE, *more]
    done = _run([*argv, "--ledger", str(ledger)])
    if done.returncode != 0:
        raise RuntimeError(f"add failed: {done.stderr.strip()}")
    return f"training-{day.isoformat()}"


def attach_race(ledger: Path, rounds: int) -> Attaches:
    """Stale attaches on the books at `ledger` (a copy: it is written), with two servers; see the module doc."""
    from leakledger.books import error_line, load_books

    year = ledger.parent / "2025.beancount"
    result = Attaches()
    targets: dict[str, str] = {}  # document -> link of the figure it must sit in
    with serving("--ledger", str(ledger)) as one, serving("--ledger", str(ledger)) as two:
        for i in range(1, rounds + 1):
            # Attach vs supersede: the superseded figure, above the target, gains a line.
            _training(ledger, datetime.date(2025, 1, i), "1M")
            target = _training(ledger, datetime.date(2025, 2, i), "1M")
            stale = _hash_of(one, year, target, result)
            _training(ledger, datetime.date(2025, 1, i), "2M", "--supersede")
            targets[f"supersede-{i}.pdf"] = target
            _attach(one, year, target, stale, f"supersede-{i}.pdf", result)
            # Two servers: server two attaches above the target, then server one attaches from its view.
            above = _training(ledger, datetime.date(2025, 3, i), "1M")
            target = _training(ledger, datetime.date(2025, 4, i), "1M")
            above_hash, stale = _hash_of(two, year, above, result), _hash_of(one, year, target, result)
            targets[f"above-{i}.pdf"] = above
            status, answer = result.ask(
                f"{two}api/attach_document", "PUT", {"filename": f"above-{i}.pdf", "entry_hash": above_hash}
            )
            if status != 200:  # from a fresh view: this one must land
                result.failed.append(f"above-{i}.pdf: HTTP {status} {answer}")
            targets[f"two-servers-{i}.pdf"] = target
            _attach(one, year, target, stale, f"two-servers-{i}.pdf", result)
    header = ""
    placed = {}
    for line in year.read_text(encoding="utf-8").splitlines():
        if line[:1].isdigit():
            header = line
        elif line.strip().startswith("document"):
            placed[line.split('"')[1]] = header.rsplit("^", 1)[-1]
    result.misplaced = [
        f"{name} is on ^{placed.get(name)}, not ^{link}" for name, link in targets.items() if placed.get(name) != link
    ]
    errors = load_books(ledger)[1]
    result.broken = "; ".join(error_line(e) for e in errors[:3])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--adders", type=int, default=2)
    parser.add_argument("--readers", action="store_true", help="report, publish and the Leak model all along")
    parser.add_argument("--year-mb", type=float, default=4, help="with --readers: pad 2025.beancount to this size")
    parser.add_argument("--attach-rounds", type=int, default=0, help="then this many rounds of stale attaches")
    args = parser.parse_args(argv)
    clean = True
    with tempfile.TemporaryDirectory() as temp:
        ledger = Path(temp) / "ledger"
        shutil.copytree(ROOT / "ledger", ledger, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
        mb = args.year_mb if args.readers else 0
        result = race(ledger / "main.beancount", args.seconds, args.adders, readers=args.readers, year_mb=mb)
        size = (ledger / "2025.beancount").stat().st_size / 1e6
        print(
            f"{args.seconds:.0f} s, 2025.beancount {size:.1f} MB at the end: {result.rounds} rounds of Fava's "
            f"editor, {len(result.saves)} saves of the year file and {len(result.main_saves)} of main.beancount "
            f"acknowledged, {len(result.slow_saves)} slow saves of the year file, {len(result.adds)} adds recorded; lost: "
            f"{len(result.lost_saves) + len(result.lost_main_saves)} saves, {len(result.lost_adds)} figures; "
            f"check {'clean' if not result.check else 'NOT clean'}"
        )
        if args.readers:
            asked = ", ".join(f"{n} {name}" for name, n in sorted(result.reads.items()))
            print(
                f"readers: {asked}; wrong answers: {len(result.wrong)}; 404s at the printed address: {result.not_found}"
            )
        for failure in [*result.add_failures[:5], *result.wrong[:5]]:
            print(f"  {failure}")
        clean = result.clean
    if args.attach_rounds:
        with tempfile.TemporaryDirectory() as temp:
            ledger = Path(temp) / "ledger"
            shutil.copytree(ROOT / "ledger", ledger, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
            attaches = attach_race(ledger / "main.beancount", args.attach_rounds)
        print(
            f"stale attaches, two servers: {attaches.rounds} attaches ({attaches.landed_first_time} landed from "
            f"the stale view, {attaches.refused_stale} refused and retried); failed {len(attaches.failed)}, "
            f"misplaced {len(attaches.misplaced)}, books {'clean' if not attaches.broken else 'BROKEN'}; "
            f"404s at the printed addresses: {attaches.not_found}"
        )
        for problem in [*attaches.failed, *attaches.misplaced, attaches.broken][:5]:
            if problem:
                print(f"  {problem}")
        clean = clean and attaches.clean
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
