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

As a script: `python -m bench.synthetic FOLDER [-n TRANSACTIONS] [--seed S] [--shape S] [--known-since own|quarterly]`.
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

__all__ = ["LedgerFiles", "SHAPES", "write_ledger", "RATE"]

#: The shapes of books users write (`write_ledger(shape=...)`):
#: "items"     line items without `metric:` or `period-start:` (no figures) and a monthly payment figure;
#: "no-metric" every line item a one-day figure with `period-start:` and no `metric:`
#:             (read by its accounts), on a day of its own per metric (past ~730k transactions the
#:             horizon's days are full: the rest are line items; `_items_daily`);
#: "metric"    "no-metric" with each one-day figure naming its metric (`metric:`), as Fava's forms and
#:             `leakledger add` write them;
#: "refined"   "no-metric", and a quarter figure (`metric:`) over each quarter its days cover
#:             and a year figure over each year its quarters cover: days refine quarters refine years;
#: "cap"       "items", and a `revenue-share-cap` on OpenAI's revenue that binds half way.
SHAPES = ("items", "no-metric", "metric", "refined", "cap")
#: The shapes whose figures fill the horizon's days (from 1900), each on a day of its own.
_DAILY_SHAPES = ("no-metric", "metric", "refined")
#: When the entries became known (`write_ledger(known_since=...)`):
#: "own"       no `known-since:`: each counts from its own date (a knowledge date a day: the timeline's worst case);
#: "quarterly" `known-since:` 45 days after its quarter ends, as a quarterly filing makes a quarter public.
KNOWN_SINCE = ("own", "quarterly")
#: Days from a quarter's end to its filing (shape "quarterly").
_FILED_AFTER = datetime.timedelta(days=45)

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


def _accounts_text(opened: str = "2019-01-01", ruled: str = "2019-07-22") -> str:
    opens = [f"{opened} open {account} USD\n" for account in ACCOUNTS]
    rules = [
        f'{ruled} custom "revenue-share" {base} "{payee}" {RATE}\n'
        f'  source: "synthetic benchmark ledger"\n  kind: "assumed"\n'
        for base, payee in _RULES
    ]
    return "".join(opens) + "\n" + "\n".join(rules)


def _items_random(transactions: int, seed: int, months: int):
    """Shape "items": line items on random days of `months` months."""
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
        per_month[index].append((day, metric, amount, False))
    for month_items in per_month:
        month_items.sort(key=lambda item: item[0])
    return periods, per_month, rng


_DAILY_FROM = 1900
_DAILY_TO = 2200  # the books' horizon (leakledger.periods.HORIZON): no figure may be dated after it
#: One-day figures of these metrics fill the horizon's days again once the share bases have filled them:
#: figures of other metrics never overlap the bases' (refinement and overlaps are per metric).
_MORE_METRICS = ("inference", "training", "investment", "losses-share")


def _amount(rng) -> Decimal:
    return Decimal(rng.randint(100_000, 10_000_000)) * CENT


#: A day's OpenAI revenue is this many times a Microsoft base's: with one figure a day of each, OpenAI's 20%
#: then exceeds Microsoft's in every month, so each net payment is positive, as a revenue-share figure must be.
_REVENUE_SCALE = 3


def _lifted(items: list, implied: bool) -> list:
    """A month's items with its last OpenAI revenue item raised, where needed, so that OpenAI's 20% of the
    month's revenue exceeds Microsoft's 20% of its bases by at least 10,000.00: the net payment, their
    difference, is then positive, as a revenue-share figure must be. Deterministic, no draw of the generator."""
    at = [n for n, item in enumerate(items) if item[1] == "revenue"]
    if implied or not at:
        return items
    revenue = sum((item[2] for item in items if item[1] == "revenue"), Decimal(0))
    bases = sum((item[2] for item in items if item[1] in ("bing-revenue", "azure-openai-revenue")), Decimal(0))
    short = bases - revenue + Decimal(50_000)  # 20% of 50,000 is the 10,000.00 left to pay
    if short <= 0:
        return items
    day, metric, amount, figure = items[at[-1]]
    return [*items[: at[-1]], (day, metric, amount + short, figure), *items[at[-1] + 1 :]]


def _daily_amount(rng, metric: str) -> Decimal:
    amount = _amount(rng)
    return amount * _REVENUE_SCALE if metric == "revenue" else amount


def _items_daily(transactions: int, seed: int):
    """Shapes "no-metric", "metric" and "refined": one-day figures, each the only one of its metric on its day.

    First one a day per base (no OpenAI revenue in implied months), month by month from 1900-01:
    to 2003 at 100k. The horizon (2200) holds ~290k of those; past it the same days take one figure
    a day of each of `_MORE_METRICS` (up to ~730k in all), and past that the rest are line items
    on the bases without `period-start:` (no figures), spread over the months: a million
    transactions fit. Items are (day, metric, amount, is a figure).
    """
    rng = random.Random(seed)
    periods, per_month, left, index = [], [], transactions, 0
    while left > 1 and _DAILY_FROM + index // 12 <= _DAILY_TO:  # one payment a month, at least one line item
        year, month = _DAILY_FROM + index // 12, index % 12 + 1
        left -= 1
        bases = [m for m, _ in _ITEMS if not (m == "revenue" and index % 3 == 2)]
        items = []
        for day in range(1, month_end(year, month).day + 1):
            for metric in bases:
                if left == 0:
                    break
                items.append((datetime.date(year, month, day), metric, _daily_amount(rng, metric), True))
                left -= 1
        periods.append((year, month))
        per_month.append(items)
        index += 1
    for metric in _MORE_METRICS:  # only once the horizon is full
        for (year, month), items in zip(periods, per_month):
            for day in range(1, month_end(year, month).day + 1):
                if left == 0:
                    break
                items.append((datetime.date(year, month, day), metric, _amount(rng), True))
                left -= 1
    n = 0
    while left > 0:  # line items, no figures: a month at a time, round the horizon
        index = n % len(periods)
        (year, month), n = periods[index], n + 1
        metric = _ITEMS[n % 3][0] if index % 3 != 2 else _ITEMS[1 + n % 2][0]
        day = datetime.date(year, month, rng.randint(1, month_end(year, month).day))
        per_month[index].append((day, metric, _daily_amount(rng, metric), False))
        left -= 1
    for items in per_month:
        items.sort(key=lambda item: item[0])
    return periods, per_month, rng


def _quarter_and_year_figures(periods, per_month) -> list[tuple]:
    """(date, metric, period-start, amount) of each quarter every day of which has an item of the metric,
    and of each year whose four quarters do: exactly their parts' sum, so nothing is left over."""
    days: dict = {}
    for (year, month), items in zip(periods, per_month):
        for _day, metric, amount, figure in items:
            if figure:
                days.setdefault((metric, year, (month - 1) // 3), []).append(amount)
    quarters: dict = {}
    out = []
    for (metric, year, q), amounts in days.items():
        start = datetime.date(year, 3 * q + 1, 1)
        end = month_end(year, 3 * q + 3)
        if len(amounts) == (end - start).days + 1:
            quarters.setdefault((metric, year), []).append(sum(amounts, Decimal(0)))
            out.append((end, metric, start, sum(amounts, Decimal(0))))
    for (metric, year), totals in quarters.items():
        if len(totals) == 4:
            out.append((datetime.date(year, 12, 31), metric, datetime.date(year, 1, 1), sum(totals, Decimal(0))))
    return out


#: Figures dated after this are #assumed (a forecast): only an assumed figure may lie in the future
#: (plugins/integrity.py), and the daily shapes past ~130k transactions run beyond today. A fixed
#: day, not today: the same arguments always write the same bytes.
_LEAKED_UNTIL = datetime.date(2025, 12, 31)


def _kind_on(day: datetime.date) -> str:
    return "leaked" if day <= _LEAKED_UNTIL else "assumed"


def _filed(day: datetime.date) -> datetime.date:
    """The day a quarterly filing makes `day`'s quarter public."""
    return month_end(day.year, 3 * ((day.month - 1) // 3) + 3) + _FILED_AFTER


def _entries_text(transactions: int, seed: int, months: int, shape: str, known_since: str = "own") -> str:
    def known(day: datetime.date) -> tuple:
        return (("known-since", _filed(day).isoformat()),) if known_since == "quarterly" else ()

    if shape in _DAILY_SHAPES:
        periods, per_month, rng = _items_daily(transactions, seed)
    else:
        periods, per_month, rng = _items_random(transactions, seed, months)
    metrics = [m for m, _ in _ITEMS]
    chunks = []
    for index, ((year, month), month_items) in enumerate(zip(periods, per_month)):
        month_items = _lifted(month_items, implied=index % 3 == 2)
        totals = {m: Decimal(0) for m in metrics}
        for n, (day, metric, amount, figure) in enumerate(month_items):
            if metric in totals:
                totals[metric] += amount
            chunks.append(
                _transaction(
                    day,
                    f"{metric} line item {year}-{month:02d} #{n}",
                    "assumed",
                    postings_for(metric, amount),
                    meta=(_figure_meta(metric, day, named=shape == "metric") if figure else ()) + known(day),
                )
            )
        microsoft = share_of(totals["bing-revenue"], RATE) + share_of(totals["azure-openai-revenue"], RATE)
        if index % 3 == 2 or not totals["revenue"]:  # no OpenAI revenue recorded: any positive payment
            payment = microsoft + Decimal(rng.randint(1_000_000, 50_000_000)) * CENT
        else:
            payment = share_of(totals["revenue"], RATE) - microsoft
        if payment <= 0:  # a revenue-share figure is a positive total (`model.sign_error`): such books would not load
            raise ValueError(f"{year}-{month:02d}: the synthetic net payment {payment} is not positive")
        start, end = datetime.date(year, month, 1), month_end(year, month)
        chunks.append(
            _transaction(
                end,
                f"Revenue share OpenAI paid Microsoft, net ({year}-{month:02d})",
                _kind_on(end),
                postings_for(PAYMENT_METRIC, payment),
                meta=(("metric", f'"{PAYMENT_METRIC}"'), ("period-start", start.isoformat()), *known(end)),
                link=f"revenue-share-{year}-{month:02d}",
            )
        )
    if shape == "refined":
        for end, metric, start, amount in _quarter_and_year_figures(periods, per_month):
            chunks.append(
                _transaction(
                    end,
                    f"{metric} {start} to {end}",
                    _kind_on(end),
                    postings_for(metric, amount),
                    meta=(("metric", f'"{metric}"'), ("period-start", start.isoformat()), *known(end)),
                )
            )
    return "\n".join(chunks)


def _figure_meta(metric: str, day: datetime.date, *, named: bool) -> tuple:
    """A one-day figure's metadata: `period-start:`, and `metric:` where the shape names it."""
    return ((("metric", f'"{metric}"'),) if named else ()) + (("period-start", day.isoformat()),)


def _cap_text(transactions: int, seed: int, months: int) -> str:
    """A cap on OpenAI's revenue share that binds half way: half of its share over the "items" books."""
    periods, per_month, _ = _items_random(transactions, seed, months)
    revenue = sum((a for items in per_month for _, m, a, _ in items if m == "revenue"), Decimal(0))
    return (
        f'{periods[0][0]}-01-01 custom "revenue-share-cap" {A.OAI_REVENUE} "Microsoft" '
        f"{share_of(revenue, RATE) / 2:.2f} USD\n"
        f'  counts-from: {periods[0][0]}-01-01\n  source: "synthetic benchmark ledger"\n  kind: "assumed"\n'
    )


def write_ledger(
    folder,
    transactions: int = 100_000,
    *,
    seed: int = 0,
    months: int = 36,
    shape: str = "items",
    known_since: str = "own",
) -> LedgerFiles:
    """Write the synthetic books of one of SHAPES into `folder`, known as KNOWN_SINCE says; return their top files."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; known: {', '.join(SHAPES)}")
    if known_since not in KNOWN_SINCE:
        raise ValueError(f"unknown known_since {known_since!r}; known: {', '.join(KNOWN_SINCE)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    daily = shape in _DAILY_SHAPES
    accounts = _accounts_text(f"{_DAILY_FROM}-01-01", f"{_DAILY_FROM}-01-01") if daily else _accounts_text()
    (folder / "accounts.beancount").write_text(accounts, encoding="utf-8")
    (folder / "entries.beancount").write_text(
        _entries_text(transactions, seed, months, shape, known_since), encoding="utf-8"
    )
    if shape == "cap":
        with (folder / "accounts.beancount").open("a", encoding="utf-8") as out:
            out.write("\n" + _cap_text(transactions, seed, months))
    main, bare = folder / "main.beancount", folder / "bare.beancount"
    main.write_text(_OPTIONS + _PLUGINS + _INCLUDES, encoding="utf-8")
    bare.write_text(_OPTIONS + _INCLUDES, encoding="utf-8")
    return LedgerFiles(main, bare)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic leakledger ledger for benchmarks.")
    parser.add_argument("folder")
    parser.add_argument("-n", "--transactions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shape", choices=SHAPES, default="items")
    parser.add_argument("--known-since", choices=KNOWN_SINCE, default="own")
    args = parser.parse_args(argv)
    files = write_ledger(args.folder, args.transactions, seed=args.seed, shape=args.shape, known_since=args.known_since)
    print(f"{files.main}\n{files.bare}")


if __name__ == "__main__":
    main()
