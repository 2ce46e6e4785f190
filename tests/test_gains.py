"""A gain is a negative loss share: `add`, leak sheets (beangulp, `import`) and Fava's add form record one.

One rule says which metric may be negative (leakledger.model.sign_error): only
losses-share, whose gain the books post as a negative loss (2025-Q4's ~10B,
FY2026's 6.5B). Every other metric's negative amount is refused in one line
naming that metric, every file as it was.

Figures (docs/sources.md, FACTS): Microsoft's FY2026 10-K (MSK) gives a 6.5B
net gain for the year; its 10-Q (MSQ3) 5.9B for the nine months; so the
quarter to 2026-06-30 (2026-Q2) is a gain of 6.5B − 5.9B = ~600M. The books
post FY2026 as its quarters: 4.1B loss (2025-Q3) − 10B gain (2025-Q4) + 19M
loss (2026-Q1), and 2026-Q2 as what FY2026 leaves:
−6.5B − (4.1B − 10B + 19M) = −619M.
"""

from __future__ import annotations

import datetime
import shlex
from decimal import Decimal

from beancount.core import data
from conftest import snapshot
from fava_client import fava
from leakledger.cli.app import app
from leakledger.importers.leaksheet import LeakSheetImporter
from typer.testing import CliRunner

from leakledger.books import load_books
from leakledger.figures import figures_of

D = Decimal
runner = CliRunner()
MSK = "Microsoft Form 10-K, fiscal year ended 2026-06-30"
LOSSES = "Expenses:Microsoft:OpenAILosses"
#: The 2026-Q2 gain: 6.5B (FY2026) − 5.9B (nine months) = 600M, a negative loss share.
GAIN = D("-600000000.00")
NEGATIVE_PAYMENT = (
    "amount '-600M' is negative: a revenue-share figure is a positive total; only a losses-share figure may be "
    "negative (a gain, Microsoft's net gain from OpenAI, is a negative loss share)"
)


def fy2026_losses(entries) -> Decimal:
    """What the books post to Microsoft's OpenAI losses over FY2026 (2025-07-01..2026-06-30), every entry."""
    first, last = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)
    return sum(
        (
            p.units.number
            for e in entries
            if isinstance(e, data.Transaction) and first <= e.date <= last
            for p in e.postings
            if p.account == LOSSES
        ),
        D(0),
    )


def test_add_records_a_gain_and_the_books_stay_clean(ledger_copy):
    before = snapshot(ledger_copy.parent)
    args = ["losses-share", "-600M", "--period", "2026-Q2", "--kind", "disclosed", "--source", MSK]
    added = runner.invoke(app, ["add", *args, "--ledger", str(ledger_copy)])
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith(
        '2026-06-30 * "Microsoft\'s net gain from OpenAI (equity method) (2026-Q2)" #disclosed ^losses-share-2026-q2\n'
    )
    after = snapshot(ledger_copy.parent)
    assert [name for name in after if after[name] != before[name]] == ["2026.beancount"]
    checked = runner.invoke(app, ["check", "--ledger", str(ledger_copy)])
    assert checked.exit_code == 0 and "no errors" in checked.output, checked.output
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    [gain] = [f for f in figures_of(entries) if f.metric == "losses-share" and f.period.label == "2026-Q2"]
    # "600M" is stated to the million: -600.5M..-599.5M.
    assert (gain.low, gain.amount, gain.high) == (D("-600500000"), GAIN, D("-599500000"))
    # The quarter posts in place of FY2026's remainder, not beside it: 4.1B − 10B + 19M − 600M = −6,481,000,000
    # (within FY2026's "6.5B", -6.55B..-6.45B, as its quarters' ranges allow); with the −619M remainder also
    # posted it would be −7,100,000,000.
    assert fy2026_losses(entries) == D("-6481000000.00")


def test_the_help_says_how_to_record_a_gain_and_its_example_writes_nothing(ledger_copy):
    helped = runner.invoke(app, ["add", "--help"])
    assert helped.exit_code == 0
    assert "a losses-share amount may be negative: a gain, Microsoft's net gain from OpenAI" in helped.stdout
    lines = helped.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("leakledger add losses-share -"))
    example = shlex.split(" ".join(line.strip().removesuffix("\\") for line in lines[start : start + 2]))
    assert example[:3] == ["leakledger", "add", "losses-share"] and "--dry-run" in example
    before = snapshot(ledger_copy.parent)
    shown = runner.invoke(app, [*example[1:], "--ledger", str(ledger_copy)])
    assert shown.exit_code == 0, shown.output
    assert f"  {LOSSES}     -600000000.00 USD\n" in shown.stdout
    assert snapshot(ledger_copy.parent) == before  # the books carry 2026-Q2 already, as FY2026's remainder


def test_a_negative_amount_of_another_metric_is_refused_naming_it(ledger_copy):
    before = snapshot(ledger_copy.parent)
    refused = runner.invoke(
        app, ["add", "revenue-share", "-600M", "--period", "2026-Q2", "--source", MSK, "--ledger", str(ledger_copy)]
    )
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [f"error: {NEGATIVE_PAYMENT}"]
    # A range reaching below zero is negative at its low end, though its midpoint, 200M, is not.
    ranged = runner.invoke(
        app, ["add", "revenue", "-0.1B..0.5B", "--period", "2026-Q2", "--source", MSK, "--ledger", str(ledger_copy)]
    )
    assert ranged.exit_code == 2
    assert ranged.stderr.startswith("error: amount '-0.1B..0.5B' is negative: a revenue figure is a positive total;")
    # A gain the books cannot hold: 4.1B − (9.5B..10.5B) + 19M − 1.3B = −7.681B..−6.681B misses FY2026's
    # −6.55B..−6.45B; at the points, 4.1B − 10B + 19M − 1.3B = −7,181,000,000 against −6,500,000,000.
    too_big = runner.invoke(
        app,
        ["add", "losses-share", "-1,300,000,000", "--period", "2026-Q2", "--source", MSK, "--ledger", str(ledger_copy)],
    )
    assert too_big.exit_code != 0 and too_big.stdout == ""
    [line] = too_big.stderr.splitlines()
    assert "add up to -7,181,000,000.00 USD" in line and "difference -681,000,000.00 USD; nothing was recorded" in line
    assert snapshot(ledger_copy.parent) == before


def test_a_sheet_records_a_gain_through_beangulp_and_refuses_a_negative_payment(books, tmp_path):
    entries, errors, _ = books
    assert errors == []
    sheet = tmp_path / "gain.csv"
    header = "metric,period,amount,source,kind\n"
    sheet.write_text(f'{header}losses-share,2026-Q2,-600M,"{MSK}",disclosed\n')
    [extracted] = LeakSheetImporter().extract(str(sheet), entries)
    assert extracted.narration == "Microsoft's net gain from OpenAI (equity method) (2026-Q2)"
    assert [(p.account, p.units.number) for p in extracted.postings] == [
        (LOSSES, GAIN),
        ("Assets:Microsoft:Investment:OpenAI", -GAIN),
    ]
    sheet.write_text(f'{header}revenue-share,2026-Q2,-600M,"{MSK}",disclosed\n')
    [note] = LeakSheetImporter(refusal_as_note=True).extract(str(sheet), entries)
    assert note.comment == f"error: {sheet.name}:2: {NEGATIVE_PAYMENT}; nothing to import"


def test_fava_s_add_form_saves_a_gain_and_refuses_a_negative_payment(ledger_copy):
    books = fava(ledger_copy)  # the Leak model extension alone, as `fava main.beancount` runs it

    def figure(metric: str, legs) -> dict:
        """Fava's add form's JSON for a figure (its metadata typed as text, as the form sends it)."""
        return {
            "t": "Transaction",
            "date": "2026-06-30",
            "flag": "*",
            "payee": "",
            "narration": "typed in Fava (2026-Q2)",
            "tags": ["disclosed"],
            "links": [],
            "meta": {"metric": metric, "period-start": "2026-04-01", "source": MSK},
            "postings": [{"account": account, "amount": amount, "meta": {}} for account, amount in legs],
        }

    before = snapshot(ledger_copy.parent)
    payment = figure(
        "revenue-share",
        [
            ("Liabilities:OpenAI:Due:Microsoft", "-600000000.00 USD"),
            ("Assets:OpenAI:Cash", "600000000.00 USD"),
            ("Assets:Microsoft:Cash", "-600000000.00 USD"),
            ("Assets:Microsoft:Due:OpenAI", "600000000.00 USD"),
        ],
    )
    refused = books.client.put(f"/{books.slug}/api/add_entries", json={"entries": [payment]})
    assert refused.status_code == 400
    message = NEGATIVE_PAYMENT.replace("'-600M'", "'-600000000.00'")
    assert refused.get_json() == {"error": f"error: {message}; nothing was written"}
    assert snapshot(ledger_copy.parent) == before
    # The gain, its investment leg left for Beancount to fill in: read from the loss leg, saved.
    gain = figure("losses-share", [(LOSSES, "-600000000.00 USD"), ("Assets:Microsoft:Investment:OpenAI", "")])
    saved = books.client.put(f"/{books.slug}/api/add_entries", json={"entries": [gain]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    after = snapshot(ledger_copy.parent)
    assert [name for name in after if after[name] != before[name]] == ["2026.beancount"]
    entries, errors, _ = load_books(ledger_copy)
    assert errors == []
    assert fy2026_losses(entries) == D("-6481000000.00")  # 4.1B − 10B + 19M − 600M, as `add` leaves it


def test_a_negative_figure_written_by_hand_is_an_error_at_its_line(ledger_copy):
    """Fava's editor or a text editor can write what `add` refuses: the figures plugin applies the same sign rule
    on every load. An inference figure of -5,000,000 (OpenAI's expense credited, Azure's income debited: each
    entity balanced) read as spend made the 2026 total 12,437,100,000 - 5,000,000 = 12,432,100,000, with no
    error; a revenue figure posting 200M whose `low:` is -100M is negative at its low end too."""
    hand = ledger_copy.parent / "2026.beancount"
    with hand.open("a", encoding="utf-8") as text:
        text.write(
            '\n2026-09-30 * "OpenAI inference spend (2026-Q3)" #leaked\n  metric: "inference"\n'
            '  period-start: 2026-07-01\n  source: "by hand"\n'
            "  Expenses:OpenAI:Compute:Inference  -5000000.00 USD\n  Assets:OpenAI:Cash  5000000.00 USD\n"
            "  Assets:Microsoft:Cash  -5000000.00 USD\n  Income:Microsoft:Azure:OpenAICompute  5000000.00 USD\n"
            '\n2026-09-30 * "OpenAI revenue (2026-Q3)" #leaked\n  metric: "revenue"\n'
            '  period-start: 2026-07-01\n  source: "by hand"\n  low: -100000000.00 USD\n  high: 500000000.00 USD\n'
            "  Assets:OpenAI:Cash  200000000.00 USD\n  Income:OpenAI:Revenue  -200000000.00 USD\n"
        )
    _, errors, _ = load_books(ledger_copy)
    said = [e.message for e in errors]
    assert (
        "amount -5,000,000.00 USD is negative: an inference figure is a positive total; only a losses-share figure "
        "may be negative (a gain, Microsoft's net gain from OpenAI, is a negative loss share)"
    ) in said
    assert any(m.startswith("amount -100,000,000.00 USD is negative: a revenue figure") for m in said)
    assert len(said) == 2, said
