"""The money between the companies per period: the typed flows, the published diagrams, the Fava page.

The flows are read from the real books through the real plugins
(leakledger.flows on the period table), drawn into the published site
(leakledger publish, into a temporary folder) and into Fava's Leak model page
(Flask's test client). Every amount below is the sum of the leak's quarters
in docs/sources.md, written out in the comment beside it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import LEDGER_DIR, MAIN
from test_fava import EXTENSION, fava_client, get_json

from leakledger import reports
from leakledger.books import load_clean
from leakledger.flows import EXACT, FLOW_ORDER, LOWER, RANGE, UNKNOWN, Flow, PeriodFlows, period_flows
from leakledger.publish import publish
from leakledger.publish.flow_svg import BAND_SPACE, flow_diagram

D = Decimal
# docs/sources.md, the leak's quarters.
NET_2024 = D("77300000") + D("109500000") + D("139200000") + D("167800000")  # 493,800,000
INFERENCE_2024 = D("546800000") + D("748300000") + D("1005000000") + D("1467000000")  # 3,767,100,000
NET_2025 = D("206400000") + D("248300000") + D("411100000")  # Jan-Sep: 865,800,000
INFERENCE_2025 = D("2075000000") + D("2947000000") + D("3648000000")  # Jan-Sep: 8,670,000,000
QUARTERS = ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3")


@pytest.fixture(scope="module")
def shipped_flows():
    entries, options = load_clean(MAIN)
    rows = reports.period_table(entries, options, by="year").to_dict("records")
    return {pf.period: pf for pf in period_flows(rows, entries)}, {r["period"]: r for r in rows}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flows") / "site"
    publish(out, MAIN)
    return out


def diagrams(html: str) -> dict[str, ET.Element]:
    """The page's flow diagrams by id, parsed as XML (they are well-formed SVG)."""
    found = re.findall(r'<svg class="flows".*?</svg>', html, flags=re.S)
    return {svg.get("id"): svg for svg in (ET.fromstring(s) for s in found)}


def band(svg: ET.Element, key: str) -> ET.Element:
    (path,) = [p for p in svg.iter("path") if p.get("data-flow") == key]
    return path


def thickness(path: ET.Element) -> Decimal:
    """A band's thickness from its outline: it starts at its top edge and ends at its bottom edge."""
    numbers = re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))
    return D(numbers[-1]) - D(numbers[1])


def near(a: Decimal, b: Decimal) -> bool:
    """Equal but for the 0.01 units each coordinate is rounded to."""
    return abs(a - b) <= D("0.02")


# --- the flows ---------------------------------------------------------------


def test_each_period_has_every_flow_between_the_two_companies(shipped_flows):
    flows, _ = shipped_flows
    assert list(flows) == ["2024", "2025"]  # the totals row is no period of its own
    for pf in flows.values():
        assert [f.key for f in pf.flows] == list(FLOW_ORDER)
        for f in pf.flows:
            assert {f.payer, f.payee} == {"OpenAI", "Microsoft"}
            assert f.why  # every amount says what it is
    year = flows["2024"]
    assert (year.flow("inference").kind, year.flow("inference").amount) == (EXACT, INFERENCE_2024)
    assert (year.flow("net_payment").kind, year.flow("net_payment").amount) == (EXACT, NET_2024)
    assert year.flow("microsoft_share").payer == "Microsoft" and year.flow("funding").payer == "Microsoft"


def test_kinds_come_from_the_model(shipped_flows):
    flows, rows = shipped_flows
    for period, pf in flows.items():
        row = rows[period]
        share = pf.flow("openai_share")
        assert share.amount == row["openai_share"]
        # OpenAI's 20% is a bound exactly where the revenue it is 20% of is one.
        assert share.kind == (LOWER if row["revenue_bound"] == "lower" else EXACT)
        ms = pf.flow("microsoft_share")
        assert (ms.kind == UNKNOWN) == (row["microsoft_share"] is None)
    # 2025's figures cover Jan-Sep only: every amount of that row is partial and says so.
    assert flows["2025"].covered == "2025-01..2025-09"
    assert flows["2025"].flow("inference").covers == "2025-01..2025-09"
    assert "partial" in flows["2025"].flow("net_payment").what
    assert flows["2024"].flow("inference").covers is None


def test_funding_known_only_over_a_longer_span_is_not_known_per_period(shipped_flows):
    flows, _ = shipped_flows
    funding = flows["2024"].flow("funding")
    # Microsoft's 10-Q: 11,600,000,000 funded from 2019-07-22 to 2025-09-30, dates not known.
    assert funding.kind == UNKNOWN and funding.amount is None and funding.drawn is None
    assert "11,600,000,000" in funding.why and "2019-07-22..2025-09-30" in funding.why
    assert funding.links == ("investment-2019-07-22..2025-09-30",)
    training = flows["2024"].flow("training")
    assert training.kind == UNKNOWN and "credits" in training.why and training.links == ()


def test_a_recorded_revenue_makes_openai_share_exact(tmp_path):
    books = tmp_path / "ledger"
    shutil.copytree(LEDGER_DIR, books, ignore=shutil.ignore_patterns("*.picklecache"))
    main = books / "main.beancount"
    done = subprocess.run(
        ["leakledger", "add", "revenue", "3.7B", "--period", "2024", "--kind", "leaked", "--source", "a test"]
        + ["--ledger", str(main)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    entries, options = load_clean(main)
    rows = reports.period_table(entries, options, by="year").to_dict("records")
    year = {pf.period: pf for pf in period_flows(rows, entries)}["2024"]
    share = year.flow("openai_share")
    assert (share.kind, share.amount) == (EXACT, D("0.20") * D("3700000000"))  # 740,000,000
    assert share.text == "740,000,000"
    assert year.flow("net_payment").amount == NET_2024


# --- the published diagrams ------------------------------------------------------


def test_the_index_draws_one_diagram_per_year_naming_both_companies(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    svgs = diagrams(html)
    assert sorted(svgs) == ["flows-year-2024", "flows-year-2025"]
    for svg in svgs.values():
        words = " ".join(svg.itertext())
        assert "OpenAI" in words and "Microsoft" in words and "Inference" in words and "20%" in words
        groups = [g for g in svg.iter("g") if g.get("class") == "flow"]
        assert [g.get("data-flow") for g in groups] == list(FLOW_ORDER)  # one band per flow
        for g in groups:
            (path,) = [p for p in g.iter("path") if p.get("data-flow")]
            assert path.find("title").text  # its figure is its tooltip
    # the table beside each diagram lists the same flows
    assert html.count('<table class="flow-table">') == 2


def test_band_widths_are_proportional_to_the_amounts(site):
    svgs = diagrams((site / "index.html").read_text(encoding="utf-8"))
    y24, y25 = svgs["flows-year-2024"], svgs["flows-year-2025"]
    inference, net = thickness(band(y24, "inference")), thickness(band(y24, "net_payment"))
    assert D(band(y24, "inference").get("data-amount")) == INFERENCE_2024
    assert D(band(y24, "net_payment").get("data-amount")) == NET_2024
    # 3,767,100,000 / 493,800,000 = 7.6288...
    assert abs(inference / net - INFERENCE_2024 / NET_2024) < D("0.01")
    # One scale for the page: the busiest node is 2025's, inference 8,670,000,000 plus the
    # 865,800,000 of OpenAI's 20% (drawn at its bound) on OpenAI's side, the net payment on Microsoft's.
    busiest = INFERENCE_2025 + NET_2025
    assert near(thickness(band(y25, "inference")), BAND_SPACE * INFERENCE_2025 / busiest)
    assert near(inference, BAND_SPACE * INFERENCE_2024 / busiest)
    assert near(thickness(band(y24, "openai_share")), net)  # a bound of 493,800,000, as wide as the payment


def test_a_lower_bound_is_drawn_unlike_an_exact_amount(site, shipped_flows):
    flows, _ = shipped_flows
    svgs = diagrams((site / "index.html").read_text(encoding="utf-8"))
    kinds = []
    for period, pf in flows.items():
        svg = svgs[f"flows-year-{period}"]
        for flow in pf.flows:
            path = band(svg, flow.key)
            assert path.get("data-kind") == flow.kind  # the picture draws the model's kind
            kinds.append(flow.kind)
            if flow.kind == LOWER:
                hatch = f"flows-year-{period}-hatch-{flow.key}"
                assert "lower" in path.get("class") and path.get("fill") == f"url(#{hatch})"
                assert path.get("stroke")  # outlined
                assert any(p.get("id") == hatch for p in svg.iter("pattern"))
                assert "≥ " in path.find("title").text
            elif flow.kind == EXACT:
                assert "exact" in path.get("class") and path.get("fill").startswith("#") and not path.get("stroke")
            else:
                assert "unknown" in path.get("class") and path.get("stroke-dasharray") and path.get("fill") == "none"
    # 2025 records no Microsoft revenue base, so OpenAI's 20% of it is a lower bound there.
    assert flows["2025"].flow("openai_share").kind == LOWER
    assert {EXACT, LOWER, UNKNOWN} <= set(kinds)


def test_each_band_links_to_its_figures_page(site):
    for page, ids in (("index.html", 2), ("half.html", 4), ("quarter.html", 7)):
        html = (site / page).read_text(encoding="utf-8")
        svgs = diagrams(html)
        assert len(svgs) == ids, page
        for svg in svgs.values():
            links = [a for a in svg.iter("a")]
            drawn = {a.find("path").get("data-flow") for a in links}
            assert {"inference", "net_payment", "openai_share", "funding"} <= drawn
            for a in links:
                target = (site / page).parent / a.get("href")
                assert target.is_file(), a.get("href")
                assert a.get("aria-label")


def test_each_quarter_has_its_own_diagram(site):
    svgs = diagrams((site / "quarter.html").read_text(encoding="utf-8"))
    assert sorted(svgs) == sorted(f"flows-quarter-{q.lower()}" for q in QUARTERS)
    # 2024-Q1: inference 546,800,000 against the net payment 77,300,000, on the page's one scale
    q1 = svgs["flows-quarter-2024-q1"]
    ratio = thickness(band(q1, "inference")) / thickness(band(q1, "net_payment"))
    assert abs(ratio - D("546800000") / D("77300000")) < D("0.05")


def test_a_range_is_solid_to_its_low_end_and_hatched_to_its_high_end():
    flows = [
        Flow("inference", "Inference on Azure", "OpenAI", "Microsoft", EXACT, D(100), "test"),
        Flow("training", "Training", "OpenAI", "Microsoft", RANGE, D(20), "test", high=D(60)),
        Flow("openai_share", "OpenAI's 20%", "OpenAI", "Microsoft", LOWER, D(10), "test"),
        Flow("net_payment", "Net", "OpenAI", "Microsoft", EXACT, D(10), "test"),
        Flow("microsoft_share", "Microsoft's 20%", "Microsoft", "OpenAI", UNKNOWN, None, "test"),
        Flow("funding", "Funding", "Microsoft", "OpenAI", UNKNOWN, None, "test", withheld=True),
    ]
    import datetime

    pf = PeriodFlows("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), None, flows)
    svg = ET.fromstring(str(flow_diagram("t", pf, D(1))))
    wide = band(svg, "training")
    assert "range" in wide.get("class") and wide.get("fill") == "url(#t-hatch-training)"
    assert thickness(wide) == D(60)  # drawn to its high end
    (low,) = [p for p in svg.iter("path") if p.get("class") == "band-low"]
    assert thickness(low) == D(20) and low.get("fill").startswith("#")
    assert "withheld" in " ".join(svg.itertext())


# --- the Fava page -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fava():
    app, client = fava_client(MAIN)
    return client, app.config["LEDGERS"].first_slug()


@pytest.mark.parametrize("by", ["year", "half", "quarter"])
def test_the_leak_model_page_shows_the_same_flows_as_the_site(fava, site, by):
    client, slug = fava
    model = get_json(client, f"/{slug}/{EXTENSION}/model", by=by)
    page = client.get(f"/{slug}/{EXTENSION}/", query_string={"by": by}).get_data(as_text=True)
    site_html = (site / {"year": "index.html", "half": "half.html", "quarter": "quarter.html"}[by]).read_text(
        encoding="utf-8"
    )
    in_fava, on_site = diagrams(page), diagrams(site_html)
    assert len(in_fava) == len(model["flows"]) == len(on_site) > 0
    for pf in model["flows"]:
        slug = re.sub(r"[^a-z0-9]", "-", pf["period"].lower())
        fava_svg, site_svg = in_fava[f"leak-flows-{by}-{slug}"], on_site[f"flows-{by}-{slug}"]
        assert [f["key"] for f in pf["flows"]] == list(FLOW_ORDER)
        for f in pf["flows"]:
            drawn_fava, drawn_site = band(fava_svg, f["key"]), band(site_svg, f["key"])
            assert drawn_fava.get("data-amount") == drawn_site.get("data-amount")
            assert drawn_fava.get("d") == drawn_site.get("d")  # the same width, on the same scale
            assert drawn_fava.get("data-kind") == drawn_site.get("data-kind") == f["kind"]
            if f["amount"] is not None and f["kind"] != UNKNOWN:
                assert D(drawn_fava.get("data-amount")) == D(f["amount"])
    year = next((pf for pf in model["flows"] if pf["period"] == "2024"), None)
    if by == "year":
        amounts = {f["key"]: f["amount"] for f in year["flows"]}
        assert D(amounts["net_payment"]) == NET_2024 and D(amounts["inference"]) == INFERENCE_2024


def test_the_leak_model_page_follows_fava_filters(fava):
    client, slug = fava
    model = get_json(client, f"/{slug}/{EXTENSION}/model", by="quarter", time="2024")
    assert [pf["period"] for pf in model["flows"]] == list(QUARTERS[:4])
    page = client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "quarter", "time": "2024"}).get_data(as_text=True)
    # a band links to the journal filtered by its figures' links
    assert re.search(r'<a href="[^"]*journal/\?filter=[^"]*revenue-share-2024-q1', page)


def test_flows_the_books_errors_make_wrong_are_withheld(tmp_path):
    from quarter_books import QUARTERS as LEAK
    from quarter_books import quarter_books, quarter_entry

    main = quarter_books(tmp_path)
    year = main.parent / "2024.beancount"
    again = quarter_entry("revenue-share", "2024-Q2", LEAK["2024-Q2"][0]).replace(
        "^revenue-share-2024-q2", "^revenue-share-2024-q2-again"
    )
    year.write_text(year.read_text(encoding="utf-8") + again, encoding="utf-8")  # 2024-Q2's payment twice
    app, client = fava_client(main)
    slug = app.config["LEDGERS"].first_slug()
    model = get_json(client, f"/{slug}/{EXTENSION}/model", by="quarter")
    q2 = {f["key"]: f for f in next(pf for pf in model["flows"] if pf["period"] == "2024-Q2")["flows"]}
    assert q2["net_payment"]["withheld"] and q2["openai_share"]["withheld"]
    assert "may be wrong" in q2["net_payment"]["what"]
    assert not q2["inference"]["withheld"] and D(q2["inference"]["amount"]) == LEAK["2024-Q2"][1]  # 748,300,000
    page = client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "quarter"}).get_data(as_text=True)
    svg = diagrams(page)["leak-flows-quarter-2024-q2"]
    withheld = band(svg, "net_payment")
    assert "unknown" in withheld.get("class") and withheld.get("data-amount") == ""  # not drawn as a width
    assert "withheld" in " ".join(svg.itertext())
    assert "exact" in band(svg, "inference").get("class")
