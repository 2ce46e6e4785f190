"""What the hardening tests check after every input: the books are clean and whole.

`bean_check` runs Beancount's own `bean-check` command (its click command,
in-process, without the cache, with its hardcore validations), so "nothing
is ever written that makes bean-check fail" is checked by bean-check itself.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from beancount.core import data
from beancount.scripts.check import main as bean_check_command
from click.testing import CliRunner

_DIRECTIVE = re.compile(r"^\d{4}-\d{2}-\d{2}\s", re.MULTILINE)


def bean_check(ledger: Path) -> str:
    """bean-check's error output for the ledger ('' when it passes)."""
    result = CliRunner().invoke(bean_check_command, [str(ledger), "--no-cache"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    output = result.output.strip()
    return output or ("" if result.exit_code == 0 else f"bean-check exited {result.exit_code}")


def restore(folder: Path, before: dict[str, bytes]) -> None:
    """Put a folder back as a conftest.snapshot() saw it: same files, same bytes."""
    for path in sorted(folder.rglob("*"), reverse=True):
        name = str(path.relative_to(folder))
        if path.is_file() and name not in before:
            path.unlink()
    for name, content in before.items():
        path = folder / name
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def directive_count(folder: Path) -> int:
    """Dated lines (directive headers) in every .beancount file under a folder."""
    return sum(len(_DIRECTIVE.findall(p.read_text(encoding="utf-8"))) for p in folder.rglob("*.beancount"))


def shape(entries) -> Counter:
    """How many directives of each type, hand-written transactions apart from generated ones."""

    def kind(entry):
        if isinstance(entry, data.Transaction):
            return "generated" if "generated" in entry.tags else "transaction"
        return type(entry).__name__

    return Counter(map(kind, entries))


def accounts(entries) -> set[str]:
    return {e.account for e in entries if isinstance(e, data.Open)}


def lost_lines(before: dict[str, bytes], folder: Path) -> list[str]:
    """Lines of the books before a change that are not, in order, in the books after.

    Spacing aside: the writer re-aligns amounts as bean-format does. A write
    only ever inserts lines (an entry, an include, `superseded-by:`), so
    every line that was there must still be there: this is "nothing lost".
    """
    lost = []
    for name, content in before.items():
        if not name.endswith(".beancount"):
            continue
        path = folder / name
        after = (
            iter(" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines())
            if path.exists()
            else iter(())
        )
        for line in content.decode("utf-8").splitlines():
            wanted = " ".join(line.split())
            if not any(found == wanted for found in after):
                lost.append(f"{name}: {line}")
                break
    return lost
