"""What a period table's blank money cell is, in words: one place for the Fava page and the published site.

A cell with no figure is never a bare dash nor an empty cell: it is "not
implied" beside a recorded revenue (solved the other way, not unknown), or
"not known" with why (the flow's own words, else the column's). A cell whose
books say why (`not_known`) is left to them.
"""

from __future__ import annotations

from typing import Any

from leakledger.flows import FLOW_ORDER, PeriodFlows
from leakledger.model_view import WHY_UNKNOWN
from leakledger.presentation import NOT_KNOWN
from leakledger.reports import NO_FIGURE_WHY  # the words every view gives for a cell with no figure
from leakledger.table_numbers import SOLVED_NOT_IMPLIED

__all__ = ["MONEY", "NO_FIGURE_WHY", "NOT_IMPLIED", "NOT_IMPLIED_WHY", "period_blanks"]

#: The period table's money columns, as the pages show them.
MONEY = ("net_payment", "openai_share", "microsoft_share", "recorded_revenue", "implied_revenue", "inference")
#: Implied revenue beside a recorded one: not unknown, solved the other way.
NOT_IMPLIED = "not implied"
NOT_IMPLIED_WHY = f"OpenAI's revenue is recorded for the period: {SOLVED_NOT_IMPLIED}"


def period_blanks(row: dict[str, Any], flows: PeriodFlows | None) -> dict[str, tuple[str, str]]:
    """Column -> (words, why) for each money cell of a period row with no figure and no reason of the books' own."""
    blank: dict[str, tuple[str, str]] = {}
    for column in MONEY:
        if row.get(column) is not None:
            continue
        if column == "implied_revenue" and row.get("recorded_revenue") is not None:
            said = row.get("implied_revenue_blank")  # the report's own words, with the period (reports)
            blank[column] = (NOT_IMPLIED, said if isinstance(said, str) and said else NOT_IMPLIED_WHY)
            continue
        if (row.get(WHY_UNKNOWN) or {}).get(column):
            continue  # the books say why, in the cell's title and in the table's notes
        flow = flows.flow(column) if flows is not None and column in FLOW_ORDER else None
        blank[column] = (NOT_KNOWN, flow.why if flow is not None else NO_FIGURE_WHY[column])
    return blank
