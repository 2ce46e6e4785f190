"""The money between the companies per period: the typed flows, the published diagrams, the Fava page.

The flows are read from the real books through the real plugins
(leakledger.flows on the period table), drawn into the published site
(leakledger publish, into a temporary folder) and into Fava's Leak model page
(Flask's test client). Every amount below is the sum of the leak's quarters
in docs/sources.md, written out in the comment beside it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import MAIN
from fava_client import LEAK_MODEL as EXTENSION
from fava_client import fava as fava_of
from fava_client import get_json
from ledgers import OPENS, RULES, figure, inference, ledger_text, payment

from leakledger.book_model import BookModel
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


@pytest.fixture(scope="module")
def shipped_flows():
    model = BookModel(*load_clean(MAIN))
    rows = model.period_rows("year")
    return {pf.period: pf for pf in period_flows(rows, model.index)}, {r["period"]: r for r in rows}


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


def band_of(swatch: ET.Element) -> ET.Element:
    """A legend swatch's band (its main path; a range's solid part and a bound's edge are others)."""
    (path,) = [p for p in swatch.iter("path") if (p.get("class") or "").startswith("band ")]
    return path


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
        if row.get("openai_share_low") is not None:
            # a range where the revenue is one: 2024's 3.7B is 3.65B..3.75B, so 730,000,000..750,000,000
            assert (share.kind, share.amount, share.high) == (RANGE, row["openai_share_low"], row["openai_share_high"])
            assert share.drawn == row["openai_share_high"]  # drawn to its high end, solid to its low one
        else:
            assert share.amount == row["openai_share"]
            # OpenAI's 20% is a bound exactly where the revenue it is 20% of is one.
            assert share.kind == (LOWER if row["revenue_bound"] == "lower" else EXACT)
        ms = pf.flow("microsoft_share")
        assert (ms.kind == UNKNOWN) == (row["microsoft_share"] is None)
    # The leak's 2025 payments and inference cover Jan-Sep only: each says so, and the row says it once
    # where every amount in it covers the same span.
    for key in ("inference", "net_payment"):
        assert flows["2025"].flow(key).covers == "2025-01..2025-09" and "partial" in flows["2025"].flow(key).what
    spans = {f.covers for f in flows["2025"].flows if f.amount is not None}
    assert flows["2025"].covered == (spans.pop() if len(spans) == 1 else None)
    assert flows["2024"].flow("inference").covers is None


def test_a_ranged_flow_names_the_figures_and_ranges_behind_it(shipped_flows):
    flows, _ = shipped_flows
    # Z2's audited revenue: "3.7B" stands for 3.65B..3.75B (OpenAI's 20%: 730M..750M, Microsoft's solved
    # 0.2 x R - 493.8M: 236.2M..256.2M); "13.07B" for 13.065B..13.075B (OpenAI's 20%: 2.613B..2.615B).
    for key in ("openai_share", "microsoft_share"):
        assert flows["2024"].flow(key).why.endswith("revenue 2024 3,700,000,000 stands for 3.65B–3.75B")
    why_2025 = flows["2025"].flow("openai_share").why
    assert why_2025.endswith("revenue 2025 13,070,000,000 stands for 13.065B–13.075B") and "3.7B" not in why_2025


def test_the_ratio_note_names_each_recorded_revenue_and_its_range(shipped_flows):
    from leakledger.presentation import ratio_over_note

    _, rows = shipped_flows
    note = ratio_over_note(list(rows.values()))
    # the ratio is over recorded revenue in 2024 only (2025's inference covers Jan-Sep): "3.7B" is 3.65B..3.75B
    assert note is not None and note.endswith("(2024: 3,700,000,000 stands for 3.65B–3.75B)")
    # a recorded revenue stated to the unit has no range to name
    exact = {**rows["2024"], "recorded_revenue_low": None, "recorded_revenue_high": None}
    assert (
        ratio_over_note([exact])
        == "inference ÷ revenue: over OpenAI's recorded revenue (2024), else over implied revenue"
    )


def test_a_scenario_flow_names_its_assumed_range():
    from conftest import LEDGER_DIR

    model = BookModel(*load_clean(LEDGER_DIR / "scenarios" / "azure-openai-growth.beancount"))
    rows = model.period_table("year").to_dict(orient="records")
    [year] = [pf for pf in period_flows(rows, model.index) if pf.period == "2024"]
    share = year.flow("microsoft_share")
    # the scenario's 2024 Azure OpenAI Service revenue: 1,000,000,000, assumed as 0.5B..1.5B (its low:, high:)
    assert share.kind == RANGE and "azure-openai-revenue 2024 1,000,000,000 stands for 500M–1.5B (assumed)" in share.why
    assert "3.7B" not in share.why


def test_funding_known_only_over_longer_spans_is_none_to_all_of_them_per_period(shipped_flows):
    flows, _ = shipped_flows
    funding = flows["2024"].flow("funding")
    # Microsoft's 10-Q: 11,600,000,000 funded from 2019-07-22 to 2025-09-30, dates not known: in 2024, none
    # to all of it. A range, not drawn (its width in the year is not known), naming the figure.
    assert (funding.kind, funding.amount, funding.high, funding.drawn) == (RANGE, 0, D("11600000000"), None)
    assert funding.part_of == "11,600,000,000 over 2019-07-22..2025-09-30"
    assert "the part in 2024 is 0..11,600,000,000" in funding.why
    # the band links to the funding figures (by their links: a refined total's stands for its parts too)
    assert funding.sources and all(link.startswith("investment-") for link in funding.sources.links)
    # 2025: the 11.6B above, and the 11.8B funded by 2026-03-31 less it, 11,800,000,000 - 11,600,000,000 =
    # 200,000,000 over 2025-10..2026-03 (MSQ3), posted as the refined total's remainder: both named, none to all
    # of each in 2025, 0..11,600,000,000 + 200,000,000.
    funding = flows["2025"].flow("funding")
    assert (funding.kind, funding.amount, funding.high) == (RANGE, 0, D("11600000000") + D("200000000"))
    assert funding.part_of == (
        "11,600,000,000 over 2019-07-22..2025-09-30; "
        "200,000,000 over 2025-10..2026-03 (the rest of 11,800,000,000 over 2019-07-22..2026-03-31)"
    )
    assert "no funding" not in funding.what and funding.text == "0 – 11,800,000,000"
    training = flows["2024"].flow("training")
    assert training.kind == UNKNOWN and "credits" in training.why and training.sources is None


def _small_books(folder: Path, *extra: str) -> Path:
    """Books of the first leak's two totals alone (no OpenAI revenue, no Microsoft base), and `extra`."""
    body = (
        OPENS
        + RULES
        + payment("2024-12-31", "2024-01-01", "493800000.00", "revenue-share-2024")
        + inference("2024-12-31", "2024-01-01", "3767100000.00", "inference-2024")
        + payment("2025-09-30", "2025-01-01", "865800000.00", "revenue-share-2025")
        + inference("2025-09-30", "2025-01-01", "8670000000.00", "inference-2025")
        + "".join(extra)
    )
    path = folder / "main.beancount"
    path.write_text(ledger_text(body), encoding="utf-8")
    return path


def _flows_of(main: Path) -> dict[str, PeriodFlows]:
    return {pf.period: pf for pf in BookModel(*load_clean(main)).view("year").flows}


@pytest.fixture(scope="module")
def first_leak(tmp_path_factory) -> Path:
    return _small_books(tmp_path_factory.mktemp("first-leak"))


def test_with_no_microsoft_base_openai_share_is_a_lower_bound_drawn_hatched(first_leak, tmp_path):
    year = _flows_of(first_leak)["2024"]
    share = year.flow("openai_share")
    # Implied revenue >= 493,800,000 / 0.20 = 2,469,000,000, so OpenAI's 20% >= 493,800,000.
    assert (share.kind, share.amount, share.text) == (LOWER, NET_2024, "≥ 493,800,000")
    assert (
        year.flow("microsoft_share").kind == UNKNOWN
        and "no Microsoft base in force has a figure" in year.flow("microsoft_share").why
    )
    publish(tmp_path / "site", first_leak)
    svg = diagrams((tmp_path / "site/index.html").read_text(encoding="utf-8"))["flows-year-2024"]
    bound, exact = band(svg, "openai_share"), band(svg, "net_payment")
    hatch = "flows-year-2024-hatch-openai_share"
    assert "lower" in bound.get("class") and bound.get("fill") == f"url(#{hatch})" and bound.get("stroke")
    assert any(p.get("id") == hatch for p in svg.iter("pattern"))
    assert [p for p in svg.iter("path") if p.get("class") == "bound-edge"]  # the dashed edge beyond the bound
    assert "exact" in exact.get("class") and exact.get("fill").startswith("#") and not exact.get("stroke")
    assert near(thickness(bound), thickness(exact))  # as wide as its bound: the 493,800,000 paid


def test_a_recorded_revenue_makes_openai_share_exact_and_spans_can_differ(tmp_path):
    revenue = figure("revenue", "2025-12-31", "2025-01-01", "13070000000.00", "revenue-2025")
    main = _small_books(tmp_path, revenue)
    year = _flows_of(main)["2025"]
    share = year.flow("openai_share")
    # 0.20 x 13,070,000,000 = 2,614,000,000, over the whole of 2025 (the revenue's own span)
    assert (share.kind, share.amount, share.covers) == (EXACT, D("0.20") * D("13070000000"), None)
    # the payment and inference cover Jan-Sep only: each says so, and the row names no one span
    assert year.flow("net_payment").covers == year.flow("inference").covers == "2025-01..2025-09"
    assert year.covered is None
    publish(tmp_path / "site", main)
    html = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    words = " ".join(diagrams(html)["flows-year-2025"].itertext())
    # an exact label keeps every digit (2.614B, not 2.61B): a label never stands for a value it is not
    assert "Net payment: 865.8M (Jan–Sep)" in words and "OpenAI's 20%: 2.614B" in words
    assert "OpenAI's 20%: 2.614B (" not in words
    assert "2025 (some flows cover less of it: each says which)" in html


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
    # One scale for the page: its busiest node takes BAND_SPACE. OpenAI's node holds inference, training
    # and its 20%; Microsoft's inference, training, the net payment and Microsoft's 20% (funding: not known).
    drawn = {
        (svg.get("id"), p.get("data-flow")): D(p.get("data-amount") or 0)
        for svg in svgs.values()
        for p in svg.iter("path")
        if p.get("data-flow")
    }
    sides = [
        sum(drawn[(i, k)] for k in keys)
        for i in svgs
        for keys in (
            ("inference", "training", "openai_share", "funding"),
            ("inference", "training", "net_payment", "microsoft_share", "funding"),
        )
    ]
    busiest = max(sides)
    assert near(inference, BAND_SPACE * INFERENCE_2024 / busiest)
    assert near(thickness(band(y25, "inference")), BAND_SPACE * INFERENCE_2025 / busiest)


def test_each_band_is_drawn_as_its_kind(site, shipped_flows):
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
            elif (
                flow.kind == RANGE and flow.drawn is not None
            ):  # hatched to its high end, solid to its low end, the range in its title
                hatch = f"flows-year-{period}-hatch-{flow.key}"
                assert "range" in path.get("class") and path.get("fill") == f"url(#{hatch})"
                assert path.get("data-amount") == str(flow.high)
                assert any(p.get("class") == "band-low" for p in svg.iter("path"))
                assert f"{flow.amount:,.0f} – {flow.high:,.0f}" in path.find("title").text
            else:
                assert "unknown" in path.get("class") and path.get("stroke-dasharray") and path.get("fill") == "none"
    assert {EXACT, UNKNOWN, RANGE} <= set(kinds)  # 2024's shares are ranges: the audited 3.7B is one
    # funding, none to all of figures over longer spans, is a range drawn as a dashed line, its range in its label
    funding = band(svgs["flows-year-2024"], "funding")
    assert funding.get("data-kind") == RANGE and "unknown" in funding.get("class") and funding.get("data-amount") == ""
    assert "Funding: 0–11.6B" in " ".join(svgs["flows-year-2024"].itertext())


def test_each_period_has_its_own_diagram_and_each_band_links_to_its_figures_page(site):
    model = BookModel(*load_clean(MAIN))
    for by, page in (("year", "index.html"), ("half", "half.html"), ("quarter", "quarter.html")):
        periods = [r["period"] for r in model.period_rows(by, totals=False)]
        svgs = diagrams((site / page).read_text(encoding="utf-8"))
        assert sorted(svgs) == sorted(f"flows-{by}-{re.sub('[^a-z0-9]', '-', p.lower())}" for p in periods)
        for svg in svgs.values():
            # inference against the net payment, in proportion on every diagram
            inference, net = band(svg, "inference"), band(svg, "net_payment")
            ratio = D(inference.get("data-amount")) / D(net.get("data-amount"))
            assert abs(thickness(inference) / thickness(net) - ratio) < ratio * D("0.01")
            links = list(svg.iter("a"))
            drawn = {a.find("path").get("data-flow") for a in links}
            assert {"inference", "net_payment", "openai_share", "funding"} <= drawn
            for a in links:
                assert ((site / page).parent / a.get("href")).is_file(), a.get("href")
                assert a.get("aria-label")


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


def _shares(microsoft: Flow) -> PeriodFlows:
    """2024's flows with Microsoft's 20% as given (the shipped books' amounts, in the comments)."""
    import datetime

    flows = [
        Flow("inference", "Inference on Azure", "OpenAI", "Microsoft", EXACT, INFERENCE_2024, "test"),
        Flow("training", "Training", "OpenAI", "Microsoft", UNKNOWN, None, "test"),
        # 0.20 x 3.65B = 730,000,000 to 0.20 x 3.75B = 750,000,000 (the audited "3.7B" as stated)
        Flow("openai_share", "OpenAI's 20%", "OpenAI", "Microsoft", RANGE, D("730000000"), "test", high=D("750000000")),
        Flow("net_payment", "Net", "OpenAI", "Microsoft", EXACT, NET_2024, "test"),
        microsoft,
        Flow("funding", "Funding", "Microsoft", "OpenAI", UNKNOWN, None, "test"),
    ]
    return PeriodFlows("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), None, flows)


def test_a_label_too_long_for_its_lane_breaks_into_lines_and_its_row_grows():
    # Microsoft's 20%: 730,000,000 - 493,800,000 = 236,200,000 to 750,000,000 - 493,800,000 = 256,200,000
    ranged = Flow("microsoft_share", "M", "Microsoft", "OpenAI", RANGE, D("236200000"), "t", high=D("256200000"))
    scale = BAND_SPACE / (INFERENCE_2024 + D("750000000"))  # OpenAI's node is the busiest
    svg = ET.fromstring(str(flow_diagram("t", _shares(ranged), scale)))

    def label(starts: str) -> ET.Element:
        (text,) = [t for t in svg.iter("text") if "".join(t.itertext()).startswith(starts)]
        return text

    def lane(key: str) -> Decimal:  # where a share's band leaves the netting node: its lane's top
        return D(re.findall(r"-?\d+(?:\.\d+)?", band(svg, key).get("d"))[1])

    # Its own run, from the netting node to where the bands curve up to Microsoft, is too short for it:
    # its name, then its amount; the net payment's label fits its run on one line.
    assert [t.text for t in label("← Microsoft's 20%").iter("tspan")] == ["← Microsoft's 20%:", "236.2M–256.2M"]
    assert label("→ Net payment").text == "→ Net payment: 493.8M" and not list(label("→ Net payment").iter("tspan"))
    # Its row holds both lines: under the widest band of the lane above, a gap (8), a row (18) and a line (14),
    # its last line standing where a one-line label would (5 above its lane), the first a line (14) above.
    above = max(thickness(band(svg, "openai_share")), thickness(band(svg, "net_payment")))
    assert near(lane("microsoft_share") - lane("net_payment") - above, D(8 + 18 + 14))
    assert near(D(label("← Microsoft's 20%").get("y")), lane("microsoft_share") - 5 - 14)


def test_the_legend_draws_each_kind_with_the_diagrams_code_on_the_site_and_in_fava(site, fava):
    client, slug = fava
    pages = {
        "site": (site / "index.html").read_text(encoding="utf-8"),
        "fava": client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "year"}).get_data(as_text=True),
    }
    for where, html in pages.items():
        (found,) = re.findall(r'<div class="flow-legend">.*?</div>', html, flags=re.S)
        lines = {p.get("data-kind"): p for p in ET.fromstring(found).iter("p") if p.get("data-kind")}
        assert list(lines) == [EXACT, RANGE, LOWER, UNKNOWN], where
        words = {kind: "".join(p.itertext()) for kind, p in lines.items()}
        assert "exact" in words[EXACT] and "range" in words[RANGE] and "lower bound" in words[LOWER]
        assert "hatched to its high end" in words[RANGE] and "dashed edge" in words[LOWER]
        assert "not known" in words[UNKNOWN] and "withheld" in words[UNKNOWN]
        drawn_as = {EXACT: "band exact", RANGE: "band range", LOWER: "band lower", UNKNOWN: "band unknown"}
        for kind, p in lines.items():
            (swatch,) = p.iter("svg")
            assert swatch.get("aria-hidden") == "true"
            main = band_of(swatch)
            assert main.get("class") == drawn_as[kind], (where, kind)
            if main.get("fill").startswith("url(#"):  # its hatching is defined in the swatch itself
                assert [pat for pat in swatch.iter("pattern") if f"url(#{pat.get('id')})" == main.get("fill")]
        (low,) = [path for path in lines[RANGE].iter("path") if path.get("class") == "band-low"]
        assert thickness(low) * 2 == thickness(band_of(lines[RANGE]))  # solid to the low end, half the band
        assert [path for path in lines[LOWER].iter("path") if path.get("class") == "bound-edge"]
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), where  # the swatches' patterns clash with no diagram's


# --- the Fava page -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fava(shipped_fava):
    return shipped_fava.client, shipped_fava.slug


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
            if f["part_of"]:  # none to all of figures over longer spans: its width in the period is not known
                assert drawn_fava.get("data-amount") == ""
            elif f["amount"] is not None and f["kind"] != UNKNOWN:  # a range is drawn to its high end
                assert D(drawn_fava.get("data-amount")) == D(f["high"] if f["kind"] == RANGE else f["amount"])
    year = next((pf for pf in model["flows"] if pf["period"] == "2024"), None)
    if by == "year":
        amounts = {f["key"]: f["amount"] for f in year["flows"]}
        assert D(amounts["net_payment"]) == NET_2024 and D(amounts["inference"]) == INFERENCE_2024


def test_the_leak_model_page_follows_fava_filters(fava):
    client, slug = fava
    model = get_json(client, f"/{slug}/{EXTENSION}/model", by="quarter", time="2024")
    rows = [r["period"] for r in model["period_table"] if r["period"] != "total"]
    assert [pf["period"] for pf in model["flows"]] == rows and rows
    assert all(pf["start"] >= "2024-01-01" and pf["end"] <= "2024-12-31" for pf in model["flows"])
    page = client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "quarter", "time": "2024"}).get_data(as_text=True)
    # a band links to the journal filtered by its figures' links
    assert re.search(r'<a href="[^"]*journal/\?filter=[^"]*revenue-share-2024', page)


def flow_rows(page: str, period: str) -> dict[str, str]:
    """The rows of a period's flows table on the Leak model page, by flow: each row's HTML."""
    (table,) = re.findall(rf"<caption>The flows of {period} \(USD\)</caption>.*?</table>", page, flags=re.S)
    return dict(re.findall(r'<tr data-flow="([a-z_]+)">(.*?)</tr>', table, flags=re.S))


def test_under_a_time_filter_each_flow_says_what_falls_in_the_window(fava):
    client, slug = fava
    model = get_json(client, f"/{slug}/{EXTENSION}/model", by="year", time="2025-Q4")
    (year,) = model["flows"]  # the filter keeps 2025's audited revenue (dated 2025-12-31) whole: row 2025
    flows = {f["key"]: f for f in year["flows"]}
    # OpenAI's 20% of the audited 13.07B (13.065B..13.075B): 2,613,000,000..2,615,000,000 over 2025, more than
    # the window; none to all of it falls in 2025-Q4.
    share = flows["openai_share"]
    assert (share["wider"], share["window"]) == ("2025", "2025-Q4")
    assert [D(end) for end in share["in_window"]] == [0, D("0.20") * D("13075000000")]
    # Funding: none is dated in 2025-Q4, but 11,800,000,000 funded by 2026-03-31 less 11,600,000,000 by
    # 2025-09-30 is 200,000,000 over 2025-10-01..2026-03-31 (MSQ3): none to all of it falls in the window, and
    # none to all of it and of the 11.6B over 2019-07-22..2025-09-30 in 2025.
    funding = flows["funding"]
    assert (funding["kind"], D(funding["amount"]), D(funding["high"])) == (RANGE, 0, D("11800000000"))
    assert (funding["wider"], funding["window"]) == ("2025-10..2026-03", "2025-Q4")
    assert [D(end) for end in funding["in_window"]] == [0, D("11800000000") - D("11600000000")]
    assert "no funding" not in funding["what"]
    # its entries are dated outside the window (2025-09-30, 2026-03-31): its link leads to the journal without it
    assert "investment-2019-07-22" in funding["link"] and "time=&" in funding["link"] + "&"
    assert "time=2025-Q4" in share["link"]  # OpenAI's 20% is the revenue dated 2025-12-31, inside the window
    url = urlsplit(funding["link"])
    journal = get_json(client, url.path.replace("/journal/", "/api/journal"), **dict(parse_qsl(url.query)))["data"]
    said = " ".join(e["narration"] for e in journal)
    assert "total funded as of 2025-09-30" in said and "remainder of 2019-07-22..2026-03-31" in said
    # and the page's flows table says it, as the By-period table does
    page = client.get(f"/{slug}/{EXTENSION}/", query_string={"by": "year", "time": "2025-Q4"}).get_data(as_text=True)
    rows = flow_rows(page, "2025")
    assert "2,613,000,000 – 2,615,000,000" in rows["openai_share"]
    assert (
        "covers 2025, more than the window 2025-Q4 the time filter keeps: the part in it is 0..2,615,000,000"
        in (rows["openai_share"])
    )
    assert "0 – 11,800,000,000" in rows["funding"]
    assert (
        "200,000,000 over 2025-10..2026-03 (the rest of 11,800,000,000 over 2019-07-22..2026-03-31)"
        in (rows["funding"])
    )
    assert "covers 2025-10..2026-03, more than the window 2025-Q4" in rows["funding"]
    assert "the part in it is 0..200,000,000" in rows["funding"]
    # a flow with no figure in the window says the filter cut it, as the By-period table's cells do
    assert "the time filter keeps 2025-Q4 only" in rows["net_payment"]


def test_flows_the_books_errors_make_wrong_are_withheld(tmp_path):
    from quarter_books import QUARTERS as LEAK
    from quarter_books import quarter_books, quarter_entry

    main = quarter_books(tmp_path)
    year = main.parent / "2024.beancount"
    again = quarter_entry("revenue-share", "2024-Q2", LEAK["2024-Q2"][0]).replace(
        "^revenue-share-2024-q2", "^revenue-share-2024-q2-again"
    )
    year.write_text(year.read_text(encoding="utf-8") + again, encoding="utf-8")  # 2024-Q2's payment twice
    broken = fava_of(main)
    client, slug = broken.client, broken.slug
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
    # The flows table strikes what the diagram withholds and marks it ?, as the By-period table does:
    # 2024-Q2's payment counted twice, 2 x 109,500,000 = 219,000,000.
    rows = flow_rows(page, "2024-Q2")
    struck = re.search(
        r'<s class="suspect"[^>]*>(.*?)</s><span class="suspect-flag"[^>]*>\?</span>', rows["net_payment"]
    )
    assert struck and "219,000,000" in struck[1]
    assert '<s class="suspect"' in rows["openai_share"]
    assert '<s class="suspect"' not in rows["inference"] and "748,300,000" in rows["inference"]
    assert not q2["funding"]["withheld"]  # funding rests on no revenue-share figure


def test_an_error_no_figure_explains_withholds_every_flow(tmp_path):
    """An unbalanced transaction at no figure could move any of them (leakledger.suspect): funding too."""
    from ledgers import load

    from leakledger.publish.flow_svg import flow_table

    body = (
        OPENS
        + RULES
        + payment("2024-12-31", "2024-01-01", "493800000.00", "revenue-share-2024")
        + inference("2024-12-31", "2024-01-01", "3767100000.00", "inference-2024")
        + figure("investment", "2024-12-31", "2024-01-01", "1000000000.00", "investment-2024", "#disclosed")
        + '\n2024-06-30 * "by hand, unbalanced"\n  Assets:OpenAI:Cash  5.00 USD\n  Equity:OpenAI:Unitemized  -4.00 USD\n'
    )
    entries, errors, options = load(body)
    assert any("balance" in e.message for e in errors)
    (year,) = BookModel(entries, options, errors=errors).view("year").flows
    funding = year.flow("funding")
    assert (funding.kind, funding.amount, funding.withheld) == (EXACT, D("1000000000"), True)
    assert all(f.withheld == (f.amount is not None) for f in year.flows)  # no training figure: nothing to withhold
    table = str(flow_table("t", year))
    # every amount it shows struck and marked: inference 3,767,100,000, the payment 493,800,000, funding 1B
    for amount in ("3,767,100,000", "493,800,000", "1,000,000,000"):
        assert re.search(rf'<s class="suspect"[^>]*>{amount}</s><span class="suspect-flag"', table), amount


def test_a_microsoft_share_with_no_recorded_base_says_it_was_solved():
    import datetime

    from leakledger.flows import _column_flow

    # A row as the model gives it once OpenAI's 2024 revenue is known: 0.20 x 3,700,000,000 = 740,000,000,
    # and Microsoft's 20% is what the net payment leaves of it, 740,000,000 - 493,800,000 = 246,200,000.
    row = {
        "period": "2024",
        "start": datetime.date(2024, 1, 1),
        "end": datetime.date(2024, 12, 31),
        "openai_share": D("0.20") * D("3700000000"),
        "net_payment": NET_2024,
        "microsoft_share": D("0.20") * D("3700000000") - NET_2024,
        "implied_revenue": None,
        "revenue_bound": None,
    }
    solved = _column_flow(row, "microsoft_share", None, based=False)
    assert (solved.kind, solved.text) == (EXACT, "246,200,000")
    assert solved.why == "solved: OpenAI's 20% less the net payment, 740,000,000 - 493,800,000"
    assert _column_flow(row, "openai_share", None).why == "20% of OpenAI's recorded revenue"
    assert "recorded" in _column_flow(row, "microsoft_share", None, based=True).why
