"""The notice atop Fava's own pages says what every number there is: under as-of, on the Trial Balance and the
account pages, cell for cell as `leakledger statement`, and under a filter that leaves entries out.

Real Fava on the shipped books (conftest's `shipped_fava`, through Flask's
test client), real Beancount and plugins; one test in real Chromium (the
notice is LeakModel.js's to place). Figures are docs/sources.md's, with the
arithmetic written out.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from beancount.core.data import Balance, Pad, Transaction
from conftest import LEDGER_DIR
from fava_client import LEAK_MODEL, fava, get_json
from in_chromium import TREE_TABLE, load, screenshot

from leakledger.model import GENERATED_TAG
from leakledger.presentation import range_text
from leakledger.reports import TOTAL_ROW
from leakledger.statements import load_statement

BOUNDS = f"{LEAK_MODEL}/bounds"
COMBINED = "Both: OpenAI and Microsoft added together"
AS_OF = "2025-11-13"  # the day after the first leak (Z, 2025-11-12)


def notice(fava, book: str, **query) -> dict:
    """The notice of one book's page ({} where there is none)."""
    return get_json(fava.client, f"/{fava.slugs[book]}/{BOUNDS}", **query)["notice"] or {}


#: The headings of the notice's sentences on kinds of number (leakledger.page_notice.bound_notice).
HEADINGS = (
    "Ranges, shown at their midpoints",
    "Bounds (≥: at least, ≤: at most)",
    "Partial, covering less than what is shown",
    "Not known (shown blank, not zero)",
    "Not known as a whole, shown as the sum of the figures the books record",
    "Not known, shown as the sum of the flows the books record by then",
    "Postings that stand for a range, shown at the amount posted",
)


def sections(text: str) -> dict[str, str]:
    """The notice's sentences by their heading ("Ranges, shown at their midpoints": "Income:… 1B–2B; …")."""
    return {
        heading: text.split(f"{heading}: ", 1)[1].split(". ", 1)[0].removesuffix(".")
        for heading in HEADINGS
        if f"{heading}: " in text
    }


# --- 1. as-of: Fava's own pages show today's books, and the notice describes those ------------------------------


@pytest.mark.parametrize("page", ["income_statement", "balance_sheet", "trial_balance"])
@pytest.mark.parametrize("book", [COMBINED, "OpenAI"])
def test_under_as_of_the_notice_describes_the_books_the_page_shows(shipped_fava, book, page):
    today = notice(shipped_fava, book, page=page)["text"]
    as_of = notice(shipped_fava, book, page=page, **{"as-of": AS_OF})
    # Fava ignores as-of: the numbers on the page are today's, and so is every word on them
    said = (
        f"As of {AS_OF}: Fava's own pages, this one too, show the books as they are today whatever as-of says, and "
        'so does this notice; as-of applies to the Leak model page, and to an as-of book (README, "As known on a '
        'date"). '
    )
    assert as_of["text"] == said + today
    # ... and it leads to the page as-of applies to
    assert as_of["href"] == f"/{shipped_fava.slugs[book]}/{LEAK_MODEL}/?as-of={AS_OF}"
    assert as_of["link"] == f"Leak model as known on {AS_OF}"


def test_under_as_of_the_income_statement_notice_no_longer_calls_today_s_figures_unknown(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="income_statement", **{"as-of": AS_OF})["text"]
    # As of 2025-11-13 the books had no revenue for 2024 (Z2 came 2026-06-16), so Microsoft's 20% was not known;
    # today it is 0.2 x 3.65B..3.75B - 493.8M = 236.2M..256.2M for 2024 and not known after: Fava shows 246,200,000.
    assert "Income:OpenAI:RevenueShare:Microsoft ≥ 236,200,000 (shown: 246,200,000)" in text
    assert "Income:OpenAI:RevenueShare:Microsoft for 2024" not in text
    # Z2's audited costs less the itemized lines, today's (Fava shows 30,688,900,000): not "not known"
    assert "Expenses:OpenAI:Costs:NotItemized ≥ 30,627,900,000 (shown: 30,688,900,000)" in text


def test_under_as_of_the_balance_sheet_notice_is_today_s_balances(shipped_fava):
    text = notice(shipped_fava, COMBINED, page="balance_sheet", **{"as-of": AS_OF})["text"]
    # Microsoft's stake today: 11.9B funded (MSK) + the FY2026 gains "6.5B" (6.45B..6.55B) = 18.35B..18.45B,
    # which Fava shows as 18,400,000,000; as of 2025-11-13 it was 17.35B..19.45B, which the page does not show.
    assert "Assets:Microsoft:Investment:OpenAI 18.35B–18.45B" in text and "17.35B–19.45B" not in text
    # what OpenAI owes today is not known either way (its 2026 20% has no revenue): no "≥ 1,737,200,000"
    assert "1,737,200,000" not in text
    assert "the flows the books record by then: Liabilities:OpenAI:Due:Microsoft" in text


# --- 2. the Trial Balance and the account pages -----------------------------------------------------------------


def test_the_trial_balance_notice_names_income_expenses_and_balances_as_it_signs_them(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="trial_balance")["text"]
    found = sections(text)
    bounds = found["Bounds (≥: at least, ≤: at most)"]
    # Z2's "3.7B" + "13.07B" = 16,770,000,000 shown; 3.65B + 13.065B = 16.715B at least, 2026 not known
    assert "Income:OpenAI:Revenue ≥ 16,715,000,000 (shown: 16,770,000,000) (not known for 2026)" in bounds
    # 2024's 0.2 x 3.65B..3.75B - 493.8M = 236.2M..256.2M; 2025's not known
    assert "Income:OpenAI:RevenueShare:Microsoft ≥ 236,200,000 (shown: 246,200,000)" in bounds
    # TI-Q1's "~73B" (± 0.5B) at 2026-03-31 plus MSK's 11.9B - 11.8B funding = 72.6B..73.6B (Fava: 73.1B)
    assert "Assets:OpenAI:Cash 72.6B–73.6B" in found["Ranges, shown at their midpoints"]
    assert (
        "Liabilities:OpenAI:Due:Microsoft" in found["Not known, shown as the sum of the flows the books record by then"]
    )
    # Fava's Trial Balance shows these numbers, income positive (invert-income-liabilities-equity)
    tree = get_json(shipped_fava.client, f"/{shipped_fava.slugs['OpenAI']}/api/trial_balance")["data"]["trees"][0]
    assert balance_of(tree, "Income:OpenAI:Revenue") == Decimal("-16770000000")  # books' sign; shown inverted
    assert balance_of(tree, "Assets:OpenAI:Cash") == Decimal("73100000000")


def balance_of(tree: dict, account: str) -> Decimal:
    if tree["account"] == account:
        return Decimal(tree["balance"]["USD"])
    return next(balance_of(child, account) for child in tree["children"] if account.startswith(child["account"]))


def test_an_income_account_page_names_its_total_and_each_ranged_posting_in_the_books_sign(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="account", of="Income:OpenAI:Revenue")["text"]
    # its two postings: Z2's "3.7B" (3.65B..3.75B) and "13.07B" (13.065B..13.075B), credits in the books
    postings = sections(text)["Postings that stand for a range, shown at the amount posted"]
    assert postings.split("; ") == [
        "2024-12-31 Income:OpenAI:Revenue -3,700,000,000 (-3.75B to -3.65B)",
        "2025-12-31 Income:OpenAI:Revenue -13,070,000,000 (-13.075B to -13.065B)",
    ]
    # its running balance, -16,770,000,000: at most -16,715,000,000, as 2026 is not known
    assert "Income:OpenAI:Revenue ≤ -16,715,000,000 (shown: -16,770,000,000)" in text
    assert "Signed as the books hold them" in text and "Assets:" not in text and "Expenses:" not in text


def test_a_due_account_page_in_a_year_names_its_accrual_and_its_balance(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="account", of="Liabilities:OpenAI:Due:Microsoft", time="2025")["text"]
    # OpenAI's 20% of 13.065B..13.075B = 2.613B..2.615B, a credit of -2,614,000,000 as posted
    postings = sections(text)["Postings that stand for a range, shown at the amount posted"]
    assert postings == "2025-12-31 Liabilities:OpenAI:Due:Microsoft -2,614,000,000 (-2.615B to -2.613B)"
    # at 2025-12-31 it owes 2,614,000,000 - 865,800,000 of payments = 1,748,200,000 posted, 1,749,200,000 at most
    # (the payments also settled Microsoft's 2025 20%, not known): -1,748,200,000 shown, ≥ -1,749,200,000
    assert "Liabilities:OpenAI:Due:Microsoft ≥ -1,749,200,000 (shown: -1,748,200,000)" in text


#: The ranged postings of each company's Due to the other on its account page, as the books sign them: OpenAI's 20%
#: of Z2's "3.7B" (3.65B..3.75B) = 730M..750M and of "13.07B" (13.065B..13.075B) = 2.613B..2.615B, OpenAI's payable
#: (a credit), Microsoft's receivable; between them the net settlement of Microsoft's solved 2024 20%, 0.2 x
#: 3.65B..3.75B - 493.8M of payments (77.3M + 109.5M + 139.2M + 167.8M) = 236.2M..256.2M, the other way.
DUE_POSTINGS = {
    ("Liabilities:OpenAI:Due:Microsoft", "OpenAI"): [
        "2024-12-31 Liabilities:OpenAI:Due:Microsoft -740,000,000 (-750M to -730M)",
        "2024-12-31 Liabilities:OpenAI:Due:Microsoft 246,200,000 (236.2M–256.2M)",
        "2025-12-31 Liabilities:OpenAI:Due:Microsoft -2,614,000,000 (-2.615B to -2.613B)",
    ],
    ("Assets:Microsoft:Due:OpenAI", "Microsoft"): [
        "2024-12-31 Assets:Microsoft:Due:OpenAI 740,000,000 (730M–750M)",
        "2024-12-31 Assets:Microsoft:Due:OpenAI -246,200,000 (-256.2M to -236.2M)",
        "2025-12-31 Assets:Microsoft:Due:OpenAI 2,614,000,000 (2.613B–2.615B)",
    ],
}


@pytest.mark.parametrize(("of", "company"), DUE_POSTINGS)
def test_the_combined_books_due_account_page_names_every_ranged_posting_its_company_s_books_do(
    shipped_fava, of, company
):
    # the combined books post a share's legs of both companies in one entry (OpenAI's expense and Due beside
    # Microsoft's Due and income): each Due moves with its own company's share, as in that company's books
    heading = "Postings that stand for a range, shown at the amount posted"
    combined = sections(notice(shipped_fava, COMBINED, page="account", of=of)["text"])[heading]
    assert combined.split("; ") == DUE_POSTINGS[(of, company)]
    assert combined == sections(notice(shipped_fava, company, page="account", of=of)["text"])[heading]


def test_account_pages_name_the_unitemized_costs_and_the_pads_that_stand_for_ranges(shipped_fava):
    costs = notice(shipped_fava, "OpenAI", page="account", of="Expenses:OpenAI:Costs:NotItemized")["text"]
    # Z2's audited totals less the itemized lines, as `statement OpenAI`'s columns: 2024 12.48B - 3,767.1M of
    # inference - 0.2 x 3.65B..3.75B = 7.9629B..7.9829B; 2025 33.95B..34.05B - 8.67B - 2.613B..2.615B = 22.665B..22.767B
    assert sections(costs)["Postings that stand for a range, shown at the amount posted"].split("; ") == [
        "2024-12-31 Expenses:OpenAI:Costs:NotItemized 7,972,900,000 (7.9629B–7.9829B)",
        "2025-12-31 Expenses:OpenAI:Costs:NotItemized 22,716,000,000 (22.665B–22.767B)",
    ]
    cash = sections(notice(shipped_fava, "OpenAI", page="account", of="Assets:OpenAI:Cash")["text"])
    postings = cash["Postings that stand for a range, shown at the amount posted"].split("; ")
    # the cash legs of those costs and of the audited revenues, and the pads that make up each asserted balance:
    # Z2's ~25B (± 500M) at 2025-12-31 less the cash flows recorded before it: 2024's revenue ± 50M, which moves its
    # cost rest by ∓ 0.2 x 50M = 10M (cash ± 60M); 2025's ± 5M (± 6M) and its audited costs ± 50M: ± 616M in all
    # around the 41,115,600,000 posted; then TI-Q1's ~73B (± 500M) less that 25B (± 500M): ± 1B around 47.8B
    assert "2024-12-31 Assets:OpenAI:Cash -7,972,900,000 (-7.9829B to -7.9629B)" in postings
    assert "2025-12-31 Assets:OpenAI:Cash 41,115,600,000 (40.4996B–41.7316B)" in postings
    assert "2026-01-01 Assets:OpenAI:Cash 47,800,000,000 (46.8B–48.8B)" in postings
    assert cash["Ranges, shown at their midpoints"] == "Assets:OpenAI:Cash 72.6B–73.6B"


# --- 3. and 4. the Income Statement agrees with `leakledger statement`, cell for cell ----------------------------


@pytest.mark.parametrize(("book", "entity"), [("openai.beancount", "OpenAI"), ("microsoft.beancount", "Microsoft")])
def test_the_income_statement_notice_marks_every_total_as_the_statement_does(shipped_fava, book, entity):
    text = notice(shipped_fava, entity, page="income_statement")["text"]
    statement = load_statement(LEDGER_DIR / book, entity)
    for line in statement.lines:
        if line.is_total:
            continue
        cell = statement.cell(line.key, TOTAL_ROW)
        if cell.amount is None and cell.not_known:  # "not known" there: here too, whether shown blank or summed
            assert "Not known" in text and line.key in text.split("Not known", 1)[1], line.key
        elif cell.interval is not None:  # its range or bound, as Fava signs it (income positive, as the statement)
            assert f"{line.key} {range_text(cell.interval)}" in text, line.key
        if cell.partial and cell.covers is not None:  # the statement's "†": the span its figures cover
            assert f"(covers {cell.covers.label})" in text.split(line.key, 1)[1].split(";")[0], line.key


def test_inference_s_total_covers_what_the_leak_covers(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="income_statement")["text"]
    # Z's inference: 2024 (3,767,100,000) and 2025-01..09 (8,670,000,000) = 12,437,100,000, no figure after
    assert "Expenses:OpenAI:Compute:Inference ≥ 12,437,100,000 (not known for 2026) (covers 2024-01..2025-09)" in text


def test_microsoft_s_equity_method_line_is_not_known_as_a_whole_and_what_it_shows_stands_for_a_range(shipped_fava):
    text = notice(shipped_fava, "Microsoft", page="income_statement")["text"]
    found = sections(text)
    # 2024 has no figure: not known, as the statement's total says (not "partial"). Fava shows what is
    # recorded, -5.9B (2025-H2) + -0.6B (2026-H1) = -6,500,000,000 of gains: MSK's FY2026 "6.5B", 6.45B..6.55B.
    assert found["Not known as a whole, shown as the sum of the figures the books record"] == (
        "Expenses:Microsoft:OpenAILosses (shown: -6,500,000,000, within -6.55B to -6.45B) (not known for 2024)"
    )
    assert "OpenAILosses" not in found.get("Partial, covering less than what is shown", "")


def test_microsoft_s_2024_notice_says_the_solved_base_and_that_fava_s_income_total_leaves_it_out(shipped_fava):
    text = notice(shipped_fava, "Microsoft", page="income_statement", time="2024")["text"]
    # Microsoft's 2024 20% is 0.2 x 3.65B..3.75B - 493.8M = 236.2M..256.2M, so Bing + Azure OpenAI Service is that
    # / 0.2 = 1.181B..1.281B (246.2M / 0.2 = 1,231,000,000 posted): solved together, each line blank.
    # Fava's Income: 3,767,100,000 of inference + 740,000,000 of OpenAI's 20% = 4,507,100,000; the statement's
    # total income adds the bases: 4,497.1M..4,517.1M + 1,181M..1,281M, moving together with revenue: 5.6781B..5.7981B.
    assert (
        "Solved as a sum only (each line shown blank, not zero): Income:Microsoft:AzureOpenAIService + "
        "Income:Microsoft:Bing 1.181B–1.281B (for 2024), which Fava's sum of Microsoft's income (4,507,100,000) "
        "leaves out: Microsoft's total income in its statement is 5.6781B–5.7981B."
    ) in text
    income = get_json(shipped_fava.client, f"/{shipped_fava.slugs['Microsoft']}/api/income_statement", time="2024")
    fava_income = next(t for t in income["data"]["trees"] if t["account"] == "Income")
    assert -fava_income["balance_children"]["USD"] == Decimal("4507100000")
    statement = load_statement(LEDGER_DIR / "microsoft.beancount", "Microsoft")
    assert range_text(statement.cell("income", "2024").interval) == "5.6781B–5.7981B"
    # in the books of both, Fava's Income adds OpenAI's 3,946,200,000 too: the notice speaks of Microsoft's part
    both = notice(shipped_fava, COMBINED, page="income_statement", time="2024")["text"]
    assert "which Fava's sum of Microsoft's income (4,507,100,000) leaves out" in both


# --- 5. a filter that leaves out entries the numbers depend on ---------------------------------------------------

#: The heading of the lines a filter leaves postings of (filter_lines), and of those the books' kinds.
PARTIAL = "Partial, covering less than what is shown"
BOUNDS_HEADING = "Bounds (≥: at least, ≤: at most)"


@pytest.mark.parametrize("book", [COMBINED, "OpenAI"])
def test_under_leaked_a_line_it_leaves_nothing_out_of_keeps_the_books_bound(shipped_fava, book):
    text = notice(shipped_fava, book, page="income_statement", filter="#leaked")["text"]
    bounds = sections(text)[BOUNDS_HEADING]
    # #leaked keeps both of OpenAI's revenue postings, Z2's audited "3.7B" (3.65B..3.75B) and "13.07B"
    # (13.065B..13.075B): Fava shows 16,770,000,000 as without the filter. That is no closed range 16.715B-16.825B:
    # 2026's revenue is not known (no figure posts), so the total over every day is at least 16,715,000,000.
    assert "Income:OpenAI:Revenue ≥ 16,715,000,000 (shown: 16,770,000,000) (not known for 2026)" in bounds
    assert "16.715B–16.825B" not in text
    # so are the lines derived from it, which carry #leaked: OpenAI's 20% (0.2 x 16.715B = 3,343,000,000 at least,
    # 0.2 x 16.77B = 3,354,000,000 shown) and the costs the audited totals leave unitemized; Z's inference,
    # 3,767,100,000 + 8,670,000,000 = 12,437,100,000 through 2025-09, is a bound too
    assert (
        "Expenses:OpenAI:RevenueShare:Microsoft ≥ 3,343,000,000 (shown: 3,354,000,000) (not known for 2026)" in bounds
    )
    assert "Expenses:OpenAI:Compute:Inference ≥ 12,437,100,000 (not known for 2026)" in bounds
    assert "3.343B–3.365B" not in text
    # 2026's training compute has no figure under the filter or without it: still not known, not dropped
    assert "Expenses:OpenAI:Compute:Training for 2026" in sections(text)["Not known (shown blank, not zero)"]
    # #leaked leaves out no posting of an income or expense of OpenAI's (in the books of both, Microsoft's #disclosed
    # equity-method line is partial)
    assert ":OpenAI:" not in sections(text).get(PARTIAL, "")


def test_under_leaked_the_cash_it_leaves_lines_of_is_partial_beside_the_books_balance(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="balance_sheet", filter="#leaked")["text"]
    books = shipped_fava.ledger(shipped_fava.slugs["OpenAI"]).all_entries
    # what #leaked leaves out: the 10Q's 11.6B funding and MSQ3's and MSK's remainders (11.8B - 11.6B = 200M,
    # 11.9B - 11.8B = 100M), #disclosed; the two pads that make up Z2's ~25B and TI-Q1's ~73B of cash, untagged
    # untagged, and the balance assertions of those two, which the pads' entries fill up to
    left = [e for e in books if isinstance(e, Transaction | Pad | Balance) and "leaked" not in getattr(e, "tags", ())]
    assert text.startswith(f"Filtered: the filter leaves out {len(left)} of the books' entries")
    partial = sections(text)[PARTIAL].split("; ")
    # cash's lines left out: 11.6B + 41,115,600,000 (the 2025-12-31 pad) + 47,800,000,000 (the 2026-01-01 pad)
    # + 200M + 100M = 100,815,600,000; the books' balance is TI-Q1's ~73B (± 0.5B) + 100M of funding after it
    assert (
        "Assets:OpenAI:Cash (the filter leaves out 5 of its lines, 100,815,600,000 as posted, of the books' balance: "
        "72.6B–73.6B)" in partial
    )
    # Microsoft's funding: all 11.9B (MSK) is left out; the books know it exactly
    assert (
        "Equity:OpenAI:Investment:Microsoft (the filter leaves out all 3 of its lines, 11,900,000,000 as posted, of the "
        "books' balance: exact (the number shown plus what is left out))" in partial
    )
    # a balance none of whose lines it leaves out is the books' own: OpenAI's receivable is at least the 0 shown
    assert "Assets:OpenAI:Due:Microsoft ≥ 0" in sections(text)[BOUNDS_HEADING]
    # ... and the sum Fava shows is no range of the books': none is given as its own
    assert "Ranges, shown at their midpoints" not in text


@pytest.mark.parametrize("page", ["balance_sheet", "trial_balance"])
def test_a_filter_leaving_out_derived_entries_says_which_lines_are_part_of_the_books(shipped_fava, page):
    text = notice(shipped_fava, "OpenAI", page=page, filter=f"-#{GENERATED_TAG}")["text"]
    books = shipped_fava.ledger(shipped_fava.slugs["OpenAI"]).all_entries
    # the transactions the plugins derive (the shares, the settlement, the unitemized costs), which post
    generated = [e for e in books if isinstance(e, Transaction) and GENERATED_TAG in e.tags]
    assert generated
    assert text.startswith(
        f"Filtered: the filter leaves out {len(generated)} of the books' entries ({len(generated)} derived)"
    )
    partial = sections(text)[PARTIAL]
    # Fava shows cash without the derived costs: 2024's 7,972,900,000 and 2025's 22,716,000,000 (the audited totals
    # less the itemized lines) and MSQ3's and MSK's funding remainders, 200M + 100M, against the audited revenues'
    # cash legs, which are not derived: -7,972,900,000 - 22,716,000,000 + 300,000,000 = -30,388,900,000
    assert (
        "Assets:OpenAI:Cash (the filter leaves out 4 of its lines, -30,388,900,000 as posted, of the books' balance: "
        "72.6B–73.6B)" in partial
    )
    # what OpenAI owes Microsoft is all derived: the books' balance is not known, and the notice says so
    assert "Liabilities:OpenAI:Due:Microsoft (the filter leaves out" in partial
    assert "the books' balance: not known)" in partial.split("Liabilities:OpenAI:Due:Microsoft", 1)[1]
    # the pads are no derived entries: the equity they post to is the books' own range
    assert "Equity:OpenAI:Unitemized 88.2996B–89.5316B" in sections(text)["Ranges, shown at their midpoints"]


def test_an_account_filter_keeps_the_books_words_for_its_account_and_marks_the_lines_it_cuts(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="income_statement", account="Income:OpenAI:Revenue")["text"]
    # Fava's account filter keeps the transactions that post to revenue: all of revenue's own lines
    assert "Income:OpenAI:Revenue ≥ 16,715,000,000 (shown: 16,770,000,000) (not known for 2026)" in text
    # and leaves out Z's seven quarters of inference: 3,767,100,000 + 8,670,000,000 = 12,437,100,000
    assert (
        "Expenses:OpenAI:Compute:Inference (the filter leaves out all 7 of its lines, 12,437,100,000 as posted, of the "
        "books' total: ≥ 12,437,100,000 (not known for 2026) (covers 2024-01..2025-09))" in sections(text)[PARTIAL]
    )


def test_a_time_and_a_tag_filter_together_count_what_is_left_out_by_the_window_s_end(shipped_fava):
    text = notice(shipped_fava, "OpenAI", page="balance_sheet", filter="#leaked", time="2025")["text"]
    # by 2025-12-31 #leaked leaves out of cash the 10Q's 11.6B of funding and the 2025-12-31 pad, 41,115,600,000:
    # 52,715,600,000; the books' cash then is Z2's ~25B, ± 500M
    assert (
        "Assets:OpenAI:Cash (the filter leaves out 2 of its lines, 52,715,600,000 as posted, of the books' balance: "
        "24.5B–25.5B)" in sections(text)[PARTIAL]
    )
    # the year's income: #leaked leaves none of it out, and 2025's OpenAI revenue is Z2's 13.065B..13.075B
    income = notice(shipped_fava, "OpenAI", page="income_statement", filter="#leaked", time="2025")["text"]
    assert "Income:OpenAI:Revenue 13.065B–13.075B" in income and PARTIAL in income
    assert "Income:OpenAI:RevenueShare:Microsoft for 2025" in sections(income)["Not known (shown blank, not zero)"]


@pytest.fixture(scope="module")
def first_leak_books(first_leak_main):
    """Fava on the books as the first leak left them: OpenAI's revenue only as the payments imply it."""
    return fava(first_leak_main)


def test_where_the_filter_leaves_out_every_implied_revenue_no_bound_is_said_of_what_is_shown(first_leak_books):
    # the first leak's net payments imply revenue of at least (493,800,000 + 865,800,000) / 0.2 = 6,798,000,000 in
    # seven quarters (2024-Q1..2025-Q3); the plugins derive those seven lines, which -#generated leaves out
    plain = notice_of(first_leak_books, page="income_statement")
    assert "Income:OpenAI:Revenue ≥ 6,798,000,000 (not known for 2026)" in plain
    text = notice_of(first_leak_books, page="income_statement", filter=f"-#{GENERATED_TAG}")
    assert (
        "Income:OpenAI:Revenue (the filter leaves out all 7 of its lines, 6,798,000,000 as posted, of the books' "
        "total: ≥ 6,798,000,000 (not known for 2026) (covers 2024-01..2025-09))" in sections(text)[PARTIAL]
    )
    # Fava shows no revenue then: nothing on the page is "at least what is shown"
    assert "≥ Lower bounds" not in text and "implied revenue" not in text
    # #leaked keeps them (a derived entry carries its source's kind): the bound is the books', not a closed range
    leaked = notice_of(first_leak_books, page="income_statement", filter="#leaked")
    assert "Income:OpenAI:Revenue ≥ 6,798,000,000 (not known for 2026)" in sections(leaked)[BOUNDS_HEADING]


def notice_of(books, **query) -> str:
    """The notice's text on a Fava of one book."""
    return (get_json(books.client, f"/{books.slug}/{BOUNDS}", **query)["notice"] or {}).get("text", "")


def test_a_filter_that_leaves_out_nothing_says_nothing_of_it(shipped_fava):
    # every entry of the books is dated by 2026: a filter keeping them all is no artefact
    text = notice(shipped_fava, "OpenAI", page="balance_sheet", filter="-#no-such-tag")["text"]
    assert "Filtered" not in text and "Assets:OpenAI:Cash 72.6B–73.6B" in text


# --- 6. an account's views by period: the journal view's notice, its postings counted per column ----------------


#: What an account's views by period say of its ranged postings: each column sums those dated in it, a balance
#: carries them on.
VIEWS = {
    "changes": "Postings that stand for a range, counted at the amount posted in the column of their date",
    "balances": "Postings that stand for a range, counted at the amount posted in the column of their date and every "
    "later one",
}


@pytest.mark.parametrize("view", ["changes", "balances"])
def test_an_account_s_views_by_period_carry_the_journal_view_s_notice(shipped_fava, view):
    of = "Income:OpenAI:Revenue"
    journal = notice(shipped_fava, "OpenAI", page="account", of=of)["text"]
    by_period = notice(shipped_fava, "OpenAI", page="account", of=of, r=view)["text"]
    # the same numbers, the same words, but that its postings are counted in columns (Z2's two audited revenues)
    assert by_period == journal.replace("Postings that stand for a range, shown at the amount posted", VIEWS[view])
    assert f"{VIEWS[view]}: 2024-12-31 Income:OpenAI:Revenue -3,700,000,000 (-3.75B to -3.65B)" in by_period
    assert "Income:OpenAI:Revenue ≤ -16,715,000,000 (shown: -16,770,000,000) (not known for 2026)" in by_period


# --- in Chromium: LeakModel.js puts the notice atop the pages it was missing from --------------------------------


def test_the_notice_stands_atop_the_trial_balance_an_account_page_and_under_as_of(page, served):
    openai = f"{served.origin}openai/"
    load(page, f"{openai}trial_balance/")
    page.wait_for_selector(TREE_TABLE)
    notice = page.locator(".leak-bound-notice")
    notice.wait_for()
    assert "Income:OpenAI:Revenue ≥ 16,715,000,000 (shown: 16,770,000,000)" in notice.inner_text()
    screenshot(page, "notice-trial-balance", full_page=False)
    load(page, f"{openai}account/Liabilities:OpenAI:Due:Microsoft/?time=2025")
    notice.wait_for()
    text = notice.inner_text()
    assert "2025-12-31 Liabilities:OpenAI:Due:Microsoft -2,614,000,000 (-2.615B to -2.613B)" in text
    screenshot(page, "notice-account-due", full_page=False)
    load(page, f"{openai}income_statement/?as-of={AS_OF}")
    notice.wait_for()
    assert notice.inner_text().startswith(f"As of {AS_OF}: Fava's own pages")
    assert notice.locator("a").get_attribute("href") == f"/openai/{LEAK_MODEL}/?as-of={AS_OF}"
    screenshot(page, "notice-income-statement-as-of", full_page=False)
    # an account's changes by period: its postings counted in their year's column (Z2's "3.7B" in 2024's)
    load(page, f"{openai}account/Income:OpenAI:Revenue/?r=changes&interval=year")
    page.wait_for_selector(TREE_TABLE)
    notice.wait_for()
    assert "counted at the amount posted in the column of their date: 2024-12-31" in notice.inner_text()
    screenshot(page, "notice-account-changes", full_page=False)
    # and under #leaked, the cash it leaves lines of is partial (see the Flask tests for the arithmetic)
    load(page, f"{openai}balance_sheet/?filter=%23leaked")
    page.wait_for_selector(TREE_TABLE)
    notice.wait_for()
    assert "Assets:OpenAI:Cash (the filter leaves out 5 of its lines" in notice.inner_text()
    screenshot(page, "notice-balance-sheet-leaked", full_page=False)
    assert page.errors == []


# --- 1. (the Leak model page) under as-of, a figure's link leads to entries today's books hold ---------------------


def test_under_as_of_a_figure_s_link_leads_to_entries_today_s_books_hold(shipped_fava):
    from urllib.parse import parse_qs, urlsplit

    slug = shipped_fava.slugs["OpenAI"]
    row = next(
        r
        for r in shipped_fava.model(slug=slug, **{"as-of": AS_OF})["reconcile_table"]
        if r["metric"] == "revenue-run-rate"
    )
    # ALT's "more than 20B" run rate beside the implied one as of 2025-11-13: 2025-Q3's net payment 411,100,000 / 0.2
    # = 2,055,500,000, x 4 = 8,222,000,000, a lower bound; the implied revenues it comes from are gone from today's
    # books (Z2's audited revenue replaced them), so a journal filtered to them would be empty
    assert Decimal(row["implied"]) == Decimal("411100000") / Decimal("0.2") * 4 == Decimal("8222000000")
    journal = f"/{slug}/api/journal"
    assert get_json(shipped_fava.client, journal, filter='rule:"implied-revenue"')["data"] == []
    expression = parse_qs(urlsplit(row["links"]["implied"]).query)["filter"][0]
    # it leads to the payments it was implied from, which today's books hold: 2025-Q3's among them
    assert "^revenue-share-2025-q3" in expression.split(", ")
    shown = get_json(shipped_fava.client, journal, filter=expression)["data"]
    assert any("Revenue share OpenAI paid Microsoft, net (2025-Q3)" == entry.get("narration") for entry in shown)


def test_an_account_page_of_many_ranged_postings_names_the_first_few(shipped_fava):
    from leakledger.page_notice import POSTINGS_NAMED

    text = notice(shipped_fava, COMBINED, page="account", of="Assets")["text"]
    said = sections(text)["Postings that stand for a range, shown at the amount posted"].split("; ")
    # every asset of both companies: OpenAI's cash moves with Z2's two audited revenues, the costs left after its
    # audited totals, and its two pads (6); the Dues with Microsoft's solved 2024 20% (0.2 x 3.65B..3.75B - 493.8M),
    # accrued and settled on OpenAI's, settled on Microsoft's, which also accrues OpenAI's 20% of 2024 and 2025 (5);
    # Microsoft's stake with its two ranged equity-method gains (MSQ2's "about 10B", the FY2026 rest) (2): 13
    assert len(said) == POSTINGS_NAMED + 1 and said[-1] == f"and {13 - POSTINGS_NAMED} more"
    assert said[0] == "2024-12-31 Assets:OpenAI:Cash 3,700,000,000 (3.65B–3.75B)"


def test_a_scenario_s_notice_says_the_hole_in_a_total_and_a_solved_base_beside_a_recorded_one_is_never_negative():
    """openai-revenue-to-2030 posts no revenue for 2026-Q1 (TI-Q1's 5.7B is reported only): the revenue's total
    covers 2024..2030 less 2026-Q1, which the notice says, as the statement's "†". azure-openai-growth records Azure
    OpenAI Service for 2024 (0.5B..1.5B); Bing is what the payments leave of 1.181B..1.281B beside it, cut at 0:
    0..1,281,000,000 − 500,000,000 = 0..781,000,000 (the books' own base-low/base-high), never below 0."""
    from leakledger.book_model import BookModel
    from leakledger.books import load_clean
    from leakledger.plain_numbers import plain_number_notes

    scenarios = LEDGER_DIR / "scenarios"
    projected = plain_number_notes(BookModel(*load_clean(scenarios / "openai-revenue-to-2030.beancount")))
    # 3.65B..3.75B + 13.065B..13.075B + the scenario's 651,963,000,000 from 2026-04, in the books' sign (income < 0)
    assert "Income:OpenAI:Revenue -668.788B to -668.678B (covers 2024-01..2030-12 except 2026-Q1)" in projected["range"]
    azure = plain_number_notes(BookModel(*load_clean(scenarios / "azure-openai-growth.beancount")), inverted=True)
    [solved] = azure["solved"]
    assert solved.startswith("Income:Microsoft:Bing 0–781M (shown: posted 231,000,000, not its midpoint) (for 2024)")
