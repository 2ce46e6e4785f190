"""The Leak model page says what each number is: the ratio with report's digits, each mark once, a window's
cells marked (covers more than it; not known and why), the cap's state as far as the books know it, and
flow labels that never exclude a value the figures allow.

Real Fava (the session's `shipped_fava`, the books `leakledger serve` opens) through Flask's test client;
every figure from docs/sources.md arithmetic in a comment.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from html import unescape

import pytest
from fava_client import LEAK_MODEL
from table_cells import bare_cells, body_cells

from leakledger.flows import LOWER, RANGE, Flow
from leakledger.intervals import Interval
from leakledger.presentation import compact_money, period_cells, range_text, ratio_cell_text, short_range

EXTENSION = LEAK_MODEL


def period_table(html: str) -> list[list[str]]:
    """The period table's rows as the words each cell shows (tags dropped, spaces squeezed)."""
    table = html.split('<table id="leak-periods">', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", table.split("<tbody>", 1)[1], re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def test_the_ratio_has_report_s_digits_and_its_mark_once(shipped_fava):
    html = shipped_fava.get(f"{EXTENSION}/").get_data(as_text=True)
    year = {row[0]: row for row in period_table(html)}
    # 2024: inference 3,767,100,000 over the audited revenue "3.7B" = 3.65B..3.75B:
    # 3,767,100,000 / 3,750,000,000 = 1.00456 (down to 1.0045), / 3,650,000,000 = 1.03208 (up to 1.0321)
    assert year["2024"][-1] == "1.0045–1.0321× over recorded revenue"
    assert "1.00–1.03" not in html
    # the same digits as report's table (leakledger.presentation.period_cells, its one formatter)
    rows = shipped_fava.model()["period_table"]
    first = next(r for r in rows if r["period"] == "2024")
    assert ratio_cell_text(
        {k: D(v) if k.startswith("inference_to_revenue") and v else v for k, v in first.items()}
    ) == ("1.0045–1.0321")


def test_as_of_the_first_leak_the_ratio_is_at_most_once_and_the_heading_says_the_day(shipped_fava):
    html = shipped_fava.get(f"{EXTENSION}/", **{"as-of": "2025-11-13"}).get_data(as_text=True)
    ratios = [row[-1] for row in period_table(html)]
    # over implied revenue, a lower bound: 3,767,100,000 / (493,800,000 / 0.20 = 2,469,000,000) = 1.5257 -> 1.53;
    # 8,670,000,000 / (865,800,000 / 0.20 = 4,329,000,000) = 2.0028 -> 2.01 (up: at most);
    # 12,437,100,000 / 6,798,000,000 = 1.8295 -> 1.83
    assert ratios == ["≤ 1.53× over implied revenue", "≤ 2.01× over implied revenue", "≤ 1.83× over implied revenue"]
    assert "≤ ≤" not in unescape(re.sub(r"<[^>]+>", "", html))
    deal = html.split('<table id="leak-deal">', 1)[1].split("</table>", 1)[0]
    assert "Rate on 2025-11-13" in deal and "Rate today" not in deal
    assert "The deal as it stood on 2025-11-13" in html


def test_a_time_window_marks_what_covers_more_and_says_why_a_cell_is_not_known(shipped_fava):
    html = shipped_fava.get(f"{EXTENSION}/", time="2025-Q4").get_data(as_text=True)
    rows = {row[0].split()[0]: row for row in period_table(html)}
    year = rows["2025"]
    assert "the time filter keeps 2025-Q4" in year[0]
    # OpenAI's 20% of the audited 2025 revenue 13.07B (13.065B..13.075B): 2,613,000,000..2,615,000,000, dated
    # 2025-12-31 and so in the window, but over the whole year
    assert year[2].startswith("2.613B–2.615B") and "covers 2025, more than the window" in year[2]
    assert "covers 2025, more than the window" in year[4]  # the recorded revenue, 13.065B–13.075B
    # the Jan-Sep payments (865,800,000) and inference (8,670,000,000) are dated before the window: not known
    # there, not zero, and never a bare dash
    assert year[1] == "not known" and year[6] == "not known"
    assert not any(cell in ("—", "") for row in rows.values() for cell in row)
    notes = html.split('id="leak-period-notes"', 1)[1].split("</div>", 1)[0]
    assert (
        "Not known, net payment, 2025, total: no net payment is recorded for the period; the time filter keeps "
        "2025-Q4 only." in unescape(notes)
    )
    assert "Covers 2025, more than the window 2025-Q4" in notes
    # the flow diagrams draw the same cells: the same words stand over them
    flows = html.split('id="leak-flows-window"', 1)[1].split("</div>", 1)[0]
    assert "Covers 2025, more than the window 2025-Q4" in flows and "Not known, net payment" in flows


def test_the_cap_says_what_is_known_not_that_it_is_unreached(shipped_fava):
    html = shipped_fava.get(f"{EXTENSION}/").get_data(as_text=True)
    deal = unescape(html.split('<table id="leak-deal">', 1)[1].split("</table>", 1)[0])
    assert "cap not yet reached" not in deal
    # nothing of OpenAI's revenue is recorded since the cap counts (2026-04-27): accrued >= 0, left <= 38B
    assert "≥ 0" in deal and "left ≤ 38,000,000,000" in deal
    assert "whether it is reached is not known: what has accrued is only a lower bound" in deal


def test_flow_labels_round_a_range_outward_and_keep_an_exact_amount_s_digits(shipped_fava):
    html = shipped_fava.get(f"{EXTENSION}/").get_data(as_text=True)
    flows = unescape(html.split('id="leak-flows"', 1)[1])
    # 2025's OpenAI 20%: 0.20 x 13,065,000,000 = 2,613,000,000 .. 0.20 x 13,075,000,000 = 2,615,000,000
    assert "2.613B–2.615B" in flows and "2.61B – 2.62B" not in flows
    assert "Inference on Azure: 3.7671B" in flows  # 3,767,100,000 exactly, not "3.77B"

    # a range whose ends do not round evenly: the label's ends go outward, so it holds the whole range
    flow = Flow("openai_share", "x", "OpenAI", "Microsoft", RANGE, D("2613456789"), "", high=D("2614567891"))
    assert range_text(flow.interval, point=compact_money) == "2.6134B–2.6146B"
    lower = Flow("openai_share", "x", "OpenAI", "Microsoft", LOWER, D("493800000"), "")
    assert range_text(lower.interval, point=compact_money) == "≥ 493.8M"


def test_a_chart_label_of_a_bound_rounds_outward():
    # 2,469,000,000 is at least; "≥ 2.47B" would claim 1,000,000 more than the books know
    assert short_range(Interval.at_least(D("2469000000"))) == "≥ 2.469B"
    assert short_range(Interval.at_least(D("2469876543"))) == "≥ 2.4698B"  # down, never up
    assert short_range(Interval(None, D("1000000001"))) == "≤ 1.0001B"  # up, never down


def test_report_writes_the_ratio_with_the_same_function():
    import pandas as pd

    frame = pd.DataFrame(
        [
            # 2024 over a ranged revenue, as the report rounds its ends outward (1.00456 -> 1.0045, 1.03208 -> 1.0321)
            {
                "period": "2024",
                "inference_to_revenue": D("1.02"),
                "inference_to_revenue_low": D("1.0045"),
                "inference_to_revenue_high": D("1.0321"),
            },
            # over a lower-bound revenue: at most, written once
            {"period": "2025", "inference_to_revenue": D("2.01"), "revenue_bound": "lower"},
        ]
    )
    _, cells = period_cells(frame, {"period": "period", "inference_to_revenue": "inference ÷ revenue"})
    assert [row[1] for row in cells] == ["1.0045–1.0321", "≤ 2.01"]
    assert [row[1] for row in cells] == [ratio_cell_text(r) for r in frame.to_dict("records")]


@pytest.mark.parametrize(
    "query",
    [{}, {"by": "quarter"}, {"as-of": "2024-09-27"}, {"as-of": "2025-11-13"}, {"time": "2025-Q4"}, {"time": "2030"}],
)
def test_no_cell_of_the_page_is_a_bare_dash_or_blank(shipped_fava, query):
    # Each cell of the deal, the flows, the period table, the reconciliation and an as-of day's moves is a number or
    # says what it is ("not known", "no figure", "not compared", "not applicable", "not implied"): the deal's no-cap
    # shares and the reconciliation's kinds, gaps and bases were bare dashes, its rows of words began with a blank.
    html = shipped_fava.get(f"{EXTENSION}/", **query).get_data(as_text=True)
    tables = {table for table, _, _ in body_cells(html)}
    assert {"leak-periods", "leak-reconcile"} <= tables, tables
    assert bare_cells(html) == []


def _titled(html: str, words: str) -> list[str]:
    """The titles of the cells that show `words` (the why a narrow cell keeps in its tooltip)."""
    return [unescape(t) for t in re.findall(rf'<span class="none unknown" title="([^"]*)">{words}</span>', html)]


def test_the_deal_and_the_reconciliation_say_what_a_cell_with_no_figure_is(shipped_fava):
    html = shipped_fava.get(f"{EXTENSION}/").get_data(as_text=True)
    deal = [c for c in body_cells(html) if c[0] == "leak-deal"]
    # Bing's and Azure OpenAI Service's 20% to OpenAI ended at 0% on 2026-04-27 with no cap: nothing accrues
    # against one, so the cell is not applicable (it was a bare "—")
    no_cap = [row for row in {c[2] for c in deal} if any(c[1] == "no cap" and c[2] == row for c in deal)]
    assert len(no_cap) == 2
    for row in no_cap:
        assert [c[1] for c in deal if c[2] == row][-1] == "not applicable"
    assert "not applicable: no cap holds this share, so nothing is counted against one" in _titled(
        html, "not applicable"
    )
    # The first reconciliation row, 2024-Q1's leaked net payment 77,300,000 (docs/sources.md): no other kind of
    # figure, nothing reported to compare it with, and no Microsoft base (that squares OpenAI's revenue only)
    table = html.split('<table id="leak-reconcile">', 1)[1].split("</table>", 1)[0]
    first = re.search(r'<tr class="figures[^"]*">(.*?)</tr>', table, re.S)
    assert first is not None
    cells = [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
        for c in re.findall(r"<td[^>]*>(.*?)</td>", first[1], re.S)
    ]
    assert cells == ["2024-Q1", "77,300,000", *["no figure"] * 4, "not compared", "not applicable"]
    assert "no claimed figure for revenue-share, 2024-Q1" in _titled(first[1], "no figure")
    assert _titled(first[1], "not compared") == [
        "not compared: no reported or claimed figure to set the leaked figure against"
    ]
    # the page's JSON says the same beside the null
    row = next(r for r in shipped_fava.model()["reconcile_table"] if r["period"] == "2024-Q1")
    assert row["gap"] is None and row["gap_blank"].startswith("not compared: no reported or claimed figure")
