"""Fava on the books, through Flask's test client: every page, the Leak model, filters.

Real Fava (tests/fava_client.py), real Beancount, the real plugins;
the extension's figures are checked against leakledger.reports, the code
behind `leakledger reconcile`, and against docs/sources.md arithmetic.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import MAIN, snapshot
from fava.application import CLIENT_SIDE_REPORTS
from fava.beans.funcs import hash_entry
from fava.core import FavaLedger
from fava_client import LEAK_MODEL, fava, get_json
from leakledger.cli.serve import is_loopback, ledger_files

from leakledger import reports
from leakledger.books import load_books
from leakledger.reconciliation import BESIDE

EXTENSION = LEAK_MODEL
# docs/sources.md: the 2024 net payment over OpenAI's 20% share.
IMPLIED_2024 = 493_800_000 / Decimal("0.20")  # 2,469,000,000
# docs/sources.md: (0.20 x 4.3B reported 2025-H1 revenue - 454.7M payment) / 0.20.
RECONCILING_BASE_2025_H1 = (Decimal("0.20") * 4_300_000_000 - 454_700_000) / Decimal("0.20")  # 2,026,500,000


@pytest.fixture
def shipped(shipped_fava):
    """(client, slug, ledger) of the session's Fava on the shipped books (the combined book)."""
    return shipped_fava.client, shipped_fava.slug, shipped_fava.ledger()


@pytest.fixture(scope="module")
def first_leak_fava(first_leak_main):
    """(client, slug, ledger) of Fava on the first leak's books (conftest.first_leak): payments imply revenue."""
    books = fava(first_leak_main)
    return books.client, books.slug, books.ledger()


def model(client, slug: str, **query) -> dict:
    return get_json(client, f"/{slug}/{EXTENSION}/model", **query)


def row(rows: list[dict], **match) -> dict:
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def same(json_value, frame_value) -> bool:
    """A JSON cell equals a frame cell: None is null, Decimals are their exact text."""
    if frame_value is None:
        return json_value is None
    if hasattr(frame_value, "isoformat"):
        return json_value == frame_value.isoformat()
    if isinstance(frame_value, Decimal):
        # The endpoint writes exact decimal text; the page embeds exact JSON numbers.
        return isinstance(json_value, (str, Decimal)) and Decimal(json_value) == frame_value
    return json_value == frame_value


def assert_equals_frame(rows: list[dict], frame) -> None:
    assert len(rows) == len(frame)
    for got, want in zip(rows, frame.to_dict("records")):
        for column, value in want.items():
            # a column beside a value (its range, a fact its note states) is left out of a row that holds none
            # there (null, as in the frame)
            found = got.get(column) if column.endswith(BESIDE) else got[column]
            assert same(found, value), (column, found, value, want)


# --- every page and API answers -------------------------------------------------


def test_every_report_page_answers_without_errors(shipped):
    client, slug, ledger = shipped
    assert get_json(client, f"/{slug}/api/errors")["data"] == []
    pages = [
        *CLIENT_SIDE_REPORTS,
        "holdings/by_account",
        "holdings/by_currency",
        "help",
        "account/Assets:OpenAI:Cash",
        "account/Income:Microsoft",
        EXTENSION,
    ]
    for page in pages:
        response = client.get(f"/{slug}/{page}/")
        assert response.status_code == 200, (page, response.status_code)
    assert client.get("/").status_code == 302
    assert client.get(f"/{slug}/").headers["Location"].endswith(f"/{slug}/{EXTENSION}/")


def test_every_get_api_answers(shipped):
    client, slug, ledger = shipped
    transaction = next(e for e in ledger.all_entries if hasattr(e, "postings"))

    args = {
        "payee_accounts": {"payee": "x"},
        "payee_transaction": {"payee": "x"},
        "narration_transaction": {"narration": transaction.narration},
        "query": {"query_string": "SELECT account, sum(position) GROUP BY account"},
        "context": {"entry_hash": hash_entry(transaction)},
        "source_slice": {"entry_hash": hash_entry(transaction)},
        "source": {"filename": str(MAIN)},
        "journal_page": {"page": "1", "order": "desc"},
        "help": {"page_slug": "_index"},
    }
    endpoints = [
        r.rule.rsplit("/", 1)[1]
        for r in client.application.url_map.iter_rules()
        if r.endpoint.startswith("json_api.get_")
    ]
    assert "income_statement" in endpoints
    for endpoint in endpoints:
        if endpoint == "extract":
            continue  # needs a file to import; the importers' tests cover it
        get_json(client, f"/{slug}/api/{endpoint}", **args.get(endpoint, {}))
    for report in ("journal", "changes", "balances"):
        get_json(client, f"/{slug}/api/account_report", a="Income:OpenAI:Revenue", r=report)
    assert get_json(client, f"/{slug}/api/errors")["data"] == []


def test_saved_queries_run_in_fava(shipped):
    client, slug, ledger = shipped
    queries = ledger.all_entries_by_type.Query
    for query in queries:
        result = get_json(client, f"/{slug}/api/query", query_string=query.query_string)
        assert result["data"]["t"] == "table", query.name


# --- the Leak model's figures are the reports' figures ------------------------------


def test_endpoint_is_the_reconcile_and_period_tables(shipped):
    client, slug, _ = shipped
    entries, errors, options_map = load_books(MAIN)
    assert errors == []
    data = model(client, slug)
    assert_equals_frame(data["reconcile_table"], reports.reconcile_table(entries, options_map))
    assert_equals_frame(data["period_table"], reports.period_table(entries, options_map, by="year"))
    for by in reports.BY:
        assert_equals_frame(
            model(client, slug, by=by)["period_table"], reports.period_table(entries, options_map, by=by)
        )


def test_implied_revenue_2024_and_its_entries(first_leak_fava):
    client, slug, _ = first_leak_fava
    data = model(client, slug)
    revenue = row(data["reconcile_table"], metric="revenue", period="2024")
    assert revenue["implied"] == "2469000000.00" and Decimal(revenue["implied"]) == IMPLIED_2024
    assert revenue["implied_bound"] == "lower"
    assert Decimal(revenue["reported"]) == 3_700_000_000  # docs/sources.md, NYT
    # docs/sources.md: (0.20 x 3.7B - 493.8M) / 0.20
    assert Decimal(revenue["reconciling_base"]) == (Decimal("0.20") * 3_700_000_000 - 493_800_000) / Decimal("0.20")
    year = row(data["period_table"], period="2024")
    assert Decimal(year["implied_revenue"]) == IMPLIED_2024
    assert year["net_payment"] == "493800000.00"  # exact decimal text
    # Each figure links to Fava's journal filtered by the link of its source entry.
    link = f"/{slug}/journal/?filter=%5Erevenue-share-2024"
    assert revenue["links"]["implied"] == link
    assert year["links"]["implied_revenue"] == link
    journal = get_json(client, f"/{slug}/api/journal", filter="^revenue-share-2024")["data"]
    rules = {e["meta"].get("rule") for e in journal}
    assert {"implied-revenue", "revenue-share"} <= rules  # the derived entries are there
    assert any("leaked" in e["tags"] and "generated" not in e["tags"] for e in journal)  # and the payment
    # A reported figure has no link: it opens at its line in Fava's editor.
    assert "/editor/?file_path=" in revenue["links"]["reported"]


@pytest.mark.parametrize("query", [{}, {"time": "2025"}, {"by": "quarter"}])
def test_every_figure_links_to_entries(shipped, query):
    client, slug, _ = shipped
    data = model(client, slug, **query)
    cells = [(r, c) for r in data["period_table"] for c in reports.PERIOD_MONEY + ("inference_to_revenue",)]
    cells += [(r, c) for r in data["reconcile_table"] for c in (*reports.RECONCILE_VALUES, "gap", "reconciling_base")]
    hrefs = set()
    for record, column in cells:
        if record[column] is not None:
            assert column in record["links"], (record["period"], record.get("metric"), column)
            hrefs.add(record["links"][column])
    # Figures are there to link (every cell empty would check nothing): leaked ones open the journal, reported
    # records (the 2025-H1 revenue of 4.3B, in every view here) their line in the editor.
    assert {urlsplit(href).path for href in hrefs} == {f"/{slug}/journal/", f"/{slug}/editor/"}
    for href in hrefs:
        url = urlsplit(href)
        args = dict(parse_qsl(url.query))
        if url.path == f"/{slug}/journal/":
            assert get_json(client, f"/{slug}/api/journal", **args)["data"], href  # some entries
        else:
            assert url.path == f"/{slug}/editor/", href
            lines = Path(args["file_path"]).read_text().splitlines()
            assert lines[int(args["line"]) - 1].split()[1] == "custom", href  # the record's own line


def chart_data(html: str) -> dict | None:
    """The charts' data the page embeds for LeakModel.js, or None when it embeds none."""
    found = re.search(r'<script type="application/json" id="leak-model-data">(.*?)</script>', html, re.S)
    return json.loads(found[1], parse_float=Decimal) if found else None


def test_page_shows_the_figures_charts_and_links(first_leak_fava):
    client, slug, _ = first_leak_fava
    response = client.get(f"/{slug}/{EXTENSION}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Leak model" in html
    assert f"{IMPLIED_2024:,.0f}" in html  # 2,469,000,000
    assert f'href="/{slug}/journal/?filter=%5Erevenue-share-2024"' in html
    for chart in ("revenue-vs-inference", "shares"):
        assert re.search(rf'<figure id="chart-{chart}">.*?<canvas role="img"', html, re.S), chart
    assert "<svg" not in html.split('<div class="charts">')[1].split("</div>")[0]


def test_chart_data_is_the_period_table(first_leak_fava, first_leak_main):
    client, slug, _ = first_leak_fava
    entries, errors, options_map = load_books(first_leak_main)
    for by in reports.BY:
        data = chart_data(client.get(f"/{slug}/{EXTENSION}/", query_string={"by": by}).get_data(as_text=True))
        rows = [r for r in model(client, slug, by=by)["period_table"] if r["period"] != reports.TOTAL_ROW]
        frame = reports.period_table(entries, options_map, by=by, totals=False)
        assert data["periods"] == list(frame["period"]) == [r["period"] for r in rows]
        series = {s["column"]: s for chart in data["charts"] for s in chart["series"]}
        assert [c["id"] for c in data["charts"]] == ["revenue-vs-inference", "shares"]
        assert set(series) == {"revenue", "inference", "openai_share", "microsoft_share", "net_payment"}
        # The first leak's books record no revenue: the revenue series is the implied revenue column.
        assert series["revenue"]["label"] == "Implied revenue" and frame["recorded_revenue"].isna().all()
        for column, drawn in series.items():
            own = "implied_revenue" if column == "revenue" else column
            assert all(same(v, f) for v, f in zip(drawn["values"], frame[own], strict=True)), (by, column)
            assert drawn["links"] == [r["links"].get(own) for r in rows]  # the table's own link targets
    year = chart_data(client.get(f"/{slug}/{EXTENSION}/").get_data(as_text=True))
    revenue = next(s for c in year["charts"] for s in c["series"] if s["column"] == "revenue")
    i = year["periods"].index("2024")
    assert Decimal(revenue["values"][i]) == IMPLIED_2024  # 493,800,000 / 0.20 = 2,469,000,000
    assert revenue["lower_bound"][i] is True  # no Microsoft base recorded
    assert revenue["links"][i] == f"/{slug}/journal/?filter=%5Erevenue-share-2024"
    # 2025 holds the H1 payment and the Jul-Sep increment of the cumulative one.
    assert year["covered"][year["periods"].index("2025")] == "2025-01..2025-09"


def test_chart_js_is_served_from_the_package(shipped):
    client, slug, ledger = shipped
    vendored = ledger.extensions.get_extension("LeakModel").extension_dir / "vendor" / "chart.umd.min.js"
    response = client.get(f"/{slug}/{EXTENSION}/chart.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.get_data() == vendored.read_bytes()
    assert b"Chart.js v4." in response.get_data()[:200]
    module = client.get(f"/{slug}/extension_js_module/LeakModel.js")
    assert module.status_code == 200 and module.mimetype == "text/javascript"
    assert b'"../extension/LeakModel/chart.js"' in module.get_data()  # where the module imports it from
    assert b"onExtensionPageLoad" in module.get_data()


# --- filters change the figures -----------------------------------------------------


def test_time_filter(shipped):
    client, slug, ledger = shipped
    data = model(client, slug, time="2025")
    periods = [r["period"] for r in data["period_table"]]
    assert "2024" not in periods and "2025" in periods
    assert not [r for r in data["reconcile_table"] if r["period"] == "2024"]
    # The 2019 share rules still apply inside the window: the base is reconciled.
    h1 = row(data["reconcile_table"], metric="revenue", period="2025-H1")
    assert Decimal(h1["reconciling_base"]) == RECONCILING_BASE_2025_H1
    # The same code on the entries Fava's time filter leaves, with the rules from Fava's index by type (as the page).
    from leakledger.book_index import is_term
    from leakledger.book_model import BookModel

    rules = [e for e in ledger.all_entries_by_type.Custom if is_term(e)]
    books = BookModel(ledger.get_filtered(time="2025").entries, ledger.options, extra_terms=rules)
    assert_equals_frame(data["reconcile_table"], books.reconcile_table())
    # Links keep the page's filters.
    assert "time=2025" in row(data["period_table"], period="2025")["links"]["net_payment"]


ASSUMED = """
    option "title" "leakledger test: assumed Azure revenue"
    option "operating_currency" "USD"
    option "inferred_tolerance_default" "USD:0.005"
    plugin "leakledger.plugins.chain"
    include "books.beancount"

""" + "".join(
    f"""
    2024-{end} * "Microsoft Azure OpenAI Service revenue (2024-Q{q})" #assumed ^azure-openai-revenue-2024-q{q}
      metric: "azure-openai-revenue"
      period-start: 2024-{start}
      source: "test: an assumed figure, a quarter of 1B a year"
      Assets:Microsoft:Cash                 250000000.00 USD
      Income:Microsoft:AzureOpenAIService  -250000000.00 USD
"""
    for q, start, end in ((1, "01-01", "03-31"), (2, "04-01", "06-30"), (3, "07-01", "09-30"), (4, "10-01", "12-31"))
)


def test_tag_filter_drops_assumptions(first_leak_copy):
    ledger_copy = first_leak_copy  # payments alone: the assumed Azure base raises what they imply
    scenario = ledger_copy.parent / "assumed.beancount"
    scenario.write_text(textwrap.dedent(ASSUMED))
    books = fava(scenario)
    client, slug, ledger = books.client, books.slug, books.ledger()
    assert get_json(client, f"/{slug}/api/errors")["data"] == []

    with_assumption = row(model(client, slug)["period_table"], period="2024")
    # docs/sources.md arithmetic: (493.8M + 0.20 x 1B) / 0.20, still a lower bound (no Bing revenue recorded).
    assert Decimal(with_assumption["implied_revenue"]) == (493_800_000 + Decimal("0.20") * 1_000_000_000) / Decimal(
        "0.20"
    )
    assert with_assumption["revenue_bound"] == "lower"
    assert Decimal(with_assumption["microsoft_share"]) == Decimal("0.20") * 1_000_000_000

    data = model(client, slug, filter="-#assumed")
    without = row(data["period_table"], period="2024")
    # What derives from an #assumed figure carries the tag: the filter drops it too.
    assert without["microsoft_share"] is None
    assert without["implied_revenue"] is None
    assert Decimal(without["net_payment"]) == 493_800_000  # the leaked payment stays
    filtered = ledger.get_filtered(filter="-#assumed").entries
    assert_equals_frame(data["reconcile_table"], reports.reconcile_table(filtered, ledger.options))
    assert without["links"]["net_payment"].endswith("?filter=-%23assumed+(%5Erevenue-share-2024)")


def test_a_time_filter_inside_a_total_with_a_hole_says_what_the_total_covers():
    """openai-revenue-to-2030 posts OpenAI's revenue for 2026 from 2026-04 on, nothing for 2026-Q1. Under
    time=2025-Q4 - 2026 Fava keeps 2025's audited revenue (dated 2025-12-31, over 2025) and the scenario's
    2026-04..2026-12: the total's revenue covers 2025-01..2026-12 less 2026-Q1, more than the window, and the
    page says so as the report writes that span (it read the span back as one period, and failed)."""
    books = fava(MAIN.parent / "scenarios" / "openai-revenue-to-2030.beancount")
    page = books.get(f"{EXTENSION}/", time="2025-Q4 - 2026")
    assert page.status_code == 200
    assert "covers 2025-01..2026-12 except 2026-Q1, more than the window" in page.get_data(as_text=True)


def test_filters_that_leave_nothing_or_do_not_parse(shipped):
    client, slug, _ = shipped
    for query in ({"time": "2031"}, {"filter": "#no-such-tag"}):
        assert model(client, slug, **query) == {
            "by": "year",
            "errors": [],
            "period_table": [],
            "reconcile_table": [],
            "flows": [],
        }
        html = client.get(f"/{slug}/{EXTENSION}/", query_string=query).get_data(as_text=True)
        assert "No figures for these filters" in html
        assert chart_data(html) is None and "<canvas" not in html  # no empty charts
    for query, says in (({"time": "garbage"}, "Failed to parse date"), ({"filter": "((("}, "Failed to parse filter")):
        response = client.get(f"/{slug}/{EXTENSION}/model", query_string=query)
        assert response.status_code == 400 and says in response.get_json()["error"]  # as Fava's own API
        page = client.get(f"/{slug}/{EXTENSION}/", query_string=query)
        assert page.status_code == 200 and f'<p class="error">{says}' in page.get_data(as_text=True)


def test_account_filter_answers(shipped):
    client, slug, _ = shipped
    for entity in ("OpenAI", "Microsoft"):
        assert client.get(f"/{slug}/{EXTENSION}/", query_string={"account": entity}).status_code == 200
        assert client.get(f"/{slug}/balance_sheet/", query_string={"account": entity}).status_code == 200


# --- a bad extension config is one error, not a 500 on every page ----------------------


@pytest.mark.parametrize(
    "config, says",
    [
        ("{'by': year}", "malformed node"),  # not a Python literal: Fava itself would 500
        ("{'by': ", "never closed"),  # a syntax error
        ("{'by': 'decade'}", "'by' must be one of"),
        ("['year']", "expected a dict"),
        ("{'colour': 'red'}", "unknown key"),
    ],
)
def test_bad_extension_config_is_one_error(ledger_copy, config, says):
    fava_file = ledger_copy.parent / "fava.beancount"
    text = fava_file.read_text()
    line = '"fava-extension" "leakledger.fava_ext"'
    assert line in text
    fava_file.write_text(text.replace(line, f'{line} "{config}"'))
    books = fava(ledger_copy)
    client, slug = books.client, books.slug
    for page in ("income_statement", "balance_sheet", "journal", "errors"):
        assert client.get(f"/{slug}/{page}/").status_code == 200, page
    errors = get_json(client, f"/{slug}/api/errors")["data"]
    assert len(errors) == 1, errors
    assert says in errors[0]["message"]
    assert errors[0]["source"]["filename"] == str(fava_file)
    assert client.get(f"/{slug}/{EXTENSION}/").status_code == 404


def test_config_sets_the_grouping(first_leak_copy):
    ledger_copy = first_leak_copy  # the shipped books' audited years are one row at every grain
    fava_file = ledger_copy.parent / "fava.beancount"
    line = '"fava-extension" "leakledger.fava_ext"'
    fava_file.write_text(fava_file.read_text().replace(line, f"{line} \"{{'by': 'half'}}\""))
    ledger = FavaLedger(str(ledger_copy))
    assert ledger.errors == []
    books = fava(ledger_copy)
    client, slug = books.client, books.slug
    periods = [r["period"] for r in model(client, slug)["period_table"]]
    assert periods == ["2024-H1", "2024-H2", "2025-H1", "2025-H2", reports.TOTAL_ROW]


# --- leakledger serve ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("127.8.9.10", True),
        ("0.0.0.0", False),
        ("192.0.2.7", False),
        ("::", False),
        ("no-such-host.invalid", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_scenario_books_in_the_file_switcher():
    files = ledger_files(None, ["azure-openai-growth", "azure-openai-growth"])
    # The combined books, each company's own books, then the scenario once.
    assert [f.name for f in files] == [
        "main.beancount",
        "openai.beancount",
        "microsoft.beancount",
        "azure-openai-growth.beancount",
    ]
    assert files[0] == MAIN and all(f.is_absolute() for f in files)
    books = fava(files[0], files[-1])
    client = books.client
    slugs = [slug for slug, _ in books.app.config["LEDGERS"].items()]
    assert len(slugs) == 2
    for slug in slugs:
        assert client.get(f"/{slug}/{EXTENSION}/").status_code == 200
    scenario = row(model(client, slugs[1])["period_table"], period="2024")
    # The scenario's 2024 quarters of Azure OpenAI revenue add up to 1,000,000,000 (its header); 2024's
    # revenue is recorded, so nothing is implied: Microsoft's 20% is 0.20 x 1B on Azure plus what the
    # payment leaves for Bing, 0.20 x 3,700,000,000 - 493,800,000 - 200,000,000 = 46,200,000.
    assert scenario["implied_revenue"] is None and scenario["revenue_bound"] is None
    assert Decimal(scenario["microsoft_share"]) == Decimal("0.20") * 1_000_000_000 + 46_200_000
    assert scenario["microsoft_share_partial"] is None  # both bases: Azure's and the solved Bing
    # 2025: Azure's Q1..Q3 alone, 0.20 x (406,250,000 + 468,750,000 + 531,250,000); Bing is not known.
    later = row(model(client, slugs[1])["period_table"], period="2025")
    assert Decimal(later["microsoft_share"]) == Decimal("281250000")
    assert later["microsoft_share_partial"] == "Bing unrecorded"
    page = client.get(f"/{slugs[1]}/{EXTENSION}/").get_data(as_text=True)
    assert "281,250,000" in page and "partial: Bing unrecorded" in page


def leakledger(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["leakledger", *args], capture_output=True, text=True, timeout=60)


def test_serve_refuses_an_unknown_scenario_in_one_line():
    result = leakledger("serve", "--scenario", "no-such-scenario")
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "no scenario 'no-such-scenario'" in result.stderr
    assert result.stdout == ""


def test_serve_refuses_a_taken_port_in_one_line():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = leakledger("serve", "--port", str(taken.getsockname()[1]))
        port = taken.getsockname()[1]
    assert result.returncode == 4
    assert result.stderr == f"error: port {port} is in use; try --port\n"


def test_page_shows_the_deal_as_it_stands(shipped):
    """The 2026-04-27 amendment (docs/sources.md): Microsoft pays 0%, OpenAI 20% through 2030 under the 38B cap."""
    import datetime

    from leakledger.rules import read_rules

    client, slug, ledger = shipped
    html = client.get(f"/{slug}/{EXTENSION}/").get_data(as_text=True)
    table = html.split('<table id="leak-deal">')[1].split("</table>")[0]
    # The share cell may break after each colon (<wbr>): its text is the account.
    rows = {r.split("</td>")[0].split(">", 1)[1].replace("<wbr>", ""): r for r in table.split("<tr>")[2:]}
    book, _ = read_rules(ledger.all_entries)
    today = datetime.date.today()
    for base, payee in (
        ("Income:OpenAI:Revenue", "Microsoft"),
        ("Income:Microsoft:Bing", "OpenAI"),
        ("Income:Microsoft:AzureOpenAIService", "OpenAI"),
    ):
        row = rows[f"{base} → {payee}"]
        assert f">{book.rate_at(base, today):.0%}</a>" in row
    openai = rows["Income:OpenAI:Revenue → Microsoft"]
    # No OpenAI revenue posts in the shipped books from 2026-04-27: what accrued is not known (≥ 0, not a known
    # 0), so at most the whole 38B is left, and whether the cap is reached is not known (never "not yet")
    assert "38,000,000,000</a>" in openai and "counted from 2026-04-27" in openai
    assert ">≥ 0<" in openai and "left ≤ 38,000,000,000" in openai and "not yet" not in openai
    assert "whether it is reached is not known" in openai
    assert ">0<" not in openai and "nothing of its base recorded since 2026-04-27" in openai
    assert 'href="/' in openai and "editor" in openai  # the cap and the rule open at their lines


@pytest.mark.parametrize(
    "day, year_file",
    [
        ("2023-06-30", "2024.beancount"),  # before the first year file: default-file, the first year file
        ("2024-01-01", "2024.beancount"),
        ("2025-09-30", "2025.beancount"),
        ("2026-03-31", "2026.beancount"),
        ("2027-06-30", "2026.beancount"),  # after the last: the last year file's option still holds
    ],
)
def test_fava_s_add_form_writes_into_a_year_file_never_a_top_level_book(ledger_copy, day, year_file):
    books = fava(ledger_copy)
    before = snapshot(ledger_copy.parent)
    note = {"t": "Note", "date": day, "account": "Assets:OpenAI:Cash", "comment": f"added in Fava {day}", "meta": {}}
    answer = books.client.put(f"/{books.slug}/api/add_entries", json={"entries": [note]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    after = snapshot(ledger_copy.parent)
    assert [name for name in after if after[name] != before[name]] == [year_file]
    assert f"added in Fava {day}".encode() in after[year_file]


def _revenue_share(day: str, period_start: str | None, amount: str) -> dict:
    """Fava's add form's JSON for a revenue-share figure (its metadata typed as text, as the form sends it)."""
    meta = {"metric": "revenue-share", "source": "typed in Fava"}
    if period_start:
        meta["period-start"] = period_start
    legs = [
        ("Liabilities:OpenAI:Due:Microsoft", amount),
        ("Assets:OpenAI:Cash", f"-{amount}"),
        ("Assets:Microsoft:Cash", amount),
        ("Assets:Microsoft:Due:OpenAI", f"-{amount}"),
    ]
    return {
        "t": "Transaction",
        "date": day,
        "flag": "*",
        "payee": "",
        "narration": f"Revenue share typed in Fava ({day})",
        "tags": ["leaked"],
        "links": [],
        "meta": meta,
        "postings": [{"account": account, "amount": f"{number} USD", "meta": {}} for account, number in legs],
    }


@pytest.mark.parametrize("guarded", [True, False], ids=["leakledger-serve", "fava-with-the-extension"])
def test_fava_s_add_form_and_import_page_save_nothing_that_adds_an_error(ledger_copy, guarded):
    """Fava's `api/add_entries` writes as `leakledger add` does: a save that would add an error to the books is
    undone, every file byte-for-byte as it was, and answered with `add`'s one line; a clean one is stored."""
    books = fava(ledger_copy, guarded=guarded)
    folder = ledger_copy.parent
    refusal = re.escape("error: the change would add an error, so nothing was written: ")

    def refused(entries, where: str, why: str) -> None:
        before = snapshot(folder)
        answer = books.client.put(f"/{books.slug}/api/add_entries", json={"entries": entries})
        assert answer.status_code == 400, answer.get_data(as_text=True)
        line = answer.get_json()["error"]
        assert re.fullmatch(f"{refusal}{re.escape(str(folder / where))}:\\d+: {why}", line), line
        assert snapshot(folder) == before  # every file of the folder, byte for byte
        assert books.get(f"{LEAK_MODEL}/").status_code == 200  # Fava still serves, reloaded as before
        assert books.ledger().errors == []

    # 2024.beancount records 2024-Q1's revenue share, 77,300,000.00 (^revenue-share-2024-q1): a second one
    # for the same quarter would count it twice.
    refused(
        [_revenue_share("2024-03-31", "2024-01-01", "77300000.00")],
        "2024.beancount",
        r"revenue-share over 2024-Q1 overlaps revenue-share over 2024-Q1 at .*: the same period would count twice; .*",
    )
    refused(
        [_revenue_share("2026-06-30", None, "1000.00")],
        "2026.beancount",
        re.escape("a revenue-share figure needs period-start: (its period's first day, YYYY-MM-DD); ") + ".*",
    )
    # The import page's save is the same request, with the entries it extracted from a sheet. 2024: OpenAI's
    # 20% of its audited 3.7B revenue is 740,000,000.00, less the 493,800,000.00 net payments leaves
    # 246,200,000.00 for Microsoft's 20% of Bing; a Bing revenue of 12.5B would make that
    # 0.20 x 12,500,000,000 = 2,500,000,000.00: 246,200,000 - 2,500,000,000 = -2,253,800,000.00.
    sheet = folder / "imports" / "bing.csv"
    sheet.write_text("metric,period,amount,source,kind\nbing-revenue,2024,12.5B,typed in a sheet,assumed\n")
    extracted = books.get("api/extract", filename=str(sheet), importer="leakledger.leaksheet").get_json()["data"]
    refused(extracted, "2024.beancount", r"over 2024, .* leaves -2,253,800,000\.00 for Microsoft's share: negative.*")

    before = snapshot(folder)  # a clean figure, 2026-Q2's first: stored as typed
    saved = books.client.put(
        f"/{books.slug}/api/add_entries", json={"entries": [_revenue_share("2026-06-30", "2026-04-01", "1000.00")]}
    )
    assert saved.get_json()["data"] == "Stored 1 entries."
    after = snapshot(folder)
    assert [name for name in after if after[name] != before[name]] == ["2026.beancount"]
    assert load_books(ledger_copy)[1] == []
