"""Three thin renderers of one model: the CLI, the Fava page and publish show the model's rows.

Each renderer builds its own links from a cell's `CellSources` (Fava: a
journal filter or an editor line; publish: a figure page); the numbers and
words are the model's. Real Beancount on the shipped books, real Fava
(its Flask test client), the real `leakledger` command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import MAIN

from leakledger.book_model import BookModel
from leakledger.books import load_clean
from leakledger.model_view import CellSources
from leakledger.presentation import metric_sources
from leakledger.publish.figure_pages import targets_of
from leakledger.publish.markup import Markup
from leakledger.table_numbers import plain


@pytest.fixture(scope="module")
def model() -> BookModel:
    return BookModel(*load_clean(MAIN))


def test_the_cli_prints_the_models_rows(model):
    done = subprocess.run(
        [sys.executable, "-m", "leakledger", "report", "--by", "half", "--format", "json", "--ledger", str(MAIN)],
        capture_output=True,
        text=True,
        check=True,
    )
    printed = json.loads(done.stdout)
    assert printed == [{k: plain(v) for k, v in row.items()} for row in model.period_rows("half")]


def test_fava_links_are_built_from_the_cells_sources(model, shipped_fava):
    answer = shipped_fava.get("extension/LeakModel/model")
    assert answer.status_code == 200
    shown = json.loads(answer.data)
    view = model.view("year")
    assert len(shown["reconcile_table"]) == len(view.reconcile_rows)
    for page_row, row in zip(shown["reconcile_table"], view.reconcile_rows):
        assert page_row["metric"] == row["metric"] and page_row["period"] == row["period"]
        assert page_row["sources"] == row["sources"]  # the figures' own sources, as text
        assert set(page_row["links"]) == set(row["cell_sources"])
        for column, sources in row["cell_sources"].items():
            url = urlsplit(page_row["links"][column])
            if sources.links:  # the journal, filtered by exactly the cell's links
                (expression,) = parse_qs(url.query)["filter"]
                assert sorted(link.strip().lstrip("^") for link in expression.split(",")) == list(sources.links)
            elif sources.line:  # the figure's line in the editor
                assert parse_qs(url.query)["line"] == [str(sources.line[1])]


def test_the_2024_payment_cell_names_its_link(model):
    # docs/sources.md: the 2024 net payment is recorded as its quarters, refining the year's total,
    # which carries the link ^revenue-share-2024; its parts carry it too, so that link stands for all.
    row = next(r for r in model.view("year").period_rows if r["period"] == "2024")
    assert row["cell_sources"]["net_payment"] == CellSources(links=("revenue-share-2024",))
    assert targets_of(row["cell_sources"]["net_payment"], model.index) == ("revenue-share-2024",)


def test_a_cell_with_no_single_figure_names_the_derived_records_behind_it(first_leak_main):
    """A run rate annualizes the latest implied revenue: its sources are every implied-revenue record.

    On the first leak's books (conftest.first_leak): the shipped ones record the revenue and imply none.
    """
    model = BookModel(*load_clean(first_leak_main))
    having = CellSources(having=("rule", "implied-revenue"))
    implied = {link for d in model.index.of_rule("implied-revenue") for link in d.entry.links}
    assert implied and set(targets_of(having, model.index)) == implied


def test_the_published_reconciliation_shows_each_rows_words_and_sources(model, tmp_path):
    out = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "leakledger", "publish", str(out), "--ledger", str(MAIN)],
        capture_output=True,
        text=True,
        check=True,
    )
    html = (out / "index.html").read_text(encoding="utf-8")
    rows = [r for r in model.view("year").reconcile_rows if r["sources"]]
    assert rows
    common = metric_sources(rows)  # the sources most of a metric's rows name: said once, over its rows
    for row in rows:
        if row["sources"] == common.get(row["metric"]):
            over = Markup('<strong>{}</strong> <span class="sources">Sources, unless a row says otherwise: {}</span>')
            assert over.format(row["metric"], row["sources"]) in html, row
        else:
            assert Markup('<span class="implies">Sources: {}</span>').format(row["sources"]) in html, row
    # Money in the table is the model's, as the terminal writes it (2024: OpenAI's 20% of its audited revenue).
    share = next(r for r in model.view("year").period_rows if r["period"] == "2024")["openai_share"]
    assert isinstance(share, Decimal) and f"{share:,.0f}" in html
