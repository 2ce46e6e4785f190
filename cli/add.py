"""`leakledger add`: record one newly leaked figure, safely.

Parsing, mapping and checks live in leakledger.figure_request, the file
edits in leakledger.recording, the lock/atomic write/rollback in
leakledger.writer; this module only reads the command line and prints.
"""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli.app import app
from leakledger.cli.output import ledger_option
from typer.core import TyperCommand

from leakledger.book_paths import books_or_found
from leakledger.errors import Refused
from leakledger.model import KINDS, METRICS, with_article

_EPILOG = "\b\n" + "\n".join(
    [
        "Metrics:",
        *(f"  {name:<21} {metric.summary}" for name, metric in METRICS.items()),
        "",
        "\b",
        "Amounts: 493800000, 493,800,000, 493.8M, $493.8 million, 8.67B, 8.67 billion, $1.2bn",
        "         (written in full: exact; rounded, 493.8M: the range its digits state, 493.75M..493.85M)",
        "Ranges:  0.5B..1.5B (posts the midpoint), 'at least 3.5B', 'at most 2B', ~3.8B",
        "Periods: 2024, 2025-Q3, 2025-H1, 2025-09, 2025-01..2025-09",
        "",
        "\b",
        "Signs:   amounts are positive totals, but",
        *(
            f"         {with_article(m.name)} amount may be negative: {m.negative}"
            for m in METRICS.values()
            if m.negative
        ),
        "         To record a gain, give it with a minus sign (the books already carry 2026-Q2 as",
        "         what FY2026's 6.5B gain leaves, -619M, so this example only prints):",
        "           leakledger add losses-share -600M --period 2026-Q2 --kind disclosed \\",
        '             --source "Microsoft Form 10-K, fiscal year ended 2026-06-30" --dry-run',
    ]
)


class _PlainHelp(TyperCommand):
    """Click's plain help: it keeps the metric list one line each at any terminal width."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rich_markup_mode = None


@app.command(
    cls=_PlainHelp,
    epilog=_EPILOG,
    context_settings={"ignore_unknown_options": True},  # so "-5M" reaches the amount check
)
def add(
    metric: str = typer.Argument(..., metavar="METRIC", help="What the figure measures (see Metrics below)."),
    amount: str = typer.Argument(
        ...,
        metavar="AMOUNT",
        help="The total, as written: 493.8M, $1.2bn, 8,670,000,000, or a range: 0.5B..1.5B, 'at least 3.5B', ~3.8B.",
    ),
    period: str = typer.Option(
        ..., "--period", help="The span it covers: 2024, 2025-Q3, 2025-H1, 2025-09, 2025-01..2025-09."
    ),
    source: str = typer.Option(..., "--source", help="Who published it."),
    url: str = typer.Option(None, "--url", help="Where it was published."),
    kind: str = typer.Option("leaked", "--kind", help=f"One of: {', '.join(KINDS)}."),
    note: str = typer.Option(None, "--note", help="Anything a reader should know."),
    cumulative: bool = typer.Option(
        False,
        "--cumulative",
        help="AMOUNT is year-to-date through the end of PERIOD: recorded as the total from January 1, which figures inside it refine.",
    ),
    supersede: bool = typer.Option(
        False, "--supersede", help="Replace the overlapping figures of this metric (they stay as records)."
    ),
    known_since: str = typer.Option(
        None,
        "--known-since",
        metavar="DATE",
        help="The day its source made it public, YYYY-MM-DD (default: today). --as-of leaves it out before then.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the transaction; write nothing."),
    ledger: Path = ledger_option(),
) -> None:
    """Record one figure as a transaction in both entities' books, and print it."""
    import datetime

    from leakledger.figure_request import FigureRequest
    from leakledger.recording import plan_text, record_figures

    known = known_since if known_since is not None else datetime.date.today().isoformat()
    request = FigureRequest(metric, amount, period, source, kind, url, note, cumulative, supersede, known)
    recorded = record_figures(books_or_found(ledger), [request], dry_run=dry_run)
    plan = recorded.plans[0]
    if plan.duplicate_of is not None:
        raise Refused(plan_text(plan).lstrip("; ").strip())
    typer.echo(plan_text(plan), nl=False)
    if dry_run:
        typer.echo("dry run: nothing written", err=True)
    else:
        typer.echo(f"recorded in {', '.join(str(p) for p in recorded.written)}", err=True)
