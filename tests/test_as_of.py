"""The books as known on a date: known-since, --as-of, the chain's as-of config, the timeline.

Through the real CLI, the real loader and a real Fava. The figures:
2024's net payment 493,800,000 (Z, known since 2025-11-12) implies revenue
of at least 493,800,000 / 0.20 = 2,469,000,000 while a Microsoft revenue base
in force has no figure. On the small book below, a Bing revenue of
1,231,000,000 known since 2026-06-16 makes it exact: Microsoft's 20% is
246,200,000, so OpenAI's 20% is 493,800,000 + 246,200,000 = 740,000,000 and
its revenue 740,000,000 / 0.20 = 3,700,000,000.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from conftest import LEDGER_DIR, PLUGINS
from leakledger.cli.app import app
from ledgers import OPENS, bing, year_payment
from typer.testing import CliRunner

from leakledger.book_model import BookModel
from leakledger.books import load_books, load_clean
from leakledger.knowledge import as_of_plugins, parse_as_of

runner = CliRunner()
PAYMENT_2024 = Decimal("493800000.00")
IMPLIED_2024 = PAYMENT_2024 / Decimal("0.20")  # 2,469,000,000
BING_2024 = Decimal("1231000000.00")
EXACT_2024 = (PAYMENT_2024 + BING_2024 * Decimal("0.20")) / Decimal("0.20")  # 3,700,000,000

#: OpenAI's 20% to Microsoft and Microsoft's 20% of Bing to OpenAI, known with the leak.
SMALL_RULES = """
2019-07-22 custom "revenue-share" Income:OpenAI:Revenue "Microsoft" 0.20
  known-since: 2025-11-12
2019-07-22 custom "revenue-share" Income:Microsoft:Bing "OpenAI" 0.20
  known-since: 2025-11-12
"""


def invoke(*args: str, code: int = 0):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    return result


def year_row(rows: list, period: str = "2024") -> dict:
    return next(row for row in rows if row["period"] == period)


@pytest.fixture
def small_book(tmp_path: Path) -> Path:
    """A payment known on 2025-11-12, the Bing base that squares it known on 2026-06-16."""
    payment = year_payment(2024, "493800000.00", source="Z").replace(
        '  source: "Z"', '  known-since: 2025-11-12\n  source: "Z"'
    )
    base = bing("2024-12-31", "2024-01-01", "1231000000.00", "bing-revenue-2024").replace(
        '  source: "test ledger"', '  known-since: 2026-06-16\n  source: "Second leak"'
    )
    path = tmp_path / "small.beancount"
    path.write_text(PLUGINS + textwrap.dedent(OPENS) + SMALL_RULES + payment + base, encoding="utf-8")
    return path


def test_small_book_moves_from_a_bound_to_the_exact_revenue(small_book):
    rows = BookModel(*load_clean(small_book, parse_as_of("2025-11-13"))).period_rows("year")
    assert (year_row(rows)["implied_revenue"], year_row(rows)["revenue_bound"]) == (IMPLIED_2024, "lower")
    rows = BookModel(*load_clean(small_book, parse_as_of("2026-06-17"))).period_rows("year")
    assert (year_row(rows)["implied_revenue"], year_row(rows)["revenue_bound"]) == (EXACT_2024, None)
    # Before the leak nothing is known: no figure, so no row, and no error.
    assert BookModel(*load_clean(small_book, parse_as_of("2025-11-01"))).period_rows("year", totals=False) == []


def test_timeline_of_the_small_book_names_each_move(small_book):
    records = json.loads(invoke("timeline", "--ledger", str(small_book), "--format", "json").output)
    moves = {(r["known_since"], r["what"]): (r["before_text"], r["after_text"]) for r in records}
    assert moves[("2025-11-12", "2024 implied revenue")] == ("not known", "≥ 2,469,000,000")
    assert moves[("2026-06-16", "2024 implied revenue")] == ("≥ 2,469,000,000", "3,700,000,000")
    # Microsoft's 20% of the 1,231,000,000 base: 246,200,000.
    assert moves[("2026-06-16", "2024 Microsoft 20%")] == ("not known", "246,200,000")
    # OpenAI's income statement: its revenue, a bound, then exact.
    assert moves[("2025-11-12", "2024 Income:OpenAI:Revenue")] == ("not known", "≥ 2,469,000,000")
    assert moves[("2026-06-16", "2024 Income:OpenAI:Revenue")] == ("≥ 2,469,000,000", "3,700,000,000")
    assert {r["sources"] for r in records if r["known_since"] == "2026-06-16"} == {"Second leak"}
    later = json.loads(
        invoke("timeline", "--ledger", str(small_book), "--since", "2026-01-01", "--format", "json").output
    )
    assert {r["known_since"] for r in later} == {"2026-06-16"}
    # after the book's last knowledge date nothing became known since then: said so, not "nothing ever"
    after = invoke("timeline", "--ledger", str(small_book), "--since", "2026-06-17")
    assert "nothing became known in these books on or after 2026-06-17" in " ".join(after.output.split())


def test_report_as_of_the_first_leak_is_a_lower_bound():
    rows = json.loads(invoke("report", "--by", "year", "--format", "json", "--as-of", "2025-11-13").output)
    row = year_row(rows)
    assert (Decimal(row["implied_revenue"]), row["revenue_bound"]) == (IMPLIED_2024, "lower")
    assert Decimal(row["net_payment"]) == PAYMENT_2024


def test_before_the_leak_there_is_no_2024_payment():
    rows = json.loads(invoke("report", "--by", "year", "--format", "json", "--as-of", "2025-11-01").stdout)
    assert all(row["net_payment"] is None for row in rows if row["period"] == "2024")
    # Nothing before anything was known: empty tables, not an error; stderr says why (stdout stays JSON).
    before = invoke("report", "--format", "json", "--as-of", "1999-01-01")
    assert json.loads(before.stdout) == [] and "was known by 1999-01-01; the first became known on" in before.stderr


@pytest.mark.parametrize(
    "command", [["report"], ["statement", "OpenAI"], ["reconcile"], ["explain", "revenue-share-2024"]]
)
def test_a_bad_as_of_is_one_line_and_exit_2(command):
    result = invoke(*command, "--as-of", "2025-13-01", code=2)
    assert result.output.strip().splitlines() == [
        "error: --as-of '2025-13-01' is not a date: use YYYY-MM-DD, e.g. 2025-11-13"
    ]


def test_every_figure_rule_and_cap_of_the_shipped_books_has_known_since(books):
    from beancount.core import data

    from leakledger.knowledge import is_knowledge

    entries, errors, _ = books
    assert not errors
    missing = [
        f"{e.meta['filename']}:{e.meta['lineno']}"
        for e in entries
        if is_knowledge(e) and not isinstance(e, data.Pad) and "known-since" not in e.meta
    ]
    assert missing == []


def test_as_of_plugins_gives_the_chain_its_config_and_keeps_the_company_view():
    chain, view = ("leakledger.plugins.chain", None), ("leakledger.plugins.company_view", "OpenAI")
    assert as_of_plugins([chain, view], parse_as_of("2025-11-13")) == [
        ("leakledger.plugins.chain", "{'as-of': '2025-11-13'}"),
        view,
    ]
    # Plugins named one by one without the filter: the filter first, so the figures plugin sees only what was known.
    figures = ("leakledger.plugins.figures", None)
    assert as_of_plugins([figures], parse_as_of("2025-11-13")) == [
        ("leakledger.plugins.known_on", "{'as-of': '2025-11-13'}"),
        figures,
    ]


def _as_of_by_the_loader(path: Path, day, folder: Path):
    """The oracle: Beancount's own loader on a top-level file that repeats the book's options and plugins,
    the chain given the as-of config, and includes the book (its own plugin lines then count for nothing)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith('plugin "leakledger.plugins.chain"'):
            line = f"plugin \"leakledger.plugins.chain\" \"{{'as-of': '{day}'}}\""
        if line.startswith(("option", "plugin")):
            lines.append(line)
    top = folder / f"as-of-{day}.beancount"
    top.write_text("\n".join([*lines, f'include "{path.resolve()}"', ""]), encoding="utf-8")
    return loader.load_file(str(top))


@pytest.mark.parametrize("book", ["main.beancount", "openai.beancount", "scenarios/azure-openai-growth.beancount"])
def test_one_parse_gives_every_knowledge_date_as_the_loader_does(book, tmp_path):
    """ParsedBooks runs the plugins again and again on one parse: each day's entries and errors are
    exactly those of a fresh load of that day (so no plugin changed an entry it was handed)."""
    from beancount.parser import printer

    from leakledger.knowledge import knowledge_dates
    from leakledger.parsed_books import ParsedBooks

    path = LEDGER_DIR / book
    parsed = ParsedBooks(path)
    days = knowledge_dates(parsed.load()[0])
    assert len(days) >= 10  # the shipped books' sources: the leaks, the filings, the deal's dates
    ours = {day: parsed.load(day) for day in days}  # all on the one parse, before any oracle runs
    for day in days:
        entries, errors, _ = ours[day]
        expected, expected_errors, _ = _as_of_by_the_loader(path, day, tmp_path)
        assert [e.message for e in errors] == [e.message for e in expected_errors]
        assert [printer.format_entry(e) for e in entries] == [printer.format_entry(e) for e in expected], day


@pytest.mark.parametrize("pad", [True, False])
def test_one_parse_reports_the_errors_of_each_day_as_the_loader_does(pad, tmp_path):
    """Errors as known on each day: a transaction that does not balance from the day it is known, and a pad
    whose balance assertion is known later (Beancount calls an unused pad an error; known_on drops it)."""
    from beancount.parser import printer

    from leakledger.parsed_books import ParsedBooks

    path = tmp_path / "errors.beancount"
    path.write_text(
        PLUGINS
        + OPENS
        + textwrap.dedent("""
        2024-01-01 open Assets:Test:Cash USD
        2024-01-01 open Equity:Test:Opening USD
        2024-03-01 pad Assets:Test:Cash Equity:Test:Opening
          known-since: 2024-03-01
        2024-04-01 balance Assets:Test:Cash 10.00 USD
          known-since: 2024-05-01
        2024-04-10 * "does not balance" #leaked
          source: "test"
          known-since: 2024-04-10
          Assets:Test:Cash      1.00 USD
          Equity:Test:Opening  -2.00 USD
        2024-04-15 close Equity:Test:Opening
          known-since: 2024-04-25
        2024-04-18 * "after the close, and to an account never opened" #leaked
          source: "test"
          known-since: 2024-04-18
          Assets:Test:Nowhere   1.00 USD
          Equity:Test:Opening  -1.00 USD
        """),
        encoding="utf-8",
    )
    if not pad:  # without a pad, Beancount's pad plugin is not run: the same entries and errors all the same
        path.write_text(
            path.read_text(encoding="utf-8").split("2024-03-01 pad")[0]
            + "2024-04-10 *"
            + path.read_text(encoding="utf-8").split("2024-04-10 *")[1],
            encoding="utf-8",
        )
    parsed = ParsedBooks(path)
    for day in ["2024-03-15", "2024-04-20", "2024-05-02"]:
        entries, errors, _ = parsed.load(parse_as_of(day))
        expected_entries, expected, _ = _as_of_by_the_loader(path, parse_as_of(day), tmp_path)
        assert [e.message for e in errors] == [e.message for e in expected], day
        assert [printer.format_entry(e) for e in entries] == [printer.format_entry(e) for e in expected_entries]
    # The last day has them all: the unbalanced transaction, the account never opened, the one closed
    # (known since 2024-04-25; before then the account was open that day), and the pad fills the balance.
    last = [e.message for e in parsed.load(parse_as_of("2024-05-02"))[1]]
    assert any("does not balance" in m for m in last)
    assert "Invalid reference to unknown account 'Assets:Test:Nowhere'" in last
    assert "Invalid reference to inactive account 'Equity:Test:Opening'" in last
    assert "Invalid reference to inactive account 'Equity:Test:Opening'" not in [
        e.message for e in parsed.load(parse_as_of("2024-04-20"))[1]
    ]


def test_the_timeline_moves_as_fresh_loads_of_each_day_do(tmp_path):
    """The timeline's one parse, and its reuse of a model the caller has (publish's, as of a day), give the
    moves that fresh loads by Beancount's loader give, day by day."""
    from leakledger.parsed_books import ParsedBooks
    from leakledger.timeline import moves_between, snapshot, timeline

    path = LEDGER_DIR / "main.beancount"
    arrivals = timeline(path)
    before: dict = {}
    for arrival in arrivals:
        entries, errors, options = _as_of_by_the_loader(path, arrival.day, tmp_path)
        assert not errors
        after = snapshot(BookModel(entries, options))
        assert arrival.moves == moves_between(before, after), arrival.day
        before = after
    assert any(arrival.moves for arrival in arrivals)
    # As publish --as-of calls it: up to a day, with the model of that day.
    parsed, until = ParsedBooks(path), arrivals[-3].day
    cut = timeline(parsed, until=until, model=BookModel(*parsed.load_clean(until)))
    assert [(a.day, a.moves) for a in cut] == [(a.day, a.moves) for a in arrivals if a.day <= until]


def test_a_bad_plugin_config_is_an_error_not_an_exception(tmp_path):
    path = tmp_path / "bad.beancount"
    path.write_text("plugin \"leakledger.plugins.chain\" \"{'as-of': 'soon'}\"\n", encoding="utf-8")
    _, errors, _ = load_books(path)
    assert [e.message for e in errors] == ["leakledger plugin: plugin config: as-of 'soon' is not a date (YYYY-MM-DD)"]


def test_fava_shows_an_as_of_book_as_it_stood(tmp_path):
    """A scenario-like top-level book with the chain's as-of config: Fava's Leak model page shows the past."""
    from fava_client import fava

    folder = tmp_path / "ledger"
    shutil.copytree(LEDGER_DIR, folder, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    pages = {}
    for day in ("2025-11-01", "2025-11-13"):
        book = folder / f"as-of-{day}.beancount"
        book.write_text(
            f'option "title" "As known on {day}"\noption "operating_currency" "USD"\n'
            f'option "inferred_tolerance_default" "USD:0.005"\n'
            f'plugin "leakledger.plugins.chain" "{{\'as-of\': \'{day}\'}}"\ninclude "books.beancount"\n',
            encoding="utf-8",
        )
        client = fava(book)
        response = client.get("extension/LeakModel/")
        assert response.status_code == 200
        pages[day] = response.get_data(as_text=True)
    assert "2,469,000,000" not in pages["2025-11-01"] and "493,800,000" not in pages["2025-11-01"]
    assert "2,469,000,000" in pages["2025-11-13"] and "493,800,000" in pages["2025-11-13"]


def test_add_writes_known_since(ledger_copy):
    invoke(
        "add", "training", "700M", "--period", "2025-Q4", "--source", "test", "--kind", "reported",
        "--known-since", "2026-06-01", "--ledger", str(ledger_copy),
    )  # fmt: skip
    assert "  known-since: 2026-06-01\n" in (ledger_copy.parent / "2025.beancount").read_text(encoding="utf-8")
    assert load_books(ledger_copy)[1] == []
    # Known on 2026-06-01: left out the day before, there from that day.
    before = BookModel(*load_clean(ledger_copy, parse_as_of("2026-05-31"))).figures
    after = BookModel(*load_clean(ledger_copy, parse_as_of("2026-06-01"))).figures
    assert [f.metric for f in after if f not in before] == ["training"]


def test_check_warns_of_a_leak_known_before_its_period_ended(ledger_copy):
    year = ledger_copy.parent / "2024.beancount"
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace("known-since: 2025-11-12", "known-since: 2024-06-01", 1), encoding="utf-8")
    result = invoke("check", "--ledger", str(ledger_copy))
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "2024.beancount:" in warnings[0]
    assert "known-since 2024-06-01 precedes the end of its period (2024-12-31)" in warnings[0]
    assert result.stdout.strip().endswith("no errors, 1 warning(s)")


def test_the_leak_model_page_takes_as_of_and_offers_the_knowledge_dates(shipped_fava):
    """The page's as-of numbers are the CLI's; its choice lists the knowledge dates; a bad as-of is one line."""
    page = shipped_fava.get("extension/LeakModel/", **{"as-of": "2025-11-12"}).get_data(as_text=True)
    assert '<option value="2025-11-12" selected>' in page and '<option value="2026-04-27">' in page
    # What 2025-11-12 brought: the leak's 2024 payment, so 493,800,000 / 0.20 as a bound.
    assert '<td>2024 implied revenue</td><td class="num">not known</td><td class="num">≥ 2,469,000,000</td>' in page
    rows = shipped_fava.model(**{"as-of": "2025-11-13"})["period_table"]
    cli = json.loads(invoke("report", "--format", "json", "--as-of", "2025-11-13").output)
    assert [(r["period"], Decimal(str(r["implied_revenue"]))) for r in rows] == [
        (r["period"], Decimal(r["implied_revenue"])) for r in cli
    ]
    assert shipped_fava.model(**{"as-of": "2025-11-01"})["period_table"] == []
    # A day that is no knowledge date: the choice shows that day, not "today: everything recorded".
    between = shipped_fava.get("extension/LeakModel/", **{"as-of": "2025-11-13"}).get_data(as_text=True)
    assert '<option value="2025-11-13" selected>2025-11-13 (as asked)</option>' in between
    assert '<option value="" selected>' not in between
    bad = shipped_fava.get("extension/LeakModel/", **{"as-of": "2025-02-30"}).get_data(as_text=True)
    assert "as-of &#39;2025-02-30&#39; is not a date" in bad or "as-of '2025-02-30' is not a date" in bad


def test_a_pad_stays_only_while_the_balance_it_fills_is_known(tmp_path):
    """Two padded balances known on different days: each as-of load is clean, and holds the cash known then."""
    path = tmp_path / "cash.beancount"
    path.write_text(
        textwrap.dedent(
            """\
            option "operating_currency" "USD"
            plugin "leakledger.plugins.chain"
            2019-01-01 open Assets:OpenAI:Cash USD
            2019-01-01 open Equity:OpenAI:Unitemized USD
            2025-12-31 pad Assets:OpenAI:Cash Equity:OpenAI:Unitemized
            2026-01-01 balance Assets:OpenAI:Cash  25000000000.00 USD
              known-since: 2026-06-16
            2026-01-01 pad Assets:OpenAI:Cash Equity:OpenAI:Unitemized
            2026-04-01 balance Assets:OpenAI:Cash  73000000000.00 USD
              known-since: 2026-06-15
            """
        ),
        encoding="utf-8",
    )
    from beancount.core import data

    for day, balances in (
        ("2026-06-14", []),
        ("2026-06-15", ["73000000000.00"]),
        ("2026-06-16", ["25000000000.00", "73000000000.00"]),
    ):
        entries, errors, _ = load_books(path, parse_as_of(day))
        assert errors == [], (day, errors)
        assert [str(e.amount.number) for e in entries if isinstance(e, data.Balance)] == balances


def test_statement_and_scenario_compare_as_of_the_first_leak():
    """OpenAI's 2024 revenue as of 2025-11-13 is the bound 493,800,000 / 0.20; the scenario adds Azure's 20%."""
    records = json.loads(invoke("statement", "OpenAI", "--format", "json", "--as-of", "2025-11-13").output)
    [revenue] = [r for r in records if r["period"] == "2024" and r["line"] == "Income:OpenAI:Revenue"]
    assert (Decimal(revenue["amount"]), revenue["bound"]) == (IMPLIED_2024, "lower")
    rows = json.loads(
        invoke("scenario", "compare", "azure-openai-growth", "--format", "json", "--as-of", "2025-11-13").output
    )
    [base] = [r for r in rows if r["period"] == "2024" and r["book"] == "base"]
    [scenario] = [r for r in rows if r["period"] == "2024" and r["book"] == "azure-openai-growth"]
    assert Decimal(base["implied_revenue"]) == IMPLIED_2024
    # The scenario's assumed Azure OpenAI Service revenue for 2024 adds up to 1,000,000,000 (its own date):
    # (493,800,000 + 0.20 x 1,000,000,000) / 0.20 = 3,469,000,000.
    assert Decimal(scenario["implied_revenue"]) == (PAYMENT_2024 + Decimal("200000000")) / Decimal("0.20")


def test_a_known_since_that_is_not_a_date_is_an_error_at_its_line(ledger_copy):
    year = ledger_copy.parent / "2024.beancount"
    text = year.read_text(encoding="utf-8")
    lines = text.splitlines()
    meta = next(i for i, line in enumerate(lines) if "known-since: 2025-11-12" in line)
    # The error names the entry's own line: the dated line the metadata belongs to.
    lineno = 1 + max(i for i in range(meta) if lines[i][:1].isdigit())
    year.write_text(text.replace("known-since: 2025-11-12", 'known-since: "soon"', 1), encoding="utf-8")
    result = invoke("check", "--ledger", str(ledger_copy), code=1)
    # The integrity plugin's typed metadata (leakledger.metadata) says it, once.
    [line] = [line for line in result.stdout.splitlines() if "known-since" in line]
    assert f"2024.beancount:{lineno}:" in line and line.endswith("known-since: 'soon' must be a date, e.g. 2025-01-01")


def test_statement_as_of_after_the_second_leak_is_exact():
    """As of 2026-06-17 OpenAI's 2024 revenue is the audited 3,700,000,000 (known since 2026-06-16), no bound."""
    records = json.loads(invoke("statement", "OpenAI", "--format", "json", "--as-of", "2026-06-17").output)
    [revenue] = [r for r in records if r["period"] == "2024" and r["line"] == "Income:OpenAI:Revenue"]
    assert (Decimal(revenue["amount"]), revenue["bound"]) == (EXACT_2024, None)
    # The day before the second leak it was still the first leak's bound.
    records = json.loads(invoke("statement", "OpenAI", "--format", "json", "--as-of", "2026-06-15").output)
    [revenue] = [r for r in records if r["period"] == "2024" and r["line"] == "Income:OpenAI:Revenue"]
    assert (Decimal(revenue["amount"]), revenue["bound"]) == (IMPLIED_2024, "lower")


def test_the_shipped_timeline_names_both_leaks_and_what_they_moved():
    records = json.loads(invoke("timeline", "--format", "json").output)
    moves = {(r["known_since"], r["what"]): (r["before_text"], r["after_text"]) for r in records}
    assert moves[("2025-11-12", "2024 Income:OpenAI:Revenue")] == ("not known", "≥ 2,469,000,000")
    # The audited "3.7B" is 3.65B..3.75B: the statement line shows that range, not its midpoint as a fact.
    assert moves[("2026-06-16", "2024 Income:OpenAI:Revenue")] == ("≥ 2,469,000,000", "3.65B–3.75B")
    # Microsoft's 2024 share, solved: 0.20 x 3,700,000,000 - 493,800,000 = 246,200,000 on a base of 1,231,000,000,
    # shown as the range 3.7B's stated precision allows: 0.20 x 3.65B..3.75B - 493.8M = 236.2M..256.2M.
    assert moves[("2026-06-16", "2024 Microsoft 20%")] == ("not known", "236.2M–256.2M")
    # (0.2·R − 493.8M) / 0.2 over R in 3.65B..3.75B: 3.65B − 2.469B = 1.181B to 3.75B − 2.469B = 1.281B; before
    # the second leak the same range squared the NYT's "about 3.7B" (3.65B..3.75B), as an estimate.
    assert moves[("2026-06-16", "2024 Microsoft revenue base")] == (
        "1.181B–1.281B (an estimate: would square the reported revenue)",
        "1.181B–1.281B (solved)",
    )
    # OpenAI's 20% of 3.65B..3.75B is 730M..750M, in the period table and on the statement line alike.
    assert moves[("2026-06-16", "2024 OpenAI 20%")][1] == "730M–750M"
    assert moves[("2026-06-16", "2024 Expenses:OpenAI:RevenueShare:Microsoft")][1] == "730M–750M"
    # The reconciliation's cells of stated figures: "34.0B" is 33.95B..34.05B, "17.2B" 17.15B..17.25B,
    # and the 10-K's "6.5B" gain (a negative loss) -6.55B..-6.45B; 12,480,000,000 is stated to the unit.
    assert moves[("2026-06-16", "2025 total-costs (leaked)")][1] == "33.95B–34.05B"
    assert moves[("2026-06-16", "2024 total-costs (leaked)")][1] == "12,480,000,000"
    assert moves[("2026-06-16", "2025 payments-to-microsoft (leaked)")][1] == "17.15B–17.25B"
    assert moves[("2026-07-29", "2025-07..2026-06 losses-share (disclosed)")][1] == "-6.55B to -6.45B"
    # Once the audited revenue is recorded, 2024's implied revenue is not unknown: nothing is implied, and why.
    gone = moves[("2026-06-16", "2024 implied revenue")]
    assert gone[0] == "≥ 2,469,000,000" and gone[1].startswith("none: OpenAI's revenue is recorded")
    # TI's 2025-H1 cost of revenue sits beside inference in the reconciliation; the timeline names it as itself.
    assert moves[("2025-09-30", "2025-H1 cost-of-revenue (reported)")] == ("not known", "2.45B–2.55B")  # "2.5B"
    assert ("2025-09-30", "2025-H1 inference (reported)") not in moves
    sources = {r["known_since"]: r["sources"] for r in records}
    assert "Ed Zitron, Where's Your Ed At, 2025-11-12" in sources["2025-11-12"]
    assert "Ed Zitron, Where's Your Ed At, 2026-06-16" in sources["2026-06-16"]
    # The 20% rules cite TechCrunch of 2025-11-14 but count from the leak's day: the day says why, in the
    # rules' own words (ledger/rules.beancount's known-since-note:), not a source that seems to come early.
    assert "TechCrunch, 2025-11-14 (taken as known with the leak (Ed Zitron, 2025-11-12)" in sources["2025-11-12"]


def test_the_10k_counts_from_its_filing_day():
    """MSK: SEC EDGAR gives the FY2026 10-K's filing day as 2026-07-29 (docs/sources.md), so the books as of
    that day hold its figures, disclosed; the day before they hold none of them."""

    def ten_k(day: str) -> dict:
        rows = json.loads(invoke("reconcile", "--format", "json", "--as-of", day).output)
        return {(r["metric"], r["period"]): r for r in rows if (r["sources"] or "").startswith("Microsoft Form 10-K")}

    known = ten_k("2026-07-29")
    # Note 1: $24.1 billion of revenue from OpenAI (24.05B..24.15B), $6.0 billion receivable (5.95B..6.05B),
    # $11.9 billion of $13.0 billion funded, an approximate 25% interest (0.245..0.255); Note 3: $6.5 billion of
    # net gains (a negative loss share, -6,550,000,000..-6,450,000,000); Note 12: $678 billion of commercial
    # remaining performance obligation (677.5B..678.5B). A measured amount stands for the range its last digit
    # allows; the 13.0B commitment is a term of the deal, not a measure, and the funded 11.9B posts: both exact.
    expected = {
        ("microsoft-revenue-from-openai", "2025-07..2026-06"): ("24100000000", "24050000000", "24150000000"),
        ("openai-owed-to-microsoft", "2026-06-30"): ("6000000000", "5950000000", "6050000000"),
        ("investment", "2019-07-22..2026-06-30"): ("11900000000", None, None),
        ("investment-committed", "2019-07-22..2026-06-30"): ("13000000000", None, None),
        ("microsoft-stake", "2026-06-30"): ("0.25", "0.245", "0.255"),
        ("losses-share", "2025-07..2026-06"): ("-6500000000", "-6550000000", "-6450000000"),
        ("commercial-rpo", "2026-06-30"): ("678000000000", "677500000000", "678500000000"),
    }
    assert set(known) == set(expected)
    for key, (amount, low, high) in expected.items():
        row = known[key]
        assert row["reported"] is None, key
        got = (Decimal(row["disclosed"]), row["disclosed_low"] and Decimal(row["disclosed_low"]))
        assert got == (Decimal(amount), low and Decimal(low)), key
        assert (row["disclosed_high"] and Decimal(row["disclosed_high"])) == (high and Decimal(high)), key
    assert ten_k("2026-07-28") == {}


def test_explain_says_why_a_rule_counts_from_before_its_source():
    """explain names each rule's known-since day with the books' reason for it (`known-since-note:`)."""
    # As known on the leak's day, 2024's payments imply revenue by OpenAI's 20% rule, which explain names.
    out = invoke("explain", "^revenue-share-2024", "--as-of", "2025-11-13").output
    assert "known since 2025-11-12 (taken as known with the leak (Ed Zitron, 2025-11-12), whose payments" in out
    # Today they solve Microsoft's share (0.20 x 3.7B - 493.8M) by OpenAI's rule, and its base by Microsoft's two.
    out = invoke("explain", "^revenue-share-2024").output
    assert "rule: 20% of Income:OpenAI:Revenue to Microsoft" in out
    assert "rule: 20% of Income:Microsoft:Bing to OpenAI" in out
    assert "known since 2025-11-12 (taken as known with the leak (Ed Zitron, 2025-11-12), whose payments" in out


def test_publish_as_of_the_first_leak(tmp_path):
    """The site as known on 2025-11-13: its title says so, 2024 is the bound, the timeline stops at that day."""
    out = tmp_path / "site"
    invoke("publish", str(out), "--as-of", "2025-11-13")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "as known on 2025-11-13" in index
    # 2025's audited 13,070,000,000 was public only from 2026-06-16 (NYT's 2024 ~3.7B was, from 2024-09-27).
    assert "≥ 2,469,000,000" in index and "13,070,000,000" not in index
    timeline = (out / "timeline.html").read_text(encoding="utf-8")
    assert '<h2 id="d2025-11-12">' in timeline and '<h2 id="d2026-06-16">' not in timeline


def test_a_timeline_move_of_a_partial_statement_line_keeps_its_mark(books):
    """2025's inference figures cover January to September (8,670,000,000), less than the year: the statement
    marks the line †, and the timeline's number for it says so too (it read a bare 8,670,000,000)."""
    from leakledger.timeline import snapshot

    entries, _, options = books
    numbers = snapshot(BookModel(entries, options))
    assert numbers["2025 Expenses:OpenAI:Compute:Inference"] == "8,670,000,000 †"
    assert numbers["2024 Expenses:OpenAI:Compute:Inference"] == "3,767,100,000"  # the whole year: no mark


def test_as_of_the_first_leak_an_unrecorded_base_reads_not_known_beside_the_bounds():
    """As known on 2025-11-13 no Microsoft base has a figure: Bing and Azure OpenAI Service read "not known" (they
    read blank), and what grows with them stays "≥": 2025's net is at least 8,670,000,000 of inference +
    865,800,000 of payments − 4,100,000,000 of losses = 5,435,800,000 (Microsoft's own share, unknown, is paid
    out of the share it receives, so it moves neither way)."""
    import datetime

    from leakledger.intervals import Interval
    from leakledger.statements import NET, load_statement

    statement = load_statement(LEDGER_DIR / "main.beancount", "Microsoft", as_of=datetime.date(2025, 11, 13))
    for base in ("Income:Microsoft:Bing", "Income:Microsoft:AzureOpenAIService"):
        cell = statement.cell(base, "2024")
        assert cell.amount is None and "the lines marked ≥ grow with it" in cell.not_known
    net = statement.cell(NET, "2025")
    assert (net.amount, net.interval) == (Decimal("5435800000.00"), Interval(Decimal("5435800000.00"), None))
