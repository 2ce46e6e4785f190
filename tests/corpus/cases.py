"""The bad-input corpus: what a leak might look like when it is not a figure.

Three kinds of case, run by tests/test_hostile_inputs.py through the real CLI:

- `Reject`: `leakledger add` or `import` must answer with exactly one
  `error:` line naming the problem (`says`), exit non-zero and change no file.
- `Inert`: text that tries to break out of its Beancount string (quotes,
  newlines, directives, code). It is *accepted*: `render.clean_text` folds
  newlines and control characters and Beancount's printer escapes quotes, so
  the entry holds the text as data. The test proves it: the books reload
  clean, `bean-check` passes, exactly one entry is added, no account or
  directive appears, and the stored text is the cleaned input. Huge, tiny
  and non-ASCII amounts that do read as numbers are `Inert` too, with the
  amount the books must hold.
- `BrokenBooks`: a line written into a books file (a broken revenue-share
  rule, a broken `custom "fava-extension"` config); `leakledger check`
  must print one `FILE:LINE: message` for it and exit 1.

Sheets live in corpus/sheets/ (`{sheets}` in an argv). A sheet too big to
keep in git (a cell over the csv module's field limit) is written by
`huge_cell_sheet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SHEETS = Path(__file__).resolve().parent / "sheets"
SOURCE = "Test source, 2025-11-12"
#: A line of Beancount that must never appear as a directive in the books.
EVIL = "2020-01-01 open Assets:Evil USD"
CODE = "__import__('os').system('touch PWNED')"
#: The shipped books' Fava extension line (ledger/fava.beancount).
EXTENSION = '2019-01-01 custom "fava-extension" "leakledger.fava_ext"'


@dataclass(frozen=True)
class Reject:
    name: str
    argv: tuple[str, ...]
    says: str
    #: Run as a separate `leakledger` process (a representative few); else typer's CliRunner.
    subprocess: bool = False


@dataclass(frozen=True)
class Inert:
    name: str
    argv: tuple[str, ...]
    #: The units the figure's first leg must hold, when the case is about the amount.
    amount: str | None = None
    subprocess: bool = False


@dataclass(frozen=True)
class BrokenBooks:
    name: str
    #: The books file, and the line written into it: in place of `replaces`, else appended.
    file: str
    line: str
    says: str
    replaces: str | None = None
    meta: tuple[str, ...] = ('  source: "corpus"', '  kind: "assumed"')


def add(metric="training", amount="5M", period="2025-Q4", source=SOURCE, *extra) -> tuple[str, ...]:
    """`leakledger add` argv; training 2025-Q4 is in no shipped figure, so only the case's flaw matters."""
    return ("add", metric, amount, "--period", period, "--source", source, *extra)


def sheet(name: str) -> tuple[str, ...]:
    return ("import", f"{{sheets}}/{name}")


REJECT = [
    # --- amounts -----------------------------------------------------------------
    Reject("amount-empty", add(amount=""), "cannot read amount ''"),
    Reject("amount-two-points", add(amount="1.2.3"), "cannot read amount"),
    Reject("amount-indian-grouping", add(amount="1,23,45,678"), "misplaced thousands separator"),
    Reject("amount-nan", add(amount="NaN"), "cannot read amount 'NaN'"),
    Reject("amount-infinity", add(amount="Infinity"), "cannot read amount"),
    Reject("amount-exponent", add(amount="1e9"), "cannot read amount '1e9'"),
    Reject("amount-hex", add(amount="0x1F"), "cannot read amount"),
    Reject("amount-zero", add(amount="0"), "is zero"),
    Reject("amount-negative", add(amount="-0.01"), "is negative", subprocess=True),
    Reject("amount-unicode-minus", add(amount="\u22125M"), "is negative"),
    Reject("amount-fraction-of-a-cent", add(amount="0.001"), "fraction of a cent"),
    Reject("amount-just-over-the-limit", add(amount="1000000000000000.01"), "larger than 999,999,999,999,999.99 USD"),
    # At most 15 digits before the point (issue 22): 1,000,000,000,000,000 has 16.
    Reject("amount-sixteen-digits", add(amount="1,000,000,000,000,000"), "(at most 15 digits before the point)"),
    Reject("amount-hundred-thousand-nines", add(amount="9" * 100_000), "too long for an amount"),
    Reject("amount-forty-digits", add(amount="1" + "0" * 40), "larger than"),
    Reject("amount-huge-scale", add(amount="5000 trillion"), "larger than"),
    Reject("amount-unknown-scale", add(amount="5 gazillion"), "unknown scale 'gazillion'"),
    Reject("amount-megabytes", add(amount="5MB"), "unknown scale 'MB'"),
    Reject("amount-two-dollars", add(amount="$$5M"), "cannot read amount"),
    Reject("amount-euro", add(amount="€5M"), "cannot read amount"),
    Reject("amount-with-directive", add(amount=f"5M\n{EVIL}"), "cannot read amount"),
    Reject("amount-code", add(amount=CODE), "cannot read amount"),
    # --- periods -----------------------------------------------------------------
    Reject("period-empty", add(period=""), "cannot read period ''"),
    Reject("period-q5", add(period="2025-Q5"), "cannot read period '2025-Q5'", subprocess=True),
    Reject("period-h3", add(period="2025-H3"), "cannot read period"),
    Reject("period-month-13", add(period="2025-13"), "no month 13"),
    Reject("period-feb-30", add(period="2025-02-30"), "no such day '2025-02-30'"),
    Reject(
        "period-year-zero",
        add(period="0000"),
        "year 0000 in period '0000' is outside the years figures may speak of (1900 to 2200)",
    ),  # was a traceback (datetime's ValueError)
    # Year 9999 was accepted, then Fava's pages and `report` failed on the year after it.
    Reject(
        "period-year-9999",
        add("training", "5M", "9999", SOURCE, "--kind", "claimed"),
        "year 9999 in period '9999' is outside",
    ),
    Reject(
        "period-range-to-9999",
        add("training", "5M", "2025-01..9999-12", SOURCE, "--kind", "claimed"),
        "year 9999 in period",
    ),
    Reject("period-before-1900", add(period="1899-Q4"), "year 1899 in period '1899-Q4' is outside"),
    Reject(
        "period-after-2200",
        add("training", "5M", "2201", SOURCE, "--kind", "claimed"),
        "year 2201 in period '2201' is outside",
    ),
    Reject("period-backwards", add(period="2025-09..2025-01"), "ends before it starts"),
    Reject("period-open-range", add(period="2025.."), "cannot read period range"),
    Reject("period-three-ends", add(period="2025-01..2025-03..2025-06"), "cannot read period range"),
    Reject("period-path", add(period="../../etc"), "cannot read period range"),
    Reject("period-include", add(period='2024-Q1"\ninclude "/etc/passwd'), "cannot read period"),
    Reject("period-future", add(period="2199"), "after today"),
    # Day one of year 1 has no day before it (was an OverflowError traceback).
    Reject(
        "period-year-one-cumulative",
        add("training", "5M", "0001", SOURCE, "--kind", "claimed", "--cumulative"),
        "year 0001 in period '0001' is outside",
    ),
    Reject("period-two-digit-year", add(period="25-Q3"), "cannot read period"),
    # --- metrics, kinds, provenance, flags ------------------------------------------
    Reject("metric-unknown", add(metric="licensing"), "unknown metric 'licensing'"),
    Reject("metric-capitalised", add(metric="Training"), "unknown metric 'Training'"),
    Reject("metric-empty", add(metric=""), "unknown metric ''"),
    Reject("metric-path", add(metric="../../etc/passwd"), "unknown metric '../../etc/passwd'"),
    Reject("metric-with-directive", add(metric=f"training\n{EVIL}"), "unknown metric"),
    Reject("metric-homoglyph", add(metric="tr\u0430ining"), "unknown metric"),  # Cyrillic а
    Reject("kind-unknown", add("training", "5M", "2025-Q4", SOURCE, "--kind", "rumoured"), "unknown kind 'rumoured'"),
    Reject("kind-with-tag", add("training", "5M", "2025-Q4", SOURCE, "--kind", "leaked #evil"), "unknown kind"),
    Reject("source-empty", add(source=""), "needs a source"),
    Reject("source-only-control-characters", add(source="\n\t\x0b\u200b\u2028"), "needs a source"),
    # A url is a web address (leakledger.urls.web_url) or nothing: never a script, a file or a line of Beancount.
    Reject(
        "url-javascript", add("training", "5M", "2025-Q4", SOURCE, "--url", "javascript:alert(1)"), "not a web address"
    ),
    Reject("url-file", add("training", "5M", "2025-Q4", SOURCE, "--url", "file:///etc/passwd"), "not a web address"),
    Reject("url-plain-words", add("training", "5M", "2025-Q4", SOURCE, "--url", "not a url"), "not a web address"),
    Reject(
        "url-adds-a-plugin",
        add("training", "5M", "2025-Q4", SOURCE, "--url", 'https://e.org/"\nplugin "evil"'),
        'url \'https://e.org/" plugin "evil"\' is not a web address',
    ),
    # docs/sources.md: 2025-Q3 is 411,100,000; a September of 500M would leave its other months -88,900,000.
    Reject(
        "part-larger-than-its-total",
        add("revenue-share", "500M", "2025-09"),
        "remainder over 2025-07..2025-08 would be -88,900,000.00 USD",
    ),
    Reject("overlaps-a-recorded-figure", add("revenue-share", "500M", "2025-Q3"), "it would count twice"),
    Reject(
        "duplicate-of-a-recorded-figure", add("revenue-share", "493.8M", "2024"), "duplicate: revenue-share over 2024"
    ),
    # docs/sources.md: 865,800,000 Jan-Sep is recorded (454.7M H1 + 411.1M Q3), so 900M cannot be its total too.
    Reject(
        "cumulative-recorded-in-full",
        add("revenue-share", "900M", "2025-01..2025-09", SOURCE, "--cumulative"),
        "is recorded at",
    ),
    # --- sheets ------------------------------------------------------------------
    Reject("sheet-empty", sheet("empty.csv"), "empty.csv: the file is empty"),
    Reject("sheet-header-only", sheet("header-only.csv"), "no figures in the sheet"),
    Reject("sheet-wrong-columns", sheet("wrong-columns.csv"), "missing column(s) metric, period, amount, source"),
    Reject("sheet-semicolons", sheet("semicolons.csv"), "missing column(s) metric, period, amount, source"),
    Reject("sheet-unquoted-commas", sheet("unquoted-commas.csv"), "unquoted-commas.csv: line 2: 6 fields, expected 4"),
    Reject("sheet-short-line", sheet("short-line.csv"), "short-line.csv: line 3: 3 fields, expected 4"),
    # A comma in an unquoted note moves its tail into the cumulative column: the count matches, the cell says why.
    Reject("sheet-comma-in-note", sheet("comma-in-note.csv"), "a comma in an unquoted cell before it shifts the cells"),
    Reject("sheet-column-twice", sheet("column-twice.csv"), "amount appear more than once"),
    Reject("sheet-unknown-column", sheet("unknown-column.csv"), "unknown column(s) colour"),
    Reject("sheet-bad-flag", sheet("bad-flag.csv"), "cumulative must be yes or no"),
    Reject(
        "sheet-path-in-period",
        sheet("path-in-period.csv"),
        "path-in-period.csv:2: cannot read period range '../../etc'",
    ),
    Reject(
        "sheet-path-in-metric", sheet("path-in-metric.csv"), "path-in-metric.csv:2: unknown metric '../../etc/passwd'"
    ),
    Reject(
        "sheet-code-in-amount", sheet("code-in-amount.csv"), "code-in-amount.csv:2: cannot read amount", subprocess=True
    ),
    Reject(
        "sheet-second-row-overlaps",
        sheet("second-row-overlaps.csv"),
        "second-row-overlaps.csv:3: revenue-share over 2025-Q3 is recorded at",
    ),
    Reject("sheet-missing-source", sheet("missing-source.csv"), "missing-source.csv:2: empty source"),
    Reject("sheet-not-csv-or-json", sheet("leak.txt"), "is not a leak sheet"),
    Reject("sheet-binary-csv", sheet("binary.csv"), "binary.csv: cannot read CSV", subprocess=True),
    Reject("sheet-binary-json", sheet("binary.json"), "binary.json: not JSON"),
    Reject("sheet-utf16", sheet("utf16.csv"), "utf16.csv: cannot read CSV"),
    Reject("sheet-nul-in-header", sheet("nul-in-header.csv"), "missing column(s) period"),
    Reject("sheet-truncated-json", sheet("not-json.json"), "not-json.json: not JSON"),
    Reject("sheet-figures-not-a-list", sheet("figures-not-a-list.json"), "a JSON sheet is a list of objects"),
    Reject("sheet-nan-amount", sheet("nan-amount.json"), "cannot read amount 'nan'"),
    Reject("sheet-1e400-amount", sheet("infinite-amount.json"), "larger than 999,999,999,999,999.99 USD"),
    # 80 bytes that once took 18 s and 2.4 GB (format(value, "f") wrote out a billion digits).
    Reject("sheet-1e999999999-amount", sheet("huge-exponent.json"), "amount 1E+999999999 is larger than"),
    Reject("sheet-1e-999999999-period", sheet("tiny-period.json"), "period 1E-999999999 is not a value"),
    Reject("sheet-object-as-source", sheet("object-source.json"), "source must be text or a number, not a JSON object"),
    Reject("sheet-nested-too-deep", sheet("deep.json"), "JSON nested too deep"),  # was a RecursionError traceback
    Reject("sheet-huge-cell", ("import", "{tmp}/huge-cell.csv"), "field larger than field limit"),
    Reject(
        "sheet-javascript-url", sheet("javascript-url.csv"), "javascript-url.csv:2: url 'javascript:alert(1)' is not"
    ),
    Reject("sheet-missing", ("import", "{sheets}/no-such-sheet.csv"), "no sheet at"),
    Reject("sheet-is-a-folder", ("import", "{sheets}"), "no sheet at"),
]

INERT = [
    Inert("source-quote-newline-directive", add(source=f'Evil "\n{EVIL}'), subprocess=True),
    Inert("source-closes-its-string", add(source=f'"\n{EVIL}\n  Assets:Evil 1 USD\n')),
    Inert("note-closes-its-string", add("training", "5M", "2025-Q4", SOURCE, "--note", f'x" \n{EVIL}\n')),
    Inert("url-closes-its-string", add("training", "5M", "2025-Q4", SOURCE, "--url", 'https://e.org/"};plugin"evil')),
    Inert("source-trailing-backslash", add(source="Evil \\")),
    Inert("note-escaped-quote", add("training", "5M", "2025-Q4", SOURCE, "--note", '\\" ' + EVIL)),
    Inert(
        "note-option-line", add("training", "5M", "2025-Q4", SOURCE, "--note", '\noption "operating_currency" "EVIL"\n')
    ),
    Inert("source-tags-and-links", add(source="*/ ; ^evil #evil !")),
    Inert("source-bidi-and-zero-width", add(source="\u202eEvil\u200b\u2066source\u2069")),
    Inert("source-unicode", add(source="Zitron — Où est l’argent? 中文 🙂")),
    Inert(
        "note-carriage-returns-and-nul", add("training", "5M", "2025-Q4", SOURCE, "--note", f"a\r\x00\x1b[31m{EVIL}")
    ),
    Inert("source-ten-thousand-characters", add(source="leak " * 2000)),
    Inert("source-code", add(source=CODE)),
    Inert("amount-one-cent", add(amount="0.01"), amount="0.01"),
    # 2026-Q3: in 2025 such an amount would exceed OpenAI's audited 34,000,000,000 of costs, an error by design.
    Inert("amount-largest-with-cents", add(amount="999999999999999.99", period="2026-Q3"), amount="999999999999999.99"),
    Inert("amount-arabic-indic-digits", add(amount="\u0661\u0662\u0663"), amount="123.00"),  # ١٢٣: Decimal's digits
    Inert("amount-fullwidth-digits", add(amount="\uff15M"), amount="5000000.00"),  # ５M
    Inert("amount-no-break-space", add(amount="$1.2\u00a0bn"), amount="1200000000.00"),
    Inert("sheet-hostile-text", sheet("hostile-text.csv")),
]

#: The legs and provenance of a hand-written transaction that is otherwise clean (Bing revenue, 1.00).
HAND_WRITTEN = ('  source: "corpus"', "  Assets:Microsoft:Cash  1.00 USD", "  Income:Microsoft:Bing  -1.00 USD")

BROKEN_BOOKS = [
    # Fava once rendered these as elements (issue 22, item 8); it escapes them now, and check still names them.
    BrokenBooks(
        "payee-meta-refresh",
        "2025.beancount",
        '2025-12-31 * "<meta http-equiv=\\"refresh\\" content=\\"0;url=https://evil.example/\\">" "Bing" #claimed',
        "hand-written payee looks like markup ('<m')",
        meta=HAND_WRITTEN,
    ),
    BrokenBooks(
        "narration-fixed-cover",
        "2025.beancount",
        '2025-12-31 * "<div style=\\"position:fixed;inset:0\\">Sign in</div>" #claimed',
        "hand-written narration looks like markup ('<d')",
        meta=HAND_WRITTEN,
    ),
    BrokenBooks(
        "rule-rate-is-text",
        "rules.beancount",
        '2024-01-01 custom "revenue-share" Income:Microsoft:Bing "OpenAI" "twenty"',
        "rate must be a number",
    ),
    BrokenBooks(
        "rule-rate-above-one",
        "rules.beancount",
        '2024-01-01 custom "revenue-share" Income:Microsoft:Bing "OpenAI" 1.5',
        "outside [0, 1]",
    ),
    BrokenBooks(
        "rule-too-few-values",
        "rules.beancount",
        '2024-01-01 custom "revenue-share" Income:Microsoft:Bing "OpenAI"',
        "needs 3 values, got 2",
    ),
    BrokenBooks(
        "rule-unopened-account",
        "rules.beancount",
        '2024-01-01 custom "revenue-share" Income:Microsoft:Licensing "OpenAI" 0.20',
        "is not opened",
    ),
    BrokenBooks(
        "rule-unknown-payee",
        "rules.beancount",
        '2024-01-01 custom "revenue-share" Income:Microsoft:Bing "Google" 0.20',
        "is not one of the entities",
    ),
    BrokenBooks(
        "fava-config-not-a-literal",
        "fava.beancount",
        '2019-01-01 custom "fava-extension" "leakledger.fava_ext" "{\'by\': year}"',
        "is not a Python literal (it holds a name or an expression)",
        replaces=EXTENSION,
        meta=(),
    ),
    BrokenBooks(
        "fava-config-code",
        "fava.beancount",
        f'2019-01-01 custom "fava-extension" "leakledger.fava_ext" "{CODE}"',
        "is not a Python literal",
        replaces=EXTENSION,
        meta=(),
    ),
    BrokenBooks(
        "fava-config-unclosed",
        "fava.beancount",
        '2019-01-01 custom "fava-extension" "leakledger.fava_ext" "{\'by\': "',
        "is not a Python literal ('{' was never closed)",
        replaces=EXTENSION,
        meta=(),
    ),
    BrokenBooks(
        "fava-config-unknown-grouping",
        "fava.beancount",
        '2019-01-01 custom "fava-extension" "leakledger.fava_ext" "{\'by\': \'decade\'}"',
        "'by' must be one of year, half, quarter",
        replaces=EXTENSION,
        meta=(),
    ),
    BrokenBooks(
        "fava-config-a-list",
        "fava.beancount",
        '2019-01-01 custom "fava-extension" "leakledger.fava_ext" "[\'year\']"',
        "expected a dict",
        replaces=EXTENSION,
        meta=(),
    ),
    BrokenBooks(
        "fava-extension-no-such-module",
        "fava.beancount",
        '2019-01-01 custom "fava-extension" "leakledger.fava_extension"',
        "no such module",
        replaces=EXTENSION,
        meta=(),
    ),
]


def record(*meta: str, head: str = '2024-12-31 custom "figure" "revenue" 3700000000.00 USD') -> dict:
    """A reported figure record with the given metadata lines (and provenance), for reported.beancount."""
    return {"file": "reported.beancount", "line": head, "meta": (*meta, '  source: "corpus"', '  kind: "reported"')}


#: Values `check` once accepted on records and then misread or crashed on (issue 22, items 4 and 5).
BROKEN_BOOKS += [
    BrokenBooks(
        "record-period-start-garbage",
        **record('  period-start: "garbage"'),
        says="period-start: 'garbage' must be a date",
    ),
    BrokenBooks(
        "record-period-start-a-number", **record("  period-start: 2024"), says="period-start: 2024 must be a date"
    ),
    BrokenBooks(
        "record-period-start-after-its-date",
        **record("  period-start: 2025-01-01"),
        says="period-start: 2025-01-01 is after the entry's date 2024-12-31",
    ),
    BrokenBooks("record-superseded-by-a-number", **record("  superseded-by: 5"), says="superseded-by: 5 must be text"),
    # A record superseded by nothing vanished from reconcile (docs/sources.md: 2024's ~3.7B reported revenue).
    BrokenBooks(
        "record-superseded-by-no-figure",
        **record('  superseded-by: "revenue-2024-b"'),
        says="superseded-by: 'revenue-2024-b' names no figure's link",
    ),
    BrokenBooks(
        "record-superseded-by-another-metric",
        **record('  superseded-by: "inference-2024-q1"'),
        says="superseded-by: 'inference-2024-q1' names a figure of inference; a revenue record is superseded by a figure",
    ),
    BrokenBooks(
        "record-cumulative-text", **record('  cumulative: "lots"'), says="cumulative: 'lots' must be an amount"
    ),
    BrokenBooks(
        "record-cumulative-start-text",
        **record('  cumulative-start: "January"'),
        says="cumulative-start: 'January' must be a date",
    ),
    BrokenBooks(
        "record-known-since-text",
        **record('  known-since: "yesterday"'),
        says="known-since: 'yesterday' must be a date",
    ),
    BrokenBooks("record-low-text", **record('  low: "3.5B"'), says="low: '3.5B' must be an amount"),
    BrokenBooks(
        "record-high-in-euros", **record("  high: 4000000000.00 EUR"), says="high: 4000000000.00 EUR is in EUR"
    ),
    BrokenBooks(
        "record-qualifier-an-amount", **record("  qualifier: 5.00 USD"), says="qualifier: 5.00 USD must be text"
    ),
    BrokenBooks("record-bound-upper", **record('  bound: "upper"'), says="bound: 'upper' must be one of 'lower'"),
    BrokenBooks(  # crashed the whole plugin chain: `kind in KINDS` compared an Amount with text
        "record-kind-an-amount",
        "reported.beancount",
        '2024-12-31 custom "figure" "revenue" 3700000000.00 USD',
        'needs exactly one kind kind: ("leaked", ...) of leaked, disclosed, reported, claimed, assumed; found kind: 5.00 USD',
        meta=('  source: "corpus"', "  kind: 5.00 USD"),
    ),
    BrokenBooks("record-status-a-number", **record("  status: 5"), says="status: 5 must be text"),
    BrokenBooks("record-rule-an-amount", **record("  rule: 5.00 USD"), says="rule: 5.00 USD must be text"),
    BrokenBooks("record-through-text", **record('  through: "2030"'), says="through: '2030' must be a date"),
    BrokenBooks(
        "record-three-numbers", **record(head='2024-12-31 custom "figure" 5 5 5'), says="takes 2 values, got 3"
    ),
    BrokenBooks(
        "record-no-amount", **record(head='2024-12-31 custom "figure" "revenue"'), says="takes 2 values, got 1"
    ),
    BrokenBooks(
        "record-metric-a-number",
        **record(head='2024-12-31 custom "figure" 5 5.00 USD'),
        says="first value is its metric",
    ),
    BrokenBooks(
        "record-amount-text",
        **record(head='2024-12-31 custom "figure" "revenue" "lots"'),
        says="second value is its amount",
    ),
    BrokenBooks(
        "record-stated-fact-for-a-posting-metric",
        **record(head='2024-12-31 custom "figure" "inference" "most of it"'),
        says="second value is its amount, got 'most of it'",
    ),
    BrokenBooks(
        "record-in-euros", **record(head='2024-12-31 custom "figure" "revenue" 3.00 EUR'), says="amount is in EUR"
    ),
    BrokenBooks(
        "record-twenty-six-digits",
        **record(head='2024-12-31 custom "figure" "revenue" 99999999999999999999999999.99 USD'),
        says="(at most 15 digits before the point)",
    ),
    BrokenBooks(
        "record-fraction-of-a-cent",
        **record(head='2024-12-31 custom "figure" "revenue" 3700000000.001 USD'),
        says="has a fraction of a cent",
    ),
    BrokenBooks(  # `leakledger serve` died with a RecursionError in Fava's account tree
        "account-a-thousand-levels-deep",
        "accounts.beancount",
        "2019-01-01 open Assets:OpenAI:" + ":".join(f"A{i}" for i in range(998)) + " USD",
        "has 1000 components; at most 32",
    ),
    BrokenBooks(
        "rule-no-values", "rules.beancount", '2024-01-01 custom "revenue-share"', "needs 3 values, got 0"
    ),  # Beancount's own pad plugin crashed on its missing values
    BrokenBooks(
        "figure-twenty-six-digits",
        "2026.beancount",
        '2026-09-30 * "Equity-method loss" #disclosed',
        "check the scale (and 1 more posting(s))",
        meta=(  # Microsoft's books only: no share, cost or cap check meets it before the bound does
            '  metric: "losses-share"',
            "  period-start: 2026-07-01",
            '  source: "corpus"',
            "  Expenses:Microsoft:OpenAILosses      99999999999999999999999999.99 USD",
            "  Assets:Microsoft:Investment:OpenAI  -99999999999999999999999999.99 USD",
        ),
    ),
    # Issue 21: a payment typed by hand without metric: and period-start: was ignored; check said "no errors".
    BrokenBooks(
        "payment-without-period-start",
        "2025.beancount",
        '2025-12-31 * "Revenue share OpenAI paid Microsoft" #leaked',
        'it has no `period-start:`. Add period-start: YYYY-MM-DD (its period\'s first day; the date is the last) and metric: "revenue-share"',
        meta=(
            '  source: "corpus"',
            "  Liabilities:OpenAI:Due:Microsoft   500000000.00 USD",
            "  Assets:OpenAI:Cash                -500000000.00 USD",
            "  Assets:Microsoft:Cash              500000000.00 USD",
            "  Assets:Microsoft:Due:OpenAI       -500000000.00 USD",
        ),
    ),
    BrokenBooks(
        "inference-with-period-start-on-the-wrong-accounts",
        "2025.beancount",
        '2025-12-31 * "Inference" #leaked',
        "is not read as a figure: its accounts are not one metric's legs; add metric:",
        meta=(
            '  source: "corpus"',
            "  period-start: 2025-10-01",
            "  Expenses:OpenAI:Compute:Inference   5.00 USD",
            "  Equity:OpenAI:Investment:Microsoft -5.00 USD",
        ),
    ),
]

CASES = [*REJECT, *INERT, *BROKEN_BOOKS]


def huge_cell_sheet(folder: Path) -> Path:
    """A sheet whose note is longer than the csv module's 131,072-character field limit."""
    path = folder / "huge-cell.csv"
    path.write_text(f"metric,period,amount,source,note\ntraining,2025-Q4,5M,{SOURCE.split(',')[0]},{'x' * 140_000}\n")
    return path
