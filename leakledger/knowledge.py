"""When each figure became public, and the books as they stood on a date.

Beancount dates events; these books also need to date knowledge. Every
figure, rule and cap may carry `known-since: DATE`, the day its source made it
public. An entry without it counts as known from its own date (a figure is
dated on its period's last day, a rule on the day it takes effect).

The books *as of* a date are the books with only what was known on it: every
entry known later is left out before the plugins run, so supersessions,
refinements, rules and caps stand as they stood. Accounts (`open`,
`commodity`) and saved queries are the books' structure, not knowledge: they
always stay.

This module is the one place for that rule: the chain plugin filters with
`known_on`, an as-of load (leakledger.books) gives it `as_of_plugins`, `check` warns
with `early_knowledge`, and Fava's as-of choice lists `knowledge_dates`.
"""

from __future__ import annotations

import ast
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from beancount.core import data, flags

from leakledger import pads
from leakledger.errors import UsageError
from leakledger.model import GENERATED_TAG, with_article
from leakledger.periods import day_of

__all__ = [
    "AS_OF",
    "KNOWN_SINCE",
    "as_of_config",
    "as_of_plugins",
    "early_knowledge",
    "is_knowledge",
    "known_on",
    "known_since",
    "known_since_text",
    "known_since_note",
    "source_as_known",
    "knowledge_dates",
    "parse_as_of",
]

KNOWN_SINCE = "known-since"
#: Why an entry counts as known from a day other than its source's own (a rule taken as known with the leak
#: whose payments read it, though the source cited confirmed it two days later): shown wherever that day is.
KNOWN_SINCE_NOTE = "known-since-note"
#: The key of the chain plugin's config: `plugin "leakledger.plugins.chain" "{'as-of': '2025-11-13'}"`.
AS_OF = "as-of"
#: Kinds whose figure cannot be public before its period has ended.
NOT_BEFORE_PERIOD_END = ("leaked", "disclosed")
#: Structure, not knowledge: kept whatever the date.
_STRUCTURE = (data.Open, data.Commodity, data.Query)


def parse_as_of(text: str | datetime.date, option: str = "--as-of") -> datetime.date:
    """An as-of date from `YYYY-MM-DD`; a UsageError (exit 2) naming `option` otherwise."""
    if isinstance(text, datetime.date):
        return text
    try:
        return datetime.date.fromisoformat(str(text).strip())
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date: use YYYY-MM-DD, e.g. 2025-11-13") from None


def known_since(entry: Any) -> datetime.date:
    """The day an entry became known: its `known-since:` (a date, or its text), else its own date.

    A value that is no date counts as the entry's own date here; the
    integrity plugin's typed metadata (leakledger.metadata) makes it an error.
    """
    value = (entry.meta or {}).get(KNOWN_SINCE) if hasattr(entry, "meta") else None
    return day_of(value) or entry.date


def known_on(entries: Sequence[Any], as_of: datetime.date) -> list[Any]:
    """The entries known on `as_of` (accounts and queries always).

    A `pad` stays only while the next balance assertion of its account is
    known and no later pad comes first (Beancount calls an unused pad an error).
    """
    kept = [e for e in entries if isinstance(e, _STRUCTURE) or known_since(e) <= as_of]
    pad_days: dict[str, list[datetime.date]] = {}
    for entry in kept:
        if isinstance(entry, data.Pad):
            pad_days.setdefault(entry.account, []).append(entry.date)
    if not pad_days:
        return kept
    asserted = pads.assertions(kept)

    def fills(pad: data.Pad) -> bool:
        balance = pads.filled_by(asserted, pad)
        return balance is not None and not any(pad.date < day < balance.date for day in pad_days[pad.account])

    return [e for e in kept if not isinstance(e, data.Pad) or fills(e)]


def as_of_config(config: Any) -> datetime.date | None:
    """The as-of date of a plugin config (`"{'as-of': '2025-11-13'}"`), None without one; ValueError if bad."""
    if config is None or (isinstance(config, str) and not config.strip()):
        return None
    try:
        parsed = ast.literal_eval(config) if isinstance(config, str) else config
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        raise ValueError(
            f"plugin config {config!r} is not a Python literal (e.g. \"{{'as-of': '2025-11-13'}}\")"
        ) from None
    if not isinstance(parsed, dict):
        raise ValueError(f"plugin config {config!r} is not a dict (e.g. \"{{'as-of': '2025-11-13'}}\")") from None
    unknown = sorted(str(key) for key in parsed if key != AS_OF)
    if unknown:
        raise ValueError(f"plugin config: unknown key(s) {', '.join(unknown)}; the only key is {AS_OF!r}")
    if AS_OF not in parsed or parsed[AS_OF] is None:
        return None
    try:
        return datetime.date.fromisoformat(str(parsed[AS_OF]))
    except ValueError:
        raise ValueError(f"plugin config: as-of {parsed[AS_OF]!r} is not a date (YYYY-MM-DD)") from None


_CHAIN = "leakledger.plugins.chain"
#: The filter alone, for books that name the plugins one by one.
_KNOWN_ON = "leakledger.plugins.known_on"


def as_of_plugins(plugins: Sequence[tuple[str, str | None]], as_of: datetime.date) -> list[tuple[str, str | None]]:
    """A book's plugin list (its options' `plugin`) as known on `as_of`.

    The chain plugin (or the filter alone) gets the as-of config; a book that
    names the plugins one by one without the filter gets it first, before
    its figures plugin sees anything.
    """
    config = f"{{'{AS_OF}': '{as_of.isoformat()}'}}"
    result = [(name, config if name in (_CHAIN, _KNOWN_ON) else cfg) for name, cfg in plugins]
    if not any(name in (_CHAIN, _KNOWN_ON) for name, _ in plugins):
        result.insert(0, (_KNOWN_ON, config))
    return result


def early_knowledge(entries: Iterable[Any]) -> list[tuple[Any, str]]:
    """(entry, message) for each leaked or disclosed figure said to be known before its period ended."""
    from leakledger.figures import kinds_of

    found = []
    for entry in entries:
        if not isinstance(entry, (data.Transaction, data.Custom)) or KNOWN_SINCE not in (entry.meta or {}):
            continue
        if not is_knowledge(entry) or not _is_figure(entry):
            continue  # a rule or cap may be agreed before it takes effect
        day = known_since(entry)
        kinds = [kind for kind in kinds_of(entry) if kind in NOT_BEFORE_PERIOD_END]
        if kinds and day < entry.date:
            found.append(
                (
                    entry,
                    f"known-since {day} precedes the end of its period ({entry.date}): "
                    f"{with_article(kinds[0])} figure cannot be public before its period has ended",
                )
            )
    return found


def _is_figure(entry: Any) -> bool:
    if isinstance(entry, data.Custom):
        return entry.type == "figure"
    return isinstance(entry, data.Transaction) and "metric" in (entry.meta or {})


def knowledge_dates(entries: Iterable[Any]) -> list[datetime.date]:
    """Every day something became known (each written entry's known-since), in order."""
    return sorted({known_since(entry) for entry in entries if is_knowledge(entry)})


def is_knowledge(entry: Any) -> bool:
    """A figure, a rule, a cap or a balance someone wrote: what a source made known (not Fava's options)."""
    if GENERATED_TAG in (getattr(entry, "tags", None) or ()):
        return False  # the plugins' own: derived from what was known, never known by itself
    if isinstance(entry, data.Custom):
        return not entry.type.startswith("fava-")
    if isinstance(entry, data.Transaction):
        # Beancount's own padding (flag P) is no one's figure: its pad and balance are.
        return entry.flag != flags.FLAG_PADDING
    return isinstance(entry, (data.Balance, data.Note, data.Document, data.Event, data.Price))


def known_since_text(entry: Any) -> str:
    """`known since 2025-11-12` (with its `known-since-note:`), or, without `known-since:`, that it counts
    from its own date."""
    if day_of((entry.meta or {}).get(KNOWN_SINCE)) is not None:
        note = known_since_note(entry)
        return f"known since {known_since(entry)}" + (f" ({note})" if note else "")
    return f"known since {entry.date} (its own date: no known-since recorded)"


def known_since_note(entry: Any) -> str | None:
    """Why the entry counts as known from its `known-since:` day, where the books say (`known-since-note:`)."""
    note = (entry.meta or {}).get(KNOWN_SINCE_NOTE)
    return (note.strip() or None) if isinstance(note, str) else None


def source_as_known(entry: Any) -> str | None:
    """The entry's `source:`, with why it counts as known from its day where the books say: what a day brought."""
    source = (entry.meta or {}).get("source")
    if not source:
        return None
    note = known_since_note(entry)
    return f"{source} ({note})" if note else str(source)
