"""A plugin that puts back the plugin chain's output, pickled earlier, at no cost of its own that is counted.

    plugin "bench.replay_plugin" "/path/to/chain-output.pickle"

Used by `bench.bench_chain_budget` only. The pickle holds the chain's output
as `encode` writes it: an entry the chain passed through is named by its
place in the source (file, line, directive), so the replay returns the very
object the loader parsed; an entry the chain rebuilt from one it read (new
metadata, say) keeps the parsed entry's fields that the chain kept (the same
posting objects); only what the chain made is unpickled. So the heap the
loader meets afterwards is the one the chain leaves, and the collector is
paused and resumed as `leakledger.plugins.chain` does it.
"""

from __future__ import annotations

import pickle

from leakledger.plugins.chain import _pause_collector, _resume_collector

_SAME, _REBUILT = "=", "~"


def _place(entry) -> tuple:
    meta = entry.meta
    return meta.get("filename"), meta.get("lineno"), entry.__class__.__name__


def encode(entries_in, entries_out) -> list:
    """The output as references to the input where it shares them, the rest as it is."""
    kept = {id(entry) for entry in entries_in}
    parsed = {_place(entry): entry for entry in entries_in}
    encoded: list = []
    for entry in entries_out:
        if id(entry) in kept:
            encoded.append((_SAME, _place(entry)))
        elif (source := parsed.get(_place(entry))) is not None:
            changed = {i: value for i, (value, was) in enumerate(zip(entry, source)) if value is not was}
            encoded.append((_REBUILT, _place(entry), changed))
        else:
            encoded.append(entry)
    return encoded


def replay(entries, options_map, config=None):
    """The pickled output at `config`, built on the entries loaded."""
    with open(config, "rb") as file:
        encoded = pickle.load(file)
    parsed = {_place(entry): entry for entry in entries}
    out = []
    for item in encoded:
        if item.__class__ is not tuple:
            out.append(item)
        elif item[0] == _SAME:
            out.append(parsed[item[1]])
        else:
            source = parsed[item[1]]
            fields = list(source)
            for i, value in item[2].items():
                fields[i] = value
            out.append(tuple.__new__(source.__class__, fields))
    return out, []


__plugins__ = [_pause_collector, replay, _resume_collector]
