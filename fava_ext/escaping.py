"""Text from the books is never markup on Fava's pages, whatever Fava's templates say.

Fava 1.30's `_journal_table.html` (the Journal, each account's journal)
wraps its rows in `{% autoescape false %}`, so a hand-written payee such as
`<meta http-equiv="refresh" ...>` became an element of the page. A Jinja
extension rewrites every `autoescape false` block tag in a template's source
to `autoescape true` as the template is compiled: the template's own markup
is literal text and stays as it is, and every value it prints (payee,
narration, metadata, ...) is escaped. One hook on Fava's Jinja environment,
not a copy of Fava's template, so it holds for any template and any Fava
release that keeps Jinja.

`leakledger serve` installs it on its Fava app; the Leak model extension
installs it on the app that loaded it before each request, so Fava started
on the books directly (`fava ledger/main.beancount`) escapes too.
"""

from __future__ import annotations

import re

from jinja2.ext import Extension

__all__ = ["EscapeEverything", "escape_everything"]

_AUTOESCAPE_OFF = re.compile(r"(\{%[-+]?\s*autoescape\s+)false(\s*[-+]?%\})")


class EscapeEverything(Extension):
    """A Jinja extension: `{% autoescape false %}` in a template's source reads as `{% autoescape true %}`."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _AUTOESCAPE_OFF.sub(r"\1true\2", source)


def escape_everything(app) -> None:
    """Install EscapeEverything on a Flask app's Jinja environment (once), dropping templates compiled without it."""
    env = app.jinja_env
    if EscapeEverything.identifier in env.extensions:
        return
    env.add_extension(EscapeEverything)
    if env.cache is not None:
        env.cache.clear()
