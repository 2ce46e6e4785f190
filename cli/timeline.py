"""`leakledger timeline`: each knowledge date, the sources that arrived, and what they moved."""

from __future__ import annotations

from pathlib import Path

import typer
from leakledger.cli import output
from leakledger.cli.app import app


@app.command()
def timeline(
    since: str = typer.Option(None, "--since", metavar="DATE", help="Only knowledge dates from DATE (YYYY-MM-DD)."),
    fmt: output.Format = output.format_option(),
    ledger: Path = output.ledger_option(),
    scenario: str = output.scenario_option(),
) -> None:
    """What we knew when: for each known-since date, the sources, their entries, and every number they moved.

    The numbers are the report's by year, each company's income statement,
    every figure of the reconciliation (a stake or a margin as percent), the
    balances the sources state, the rates and the caps, as known the day
    before and on the day ("not known" where the books had none); "≥" marks a
    lower bound. CSV and JSON give each as a number: the value, its low and
    high ends, its kind, its unit and its text.
    """
    import pandas as pd

    from leakledger.timeline import TIMELINE_COLUMNS, timeline_records
    from leakledger.timeline import timeline as walk

    day = output.as_of_date(since, "--since")
    path = output.ledger_path(ledger, scenario)
    arrivals = walk(path, since=day)
    sections = []
    for arrival in arrivals:
        rows = [[m.what, m.before, m.after] for m in arrival.moves]
        count = len(arrival.entries)
        notes = [f"{count} entr{'y' if count == 1 else 'ies'}: " + "; ".join(arrival.entries[:6])]
        if count > 6:
            notes[0] += f"; … {count - 6} more"
        if not rows:
            notes.append("moved no number the report or the reconciliation shows")
        title = f"{arrival.day}: {'; '.join(arrival.sources) or 'no source named'}"
        sections.append(output.Section(title, ["what", "before", "after"], rows, notes=notes))
    if not arrivals:
        since_text = f" on or after {day}" if day is not None else ""
        sections.append(
            output.Section(f"nothing became known in these books{since_text}", ["what", "before", "after"], [])
        )
    frame = pd.DataFrame(timeline_records(arrivals), columns=list(TIMELINE_COLUMNS), dtype=object)
    output.emit(frame.where(frame.notna(), None), fmt, sections)
