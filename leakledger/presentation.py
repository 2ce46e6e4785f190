"""How figures read, for people and for programs: the one formatting the CLI, the Fava page and publish share.

For people (terminal tables, markdown, the Leak model page, the published
site): thousands separators, cents only where there are any, a lower bound
as "≥" and the ratio over it as "≤", a cell no figure covers left blank.
For programs (CSV, JSON): exact decimal text for money and ratios
(`493800000.00`, `1.53`; JSON strings, so no reader turns them into floats),
ISO dates, empty or null where no figure covers a cell.

This sits above the tables (leakledger.reports, leakledger.statements) and
below the renderers; it imports no front end.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from leakledger.intervals import Interval
from leakledger.periods import Period
from leakledger.table_numbers import (
    MICROSOFT_SHARE_ENDED,
    OPENAI_SHARE_CAPPED,
    SOLVED_NOT_IMPLIED,
    missing,
    plain,
    row_interval,
    running,
)

__all__ = [
    "PERIOD_HEADERS",
    "WITH_RECORDED",
    "TOTAL_LABELS",
    "BOUND_NOTE",
    "RANGE_NOTE",
    "POSTED_UNDER_NOTE",
    "LOWER_NOTE",
    "range_note",
    "PARTIAL_MARK",
    "partial_note",
    "CAPPED_MARK",
    "capped_note",
    "ended_note",
    "merged_note",
    "lower_by_revenue",
    "NOT_KNOWN",
    "not_known_note",
    "ratio_over_note",
    "BASE_IS_GAP",
    "base_is_gap",
    "PARTIAL_NOTE",
    "NO_FIGURE",
    "NOT_APPLICABLE",
    "blank_words",
    "STATEMENT_PARTIAL_NOTE",
    "statement_notes",
    "partial_mark",
    "cell_covers",
    "money_text",
    "compact_money",
    "range_text",
    "ratio_range_text",
    "interval_kind",
    "short_range",
    "shared_notes",
    "cell_text",
    "value_text",
    "metric_sources",
    "bracket_text",
    "short_money",
    "ratio_text",
    "ratio_cell_text",
    "rate_text",
    "rule_text",
    "number_text",
    "period_cells",
    "period_headers",
    "statement_cell_text",
    "statement_cells",
    "balance_cells",
    "percent_range_text",
    "spreadsheet_safe",
    "to_json",
    "to_csv",
    "to_markdown",
]

#: The period table's columns as people read them, in the order they are shown.
PERIOD_HEADERS = {
    "period": "period",
    "book": "book",
    "covered": "covers",
    "net_payment": "net payment",
    "openai_share": "OpenAI 20%",
    "microsoft_share": "Microsoft 20%",
    "implied_revenue": "implied revenue",
    "inference": "inference",
    "inference_to_revenue": "inference ÷ revenue",
}

#: A statement's computed lines, as people read them.
TOTAL_LABELS = {"income": "total income", "expenses": "total expenses", "net": "net result"}
#: A total or net with nothing recorded under it: not 0.
NO_FIGURE = "no figure"
#: A cell that can hold no figure by what its column is (a cap's accrual where no cap holds): not unknown.
NOT_APPLICABLE = "not applicable"
#: Why a reconciliation row's reconciling base is not applicable where its metric is no revenue.
_BASE_NOT_APPLICABLE = (
    "not applicable: a Microsoft revenue base is what squares a reported OpenAI revenue with the net payments; "
    "this row is no revenue"
)


def blank_words(row: Mapping[str, Any], column: str) -> tuple[str, str]:
    """(what a blank reconciliation cell says, why) for the pages: the row's own `<column>_blank` (the gap, a
    revenue row's base: "not compared", "not known", ...), else "no figure" of the column's kind."""
    said = row.get(f"{column}_blank")
    if not isinstance(said, str) or not said:
        if column == "reconciling_base":
            said = _BASE_NOT_APPLICABLE
        elif column == "gap":
            said = "not compared: the row holds no figure to compare"
        else:  # a kind no source gives for the row: nothing is missing, the sources that give one are beside it
            return NO_FIGURE, f"no {column} figure for {row.get('metric')}, {row.get('period')}"
    words, _, _ = said.partition(": ")
    return words, said


#: Under a statement with a cell marked "†".
STATEMENT_PARTIAL_NOTE = "†: some of the cell's figures cover less than its column's period"
#: What "≥" means under a company's income statement.
BOUND_NOTE = (
    "≥: a lower bound (≤: an upper bound). A Microsoft revenue base with a share in force (Bing, Azure OpenAI "
    "Service) has no recorded figure for the period, so it is taken as zero and every line marked grows with it; "
    "or a figure is stated as at least (at most) an amount, and so is what it feeds."
)


#: Under a table with a range in it: what a range is, and what the number under it is.
RANGE_NOTE = (
    "A range (730M–750M) holds every value the figures allow at the precision their sources state "
    '(an audited "3.7B" is 3.65B–3.75B); each share and base derived from such a figure carries the range '
    "its inputs allow"
)
#: After RANGE_NOTE, under a table that writes the posted number under each range (the pages do).
POSTED_UNDER_NOTE = "The number under a range is the one the books post: its midpoint, or its one end"
#: Under a table with a lower bound ("≥") in it.
LOWER_NOTE = (
    "≥: a lower bound, the interval [x, ∞): a Microsoft revenue base in force has no recorded figure, "
    "so it is taken as zero, or a figure is stated as at least an amount, or part of a total is not known (a note "
    "says which); ≤: the ratio over it"
)


def range_note(interval: Interval, posted: Decimal, point: Callable[[Decimal], str] = running) -> str:
    """The line under a ranged cell: "midpoint 740,000,000", "posted 740,000,000" (an end), or "lower bound".

    `point` writes the posted value (`rate_text` for a ratio: "midpoint 27%").
    """
    if interval.high is None:
        return "lower bound"
    if interval.low is None:
        return "upper bound"
    return f"{'midpoint' if posted == interval.midpoint else 'posted'} {point(posted)}"


#: After a money cell that covers less than its base ("281,250,000 (partial)"): never shown as the whole.
PARTIAL_MARK = " (partial)"


def partial_note(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The note under a period table with partial Microsoft shares: which bases each row leaves out."""
    parts = [f"{row['period']}: {row['microsoft_share_partial']}" for row in rows if row.get("microsoft_share_partial")]
    if not parts:
        return None
    return (
        "(partial): the Microsoft 20% covers less than its base, a base in force has no figure ("
        + "; ".join(parts)
        + ")"
    )


def money_text(value: Decimal | None) -> str:
    """Decimal("2469000000.00") -> "2,469,000,000"; cents only when there are any; blank when missing."""
    return "" if value is None or missing(value) else running(value)


_COMPACT = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"))


#: The most places a scaled end of a range keeps ("41.7208B", not "41.72082857143B" of a projected share).
_END_PLACES = Decimal("0.0001")


def compact_money(value: Decimal, rounding: str | None = None) -> str:
    """Decimal("1645500000") -> "1.6455B": scaled, every digit kept; with `rounding` (an end of a range:
    ROUND_FLOOR for its low end, ROUND_CEILING for its high end), at most four places, rounded outward only."""
    for unit, suffix in _COMPACT:
        if abs(value) >= unit:
            scaled = value / unit
            if rounding is not None and scaled != scaled.quantize(_END_PLACES, rounding):
                scaled = scaled.quantize(_END_PLACES, rounding)
            return f"{scaled.normalize():f}{suffix}"
    return running(value)


def interval_kind(interval: Interval | None) -> str:
    """What a number is, in the words a tooltip uses: exact, range, lower bound, upper bound, or not known."""
    if interval is None or (interval.low is None and interval.high is None):
        return "not known"
    if interval.is_exact:
        return "exact"
    if interval.high is None:
        return "lower bound"
    return "upper bound" if interval.low is None else "range"


def _interval_words(interval: Interval | None, point: Callable[[Decimal], str], bounded: str, unknown: str) -> str:
    """An interval in words: `point` of an exact value or an open range's end ("≥ x"), `bounded` for a range."""
    kind = interval_kind(interval)
    if interval is None or kind == "not known":
        return unknown
    if kind == "range":
        return bounded
    end = interval.high if kind == "upper bound" else interval.low
    assert end is not None  # exact, or one end open: the other is known
    return {"upper bound": "≤ ", "lower bound": "≥ "}.get(kind, "") + point(end)


def range_text(interval: Interval | None, *, unknown: str = "", point: Callable[[Decimal], str] = running) -> str:
    """An interval as people read it: exact "2,469,000,000", "1.6455B–3.1455B", "≥ 2,469,000,000", "≤ 1.53".

    Both ends open (or no interval) is `unknown`: a view says why nothing is known, never zero. `point`
    writes an exact value or a bound's end (`compact_money` for a picture's label: "2.469B", every digit
    kept); a range's ends are rounded outward, so a label never excludes a value the figures allow.
    """
    low, high = (None, None) if interval is None else (interval.low, interval.high)
    # "-8.5938B to -8.4738B", not "-8.5938B–-8.4738B"
    dash = " to " if low is not None and low < 0 else "–"
    bounded = (
        ""
        if low is None or high is None
        else f"{compact_money(low, ROUND_FLOOR)}{dash}{compact_money(high, ROUND_CEILING)}"
    )
    return _interval_words(interval, point, bounded, unknown)


def ratio_range_text(interval: Interval) -> str:
    """A ratio's interval as running text says it: "2.01x" exact, "0.97x–1.03x" a range, "≤ 11.37x" a bound."""
    low, high = interval.low, interval.high
    bounded = "" if low is None or high is None else f"{low}x–{high}x"
    return _interval_words(interval, lambda end: f"{end}x", bounded, "")


def percent_range_text(interval: Interval | None) -> str:
    """A ratio's interval as percentages: "26.5%–27.5%" (an "about 27%"), "≥ 20%", exact "27%"; "" unknown."""
    low, high = (None, None) if interval is None else (interval.low, interval.high)
    bounded = "" if low is None or high is None else f"{rate_text(low)}–{rate_text(high)}"
    return _interval_words(interval, rate_text, bounded, "")


def short_range(interval: Interval | None) -> str:
    """A chart label: "2.47B" exact, "≥ 2.469B" open above (its end rounded down, never up), "≈ 925M" (the
    midpoint) for a range; "" unknown.

    A bar label must fit over its bar; the whisker draws the range, and the
    tooltip and the table state it.
    """
    kind = interval_kind(interval)
    if interval is not None and kind in ("lower bound", "upper bound"):  # the end rounded outward, never inward
        return range_text(
            interval, point=lambda end: compact_money(end, ROUND_FLOOR if interval.high is None else ROUND_CEILING)
        )
    middle = None if interval is None else interval.midpoint
    return _interval_words(interval, short_money, "" if middle is None else f"≈ {short_money(middle)}", "")


def shared_notes(rows: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The reconciliation's words that stand under several rows of one metric, each to be said once.

    {(metric, words): {"number", "periods", "words"}}, numbered in order: the
    Leak model page and the published site mark each row "[n]" and say the
    words once after the metric's rows, naming the periods ("[1] 2024-Q1, ...,
    2025-Q3: lower bound: ..."), as the CLI's footnotes do. Words the books'
    errors make wrong (`implies` in a row's `suspect`) stay under their row.
    """
    periods: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        words = row.get("implies")
        if isinstance(words, str) and words and "implies" not in (row.get("suspect") or ()):
            periods.setdefault((str(row["metric"]), words), []).append(str(row["period"]))
    shared = [(key, found) for key, found in periods.items() if len(found) > 1]
    return {key: {"number": n, "periods": found, "words": key[1]} for n, (key, found) in enumerate(shared, 1)}


def metric_sources(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Per metric of the reconciliation, the sources most of its rows name (where two or more do).

    Said once over the metric's rows ("Sources, unless a row says otherwise:
    ..."); a row naming other sources keeps its own line.
    """
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        if isinstance(sources := row.get("sources"), str) and sources:
            named = counts.setdefault(str(row["metric"]), {})
            named[sources] = named.get(sources, 0) + 1
    common = {metric: max(named.items(), key=lambda item: item[1]) for metric, named in counts.items()}
    return {metric: sources for metric, (sources, count) in common.items() if count > 1}


def cell_text(row: Mapping[str, Any], column: str) -> str:
    """A money cell for people: its range where `<column>_low`/`_high` say it is one ("730M–750M"), else its amount."""
    return range_text(row_interval(row, column)) if has_range(row, column) else money_text(row.get(column))


def value_text(row: Mapping[str, Any], column: str) -> str:
    """A reconciliation cell in its row's unit: a ratio row's figure as percentages ("26.5%–27.5%" for an
    "about 27%", "39%"), never as dollars; money as `cell_text`. The reconciling base is money in every row."""
    if row.get("unit") == "ratio" and column != "reconciling_base":
        return percent_range_text(row_interval(row, column))
    return cell_text(row, column)


def has_range(row: Mapping[str, Any], column: str) -> bool:
    """Whether a cell carries its range beside it (`<column>_low`/`_high`): `cell_text` then says "≥" itself."""
    return not (missing(row.get(f"{column}_low")) and missing(row.get(f"{column}_high")))


def bracket_text(interval: Interval) -> str:
    """An interval as explain writes its arithmetic: "[236,200,000, 256,200,000]", "[2,469,000,000, ∞)".

    Every digit kept (an end is never rounded); an open end is written as such, never as a number.
    """
    low = "(−∞" if interval.low is None else f"[{running(interval.low)}"
    high = "∞)" if interval.high is None else f"{running(interval.high)}]"
    return f"{low}, {high}"


_SCALES = tuple((Decimal(10) ** power, suffix) for power, suffix in ((12, "T"), (9, "B"), (6, "M"), (3, "K")))


def short_money(value: Decimal) -> str:
    """2469000000 -> "2.47B" (Decimal rounding, so 941,775,000 is "941.78M" everywhere): chart labels and ticks."""
    magnitude = abs(value)
    for bound, suffix in _SCALES:
        if magnitude >= bound:
            return f"{value / bound:.2f}".rstrip("0").rstrip(".") + suffix
    return f"{value:.0f}"


def rate_text(rate: Decimal) -> str:
    """Decimal("0.20") -> "20%", Decimal("0.125") -> "12.5%", 0 -> "0%": a share's rate as people read it."""
    return f"{(rate * 100).normalize():f}%"


def rule_text(base: str, payee: str, rate: Decimal) -> str:
    """A revenue-share rule as people read it: "Income:Microsoft:Bing → OpenAI 20%"."""
    return f"{base} → {payee} {rate_text(rate)}"


def number_text(value: Decimal | int, qualifier: str | None = None) -> str:
    """A bare number a figure record states: 0.27 -> "27% (0.27)", 3 -> "3"; "about 27% (0.27)" with its qualifier.

    Such a number (a stake, a margin, a rate) has no currency; one within
    -1..1 is a fraction, so it reads as the percent and as written.
    """
    number = Decimal(value)
    text = f"{rate_text(number)} ({number:f})" if abs(number) <= 1 else f"{number:f}"
    return f"{qualifier} {text}" if qualifier else text


def ratio_text(value: Decimal | None) -> str:
    """A ratio as the report rounded it (once, to 0.01): "1.53"; blank when missing."""
    return "" if missing(value) else f"{value}"


def ratio_cell_text(record: Mapping[str, Any], column: str = "inference_to_revenue") -> str:
    """A period table's ratio cell, the same digits in every view (report, the Leak model page, the site).

    "1.53" exact; "1.0045–1.0321" over a ranged revenue, the ends as the report rounded them (outward);
    "≤ 1.53" over a revenue that is a lower bound (the ratio is then open below), the mark written once;
    "" when missing (the view says why).
    """
    value = record.get(column)
    if missing(value):
        return ""
    low, high = record.get(f"{column}_low"), record.get(f"{column}_high")
    if missing(low) and missing(high):
        return f"≤ {value}" if record.get("revenue_bound") == "lower" else ratio_text(value)
    if record.get("revenue_bound") == "lower" or missing(low):
        return f"≤ {value if missing(high) else high}"
    return f"≥ {low}" if missing(high) else f"{low}–{high}"


#: Under a period table with a recorded revenue column: why no revenue is implied beside it (its cell says
#: "not implied", leakledger.blank_cells).
RECORDED_NOTE = "implied revenue: none where OpenAI's revenue is recorded ({periods}): " + SOLVED_NOT_IMPLIED
#: The period table's columns with OpenAI's recorded revenue beside the implied (the report's and the site's).
_IMPLIED_AT = list(PERIOD_HEADERS).index("implied_revenue")
WITH_RECORDED = dict(
    [
        *list(PERIOD_HEADERS.items())[:_IMPLIED_AT],
        ("recorded_revenue", "recorded revenue"),
        *list(PERIOD_HEADERS.items())[_IMPLIED_AT:],
    ]
)


def period_headers(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The period table's columns for these rows: with recorded revenue where some row records one, as report
    shows it (a column blank throughout says nothing)."""
    return WITH_RECORDED if any(not missing(row.get("recorded_revenue")) for row in rows) else PERIOD_HEADERS


def period_cells(frame: Any, headers: Mapping[str, str] = PERIOD_HEADERS) -> tuple[list[str], list[list[str]]]:
    """Headers and text cells of a period table (or a comparison of them) for people.

    A lower-bound revenue reads "≥ 2,469,000,000", and the ratio over it "≤ 1.53";
    a range "730M–750M". `headers`: the columns shown, in order (PERIOD_HEADERS, or WITH_RECORDED).
    """
    columns = [c for c in headers if c in frame.columns]
    rows, previous = [], None
    for record in frame.to_dict(orient="records"):
        covered = record.get("covered")
        covered = "" if covered in (None, record["period"]) or covered != covered else str(covered)
        cells = []
        for column in columns:
            value = record[column]
            if column == "covered":
                text = covered
            elif column == "inference_to_revenue":
                text = ratio_cell_text(record)
                if not text and isinstance(record.get("ratio_blank"), str):
                    text = record["ratio_blank"].split(":")[0]  # "spans differ", "no revenue figure"
            elif column == "period":
                # In a comparison, a period's label heads its first row only.
                text = "" if "book" in columns and value == previous else str(value)
                previous = value
            elif column == "book":
                text = str(value)
            else:
                text = cell_text(record, column)  # a range: 1.6455B–3.1455B, or "≥ x" when open above
                ranged = not (missing(record.get(f"{column}_low")) and missing(record.get(f"{column}_high")))
                if lower_by_revenue(record, column) and text and not ranged:
                    text = f"≥ {text}"  # OpenAI's 20% of a lower-bound revenue is one too (unless a cap holds it)
                if column == "openai_share" and text and _capped(record):
                    text += CAPPED_MARK  # a cap cut it or holds it at 0: a note under the table says which
                if column == "microsoft_share" and not text and isinstance(record.get("microsoft_share_blank"), str):
                    text = NOT_KNOWN  # the books say why: a note under the table (`not_known_note`)
                if column == "microsoft_share" and text and _ended(record):
                    text += ENDED_MARK  # a known 0: the share ended; a note under the table says when
                if column == "microsoft_share" and text and isinstance(record.get("microsoft_share_partial"), str):
                    text += PARTIAL_MARK  # less than its base; a span mark (†) may follow
                text += partial_mark(record, column, covered) if text else ""
            cells.append(text)
        rows.append(cells)
    return [headers[c] for c in columns], rows


def _capped(record: Mapping[str, Any]) -> str | None:
    why = record.get(OPENAI_SHARE_CAPPED)
    return why if isinstance(why, str) and why else None


def lower_by_revenue(record: Mapping[str, Any], column: str) -> bool:
    """Whether a period-table cell is a lower bound because its row's implied revenue is one.

    The implied revenue, and OpenAI's 20% of it; not that 20% where a cap
    cut it or holds it at 0: min(share, what the cap leaves) is exact once
    the share reaches it, so the cell's own range says what it is.
    """
    if column == "openai_share" and _capped(record):
        return False
    return column in ("implied_revenue", "openai_share") and record.get("revenue_bound") == "lower"


#: After an OpenAI 20% a cap cut or holds at 0 ("0 (capped)"): a known 0, never a blank.
CAPPED_MARK = " (capped)"


def capped_note(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The note under a period table with a capped OpenAI 20%: the cap and when it was reached, and which rows."""
    return _mark_note(rows, _capped, "(capped): the OpenAI 20% is held by a cap", "capped: ")


#: After a Microsoft 20% that is 0 because no rule puts a rate on its bases any more ("0 (ended)").
ENDED_MARK = " (ended)"


def _ended(record: Mapping[str, Any]) -> str | None:
    why = record.get(MICROSOFT_SHARE_ENDED)
    return why if isinstance(why, str) and why else None


def ended_note(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The note under a period table where Microsoft's 20% is 0 because it ended: since when, and which rows."""
    return _mark_note(rows, _ended, "(ended): Microsoft's 20% is 0 because it ended", "ended: ")


def _mark_note(rows: Sequence[Mapping[str, Any]], why_of: Callable, head: str, said: str) -> str | None:
    """One note for a mark after cells ("(capped)"): `head`, then each reason once with the rows it holds for."""
    periods: dict[str, list[str]] = {}
    for row in rows:
        if why := why_of(row):
            periods.setdefault(why, []).append(str(row["period"]))
    if not periods:
        return None
    return (
        f"{head} (" + "; ".join(f"{', '.join(found)}: {why.removeprefix(said)}" for why, found in periods.items()) + ")"
    )


def merged_note(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The note under a period table with rows longer than its grain: which rows, and the figures known only over
    them ("2024, 2025: whole years, not quarters: ..."): on purpose (a figure is never split), and said so."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        by, columns = row.get("merged_from"), row.get("merged_by")
        if isinstance(by, str) and isinstance(columns, str) and by and columns:
            whole = Period(row["start"], row["end"]).grain or "span"
            groups.setdefault((by, columns, whole), []).append(str(row["period"]))
    parts = []
    for (by, columns, whole), periods in groups.items():
        named = ", ".join(WITH_RECORDED.get(c, c) for c in columns.split(", "))
        rows_are = f"whole {_plural(whole)}" if len(periods) > 1 else f"a whole {whole}"
        parts.append(
            f"{', '.join(periods)}: {rows_are}, not {_plural(by)}, as the books know {named} there only for the "
            f"whole {whole} (a figure is never split into {_plural(by)})"
        )
    return "; ".join(parts) or None


def _plural(grain: str) -> str:
    return "halves" if grain == "half" else f"{grain}s"


#: Under a table with a cell marked "†".
PARTIAL_NOTE = (
    "†: the cell's figures cover less than its row's period, the span in the covers column; (SPAN): they cover SPAN"
)


#: A cell the books cannot know (never blank, never zero): a note under the table says why.
NOT_KNOWN = "not known"


def marks_said(text: str) -> list[str]:
    """What a table cell's marks say, in words, for a page that states the cell on its own (a figure page):
    "≥ 16,683,000,000 †" is a lower bound, some of whose figures cover less than its column's period."""
    said = []
    if text.startswith("≥"):
        said.append("a lower bound, at least that")
    elif text.startswith("≤"):
        said.append("an upper bound, at most that")
    elif "–" in text or " to " in text:
        said.append("a range, what the figures' stated precision allows")
    if text.startswith(NOT_KNOWN):
        said.append("not known, and the books say why under the table")
    if "†" in text:
        said.append("some of its figures cover less than its column's period")
    if PARTIAL_MARK.strip() in text:
        said.append("partial: less than its base")
    if CAPPED_MARK.strip() in text:
        said.append("a cap cut it or holds it")
    return said or ["exact, from the figures below"]


def not_known_note(rows: Sequence[Mapping[str, Any]], column: str = "microsoft_share") -> str | None:
    """The note under a period table with a cell of `column` not known: each row's reason (its `<column>_blank`,
    from the report), each said once with the rows it holds for. A Microsoft 20% says too what part of a share
    is not known beside the part that is (a total's "≥"); another column only where it has no figure."""
    by_reason: dict[str, list[str]] = {}  # rows with one reason said once: "2024-Q1, 2024-Q2: ..."
    for row in rows:
        why = row.get(f"{column}_blank")
        if isinstance(why, str) and why and (column == "microsoft_share" or missing(row.get(column))):
            by_reason.setdefault(why, []).append(str(row["period"]))
    parts = [f"{', '.join(periods)}: {reason}" for reason, periods in by_reason.items()]
    return "; ".join(parts) if parts else None


def ratio_over_note(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The note under a period table whose ratio divides by recorded revenue somewhere: which rows."""
    over = [row for row in rows if row.get("ratio_over") == "recorded"]
    if not over:
        return None
    stated = [
        f"{row['period']}: {money_text(row.get('recorded_revenue'))} stands for {cell_text(row, 'recorded_revenue')}"
        for row in over
        if not (missing(row.get("recorded_revenue_low")) and missing(row.get("recorded_revenue_high")))
    ]
    return (
        f"inference ÷ revenue: over OpenAI's recorded revenue ({', '.join(str(row['period']) for row in over)}), "
        "else over implied revenue"
        + (f"; a range where the revenue is stated as one ({'; '.join(stated)})" if stated else "")
    )


def cell_covers(record: Mapping[str, Any], column: str) -> str | None:
    """The span a period-table cell's figures cover ("2025-01..2025-09") where it is less than its row's period."""
    span = record.get(f"{column}_covers")
    if not isinstance(span, str) or "start" not in record:
        return None
    return None if span == Period(record["start"], record["end"]).label else span


def partial_mark(record: dict, column: str, covered: str) -> str:
    """A money cell's mark where its figures cover less than its row's period.

    " †" where the covers column says what they cover, " (SPAN)" where it says otherwise; else "".
    """
    span = cell_covers(record, column)
    if span is None:
        return ""
    return " †" if span == covered else f" ({span})"


#: Under a reconciliation whose reconciling-base column went because it equals the gap in every row.
BASE_IS_GAP = (
    "Reconciling Microsoft base: the Microsoft base that squares a reported revenue with the net payment, "
    "(OpenAI's rate x reported - payment) / Microsoft's rate; with both rates 20% and no Microsoft base "
    "recorded it equals the gap, so it is not shown twice"
)


def base_is_gap(rows: Any) -> bool:
    """Whether every reconciling base among these reconciliation rows equals its row's gap (and there is one)."""
    pairs = [(r.get("reconciling_base"), r.get("gap")) for r in rows]
    bases = [(r, base, gap) for r, (base, gap) in zip(rows, pairs) if not missing(base)]
    # the same number and the same kind: a gap that is a bound ("≤ 1.281B") is not the base it bounds
    ends = ("low", "high")
    return bool(bases) and all(
        base == gap and all(_same(r.get(f"reconciling_base_{e}"), r.get(f"gap_{e}")) for e in ends)
        for r, base, gap in bases
    )


def _same(one: Any, other: Any) -> bool:
    """Two cells alike, missing ones (None, NaN) alike too."""
    return (missing(one) and missing(other)) or one == other


def statement_cell_text(cell: Any) -> str:
    """A statement cell's number: its range where it has one ("730M–750M", "≥ x"), else its amount; "" if none;
    " †" after it where its figures cover less than its column (the timeline's moves and the table alike)."""
    interval = getattr(cell, "interval", None)
    if interval is not None:
        text = range_text(interval)
    else:
        text = money_text(cell.amount)
        text = f"≥ {text}" if cell.lower_bound and text else text
    return text + (" †" if text and getattr(cell, "partial", False) else "")


def statement_notes(statement: Any) -> list[str]:
    """The notes under a company's income statement, wherever it shows: what "≥" and "†" mean where a cell has
    them, why each line not known is, and what a line blank throughout is."""
    notes = [BOUND_NOTE] if statement.bounded else []
    notes += [STATEMENT_PARTIAL_NOTE] if any(c.partial for c in statement.cells.values()) else []
    notes += [f"{NOT_KNOWN}: {why}" for why in statement.not_known]
    blanks = list(getattr(statement, "blank_notes", ()))  # what the other notes leave unsaid
    return notes + list(statement.blank_lines) + blanks + list(getattr(statement, "stated", ()))


def statement_cells(statement: Any) -> tuple[list[str], list[list[str]], int]:
    """A `leakledger.statements.Statement` as headers, text rows (lines down, periods across) and the net row's index."""
    rows = []
    for line in statement.lines:
        cells = [TOTAL_LABELS.get(line.key, line.key)]
        for label in statement.labels:
            cell = statement.cell(line.key, label)
            text = statement_cell_text(cell)
            if cell.amount is None and getattr(cell, "not_known", None):
                text = NOT_KNOWN  # the books say why: `Statement.not_known`, under the table
            cells.append(NO_FIGURE if line.is_total and cell.amount is None and text != NOT_KNOWN else text)
        rows.append(cells)
    net = next(i for i, line in enumerate(statement.lines) if line.key == "net")
    headers = [
        f"{label} ({statement.covered_label(label)})" if label in statement.covered else label
        for label in statement.labels
    ]
    return ["line", *headers], rows, net


def balance_cells(statement: Any) -> tuple[list[str], list[list[str]], list[str]]:
    """A statement's balance sheet as headers, text rows (accounts down, period ends across) and notes.

    A balance the books do not know reads "not known", never 0; a note per account says why. A balance
    made of ranged figures reads as its range, one that grows with a bound as "≥" (or "≤"), and a note says
    what the books post.
    """
    columns = statement.balance_columns
    labels = [column.label for column in columns]
    rows, notes, ranged, bounds = [], [], [], []
    for line in statement.balances:
        cells = [line.account]
        for label in labels:
            cell = line.cells[label]
            interval = getattr(cell, "interval", None)
            if cell.amount is None:
                cells.append(NOT_KNOWN)
            elif interval is not None:
                cells.append(range_text(interval))
                if interval.bounded:
                    ranged.append(f"{line.account} at {label}: {range_note(interval, cell.amount)}")
                else:
                    bounds.append(f"{line.account} at {label}: {money_text(cell.amount)}")
            else:
                cells.append(money_text(cell.amount))
            if cell.not_known and cell.not_known not in notes:
                notes.append(cell.not_known)
        rows.append(cells)
    if ranged:
        notes.append(
            "a range: what the figures behind a balance allow (their stated precision, or how much of a flow "
            "over a span had moved by the period's end); the books post " + "; ".join(ranged)
        )
    if bounds:
        notes.append(
            "≥: at least (≤: at most): a figure behind the balance is a bound (stated as at least an amount, "
            "a revenue implied while a Microsoft base has no figure, or a share it accrues not known), and so is "
            "the balance; the books post " + "; ".join(bounds)
        )
    flows = [line.account for line in statement.balances if getattr(line, "flows_only", False)]
    if flows:
        notes.append(
            f"{', '.join(flows)}: no balance assertion fixes {'it' if len(flows) == 1 else 'them'}; each figure "
            "is the sum of the deal's flows the books record, not the company's whole cash"
            + (" or the carrying value of its stake" if any(":Investment:" in a for a in flows) else "")
        )
    return ["account", *(column.heading for column in columns)], rows, notes


def to_json(frame: Any) -> str:
    """A table as JSON records: exact decimal text, ISO dates, null where no figure is."""
    records = [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return json.dumps(records, indent=2, ensure_ascii=False)


#: What a spreadsheet reads as the start of a formula (tab and carriage return too, as OWASP lists).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def spreadsheet_safe(cell: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a leading `'`.

    `=cmd|' /C calc'!A0` as a source would run in a spreadsheet opening the
    download; a negative amount (`-7600000000.00`) is a number and stays one.
    Every CSV the project writes (the CLI's `--format csv`, publish's
    downloads) goes through `to_csv`, and so through this.
    """
    if not isinstance(cell, str) or not cell.startswith(_FORMULA_START):
        return cell
    if _NUMBER.match(cell):
        try:
            Decimal(cell)
            return cell
        except InvalidOperation:
            pass
    return "'" + cell


def to_csv(frame: Any) -> str:
    """A table as CSV: exact decimal text, ISO dates, empty where no figure is, no cell a spreadsheet runs."""
    out = frame.astype(object).map(plain).map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\n")


def to_markdown(headers: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    """Text cells as a markdown table, the first `text_columns` left-aligned and the rest right."""

    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(map(cell, headers)) + " |",
        "|" + "|".join(":---" if i < text_columns else "---:" for i in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines)
