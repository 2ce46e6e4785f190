"""Fava's editor against `leakledger add`, on one file, as fast as both can go.

    python -m bench.race_fava [--seconds 60] [--adders 2]

Starts a real `leakledger serve` on a copy of the shipped books. One thread
saves 2025.beancount through `PUT api/source` exactly as Fava's editor does
(the source and the sha256sum it last loaded or saved, plus one new comment
line `; race save N`); a save Fava refuses because the file changed reloads
the source and goes on. Meanwhile `--adders` threads run `leakledger add`
processes that record a training figure for one day of 2025 each, into the
same file. At the end every acknowledged save's line and every recorded
figure must be in the books, and `leakledger check` must be clean.

Prints rounds (save attempts), saves acknowledged, adds recorded and what
was lost; exits 1 if anything was lost or check is not clean.
tests/test_race_fava.py runs it for a few seconds on every run.
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

    @property
    def clean(self) -> bool:
        return not self.lost_saves and not self.lost_adds and not self.add_failures and self.check == ""


def _api(url: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"} if data else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _saver(base: str, path: Path, until: float, race: Race) -> None:
    """Fava's editor: save the source it holds, with one more line, as fast as the server answers."""
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
            race.saves.append(n)
            source, sha = text, answer["data"]
        else:  # "the file was changed externally": the editor reloads it
            _, loaded = _api(get)
            source, sha = loaded["data"]["source"], loaded["data"]["sha256sum"]


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


def race(ledger: Path, seconds: float, adders: int = 2) -> Race:
    """Run the race on the books at `ledger` (a copy: it is written) and check what is left."""
    from leakledger.books import load_books
    from leakledger.figures import figures_of

    year = ledger.parent / "2025.beancount"
    result = Race()
    with serving("--ledger", str(ledger)) as base:
        until = time.monotonic() + seconds
        days: queue.Queue = queue.Queue()
        for n in range(365):
            days.put(FIRST_DAY + datetime.timedelta(days=n))
        threads = [threading.Thread(target=_saver, args=(base, year, until, result))]
        threads += [threading.Thread(target=_adder, args=(ledger, days, until, result)) for _ in range(adders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    text = year.read_text(encoding="utf-8")
    result.lost_saves = [n for n in result.saves if f"; race save {n}\n" not in text]
    entries, _, _ = load_books(ledger)
    recorded = {f.period.start for f in figures_of(entries) if f.metric == "training" and f.posting}
    result.lost_adds = [day for day in result.adds if day not in recorded]
    check = subprocess.run(["leakledger", "check", "--ledger", str(ledger)], capture_output=True, text=True)
    result.check = "" if check.returncode == 0 else check.stdout + check.stderr
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--adders", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        ledger = Path(temp) / "ledger"
        shutil.copytree(ROOT / "ledger", ledger, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
        result = race(ledger / "main.beancount", args.seconds, args.adders)
    print(
        f"{args.seconds:.0f} s: {result.rounds} rounds of Fava's editor, {len(result.saves)} saves acknowledged, "
        f"{len(result.adds)} adds recorded; lost: {len(result.lost_saves)} saves, {len(result.lost_adds)} figures; "
        f"check {'clean' if not result.check else 'NOT clean'}"
    )
    for failure in result.add_failures[:5]:
        print(f"add failed: {failure}")
    return 0 if result.clean else 1


if __name__ == "__main__":
    sys.exit(main())
