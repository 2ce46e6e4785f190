"""`leakledger --help` must not import pandas or Fava: shown with `python -X importtime`.

Runs the console script's entry point under `-X importtime` for `--help` (and
the help of the commands this issue added), lists every module imported, and
fails if pandas or fava is among them. Prints the total import time.

    python bench/bench_help_imports.py
"""

from __future__ import annotations

import re
import subprocess
import sys

FORBIDDEN = ("pandas", "fava")
_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def imports_of(argv: list[str]) -> list[tuple[str, int, int]]:
    """(module, self µs, top-level cumulative µs or 0) for everything `leakledger ARGV` imports."""
    code = f"import sys; sys.argv = ['leakledger', *{argv!r}]; from leakledger.__main__ import main; main()"
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"leakledger {' '.join(argv)} failed: {done.stderr[-500:]}")
    rows = []
    for line in done.stderr.splitlines():
        if m := _LINE.match(line):
            self_us, cumulative_us, indent, module = int(m[1]), int(m[2]), m[3], m[4]
            top = cumulative_us if len(indent) <= 1 else 0
            rows.append((module, self_us, top))
    return rows


def main() -> int:
    failed = False
    for argv in (["--help"], ["add", "--help"], ["import", "--help"], ["check", "--help"]):
        rows = imports_of(argv)
        heavy = sorted({m for m, _, _ in rows if m.split(".")[0] in FORBIDDEN})
        total_ms = sum(top for _, _, top in rows) / 1000
        verdict = "OK: imports neither pandas nor fava" if not heavy else f"FAIL: imports {', '.join(heavy)}"
        print(
            f"leakledger {' '.join(argv):<14} {len(rows):4d} modules, total import time {total_ms:6.1f} ms  {verdict}"
        )
        failed |= bool(heavy)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
