"""HTML for the published site: every text escaped, only web URLs become links.

Pages are built from `markupsafe.Markup` (Jinja's escaping type): a plain
`str` is escaped wherever it is joined into markup, so a source name, a note
or a narration from the books can never become a tag. URLs are links only
when their scheme is http or https; any other (`javascript:`, `data:`,
`file:`) stays inert text.
"""

from __future__ import annotations

import functools
import posixpath
import re

from markupsafe import Markup, escape

from leakledger.urls import web_url

__all__ = ["Markup", "escape", "join", "web_url", "link", "linkify", "rel", "page"]

#: http(s) URLs inside running text (stops at whitespace and closing punctuation).
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]", re.IGNORECASE)


def join(parts, sep: str = "") -> Markup:
    """Markup of several parts, each escaped unless it is already Markup."""
    return Markup(escape(sep)).join(escape(p) for p in parts)


def link(href: str, text, **attrs) -> Markup:
    """An `<a>`; `href` is a site-relative path or a checked web URL."""
    extra = (
        join(Markup(' {}="{}"').format(k.rstrip("_").replace("_", "-"), v) for k, v in attrs.items()) if attrs else ""
    )
    return Markup('<a href="{}"{}>{}</a>').format(href, extra, text)


def linkify(text: str) -> Markup:
    """Text with its http(s) URLs as links (opened outside the site); the rest escaped."""
    text = str(text)
    out, last = [], 0
    for match in _URL.finditer(text):
        url = web_url(match.group(0))
        if url is None:
            continue
        out.append(escape(text[last : match.start()]))
        out.append(link(url, url, rel="noopener noreferrer external"))
        last = match.end()
    out.append(escape(text[last:]))
    return join(out)


def rel(here: str, there: str) -> str:
    """The relative URL from the page at site path `here` to the site path `there`."""
    target, _, anchor = there.partition("#")
    path = _relpath(target, posixpath.dirname(here) or ".")
    return f"{path}#{anchor}" if anchor else path


@functools.lru_cache(maxsize=1 << 16)
def _relpath(target: str, folder: str) -> str:
    """posixpath.relpath, kept: a site's pages sit in a few folders and link the same pages again and again."""
    return posixpath.relpath(target, folder)


def page(
    here: str, *, title: str, heading, body: Markup, footer: Markup, nav: list[tuple[str, str]], lead: Markup | str = ""
) -> bytes:
    """One whole page: head, skip link, navigation, main, footer; UTF-8 bytes.

    `nav` is (site path, label); the page's own entry is marked current.
    """
    items = (
        _nav(here, tuple(nav)) if any(path == here for path, _ in nav) else _nav_in(posixpath.dirname(here), tuple(nav))
    )
    html = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="leakledger publish">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<title>{title}</title>\n<link rel="stylesheet" href="{css}">\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to the content</a>\n'
        '<header class="site"><nav aria-label="Site"><ul>{items}</ul></nav></header>\n'
        '<main id="main">\n<h1>{heading}</h1>\n{lead}{body}\n</main>\n'
        '<footer class="site">{footer}</footer>\n</body>\n</html>\n'
    ).format(
        title=title,
        css=rel(here, "assets/site.css"),
        items=items,
        heading=heading,
        lead=Markup('<p class="lead">{}</p>\n').format(lead) if lead else "",
        body=body,
        footer=footer,
    )
    return str(html).encode("utf-8")


def _nav(here: str, nav: tuple[tuple[str, str], ...]) -> Markup:
    """The navigation's items from the page at `here`; its own entry marked current."""
    return join(
        Markup("<li>{}</li>").format(
            link(rel(here, path), label, aria_current="page") if path == here else link(rel(here, path), label)
        )
        for path, label in nav
    )


@functools.lru_cache(maxsize=256)
def _nav_in(folder: str, nav: tuple[tuple[str, str], ...]) -> Markup:
    """The navigation of a page it does not list: the same for every such page of one folder."""
    return _nav(posixpath.join(folder, ""), nav)  # "folder/": no page of the navigation
