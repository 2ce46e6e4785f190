"""Fava's writes under `leakledger serve` take the books' lock; nothing either side saves is lost.

The race itself is bench/race_fava.py, run here for 12 seconds against a real
`leakledger serve`: Fava's editor saves 2025.beancount through `PUT
api/source` as fast as the server answers while `leakledger add` processes
record figures into the same file. (Without the lock, 15 seconds of it lost
22 acknowledged saves and a recorded figure.)
"""

from __future__ import annotations

import threading
import time

import pytest
from fava_client import fava
from leakledger.cli.serve_guard import CONTENT_SECURITY_POLICY

from bench.race_fava import race
from leakledger import writer


def test_every_acknowledged_save_and_every_recorded_figure_is_kept(ledger_copy):
    result = race(ledger_copy, seconds=12, adders=2)
    assert result.add_failures == []
    assert len(result.saves) >= 10 and len(result.adds) >= 3, result  # both sides really wrote
    assert result.lost_saves == [] and result.lost_adds == []
    assert result.check == ""


def fava_app(ledger):
    """Fava on the books as `leakledger serve` wraps it (the books' lock, the page policy)."""
    return fava(ledger, guarded=True).app


def fava_writes(app, slug: str, ledger) -> dict:
    """Each way Fava writes the books, as (request to send, the file it changes, text it leaves there)."""
    from fava.beans.funcs import hash_entry

    client = app.test_client()
    year = ledger.parent / "2025.beancount"
    loaded = client.get(f"/{slug}/api/source", query_string={"filename": str(year)}).json["data"]
    entry = next(
        e for e in app.config["LEDGERS"][slug].all_entries if "revenue-share-2025-h1" in getattr(e, "links", ())
    )
    entry_hash = hash_entry(entry)
    piece = client.get(f"/{slug}/api/source_slice", query_string={"entry_hash": entry_hash}).json["data"]
    return {
        "source": (
            dict(
                method="PUT",
                path=f"/{slug}/api/source",
                json={
                    "file_path": str(year),
                    "source": loaded["source"] + "; saved\n",
                    "sha256sum": loaded["sha256sum"],
                },
            ),
            year,
            "; saved\n",
        ),
        "slice": (
            dict(
                method="PUT",
                path=f"/{slug}/api/source_slice",
                json={
                    "entry_hash": entry_hash,
                    "source": piece["slice"] + '\n  note: "edited in Fava"',
                    "sha256sum": piece["sha256sum"],
                },
            ),
            year,
            'note: "edited in Fava"',
        ),
        "add_entries": (
            dict(
                method="PUT",
                path=f"/{slug}/api/add_entries",
                json={
                    "entries": [
                        {
                            "t": "Note",
                            "date": "2025-12-31",
                            "account": "Assets:OpenAI:Cash",
                            "comment": "added in Fava",
                            "meta": {},
                        }
                    ]
                },
            ),
            None,
            '"added in Fava"',
        ),
    }


@pytest.mark.parametrize("write", ["source", "slice", "add_entries"])
def test_each_fava_write_waits_for_the_books_lock(ledger_copy, write):
    app = fava_app(ledger_copy)
    slug = app.config["LEDGERS"].first_slug()
    request, changed, text = fava_writes(app, slug, ledger_copy)[write]
    before = {p: p.read_text() for p in ledger_copy.parent.glob("*.beancount")}
    answers = []
    saving = threading.Thread(target=lambda: answers.append(app.test_client().open(**request)))
    with writer.BooksLock(ledger_copy.parent):
        saving.start()
        time.sleep(1.0)
        assert saving.is_alive() and answers == []  # Fava waits; no file is touched
        assert {p: p.read_text() for p in before} == before
    saving.join(timeout=60)
    assert answers[0].status_code == 200, answers[0].get_data(as_text=True)
    after = {p: p.read_text() for p in before}
    written = [p for p in before if after[p] != before[p]]
    assert len(written) == 1 and text in after[written[0]] and changed in (None, written[0])


def test_every_page_and_answer_carries_the_policy(ledger_copy):
    app = fava_app(ledger_copy)
    client = app.test_client()
    slug = app.config["LEDGERS"].first_slug()
    for url in (f"/{slug}/journal/", f"/{slug}/api/errors", f"/{slug}/extension/LeakModel/"):
        response = client.get(url)
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    # Scripts from the server only: no inline script, no eval; WebAssembly for Fava's editor.
    sources = CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0].split()
    assert sources == ["'self'", "'wasm-unsafe-eval'"]
