"""The site's SVG charts, measured as written: no label over another, each value label on its own bar.

Every chart of the published site (the shipped books, each scenario page, and the books as known on the
leak's day) is read back from its HTML. A text's box is estimated from its characters at 0.65 em each
(DejaVu Sans, the browser's fallback here, draws digits 0.64 em wide) at the size the stylesheet draws it
on a desktop (12 units for period labels, 11 for the rest; value labels also at a phone's 15). Figures:
docs/sources.md, as the test comments say.
"""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

import pytest

from leakledger.publish.svg_charts import Series, bar_chart

EM = 0.65
#: The stylesheet's sizes on a desktop (site.css): period labels take the chart's 12, the rest 11.
SIZES = {"period": 12, "tick": 11, "sub": 11, "value": 11, "unknown": 11, "unit": 11}
PHONE = 15  # site.css draws a value label 15 units tall on a narrow screen


def publish(out: Path, *args: str) -> Path:
    done = subprocess.run(["leakledger", "publish", str(out), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def charts(tmp_path_factory) -> dict[str, ElementTree.Element]:
    """Every chart of the site and of the site as known on the leak's day, by page and id."""
    root = tmp_path_factory.mktemp("charts")
    found = {}
    for site in (publish(root / "now"), publish(root / "as-of", "--as-of", "2025-11-12")):
        for page in sorted(site.rglob("*.html")):
            for svg in re.findall(r'<svg class="chart".*?</svg>', page.read_text(encoding="utf-8"), re.S):
                chart = ElementTree.fromstring(svg)
                found[f"{site.name}/{page.relative_to(site)}#{chart.get('id')}"] = chart
    return found


def text_box(text: ElementTree.Element, size: float) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a chart's text: level (anchored start, middle or end) or upright."""
    x, y = float(text.get("x")), float(text.get("y"))
    length = EM * size * len(text.text or "")  # its own words, not its tooltip's
    anchor = text.get("text-anchor", "start")
    if "rotate(-90" in (text.get("transform") or ""):  # reads upwards from (x, y), or ends there
        return (
            (x - size / 2, y - length, x + size / 2, y)
            if anchor == "start"
            else (x - size / 2, y, x + size / 2, y + length)
        )
    left = {"start": x, "middle": x - length / 2, "end": x - length}[anchor]
    return left, y - 0.8 * size, left + length, y + 0.2 * size


def overlap(a, b, slack: float = 0.5) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def path_top(d: str) -> float:
    """The highest point of a whisker or arrow (its y coordinates follow ',' or 'V')."""
    return min(float(v) for v in re.findall(r"[,V](-?[\d.]+)", d))


def layout(chart: ElementTree.Element, value_size: float):
    """The chart's text boxes (class, text, box) and its bars, each (left, top, right, bottom, its label's box)."""
    texts, bars = [], []
    for node in chart.iter():
        tag = node.tag
        if tag == "rect" and node.get("class") == "bar":
            x, y, w = (float(node.get(k)) for k in ("x", "y", "width"))
            bars.append([x, y, x + w, y + float(node.get("height")), None])
        elif tag == "path" and "whisker" in (node.get("class") or "") and bars:
            bars[-1][1] = min(bars[-1][1], path_top(node.get("d")))
        elif tag == "text":
            kind = node.get("class")
            box = text_box(node, value_size if kind == "value" else SIZES[kind])
            texts.append((kind, node.text, box))
            if kind == "value":
                bars[-1][4] = box  # a bar's label is written right after it (and its whisker)
    return texts, bars


def test_the_site_draws_its_charts_with_every_value_labelled(charts):
    # the pages with charts: the model by year, half and quarter, and the three scenarios' two charts each
    pages = {name.split("#")[0] for name in charts}
    assert {"now/index.html", "now/quarter.html", "now/scenarios/openai-revenue-to-2030.html"} <= pages
    assert {"as-of/index.html", "as-of/scenarios/azure-openai-growth.html"} <= pages
    for name, chart in charts.items():
        _, bars = layout(chart, 11)
        assert bars and all(bar[4] is not None for bar in bars), name


@pytest.mark.parametrize("value_size", [11, PHONE])
def test_no_label_overlaps_another_or_a_bar(charts, value_size):
    for name, chart in charts.items():
        width, height = (float(v) for v in chart.get("viewBox").split()[2:])
        texts, bars = layout(chart, value_size)
        for _kind, words, box in texts:
            assert box[0] >= -0.5 and box[2] <= width + 0.5 and box[1] >= -0.5 and box[3] <= height + 0.5, (
                name,
                words,
                box,
            )
        for (_k1, w1, a), (_k2, w2, b) in combinations(texts, 2):
            assert not overlap(a, b), (name, value_size, w1, a, w2, b)
        for kind, words, box in texts:
            if kind in ("value", "unknown"):
                assert not any(overlap(box, bar[:4]) for bar in bars), (name, words, box)


def test_each_value_label_stands_on_its_own_bar(charts):
    """Centred on its bar, within the bar's band, and just over its top (or whisker): never lifted elsewhere."""
    for name, chart in charts.items():
        _, bars = layout(chart, PHONE)
        for left, top, right, _bottom, label in bars:
            centre = (label[0] + label[2]) / 2
            assert left - 1 <= centre <= right + 1, (name, label, left, right)
            assert 0 <= top - label[3] <= 8, (name, label, top)  # 4 units over it, as the chart draws it


def test_the_2030_scenario_labels_every_year():
    """A chart of seven years and two books: 2024's two bars (3,700,000,000 / 4 = 925,000,000 a quarter, the
    audited year's "≈ 925M" in each book) are too narrow for level labels side by side: each stands upright on
    its own bar, none floats over 2025's."""
    quarter = Decimal("3700000000") / 4
    years = [str(y) for y in range(2024, 2031)]
    values = [quarter, Decimal("3267500000")] + [
        Decimal(v) * 10**9 for v in ("7.73", "13.07", "23.67", "42.86", "77.6")
    ]
    books = [
        Series(
            book, "#000", values if book == "scenario" else values[:2] + [None] * 5, [""] * 7, [None] * 7, [False] * 7
        )
        for book in ("base", "scenario")
    ]
    chart = ElementTree.fromstring(str(bar_chart("c", "t", years, books)))
    texts, bars = layout(chart, PHONE)
    assert [t[1] for t in texts if t[0] == "period"] == years
    assert [bar[4] is not None for bar in bars] == [True] * 9 and all(
        "rotate(-90" in (t.get("transform") or "") for t in chart.iter("text") if t.get("class") == "value"
    )
    assert all(0 <= bar[1] - bar[4][3] <= 8 for bar in bars)


def test_a_negative_value_hangs_its_label_under_its_bar():
    chart = bar_chart(
        "c", "t", ["2024", "2025"], [Series("a", "#000", [Decimal(-5), Decimal(10)], ["", ""], [None] * 2, [False] * 2)]
    )
    chart = ElementTree.fromstring(str(chart))
    _, bars = layout(chart, PHONE)
    negative, positive = bars
    assert negative[4][1] >= negative[3] and positive[4][3] <= positive[1]
