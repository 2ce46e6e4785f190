"""`leakledger explain`: a derived figure's lineage names its inputs' sources and URLs."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from beancount.core import data
from conftest import LEDGER_DIR, PLUGINS, ROOT, load_ledger
from leakledger.cli.app import app
from ledgers import PAYMENT_ACCOUNTS, rule, year_payment
from typer.testing import CliRunner

from leakledger.lineage import ExplainError, lineage, tree_text

ZITRON_URL = "https://www.wheresyoured.at/oai_docs/"
RULE_URL = "https://techcrunch.com/2025/11/14/leaked-documents-shed-light-into-how-much-openai-pays-microsoft/"
runner = CliRunner()


def explain(*args, ok=True):
    result = runner.invoke(app, ["explain", *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def payment_2024(books):
    """The 2024 total, which its quarters refine."""
    entries, _, _ = books
    return next(
        e
        for e in entries
        if isinstance(e, data.Transaction)
        and "revenue-share-2024" in e.links
        and "generated" not in e.tags
        and e.meta.get("status") == "refined"
    )


def test_explain_2024_lists_the_total_its_quarters_and_what_they_imply(first_leak_main):
    # The books as the first leak left them (conftest.first_leak): the quarters imply revenue.
    out = explain("revenue-share-2024", "--ledger", str(first_leak_main)).output
    assert out.startswith("^revenue-share-2024\n")
    # docs/sources.md: 2024 = 77.3M + 109.5M + 139.2M + 167.8M = 493.8M.
    assert "(2024): 493,800,000.00 USD, leaked, 2024" in out
    for quarter, net, revenue in [
        ("2024-Q1", "77,300,000.00", "386,500,000.00"),
        ("2024-Q2", "109,500,000.00", "547,500,000.00"),
        ("2024-Q3", "139,200,000.00", "696,000,000.00"),
        ("2024-Q4", "167,800,000.00", "839,000,000.00"),
    ]:
        assert f"({quarter}): {net} USD, leaked, {quarter}" in out
        # each quarter implies payment / 0.20, with the arithmetic written out
        assert f"({net} USD + 0.00 USD) / 0.20 = {revenue} USD" in out
    assert "parts complete: 4 cover 2024 and add up to 493,800,000.00 USD" in out
    # 493,800,000 / 0.20, a sum of lower bounds (no Bing or Azure OpenAI Service revenue recorded): "at least"
    assert "implied OpenAI revenue over 2024: at least 2,469,000,000.00 USD in all (a lower bound" in out
    assert "lower bound" in out
    assert f"url: {ZITRON_URL}" in out
    assert f"url: {RULE_URL}" in out  # the rule's source too


def test_explain_by_file_and_line_of_the_payment(first_leak, first_leak_main, monkeypatch):
    books = first_leak
    payment = payment_2024(books)
    filename, lineno = payment.meta["filename"], payment.meta["lineno"]
    root = first_leak_main.parent.parent
    monkeypatch.chdir(root)
    relative = os.path.relpath(filename, root)
    for target in (f"{filename}:{lineno}", f"{relative}:{lineno}", f"{relative}:{lineno + 3}"):
        out = explain(target, "--ledger", str(first_leak_main)).output
        assert f"url: {ZITRON_URL}" in out
        assert "2,469,000,000.00 USD in all" in out  # 493,800,000 / 0.20
        assert f"at {relative}:{lineno}" in out
    # Any line of a quarter, down to its last posting: the quarter and what it implies (167.8M / 0.20).
    [q4] = [e for e in books[0] if "revenue-share-2024-q4" in getattr(e, "links", ()) and "generated" not in e.tags]
    out = explain(f"{relative}:{q4.postings[-1].meta['lineno']}", "--ledger", str(first_leak_main)).output
    assert "839,000,000.00 USD" in out and f"at {relative}:{q4.meta['lineno']}" in out


def test_explain_2024_shows_microsofts_share_solved_from_the_audited_revenue():
    out = explain("revenue-share-2024").output
    assert "parts complete: 4 cover 2024 and add up to 493,800,000.00 USD" in out
    # Z2's 3.7B: 0.20 x 3,700,000,000 - 493,800,000 = 246,200,000; / 0.20 = 1,231,000,000.
    assert "OpenAI's revenue over 2024 is recorded, so these payments imply none" in out
    assert "740,000,000.00 USD - 493,800,000.00 USD - 0.00 USD = 246,200,000.00 USD: solved, not a bound" in out
    assert "246,200,000.00 USD / 0.20 = 1,231,000,000.00 USD" in out
    assert "1,181,000,000.00 USD..1,281,000,000.00 USD to the precision of the revenue as stated" in out
    assert "url: https://www.wheresyoured.at/exclusive-openai-financials/" in out
    assert "USD in all" not in out  # nothing implied beside the recorded revenue


def test_explain_in_a_scenario_names_the_assumed_inputs():
    out = explain("--scenario", "azure-openai-growth", "revenue-share-2024").output
    # The scenario's 2024 Azure OpenAI base of 1,000,000,000 accrues 200,000,000; what the payments leave
    # is Bing's: 740,000,000 - 493,800,000 - 200,000,000 = 46,200,000, base 46,200,000 / 0.20 = 231,000,000.
    assert "740,000,000.00 USD - 493,800,000.00 USD - 200,000,000.00 USD = 46,200,000.00 USD" in out
    assert "base (Income:Microsoft:Bing) = share / rate = 46,200,000.00 USD / 0.20 = 231,000,000.00 USD" in out
    # Azure's 2024 is 0.5B..1.5B: at 1.5B and revenue 3.65B Bing is 3,650,000,000 - 2,469,000,000 - 1,500,000,000
    # = -319,000,000, so the range is cut at 0 and says so (it read 0..781,000,000 "as the revenue is stated")
    assert (
        "0.00 USD..781,000,000.00 USD to the precision of the revenue and the recorded Microsoft bases as stated "
        "(cut at 0: the figures' far ends leave -319,000,000.00 USD, so they cannot all hold at once)"
    ) in out
    # The whole share is what the payments leave, 0.20 x 3.65B..3.75B - 493.8M = 236.2M..256.2M; Azure's
    # 100M..300M, a part of it, cannot lift its top past that (it read max(...) = 236.2M..300M).
    assert (
        "what the payments leave, 0.20 × [3,650,000,000, 3,750,000,000] − 493,800,000, and at least the recorded "
        "bases' share, a part of it, [100,000,000, 300,000,000]: [236,200,000, 256,200,000]"
    ) in out


@pytest.mark.parametrize(
    "target, message",
    [
        ("no-such-link", "no entry has the link ^no-such-link"),
        (f"{LEDGER_DIR / '2024.beancount'}:1", "no entry at"),
        ("nowhere.beancount:3", "no entry of the books is in nowhere.beancount"),
    ],
)
def test_a_target_that_names_nothing_is_one_line_of_error(target, message):
    result = explain(target, ok=False)
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}")


def test_lineage_of_a_docstring_ledger():
    entries, errors, _ = load_ledger(
        PAYMENT_ACCOUNTS
        + rule(rate="0.25", source="a rule source")
        + year_payment(2023, "100.00", source="a leak", url="https://example.org/leak")
    )
    assert errors == []
    text = tree_text(lineage(entries, "^revenue-share-2023"))
    assert "(100.00 USD + 0.00 USD) / 0.25 = 400.00 USD" in text  # 100 / 0.25
    assert "url: https://example.org/leak" in text
    assert "source: a rule source" in text
    with pytest.raises(ExplainError):
        lineage(entries, "revenue-share-2024-none")


def test_explain_a_record_by_file_and_line(monkeypatch):
    """A `custom "figure"` record has no narration: it is named by its metric."""
    monkeypatch.chdir(ROOT)
    out = explain("ledger/reported.beancount:8").output
    # reported.beancount:8 is the reported 2024 revenue, "~3,700,000,000" (docs/sources.md, NYT): stated to the
    # 0.1B, 3,650,000,000..3,750,000,000, posted at its midpoint
    assert (
        'revenue figure: stated "about 3.7B": 3,650,000,000.00 USD..3,750,000,000.00 USD '
        "(midpoint 3,700,000,000.00 USD), reported, 2024"
    ) in out


# --- the cap ------------------------------------------------------------------------------

from leakledger.books import load_books as _load_books  # noqa: E402

PROJECTION = LEDGER_DIR / "scenarios" / "openai-revenue-to-2030.beancount"


def test_explain_names_the_cap_on_the_accrual_that_reaches_it_and_on_what_it_holds_at_0_after():
    entries = _load_books(PROJECTION)[0]
    # The scenario's 2029-Q1 revenue, 5.7B x 1.16^12 to the million, reaches the 38B cap (docs/sources.md, TI-CAP).
    text = tree_text(lineage(entries, "openai-revenue-2029-q1", root=str(LEDGER_DIR.parent)))
    assert "x 0.20 = 6,767,000,000.00 USD, cut to 4,348,828,571.43 USD: what remained of the cap" in text
    assert "cap: 38,000,000,000.00 USD counted from 2026-04-27; accrued against it 38,000,000,000.00 USD" in text
    assert "later postings to Income:OpenAI:Revenue accrue 0" in text
    assert "at ledger/rules.beancount:" in text
    after = tree_text(lineage(entries, "openai-revenue-2029-q2"))
    # The next quarter's accrual is kept at 0: 0.20 x 39,249,000,000 (5.7B x 1.16^13 to the million) held at 0.
    assert after.splitlines()[1].endswith("(2029-Q2): 0, the cap is reached (2029-06-30)")
    assert "x 0.20 = 7,849,800,000.00 USD, cut to 0.00 USD: what remained of the cap" in after
    assert "held at 0: the cap was reached on 2029-03-31, ^openai-revenue-2029-q1; this accrual is a known 0" in after


def test_explain_of_the_cap_directive_says_what_has_accrued_and_what_is_left(books):
    entries = books[0]
    [cap] = [e for e in entries if getattr(e, "type", None) == "revenue-share-cap"]
    target = f"{cap.meta['filename']}:{cap.meta['lineno']}"
    text = tree_text(lineage(entries, target))
    # Nothing of OpenAI's share accrues in the shipped books after 2026-04-27: all 38B is left.
    assert "38,000,000,000 USD counted from 2026-04-27; accrued ≥ 0, left ≤ 38,000,000,000" in text
    assert "source: The Information, 2026-05-11" in text


def test_explain_says_why_a_figure_after_the_amendment_accrues_nothing(tmp_path):
    # AMD: Microsoft's share to OpenAI ends on 2026-04-27 (docs/sources.md).
    book = tmp_path / "book.beancount"
    book.write_text(
        f'plugin "leakledger.plugins.chain"\ninclude "{LEDGER_DIR / "books.beancount"}"\n'
        + """
2026-09-30 * "Microsoft Azure OpenAI Service revenue (2026-Q3)" #assumed ^aoai-2026-q3
  metric: "azure-openai-revenue"
  period-start: 2026-07-01
  source: "test: an assumption"
  Assets:Microsoft:Cash                 1000.00 USD
  Income:Microsoft:AzureOpenAIService  -1000.00 USD
"""
    )
    entries = _load_books(book)[0]
    text = tree_text(lineage(entries, "aoai-2026-q3"))
    assert "accrues nothing: the share of Income:Microsoft:AzureOpenAIService to OpenAI is 0% from 2026-04-27" in text
    assert "source: OpenAI and Microsoft, joint statement on the amended partnership" in text


def test_the_share_of_an_implied_revenue_shows_the_base_interval_it_comes_from():
    """As known on 2025-12-01, 2025-Q3's 411,100,000 payment implies revenue of at least 411,100,000 / 0.20 =
    2,055,500,000; OpenAI's 20% of it is at least 411,100,000. The share's interval line names that base
    interval (it read "its figures' stated range": the implied revenue has no figure of its own)."""
    text = explain("revenue-share-2025-q3", "--as-of", "2025-12-01").output
    assert "as intervals: base [2,055,500,000, ∞) × 0.20 = [411,100,000, ∞)" in text
    assert "its figures' stated range" not in text


# --- each headline says what its number is (a bound, a range, a percent, text, a balance's tolerance) ---------


def _written(entries, kind, test):
    """The one hand-written entry of the shipped books of type `kind` that `test` picks: found by what it records,
    not by its line, which moves as the books grow."""
    [found] = [
        e for e in entries if isinstance(e, kind) and "generated" not in (getattr(e, "tags", None) or ()) and test(e)
    ]
    return found


def _record(entries, metric, number=None):
    """The `custom "figure" "METRIC" ...` record of `metric` (whose value's number is `number`, where given)."""

    def picks(entry):
        values = [v.value for v in entry.values]
        return (
            entry.type == "figure" and values[0] == metric and number in (None, getattr(values[1], "number", values[1]))
        )

    return _written(entries, data.Custom, picks)


def _headline(entries, entry) -> str:
    """The first line under the target, as `leakledger explain FILE:LINE` and the figure page head it."""
    return lineage(entries, f"{entry.meta['filename']}:{entry.meta['lineno']}").children[0].label


def test_a_lower_bound_reads_as_at_least_as_its_record_says(books):
    # docs/sources.md: OpenAI's annualized run rate at the end of 2025, "> 20,000,000,000" (claimed, ALT): the
    # record says more than 20B (low: 20B, posted-as: low), the interval [20,000,000,000, ∞), not 20B exactly.
    record = _record(books[0], "revenue-run-rate")
    assert _headline(books[0], record) == (
        'revenue-run-rate figure: stated "more than 20B": at least 20,000,000,000.00 USD (no upper end), '
        "claimed, 2025-12"
    )


def test_a_percent_reads_as_a_percent_with_its_qualifier_never_in_dollars(books):
    # docs/sources.md: Microsoft holds "~27%" after the recapitalization (disclosed, MSB); stated to the percent,
    # 26.5%..27.5% (the record's low: 0.265, high: 0.275), posted at its midpoint 0.27.
    stake = _headline(books[0], _record(books[0], "microsoft-stake", Decimal("0.27")))
    assert stake == 'microsoft-stake figure: stated "about 27%": 26.5%–27.5% (midpoint 27%), disclosed, 2025-10-28'
    # docs/sources.md: OpenAI's 2026-Q1 gross margin, 39% (reported, TI-Q1): stated to the percent, 38.5%..39.5%.
    margin = _headline(books[0], _record(books[0], "gross-margin"))
    assert margin == 'gross-margin figure: stated "39%": 38.5%–39.5% (midpoint 39%), reported, 2026-Q1'


def test_a_rounded_figure_reads_as_its_range_and_the_point_posted():
    # docs/sources.md: Microsoft's net gain from OpenAI over the quarter to 2025-12-31, "~10,000,000,000 pre-tax"
    # (disclosed, MSQ2), a gain, so a negative loss share; stated to the billion: -10,500,000,000..-9,500,000,000,
    # posted at its midpoint -10,000,000,000.
    # MSQ3's nine months, a 5.9B gain (-5,950,000,000..-5,850,000,000), less 2025-Q3's 4,100,000,000 and
    # 2026-Q1's 19,000,000 loss pin it to -10,069,000,000..-9,969,000,000.
    out = explain("losses-share-2025-q4").output
    assert (
        '(2025-Q4): stated "about 10B": -10,500,000,000.00 USD..-9,500,000,000.00 USD '
        "(midpoint -10,000,000,000.00 USD), pinned to -10,069,000,000.00 USD..-9,969,000,000.00 USD "
        "by losses-share over 2025-07..2026-03, disclosed, 2025-Q4"
    ) in out
    assert "-10,000,000,000.00 USD, disclosed" not in out


def test_a_record_whose_value_is_text_shows_its_text(books):
    # docs/sources.md: Microsoft accounts for OpenAI by HLBV, as its 10-Q for the quarter to 2026-03-31 says
    # (MSQ3, disclosed; the 10-K repeats it).
    record = _record(books[0], "accounting-method")
    assert _headline(books[0], record) == (
        'accounting-method figure: "equity method by hypothetical liquidation at book value (HLBV)", '
        "disclosed, 2026-03-31"
    )


def test_a_balance_shows_its_amount_and_tolerance(books):
    # docs/sources.md: OpenAI's cash at 2025-12-31, "~25,000,000,000" (leaked, Z2): stated to the billion, the
    # assertion's tolerance is 500,000,000, so 25,000,000,000 - 500,000,000 .. 25,000,000,000 + 500,000,000.
    balance = _written(books[0], data.Balance, lambda e: e.date.isoformat() == "2026-01-01")
    assert _headline(books[0], balance) == (
        "balance of Assets:OpenAI:Cash at the start of 2026-01-01: 25,000,000,000.00 USD ~ 500,000,000.00 USD, "
        "so 24,500,000,000.00 USD..25,500,000,000.00 USD, leaked"
    )


def test_a_rule_and_an_open_say_what_they_set(books):
    # docs/sources.md: OpenAI pays Microsoft 20% of its revenue (reported, TC); the amendment (AMD) ends
    # Microsoft's share to OpenAI on 2026-04-27: a rate of 0.
    entries = books[0]

    def rule(base, day):
        return _written(
            entries,
            data.Custom,
            lambda e: e.type == "revenue-share" and e.values[0].value == base and str(e.date) == day,
        )

    assert _headline(entries, rule("Income:OpenAI:Revenue", "2019-07-22")) == (
        "revenue-share rule: Income:OpenAI:Revenue → Microsoft 20% from 2019-07-22, reported"
    )
    assert _headline(entries, rule("Income:Microsoft:Bing", "2026-04-27")) == (
        "revenue-share rule: Income:Microsoft:Bing → OpenAI 0% from 2026-04-27; a rate of 0 ends the share, disclosed"
    )
    opened = _written(entries, data.Open, lambda e: e.account == "Assets:OpenAI:Cash")
    assert _headline(entries, opened) == "open Assets:OpenAI:Cash, 2019-01-01 (USD)"


def test_no_headline_in_the_books_shows_a_bound_a_range_or_a_bare_number_as_dollars(books):
    """Every hand-written entry of the shipped books, explained by FILE:LINE: a record whose value is a bare
    number or text never reads in USD; one that states a range or a bound never reads as its amount alone; no
    headline is empty or a bare date."""
    from leakledger.figures import figure_of
    from leakledger.lineage import Lineage

    entries = books[0]
    explained = Lineage(entries)
    checked = 0
    for entry in entries:
        if (
            not entry.meta
            or str(entry.meta.get("filename", "<")).startswith("<")
            or "generated" in (getattr(entry, "tags", None) or ())
        ):
            continue
        heads = [c.label for c in explained.tree(f"{entry.meta['filename']}:{entry.meta['lineno']}").children]
        assert heads and all(h.strip() and ": ," not in h for h in heads), (entry, heads)
        assert not any(h.startswith(f"{type(entry).__name__.lower()} {entry.date}") for h in heads), heads
        fig = figure_of(entry)
        if fig is None or not heads[0].startswith(f"{fig.metric} figure"):
            continue
        checked += 1
        value = entry.values[1].value if isinstance(entry, data.Custom) else None
        if isinstance(value, (str, Decimal)):
            assert "USD" not in heads[0], heads[0]
        if fig.interval is not None and not fig.interval.is_exact:
            assert ("at least" in heads[0]) or (".." in heads[0] or "–" in heads[0]), heads[0]
    assert checked >= 40  # the records of reported.beancount (49 in the shipped books)


@pytest.mark.parametrize("name", ["cash.beancount", "reported.beancount"])
def test_a_line_past_the_end_of_a_file_is_one_line_of_error(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    lines = len((LEDGER_DIR / name).read_text(encoding="utf-8").splitlines())
    for line in (lines + 1, 5000):
        result = explain(f"ledger/{name}:{line}", ok=False)
        assert result.exit_code == 3  # not found, as README's exit codes say of "no entry to explain"
        assert result.output.splitlines() == [
            f"error: no entry at ledger/{name}:{line}: ledger/{name} has {lines} lines"
        ]
    # its last line is still the last entry's (a balance, or a record, runs to the file's end)
    assert "error" not in explain(f"ledger/{name}:{lines}").output


def test_the_costs_not_itemized_show_their_total_as_stated_and_the_range_they_stand_for(books):
    # docs/sources.md (Z2): OpenAI's total costs for 2024, 12,480,000,000. The books itemize inference on Azure,
    # 3,767,100,000, and OpenAI's 20% of the audited 3.7B, 740,000,000: 4,507,100,000, so 7,972,900,000 is not
    # itemized. 3.7B stands for 3.65B..3.75B, so the 20% for 730M..750M and the rest for
    # 12,480,000,000 - 4,517,100,000 = 7,962,900,000 .. 12,480,000,000 - 4,497,100,000 = 7,982,900,000.
    record = _written(
        books[0],
        data.Custom,
        lambda e: e.type == "figure" and e.values[0].value == "total-costs" and e.date.year == 2024,
    )
    text = tree_text(lineage(books[0], f"{record.meta['filename']}:{record.meta['lineno']}"))
    assert "12,480,000,000.00 USD - 4,507,100,000.00 USD = 7,972,900,000.00 USD" in text
    assert "as intervals: 12,480,000,000 − [4,497,100,000, 4,517,100,000] = [7,962,900,000, 7,982,900,000]" in text
    assert "total: total-costs figure: 12,480,000,000.00 USD, leaked, 2024" in text  # the audited total, its source
    assert "\n    └── total: 12,480,000,000.00 USD" not in text  # no longer the generated entry's raw metadata


def test_a_padding_says_it_moves_with_its_balance_tolerance(books):
    # docs/sources.md (Z2): OpenAI's cash at 2025-12-31 is "~25,000,000,000", asserted with a tolerance of 500,000,000
    pad = _written(books[0], data.Pad, lambda e: e.date.isoformat() == "2025-12-31")
    text = tree_text(lineage(books[0], f"{pad.meta['filename']}:{pad.meta['lineno']}"))
    assert "(Padding inserted" not in text  # Beancount's own words, its amount without separators, said as exact
    assert "padding: " in text and " from Equity:OpenAI:Unitemized to Assets:OpenAI:Cash, 2025-12-31" in text
    assert "not exact: it is the balance's stated amount less the flows" in text
    assert "(± 500,000,000.00 USD, at " in text


def test_a_cap_its_ranged_shares_do_not_reach_says_so_never_none():
    # The scenario counts every payment against the 38B cap (docs/sources.md, TI-CAP); the 2024 and 2025 shares are
    # 0.20 x [3.65B, 3.75B] and 0.20 x [13.065B, 13.075B]: at least 730M + 2,613M = 3,343,000,000, far below 38B.
    text = explain("revenue-2025", "--scenario", "cap-counts-all-payments").output
    assert "accrued against the cap [3,343,000,000, ∞); the cap is not reached by what the books record" in text
    assert "the cap None" not in text


def test_a_bare_number_stated_as_a_bound_and_an_amount_with_its_qualifier_alone(tmp_path):
    """A record written "more than 30%" (low: 0.30, posted-as: low) is ≥ 30%, no dollar; one with `qualifier:`
    but no `stated:` keeps the word before its amount. (Test figures, not the books'.)"""
    book = tmp_path / "book.beancount"
    book.write_text(
        PLUGINS
        + """
2025-12-31 custom "figure" "microsoft-stake" 0.30
  kind: "reported"
  source: "test: a bound"
  qualifier: "more than"
  stated: "30%"
  low: 0.30
  posted-as: "low"

2025-12-31 custom "figure" "revenue-target" 13000000000.00 USD
  period-start: 2025-01-01
  kind: "reported"
  source: "test: a qualifier"
  qualifier: "about"
"""
    )
    entries = _load_books(book)[0]
    lines = book.read_text(encoding="utf-8").splitlines()
    stake, target = (
        1 + next(i for i, t in enumerate(lines) if f'"{metric}"' in t)
        for metric in ("microsoft-stake", "revenue-target")
    )
    assert tree_text(lineage(entries, f"{book}:{stake}")).splitlines()[1] == (
        '└── microsoft-stake figure: stated "more than 30%": ≥ 30%, reported, 2025-12-31'
    )
    assert tree_text(lineage(entries, f"{book}:{target}")).splitlines()[1] == (
        "└── revenue-target figure: about 13,000,000,000.00 USD, reported, 2025"
    )


def test_a_pad_is_known_with_the_balance_it_pads_to():
    """TI-Q1's ~73B cash at 2026-03-31 became known about 2026-06-15; the pad to that balance (dated 2026-01-01,
    the day after the balance before) says so: it read "known since 2026-01-01 (its own date ...)", a day no source
    spoke of it. `--as-of` already leaves it out before then."""
    out = explain("ledger/cash.beancount:18").output
    assert "known since 2026-06-15, with the balance of 2026-04-01 it pads to" in out
    assert "known since 2026-01-01" not in out
