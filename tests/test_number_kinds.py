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
    # 4,300,000,000 - 454,700,000 / 0.20 = 2,026,500,000, at most; 4.3B / 2.2735B = 1.8913 -> "≤ 1.90x"
    assert h1["gap_low"] is None and h1["gap_high"] == D(2_026_500_000)
    assert "reported is ≤ 1.90x implied" in h1["implies"]


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
    # 2026-01-28: Microsoft's 10-Q after tax, a gain of 7.6B: -7,600,000,000 (it read "'-7,600,000,000", text)
    after_tax = moves[("2026-01-28", "2025-Q4 losses-share-after-tax (disclosed)")]
    assert (after_tax["after"], after_tax["after_low"], after_tax["after_high"]) == ("-7600000000.00",) * 3
    assert after_tax["after_kind"] == "exact" and after_tax["before_kind"] == "not known" and after_tax["before"] == ""
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
