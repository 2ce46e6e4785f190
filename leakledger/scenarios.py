"""A scenario beside the base books: the cells and notes `scenario compare` and the site's scenario page share.

A scenario is about the figures it assumes, so the comparison must show
them: OpenAI's recorded revenue sits beside the implied wherever a book
records some (the base's audited 2024 and 2025 as ranges, a scenario's
projected path), and revenue that rests on `#assumed` figures says so in
the text, as `recorded_revenue_kind` says it in CSV and JSON. Written once
here, so the command and the page agree cell for cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leakledger.blank_cells import MONEY, period_blanks
from leakledger.model_view import compare_notes
from leakledger.presentation import NOT_KNOWN, cell_covers, period_cells, period_headers
from leakledger.reports import RECORDED_REVENUE, RECORDED_REVENUE_KIND
from leakledger.table_numbers import missing

__all__ = ["ASSUMED", "PART_ASSUMED", "assumed_mark", "assumed_note", "table_cells", "compare_section_notes"]

#: After a recorded revenue every figure of which a book assumes (a scenario's projection), and after one some of
#: whose figures it assumes (a total over the audited years and the projection).
ASSUMED, PART_ASSUMED = " (assumed)", " (part assumed)"


def _kinds(record: Mapping[str, Any]) -> list[str]:
    kinds = record.get(RECORDED_REVENUE_KIND)
    return [] if missing(kinds) or not kinds else str(kinds).split(", ")


def assumed_mark(record: Mapping[str, Any]) -> str:
    """The mark after a period row's recorded revenue (ASSUMED, PART_ASSUMED or ""), from its figures' kinds."""
    kinds = _kinds(record)
    if "assumed" not in kinds:
        return ""
    return ASSUMED if kinds == ["assumed"] else PART_ASSUMED


def _marked(text: str, record: Mapping[str, Any]) -> str:
    """A recorded revenue cell with its assumed mark, before the mark of the span it covers (" †", " (SPAN)")."""
    mark = assumed_mark(record)
    if not text or not mark:
        return text
    span = cell_covers(record, RECORDED_REVENUE)
    for covers in (" †", f" ({span})") if span else ():
        if text.endswith(covers):
            return text[: -len(covers)] + mark + covers
    return text + mark


def table_cells(frame: Any) -> tuple[list[str], list[str], list[list[str]]]:
    """The columns, headers and text cells of a period table (`report`) or a comparison of them (`scenario
    compare`, reports.compare_tables): the recorded revenue column wherever a row records revenue, an assumed
    one marked (a scenario's projection, which `report --scenario` shows as compare does).

    A money cell with no figure is never blank: it says what it is in the pages' words (blank_cells:
    "not known", or "not implied" beside a recorded revenue); the notes say why (model_view.period_notes,
    `blanks`), the page in its title.
    """
    shown = period_headers(frame.to_dict("records"))
    headers, rows = period_cells(frame, shown)
    columns = [c for c in shown if c in frame.columns]
    for record, cells in zip(frame.to_dict("records"), rows):
        row = {k: None if missing(v) else v for k, v in record.items()}  # a comparison's absent cell: NaN
        words = period_blanks(row, None)
        for at, column in enumerate(columns):
            if column == RECORDED_REVENUE:
                cells[at] = _marked(cells[at], record)
            if column in MONEY and not cells[at]:
                cells[at] = words[column][0] if column in words else NOT_KNOWN
    return columns, headers, rows


def assumed_note(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The note under a table with an assumed recorded revenue: what the mark means, and which rows."""
    marked: dict[str, list[str]] = {}
    for row in rows:
        if mark := assumed_mark(row):
            marked.setdefault(mark, []).append(str(row["period"]))
    said = {
        ASSUMED: "OpenAI revenue the book assumes (#assumed figures: no source states it)",
        PART_ASSUMED: "sources' figures and assumed ones added up",
    }
    parts = [f"{mark.strip()}: {said[mark]} ({', '.join(periods)})" for mark, periods in marked.items()]
    return "; ".join(parts) or None


def compare_section_notes(
    frame: Any, caps: Mapping[str, Any], *, posted_under: bool = False, blanks: bool = False
) -> list[str]:
    """The notes under a comparison (`model_view.compare_notes`), with what an assumed revenue is, before the caps.

    Each row is named by its period and book ("2026 openai-revenue-to-2030"). `blanks`: as
    model_view.period_notes (the command's text says why each cell is not known under the table).
    """
    notes = compare_notes(frame, caps=caps, posted_under=posted_under, blanks=blanks)
    records = [{**r, "period": f"{r['period']} {r['book']}"} for r in frame.to_dict("records")]
    if note := assumed_note(records):
        at = next((i for i, n in enumerate(notes) if n.startswith("Cap, ")), len(notes))
        notes.insert(at, note)
    return notes
