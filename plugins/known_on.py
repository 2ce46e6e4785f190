"""The books as known on a date: every entry known later is left out (leakledger.knowledge).

    plugin "leakledger.plugins.known_on" "{'as-of': '2025-11-13'}"

The chain plugin runs this first with its own config; this module is for
books that name the plugins one by one (it must come before the figures
plugin). Without an as-of it leaves the books as they are.
"""

from __future__ import annotations

import collections

from beancount.core import data

from leakledger.knowledge import as_of_config, known_on

__plugins__ = ("known_on_plugin",)

KnowledgeError = collections.namedtuple("KnowledgeError", "source message entry")


def known_on_plugin(entries, options_map, config=None):
    """Entries known on the config's as-of date (all of them without one); an error for a bad config."""
    errors: list = []  # a known-since that is not a date is the integrity plugin's error (leakledger.metadata)
    try:
        as_of = as_of_config(config)
    except ValueError as exc:
        source = data.new_metadata((options_map or {}).get("filename", "<plugin>"), 0)
        return entries, [*errors, KnowledgeError(source, f"leakledger plugin: {exc}", None)]
    if as_of is None:
        return entries, errors
    return known_on(entries, as_of), errors
