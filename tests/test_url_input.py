"""A `url:` is a web address or it is refused where it is typed: `add --url`, a sheet's url column, Fava's forms.

One check (leakledger.urls.web_url, the one the published site links with);
a refusal is one line, exit 2 on the command line, and no file changes.
"""

from __future__ import annotations

import pytest
from conftest import snapshot
from fava_client import fava
from leakledger.cli.app import app
from typer.testing import CliRunner

from leakledger.urls import url_error

runner = CliRunner()
MSQ3 = "Microsoft Form 10-Q, quarter ended 2026-03-31"
BAD = ["not a url", "javascript:alert(1)", "file:///etc/passwd", "https:///no-host", "ftp://example.org/x"]


@pytest.mark.parametrize("url", BAD)
def test_add_refuses_a_url_that_is_no_web_address(ledger_copy, url):
    before = snapshot(ledger_copy.parent)
    # FACTS (TI-Q1): OpenAI's 2026-Q1 revenue, 5.7B; refused for its url before anything else is read.
    done = runner.invoke(
        app,
        ["add", "revenue", "5.7B", "--period", "2026-Q1", "--kind", "reported", "--source", "TI-Q1"]
        + ["--url", url, "--ledger", str(ledger_copy)],
    )
    assert done.exit_code == 2 and done.stdout == ""
    assert done.stderr == f"error: url {url!r} is not a web address: give one that starts with https:// or http://\n"
    assert snapshot(ledger_copy.parent) == before


def test_a_sheet_with_a_bad_url_is_refused_whole_and_fava_s_import_page_says_why(ledger_copy, tmp_path):
    sheet = ledger_copy.parent / "imports" / "urls.csv"
    # FACTS: TI-Q1's 2026-Q1 revenue (5.7B) with a web address; MSQ3's 2026-Q1 loss share (19,000,000) with a
    # script for its url, refused before the row is read against the books.
    sheet.write_text(
        "metric,period,amount,source,url,kind\n"
        "revenue,2026-Q1,5.7B,TI-Q1,https://example.org/ti,reported\n"
        'losses-share,2026-Q1,"19,000,000",MSQ3,javascript:alert(1),disclosed\n'
    )
    before = snapshot(ledger_copy.parent)
    done = runner.invoke(app, ["import", str(sheet), "--ledger", str(ledger_copy)])
    assert done.exit_code == 2
    assert done.stderr == (
        "error: urls.csv:3: url 'javascript:alert(1)' is not a web address: "
        "give one that starts with https:// or http://\n"
    )
    assert snapshot(ledger_copy.parent) == before

    extracted = fava(ledger_copy).get("api/extract", filename=str(sheet.resolve()), importer="leakledger.leaksheet")
    assert extracted.status_code == 200
    [note] = extracted.get_json()["data"]
    assert note["comment"].startswith("error: urls.csv:3: url 'javascript:alert(1)' is not a web address")


def payment(url: str) -> dict:
    """Fava's add form's JSON for a transaction with `url:` (a note-free figure line, as the form sends it)."""
    return {
        "t": "Transaction",
        "date": "2026-03-31",
        "flag": "*",
        "payee": "",
        "narration": "Microsoft's share of OpenAI losses (2026-Q1, as typed in Fava)",
        "tags": ["disclosed"],  # its kind: a hand-written transaction needs one, or the save adds an error
        "links": [],
        "meta": {"source": MSQ3, "url": url},
        "postings": [
            {"account": "Expenses:Microsoft:OpenAILosses", "amount": "0.00 USD", "meta": {}},
            {"account": "Assets:Microsoft:Investment:OpenAI", "amount": "0.00 USD", "meta": {}},
        ],
    }


def test_fava_s_add_form_refuses_a_url_that_is_no_web_address_under_serve(ledger_copy):
    books = fava(ledger_copy, guarded=True)
    before = snapshot(ledger_copy.parent)
    refused = books.client.put(f"/{books.slug}/api/add_entries", json={"entries": [payment("javascript:alert(1)")]})
    assert refused.status_code == 400
    assert refused.get_json() == {
        "error": "error: url 'javascript:alert(1)' is not a web address: "
        "give one that starts with https:// or http://; nothing was written"
    }
    assert snapshot(ledger_copy.parent) == before

    saved = books.client.put(f"/{books.slug}/api/add_entries", json={"entries": [payment("https://example.org/q")]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    after = snapshot(ledger_copy.parent)
    assert [name for name in after if after[name] != before[name]] == ["2026.beancount"]
    assert b'url: "https://example.org/q"' in after["2026.beancount"]


def test_the_check_reads_what_the_site_links():
    assert url_error("url", "https://www.wheresyoured.at/oai_docs/") is None and url_error("url", "  ") is None
    assert url_error("reported-url", "www.example.org") == (
        "reported-url 'www.example.org' is not a web address: give one that starts with https:// or http://"
    )
