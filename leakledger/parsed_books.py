"""The books parsed once and loaded as known on any day: what a timeline of knowledge dates needs.

`loader.load_file` parses, books, runs the plugins and validates. Parsing and
booking are most of a load (on 100k transactions, 5.1 s of 7.2) and do not
depend on the day the books are read as of, so `ParsedBooks` does them once
and each `load(day)` runs the rest on the same booked entries: the plugins,
the chain given the as-of (leakledger.knowledge.as_of_plugins), then
Beancount's validations. Booking after the as-of filter would differ only
for lots held at cost, which these books do not hold (leakledger.model: USD
only). Each load is checked against the loader's, entry for entry and error
for error, in tests/test_as_of.py.

What a load leaves out, because it would come to the same:
- Beancount's documents plugin without a documents folder (it only sorts),
  and its pad and balance plugins on books without a pad or a balance
  assertion (leakledger's plugins make none);
- the validations that judge each entry alone, given the accounts' open and
  close directives (Beancount's VALIDATIONS below), on the entries as
  parsed: they are judged once, and each load judges only what its plugins
  made, as long as every close directive is known that day.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import booking

from leakledger.books import initialize, reading, refuse_errors, walk_includes

__all__ = ["ParsedBooks"]

#: Beancount's validations whose verdict on an entry depends on it and the open and close directives alone.
_PER_ENTRY = (
    validation.validate_active_accounts,
    validation.validate_currency_constraints,
    validation.validate_documents_paths,
    validation.validate_check_transaction_balances,
)
_ACCOUNTS = (data.Open, data.Close)


class ParsedBooks:
    """A ledger parsed and booked once; `load(day)` runs its plugins and Beancount's validation as known that day."""

    def __init__(self, path: str | os.PathLike) -> None:
        walk_includes(path)
        initialize()
        self.path = Path(path).resolve()
        with reading([self.path]):
            entries, errors, options_map = loader._parse_recursive([(str(self.path), True)], None, None)
        entries.sort(key=data.entry_sortkey)
        entries, booking_errors = booking.book(entries, options_map)
        self.entries: data.Directives = entries
        self.errors: list = [*errors, *booking_errors]
        self.options_map: dict[str, Any] = options_map
        self._booked = {id(entry) for entry in entries}
        self._closes = [entry for entry in entries if isinstance(entry, data.Close)]
        self._judged = {check: _by_entry(check(entries, options_map)) for check in _PER_ENTRY}
        self._pads = any(isinstance(entry, data.Pad) for entry in entries)
        self._balances = any(isinstance(entry, data.Balance) for entry in entries)

    def load(self, as_of: datetime.date | None = None) -> tuple[data.Directives, list, dict[str, Any]]:
        """(entries, errors, options_map): the books with their plugins run (as known on `as_of`), validated."""
        from leakledger.knowledge import as_of_plugins

        options_map = dict(self.options_map)
        plugins = options_map["plugin"] if as_of is None else as_of_plugins(options_map["plugin"], as_of)
        # Run as "raw" with Beancount's own plugins named, then say what the book says (for the readers).
        options_map["plugin_processing_mode"], options_map["plugin"] = self._plugins(plugins, options_map)
        saved_path = list(sys.path)
        try:
            sys.path[0:0] = options_map.get("pythonpath") or []  # as Beancount's loader: the books' own plugins
            entries, errors = loader.run_transformations(list(self.entries), self.errors, options_map, None)
        finally:
            sys.path[:] = saved_path
        options_map["plugin_processing_mode"] = self.options_map["plugin_processing_mode"]
        options_map["plugin"] = plugins
        errors.extend(self._validate(entries, options_map))
        return entries, errors, options_map

    def load_clean(self, as_of: datetime.date | None = None) -> tuple[data.Directives, dict[str, Any]]:
        """(entries, options_map) as known on `as_of`; BooksHaveErrors if they have errors (as `load_clean`)."""
        entries, errors, options_map = self.load(as_of)
        refuse_errors(self.path, errors)
        return entries, options_map

    def _plugins(self, plugins: list, options_map: dict[str, Any]) -> tuple[str, list]:
        """(processing mode, plugins) to run: Beancount's own named ("raw"), less those that would change nothing."""
        mode = options_map["plugin_processing_mode"]
        if mode != "default":
            return mode, plugins
        skip = set()
        if not options_map["documents"]:
            skip.add("beancount.ops.documents")
        if all(name.startswith("leakledger.plugins.") for name, _ in plugins):
            skip.update(() if self._pads else ("beancount.ops.pad",))
            skip.update(() if self._balances else ("beancount.ops.balance",))
        everything = [*loader.PLUGINS_PRE, *plugins, *loader.PLUGINS_AUTO, *loader.PLUGINS_POST]
        return "raw", [plugin for plugin in everything if plugin[0] not in skip]

    def _validate(self, entries: data.Directives, options_map: dict[str, Any]) -> list:
        """Beancount's validations (`validation.validate`), the per-entry ones judged again only on new entries."""
        if self._closes:
            present = {id(entry) for entry in entries}
            if not all(id(close) in present for close in self._closes):
                return validation.validate(entries, options_map)  # an account open longer that day
        made = [e for e in entries if id(e) not in self._booked or isinstance(e, _ACCOUNTS)]
        if any(id(e) not in self._booked for e in made if isinstance(e, _ACCOUNTS)):
            return validation.validate(entries, options_map)  # a plugin opened or closed an account
        errors = []
        for check in validation.VALIDATIONS:
            if check not in _PER_ENTRY:
                errors.extend(check(entries, options_map))
                continue
            judged = self._judged[check]
            found = [error for e in entries if id(e) in judged for error in judged[id(e)]] if judged else []
            found += [error for error in check(made, options_map) if id(error.entry) not in self._booked]
            if found:
                position = {id(entry): i for i, entry in enumerate(entries)}
                found.sort(key=lambda error: position[id(error.entry)])  # as Beancount gives them: in entry order
            errors.extend(found)
        return errors


def _by_entry(errors: list) -> dict[int, list]:
    judged: dict[int, list] = {}
    for error in errors:
        judged.setdefault(id(error.entry), []).append(error)
    return judged
