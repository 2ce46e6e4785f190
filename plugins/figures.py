"""Figures plugin: supersession, overlaps and cumulative figures.

A figure that a newer one supersedes carries `superseded-by: "LINK"` (the
newer figure's link; the newer one may say `supersedes: "OLD-LINK"`, for
people). It stays in the books as a visible, non-posting `custom "figure"`
record with `status: "superseded"`. Two posting figures of one metric over
overlapping periods would count twice: that is an error at the later one. A
`cumulative:` figure must equal what the recorded sub-periods add up to.

Runs first in the chain, so the share plugin only ever sees what posts, and
every `#generated` entry it sees was written by hand: an error, since the
tag is reserved for what the plugins derive.
"""

from __future__ import annotations

import collections

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from leakledger.figures import (
    FIGURE_TYPE,
    SUPERSEDED_BY,
    cumulative_total,
    figure_of,
    find_overlaps,
    period_start_error,
)
from leakledger.model import CURRENCY, GENERATED_TAG, METRICS

__plugins__ = ("figures",)

FiguresError = collections.namedtuple("FiguresError", "source message entry")


def _record_of(fig) -> data.Custom:
    """A superseded posting figure as the non-posting record it becomes."""
    entry = fig.entry
    meta = dict(entry.meta)
    meta["status"] = "superseded"
    meta["narration"] = entry.narration
    if fig.kind:
        meta.setdefault("kind", fig.kind)
    values = [ValueType(fig.metric, str)]
    if fig.amount is not None:
        values.append(ValueType(Amount(fig.amount, CURRENCY), Amount))
    return data.Custom(meta, entry.date, FIGURE_TYPE, values)


def _where(entry) -> str:
    return f"{entry.meta.get('filename', '?')}:{entry.meta.get('lineno', '?')}"


def _read_figures(entries, errors) -> list:
    """The posting figures, each checked on its own; the unusable ones reported and left out."""
    figs = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        if entry.tags and GENERATED_TAG in entry.tags:
            errors.append(FiguresError(entry.meta, f"#{GENERATED_TAG} is reserved for entries the plugins derive; "
                                                f"a hand-written entry cannot carry it", entry))
            continue
        if "metric" not in entry.meta:
            continue
        metric = entry.meta["metric"]
        if metric not in METRICS:
            errors.append(FiguresError(entry.meta, f"unknown metric {metric!r}; known: {', '.join(METRICS)}", entry))
            continue
        problem = period_start_error(entry)
        if problem:
            errors.append(FiguresError(entry.meta, problem, entry))
            continue
        fig = figure_of(entry)
        if fig.amount is None:
            account = METRICS[metric].legs[0][0]
            errors.append(FiguresError(entry.meta, f"a {metric} figure posts its amount to {account}, "
                                                f"and this transaction posts nothing there", entry))
            continue
        figs.append(fig)
    return figs


def figures(entries, options_map, config=None):
    """Turn superseded figures into records; report overlaps and bad cumulatives."""
    errors = []
    figs = _read_figures(entries, errors)

    live_links = {}  # link -> metric, of the figures that still post
    for fig in figs:
        if not fig.superseded_by:
            live_links.update((link, fig.metric) for link in fig.links)
    replaced = {}
    for fig in figs:
        if not fig.superseded_by:
            continue
        newer = live_links.get(fig.superseded_by)
        if newer is None:
            errors.append(FiguresError(fig.entry.meta, f"{SUPERSEDED_BY}: {fig.superseded_by!r} names no posting "
                                                    f"figure's link (the newer figure's ^link, without the ^)", fig.entry))
        elif newer != fig.metric:
            errors.append(FiguresError(fig.entry.meta, f"{SUPERSEDED_BY}: {fig.superseded_by!r} is a {newer} figure; "
                                                    f"a {fig.metric} figure is superseded by another {fig.metric} figure",
                                    fig.entry))
        replaced[id(fig.entry)] = _record_of(fig)

    for older, newer in find_overlaps(figs):
        first, second = sorted((older, newer), key=lambda f: (f.entry.meta.get("filename", ""), f.entry.meta.get("lineno", 0)))
        errors.append(FiguresError(
            second.entry.meta,
            f"{second.metric} over {second.period} overlaps {first.metric} over {first.period} at {_where(first.entry)}: "
            f"it would count twice; supersede one (leakledger add --supersede, or {SUPERSEDED_BY}: on the older)",
            second.entry,
        ))

    for fig in figs:
        given = fig.entry.meta.get("cumulative")
        if given is None or fig.superseded_by:
            continue
        if fig.cumulative is None:  # the contract reads only an amount: say what is there instead
            errors.append(FiguresError(fig.entry.meta, f"cumulative: {given!r} must be an amount, e.g. 865800000.00 USD", fig.entry))
            continue
        span = fig.cumulative_period
        if span is None:
            errors.append(FiguresError(fig.entry.meta, "cumulative: needs cumulative-start: a date on or before the entry's date", fig.entry))
            continue
        total = cumulative_total(figs, fig.metric, span)
        if total != fig.cumulative:
            errors.append(FiguresError(
                fig.entry.meta,
                f"cumulative {fig.metric} over {span} is {fig.cumulative:,.2f} but the recorded figures add up to {total:,.2f}",
                fig.entry,
            ))

    if not replaced:
        return entries, errors
    return [replaced.get(id(e), e) for e in entries], errors
