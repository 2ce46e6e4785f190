"""Every Fava test's client, built in one place: a real Fava app over real books, through Flask's test client.

`fava(*paths)` loads the books as Fava does for `fava FILE...` (absolute
paths, loaded before the first request); `guarded=True` adds what
`leakledger serve` puts around Fava (the books' lock on every writing
request, the Content-Security-Policy), for the tests of exactly that.
The session's read-only Fava on the shipped books is conftest's
`shipped_fava` fixture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fava.application import create_app
from fava.core import FavaLedger
from flask import Flask
from flask.testing import FlaskClient

#: The Leak model page, under a book's slug.
LEAK_MODEL = "extension/LeakModel"


@dataclass(frozen=True)
class Fava:
    """A Fava app and its test client; `slug` is the first book's."""

    app: Flask
    client: FlaskClient

    @property
    def slug(self) -> str:
        return self.app.config["LEDGERS"].first_slug()

    @property
    def slugs(self) -> dict[str, str]:
        """{title: slug} of every book, in Fava's file-switcher order."""
        return {ledger.options["title"]: slug for slug, ledger in self.app.config["LEDGERS"].items()}

    def ledger(self, slug: str | None = None) -> FavaLedger:
        return self.app.config["LEDGERS"][slug or self.slug]

    def get(self, page: str, *, slug: str | None = None, **query):
        """GET a page of a book (the first unless `slug`), e.g. get("extension/LeakModel/", time="2024")."""
        return self.client.get(f"/{slug or self.slug}/{page}", query_string=query)

    def json(self, page: str, *, slug: str | None = None, **query) -> dict:
        """A JSON answer of a book's page (see get_json)."""
        return get_json(self.client, f"/{slug or self.slug}/{page}", **query)

    def model(self, *, slug: str | None = None, **query) -> dict:
        """The Leak model page's data (its JSON endpoint)."""
        return self.json(f"{LEAK_MODEL}/model", slug=slug, **query)


def get_json(client: FlaskClient, url: str, **query) -> dict:
    """A JSON answer that must be 200, its numbers read as Decimal (Fava writes Decimals as exact numbers)."""
    response = client.get(url, query_string=query)
    assert response.status_code == 200, (url, query, response.status_code, response.data[:500])
    return json.loads(response.data, parse_float=Decimal)


def fava(*paths: Path | str, guarded: bool = False) -> Fava:
    """Fava on these books (the first is the first slug); `guarded`: as `leakledger serve` wraps it."""
    files = [Path(p).resolve() for p in paths]
    # Fava's poll watcher reads the files' mtimes on each request: the test process makes many Favas, and
    # each inotify watcher would hold one of the user's 128 inotify instances until the process ends.
    if not guarded:
        app = create_app([str(f) for f in files], load=True, poll_watcher=True)
    else:
        from leakledger.cli.serve_guard import guard

        from leakledger.books_lock import reading

        with reading(files):
            app = create_app([str(f) for f in files], load=True, poll_watcher=True)
            guard(app, files)
    app.testing = True
    return Fava(app, app.test_client())
