"""A synthetic ledger of N transactions on the model's accounts, for benchmarks.

    from bench.synthetic import write_ledger
    files = write_ledger(folder, transactions=100_000, seed=0)
    files.main   # top-level file with the plugin chain (one plugin line, as the books)
    files.bare   # the same entries and options, without the plugins

`write_ledger(folder: str | os.PathLike, transactions: int = 100_000, *,
seed: int = 0, months: int = 36) -> LedgerFiles` writes into `folder`
(created if missing):

- `accounts.beancount`: an `open` for every account of `leakledger.model`
  and the three 20% `revenue-share` rules of the shipped books;
- `entries.beancount`: exactly `transactions` transactions over `months`
  months from 2023-01: one net revenue-share payment a month (`metric:
  "revenue-share"`, `period-start:`), and line items (no `metric:`, so they
  are not figures) of OpenAI revenue, Bing and Azure OpenAI revenue
  (the share bases, which read every posting), posted with
  `leakledger.model.postings_for`;
- `main.beancount` and `bare.beancount`, the two top-level files.

Every third month has no OpenAI revenue line items, so the plugins imply
its revenue; in the other months the payment is exactly OpenAI's share less
Microsoft's, so every Due account is zero after each settlement. Every
entry has `source:` and one kind tag: the books load without errors.
The same arguments always write the same bytes.

As a script: `python -m bench.synthetic FOLDER [-n TRANSACTIONS] [--seed S]`.
"""

from __future__ import annotations

import argparse
import datetime
import random
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from leakledger.amounts import CENT
from leakledger.model import ACCOUNTS, PAYMENT_METRIC, A, postings_for, share_of
from leakledger.periods import month_end

__all__ = ["LedgerFiles", "write_ledger", "RATE"]

#: The shipped books' rate, both ways.
RATE = Decimal("0.20")
_RULES = ((A.OAI_REVENUE, "Microsoft"), (A.MS_BING, "OpenAI"), (A.MS_AZURE_OPENAI, "OpenAI"))
#: Line-item metrics and their weights among the line items.
#: Only the revenue bases: every posting to one accrues its share, so line items there are read.
#: A compute line item that is no figure is an error (plugins/integrity.py): reports read compute by figure.
_ITEMS = (("revenue", 60), ("bing-revenue", 20), ("azure-openai-revenue", 20))
_OPTIONS = 'option "title" "leakledger synthetic benchmark"\noption "operating_currency" "USD"\n'
#: As the shipped books load them: the whole chain from one plugin line.
_PLUGINS = 'plugin "leakledger.plugins.chain"\n'
_INCLUDES = 'include "accounts.beancount"\ninclude "entries.beancount"\n'


class LedgerFiles(NamedTuple):
    main: Path  # with the plugin chain
    bare: Path  # the same books without plugins


def _months(count: int) -> list[tuple[int, int]]:
    return [(2023 + i // 12, i % 12 + 1) for i in range(count)]


def _transaction(day, narration, tag, legs, meta=(), link=None) -> str:
    head = f'{day} * "{narration}" #{tag}' + (f" ^{link}" if link else "")
    lines = [head, '  source: "synthetic benchmark ledger"']
    lines += [f"  {key}: {value}" for key, value in meta]
    lines += [f"  {account}  {units:.2f} USD" for account, units in legs]
    return "\n".join(lines) + "\n"


def _accounts_text() -> str:
    opens = [f"2019-01-01 open {account} USD\n" for account in ACCOUNTS]
    rules = [
        f'2019-07-22 custom "revenue-share" {base} "{payee}" {RATE}\n'
        f'  source: "synthetic benchmark ledger"\n  kind: "assumed"\n'
        for base, payee in _RULES
    ]
    return "".join(opens) + "\n" + "\n".join(rules)


def _entries_text(transactions: int, seed: int, months: int) -> str:
    rng = random.Random(seed)
    periods = _months(months)
    items = max(transactions - len(periods), 0)
    periods = periods[:transactions] if items == 0 else periods
    metrics = [m for m, _ in _ITEMS]
    weights = [w for _, w in _ITEMS]
    per_month: list[list[tuple]] = [[] for _ in periods]
    for _ in range(items):
        index = rng.randrange(len(periods))
        implied = index % 3 == 2
        metric = rng.choices(metrics, weights)[0]
        if metric == "revenue" and implied:
            metric = "bing-revenue"  # months whose revenue the plugins imply
        year, month = periods[index]
        day = datetime.date(year, month, rng.randint(1, month_end(year, month).day))
        amount = Decimal(rng.randint(100_000, 10_000_000)) * CENT
        per_month[index].append((day, metric, amount))

    chunks = []
    for index, ((year, month), month_items) in enumerate(zip(periods, per_month)):
        month_items.sort(key=lambda item: item[0])
        totals = {m: Decimal(0) for m in metrics}
        for n, (day, metric, amount) in enumerate(month_items):
            totals[metric] += amount
            chunks.append(
                _transaction(
                    day, f"{metric} line item {year}-{month:02d} #{n}", "assumed", postings_for(metric, amount)
                )
            )
        microsoft = share_of(totals["bing-revenue"], RATE) + share_of(totals["azure-openai-revenue"], RATE)
        if index % 3 == 2:  # no OpenAI revenue recorded: any positive payment
            payment = microsoft + Decimal(rng.randint(1_000_000, 50_000_000)) * CENT
        else:
            payment = share_of(totals["revenue"], RATE) - microsoft
        start, end = datetime.date(year, month, 1), month_end(year, month)
        chunks.append(
            _transaction(
                end,
                f"Revenue share OpenAI paid Microsoft, net ({year}-{month:02d})",
                "leaked",
                postings_for(PAYMENT_METRIC, payment),
                meta=(("metric", f'"{PAYMENT_METRIC}"'), ("period-start", start.isoformat())),
                link=f"revenue-share-{year}-{month:02d}",
            )
        )
    return "\n".join(chunks)


def write_ledger(folder, transactions: int = 100_000, *, seed: int = 0, months: int = 36) -> LedgerFiles:
    """Write the synthetic books into `folder`; return their two top-level files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accounts.beancount").write_text(_accounts_text(), encoding="utf-8")
    (folder / "entries.beancount").write_text(_entries_text(transactions, seed, months), encoding="utf-8")
    main, bare = folder / "main.beancount", folder / "bare.beancount"
    main.write_text(_OPTIONS + _PLUGINS + _INCLUDES, encoding="utf-8")
    bare.write_text(_OPTIONS + _INCLUDES, encoding="utf-8")
    return LedgerFiles(main, bare)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic leakledger ledger for benchmarks.")
    parser.add_argument("folder")
    parser.add_argument("-n", "--transactions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    files = write_ledger(args.folder, args.transactions, seed=args.seed)
    print(f"{files.main}\n{files.bare}")


if __name__ == "__main__":
    main()
