"""One page per figure, as `leakledger explain` shows it, and where each table cell links.

A figure's page is its lineage (leakledger.lineage, the code behind
`leakledger explain`): the rule, the arithmetic, the inputs and their
sources with URLs, and the entries as the books hold them. A table cell
that adds up several figures (a year of two half-year payments) gets a page
of its own listing each, so every figure in the tables links to one page.

Which figures stand behind a cell is decided by the code the Fava page
shares (leakledger.model_view): each cell carries its `CellSources` as data, and
`targets_of` reads them as explain targets.
"""

from __future__ import annotations

import os
import re

from leakledger.book_index import BookIndex
from leakledger.figure_text import entry_text
from leakledger.figures import figure_of, is_generated
from leakledger.lineage import ExplainError, Lineage, Node
from leakledger.model_view import CellSources
from leakledger.presentation import marks_said
from leakledger.publish.markup import Markup, escape, join, link, linkify, rel

__all__ = ["targets_of", "FigurePages"]

_SLUG_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def targets_of(sources: CellSources | None, index: BookIndex) -> tuple[str, ...]:
    """The explain targets (links, or FILE:LINE) behind a cell's sources."""
    if not sources:
        return ()
    if sources.links:
        return tuple(sorted(set(sources.links)))
    if sources.line:
        filename, line = sources.line
        return (f"{filename}:{line}",)
    assert sources.having is not None
    # No figure stands alone behind the cell (a run rate annualizes every implied revenue): the
    # derived records it names, by link.
    return tuple(sorted({link for d in index.having(*sources.having) for link in (d.entry.links or ())}))


def _slug(text: str) -> str:
    return _SLUG_UNSAFE.sub("-", text.lower()).strip("-.") or "figure"


_AT = re.compile(r"^at (.+):(\d+)$")


def tree_html(node: Node, book_file=None) -> Markup:
    """A lineage tree as nested lists; URLs in it become links, everything else text.

    `book_file(path)` gives the site URL of a file of the books, so an
    `at FILE:LINE` line links to the copy of the file in the site.
    """
    if not node.children:
        return Markup("")
    items = []
    for child in node.children:
        at = _AT.match(child.label)
        href = book_file(at.group(1)) if at and book_file else None
        text = (
            Markup("at {}").format(link(href, f"{at.group(1)}:{at.group(2)}")) if at and href else linkify(child.label)
        )
        # Joined as text, not through Markup.format (a site of 100k figures has millions of these): `text` and
        # the subtree are Markup already, so escape() passes them as they are, as format would.
        items.append(f"<li>{escape(text)}{tree_html(child, book_file)}</li>")
    return Markup('<ul class="tree">' + "".join(items) + "</ul>")


class FigurePages:
    """The figure pages of one book, under `folder` ("figures" or "scenarios/NAME/figures")."""

    def __init__(self, index: BookIndex, folder: str, root: str):
        self.entries = index.entries
        self.folder = folder
        self.root = root
        self.lineage = Lineage(index.entries, root, index=index)
        self.book_files: set[str] = set()  # the books' files as the site holds them under books/
        self._explained: dict[str, Markup] = {}
        self.pages: dict[str, tuple[str, tuple[str, ...]]] = {}  # path -> (title, targets)
        self.cells: dict[str, dict[str, str]] = {}  # path -> {a table cell it stands for: the text the cell shows}
        self._paths: dict[tuple[str, ...], str] = {}
        for fig in index.figures:
            if not is_generated(fig.entry):
                self.page_of((self.target_of(fig.entry),))

    def target_of(self, entry) -> str:
        links = sorted(getattr(entry, "links", None) or ())
        if links:
            return links[0]
        return f"{entry.meta['filename']}:{entry.meta['lineno']}"

    def _name(self, target: str) -> str:
        file_part, sep, line = target.rpartition(":")
        if sep and line.isdigit():
            return f"{os.path.splitext(os.path.basename(file_part))[0]}-line-{line}"
        return target

    def _page_of_one(self, target: str) -> str:
        path = self.page_of((target,))
        assert path is not None, "one target always has a page (registered on first use)"
        return path

    def page_of(
        self, targets: tuple[str, ...], cell: str | None = None, said: tuple[str, str] | None = None
    ) -> str | None:
        """The site path of the page for these targets (registered on first use). `said`: the table cell that
        links to it, as (what it is, the text it shows), which the page states with what its marks say."""
        if not targets:
            return None
        path = self._register(targets, cell, said)
        if said and len(targets) > 1:
            self.cells.setdefault(path, {}).setdefault(*said)
        return path

    def _register(self, targets: tuple[str, ...], cell: str | None, said: tuple[str, str] | None) -> str:
        if targets in self._paths:
            return self._paths[targets]
        name = self._name(targets[0]) if len(targets) == 1 else (cell or "+".join(targets))
        base = f"{self.folder}/{_slug(name)}"
        path, n = f"{base}.html", 1
        while path in self.pages:
            n += 1
            path = f"{base}-{n}.html"
        titles = [self.title_of(t) for t in targets[:3]]
        if len(targets) > 1 and said:  # a table's sum: named by its cell, not by its first figure
            title = f"{said[0]}: {said[1]}"
        else:
            title = " + ".join(titles) if len(targets) <= 3 else f"{titles[0]} and {len(targets) - 1} more figures"
        self.pages[path] = (title, targets)
        self._paths[targets] = path
        return path

    def title_of(self, target: str) -> str:
        try:
            found = self.lineage.find(target)
        except ExplainError:
            return target
        written = [e for e in found if not is_generated(e)] or found
        # A refined total shares its link with its parts: the page is the total's, the widest figure.
        entry = max(written, key=lambda e: f.period.days if (f := figure_of(e)) else 0)
        fig = figure_of(entry)
        if getattr(entry, "narration", None):
            return entry.narration
        if fig is not None:
            return f"{fig.metric} ({fig.period}), {fig.kind or 'no kind'}"
        return f"{getattr(entry, 'type', 'entry')} {entry.date}"

    def _book_file(self, path: str) -> str | None:
        return rel(f"{self.folder}/page.html", f"books/{path}") if path in self.book_files else None

    def shown(self, target: str) -> str:
        """A target as one types it after `leakledger explain`: ^LINK or FILE:LINE."""
        file_part, sep, line = target.rpartition(":")
        if sep and line.isdigit():
            return f"{os.path.relpath(file_part, self.root)}:{line}"
        return f"^{target}"

    def explained(self, here: str, target: str) -> Markup:
        """One target as `leakledger explain` shows it, with the entries it names."""
        if target in self._explained:
            return self._explained[target]
        tree = self.lineage.tree(target)
        shown = self.shown(target)
        written = [e for e in self.lineage.find(target) if not is_generated(e)]
        text = "\n".join(entry_text(e).rstrip("\n") for e in written)
        self._explained[target] = Markup(
            '<section class="explained"><h2><code>{}</code></h2>{}'
            "<details><summary>The entries in the books</summary><pre>{}</pre></details></section>"
        ).format(shown, tree_html(tree, self._book_file), text)
        return self._explained[target]

    def render(self, here: str, targets: tuple[str, ...], index_path: str) -> Markup:
        """The body of a figure page."""
        parts = []
        for cell, shown in self.cells.get(here, {}).items():
            parts.append(
                Markup('<p class="cell">In the tables, <strong>{}</strong> reads <strong>{}</strong>: {}.</p>').format(
                    cell, shown, "; ".join(marks_said(shown))
                )
            )
        if len(targets) > 1:
            items = join(
                Markup("<li>{}</li>").format(link(rel(here, self._page_of_one(t)), self.shown(t))) for t in targets
            )
            parts.append(
                Markup(
                    "<p>The figure in the table adds up these figures (or what is derived from them); "
                    "each is explained in turn.</p>"
                    '<ul class="parts">{}</ul>'
                ).format(items)
            )
        parts.extend(self.explained(here, t) for t in targets)
        parts.append(
            Markup("<p>{} · {}</p>").format(
                link(rel(here, index_path), "Back to the model"),
                link(rel(here, f"{self.folder}/index.html"), "All figures"),
            )
        )
        return join(parts)
