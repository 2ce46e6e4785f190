"""`leakledger publish OUT`: the static site from the shipped books, through the real CLI.

Figures (docs/sources.md): the shipped books record OpenAI's audited 2024
revenue, 3,700,000,000, whose 20% is 740,000,000; with the 493,800,000 net
payment Microsoft's 20% is 246,200,000 and its base (0.20 x 3,700,000,000 -
493,800,000) / 0.20 = 1,231,000,000; 2024 inference 3,767,100,000. On the
first leak's books (payments only) the 2024 payment implies revenue of at
least 493,800,000 / 0.20 = 2,469,000,000.
"""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MAIN
from table_cells import bare_cells, body_cells

from leakledger.book_model import BookModel
from leakledger.books import load_clean
from leakledger.presentation import short_money
from leakledger.publish.markup import linkify, web_url
from leakledger.publish.output import MANIFEST
from leakledger.publish.svg_charts import Series, bar_chart

LEAK_URL = "https://www.wheresyoured.at/oai_docs/"
IMPLIED_2024 = Decimal("493800000") / Decimal("0.20")  # 2,469,000,000
BASE_2024 = (Decimal("0.20") * Decimal("3700000000") - Decimal("493800000")) / Decimal("0.20")  # 1,231,000,000


def run(*args, cwd=None):
    return subprocess.run(["leakledger", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pub") / "site"
    done = run("publish", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("published ")
    return out


@pytest.fixture(scope="module")
def first_site(tmp_path_factory, first_leak_main) -> Path:
    """The site of the first leak's books (conftest.first_leak): the payments imply revenue."""
    out = tmp_path_factory.mktemp("pub-first") / "site"
    done = run("publish", out, "--ledger", first_leak_main)
    assert done.returncode == 0, done.stderr
    return out


def test_index_carries_the_second_leak(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for figure in ("3700000000", "740000000", "246200000", "493800000", "3767100000", BASE_2024):
        assert f"{Decimal(figure):,.0f}" in index
    table = index.split('id="periods"')[1].split("</table>")[0]
    years, total = table.split('class="total"')
    assert "≥" not in years  # 2024 and 2025 are exact
    # the total's Microsoft 20%: 2024's 236,200,000 (0.20 x 3.65B - 493.8M, its low end) and 2025's, not known
    assert total.count("≥") == 1 and ">≥ 236,200,000</a>" in total
    # The two leaks side by side: 8,670,000,000 of Jan-Sep inference, 6,047,000,000 of cost of revenue paid.
    assert "sources disagree" in index and "8,670,000,000" in index and "6,047,000,000" in index


def test_index_carries_the_model(first_site):
    site = first_site
    index = (site / "index.html").read_text(encoding="utf-8")
    for figure in (IMPLIED_2024, Decimal("493800000"), Decimal("3767100000"), BASE_2024):
        assert f"{figure:,.0f}" in index
    assert "≥ 2,469,000,000" in index  # a lower bound stays marked
    assert index.count("<svg") >= 2


def test_every_figure_links_to_its_page_and_the_leak_url_is_a_link(first_site, site):
    shipped = (site / "index.html").read_text(encoding="utf-8")
    tables = re.findall(r"<table id=\"(?:periods|reconcile)\".*?</table>", shipped, re.S)
    # (a blank ratio's reason, "spans differ", is words, not a figure: 2025's inference covers Jan-Sep,
    # its revenue the year)
    cells = re.findall(r'<td class="num">(.*?)</td>', "".join(tables))
    # words, not figures: why a cell is blank ("spans differ"), and "not known" (2025's Microsoft 20%: no
    # 2025-Q4 payment, so it cannot be solved)
    filled = [c for c in cells if c and not c.startswith('<span class="none"') and c != "not known"]
    assert filled and all(c.startswith("<a href=") for c in filled), [c for c in filled if not c.startswith("<a")]
    assert '<span class="none" title="spans differ: inference 2025-01..2025-09, revenue 2025">spans differ</span>' in (
        "".join(cells)
    )
    site = first_site
    index = (site / "index.html").read_text(encoding="utf-8")
    # the 2024 implied revenue cell links to the page of the payment it comes from
    cell = re.search(r'<a href="([^"]+)">≥ 2,469,000,000</a>', index)
    assert cell, "the 2024 implied revenue is not linked"
    page = (site / cell.group(1)).read_text(encoding="utf-8")
    assert f'href="{LEAK_URL}"' in page
    # explain's arithmetic: each quarter's, and the year's in all (77,300,000 / 0.20; 493,800,000 / 0.20)
    assert "(77,300,000.00 USD + 0.00 USD) / 0.20 = 386,500,000.00 USD" in page
    assert "2,469,000,000.00 USD in all" in page
    # every number cell of both tables is a link (a "not known" is words, with its reason as its title: no
    # Microsoft base has a figure in the first leak, so its 20% is not known)
    tables = re.findall(r"<table id=\"(?:periods|reconcile)\".*?</table>", index, re.S)
    cells = re.findall(r'<td class="num">(.*?)</td>', "".join(tables))
    filled = [c for c in cells if c and not c.startswith('<span class="none"')]
    assert filled and all(c.startswith("<a href=") for c in filled), [c for c in filled if not c.startswith("<a")]


def test_the_downloads_are_what_the_cli_prints(site):
    csv = run("report", "--format", "csv").stdout
    assert (site / "downloads/report-year.csv").read_text(encoding="utf-8") == csv
    assert (site / "downloads/reconcile.json").read_text(encoding="utf-8") == run(
        "reconcile", "--format", "json"
    ).stdout
    # 2024: OpenAI's 20% and Microsoft's, solved, each with the range revenue 3.7B stated to the 0.1B
    # (3.65B..3.75B) allows: 0.2·3.65B = 730M .. 0.2·3.75B = 750M; less the 493.8M payment, 236.2M .. 256.2M;
    # both closed ranges, so neither is a bound (the `_bound` after each pair is empty)
    assert "740000000.00,730000000.00,750000000.00,,246200000.00,236200000.00,256200000.00,," in csv


def test_the_books_in_the_site_load_as_they_are(site):
    copied = BookModel(*load_clean(site / "books/main.beancount")).period_table()  # as `report` reads the books
    shipped = BookModel(*load_clean(MAIN)).period_table()
    assert copied.equals(shipped)
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["books"]["top"] == "main.beancount"
    assert manifest["books"]["sha256"] in (site / "index.html").read_text(encoding="utf-8")


def test_each_chart_caption_says_what_each_of_its_bars_covers(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    subs = re.findall(r'<text class="sub"[^>]*>([^<]*)</text>', index)
    # 2025: the audited 13.07B and OpenAI's 20% of it cover the year; the leak's inference and net payments
    # Jan-Sep (2025-Q1..Q3): each bar's span, one line each, not "figures for 2025-01..2025-09" for all.
    assert subs == ["revenue 2025", "inference 2025-01..2025-09", "OpenAI 20% 2025", "net 2025-01..2025-09"]
    assert "2025: the figures cover" not in index and "its figures cover different spans" not in index
    assert "2025: revenue 2025; inference 2025-01..2025-09; each bar is per quarter of its span." in index
    # The scenario's Microsoft 20% of 2025 is its assumed Azure OpenAI quarters, 2025-Q1..Q3 (the base's is
    # not known): the one bar drawn covers Jan-Sep, and the caption says so.
    scenario = (site / "scenarios/azure-openai-growth.html").read_text(encoding="utf-8")
    assert re.findall(r'<text class="sub"[^>]*>([^<]*)</text>', scenario) == ["figures for 2025-01..2025-09"]


def test_company_and_scenario_pages(site):
    openai = (site / "companies/openai.html").read_text(encoding="utf-8")
    # the audited 3.7B is 3.65B..3.75B as stated: the statement shows the range
    assert "3.65B–3.75B" in openai and "Income:Microsoft" not in openai
    # OpenAI's 2024 net: revenue R and Microsoft's 0.2·R − 493,800,000, less its audited costs 12,480,000,000
    # (inference, its 20% and what the books do not itemize): 1.2·R − 12,973,800,000 over R in 3.65B..3.75B
    # = -8,593,800,000 .. -8,473,800,000 (at R = 3.7B, -8,533,800,000)
    assert "-8.5938B to -8.4738B" in openai and 'href="../books/openai.beancount"' in openai
    microsoft = (site / "companies/microsoft.html").read_text(encoding="utf-8")
    # Microsoft's 2024 income: 3,767,100,000 inference + 0.2·R share + its Bing and Azure OpenAI Service revenue,
    # no figure each but solved together as R − 2,469,000,000: 1.2·R + 1,298,100,000 over R in 3.65B..3.75B;
    # its 2024 equity-method result is not recorded, so its 2024 net is not known, not 4,260,900,000
    assert "5.6781B–5.7981B" in microsoft and "Income:OpenAI" not in microsoft
    assert "Expenses:Microsoft:OpenAILosses has no figure for 2024" in microsoft
    assert "1,181,000,000..1,281,000,000" in microsoft
    # Its balance sheet: the funding is recorded as 11.6B funded from 2019-07-22 to 2025-09-30, so at the end of
    # 2024 none to all of it had been funded: 0..11.6B, never a plain 0; its cash at the end of 2024 is the deal's
    # flows, inference and the net payment, 3,767,100,000 + 493,800,000 = 4,260,900,000, less none to all of it.
    sheet = microsoft[microsoft.index("<h2>Balance sheet</h2>") :]
    assert "4,260,900,000" in sheet
    investment = sheet[sheet.index("Assets:Microsoft:Investment:OpenAI") :]
    assert "0–11.6B" in investment.split("</tr>")[0] and ">0<" not in investment.split("</tr>")[0]
    # At the end of 2025: 11.6B funded − 4.1B (2025-Q3's loss) + 2025-Q4's "about 10B" gain, which the nine
    # months' 5.9B (5.85B..5.95B, less 4.1B and 2026-Q1's 19M) pins to 9.969B..10.069B = 17.469B..17.569B
    # (17,500,000,000 posted), and 0..200M more of the funding 11.8B − 11.6B made over 2025-10..2026-03 on days
    # not known: 17.469B..17.769B. The range, and the posted point only as what it is.
    assert "2019-07-22..2025-09-30" in sheet and "17.469B–17.769B" in sheet
    assert sheet.count("17,500,000,000") == sheet.count("posted 17,500,000,000") == 1
    scenario = (site / "scenarios/azure-openai-growth.html").read_text(encoding="utf-8")
    # the scenario's 2025 Azure OpenAI revenue, 1,406,250,000, accrues Microsoft 20%: 281,250,000; its 2024
    # range, 0.5B..1.5B, accrues 100M..300M, a part of Microsoft's 2024 share, which the payments fix at
    # 0.2 x 3.65B..3.75B − 493.8M = 236.2M..256.2M (Azure's part lifts only its bottom, to max(100M, 236.2M))
    assert "281,250,000" in scenario and "236.2M–256.2M" in scenario and "236.2M–300M" not in scenario
    # under the table, the same notes as compare's: why the base's 2025 share is not known (no 2025-Q4 payment),
    # why implied revenue is blank where the audited revenue is recorded, what a range is
    notes = _between(scenario, "</table>", "</main>")
    assert "Not known, Microsoft 20%, 2025 base" in notes and "none is recorded for 2025-Q4" in notes
    assert "implied revenue: none where OpenAI&#39;s revenue is recorded (2024 base" in notes
    assert "A range (730M–750M) holds every value" in notes


def test_twice_gives_the_same_bytes(site, tmp_path):
    again = tmp_path / "again"
    assert run("publish", again).returncode == 0
    assert tree(again) == tree(site)
    before = tree(again)
    assert run("publish", again).returncode == 0  # over an earlier site: replaced, the same
    assert tree(again) == before
    assert [p.name for p in tmp_path.iterdir()] == ["again"]  # no temporary folder left behind


@pytest.mark.parametrize("make", ["file", "foreign", "edited"])
def test_an_out_that_is_not_an_earlier_site_is_refused(site, tmp_path, make):
    out = tmp_path / "out"
    if make == "file":
        out.write_text("notes\n")
    elif make == "foreign":
        out.mkdir()
        (out / "notes.txt").write_text("mine\n")
    else:
        assert run("publish", out).returncode == 0
        (out / "index.html").write_text("edited\n")
    before = tree(out) if out.is_dir() else out.read_bytes()
    done = run("publish", out)
    assert done.returncode == 4
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert (tree(out) if out.is_dir() else out.read_bytes()) == before


def test_missing_books_and_scenarios_are_one_line(tmp_path):
    done = run("publish", tmp_path / "s", "--ledger", tmp_path / "none.beancount")
    assert done.returncode == 3 and done.stderr.count("\n") == 1
    done = run("publish", tmp_path / "s", "--scenario", "no-such-scenario")
    assert done.returncode == 3 and "no-such-scenario" in done.stderr
    assert not (tmp_path / "s").exists()


def test_text_from_the_books_is_escaped_and_only_web_urls_link(ledger_copy, tmp_path):
    # Text that is not markup (check passes it) still needs escaping: &, a bare "<", quotes.
    hostile = (
        '\n2024-12-31 custom "figure" "revenue-target" 1.00 USD\n'
        '  period-start: 2024-01-01\n  kind: "reported"\n'
        '  source: "AT&T said < 5% of \\"costs\\""\n'
        '  url: "javascript:alert(3)"\n  note: "see data:text/html,x"\n'
    )
    with (ledger_copy.parent / "reported.beancount").open("a", encoding="utf-8") as books:
        books.write(hostile)
    out = tmp_path / "site"
    done = run("publish", out, "--ledger", ledger_copy, "--scenario", "azure-openai-growth")
    assert done.returncode == 0, done.stderr
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "AT&amp;T said &lt; 5% of" in pages and "AT&T said <" not in pages
    assert 'href="javascript:' not in pages and "javascript:alert(3)" in pages


def test_markup_in_the_books_stops_publish_in_one_line(ledger_copy, tmp_path):
    with (ledger_copy.parent / "reported.beancount").open("a", encoding="utf-8") as books:
        books.write(
            '\n2024-12-31 custom "figure" "revenue-target" 1.00 USD\n'
            '  period-start: 2024-01-01\n  kind: "reported"\n  source: "<script>alert(1)</script>"\n'
        )
    done = run("publish", tmp_path / "site", "--ledger", ledger_copy)
    assert done.returncode != 0 and done.stderr.count("\n") == 1
    assert "hand-written source: looks like markup ('<s')" in done.stderr
    assert not (tmp_path / "site").exists()


def test_markup_helpers():
    assert web_url("https://example.org/a") and web_url("http://x.y") and not web_url("javascript:alert(1)")
    assert not web_url("file:///etc/passwd") and not web_url("https:///nohost")
    html = str(linkify("see https://example.org/a?b=1&c=2. and javascript:x"))
    assert '<a href="https://example.org/a?b=1&amp;c=2"' in html and "javascript:x" in html


def test_chart_scale_starts_at_zero_and_rounds():
    assert short_money(Decimal(2_469_000_000)) == "2.47B" and short_money(Decimal(493_800_000)) == "493.8M"
    assert short_money(Decimal(0)) == "0"
    svg = str(
        bar_chart(
            "c",
            "t",
            ["2024", "2025"],
            [
                Series(
                    "a", "#000", [Decimal("2469000000"), None], ["2,469,000,000", ""], ["x.html", None], [True, False]
                )
            ],
        )
    )
    ticks = re.findall(r'class="tick"[^>]*>([^<]+)<', svg)
    assert ticks == ["0", "1B", "2B", "3B"]  # from zero, in round steps, just above 2.47B
    # a lower bound's label rounds down: "≥ 2.47B" would claim 1,000,000 more than the bound 2,469,000,000
    assert svg.count("<rect") == 1 and 'href="x.html"' in svg and "≥ 2.469B" in svg and "≥ 2.47B" not in svg


def test_a_failed_swap_keeps_the_earlier_site(site, tmp_path, monkeypatch):
    """The new site is renamed into place last: if that rename fails, the earlier site is back as it was."""
    import os

    from leakledger.errors import Refused
    from leakledger.publish import output

    out = tmp_path / "site"
    assert run("publish", out).returncode == 0
    before = tree(out)
    real_rename = os.rename

    def rename(source, target):
        if str(source).endswith(".tmp"):  # the new site's temporary folder
            raise OSError(28, "No space left on device")
        return real_rename(source, target)

    monkeypatch.setattr(output.os, "rename", rename)
    with pytest.raises(Refused, match="No space left on device"):
        output.write_site(out, {"index.html": b"new\n"})
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left


def test_a_refined_total_has_its_own_page_with_its_parts(site):
    """The leak's 2024 total and its four quarters share ^revenue-share-2024; the page is the total's."""
    page = (site / "figures/revenue-share-2024.html").read_text(encoding="utf-8")
    assert "<h1>Revenue share OpenAI paid Microsoft, net (2024)</h1>" in page
    # docs/sources.md: the quarters 77.3M + 109.5M + 139.2M + 167.8M add up to the 493.8M total
    assert "add up to 493,800,000.00 USD" in page and page.count("part: ") == 4


def test_the_timeline_page_and_each_figure_page_say_since_when(site):
    """timeline.html names the leak's day and what it moved; a figure page says since when it is known."""
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    assert '<h2 id="d2025-11-12">2025-11-12</h2>' in timeline
    # 493,800,000 / 0.20, a bound, from not known on the leak's day.
    assert (
        '<th scope="row">2024 implied revenue</th><td class="num">not known</td><td class="num">≥ 2,469,000,000</td>'
        in timeline
    )
    # The recapitalization's "~27%" stake (2025-10-28) is a ratio: its row, as the percents it stands for
    assert (
        '<th scope="row">2025-10-28 microsoft-stake (disclosed)</th><td class="num">not known</td>'
        '<td class="num">26.5%–27.5%</td>' in timeline
    )
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="timeline.html"' in index
    # The model page's reconciliation writes the same stake as percent too, not as 0.265–0.275 under "(USD)"
    assert ">26.5%–27.5%</a>" in index and "0.265–0.275" not in index
    assert "known since 2025-11-12" in (site / "figures" / "revenue-share-2024.html").read_text(encoding="utf-8")


# --- ranges (issue 25): the audited figures as stated, and what derives from them ---------------------

#: The audited 2024 revenue, "3.7B" as stated: 3,650,000,000..3,750,000,000 (ledger/2024.beancount low:/high:).
REVENUE_2024 = (Decimal("3650000000"), Decimal("3750000000"))
NET_2024 = Decimal("493800000")


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_index_states_each_range_in_the_table_and_draws_it(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    table = _between(index, '<table id="periods">', "</table>")
    # OpenAI's 20%: 0.20 x 3.65B = 730M .. 0.20 x 3.75B = 750M; Microsoft's 20%, solved as OpenAI's less the
    # net payment: 730M - 493.8M = 236.2M .. 750M - 493.8M = 256.2M; the audited revenue 3.65B..3.75B and
    # 2025's "13.07B" 13.065B..13.075B stand in the recorded-revenue column.
    low, high = (Decimal("0.20") * r for r in REVENUE_2024)
    assert (low, high) == (Decimal("730000000"), Decimal("750000000"))
    assert (low - NET_2024, high - NET_2024) == (Decimal("236200000"), Decimal("256200000"))
    for text in (">730M–750M<", ">236.2M–256.2M<", ">3.65B–3.75B<", ">13.065B–13.075B<"):
        assert text in table, text
    assert ">recorded revenue<" in table and "740,000,000" not in table  # a range is never shown as one number
    notes = _between(index.split('<table id="periods">', 1)[1], "</table>", "<h2")
    assert "A range (730M–750M) holds every value" in notes
    assert "Not known, Microsoft 20%, 2025" in notes  # 2025's Microsoft share: no Q4 payment, so not solved
    shares = _between(index, 'id="chart-year-shares"', "</svg>")
    # The bar's tooltip states the range and what it is; a whisker spans it (per quarter: 730M/4..750M/4).
    assert "730M–750M USD for 2024, 182.5M–187.5M a quarter (a range; the books post 740,000,000)" in shares
    assert shares.count('<path class="whisker"') == 3  # 2024's two shares, 2025's OpenAI share
    # 2025's OpenAI share covers the year (20% of 13.07B = 2,614,000,000): a quarter of it is 653,500,000
    # (2,614,000,000 / 4), never / 3 though the payments beside it cover Jan-Sep.
    assert "2.613B–2.615B USD for 2025, 653.25M–653.75M a quarter" in shares
    # 2025's Microsoft share has no bar: "not known" stands in its place, with why as its tooltip.
    assert re.search(r'<text class="unknown"[^>]*>not known<title>Microsoft → OpenAI[^<]*, 2025: Microsoft', shares)
    assert re.search(r'<td class="num"><span class="none" title="Microsoft&#39;s share[^"]*">not known</span>', table)


def test_a_lower_bound_draws_an_arrow_and_its_words_are_said_once(first_site):
    index = (first_site / "index.html").read_text(encoding="utf-8")
    revenue = _between(index, 'id="chart-year-revenue-vs-inference"', "</svg>")
    # 2024: >= 493,800,000 / 0.20 = 2,469,000,000: open above, an arrow up from its bar, no whisker cap.
    assert revenue.count('<path class="whisker open"') == 2  # 2024 and 2025's Jan-Sep
    assert "≥ 2,469,000,000 USD for 2024, ≥ 617,250,000 a quarter (a lower bound: at least this)" in revenue
    reconcile = _between(index, '<table id="reconcile">', "</table>")
    # The lower-bound sentence stood under each of eight implied revenues: now once, naming them.
    sentence = "lower bound: a Microsoft revenue base (Bing, Azure OpenAI Service) in force has no recorded figure"
    assert reconcile.count(sentence) == 1
    assert re.search(
        r"\[\d\] 2024-Q1, 2024-Q2, 2024-Q3, 2024-Q4, 2025-Q1, 2025-Q2, 2025-Q3, 2025-01\.\.2025-09: ", reconcile
    )
    payments = reconcile.split("<strong>revenue-share</strong>", 1)[1].split("<strong>", 1)[0]
    assert "Sources, unless a row says otherwise: Ed Zitron" in payments and "Sources: " not in payments


def test_the_scenario_charts_draw_what_each_book_knows(site):
    page = (site / "scenarios/openai-revenue-to-2030.html").read_text(encoding="utf-8")
    chart = _between(page, "<svg", "</svg>")
    # The shipped books record no implied revenue: the chart draws recorded revenue (implied where none is).
    assert chart.count('<rect class="bar"') >= 4 and "OpenAI revenue (recorded): base, 2024: 3.65B–3.75B" in chart
    # Where revenue is recorded a scenario moves Microsoft's share: azure-openai-growth's 2025 Azure OpenAI
    # Service revenue of 1,406,250,000 accrues 0.20 x 1,406,250,000 = 281,250,000 over Jan-Sep; Bing has no
    # figure, so the share is partial (at least this). The base books cannot solve 2025's: "not known".
    page = (site / "scenarios/azure-openai-growth.html").read_text(encoding="utf-8")
    share = _between(page, 'id="chart-scenario-azure-openai-growth-microsoft_share"', "</svg>")
    assert "azure-openai-growth, 2025: 281,250,000 USD for 2025-01..2025-09" in share
    assert "partial: Bing unrecorded, so the whole share is at least this" in share
    assert re.search(r'<text class="unknown"[^>]*>not known<title>[^<]*: base, 2025: Microsoft', share)
    assert share.count('<path class="whisker"') == 2  # 2024 in both books: 236.2M..256.2M
    # Microsoft's 20% ended on 2026-04-27 by the rules both books share: 2027-2030 are a known 0 in each, the base
    # books' too, though they have no row for those years (they read "not known": no figure in this book)
    page = (site / "scenarios/openai-revenue-to-2030.html").read_text(encoding="utf-8")
    share = _between(page, 'id="chart-scenario-openai-revenue-to-2030-microsoft_share"', "</svg>")
    assert share.count(">0 (ended)</text>") == 2 * 4
    for year in range(2027, 2031):
        assert f"base, {year}: 0 (ended: the books&#39; rules put 0% on Income:Microsoft:Bing from 2026-04-27" in share
        assert f"base, {year}: no figure" not in share


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "quarter.html",
        "companies/openai.html",
        "scenarios/openai-revenue-to-2030.html",
        "scenarios/azure-openai-growth.html",
        "scenarios/cap-counts-all-payments.html",
    ],
)
def test_no_cell_of_a_table_is_blank_or_a_bare_dash(site, path):
    # The reconciliation's kinds, gaps and bases, the period tables' covers and implied revenue beside a recorded
    # one, a scenario's years with no payment, a statement line with nothing recorded: each was an empty cell
    html = (site / path).read_text(encoding="utf-8")
    assert body_cells(html)
    assert bare_cells(html) == []


def test_a_scenario_year_with_no_figure_says_so_and_why(site):
    page = (site / "scenarios/openai-revenue-to-2030.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><th scope="row">2027</th>(.*?)</tr>', page, re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]
    # the scenario assumes 2027's revenue, 52,289,000,000, whose 20% is 10,457,800,000; it records no payment and
    # no inference for 2027, and its revenue is recorded (assumed), so none is implied
    assert cells[:3] == ["scenario", "2027", "not known"] and cells[3] == "10,457,800,000"
    assert cells[5] == "52,289,000,000 (assumed)" and cells[6] == "not implied" and cells[7] == "not known"
    assert 'title="no net payment is recorded for the period">not known</span>' in row[1]
    assert 'title="no inference spend is recorded for the period">not known</span>' in row[1]
    index = (site / "index.html").read_text(encoding="utf-8")
    # the reconciliation's first row: 2024-Q1's leaked 77,300,000 and nothing reported to compare it with
    assert 'title="not compared: no reported or claimed figure to set the leaked figure against">not compared<' in (
        index
    )


#: The cap (TI-CAP, 2026-05-11): 38,000,000,000 on OpenAI's share. Counted from 2026-04-27 (the base books), the
#: books record none of OpenAI's share since: accrued ≥ 0, left ≤ 38,000,000,000. Counted from 2019-07-22 (the
#: scenario), OpenAI's 20% of 2024's and 2025's audited revenue counts: at least 0.20 x 3,650,000,000 +
#: 0.20 x 13,065,000,000 = 3,343,000,000, so left ≤ 38,000,000,000 - 3,343,000,000 = 34,657,000,000.
BASE_CAP = "accrued ≥ 0, left ≤ 38,000,000,000"
ALL_PAYMENTS_CAP = "accrued ≥ 3,343,000,000, left ≤ 34,657,000,000"


def test_scenario_compare_and_its_page_say_each_books_cap(site):
    done = run("scenario", "compare", "cap-counts-all-payments")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # the table wraps its notes
    assert "Cap, base: cap on Income:OpenAI:Revenue's share to Microsoft: 38,000,000,000 USD counted from " in text
    assert f"2026-04-27; {BASE_CAP}" in text
    assert "Cap, cap-counts-all-payments: cap on Income:OpenAI:Revenue's share to Microsoft: 38,000,000,000 " in text
    assert f"counted from 2019-07-22; {ALL_PAYMENTS_CAP}" in text
    page = (site / "scenarios/cap-counts-all-payments.html").read_text(encoding="utf-8")
    notes = re.findall(r'<p class="note">(Cap, [^<]*)</p>', page)
    assert len(notes) == 2, notes
    assert notes[0].startswith("Cap, base: ") and BASE_CAP in notes[0]
    assert notes[1].startswith("Cap, cap-counts-all-payments: ") and ALL_PAYMENTS_CAP in notes[1]
    # a scenario whose cap is the base's says it once, naming both books
    same = (site / "scenarios/azure-openai-growth.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="note">Cap, base, azure-openai-growth: [^<]*' + re.escape(BASE_CAP), same)


# --- a figure page heads each figure as explain does: in its own unit, a bound or range as one ---------------


def _record_page(site: Path, books, metric: str) -> str:
    """The published page of the shipped `custom "figure"` record of `metric` (found by content, not by line)."""
    [record] = [e for e in books[0] if getattr(e, "type", None) == "figure" and e.values[0].value == metric]
    return (site / f"figures/reported-line-{record.meta['lineno']}.html").read_text(encoding="utf-8")


def test_a_figure_page_says_a_bound_is_one_and_a_percent_is_no_dollar_amount(site, books):
    # docs/sources.md: the run rate at the end of 2025 is "> 20,000,000,000" (claimed, ALT): at least 20B.
    page = _record_page(site, books, "revenue-run-rate")
    assert "revenue-run-rate figure: stated &#34;more than 20B&#34;: at least 20,000,000,000.00 USD (no upper end)" in (
        page
    )
    assert "20,000,000,000.00 USD, claimed" not in page
    # docs/sources.md: "~45%" of Microsoft's 625B commercial RPO is from OpenAI (MSQ2): stated to the percent,
    # 44.5%..45.5% (the record's low: 0.445, high: 0.455), posted at its midpoint
    page = _record_page(site, books, "commercial-rpo-openai-fraction")
    assert "stated &#34;about 45%&#34;: 44.5%–45.5% (midpoint 45%), disclosed" in page
    assert "0.45 USD" not in page
    # docs/sources.md: from FY2026 Microsoft accounts for OpenAI by HLBV (MSK): the text, never an empty value
    page = _record_page(site, books, "accounting-method")
    assert "accounting-method figure: &#34;equity method by hypothetical liquidation at book value (HLBV)&#34;" in page


def test_a_page_behind_a_statement_cell_states_the_cell_and_what_it_is(site):
    """A company page's cell links to the figures behind it; that page named the first figure ("OpenAI inference
    spend on Azure (2025-01..2025-09) and 8 more figures") and never the cell. docs/sources.md: Microsoft's 2025 net
    is at least 8,670M (Azure) + 2,613M (0.2 × 13.065B) + 5,869M (the equity-method line's least gain: 2025-Q4's
    ~10B pinned by the nine months' 5.9B to 9.969B..10.069B, less 2025-Q3's 4.1B loss) = 17,152,000,000, some of
    its figures covering less than 2025 (inference Jan-Sep)."""
    page = (site / "figures/microsoft-net-2025.html").read_text(encoding="utf-8")
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Microsoft: net result, 2025: ≥ 17,152,000,000 †" in title and "more figures" not in title
    said = page[page.index('<p class="cell">') :].split("</p>")[0]
    assert "<strong>≥ 17,152,000,000 †</strong>" in said
    assert "a lower bound, at least that" in said and "cover less than its column" in said


def test_the_site_charts_name_their_unit_and_label_every_bar(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for chart in ("chart-year-revenue-vs-inference", "chart-year-shares"):
        svg = index.split(f'id="{chart}"', 1)[1].split("</svg>", 1)[0]
        assert '<text class="unit" x="4" y="13">USD per quarter</text>' in svg, chart
        # a label on every bar: 2024 three shares, 2025 OpenAI's 20% and the net (Microsoft's is not known)
        assert svg.count('class="value"') == svg.count('class="bar"') > 0, chart
    shares = index.split('id="chart-year-shares"', 1)[1].split("</svg>", 1)[0]
    # 2025: 20% of 13.065B..13.075B per quarter of the year = 653.25M..653.75M, labelled by its midpoint 653.5M;
    # the net Jan-Sep 865,800,000 / 3 = 288,600,000
    assert ">≈ 653.5M<" in shares and ">288.6M<" in shares
    # the flows' labels round a range's ends outward: 2,613,000,000..2,615,000,000, never "2.61B – 2.62B"
    assert "2.613B–2.615B" in index and "2.62B" not in index
    # the table writes ranges, not the number the books post under them: no note says it does
    assert "The number under a range is the one the books post" not in index


def test_a_site_with_no_recorded_revenue_has_no_such_column(first_site):
    """The first leak's books record no revenue (only the payments imply it), as the books known on 2025-11-13."""
    index = (first_site / "index.html").read_text(encoding="utf-8")
    table = index.split('id="periods"', 1)[1].split("</table>", 1)[0]
    assert "recorded revenue" not in table and "implied revenue" in table
    assert "with OpenAI's recorded revenue" not in index
