"""The notice atop Fava's own pages: one paragraph that says what each number there is, where it is not exact.

Fava's Income Statement, Balance Sheet, Trial Balance, Journal, Query and
account pages print every amount as a plain number; the words per account
are leakledger.plain_numbers', this puts them in the notice's order with
the sentences that lead it (an as-of Fava ignores, a filter that leaves
entries out). No front end here: the Fava extension asks and places it.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Mapping, Sequence
from typing import Any

from leakledger import derived
from leakledger.filter_lines import LeftOut, sort_filtered
from leakledger.model import SHARE_LEGS, A
from leakledger.periods import Period
from leakledger.plain_numbers import plain_number_notes

__all__ = ["POSTINGS_NAMED", "VIEWS", "as_of_sentence", "bound_notice", "filtered_sentence"]

#: The heading of the ranged postings on an account page's views by period (Fava's `?r=`): each column sums them.
VIEWS = {
    "changes": "Postings that stand for a range, counted at the amount posted in the column of their date",
    "balances": "Postings that stand for a range, counted at the amount posted in the column of their date and every "
    "later one",
}
#: How many of an account page's ranged postings the notice names before "and N more".
POSTINGS_NAMED = 8


def bound_notice(
    model: Any,
    accounts: Any,
    href: str,
    shown: tuple | None = None,
    inverted: bool = False,
    page: Any = None,
    window: Period | None = None,
    books_sign: bool = False,
    said: Sequence[str] = (),
    postings: Sequence[str] = (),
    link: str = "Leak model",
    left_out: Mapping[str, LeftOut] | None = None,
    view: str = "",
) -> dict | None:
    """The one-line notice atop Fava's own pages where a number in view is not exact, or None.

    A payment's implied revenue is a lower bound while a Microsoft base with a
    share in force has no recorded figure; OpenAI's revenue and both 20% legs
    of it (unless a cap holds them) are then "at least" on the Income Statement, the Balance Sheet, the
    Journal and the Query page alike, which show them as plain numbers. So
    are the accounts whose totals or balances are ranges posted at one amount,
    at least what is shown, partial, not known, or over more than the window
    (`leakledger.plain_numbers`); `model` is of the page's entries but for its
    time filter, `window` the days that filter keeps (None: all); `shown`
    is (entries, options) of Fava's page, whose balances the notice reads;
    `inverted`, Fava's invert-income-liabilities-equity, signs them as shown; `page`, the accounts the page
    shows where it shows only some (the lower bounds' sentence names the revenue they grow from everywhere);
    `books_sign`: the page shows the books' own sign where Fava's statements invert it (the Journal, the Query
    page), and the notice says which sign it uses. `said`: sentences that lead the notice (what an as-of or a
    filter makes of the page's numbers); `postings`: the postings Fava's account page shows that stand for a range
    (`plain_numbers.posting_notes`); `link`, the words of the link to `href`. `left_out`: what Fava's tag or
    account filter leaves out of each line (`filter_lines`): those lines show part of the books' number, the rest
    the books' own. `view`: an account page's "changes" or "balances" by period (VIEWS), else its journal.
    """
    found = [
        d
        for d in model.index.of_rule(derived.RULE_IMPLIED)
        if d.lower_bound and (window is None or window.contains_date(d.date))
    ]
    shows = accounts if page is None else page
    notes = plain_number_notes(model, shows, shown, inverted, window, bool(found))
    if left_out:
        options = model.options_map
        roots = tuple(options.get(f"name_{r}", r.title()) for r in ("income", "liabilities", "equity"))
        sort_filtered(notes, left_out, shows, inverted, roots)
        notes["lower"] = [a for a in notes["lower"] if a not in left_out]
    # an account page of many ranged postings names the first few: the notice stays a paragraph
    more = len(postings) - POSTINGS_NAMED
    notes["postings"] = [*postings[:POSTINGS_NAMED], *([f"and {more} more"] if more > 0 else [])]
    parts = [*said, *([text] if (text := _lower_bounds(found, accounts, notes["lower"], left_out or {})) else [])]
    for kind, words in (
        ("range", "Ranges, shown at their midpoints"),
        ("at least", "Bounds (≥: at least, ≤: at most)"),
        ("partial", "Partial, covering less than what is shown"),
        ("more", "Covering more than the window (a figure is dated on its period's last day)"),
        ("solved", "Solved as a sum only (each line shown blank, not zero)"),
        ("not known", "Not known (shown blank, not zero)"),
        ("sum", "Not known as a whole, shown as the sum of the figures the books record"),
        ("flows", "Not known, shown as the sum of the flows the books record by then"),
        ("postings", VIEWS.get(view, "Postings that stand for a range, shown at the amount posted")),
    ):
        if notes[kind]:
            parts.append(f"{words}: {'; '.join(notes[kind])}.")
    if len(parts) == len(said):  # nothing on the numbers themselves
        return {"text": " ".join(parts), "href": href, "link": link} if parts else None
    if books_sign:  # a bound's direction depends on it: "≤ 0" owed here is "≥ 0" on the Balance Sheet
        parts.append("Signed as the books hold them, as the rows here show: income, liabilities and equity negative.")
    # Fava adds these lines into its own totals, which it prints as plain numbers too
    parts.append("Totals that add them (each parent account, Net Profit) are no more exact than they are.")
    return {"text": " ".join(parts), "href": href, "link": link}


def _lower_bounds(found: list, accounts: Any, lower: list[str], cut: Container[str] = ()) -> str | None:
    """The notice's sentence on the implied revenues `found` that are lower bounds (in the window), or None.

    It names the accounts that grow with them whose totals the books hold as lower bounds (`lower`): a share a
    cap holds is exact once the cap is reached, whatever the revenue under it. `cut`: the lines a filter leaves
    postings of, which show part of the books' (none where it leaves out every one of them: nothing shown grows).
    """
    if not found:
        return None
    legs = SHARE_LEGS["OpenAI"]
    grows = (A.OAI_REVENUE, legs.payer_expense, legs.payee_income)
    names = [a for a in grows if a in accounts and a in lower]
    if not names and any(a in cut for a in grows):
        return None
    runs: list[list] = []  # adjoining periods as one span: "2024-01..2025-09", not seven quarters
    for d in sorted(found, key=lambda d: (d.period_start or d.date, d.date)):
        start = d.period_start or d.date
        if runs and start <= runs[-1][1] + datetime.timedelta(days=1):
            runs[-1][1] = max(runs[-1][1], d.date)
        else:
            runs.append([start, d.date])
    periods = [Period(start, end).label for start, end in runs]
    return (
        f"≥ Lower bounds, {', '.join(periods)}: {', '.join(names) or 'implied revenue'} "
        f"{'are' if len(names) > 1 else 'is'} at least what is shown (a Microsoft base in force has no figure)."
    )


def as_of_sentence(day: datetime.date) -> str:
    """What an as-of day makes of Fava's own pages: nothing; they show today's books, and the notice does too."""
    return (
        f"As of {day}: Fava's own pages, this one too, show the books as they are today whatever as-of says, and so "
        'does this notice; as-of applies to the Leak model page, and to an as-of book (README, "As known on a date").'
    )


def filtered_sentence(left: int, kinds: Sequence[tuple[int, str]]) -> str:
    """What a filter that leaves out `left` entries (so many of each kind) makes of the numbers shown: a line it
    leaves postings of is part of the books' (filter_lines), every other line the books' own."""
    counted = ", ".join(f"{n} {what}" for n, what in kinds if n)
    return (
        f"Filtered: the filter leaves out {left} of the books' entries{f' ({counted})' if counted else ''}. A line "
        "it leaves out postings of shows only the sum of those it keeps (under Partial); every other line shows the "
        "books' own number, and is said here as the books hold it."
    )
