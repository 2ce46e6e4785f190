"""`leakledger add`: parse, map, check, write; every refusal leaves the files as they were.

Amounts in expectations are docs/sources.md figures or the arithmetic on them shown
in comments. Every write goes to a copy of the ledger (conftest ledger_copy).
"""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal

import pytest
from beancount.core import data
from conftest import load_ledger, snapshot
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from leakledger.cli.app import app
from ledgers import TRAINING_ACCOUNTS, training
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figure_request import FigureRequest, RequestError, plan_figures
from leakledger.figures import figures_of
from leakledger.model import ACCOUNTS, METRICS, entity_of

D = Decimal
runner = CliRunner()
SOURCE = "Test source, 2025-11-12"
# docs/sources.md, the leak table.
NET_2024 = D("493800000")
NET_2025_H1 = D("454700000")
NET_2025_JAN_SEP = D("865800000")


def add(ledger, *args):
    return runner.invoke(app, ["add", *args, "--source", SOURCE, "--ledger", str(ledger)])


def hand_written(entries):
    return [e for e in entries if isinstance(e, data.Transaction) and "generated" not in e.tags]


def entry_with_link(entries, link):
    found = [e for e in hand_written(entries) if link in e.links]
    assert len(found) == 1, (link, found)
    return found[0]


# --- each metric's postings (the account table of docs/model.md) ------------------

# docs/model.md: which accounts one figure of each metric moves, with the sign of
# the amount, in OpenAI's books and in Microsoft's.
POSTINGS = {
    "revenue-share": [
        ("Liabilities:OpenAI:Due:Microsoft", 1),
        ("Assets:OpenAI:Cash", -1),
        ("Assets:Microsoft:Cash", 1),
        ("Assets:Microsoft:Due:OpenAI", -1),
    ],
    "inference": [
        ("Expenses:OpenAI:Compute:Inference", 1),
        ("Assets:OpenAI:Cash", -1),
        ("Assets:Microsoft:Cash", 1),
        ("Income:Microsoft:Azure:OpenAICompute", -1),
    ],
    "training": [
        ("Expenses:OpenAI:Compute:Training", 1),
        ("Equity:OpenAI:Investment:Microsoft", -1),
        ("Assets:Microsoft:Investment:OpenAI", 1),
        ("Income:Microsoft:Azure:OpenAICompute", -1),
    ],
    "revenue": [("Assets:OpenAI:Cash", 1), ("Income:OpenAI:Revenue", -1)],
    "bing-revenue": [("Assets:Microsoft:Cash", 1), ("Income:Microsoft:Bing", -1)],
    "azure-openai-revenue": [("Assets:Microsoft:Cash", 1), ("Income:Microsoft:AzureOpenAIService", -1)],
    "investment": [
        ("Assets:OpenAI:Cash", 1),
        ("Equity:OpenAI:Investment:Microsoft", -1),
        ("Assets:Microsoft:Investment:OpenAI", 1),
        ("Assets:Microsoft:Cash", -1),
    ],
    "losses-share": [("Expenses:Microsoft:OpenAILosses", 1), ("Assets:Microsoft:Investment:OpenAI", -1)],
}


def test_the_metrics_are_the_issues():
    assert set(POSTINGS) <= set(METRICS)


#: A quarter no shipped figure of the metric covers (the books record the equity-method result and the
#: funding through 2026-06-30).
FREE_QUARTER = {
    m: ("2026-Q3", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)) for m in ("losses-share", "investment")
}
LATE_2025 = ("2025-Q4", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))


@pytest.mark.parametrize("metric", sorted(POSTINGS))
def test_each_metric_posts_in_both_entities_books(ledger_copy, metric):
    quarter, start, end = FREE_QUARTER.get(metric, LATE_2025)
    result = add(ledger_copy, metric, "1.2B", "--period", quarter)
    assert result.exit_code == 0, result.output
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    link = f"{metric}-{quarter.lower()}"
    entry = entry_with_link(entries, link)
    assert entry.date == end
    assert entry.meta["period-start"] == start
    assert entry.meta["metric"] == metric and entry.meta["source"] == SOURCE
    assert entry.tags == {"leaked"}
    amount = D("1200000000")
    assert [(p.account, p.units.number) for p in entry.postings] == [(a, s * amount) for a, s in POSTINGS[metric]]
    for entity in ("OpenAI", "Microsoft"):
        assert sum((p.units.number for p in entry.postings if entity_of(p.account) == entity), D(0)) == 0
    # What the command printed is what the file holds.
    assert result.stdout.startswith(f'{end} * "{METRICS[metric].narration} ({quarter})" #leaked ^{link}\n')


# --- amount and period forms ---------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("493800000", D("493800000")),
        ("493,800,000", D("493800000")),
        ("493.8M", D("493.8") * 10**6),
        ("$493.8 million", D("493.8") * 10**6),
        ("8.67B", D("8.67") * 10**9),
        ("8.67 billion", D("8.67") * 10**9),
        ("$1.2bn", D("1.2") * 10**9),
    ],
)
def test_every_amount_form(books, text, expected):
    # Training compute has no recorded figure, so nothing overlaps.
    [plan] = plan_figures([FigureRequest("training", text, "2025-Q3", SOURCE)], books[0], today=datetime.date.today())
    assert plan.figure.amount == expected
    assert plan.entry.postings[0].units.number == expected


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2024", "2024-01-01", "2024-12-31", "2024"),
        ("2025-Q3", "2025-07-01", "2025-09-30", "2025-q3"),
        ("2025-H1", "2025-01-01", "2025-06-30", "2025-h1"),
        ("2025-09", "2025-09-01", "2025-09-30", "2025-09"),
        ("2025-01..2025-09", "2025-01-01", "2025-09-30", "2025-01..2025-09"),
    ],
)
def test_every_period_form(books, text, start, end, label):
    [plan] = plan_figures([FigureRequest("training", "1B", text, SOURCE)], books[0], today=datetime.date.today())
    assert plan.entry.date == datetime.date.fromisoformat(end)
    assert plan.entry.meta["period-start"] == datetime.date.fromisoformat(start)
    assert plan.entry.links == {f"training-{label}"}


def test_dry_run_prints_and_writes_nothing(ledger_copy):
    before = snapshot(ledger_copy.parent)
    result = add(ledger_copy, "training", "2.5B", "--period", "2025-Q4", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Expenses:OpenAI:Compute:Training" in result.stdout and "2500000000.00 USD" in result.stdout
    # A figure for a year with no file yet: the dry run checks the books with 2023.beancount and its include added.
    new_year = add(ledger_copy, "training", "5M", "--period", "2023-Q4", "--dry-run")
    assert new_year.exit_code == 0, new_year.output
    assert "^training-2023-q4" in new_year.stdout and "5000000.00 USD" in new_year.stdout
    assert snapshot(ledger_copy.parent) == before


def test_a_dry_run_refuses_what_the_write_refuses(ledger_copy):
    """12.5B of Bing revenue in 2024: planning accepts it, the whole ledger would not, and the dry run says so.

    docs/sources.md: OpenAI's 20% of its audited 2024 revenue "3.7B" is 0.20 x 3,700,000,000 = 740,000,000 and
    the leaked 2024 net payment is 493,800,000; Microsoft's 20% of 12.5B is 0.20 x 12,500,000,000 =
    2,500,000,000, so 740,000,000 - 493,800,000 - 2,500,000,000 = -2,253,800,000 is left for Microsoft's share.
    """
    before = snapshot(ledger_copy.parent)
    dry = add(ledger_copy, "bing-revenue", "12.5B", "--period", "2024", "--dry-run")
    assert dry.exit_code == 4 and dry.stdout == ""
    [line] = dry.stderr.splitlines()
    assert line.startswith(
        "error: the change would add an error, so nothing would be written (dry run: nothing was written): "
        f"{ledger_copy.parent / '2024.beancount'}:"
    )
    assert "leaves -2,253,800,000.00 for Microsoft's share: negative beyond the figures' precision" in line
    assert snapshot(ledger_copy.parent) == before


def test_cumulative_is_year_to_date_from_january_first(ledger_copy):
    # The leak's Jan-Sep total typed as "through September, year to date" is the figure already recorded.
    repeat = add(ledger_copy, "revenue-share", "865.8M", "--period", "2025-09", "--cumulative", "--dry-run")
    assert repeat.exit_code == 4 and "2025-01..2025-09" in repeat.output and "duplicate" in repeat.output
    # 1B through December: a total over 2025 that the recorded Jan-Sep parts refine;
    # its remainder over Q4 is 1,000,000,000 - 865,800,000 = 134,200,000.
    year = add(ledger_copy, "revenue-share", "1B", "--period", "2025-12", "--cumulative")
    assert year.exit_code == 0, year.output
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    [total] = [e for e in hand_written(entries) if "revenue-share-2025" in e.links and e.date.month == 12]
    assert total.meta["period-start"] == datetime.date(2025, 1, 1)
    assert total.meta["remainder"].number == D("1000000000") - NET_2025_JAN_SEP == D("134200000")


# --- the issue's 'done means': bean-query sees the figure and what the plugins derive


def test_an_added_q4_payment_solves_microsofts_2025_share_in_bean_query(ledger_copy):
    done = subprocess.run(
        [
            "leakledger",
            "add",
            "revenue-share",
            "300M",
            "--period",
            "2025-Q4",
            "--source",
            SOURCE,
            "--kind",
            "leaked",
            "--ledger",
            str(ledger_copy),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    query = subprocess.run(
        [
            "bean-query",
            "-f",
            "csv",
            str(ledger_copy),
            "SELECT sum(number) AS total WHERE account = 'Expenses:Microsoft:RevenueShare:OpenAI' "
            "AND date = 2025-12-31 AND 'generated' IN tags",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    # 2025's audited revenue is recorded (13,070,000,000), so the Q4 payment implies no revenue: with it
    # the payments cover the year, and Microsoft's 20% is solved: 0.20 x 13,070,000,000 - (865,800,000 +
    # 300,000,000) = 2,614,000,000 - 1,165,800,000 = 1,448,200,000.
    solved = D("0.20") * D("13070000000") - (D("865800000") + D("300000000"))
    assert D(query.stdout.splitlines()[1]) == solved == D("1448200000")
    payment = subprocess.run(
        [
            "bean-query",
            "-f",
            "csv",
            str(ledger_copy),
            "SELECT sum(number) WHERE account = 'Liabilities:OpenAI:Due:Microsoft' AND date = 2025-12-31 "
            "AND NOT ('generated' IN tags)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert D(payment.stdout.splitlines()[1]) == D("300000000")
    # ...and Fava, on the same books, answers the same.
    from fava_client import fava

    answer = fava(ledger_copy).get(
        "api/query",
        query_string=(
            "SELECT narration, number WHERE account = 'Expenses:Microsoft:RevenueShare:OpenAI' "
            "AND date = 2025-12-31 AND 'generated' IN tags"
        ),
    )
    narration = "Microsoft's share to OpenAI (2025), solved: OpenAI's share of its revenue less the net payments"
    assert answer.get_json()["data"]["rows"] == [[narration, solved]]


def test_the_year_file_stays_bean_format_clean(ledger_copy):
    assert add(ledger_copy, "inference", "2.1B", "--period", "2025-Q4").exit_code == 0
    path = ledger_copy.parent / "2025.beancount"
    formatted = subprocess.run(["bean-format", str(path)], capture_output=True, text=True, check=True).stdout
    assert formatted == path.read_text()


def test_a_new_year_gets_its_file_and_a_sorted_include(ledger_copy):
    # A future year: only an assumed figure may lie in the future.
    result = add(ledger_copy, "revenue", "20B", "--period", "2030", "--kind", "assumed")
    assert result.exit_code == 0, result.output
    folder = ledger_copy.parent
    text = (folder / "2030.beancount").read_text()
    # The year files' header and their insert-entry option (dated the year before), as 2025.beancount has them.
    header = "\n\n".join((folder / "2025.beancount").read_text().split("\n\n")[:2])
    header = header.replace("2025", "2030").replace("2024-12-31", "2029-12-31")
    assert text.startswith(header + "\n\n2030-12-31 * ")
    includes = [line for line in (folder / "books.beancount").read_text().splitlines() if line.startswith("include")]
    years = [line for line in includes if line[9:13].isdigit()]
    assert years == [
        'include "2024.beancount"',
        'include "2025.beancount"',
        'include "2026.beancount"',
        'include "2030.beancount"',
    ]
    assert includes.index(years[-1]) + 1 == includes.index('include "reported.beancount"')
    assert load_books(ledger_copy)[1] == []
    # ...and an earlier year goes before it, a year between in between.
    assert add(ledger_copy, "revenue", "1B", "--period", "2023").exit_code == 0
    assert add(ledger_copy, "revenue", "1B", "--period", "2027-Q1", "--kind", "assumed").exit_code == 0
    includes = (folder / "books.beancount").read_text()
    assert (
        includes.index('"2023.')
        < includes.index('"2024.')
        < includes.index('"2025.')
        < includes.index('"2027.')
        < includes.index('"2030.')
    )
    assert load_books(ledger_copy)[1] == []


def test_add_help_lists_every_metric_one_line_each():
    result = runner.invoke(app, ["add", "--help"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for name, metric in METRICS.items():
        assert [line for line in lines if line.split()[:1] == [name]] == [f"    {name:<21} {metric.summary}"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    metric=st.sampled_from(sorted(METRICS)),
    cents=st.integers(min_value=1, max_value=10**14),
    first=st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2023, 1, 1)),
    days=st.integers(min_value=0, max_value=800),
    source=st.text(max_size=40),
    note=st.text(max_size=40),
)
def test_what_is_planned_loads_back_as_the_same_figure(metric, cents, first, days, source, note):
    """Any figure, with any text in its provenance, reads back from its printed text unchanged."""
    from beancount import loader

    from leakledger.figure_text import clean_text, entry_text
    from leakledger.figures import figure_of

    assume(clean_text(source))
    amount = D(cents) / 100
    period = f"{first.isoformat()}..{(first + datetime.timedelta(days=days)).isoformat()}"
    [plan] = plan_figures([FigureRequest(metric, f"{amount}", period, source, note=note)], [], today=TODAY)
    opens = "".join(f"2000-01-01 open {account}\n" for account in ACCOUNTS)
    entries, errors, _ = loader.load_string(opens + "\n" + entry_text(plan.entry))
    assert errors == []
    [loaded] = [e for e in entries if isinstance(e, data.Transaction)]
    fig = figure_of(loaded)
    assert (fig.metric, fig.period, fig.amount, fig.kind) == (metric, plan.figure.period, amount, "leaked")
    assert loaded.meta["source"] == clean_text(source)
    assert loaded.meta.get("note") == (clean_text(note) or None)
    assert loaded.links == plan.entry.links


# --- cumulative ----------------------------------------------------------------

BOOKS_H1 = TRAINING_ACCOUNTS + training("2025-01-01", "2025-06-30", "1000000000.00", "training-2025-h1")
TODAY = datetime.date(2025, 11, 27)


def plan_one(ledger_text, **request):
    entries, errors, _ = load_ledger(ledger_text)
    assert errors == []
    request.setdefault("source", SOURCE)
    return plan_figures([FigureRequest(**request)], entries, today=TODAY)[0]


def test_cumulative_records_the_year_to_date_total_that_its_parts_refine():
    plan = plan_one(BOOKS_H1, metric="training", amount="1.5B", period="2025-01..2025-09", cumulative=True)
    # 1.5B year to date is recorded as given; H1's 1.0B refines it, the remainder 0.5B posts over Jul-Sep.
    assert plan.figure.period.label == "2025-01..2025-09" and plan.figure.amount == D("1500000000")
    assert plan.refinement.remainder == D("1500000000") - D("1000000000")
    assert [str(g) for g in plan.refinement.gaps] == ["2025-Q3"]
    assert plan.entry.links == {"training-2025-01..2025-09"}


def test_cumulative_in_the_shipped_layout(ledger_copy):
    """Laid out exactly like the shipped Jan-Sep year-to-date totals."""
    result = add(ledger_copy, "training", "1B", "--period", "2025-H1")
    assert result.exit_code == 0, result.output
    result = add(ledger_copy, "training", "1.5B", "--period", "2025-01..2025-09", "--cumulative")
    assert result.exit_code == 0, result.output
    # 1.5B - 1B = 500,000,000 posts; "1.5B" stands for 1.45B..1.55B and "1B" for 0.5B..1.5B, so the remainder
    # stands for 1.45B - 1.5B = -50M to 1.55B - 0.5B = 1.05B, kept to the total's sign (a quarter of training
    # cannot cost less than nothing): 0 to 1.05B.
    assert "the remainder 0–1.05B (posted 500,000,000 USD) posts over 2025-Q3" in result.stdout
    text = (ledger_copy.parent / "2025.beancount").read_text()
    assert '^training-2025-01..2025-09\n  metric: "training"\n  period-start: 2025-01-01\n' in text
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    [rest] = [e for e in entries if e.meta.get("rule") == "remainder" and e.meta["metric"] == "training"]
    assert (rest.meta["period-start"], rest.date) == (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))


def test_cumulative_smaller_than_recorded_is_refused():
    with pytest.raises(RequestError, match="more than the total 900,000,000.00 USD"):
        plan_one(BOOKS_H1, metric="training", amount="900M", period="2025-01..2025-09", cumulative=True)


def test_parts_with_a_gap_leave_the_remainder_over_the_days_they_miss():
    q2 = TRAINING_ACCOUNTS + training("2025-04-01", "2025-06-30", "1000000000.00", "training-2025-q2")
    plan = plan_one(q2, metric="training", amount="2B", period="2025-01..2025-09", cumulative=True)
    # 2B less Q2's 1B: 1B over Q1 and Q3.
    assert plan.refinement.remainder == D("1000000000")
    assert [str(g) for g in plan.refinement.gaps] == ["2025-Q1", "2025-Q3"]


def test_cumulative_already_recorded_is_a_duplicate(books):
    # The shipped books hold the 865.8M year to date as a total that H1 and Q3 refine.
    [plan] = plan_figures(
        [FigureRequest("revenue-share", "865.8M", "2025-01..2025-09", SOURCE, cumulative=True)],
        books[0],
        today=datetime.date.today(),
    )
    assert plan.duplicate_of is not None
    assert plan.duplicate_of.amount == NET_2025_JAN_SEP


# --- refinement and supersede -----------------------------------------------------


def test_a_coarser_figure_refines_without_a_flag(ledger_copy):
    result = add(ledger_copy, "revenue-share", "1.2B", "--period", "2025")
    assert result.exit_code == 0, result.output
    # 2025: 1.2B, of which Jan-Sep's 865.8M is recorded: 334.2M posts over Oct-Dec. "1.2B" stands for
    # 1.15B..1.25B, so the remainder for 1.15B - 865.8M = 284.2M to 1.25B - 865.8M = 384.2M.
    assert D("1200000000") - NET_2025_JAN_SEP == D("334200000")
    assert "the remainder 284.2M–384.2M (midpoint 334,200,000 USD) posts over 2025-Q4" in result.stdout
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    refined = sorted(f.period.label for f in figures_of(entries) if f.refined and f.metric == "revenue-share")
    assert refined == ["2024", "2025", "2025-01..2025-09", "2025-H1"]


def test_a_part_of_a_ranged_total_says_the_remainders_range(ledger_copy):
    """The review: add printed the remainder's midpoint, 900,000,000.00 USD, as if it were a fact."""
    scenario = ledger_copy.parent / "scenarios" / "azure-openai-growth.beancount"
    result = add(
        scenario, "azure-openai-revenue", "100,000,000", "--period", "2024-Q1", "--kind", "assumed", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    # The scenario's 2024 Azure OpenAI Service revenue is 0.5B..1.5B (posted at its midpoint, 1B); less an exact
    # 100,000,000 for 2024-Q1 the remainder is 0.5B - 100M = 400M to 1.5B - 100M = 1.4B, midpoint 900,000,000.
    assert "refines azure-openai-revenue over 2024, 500M–1.5B (midpoint 1,000,000,000 USD):" in result.stdout
    assert "1 part(s) adding up to 100,000,000.00 USD;" in result.stdout  # exact: as the books post it
    assert "the remainder 400M–1.4B (midpoint 900,000,000 USD) posts over 2024-04..2024-12" in result.stdout


def test_a_correction_that_breaks_its_total_is_refused(ledger_copy):
    before = snapshot(ledger_copy.parent)
    result = add(ledger_copy, "revenue-share", "120M", "--period", "2024-Q4", "--supersede")
    assert result.exit_code != 0
    # 77.3M + 109.5M + 139.2M + 120M = 446M against 2024's 493.8M: -47.8M.
    [line] = result.stderr.splitlines()
    assert "add up to 446,000,000.00 USD" in line and "difference -47,800,000.00 USD" in line
    assert snapshot(ledger_copy.parent) == before


def test_a_correction_of_the_same_period_gets_its_own_link(ledger_copy):
    # docs/sources.md: Microsoft's share of OpenAI's losses, 2025-Q3, 4.1B pre-tax; corrected to 4.2B.
    result = add(ledger_copy, "losses-share", "4.2B", "--period", "2025-Q3", "--kind", "disclosed", "--supersede")
    assert result.exit_code == 0, result.output
    assert "difference +100,000,000.00 USD" in result.stdout
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    new = entry_with_link(entries, "losses-share-2025-q3-2")
    assert new.meta["supersedes"] == "losses-share-2025-q3"


def test_a_part_is_superseded_by_its_own_link_not_its_totals(ledger_copy):
    # 2025 of 1.2B leaves 334.2M over Q4 (docs/sources.md: 865.8M Jan-Sep); October 100M refines it.
    for amount, period, flags in (("1.2B", "2025", ()), ("100M", "2025-10", ()), ("110M", "2025-10", ("--supersede",))):
        result = add(ledger_copy, "revenue-share", amount, "--period", period, *flags)
        assert result.exit_code == 0, result.output
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    new = entry_with_link(entries, "revenue-share-2025-10-2")
    # October carried ^revenue-share-2025 too, as the books read it; the correction names October's own link.
    assert new.meta["supersedes"] == "revenue-share-2025-10"
    assert "revenue-share-2025" in new.links


# --- bad input: one line, non-zero exit, every file byte-identical --------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["revenue-share", "500M", "--period", "2025-Q3"], "revenue-share over 2025-Q3 is recorded at"),
        (["revenue-share", "500M", "--period", "2025-Q2..2025-Q3"], "neither lies inside the other"),
        (["revenue-share", "493.8M", "--period", "2024"], "duplicate: revenue-share over 2024"),
        (["training", "-5M", "--period", "2025-Q4"], "is negative"),
        (["training", "5 gazillion", "--period", "2025-Q4"], "cannot read amount"),
        (["training", "lots", "--period", "2025-Q4"], "cannot read amount"),
        (["licensing", "5M", "--period", "2025-Q4"], "unknown metric 'licensing'"),
        (["training", "5M", "--period", "2025-Q5"], "cannot read period"),
        (["training", "5M", "--period", "2199"], "after today"),
        (["training", "5M", "--period", "2025-Q4", "--kind", "rumoured"], "unknown kind"),
        (["revenue-share", "800M", "--period", "2025-01..2025-09", "--cumulative"], "2025-01..2025-09 is recorded at"),
        # docs/sources.md 2024 quarters: a May of 120M is more than 2024-Q2's 109.5M, by 10.5M.
        (["revenue-share", "120M", "--period", "2024-05"], "would be -10,500,000.00 USD"),
    ],
)
def test_bad_input_leaves_every_file_byte_identical(ledger_copy, args, message):
    before = snapshot(ledger_copy.parent)
    result = add(ledger_copy, *args)
    assert result.exit_code != 0
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line
    assert snapshot(ledger_copy.parent) == before


def test_future_periods_are_for_assumptions_only(ledger_copy):
    before = snapshot(ledger_copy.parent)
    for kind in ("leaked", "disclosed", "reported", "claimed"):
        result = add(ledger_copy, "revenue", "30B", "--period", "2199", "--kind", kind)
        assert result.exit_code != 0 and "only assumed figures may speak of the future" in result.stderr
    assert snapshot(ledger_copy.parent) == before
    result = add(ledger_copy, "revenue", "30B", "--period", "2199", "--kind", "assumed")
    assert result.exit_code == 0, result.output


def test_a_change_that_adds_an_error_is_rolled_back(ledger_copy):
    """Planning accepts the figure; the whole ledger refuses it; every file is restored."""
    accounts = ledger_copy.parent / "accounts.beancount"
    text = accounts.read_text()
    opened = "2019-01-01 open Expenses:OpenAI:Compute:Training USD\n"
    assert opened in text
    accounts.write_text(text.replace(opened, "2026-01-01 open Expenses:OpenAI:Compute:Training USD\n"))
    assert load_books(ledger_copy)[1] == []
    before = snapshot(ledger_copy.parent)
    dry = add(ledger_copy, "training", "1B", "--period", "2025-Q4", "--dry-run")
    result = add(ledger_copy, "training", "1B", "--period", "2025-Q4")
    assert result.exit_code == 4
    [line] = result.stderr.splitlines()
    assert line.startswith("error: the change would add an error, so nothing was written: ")
    assert "2025.beancount:" in line and "Expenses:OpenAI:Compute:Training" in line
    # The dry run refuses it in the same words, the same file and line, and says it was a dry run.
    assert dry.exit_code == 4 and dry.stderr == result.stderr.replace(
        "nothing was written", "nothing would be written (dry run: nothing was written)"
    )
    assert snapshot(ledger_copy.parent) == before


# --- two writers at once ----------------------------------------------------------


@pytest.mark.parametrize("period", ["2025-Q4", "2023"], ids=["existing-year-file", "new-year-file"])
def test_two_concurrent_adds_from_separate_processes_both_land(ledger_copy, period):
    """Both append to one year file; for a new year, both would create it and include it."""
    link = period.lower()
    commands = [
        ["leakledger", "add", metric, "700M", "--period", period, "--source", SOURCE, "--ledger", str(ledger_copy)]
        for metric in ("training", "bing-revenue")
    ]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    text = (ledger_copy.parent / f"{period[:4]}.beancount").read_text()
    assert text.count(f"^training-{link}\n") == 1 and text.count(f"^bing-revenue-{link}\n") == 1
    assert (ledger_copy.parent / "books.beancount").read_text().count(f'include "{period[:4]}.beancount"') == 1
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    assert {f"training-{link}", f"bing-revenue-{link}"} <= {link_ for e in hand_written(entries) for link_ in e.links}


def test_a_new_year_files_option_stays_inside_the_horizon():
    # A year file's insert-entry option stands on the day before its year, but never before 1900-01-01
    # (leakledger.periods.HORIZON): a 1900 file dated its option 1899-12-31, which check refuses.
    from leakledger.recording import _option_day

    assert (_option_day(1900), _option_day(1901), _option_day(2024)) == ("1900-01-01", "1900-12-31", "2023-12-31")


def test_a_leaked_figure_said_known_before_its_period_ends_is_recorded_with_checks_warning(first_leak_copy):
    # Z2's audited 2025 revenue, "13.07B", typed with known-since 2025-12-15: a leak of 2025's audited revenue
    # cannot be public before 2025-12-31. `add` records it (as `check` passes it) and says what `check` warns.
    result = add(first_leak_copy, "revenue", "13.07B", "--period", "2025", "--known-since", "2025-12-15")
    assert result.exit_code == 0, result.output
    warning = "; warning: known-since 2025-12-15 precedes the end of its period (2025-12-31): a leaked figure"
    assert warning in result.stdout
    checked = runner.invoke(app, ["check", "--ledger", str(first_leak_copy)])
    assert checked.exit_code == 0 and "known-since 2025-12-15 precedes the end of its period" in checked.output
