"""One model per load: the Leak model page reads the books once, and reuses what it read.

The entries Fava's filters leave are handed to the model as a list that
counts every walk over it (bench.common.CountedWalks): any reader that
walked the entries again (a `figures_of`, a `read_rules`, a `derived(...)`)
would count. Real Fava (tests/fava_client.py) on the shipped books.
"""

from __future__ import annotations

import leakledger.fava_ext as extension_module
import pytest
from conftest import MAIN
from fava_client import fava as fava_on

from bench.common import CountedWalks, counting_model_entries
from leakledger.book_model import BookModel
from leakledger.books import load_books

PAGE = "extension/LeakModel/"


@pytest.fixture
def fava():
    """(client, slug, the entry lists the model was given): a fresh load, the model's reads counted."""
    given, undo = counting_model_entries(extension_module)
    try:
        books = fava_on(MAIN)  # a fresh load: the count starts with it
        yield books.client, books.slug, given
    finally:
        undo()


def _get(client, url: str, **query) -> None:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, (url, response.status_code)


def test_one_page_view_walks_the_entries_once(fava):
    client, slug, given = fava
    _get(client, f"/{slug}/{PAGE}")
    assert len(given) == 1  # one model for this load and these filters
    assert given[0].walks == 1
    assert len(given[0]) > 100  # the shipped books, not an empty list that nothing needs to walk


def test_later_views_reuse_the_model(fava):
    client, slug, given = fava
    _get(client, f"/{slug}/{PAGE}")
    for by in ("year", "half", "quarter"):  # another grouping is another table of the same model
        _get(client, f"/{slug}/{PAGE}", by=by)
    _get(client, f"/{slug}/{PAGE}model")  # the JSON endpoint reads the same model
    assert len(given) == 1 and given[0].walks == 1


def test_a_filter_that_changes_the_entries_builds_a_new_model_once(fava):
    client, slug, given = fava
    _get(client, f"/{slug}/{PAGE}")
    _get(client, f"/{slug}/{PAGE}", time="2025")
    _get(client, f"/{slug}/{PAGE}", time="2025", by="quarter")
    assert [g.walks for g in given] == [1, 1]
    assert len(given[1]) < len(given[0])  # the time filter left fewer entries


def test_a_new_load_builds_a_new_model(fava):
    client, slug, given = fava
    _get(client, f"/{slug}/{PAGE}")
    ledger = client.application.config["LEDGERS"][slug]
    ledger.extensions.after_load_file()  # what Fava calls when the books change on disk
    _get(client, f"/{slug}/{PAGE}")
    assert [g.walks for g in given] == [1, 1]


def test_the_journal_s_endpoints_read_the_load_s_model(fava):
    """`numbers` and `rules` (what LeakModel.js writes into Fava's Journal) read the model of the books as
    loaded: the first builds it, with one walk, and no filter, as-of or page view builds another for them."""
    client, slug, given = fava
    _get(client, f"/{slug}/{PAGE}numbers")
    assert len(given) == 1 and given[0].walks == 1
    for query in ({}, {"time": "2025"}, {"as-of": "2025-11-13"}, {"account": "Assets"}):
        _get(client, f"/{slug}/{PAGE}numbers", **query)
        _get(client, f"/{slug}/{PAGE}rules", **query)
    _get(client, f"/{slug}/{PAGE}")  # the page without filters reads the same model
    assert len(given) == 1 and given[0].walks == 1


def test_every_table_of_a_model_comes_from_one_walk():
    """What publish and the CLI read: every grouping, the reconciliation and the views, one walk."""
    entries, errors, options = load_books(MAIN)
    assert errors == []
    counted = CountedWalks(entries)
    model = BookModel(counted, options)
    for by in ("year", "half", "quarter"):
        model.view(by)
        model.period_table(by)
    model.reconcile_table()
    assert model.caps is not None and model.refinements is not None
    walks = counted.walks
    for entity in ("OpenAI", "Microsoft"):
        model.statement(entity, "year")  # its own postings take a walk; the model of the deal none
    assert walks == 1 and counted.walks == walks + 2
