"""`scenario compare` and the site's scenario page show OpenAI's recorded revenue with its kind; the report's CSV
and JSON say which cells are bounds (`<column>_bound`), wherever the text writes "≥" or "≤".

Through the real CLI (subprocess) on the shipped books and scenarios, and a site published into tmp_path.
Every figure is arithmetic on docs/sources.md and the scenario books' own comments, shown beside it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from decimal import Decimal

import pytest
from conftest import MAIN

D = Decimal
SCENARIO = "openai-revenue-to-2030"

# The audited revenue (second leak): "3.7B" is 3.65B..3.75B, "13.07B" is 13.065B..13.075B (half a unit of the last
# digit each way), posted at the stated value.
REVENUE_2024 = (D("3700000000"), D("3650000000"), D("3750000000"))
REVENUE_2025 = (D("13070000000"), D("13065000000"), D("13075000000"))
# ledger/scenarios/openai-revenue-to-2030.beancount: 5,700,000,000 x 1.16^k a quarter, rounded to the million;
# 2026-Q2 (6,612,000,000) is posted in two parts split by days, 1,889,142,857.14 + 4,722,857,142.86.
PATH = {
    "2026": D("6612000000") + D("7670000000") + D("8897000000"),  # Q2..Q4 = 23,179,000,000
    "2027": D("10321000000") + D("11972000000") + D("13887000000") + D("16109000000"),  # 52,289,000,000
    "2028": D("18687000000") + D("21677000000") + D("25145000000") + D("29168000000"),  # 94,677,000,000
    "2029": D("33835000000") + D("39249000000") + D("45529000000") + D("52813000000"),  # 171,426,000,000
    "2030": D("61264000000") + D("71066000000") + D("82436000000") + D("95626000000"),  # 310,392,000,000
}
# 2024's 20%: 0.20 x 3.65B..3.75B - 493,800,000 = 236,200,000..256,200,000 (246,200,000 at 3.7B).
MICROSOFT_2024 = (D("246200000"), D("236200000"), D("256200000"))


def leakledger(*args: str) -> str:
    """The command's output on the shipped books; a wide terminal, so the table's cells stay on one line each."""
    env = {**os.environ, "COLUMNS": "250"}
    done = subprocess.run(["leakledger", *args, "--ledger", str(MAIN)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def rows_of(text: str, fmt: str) -> dict[tuple[str, str], dict]:
    rows = json.loads(text) if fmt == "json" else list(csv.DictReader(io.StringIO(text)))
    return {(r["period"], r.get("book", "")): r for r in rows}


def money(value) -> Decimal | None:
    return None if value in (None, "") else D(value)


@pytest.fixture(scope="module")
def compared() -> dict[str, dict]:
    """The comparison with openai-revenue-to-2030, as CSV, JSON and text."""
    return {fmt: leakledger("scenario", "compare", SCENARIO, "--format", fmt) for fmt in ("csv", "json", "table")}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_compare_carries_each_books_recorded_revenue_with_its_kind(compared, fmt):
    rows = rows_of(compared[fmt], fmt)
    for book in ("base", SCENARIO):  # the audited years in both books, as ranges: leaked (Z2)
        for period, (posted, low, high) in (("2024", REVENUE_2024), ("2025", REVENUE_2025)):
            row = rows[(period, book)]
            assert tuple(
                map(money, (row["recorded_revenue"], row["recorded_revenue_low"], row["recorded_revenue_high"]))
            ) == (
                posted,
                low,
                high,
            )
            assert (row["recorded_revenue_kind"], row["recorded_revenue_bound"] or None) == ("leaked", None)
    for period, revenue in PATH.items():  # the scenario's projection: exact amounts, every one assumed
        row = rows[(period, SCENARIO)]
        assert money(row["recorded_revenue"]) == revenue and row["recorded_revenue_kind"] == "assumed"
        assert money(row["recorded_revenue_low"]) is None and money(row["recorded_revenue_high"]) is None
        assert (period, "base") not in rows  # the base books record nothing there: no row, not a zero
    assert rows[("2026", SCENARIO)]["recorded_revenue_covers"] == "2026-04..2026-12"  # from the amendment's quarter
    # the totals: 3.7B + 13.07B = 16,770,000,000 (16.715B..16.825B); the scenario adds its path, 651,963,000,000
    total = rows[("total", SCENARIO)]
    path = sum(PATH.values())
    assert path == D("651963000000")
    assert tuple(
        map(money, (total["recorded_revenue"], total["recorded_revenue_low"], total["recorded_revenue_high"]))
    ) == (
        D("16770000000") + path,
        D("16715000000") + path,
        D("16825000000") + path,
    )
    assert total["recorded_revenue_kind"] == "leaked, assumed"
    assert rows[("total", "base")]["recorded_revenue_kind"] == "leaked"
    # the path starts 2026-04 and posts nothing for 2026-Q1: the total's revenue, and OpenAI's 20% of it, cover
    # 2024..2030 less that quarter, and say so as the statement's total does; so does why no ratio is given
    # (the leak's inference is 2024 and 2025-01..2025-09)
    hole = "2024-01..2030-12 except 2026-Q1"
    assert (total["recorded_revenue_covers"], total["openai_share_covers"]) == (hole, hole)
    assert total["ratio_blank"] == f"spans differ: inference 2024-01..2025-09, revenue {hole}"


def test_compare_text_shows_the_recorded_revenue_its_notes_speak_of(compared):
    text = compared["table"]
    header = next(line for line in text.splitlines() if "net payment" in line)
    assert "recorded revenue" in header and "implied revenue" in header
    table = text[: text.rindex("┘")]
    # base and scenario, 2024 and 2025: the ranges "3.7B" and "13.07B" stand for
    assert table.count("3.65B–3.75B") == 2 and table.count("13.065B–13.075B") == 2
    # the scenario's own revenue says it is assumed, and the span it covers (2026: from 2026-04)
    assert "23,179,000,000 (assumed) (2026-04..2026-12)" in table
    for period in ("2027", "2028", "2029", "2030"):
        assert f"{PATH[period]:,.0f} (assumed)" in table
    # the total: 16.715B + 651.963B = 668.678B to 16.825B + 651.963B = 668.788B, part of it assumed, over
    # 2024..2030 less 2026-Q1 (the path starts 2026-04): not over its row's whole period, so marked with its span
    assert "668.678B–668.788B (part assumed) (2024-01..2030-12 except 2026-Q1)" in table
    notes = " ".join(text[text.rindex("┘") :].split())
    # the note about implied revenue points at a column that is there, and so does the assumed mark's
    assert re.search(r"implied revenue: none where OpenAI's revenue is recorded \(2024 base, ", notes)
    assert (
        f"(assumed): OpenAI revenue the book assumes (#assumed figures: no source states it) (2026 {SCENARIO}, "
        in notes
    )
    assert f"(part assumed): sources' figures and assumed ones added up (total {SCENARIO})" in notes


def test_azure_growth_compare_shows_the_recorded_revenue_its_ratios_divide_by():
    # The scenario assumes Azure OpenAI Service revenue, not OpenAI's: its recorded revenue is the base's, leaked.
    rows = rows_of(leakledger("scenario", "compare", "azure-openai-growth", "--format", "csv"), "csv")
    for book in ("base", "azure-openai-growth"):
        row = rows[("2024", book)]
        assert (money(row["recorded_revenue_low"]), money(row["recorded_revenue_high"])) == REVENUE_2024[1:]
        assert row["recorded_revenue_kind"] == "leaked" and row["ratio_over"] == "recorded"
    text = leakledger("scenario", "compare", "azure-openai-growth")
    table, notes = text[: text.rindex("┘")], " ".join(text[text.rindex("┘") :].split())
    assert "recorded revenue" in table and table.count("3.65B–3.75B") == 2 and "(assumed)" not in table
    assert "inference ÷ revenue: over OpenAI's recorded revenue (2024 base, 2024 azure-openai-growth)" in notes


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_reports_bound_columns_say_what_the_text_marks(fmt):
    rows = rows_of(leakledger("report", "--format", fmt), fmt)
    year = rows[("2024", "")]
    assert tuple(map(money, (year["microsoft_share"], year["microsoft_share_low"], year["microsoft_share_high"]))) == (
        MICROSOFT_2024
    )
    assert not year["microsoft_share_bound"]  # a closed range, 236.2M–256.2M
    # 2024..2025: 2024's share, and 2025's not known (no 2025-Q4 payment): at least 236,200,000, posted 246,200,000
    total = rows[("total", "")]
    assert (money(total["microsoft_share"]), money(total["microsoft_share_low"])) == MICROSOFT_2024[:2]
    assert money(total["microsoft_share_high"]) is None and total["microsoft_share_bound"] == "lower"
    text = leakledger("report", "--format", "markdown")
    assert re.search(r"^\| total \|.*\| ≥ 236,200,000 \|", text, re.M)


BOOKS = [
    ("report",),
    ("report", "--as-of", "2025-11-13"),  # the first leak alone: implied revenue at least, the ratio at most
    ("report", "--scenario", "azure-openai-growth"),
    ("report", "--scenario", SCENARIO),
]
HEADERS = {
    "net payment": "net_payment",
    "OpenAI 20%": "openai_share",
    "Microsoft 20%": "microsoft_share",
    "recorded revenue": "recorded_revenue",
    "implied revenue": "implied_revenue",
    "inference ÷ revenue": "inference_to_revenue",
}


@pytest.mark.parametrize("args", BOOKS, ids=lambda a: " ".join(a[1:]) or "shipped")
def test_a_cell_the_text_marks_as_a_bound_is_one_in_csv_and_json(args):
    """Row by row, cell by cell: "≥" in the text is `<column>_bound` "lower" in CSV, "≤" is "upper", else empty."""
    text = leakledger(*args, "--by", "half", "--format", "markdown")
    lines = [line for line in text.splitlines() if line.startswith("|")]
    headers = [h.strip() for h in lines[0].strip("|").split("|")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    rows = list(csv.DictReader(io.StringIO(leakledger(*args, "--by", "half", "--format", "csv"))))
    assert [r["period"] for r in rows] == [c[0] for c in cells]
    for row, line in zip(rows, cells):
        for header, column in HEADERS.items():
            if header not in headers:
                continue
            shown = line[headers.index(header)]
            said = row.get(f"{column}_bound", "")
            if column == "implied_revenue":  # revenue_bound says it of an implied revenue "≥ x" posted at x
                said = said or row["revenue_bound"]
            expected = "lower" if shown.startswith("≥") else "upper" if shown.startswith("≤") else ""
            assert said == expected, (args, row["period"], column, shown, said)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site of the shipped books with the one scenario, published into a temporary folder."""
    out = tmp_path_factory.mktemp("scenario-site") / "site"
    leakledger("publish", str(out), "--scenario", SCENARIO)
    return out


def test_the_scenario_page_shows_each_books_recorded_revenue_linked_to_its_figures(site):
    page = (site / f"scenarios/{SCENARIO}.html").read_text(encoding="utf-8")
    table = page.split('<table class="compare">', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers[headers.index("Microsoft 20%") + 1 : headers.index("implied revenue")] == ["recorded revenue"]
    # a cell's words as people read them: its marks sit in spans that wrap under the number (site.css)
    linked = {re.sub(r"<[^>]+>", "", text): href for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', table)}
    # the audited years, each linked to its figure page: the base's in figures/, the scenario's in its own folder
    for book in ("../figures", f"{SCENARIO}/figures"):
        assert f'<a href="{book}/revenue-2024.html">3.65B–3.75B</a>' in table
        assert f'<a href="{book}/revenue-2025.html">13.065B–13.075B</a>' in table
    # 2026: the four assumed figures of 2026-Q2..Q4 (23,179,000,000), on a page that lists each
    href = linked["23,179,000,000 (assumed) (2026-04..2026-12)"]
    listed = (site / "scenarios" / href).read_text(encoding="utf-8")
    for link in ("openai-revenue-2026-04-01..2026-04-26", "openai-revenue-2026-q3", "openai-revenue-2026-q4"):
        assert link in listed
    assert "668.678B–668.788B (part assumed) (2024-01..2030-12 except 2026-Q1)" in linked  # nothing in 2026-Q1
    notes = re.findall(r'<p class="note">([^<]*)</p>', page.split("</table>", 1)[1])
    assert any(n.startswith("(assumed): OpenAI revenue the book assumes") for n in notes)
    assert any(n.startswith("implied revenue: none where OpenAI&#39;s revenue is recorded") for n in notes)
    # the chart's legend names what the scenario's revenue is: from 2026 on a projection, not a record
    assert "OpenAI revenue (recorded): base (whisker: its range)" in page
    assert f"OpenAI revenue (recorded, or assumed in a scenario): {SCENARIO} (whisker: its range)" in page


def test_the_published_report_carries_the_bound_column(site):
    # downloads/ is the report as --format csv prints it: the total's Microsoft 20% at least 236,200,000
    rows = {r["period"]: r for r in csv.DictReader(io.StringIO((site / "downloads/report-year.csv").read_text()))}
    assert (rows["total"]["microsoft_share_low"], rows["total"]["microsoft_share_bound"]) == ("236200000.00", "lower")


def test_report_on_the_scenario_marks_its_assumed_revenue_as_compare_does():
    text = leakledger("report", "--scenario", SCENARIO)
    table, notes = text[: text.rindex("┘")], " ".join(text[text.rindex("┘") :].split())
    assert "23,179,000,000 (assumed) (2026-04..2026-12)" in table and "(part assumed)" in table
    assert "(assumed): OpenAI revenue the book assumes (#assumed figures: no source states it) (2026, 2027, " in notes
    # the base books assume nothing: no mark, no note
    assert "assumed" not in leakledger("report")
