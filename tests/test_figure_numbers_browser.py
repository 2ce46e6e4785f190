"""Fava's Journal shows every figure record's value, and what it is, in real headless Chromium.

Fava draws a custom entry's amounts and text but leaves a bare number out:
`custom "figure" "microsoft-stake" 0.27` read `figure "microsoft-stake"`;
and it draws an "about" or a rounded amount as an exact one. LeakModel.js
writes them in from the extension's `numbers` endpoint; the values are
ledger/reported.beancount's, as docs/sources.md gives them.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core.amount import Amount
from beancount.core.data import Custom
from in_chromium import load, screenshot

from leakledger.figures import FIGURE_TYPE

#: ledger/reported.beancount's bare-number figures: the Journal row's text after the metric.
NUMBERS = {
    # Microsoft's ~27% stake after the recapitalization (qualifier "about"): 0.27 = 27%.
    ("2025-10-28", "microsoft-stake"): "about 27% (0.27)",
    # OpenAI's gross margin, 2026-Q1: 0.39 = 39%, stated without a qualifier.
    ("2026-03-31", "gross-margin"): "39% (0.39)",
    # The part of Microsoft's 625B commercial RPO that is OpenAI's (about 45%).
    ("2025-12-31", "commercial-rpo-openai-fraction"): "about 45% (0.45)",
}


def rows(page) -> dict[tuple[str, str], str]:
    """Each figure row of the Journal in view: (date, metric) -> the description as it reads."""
    found = page.eval_on_selector_all(
        "li.custom.figure",
        """items => items.map(li => [
            li.querySelector('.datecell').innerText.trim(),
            li.querySelector('.description').innerText.replace(/\\s+/g, ' ').trim()])""",
    )
    return {(date, text.split('"')[1]): text for date, text in found}


def test_every_figure_record_in_the_journal_shows_its_value(page, served, books):
    load(page, f"{served.url()}journal/")
    page.wait_for_selector("li.custom.figure .leak-figure-number")
    shown = rows(page)
    for (date, metric), text in NUMBERS.items():
        assert shown[date, metric] == f'figure "{metric}" {text}'
    # Every figure record reads with a value after its metric: a number, an amount or its text.
    entries, _, _ = books
    records = [e for e in entries if isinstance(e, Custom) and e.type == FIGURE_TYPE]
    assert len(shown) == len(records)
    bare = [text for text in shown.values() if text.count('"') == 2 and text.endswith('"')]
    assert bare == []  # a row ending at its metric's closing quote shows no value
    # An amount stated as "about" says so, and the range it stands for: Microsoft's stake was worth about
    # 135,000,000,000 (2025-10-28), stated to the billion, 134.5B..135.5B.
    assert (
        shown["2025-10-28", "microsoft-stake-value"]
        == 'figure "microsoft-stake-value" about 135,000,000,000.00 USD (134.5B–135.5B)'
    )
    assert shown["2025-12-31", "revenue-run-rate"] == 'figure "revenue-run-rate" more than 20,000,000,000.00 USD'
    # One stated as "17.2B" stands for 17,150,000,000..17,250,000,000 (its low:/high:), and says so.
    assert shown["2025-12-31", "payments-to-microsoft"] == (
        'figure "payments-to-microsoft" 17,200,000,000.00 USD (17.15B–17.25B)'
    )
    # And an exact one with no qualifier reads as Fava draws it: the 250B Azure commitment.
    assert shown["2025-10-28", "azure-commitment"] == 'figure "azure-commitment" 250,000,000,000.00 USD'
    assert page.errors == []
    load(page, f"{served.url()}journal/?time=2025-12")
    page.wait_for_selector("li.custom.figure .leak-figure-number")
    screenshot(page, "journal-figure-numbers", full_page=False)


def test_the_numbers_are_the_books(books):
    """The texts above are the records' own values: 0.27, 0.39 and 0.45, each with the qualifier it carries."""
    entries, _, _ = books
    values = {
        (e.date.isoformat(), e.values[0].value): (e.values[1].value, e.meta.get("qualifier"))
        for e in entries
        if isinstance(e, Custom) and e.type == FIGURE_TYPE and not isinstance(e.values[1].value, Amount | str)
    }
    assert values[("2025-10-28", "microsoft-stake")] == (Decimal("0.27"), "about")
    assert values[("2026-03-31", "gross-margin")] == (Decimal("0.39"), None)
    assert values[("2025-12-31", "commercial-rpo-openai-fraction")] == (Decimal("0.45"), "about")
