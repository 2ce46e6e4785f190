"""Figures plugin: supersession, overlaps and cumulative figures.

A figure that a newer one supersedes (it carries `superseded-by: "LINK"`)
stays in the books as a visible, non-posting `custom "figure"` record. Two
posting figures of one metric over overlapping periods would count twice:
that is an error at the later one. A `cumulative:` figure must equal what
the recorded sub-periods add up to.

Runs first in the chain, so the share plugin only ever sees what posts.
"""

from __future__ import annotations

import datetime

from beancount.core import data
from beancount.core.amount import Amount

from leakledger.figures import FIGURE_TYPE, SUPERSEDED_BY, cumulative_total, figure_of, find_overlaps, is_generated
from leakledger.model import CURRENCY, METRICS
from leakledger.rules import LeakError

__plugins__ = ("figures",)


def _record_of(fig) -> data.Custom:
    """A superseded posting figure as the non-posting record it becomes."""
    entry = fig.entry
    meta = dict(entry.meta)
    meta["status"] = "superseded"
    meta["narration"] = entry.narration
    if fig.kind:
        meta.setdefault("kind", fig.kind)
    values = [data.ValueType(fig.metric, str)]
    if fig.amount is not None:
        values.append(data.ValueType(Amount(fig.amount, CURRENCY), Amount))
    return data.Custom(meta, entry.date, FIGURE_TYPE, values)


def _where(entry) -> str:
    return f"{entry.meta.get('filename', '?')}:{entry.meta.get('lineno', '?')}"


def figures(entries, options_map, config=None):
    """Turn superseded figures into records; report overlaps and bad cumulatives."""
    errors = []
    figs = []
    replaced = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction) or "metric" not in entry.meta or is_generated(entry):
            continue
        metric = entry.meta["metric"]
        if metric not in METRICS:
            errors.append(LeakError(entry.meta, f"unknown metric {metric!r}; known: {', '.join(METRICS)}", entry))
            continue
        start = entry.meta.get("period-start")
        if start is not None and (not isinstance(start, datetime.date) or start > entry.date):
            errors.append(LeakError(entry.meta, f"period-start {start} must be a date on or before the entry's date {entry.date}", entry))
            continue
        fig = figure_of(entry)
        figs.append(fig)
        if fig.superseded_by:
            replaced[id(entry)] = _record_of(fig)

    links = {link for f in figs if not f.superseded_by for link in f.links}
    for fig in figs:
        if fig.superseded_by and fig.superseded_by not in links:
            errors.append(LeakError(
                fig.entry.meta,
                f"{SUPERSEDED_BY}: {fig.superseded_by!r} names no posting figure's link",
                fig.entry,
            ))

    for older, newer in find_overlaps(figs):
        first, second = sorted((older, newer), key=lambda f: (f.entry.meta.get("filename", ""), f.entry.meta.get("lineno", 0)))
        errors.append(LeakError(
            second.entry.meta,
            f"{second.metric} over {second.period} overlaps {first.metric} over {first.period} at {_where(first.entry)}: "
            f"it would count twice; supersede one (leakledger add --supersede)",
            second.entry,
        ))

    for fig in figs:
        if fig.cumulative is None or fig.superseded_by:
            continue
        span = fig.cumulative_period
        if span is None:
            errors.append(LeakError(fig.entry.meta, "cumulative: needs cumulative-start: a date on or before the entry's date", fig.entry))
            continue
        total = cumulative_total(figs, fig.metric, span)
        if total != fig.cumulative:
            errors.append(LeakError(
                fig.entry.meta,
                f"cumulative {fig.metric} over {span} is {fig.cumulative:,.2f} but the recorded figures add up to {total:,.2f}",
                fig.entry,
            ))

    if not replaced:
        return entries, errors
    return [replaced.get(id(e), e) for e in entries], errors
