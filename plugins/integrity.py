"""Integrity plugin: the checks that keep two entities' books honest.

Runs last, over hand-written and generated entries alike:

- every transaction balances within OpenAI's accounts and within
  Microsoft's accounts, each on its own;
- every account belongs to one of the two entities;
- every hand-written transaction and figure record has `source:` and
  exactly one kind (a tag on a transaction, `kind:` on a record).
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data

from leakledger.figures import FIGURE_TYPE, is_generated, kinds_of
from leakledger.model import ENTITIES, KINDS, entity_of
from leakledger.rules import LeakError

__plugins__ = ("integrity",)

#: Half a cent: what Beancount itself tolerates for two-decimal amounts.
TOLERANCE = Decimal("0.005")
_KINDS = frozenset(KINDS)


def _provenance_errors(entry, kinds) -> list[LeakError]:
    errors = []
    what = "transaction" if isinstance(entry, data.Transaction) else "figure record"
    if not entry.meta.get("source"):
        errors.append(LeakError(entry.meta, f"hand-written {what} has no source: metadata", entry))
    if len(kinds) != 1:
        found = ", ".join(sorted(kinds)) or "none"
        how = "tag" if isinstance(entry, data.Transaction) else "kind:"
        errors.append(LeakError(
            entry.meta,
            f"hand-written {what} needs exactly one kind {how} of {', '.join(KINDS)}; found {found}",
            entry,
        ))
    return errors


def integrity(entries, options_map, config=None):
    """Report entity imbalances, stray accounts and missing provenance."""
    errors = []
    entity_cache: dict[str, str | None] = {}

    for entry in entries:
        if isinstance(entry, data.Transaction):
            sums: dict[tuple, Decimal] = {}
            for posting in entry.postings:
                account = posting.account
                entity = entity_cache.get(account, 0)
                if entity == 0:
                    entity = entity_cache[account] = entity_of(account)
                if entity is None:
                    errors.append(LeakError(entry.meta, f"{account} is outside the two entities ({', '.join(ENTITIES)})", entry))
                    continue
                units = posting.units
                if units is None or not isinstance(units.number, Decimal):
                    continue
                if posting.cost is not None or posting.price is not None:
                    from beancount.core.convert import get_weight

                    units = get_weight(posting)
                key = (entity, units.currency)
                sums[key] = sums.get(key, 0) + units.number
            for (entity, currency), total in sums.items():
                if abs(total) > TOLERANCE:
                    errors.append(LeakError(
                        entry.meta,
                        f"transaction does not balance within {entity}'s books: off by {total:,.2f} {currency}",
                        entry,
                    ))
            if not is_generated(entry):
                tags = entry.tags
                kinds = [t for t in tags if t in _KINDS] if tags else []
                if len(kinds) != 1 or not entry.meta.get("source"):
                    errors.extend(_provenance_errors(entry, kinds))
        elif isinstance(entry, data.Open):
            if entity_of(entry.account) is None:
                errors.append(LeakError(entry.meta, f"account {entry.account} is outside the two entities ({', '.join(ENTITIES)})", entry))
        elif isinstance(entry, data.Custom) and entry.type == FIGURE_TYPE:
            kinds = kinds_of(entry)
            if len(kinds) != 1 or not entry.meta.get("source"):
                errors.extend(_provenance_errors(entry, kinds))
    return entries, errors
