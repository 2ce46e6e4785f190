"""Every table cell of a page as the words it shows, for the tests that no cell is a bare dash or blank.

A cell says what it is: a number, or words ("not known", "no figure", "not compared", "not applicable"), with
why in a title where the cell is narrow. A blank cell, a lone dash, "nan" or "None" says nothing.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: What a cell must never show on its own.
BARE = {"", "—", "-", "–", "nan", "none", "null"}


class _Cells(HTMLParser):
    """(table id, the cell's words, its row's first cell) for every td and th in a table's body."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[str] = []
        self.in_head = False
        self.row: list[str] = []
        self.cell: list[str] | None = None
        self.cells: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(dict(attrs).get("id") or "table")
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.tables and not self.in_head:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.tables:
            self.tables.pop()
        elif tag in ("td", "th") and self.cell is not None:
            words = " ".join("".join(self.cell).split())
            self.row.append(words)
            self.cells.append((self.tables[-1], words, self.row[0]))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def body_cells(html: str) -> list[tuple[str, str, str]]:
    """(table id, words, the row's first cell) of every body cell of every table in `html`."""
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def bare_cells(html: str) -> list[tuple[str, str, str]]:
    """The body cells of `html`'s tables that say nothing: blank, a lone dash, "nan", "None"."""
    return [cell for cell in body_cells(html) if cell[1].lower() in BARE]
