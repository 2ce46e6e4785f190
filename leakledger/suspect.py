"""Which figures the books' errors make wrong, so the Leak model never shows them as fine.

Fava serves books that load with errors; `leakledger report` refuses them.
An error at a figure (an overlap that counts twice, a part that does not add
up to its total) makes that metric wrong, and every column derived from it;
an error anywhere else (a rule, a generated entry, the syntax) could move
any figure, so then every figure is suspect.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from leakledger.figures import figure_of, metrics_touched
from leakledger.model import PAYMENT_METRIC
from leakledger.reports import (
    COMPARED,
    INFERENCE_METRIC,
    MICROSOFT_BASE_METRICS,
    RECONCILE_VALUES,
    REVENUE_METRIC,
    RUN_RATE_METRIC,
)

#: Every metric: an error no single figure explains.
EVERYTHING = None

#: The figures (by metric) each column of the period table is derived from.
PERIOD_SOURCES: dict[str, tuple[str, ...]] = {
    "net_payment": (PAYMENT_METRIC,),
    "openai_share": (PAYMENT_METRIC, REVENUE_METRIC),
    # Recorded bases accrue it; where OpenAI's revenue is recorded it is solved from it and the payments.
    "microsoft_share": (*MICROSOFT_BASE_METRICS, PAYMENT_METRIC, REVENUE_METRIC),
    "implied_revenue": (PAYMENT_METRIC, *MICROSOFT_BASE_METRICS),
    "recorded_revenue": (REVENUE_METRIC,),
    "inference": (INFERENCE_METRIC,),
    "inference_to_revenue": (PAYMENT_METRIC, *MICROSOFT_BASE_METRICS, INFERENCE_METRIC),
}
#: What a reconciliation row derives (implied, the reconciling base, its notes) rests on, beyond its own figures.
_DERIVED_SOURCES: dict[str, tuple[str, ...]] = {
    REVENUE_METRIC: (PAYMENT_METRIC, *MICROSOFT_BASE_METRICS),
    RUN_RATE_METRIC: (PAYMENT_METRIC, *MICROSOFT_BASE_METRICS),
    INFERENCE_METRIC: (PAYMENT_METRIC, *MICROSOFT_BASE_METRICS),
}
#: The derived columns of a reconciliation row; `implies` is its notes.
_DERIVED = ("implied", "reconciling_base", "implies")


@dataclass(frozen=True)
class BookError:
    """One error of the books as the page lists it: where, what, and its (file, line) when it has a real one."""

    where: str
    message: str
    line: tuple[str, int] | None


def listed(errors: Iterable[Any]) -> list[BookError]:
    """The books' errors as `FILE:LINE` with the message; each renderer links the line its own way."""
    out = []
    for error in errors:
        meta = getattr(error, "source", None) or {}
        filename, lineno = meta.get("filename"), meta.get("lineno")
        real = bool(filename) and not str(filename).startswith("<")
        where = f"{os.path.basename(str(filename))}:{lineno}" if real else (str(filename) if filename else "")
        line = (str(filename), int(lineno)) if real and lineno else None
        out.append(BookError(where, " ".join(str(error.message).split()), line))
    return out


def suspect_metrics(errors) -> frozenset | None:
    """The metrics the errors make wrong; EVERYTHING (None) if one is neither at a figure nor at a transaction
    posting to a metric's accounts (a hand-written posting to OpenAI's inference makes inference wrong, not the
    2024 payment)."""
    metrics: set[str] = set()
    for error in errors:
        entry = getattr(error, "entry", None)
        fig = figure_of(entry)
        touched = frozenset((fig.metric,)) if fig is not None else metrics_touched(entry)
        if not touched:
            return EVERYTHING
        metrics |= touched
    return frozenset(metrics)


def rests_on(sources, suspect: frozenset | None) -> bool:
    """Whether a number derived from `sources` (metrics) may be wrong: the errors touch one of them, or any."""
    return suspect is EVERYTHING or bool(suspect.intersection(sources))


def suspect_columns(suspect: frozenset | None) -> frozenset:
    """The period-table columns the errors make wrong."""
    return frozenset(c for c, sources in PERIOD_SOURCES.items() if rests_on(sources, suspect))


def suspect_cells(row: dict, suspect: frozenset | None) -> list[str]:
    """The cells of a reconciliation row the errors make wrong.

    The row's own figures (and those set beside it, such as the reported cost
    of revenue beside inference) are wrong only through their own metric;
    what the row derives (implied revenue, the reconciling base, the notes)
    through what it derives from; the gap through either side.
    """
    metric = row["metric"]
    own = (metric, *(m for m, (beside, _) in COMPARED.items() if beside == metric))
    own_wrong = rests_on(own, suspect)
    derived_wrong = own_wrong or rests_on(_DERIVED_SOURCES.get(metric, ()), suspect)
    cells = [k for k in RECONCILE_VALUES if k != "implied" and own_wrong and row.get(k) is not None]
    cells += [k for k in _DERIVED if derived_wrong and row.get(k) is not None]
    if row.get("gap") is not None and (own_wrong or "implied" in cells):
        cells.append("gap")
    return cells
