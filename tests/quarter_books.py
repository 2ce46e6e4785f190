"""A copy of the shipped books that records the leak at its own grain: seven quarters.

docs/sources.md, "The leak, quarter by quarter": the net revenue share and the
inference spend for 2024-Q1 to 2025-Q3. The copy drops the 2024 and 2025-H1
totals and records their quarters instead (2025-Q3 is already a quarter), so
its views can be checked with seven quarters whatever the shipped books hold.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

from conftest import LEDGER_DIR

D = Decimal
#: quarter: (net revenue share, inference spend), docs/sources.md.
QUARTERS = {
    "2024-Q1": (D("77300000"), D("546800000")),
    "2024-Q2": (D("109500000"), D("748300000")),
    "2024-Q3": (D("139200000"), D("1005000000")),
    "2024-Q4": (D("167800000"), D("1467000000")),
    "2025-Q1": (D("206400000"), D("2075000000")),
    "2025-Q2": (D("248300000"), D("2947000000")),
    "2025-Q3": (D("411100000"), D("3648000000")),
}
_ENDS = {"Q1": ("01-01", "03-31"), "Q2": ("04-01", "06-30"), "Q3": ("07-01", "09-30"), "Q4": ("10-01", "12-31")}
#: The totals the quarters replace in the copy.
_TOTALS = ("revenue-share-2024", "inference-2024", "revenue-share-2025-h1", "inference-2025-h1")
_LEGS = {
    "revenue-share": (
        "Liabilities:OpenAI:Due:Microsoft",
        "Assets:OpenAI:Cash",
        "Assets:Microsoft:Cash",
        "Assets:Microsoft:Due:OpenAI",
    ),
    "inference": (
        "Expenses:OpenAI:Compute:Inference",
        "Assets:OpenAI:Cash",
        "Assets:Microsoft:Cash",
        "Income:Microsoft:Azure:OpenAICompute",
    ),
}


def quarter_entry(metric: str, quarter: str, amount: Decimal) -> str:
    year, q = quarter.split("-")
    start, end = _ENDS[q]
    legs = "".join(f"\n  {account}  {sign}{amount:.2f} USD" for account, sign in zip(_LEGS[metric], ("", "-", "", "-")))
    return (
        f'\n{year}-{end} * "{metric} ({quarter})" #leaked ^{metric}-{quarter.lower()}\n'
        f'  metric: "{metric}"\n  period-start: {year}-{start}\n'
        f'  source: "Ed Zitron, Where\'s Your Ed At, 2025-11-12"{legs}\n'
    )


def _without(text: str, links) -> str:
    """A ledger file's text without the entries that carry one of these links (whatever else they link)."""
    blocks = re.split(r"\n(?=\d{4}-\d{2}-\d{2} )", text)
    return "\n".join(
        b for b in blocks if not any(re.search(rf"\^{re.escape(link)}(\s|$)", b.split("\n", 1)[0]) for link in links)
    )


def quarter_books(dest: Path) -> Path:
    """Copy the books into `dest` with the seven quarters and no recorded revenue; returns its main.beancount."""
    folder = dest / "ledger"
    shutil.copytree(LEDGER_DIR, folder, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    for year in ("2024", "2025"):
        path = folder / f"{year}.beancount"
        text = _without(
            path.read_text(encoding="utf-8"),
            # The first leak's books: without the second leak's audited revenue, the quarters imply revenue.
            [*_TOTALS, *(f"{m}-{q.lower()}" for q in QUARTERS for m in _LEGS), f"revenue-{year}"],
        )
        for quarter, (net, spend) in QUARTERS.items():
            if quarter.startswith(year):
                text += quarter_entry("revenue-share", quarter, net) + quarter_entry("inference", quarter, spend)
        path.write_text(text, encoding="utf-8")
    return folder / "main.beancount"
