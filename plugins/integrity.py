"""Integrity plugin: the checks that keep two entities' books honest.

Runs last, over hand-written and generated entries alike:

- every transaction balances within OpenAI's accounts and within
  Microsoft's accounts, each on its own;
- every account belongs to one of the two entities;
- every hand-written transaction and figure record has `source:` (text)
  and exactly one kind (a tag on a transaction, `kind:` on a record);
- every hand-written entry is dated within the horizon (1900 to 2200,
  leakledger.periods.HORIZON), where Fava's date arithmetic cannot overflow;
- no hand-written payee, narration or metadata text looks like markup
  (`<tag`, `on...=`): Fava 1.30 shows journal rows unescaped (the Fava
  extension and `leakledger serve` escape them again; this says where the
  text is, so it is fixed in the books too);
- only an assumed figure may lie in the future: a leaked, disclosed,
  reported or claimed figure dated after today is a typo or a forecast
  dressed as a fact;
- every metadata key the plugins and readers use holds what it must
  (leakledger.metadata: a date, text, an amount), a `custom "figure"`
  record is `"METRIC" AMOUNT`, and every hand-written amount has at most 15
  digits before the point and 2 after: a wrong one would crash a reader or
  be read as something else;
- a hand-written transaction that posts to the model's accounts (the Due,
  revenue-share and compute accounts) is read as a figure: one without
  `period-start:` would move the model's balances unseen (revenue line
  items are read: every posting to a base account accrues its share).

It touches every entry, so the per-transaction work is planned once per
distinct list of accounts (imported line items share a handful of shapes;
a trie finds the plan without allocating: a large ledger's garbage
collector passes cost more than the checks)
and the kind count once per tag set. A transaction within one entity only
needs Beancount's own balance check, which covers every entry; the sums
here are for transactions that span both entities.
"""

from __future__ import annotations

import collections
import datetime
import re
from decimal import Decimal

from beancount.core import data
from beancount.core.convert import get_weight

from leakledger.account_lists import ByAccounts
from leakledger.amounts import CENT, MAX_AMOUNT, MAX_DIGITS, amount_error
from leakledger.figures import FIGURE_TYPE, kinds_of, metrics_posted
from leakledger.metadata import (
    SUSPECT_MARKUP,
    SUSPECT_VALUE,
    custom_errors,
    number_of,
    screen,
    shown,
    text_of,
    value_errors,
)
from leakledger.model import ENTITIES, FUTURE_KINDS, GENERATED_TAG, KINDS, METRICS, A, entity_of, with_article
from leakledger.periods import HORIZON, horizon_error

__plugins__ = ("integrity",)

IntegrityError = collections.namedtuple("IntegrityError", "source message entry")

#: Half a cent: what Beancount itself tolerates for two-decimal amounts.
TOLERANCE = Decimal("0.005")
_KINDS = frozenset(KINDS)
_OUTSIDE = f"outside the two entities ({', '.join(ENTITIES)})"
_FIRST_DAY = datetime.date(HORIZON[0], 1, 1)
_LAST_DAY = datetime.date(HORIZON[1], 12, 31)
#: Text a browser would read as markup: a tag opening, or an inline event handler.
_MARKUP = re.compile(r"<\s*[a-z!/?]|\bon[a-z]+\s*=", re.IGNORECASE)
#: The loader's own metadata: where an entry was written, not text someone wrote.
_PLACE = frozenset({"filename", "lineno"})
#: The accounts the model reads only through figures: a posting to one that is not a figure's
#: would move a balance that no report, settlement or implied revenue sees. The revenue
#: base accounts are not among them: the shares plugin accrues every posting to them, so
#: imported revenue line items are read (docs/model.md, "Scale").
MODEL_ACCOUNTS = (
    A.OAI_DUE_TO_MS,
    A.OAI_DUE_FROM_MS,
    A.MS_DUE_TO_OAI,
    A.MS_DUE_FROM_OAI,
    A.OAI_SHARE_INCOME,
    A.OAI_SHARE_EXPENSE,
    A.MS_SHARE_INCOME,
    A.MS_SHARE_EXPENSE,
    A.OAI_INFERENCE,
    A.OAI_TRAINING,
    A.MS_AZURE_COMPUTE,
)
#: Components an account may have: the model's have 3 to 4; Fava's account tree recurses per level.
MAX_ACCOUNT_DEPTH = 32
#: Keys the figures plugin checks itself on a transaction it reads as a figure (one error per problem).
_FIGURES_CHECK = ("period-start:", "superseded-by:")
#: Keys the provenance check reads on transactions and figure records (`_provenance_errors`).
_PROVENANCE_CHECK = ("source:", "kind:")


def _is_model_account(account: str) -> bool:
    return any(account == a or account.startswith(a + ":") for a in MODEL_ACCOUNTS)


def _typed_errors(entry, problems: list[str] | None = None) -> list[IntegrityError]:
    """Metadata of the wrong type, a malformed figure record, an amount out of bounds: errors at the line."""
    if problems is None:
        problems = value_errors(entry)
    if problems and isinstance(entry, data.Transaction) and entry.meta.get("metric") in METRICS:
        problems = [p for p in problems if not p.startswith(_FIGURES_CHECK)]
        if number_of(entry.meta.get("cumulative")) is None:  # the figures plugin says it must be an amount
            problems = [p for p in problems if not p.startswith(("cumulative:", "cumulative-start:"))]
        elif "cumulative" in entry.meta:  # ... and checks cumulative-start against the date
            problems = [p for p in problems if not p.startswith("cumulative-start:")]
    elif problems and text_of(entry.meta.get("status")) == "superseded" and "narration" in entry.meta:
        # a figure transaction the figures plugin made a record: it checked superseded-by
        problems = [p for p in problems if not p.startswith("superseded-by:")]
    if isinstance(entry, data.Transaction) or (isinstance(entry, data.Custom) and entry.type == FIGURE_TYPE):
        problems = [p for p in problems if not p.startswith(_PROVENANCE_CHECK)]
    if isinstance(entry, data.Custom) and entry.type == FIGURE_TYPE:
        problems += custom_errors(entry)
    return [IntegrityError(entry.meta, problem, entry) for problem in problems]


def _amount_error(entry) -> IntegrityError:
    """A hand-written posting amount with more than 15 digits before the point or 2 after: one error per entry."""
    bad = []
    for posting in entry.postings:
        units = posting.units
        if units is None:
            continue
        number = units.number
        if number.__class__ is Decimal and (
            number > MAX_AMOUNT or number < -MAX_AMOUNT or number.quantize(CENT) != number
        ):
            bad.append(posting)
    more = f" (and {len(bad) - 1} more posting(s))" if len(bad) > 1 else ""
    return IntegrityError(entry.meta, f"{bad[0].account}: {amount_error(bad[0].units.number)}{more}", entry)


def _superseded_record_errors(records, figure_links: dict[str, str]) -> list[IntegrityError]:
    """A record whose `superseded-by:` names no figure of its metric: readers would drop it unseen."""
    errors = []
    for entry in records:
        link = entry.meta["superseded-by"].removeprefix("^")
        metric = entry.values[0].value if entry.values else None
        newer = figure_links.get(link)
        if newer is None:
            message = f"superseded-by: {link!r} names no figure's link (the newer figure's ^link, without the ^)"
        elif newer != metric:
            message = f"superseded-by: {link!r} names a figure of {newer}; {with_article(str(metric))} record is superseded by a figure of {metric}"
        else:
            continue
        errors.append(IntegrityError(entry.meta, f"{message}; readers leave a superseded record out", entry))
    return errors


def _unread_figure_error(entry, touched) -> IntegrityError | None:
    """A hand-written transaction that posts to the model's accounts but is not read as a figure."""
    if "metric" in entry.meta:
        return None  # read as a figure, or the figures plugin says why not
    accounts = ", ".join(touched)
    if "period-start" not in entry.meta:
        fits = metrics_posted(entry)
        metric = f'metric: "{fits[0]}"' if len(fits) == 1 else f"metric: (one of {', '.join(METRICS)})"
        return IntegrityError(
            entry.meta,
            f"this transaction posts to the model's {accounts} but is not read as a figure: it has no "
            f"`period-start:`. Add period-start: YYYY-MM-DD (its period's first day; the date is the last) "
            f"and {metric}, or record it with leakledger add",
            entry,
        )
    if len(metrics_posted(entry)) > 1:
        return None  # the figures plugin asks which metric
    return IntegrityError(
        entry.meta,
        f"this transaction posts to the model's {accounts} but is not read as a figure: its accounts are not "
        f"one metric's legs; add metric: (one of {', '.join(METRICS)}) with that metric's postings",
        entry,
    )


def _markup_errors(entry) -> list[IntegrityError]:
    """Payee, narration and every text metadata value of a hand-written entry that a browser would read as markup."""
    fields = [(field, getattr(entry, field, None)) for field in ("payee", "narration")]
    fields += [(f"{key}:", value) for key, value in entry.meta.items() if key not in _PLACE and value.__class__ is str]
    errors = []
    for field, text in fields:
        if text and ("<" in text or "=" in text) and (match := _MARKUP.search(text)):
            errors.append(
                IntegrityError(
                    entry.meta, f"hand-written {field} looks like markup ({match[0]!r}); write it as plain text", entry
                )
            )
    return errors


def _may_hold_markup(entry) -> bool:
    """A cheap first look (most entries hold no '<' or '=' in any text) before the pattern runs."""
    for text in (getattr(entry, "payee", None), getattr(entry, "narration", None), *entry.meta.values()):
        if text.__class__ is str and ("<" in text or "=" in text):
            return True
    return False


def _provenance_errors(entry, kinds) -> list[IntegrityError]:
    errors = []
    transaction = isinstance(entry, data.Transaction)
    what = "transaction" if transaction else "figure record"
    source = entry.meta.get("source")
    if not source:
        errors.append(IntegrityError(entry.meta, f"hand-written {what} has no source: metadata", entry))
    elif not isinstance(source, str):
        errors.append(
            IntegrityError(
                entry.meta, f'source: {source} must be text in quotes, e.g. source: "Who published it"', entry
            )
        )
    if len(kinds) != 1:
        found = ", ".join(sorted(kinds)) or (
            f"kind: {shown(entry.meta['kind'])}" if not transaction and "kind" in entry.meta else "none"
        )
        how = "tag (#leaked, ...)" if transaction else 'kind: ("leaked", ...)'
        errors.append(
            IntegrityError(
                entry.meta,
                f"hand-written {what} needs exactly one kind {how} of {', '.join(KINDS)}; found {found}",
                entry,
            )
        )
    return errors


def _future_error(entry, kinds, today: datetime.date) -> list[IntegrityError]:
    """A figure of a kind other than assumed dated after today: an error at its line."""
    if entry.date <= today or not kinds or any(k in FUTURE_KINDS for k in kinds):
        return []
    return [
        IntegrityError(
            entry.meta,
            (
                f"{with_article('/'.join(sorted(kinds)))} figure dated {entry.date} lies in the future (today is {today}): only an "
                f"assumed figure may; date a report about the future on the day it was made, with through: DATE"
            ),
            entry,
        )
    ]


def _plan(accounts: tuple) -> tuple:
    """(stray accounts, entities to sum with their posting indices) for one list of accounts.

    Beancount checks that every transaction balances as a whole, so of two
    entities only one needs summing: if it balances, so does the other. With
    a stray account every entity is summed.
    """
    entities = [entity_of(a) for a in accounts]
    stray = tuple(sorted({a for a, e in zip(accounts, entities) if e is None}))
    present = [e for e in ENTITIES if e in entities]
    groups = tuple((e, tuple(i for i, x in enumerate(entities) if x == e)) for e in present)
    if not stray:
        groups = groups[:-1]
    touched = tuple(dict.fromkeys(a for a in accounts if _is_model_account(a)))
    return stray, groups, touched


def _imbalances(entry, groups, stray) -> list[IntegrityError]:
    """The per-entity, per-currency sums of a transaction that are off."""
    errors = []
    postings = entry.postings
    for entity, indices in groups:
        sums: dict[str, Decimal] = {}
        for i in indices:
            posting = postings[i]
            units = posting.units
            if units is None or not isinstance(units.number, Decimal):
                continue
            if posting.cost is not None or posting.price is not None:
                units = get_weight(posting)
            sums[units.currency] = sums.get(units.currency, 0) + units.number
        for currency, total in sums.items():
            if abs(total) > TOLERANCE:
                other = "" if stray else f", {ENTITIES[1] if entity == ENTITIES[0] else ENTITIES[0]}'s by the opposite"
                errors.append(
                    IntegrityError(
                        entry.meta,
                        f"transaction does not balance within each entity: {entity}'s postings are off by "
                        f"{total:,.2f} {currency}{other}",
                        entry,
                    )
                )
    return errors


_ZERO = Decimal(0)


def _balanced(postings, groups) -> bool:
    """The quick sum: True when every group sums to zero in one plain currency.

    It runs for every transaction that spans both entities, so it reads the
    NamedTuples by position: Posting (account, units, cost, price, ...),
    Amount (number, currency).
    """
    for _, indices in groups:
        currency = None
        total = _ZERO  # replaced by the group's first number
        for i in indices:
            posting = postings[i]
            units = posting[1]
            if units is None or posting[2] is not None or posting[3] is not None:
                return False
            number = units[0]
            if number.__class__ is not Decimal:
                return False
            if currency is None:
                currency, total = units[1], number
            elif units[1] != currency:
                return False
            else:
                total += number
        if total > TOLERANCE or total < -TOLERANCE:
            return False
    return True


def integrity(
    entries: list[data.Directive], options_map: dict, config: str | None = None
) -> tuple[list[data.Directive], list]:
    """Report entity imbalances, stray accounts, missing provenance, wrong-typed values and unread figures."""
    errors = []
    valueless: list[data.Custom] = []  # customs with no values: Beancount's own pad plugin iterates their None
    figure_links: dict[str, str] = {}  # the links of the hand-written figures, and their metrics
    superseded_records = []
    today = datetime.date.today()
    plans = ByAccounts(lambda accounts: _plan(tuple(accounts)))  # once per distinct list of accounts
    kind_counts: dict[frozenset, int] = {}

    transaction = data.Transaction
    for entry in entries:
        date = entry.date
        if (date < _FIRST_DAY or date > _LAST_DAY) and not (
            isinstance(entry, transaction) and GENERATED_TAG in (entry.tags or ())
        ):
            errors.append(IntegrityError(entry.meta, f"entry dated {horizon_error(date)}", entry))
        if isinstance(entry, transaction):
            postings = entry.postings
            stray, groups, touched = plans(postings)
            if stray:
                errors.append(
                    IntegrityError(
                        entry.meta, f"{', '.join(stray)} {'is' if len(stray) == 1 else 'are'} {_OUTSIDE}", entry
                    )
                )
            if groups and not _balanced(postings, groups):
                errors.extend(_imbalances(entry, groups, stray))
            tags = entry.tags or frozenset()
            count = kind_counts.get(tags)
            if count is None:
                count = kind_counts[tags] = -1 if GENERATED_TAG in tags else len(tags & _KINDS)
            if count >= 0:
                meta = entry.meta
                if entry.links and (metric := meta.get("metric")).__class__ is str:
                    for link in entry.links:
                        figure_links[link] = metric
                suspect = screen(entry)  # one look at the metadata for wrong values and for markup
                if suspect & SUSPECT_VALUE and (problems := value_errors(entry)):
                    errors.extend(_typed_errors(entry, problems))
                for posting in postings:  # the bound on amounts, inline: it meets every posting
                    units = posting.units
                    if units is not None and (
                        (number := units.number).__class__ is Decimal
                        # cents with at most 15 digits before the point: right at once, without a quantize
                        and not (number.same_quantum(CENT) and number.adjusted() < MAX_DIGITS)
                        and (number > MAX_AMOUNT or number < -MAX_AMOUNT or number.quantize(CENT) != number)
                    ):
                        errors.append(_amount_error(entry))
                        break
                if touched and (problem := _unread_figure_error(entry, touched)):
                    errors.append(problem)
                source = meta.get("source")
                if count != 1 or not source or source.__class__ is not str:
                    errors.extend(_provenance_errors(entry, [t for t in tags if t in _KINDS]))
                payee, narration = entry.payee, entry.narration
                if (
                    suspect & SUSPECT_MARKUP
                    or (payee and ("<" in payee or "=" in payee))
                    or (narration and ("<" in narration or "=" in narration))
                ):
                    errors.extend(_markup_errors(entry))
            if count >= 0 and date > today:
                errors.extend(_future_error(entry, [t for t in tags if t in _KINDS], today))
        elif isinstance(entry, data.Open):
            if entity_of(entry.account) is None:
                errors.append(IntegrityError(entry.meta, f"account {entry.account[:80]} is {_OUTSIDE}", entry))
            if (depth := entry.account.count(":") + 1) > MAX_ACCOUNT_DEPTH:
                errors.append(
                    IntegrityError(
                        entry.meta,
                        f"account {entry.account[:60]}... has {depth} components; at most {MAX_ACCOUNT_DEPTH} "
                        f"(Fava builds its account tree by recursion, and 1,000 levels crashed it)",
                        entry,
                    )
                )
        elif isinstance(entry, data.Custom):
            if entry.values is None:
                valueless.append(entry)
            errors.extend(_typed_errors(entry))
            if entry.type != FIGURE_TYPE:
                continue
            if entry.meta.get("superseded-by").__class__ is str and "narration" not in entry.meta:
                superseded_records.append(entry)  # a record written so by hand (not one the figures plugin made)
            kinds = kinds_of(entry)
            source = entry.meta.get("source")
            if len(kinds) != 1 or not source or source.__class__ is not str:
                errors.extend(_provenance_errors(entry, kinds))
            if entry.date > today:
                errors.extend(_future_error(entry, kinds, today))
            if _may_hold_markup(entry):
                errors.extend(_markup_errors(entry))
        elif entry.meta and len(entry.meta) > 2:
            errors.extend(_typed_errors(entry))
    errors.extend(_superseded_record_errors(superseded_records, figure_links))
    if valueless:
        fixed = {id(e): e._replace(values=[]) for e in valueless}
        entries = [fixed.get(id(e), e) for e in entries]
    return entries, errors
