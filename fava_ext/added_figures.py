"""Fava's add form checked as `leakledger add` checks a figure: its sign.

Fava saves what its add form sends (`api/add_entries`) as typed, so a
negative revenue share would land in the books though `add` and leak sheets
refuse one. The Leak model extension reads each transaction the form would
save that records a figure (`metric:` or `period-start:`), as the figures
plugin reads it, and refuses the whole save, nothing written, when its amount
has a sign its metric cannot take (`leakledger.model.sign_error`, the rule
`add` and sheets apply); a loss share's gain, negative, is saved.

Any other error a save would add (a second figure for a period, a figure
without `period-start:`, a sheet row that leaves a share negative) shows
only once the books load with it, as `leakledger add` finds it: so Fava's
save itself runs under `leakledger.writer.guard_write` (`guard_add_entries`
wraps the endpoint's view), which keeps every file's bytes, lets Fava write,
loads the books again, and puts every file back with the same one-line
refusal as `add` when the save added an error. Fava's editor (`PUT
api/source`) is left as it is: it may save a half-written file.
"""

from __future__ import annotations

import functools
import threading
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import fava.core  # noqa: F401  (fava.serialisation imports cleanly only after fava.core)
from beancount.core.amount import Amount
from beancount.core.data import Transaction
from fava.context import g
from fava.json_api import FavaJSONAPIError
from fava.serialisation import deserialise

from leakledger.amounts import quoted
from leakledger.figures import read_metric
from leakledger.model import METRICS, sign_error
from leakledger.writer import WriteError, guard_write

__all__ = ["AddedFigureRefused", "added_sign_error", "guard_add_entries"]

#: The endpoint of the add form's save (and the import page's).
ADD_ENTRIES = "json_api.put_add_entries"


class AddedFigureRefused(FavaJSONAPIError):
    """A save of the add form refused: Fava's JSON API answers `{"error": message}` with this status."""

    status = HTTPStatus.BAD_REQUEST


def _figure_amount(entry: Transaction, metric: str) -> Decimal | None:
    """The figure's amount as its metric counts it: the first of its legs typed with a number (a leg left
    blank is Beancount's to fill in), times that leg's sign; None if none is."""
    for account, sign in METRICS[metric].legs:
        numbers = [
            p.units.number
            for p in entry.postings
            if p.account == account and isinstance(p.units, Amount) and isinstance(p.units.number, Decimal)
        ]
        if numbers:
            return sign * sum(numbers, Decimal(0))
    return None


def added_sign_error(entries: Any) -> str | None:
    """Why one of the figures in Fava's JSON of entries to add has a sign its metric cannot take, or None."""
    for raw in entries if isinstance(entries, list) else []:
        if not isinstance(raw, dict) or raw.get("t") != "Transaction":
            continue
        meta = raw.get("meta")
        if not isinstance(meta, dict) or not {"metric", "period-start"} & set(meta):
            continue
        try:
            entry = deserialise(raw)
        except Exception:  # noqa: BLE001  (Fava's own save then says what is wrong with it)
            continue
        assert isinstance(entry, Transaction), "its type is Transaction: checked above"
        metric, _ = read_metric(entry)
        amount = _figure_amount(entry, metric) if metric is not None else None
        if amount is not None and metric is not None and (problem := sign_error(metric, amount, quoted(amount))):
            return problem
    return None


_wrapping = threading.Lock()


def guard_add_entries(app: Any) -> None:
    """Make a Flask app's Fava save `api/add_entries` only what leaves the books without a new error (once per app).

    A save that adds one is undone, every file put back byte-for-byte, and
    answered as Fava's JSON API answers an error: 400, `{"error": "error: the
    change would add an error, so nothing was written: FILE:LINE: ..."}`.
    """
    with _wrapping:
        view = app.view_functions[ADD_ENTRIES]
        if getattr(view, "leakledger_guarded", False):
            return

        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return guard_write(g.ledger.beancount_file_path, lambda: view(*args, **kwargs))
            except WriteError as refused:
                raise AddedFigureRefused(f"error: {refused}") from None

        guarded.leakledger_guarded = True  # type: ignore[attr-defined]
        app.view_functions[ADD_ENTRIES] = guarded
