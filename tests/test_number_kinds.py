"""Numbers in words and in the timeline say what they are: a ratio over a bound is a bound, over a range a range.

Every figure is docs/sources.md arithmetic, shown beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from beancount import loader
from conftest import LEDGER_DIR
from fava_client import LEAK_MODEL

from leakledger.intervals import Interval
from leakledger.reports import reconcile_table
from leakledger.table_numbers import ratio_interval

D = Decimal
CAP_SCENARIO = LEDGER_DIR / "scenarios" / "cap-counts-all-payments.beancount"


def row(table, metric: str, period: str) -> dict:
    found = table[(table["metric"] == metric) & (table["period"] == period)]
    assert len(found) == 1, (metric, period)
    return found.iloc[0].to_dict()


@pytest.fixture(scope="module")
def cap_table():
    entries, errors, options = loader.load_file(str(CAP_SCENARIO))
    assert errors == []
    return reconcile_table(entries, options)


def test_a_ratio_over_a_lower_bound_is_an_upper_bound_rounded_up():
    # 38,000,000,000 / 3,343,000,000 = 11.3670...: "≤ 11.37", never the 11.36 that rounding down would give
    assert ratio_interval(Interval.exact(D(38_000_000_000)), Interval.at_least(D(3_343_000_000))) == Interval(
        None, D("11.37")
    )
    # over a range, a range rounded outward: 3.65B / 3.75B = 0.9733 (down: 0.97), 3.75B / 3.65B = 1.0274 (up: 1.03)
    stated = Interval(D(3_650_000_000), D(3_750_000_000))
    assert ratio_interval(stated, stated) == Interval(D("0.97"), D("1.03"))
    # exact over exact: rounded once, as before (5,022,000,000 / 2,500,000,000 = 2.0088)
    assert ratio_interval(Interval.exact(D(5_022_000_000)), Interval.exact(D(2_500_000_000))) == Interval.exact(
        D("2.01")
    )
    # a lower bound over a lower bound says nothing
    assert ratio_interval(Interval.at_least(D(20)), Interval.at_least(D(8))) is None


def test_the_cap_scenario_says_its_ratio_is_at_most(cap_table):
    r = row(cap_table, "revenue-share-cap", "2019-07-22..2030-12-31")
    # accrued: OpenAI's 20% of 2024's "3.7B" at least 0.20 x 3,650,000,000 = 730,000,000, and of 2025's
    # "13.07B" at least 0.20 x 13,065,000,000 = 2,613,000,000: ≥ 3,343,000,000 (posted at the midpoints,
    # 740,000,000 + 2,614,000,000 = 3,354,000,000, and open above: the books stop at 2025)
    assert r["implied"] == D(3_354_000_000) and r["implied_low"] == D(3_343_000_000) and r["implied_high"] is None
    # 38,000,000,000 / 3,343,000,000 = 11.367 -> "≤ 11.37x"; it read "11.33x", 38B / the midpoint 3.354B
    assert "reported is ≤ 11.37x implied" in r["implies"]
    assert "11.33x" not in r["implies"]


def test_a_ratio_of_two_stated_figures_is_a_range(books):
    r = row(reconcile_table(*books[::2]), "revenue", "2024")
    # the audited "3.7B" and the NYT's "about 3.7B", each 3.65B..3.75B: 0.9733..1.0274 -> 0.97x..1.03x (it read 1.00x)
    assert "reported is 0.97x–1.03x leaked" in r["implies"]


def test_over_an_implied_lower_bound_the_gap_and_ratio_are_upper_bounds(first_leak):
    entries, _, options = first_leak
    r = row(reconcile_table(entries, options), "revenue", "2024")
    # implied ≥ 493,800,000 / 0.20 = 2,469,000,000; reported "about 3.7B", 3.65B..3.75B
    assert r["implied"] == D(2_469_000_000) and r["implied_bound"] == "lower"
    # gap = 3.65B..3.75B less [2.469B, ∞) = (−∞, 3.75B − 2.469B = 1,281,000,000]: it read 1.181B–1.281B, a range
    assert r["gap"] == D(1_231_000_000) and r["gap_low"] is None and r["gap_high"] == D(1_281_000_000)
    # 3,750,000,000 / 2,469,000,000 = 1.5188 -> "≤ 1.52x" (it read 1.50x, 3.7B over the bound)
    assert "reported is ≤ 1.52x implied" in r["implies"]
    h1 = row(reconcile_table(entries, options), "revenue", "2025-H1")
    # TI's "4.3B" is 4.25B..4.35B: 4,350,000,000 - 454,700,000 / 0.20 = 2,076,500,000, at most (it read
    # 2,026,500,000, the point as if exact); 4.35B / 2.2735B = 1.9133 -> "≤ 1.92x" (it read 1.90x)
    assert h1["gap_low"] is None and h1["gap_high"] == D(2_076_500_000)
    assert "reported is ≤ 1.92x implied" in h1["implies"]


def test_the_leak_model_page_says_the_ratio_as_a_range(shipped_fava):
    page = shipped_fava.get(f"{LEAK_MODEL}/").get_data(as_text=True)
    assert "reported is 0.97x–1.03x leaked" in page  # as above: 3.65B..3.75B over itself
    assert "reported is 1.00x leaked" not in page


def test_the_base_folds_into_the_gap_only_where_both_are_the_same_kind_of_number():
    from leakledger.presentation import base_is_gap

    base = D(1_231_000_000)  # (0.20 x 3.7B - 493.8M) / 0.20
    same = {"reconciling_base": base, "gap": base}
    assert base_is_gap([same])
    # the gap over a lower bound is at most 3.75B - 2.469B = 1,281,000,000; the base 1.181B..1.281B
    bound = {**same, "gap_high": D(1_281_000_000), "reconciling_base_low": D(1_181_000_000)}
    bound["reconciling_base_high"] = D(1_281_000_000)
    assert not base_is_gap([bound])


def test_explain_says_the_2025_payments_cannot_solve_microsofts_share(books):
    from leakledger.cli.app import app
    from typer.testing import CliRunner

    from leakledger.book_model import BookModel

    entries, _, options = books
    rows = {row["period"]: row for row in BookModel(entries, options).period_rows("year")}
    # 2025: OpenAI's 20% of the audited 13.07B is 2,614,000,000, but the payments stop at 2025-09 (865,800,000
    # for Jan-Sep, no 2025-Q4): Microsoft's 20% = 2,614,000,000 - payments for the whole year is not solvable
    why = rows["2025"]["microsoft_share_blank"]
    assert why is not None and "none is recorded for 2025-Q4" in why
    runner = CliRunner()
    for link in ("revenue-share-2025-01-2025-09", "revenue-share-2025-h1", "revenue-share-2025-q3", "revenue-2025"):
        out = runner.invoke(app, ["explain", link, "--ledger", str(LEDGER_DIR / "main.beancount")])
        assert out.exit_code == 0, out.output
        assert out.output.count(why) == 1, link  # the report's own words, said once (one note per share account)
    # 2024 is solved (740,000,000 - 493,800,000 = 246,200,000): its explain says so, and no "not known"
    out = runner.invoke(app, ["explain", "revenue-share-2024", "--ledger", str(LEDGER_DIR / "main.beancount")])
    assert "they solve Microsoft's share" in out.output and "is not known" not in out.output


@pytest.fixture(scope="module")
def timeline_csv():
    import csv
    import io

    from leakledger.cli.app import app
    from typer.testing import CliRunner

    out = CliRunner().invoke(app, ["timeline", "--format", "csv", "--ledger", str(LEDGER_DIR / "main.beancount")])
    assert out.exit_code == 0, out.output
    return out.output, {(r["known_since"], r["what"]): r for r in csv.DictReader(io.StringIO(out.output))}


def test_the_timeline_csv_carries_numbers_beside_its_text(timeline_csv):
    text, moves = timeline_csv
    # 2026-01-28: Microsoft's after-tax gain, stated as 7.6B: -7,600,000,000, -7.65B..-7.55B at its precision
    # (it read "'-7,600,000,000", text)
    after_tax = moves[("2026-01-28", "2025-Q4 losses-share-after-tax (disclosed)")]
    assert (after_tax["after"], after_tax["after_low"], after_tax["after_high"]) == (
        "-7600000000.00",
        "-7650000000.00",
        "-7550000000.00",
    )
    assert after_tax["after_kind"] == "range" and after_tax["before_kind"] == "not known" and after_tax["before"] == ""
    # the cash at 2026-03-31, "about 73B": 72.5B..73.5B around the 73,000,000,000 the books post
    cash = moves[("2026-06-15", "2026-03-31 cash (reported)")]
    assert after(cash) == ("73000000000.00", "72500000000.00", "73500000000.00", "range")
    assert cash["after_text"] == "72.5B–73.5B"
    # 2025-11-12: the 2024 payment implies at least 493,800,000 / 0.20 = 2,469,000,000 (open above)
    implied = moves[("2025-11-12", "2024 implied revenue")]
    assert after(implied) == ("2469000000.00", "2469000000.00", "", "lower bound")
    # 2025's payments cover 2025-01..2025-09 only: partial, and the span says so; 865,800,000 / 0.20 = 4,329,000,000
    partial = moves[("2025-11-12", "2025 implied revenue")]
    assert (partial["after"], partial["after_covers"]) == ("4329000000.00", "2025-01..2025-09")
    # the ratio over that bound is at most 3,767,100,000 / 2,469,000,000 = 1.5257 -> 1.53, an upper bound
    assert after(moves[("2025-11-12", "2024 inference ÷ revenue")]) == ("1.53", "", "1.53", "upper bound")
    # words are no number: the cap's summary, why no revenue is implied once it is recorded
    assert moves[("2026-05-11", "cap on Income:OpenAI:Revenue → Microsoft")]["after_kind"] == "text"
    assert moves[("2026-06-16", "2024 implied revenue")]["after"] == ""
    # no number column holds text: every value and end is plain decimal text (or empty)
    for move in moves.values():
        for side in ("before", "after"):
            for column in (side, f"{side}_low", f"{side}_high"):
                assert move[column] == "" or Decimal(move[column]).is_finite(), (column, move[column])


def after(move: dict) -> tuple[str, str, str, str]:
    """A timeline CSV row's number after its day: value, low, high, kind."""
    return move["after"], move["after_low"], move["after_high"], move["after_kind"]


def test_every_entry_a_day_brings_has_its_row_in_the_timeline(books, timeline_csv):
    """A day's entries each move a number of their own: a figure by its metric (in dollars or not), a stated
    balance by its account, a rule by its rate, a cap by its summary. It dropped every figure not in dollars:
    2025-10-28 brought 3 entries and showed 2 rows (the stake), the 10-K (then dated 2026-07-30) 7 and 6."""
    from beancount.core import data

    from leakledger.book_model import BookModel
    from leakledger.knowledge import is_knowledge, known_since

    _, moves = timeline_csv
    model = BookModel(books[0], books[2])
    figures = {id(fig.entry): fig for fig in model.index.live_figures}
    whats: dict[str, list[str]] = {}
    for day, what in moves:
        whats.setdefault(day, []).append(what or "")
    lost = []
    for entry in filter(is_knowledge, model.entries):
        fig = figures.get(id(entry))
        if fig is not None:
            key = f" {fig.metric} ("
        elif isinstance(entry, data.Balance):
            key = f" {entry.account} ("
        else:
            assert isinstance(entry, data.Custom), entry  # a rule or a cap: nothing else is known on a day
            key = f"{'cap on' if entry.type == 'revenue-share-cap' else 'rate of'} {entry.values[0].value}"
        if not any(key in what for what in whats[known_since(entry).isoformat()]):
            lost.append((known_since(entry), key))
    assert lost == []


def test_the_timeline_gives_a_ratio_in_its_own_unit_and_kind(timeline_csv):
    _, moves = timeline_csv

    def ratio(day: str, what: str) -> tuple[str, ...]:
        move = moves[(day, what)]
        assert move["after_unit"] == "ratio" and move["before_kind"] == "not known", move
        return (*after(move), move["after_text"])

    # Microsoft's stake after the recapitalization, "~27%": stated to the percent, 26.5%..27.5% around 0.27
    assert ratio("2025-10-28", "2025-10-28 microsoft-stake (disclosed)") == (
        "0.27",
        "0.265",
        "0.275",
        "range",
        "26.5%–27.5%",
    )
    # "~45%" of the 625,000,000,000 backlog is OpenAI's: 44.5%..45.5%
    assert ratio("2026-01-28", "2025-12-31 commercial-rpo-openai-fraction (disclosed)")[3:] == ("range", "44.5%–45.5%")
    # the rate outlook, "~10% by 2030": reported on the leak's day, about 2030, 9.5%..10.5%
    assert ratio("2025-11-12", "2030 revenue-share-rate-outlook (reported)")[3:] == ("range", "9.5%–10.5%")
    # OpenAI's 2026-Q1 gross margin, 39% as stated: to the percent, 38.5%..39.5%
    assert ratio("2026-06-15", "2026-Q1 gross-margin (reported)") == ("0.39", "0.385", "0.395", "range", "38.5%–39.5%")
    # the 10-K's "~25%" stake at 2026-06-30 (filed 2026-07-29, Microsoft's own: disclosed): 24.5%..25.5%
    assert ratio("2026-07-29", "2026-06-30 microsoft-stake (disclosed)")[3:] == ("range", "24.5%–25.5%")
    # money stays money: the stake's value, "~135B", 134.5B..135.5B in USD
    value = moves[("2025-10-28", "2025-10-28 microsoft-stake-value (disclosed)")]
    assert (value["after_unit"], value["after_text"]) == ("USD", "134.5B–135.5B")
    # the cash TI states at 2026-03-31, a balance of 73,000,000,000 ~ 500,000,000: 72.5B..73.5B
    cash = moves[("2026-06-15", "2026-03-31 Assets:OpenAI:Cash (reported)")]
    assert after(cash) == ("73000000000.00", "72500000000.00", "73500000000.00", "range")
    # words are words: Microsoft's accounting method (HLBV, said first in the 10-Q filed 2026-04-29), no unit
    method = moves[("2026-04-29", "2026-03-31 accounting-method (disclosed)")]
    assert (method["after_kind"], method["after_unit"]) == ("text", "")
    assert method["after_text"].startswith("equity method by hypothetical liquidation")


def test_the_timeline_names_an_expectation_as_one(timeline_csv):
    _, moves = timeline_csv
    # TI (2024-06): Azure OpenAI Service at about 1B annualized then, about 2B "expected a year later"
    # (each stated to the billion: 0.5B..1.5B and 1.5B..2.5B); only the second is an expectation
    assert (
        moves[("2024-06-30", "2025-06 azure-openai-run-rate (reported, an expectation)")]["after_text"] == "1.5B–2.5B"
    )
    assert moves[("2024-06-30", "2024-06 azure-openai-run-rate (reported)")]["after_text"] == "500M–1.5B"
    # NYT/CNBC's "about 3.7B" of 2024 revenue came on 2024-09-27, before the year ended: a projection (3.65B..3.75B)
    assert moves[("2024-09-27", "2024 revenue (reported, an expectation)")]["after_text"] == "3.65B–3.75B"


def test_the_timeline_reads_the_reconciliation_s_facts_not_its_words(books):
    """What a row's figure is (an expectation, a cost of revenue beside inference, a solved base) is a column of
    the row; the timeline reads those, so rewording the notes (here: none at all) moves no name and no number."""
    from leakledger.book_model import BookModel
    from leakledger.timeline import snapshot

    model = BookModel(books[0], books[2])
    numbers = snapshot(model)
    # TI (2024-06): "~2B expected a year later"; TI's 2025-H1 cost of revenue, "2.5B" (2.45B..2.55B), beside inference;
    # 2024's Microsoft base solved from the audited 3.7B and the 493.8M paid: (0.20 x 3.7B - 493.8M) / 0.20, with
    # "3.7B" as 3.65B..3.75B: 1,181,000,000..1,281,000,000.
    assert numbers["2025-06 azure-openai-run-rate (reported, an expectation)"] == "1.5B–2.5B"
    assert numbers["2025-H1 cost-of-revenue (reported)"] == "2.45B–2.55B"
    assert numbers["2024 Microsoft revenue base"] == "1.181B–1.281B (solved)"
    model.reconcile_rows[:] = [{**row, "implies": None} for row in model.reconcile_rows]  # the words, gone
    assert snapshot(model) == numbers


@pytest.fixture(scope="module")
def shipped_reconcile(books):
    return reconcile_table(books[0], books[2])


def test_reconcile_says_an_expected_figure_is_an_expectation(shipped_reconcile):
    expected = row(shipped_reconcile, "azure-openai-run-rate", "2025-06")
    # "~2,000,000,000 expected a year later" (TI, 2024-06): 1.5B..2.5B, and a note that it is what was expected
    assert (expected["reported"], expected["reported_low"], expected["reported_high"]) == (
        D(2_000_000_000),
        D(1_500_000_000),
        D(2_500_000_000),
    )
    assert "the reported figure is an expectation for 2025-06" in expected["implies"]
    assert "its source gave it on 2024-06-30" in expected["implies"]
    then = row(shipped_reconcile, "azure-openai-run-rate", "2024-06")  # "~1,000,000,000 annualized" at the time
    assert then["implies"] is None
    # NYT/CNBC, 2024-09-27: "about 3.7B" for 2024, a projection made before the year ended (docs/sources.md)
    projected = row(shipped_reconcile, "revenue", "2024")
    assert "the reported figure is an expectation for 2024" in projected["implies"]
    assert "its source gave it on 2024-09-27" in projected["implies"]


def test_reconcile_puts_the_rate_outlook_in_the_year_it_speaks_of(shipped_reconcile):
    # "its share falls to ~10% by 2030" (TI), dated on the leak's day with through: 2030-12-31
    outlook = row(shipped_reconcile, "revenue-share-rate-outlook", "2030")
    assert (outlook["unit"], outlook["reported"], outlook["reported_low"], outlook["reported_high"]) == (
        "ratio",
        D("0.10"),
        D("0.095"),
        D("0.105"),
    )
    assert "speaks of 2030 (through: 2030-12-31): an outlook made on 2025-11-12" in outlook["implies"]
    assert shipped_reconcile[shipped_reconcile["period"] == "2025-11-12"].empty


def test_reconcile_prints_a_ratio_as_percentages_and_the_outlooks_year(books):
    from leakledger.cli.app import app
    from typer.testing import CliRunner

    out = CliRunner().invoke(app, ["reconcile", "--ledger", str(LEDGER_DIR / "main.beancount")])
    assert out.exit_code == 0, out.output
    # "~27%" is 26.5%..27.5%, "~10%" 9.5%..10.5%, "39%" 38.5%..39.5%: percent, as the Fava page writes them
    for text in ("26.5%–27.5%", "24.5%–25.5%", "44.5%–45.5%", "9.5%–10.5%", "38.5%–39.5%", "│ 2030 [1]"):
        assert text in out.output, text
    assert "0.265–0.275" not in out.output and "2025-11-12 " not in out.output
    assert "is an expectation for 2025-06" in " ".join(out.output.split())


def test_the_leak_model_page_links_the_outlook_in_its_year(books):
    from leakledger.book_model import BookModel

    rows = BookModel(books[0], books[2]).view("year").reconcile_rows
    [outlook] = [r for r in rows if r["metric"] == "revenue-share-rate-outlook"]
    # the cell still finds the record behind it (reported.beancount), though the row is 2030, not its date
    assert outlook["period"] == "2030" and outlook["cell_sources"]["reported"].line[0].endswith("reported.beancount")


def test_the_leak_model_page_shows_a_days_ratio_and_why_a_row_is_a_year(shipped_fava):
    # As known on 2025-10-28, the recapitalization's day: its three entries move three numbers, the "~27%"
    # stake as the percent range it stands for (26.5%..27.5%), not left out for not being dollars
    page = shipped_fava.get(f"{LEAK_MODEL}/", **{"as-of": "2025-10-28"}).get_data(as_text=True)
    assert "What it moved: 3 numbers" in page
    assert (
        '<td>2025-10-28 microsoft-stake (disclosed)</td><td class="num">not known</td><td class="num">26.5%–27.5%</td>'
        in page
    )
    # By quarter, 2024 and 2025 are years: the audited revenue (3.7B, 13.07B) and the shares of it are yearly
    page = shipped_fava.get(f"{LEAK_MODEL}/", by="quarter").get_data(as_text=True)
    assert "2024, 2025: whole years, not quarters, as the books know OpenAI 20%, Microsoft 20%, recorded" in page


def test_the_timeline_names_an_estimate_as_one(timeline_csv):
    """The 2025-H1 Microsoft revenue base is what would square TI's reported 4.3B with the leak's H1 net payment:
    (0.20 × 4,300,000,000 − 454,700,000) / 0.20 = 2,026,500,000, an estimate, not a recorded or solved figure (its
    kind read "exact" beside the text "(an estimate …)"). 2024's became solved with the audited revenue."""
    _, moves = timeline_csv
    h1 = moves[("2025-11-12", "2025-H1 Microsoft revenue base")]
    assert (D("0.20") * D("4300000000") - D("454700000")) / D("0.20") == D("2026500000")
    assert (h1["after"], h1["after_kind"]) == ("2026500000.00", "estimate") and "an estimate" in h1["after_text"]
    solved = moves[("2026-06-16", "2024 Microsoft revenue base")]
    assert (solved["before_kind"], solved["after_kind"]) == ("estimate", "range")  # 1.181B–1.281B, solved


def test_the_timeline_follows_each_statement_s_totals_and_net(timeline_csv):
    """Z2 (2026-06-16) made OpenAI's 2024 net known: 1.2·R − 493.8M − 12.48B over R in 3.65B..3.75B (its revenue,
    Microsoft's solved 20% of its bases 0.2·R − 493.8M, less the audited costs) = −8.5938B..−8.4738B. The timeline
    skipped totals and the net ("they follow from the lines"), though ranges cancel and bounds open in them."""
    _, moves = timeline_csv
    net = moves[("2026-06-16", "2024 OpenAI net result")]
    low, high = (D("1.2") * r - D("493800000") - D("12480000000") for r in (D("3650000000"), D("3750000000")))
    assert (net["before_kind"], net["after_low"], net["after_high"]) == ("not known", f"{low:.2f}", f"{high:.2f}")
    assert net["after_text"] == "'-8.5938B to -8.4738B"  # CSV: text starting like a formula gets a leading '
    expenses = moves[("2026-06-16", "2025 OpenAI total expenses")]  # the audited 34.0B, stated to 0.1B
    assert (expenses["before_kind"], expenses["after_text"]) == ("lower bound", "33.95B–34.05B")
