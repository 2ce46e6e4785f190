"""Figures plugin: what each figure means, refinement, supersession, overlaps.

Runs first in the chain, so the share plugin only ever sees what posts.

- *Reading.* A figure is a transaction with `metric:` and `period-start:`
  (a date, or text `YYYY-MM-DD` as Fava's forms write it). A hand-written
  transaction with `period-start:` and no `metric:` that posts to one
  metric's accounts is read as that metric; if several fit, it is an error
  asking for `metric:`. A `#generated` tag on a hand-written entry is an
  error: the tag is reserved for what the plugins derive.
- *Supersession.* A figure a newer one replaces carries
  `superseded-by: "LINK"` and becomes a visible, non-posting
  `custom "figure"` record with `status: "superseded"`.
- *Refinement.* A figure over a sub-period of another of the same metric
  refines it (a month in a quarter in a year). The total stays a
  transaction with its link and no postings (`status: "refined"`,
  `total:`); its parts post, carrying its link and `refines:`; the rest
  (`remainder:`) posts as `#generated` entries over the days the parts
  don't cover. Parts that cover the total must add up to it to the cent,
  and a remainder may not turn negative: errors at the part that completes
  the set. A year-to-date figure written as its increment (`cumulative:`,
  `cumulative-start:`) is read as its total over the whole span, refined
  by what is recorded inside it.
- *Breakdowns.* A total and its parts over the same period (costs: R&D,
  cost of revenue, S&M; costs: revenue + operating loss) are checked with
  the precision the sources state (`low:`/`high:`): an error at the total
  only when the ranges cannot meet (`leakledger.figures.breakdown_checks`).
- *Overlaps* that neither nest nor supersede would count twice: an error
  at the later figure.
- *Pinning.* A record over a longer period that posting figures of its
  metric tile exactly, all exact but one, pins that one to what both allow
  (`narrowed-low:`, `narrowed-high:`, `narrowed-by:`), before remainders
  are worked out: the nine months' 5.9B gain pins 2025-Q4's "~10B"
  (`leakledger.figures.narrowings`). Where they cannot both hold, an error
  at the record.
"""

from __future__ import annotations

import collections
import datetime

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from leakledger import derived as D
from leakledger.figures import (
    BREAKDOWN_METRICS,
    FIGURE_TYPE,
    LOW,
    REFINED,
    REFINES,
    STATUS,
    SUPERSEDED_BY,
    TOTAL,
    Figure,
    Refinement,
    breakdown_checks,
    breakdown_figures,
    figure_of,
    kinds_of,
    narrowings,
    period_start_date,
    period_start_error,
    posting_shape,
    read_metric,
    refine,
    transaction_figure,
    usd_amount,
)
from leakledger.model import CURRENCY, GENERATED_TAG, METRICS, postings_for, sign_error, with_article
from leakledger.periods import Period
from leakledger.remainders import piece_ranges, posted_remainder, remainder_ranges

__plugins__ = ("figures",)

FiguresError = collections.namedtuple("FiguresError", "source message entry")

#: The metrics whose figures may be negative (`model.MetricSpec.negative`): a loss share's gain. Any other
#: metric's negative amount, or `low:`, is an error at the figure, as `add`, sheets and Fava's form refuse it.
_MAY_BE_NEGATIVE = frozenset(name for name, spec in METRICS.items() if spec.negative)


def _record_of(fig) -> data.Custom:
    """A superseded posting figure as the non-posting record it becomes."""
    entry = fig.entry
    meta = dict(entry.meta)
    meta[STATUS] = "superseded"
    meta["narration"] = entry.narration
    if fig.kind:
        meta.setdefault("kind", fig.kind)
    values = [ValueType(fig.metric, str)]
    if fig.amount is not None:
        values.append(ValueType(Amount(fig.amount, CURRENCY), Amount))
    return data.Custom(meta, entry.date, FIGURE_TYPE, values)


def _with_meta(entry: data.Transaction, meta: dict, links: frozenset | None = None) -> data.Transaction:
    """The transaction with other metadata (and links): built as `_replace` builds it, `tuple.__new__`, without
    its keyword handling or the namedtuple's Python-level `__new__` (this runs once per figure read or part)."""
    if links is None:
        return tuple.__new__(entry.__class__, (meta, *entry[1:]))
    return tuple.__new__(entry.__class__, (meta, *entry[1:6], links, entry[7]))


def _read_figures(entries, errors) -> tuple[list, dict, dict, list, list]:
    """The posting figures, each checked on its own; {id(fig): input index}; {index: entry as read};
    the indices of the entries `breakdown_figures` reads (records, and transactions naming a breakdown's metric);
    the positions in the figures of those with `superseded-by:` or `cumulative:` (the only ones read again).

    As read: text period-start a date, the metric named (`read_metric`). One pass, inline: it meets every
    transaction of the books, so each figure is read once, with no call per figure but the Figure's.
    """
    figs: list[Figure] = []
    index_of: dict[int, int] = {}
    read: dict[int, data.Transaction] = {}
    named: list[int] = []
    marked: list[int] = []
    kind_of: dict = {}  # tags -> the one kind among them, or None: read once per tag set
    transaction, custom, date_class = data.Transaction, data.Custom, datetime.date
    for index, entry in enumerate(entries):
        if not isinstance(entry, transaction):
            if entry.__class__ is custom:
                named.append(index)
            continue
        meta = entry.meta
        has_metric = "metric" in meta
        if has_metric and meta["metric"] in BREAKDOWN_METRICS:
            named.append(index)
        tags = entry.tags
        if tags and GENERATED_TAG in tags:
            errors.append(
                FiguresError(
                    meta,
                    f"#{GENERATED_TAG} is reserved for entries the plugins derive; "
                    f"a hand-written entry cannot carry it",
                    entry,
                )
            )
            continue
        start = meta.get("period-start")
        if not has_metric and start is None:
            continue
        shape = posting_shape(entry)
        metric, problem = read_metric(entry, shape)
        if problem:
            errors.append(FiguresError(meta, problem, entry))
            continue
        if metric is None:
            continue
        day = start if start.__class__ is date_class else period_start_date(start)
        if day is not start and day is not None:
            entry = read[index] = _with_meta(
                entry, {**meta, "period-start": day} if has_metric else {**meta, "period-start": day, "metric": metric}
            )
        elif not has_metric:
            entry = read[index] = _with_meta(entry, {**meta, "metric": metric})
        if not has_metric and metric in BREAKDOWN_METRICS:
            named.append(index)
        if day is None or day > entry.date:
            errors.append(FiguresError(entry.meta, period_start_error(entry), entry))
            continue
        kind = kind_of.get(tags, kind_of)
        if kind is kind_of:
            kinds = kinds_of(entry)
            kind = kind_of[tags] = kinds[0] if len(kinds) == 1 else None
        fig = transaction_figure(entry, metric, Period(day, entry.date), kind, shape)
        if fig.amount is None:
            account = METRICS[metric].legs[0][0]
            errors.append(
                FiguresError(
                    entry.meta,
                    f"{with_article(metric)} figure posts its amount to {account}, and this transaction posts nothing there",
                    entry,
                )
            )
            continue
        amount = fig.amount
        if (amount < 0 or LOW in meta) and metric not in _MAY_BE_NEGATIVE:  # the one sign rule, as `add` applies it
            lowest = fig.low if fig.low is not None and fig.low < amount else amount
            if problem := sign_error(metric, lowest, f"{lowest:,.2f} {CURRENCY}"):
                errors.append(FiguresError(entry.meta, problem, entry))
                continue
        if SUPERSEDED_BY in meta or "cumulative" in meta:
            marked.append(len(figs))
        figs.append(fig)
        index_of[id(fig)] = index
    return figs, index_of, read, named, marked


def _superseded(figs, marked, index_of, errors) -> dict:
    """{input index: record} for the superseded figures; bad `superseded-by:` reported."""
    older = [fig for fig in map(figs.__getitem__, marked) if SUPERSEDED_BY in fig.entry.meta and fig.superseded_by]
    if not older:
        return {}
    live_links: dict[str, str] = {}  # link -> metric, of the figures that still post
    for fig in figs:
        if not fig.superseded_by:
            live_links.update((link, fig.metric) for link in fig.links)
    replaced = {}
    for fig in older:
        newer = live_links.get(fig.superseded_by)
        if newer is None:
            errors.append(
                FiguresError(
                    fig.entry.meta,
                    f"{SUPERSEDED_BY}: {fig.superseded_by!r} names no posting "
                    f"figure's link (the newer figure's ^link, without the ^)",
                    fig.entry,
                )
            )
        elif newer != fig.metric:
            errors.append(
                FiguresError(
                    fig.entry.meta,
                    f"{SUPERSEDED_BY}: {fig.superseded_by!r} is a {newer} figure; "
                    f"{with_article(fig.metric)} figure is superseded by another {fig.metric} figure",
                    fig.entry,
                )
            )
        replaced[index_of[id(fig)]] = _record_of(fig)
    return replaced


def _year_to_date(figs, marked, index_of, errors) -> dict:
    """A figure written as its increment (`cumulative:`) read as the total it gives: {id(total): increment}."""
    increments = {}
    for i in marked:
        fig = figs[i]
        given = fig.entry.meta.get("cumulative")
        if given is None or fig.superseded_by:
            continue
        if fig.cumulative is None:  # the contract reads only an amount: say what is there instead
            errors.append(
                FiguresError(
                    fig.entry.meta, f"cumulative: {given!r} must be an amount, e.g. 865800000.00 USD", fig.entry
                )
            )
            continue
        span = fig.cumulative_period
        if span is None:
            errors.append(
                FiguresError(
                    fig.entry.meta,
                    "cumulative: needs cumulative-start: a date on or before the entry's date",
                    fig.entry,
                )
            )
            continue
        entry = fig.entry._replace(meta={**fig.entry.meta, "period-start": span.start})
        figs[i] = Figure(entry, fig.metric, span, fig.cumulative, fig.kind, True)
        index_of[id(figs[i])] = index_of[id(fig)]
        increments[id(figs[i])] = fig.amount
    return increments


def _remainders(ref, links) -> list[data.Transaction]:
    """The generated entries that post a total's remainder over the days its parts don't cover."""
    total = ref.total
    out = []
    pieces = ref.remainder_pieces()
    for (gap, amount), ranges in zip(pieces, piece_ranges(ref, pieces)):
        if amount == 0:
            continue
        meta = data.new_metadata(total.entry.meta.get("filename", "<leakledger>"), total.entry.meta.get("lineno", 0))
        meta.update(
            {
                D.RULE: D.RULE_REMAINDER,
                D.METRIC: total.metric,
                D.PERIOD_START: gap.start,
                D.TOTAL: usd_amount(total.amount),
                D.TOTAL_PERIOD: total.period.label,
                D.REMAINDER: usd_amount(ref.remainder),
                **ranges,  # where the total or a part is a range, so is the remainder (leakledger.remainders)
            }
        )
        postings = [
            data.Posting(account, usd_amount(units), None, None, None, None)
            for account, units in postings_for(total.metric, amount)
        ]
        tags = frozenset(total.entry.tags or ()) | {GENERATED_TAG}
        narration = f"{METRICS[total.metric].narration}: remainder of {total.period.label} over {gap.label}"
        out.append(data.Transaction(meta, gap.end, "*", None, narration, tags, links, postings))
    return out


def _own_link(fig: Figure) -> str:
    return min(fig.links) if fig.links else f"{fig.metric} {fig.period}"


def _pin(out, named, figs, refinements, index_of, errors) -> None:
    """Each ranged figure a record over a longer period pins further (`narrowings`), before the remainders it
    leaves are worked out: its entry carries `narrowed-low:`/`narrowed-high:` and `narrowed-by:`."""
    records = [
        fig
        for index in named
        if D.PERIOD_START in out[index].meta and (fig := figure_of(out[index])) is not None and not fig.posting
    ]
    if not records:
        return
    totals = refinements.totals
    posting = [f for f in figs if id(f) not in totals and not f.superseded_by]
    pinned, problems = narrowings(records, posting)
    for record, message in problems:
        errors.append(FiguresError(record.entry.meta, message, record.entry))
    for fig, interval, record in pinned:
        assert isinstance(fig.entry, data.Transaction)  # a posting figure
        meta = {**fig.entry.meta, D.NARROWED_BY: f"{record.metric} over {record.period.label}"}
        for key, end in ((D.NARROWED_LOW, interval.low), (D.NARROWED_HIGH, interval.high)):
            if end is not None:  # an end left out is open
                meta[key] = usd_amount(end)
        fig.narrow(interval, _with_meta(fig.entry, meta))
        out[index_of[id(fig)]] = fig.entry


def figures(entries: list, options_map: dict, config: str | None = None) -> tuple[list, list]:
    """Read every figure, supersede, refine; report what would count twice or does not add up."""
    errors: list[FiguresError] = []
    figs, index_of, read, named, marked = _read_figures(entries, errors)
    out = list(entries)
    for index, entry in read.items():
        out[index] = entry
    for index, record in _superseded(figs, marked, index_of, errors).items():
        out[index] = record
    increments = _year_to_date(figs, marked, index_of, errors)

    refinements = refine(figs)
    for fig, message in refinements.problems():
        errors.append(FiguresError(fig.entry.meta, message, fig.entry))
    _pin(out, named, figs, refinements, index_of, errors)
    generated = []
    totals, ancestors_of = refinements.totals, refinements.ancestors
    chains: dict[int, tuple[frozenset, str]] = {}  # id(innermost total) -> (its chain's links, `refines:`)
    cited = {id(error.source) for error in errors}  # metadata an error holds stays as the error saw it
    for fig in figs if totals or increments else ():  # a figure neither total nor part stays as read
        key = id(fig)
        ref = totals.get(key)
        if ref is None and key in increments and fig.live:
            ref = Refinement(fig)  # a year-to-date figure with nothing recorded inside it: all remainder
        ancestors = ancestors_of.get(key)
        if ref is None and not ancestors:
            continue
        entry = fig.entry
        links = entry.links
        if ancestors:
            # what a part takes from its totals depends only on its innermost one: made once per total
            inherited = chains.get(id(ancestors[0]))
            if inherited is None:
                inherited = chains[id(ancestors[0])] = (
                    frozenset(link for total in ancestors for link in total.links),
                    ", ".join(map(_own_link, ancestors)),
                )
            links = links | inherited[0] if links else inherited[0]  # one frozenset shared by linkless parts
            meta = entry.meta
            if index_of[key] in read and id(meta) not in cited and key not in increments:
                # the plugin's own copy (a figure read with its metric named), in no error: completed in place
                meta[REFINES] = inherited[1]
                if links != entry.links:
                    entry = _with_meta(entry, meta, links)
            else:
                entry = _with_meta(entry, {**meta, REFINES: inherited[1]}, links)
        if ref is not None:
            if key in increments and ref.remainder != increments[key]:
                errors.append(
                    FiguresError(
                        fig.entry.meta,
                        f"cumulative {fig.metric} over {fig.period} is {fig.amount:,.2f} but the recorded figures add up "
                        f"to {ref.recorded + increments[key]:,.2f}",
                        fig.entry,
                    )
                )
            entry = entry._replace(
                postings=[],
                meta={
                    **entry.meta,
                    STATUS: REFINED,
                    TOTAL: usd_amount(fig.amount),
                    D.REMAINDER: usd_amount(posted_remainder(ref)),
                    **remainder_ranges(ref),
                },
            )
            if ref.problem() is None:
                generated.extend(_remainders(ref, links))
        out[index_of[key]] = entry
    # read before the generated entries go in, at the indices the read found (a generated remainder is no figure)
    breakdown = breakdown_figures([out[index] for index in named])
    if generated:
        # the chain's next plugins expect sorted entries: `out` still is (each entry replaced in place
        # keeps its date, type and line), so merge the few generated ones in rather than sort it all
        out = D.insert_sorted(out, generated)
    for total, problem, _ in breakdown_checks(breakdown):
        if problem:
            errors.append(FiguresError(total.entry.meta, problem, total.entry))
    return out, errors
