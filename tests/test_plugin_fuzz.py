"""The plugins over random multi-period ledgers: balanced per entity, Due = the model's gap.

tests/test_properties.py (the plugins' own) varies rates, bases and one
payment in one quarter. Here a ledger spans 2021-2024: net payments over
some quarters, OpenAI revenue recorded in some of them, Microsoft's Bing and
Azure OpenAI revenue anywhere, and base postings in quarters no payment
covers. Loaded through Beancount with the shipped plugin chain:

- every transaction, hand-written or generated, balances within each entity;
- over each quarter with a payment N and recorded OpenAI revenue R, the
  residual in Liabilities:OpenAI:Due:Microsoft is the model's gap,
  N + Microsoft's share - OpenAI's share (rate x R), and Microsoft's Due
  mirrors it; with no revenue recorded the implied revenue closes it to 0;
- over a quarter with no payment, each side's Due just accrues its share.

Base amounts are whole thousands of dollars and rates have three decimals,
so every share is exact to the cent however the plugin buckets postings.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data
from hypothesis import given, settings
from hypothesis import strategies as st
from ledgers import OPENS, load, payment, revenue, rule

from leakledger.model import ENTITIES, A, entity_of
from leakledger.periods import parse_period

D = Decimal
QUARTERS = [parse_period(f"{year}-Q{q}") for year in range(2021, 2025) for q in range(1, 5)]
MICROSOFT_BASES = (A.MS_BING, A.MS_AZURE_OPENAI)

rates = st.integers(0, 1000).map(lambda n: D(n) / 1000)
positive_rates = st.integers(1, 1000).map(lambda n: D(n) / 1000)
thousands = st.integers(1, 10**7).map(lambda n: D(n * 1000))  # 1,000 to 10,000,000,000 USD
payments = st.integers(1, 10**12).map(lambda n: D(n) / 100)
day_in_quarter = st.integers(0, 89)
quarter = st.fixed_dictionaries(
    {
        "payment": st.none() | payments,
        "revenue": st.lists(st.tuples(day_in_quarter, thousands), max_size=2),
        "microsoft": st.lists(st.tuples(st.sampled_from(MICROSOFT_BASES), day_in_quarter, thousands), max_size=3),
    }
)


def ledger_text(openai_rate, microsoft_rates, quarters) -> str:
    text = OPENS + rule("2019-07-22", A.OAI_REVENUE, "Microsoft", str(openai_rate))
    for base, rate in zip(MICROSOFT_BASES, microsoft_rates):
        text += rule("2019-07-22", base, "OpenAI", str(rate))
    for period, q in zip(QUARTERS, quarters):
        for offset, amount in q["revenue"]:
            text += revenue(
                (period.start + datetime.timedelta(days=offset)).isoformat(), A.OAI_REVENUE, f"{amount:.2f}"
            )
        for base, offset, amount in q["microsoft"]:
            text += revenue((period.start + datetime.timedelta(days=offset)).isoformat(), base, f"{amount:.2f}")
        if q["payment"] is not None:
            text += payment(
                period.end.isoformat(),
                period.start.isoformat(),
                f"{q['payment']:.2f}",
                f"revenue-share-{period.label.lower()}",
            )
    return text


def moved(entries, account: str, period) -> Decimal:
    """What the postings to an account over a period add up to."""
    return sum(
        (
            p.units.number
            for e in entries
            if isinstance(e, data.Transaction) and period.contains_date(e.date)
            for p in e.postings
            if p.account == account
        ),
        D(0),
    )


@settings(max_examples=25, deadline=None)
@given(
    openai_rate=positive_rates,
    microsoft_rates=st.tuples(rates, rates),
    quarters=st.lists(quarter, min_size=len(QUARTERS), max_size=len(QUARTERS)),
)
def test_random_books_balance_per_entity_and_due_holds_the_gap(openai_rate, microsoft_rates, quarters):
    entries, errors, _ = load(ledger_text(openai_rate, microsoft_rates, quarters))
    assert errors == []

    for entry in entries:
        if isinstance(entry, data.Transaction):
            for entity in ENTITIES:
                total = sum((p.units.number for p in entry.postings if entity_of(p.account) == entity), D(0))
                assert total == 0, (entry.date, entry.narration, entity, total)

    ms_rate = dict(zip(MICROSOFT_BASES, microsoft_rates))
    for period, q in zip(QUARTERS, quarters):
        openai_share = openai_rate * sum((amount for _, amount in q["revenue"]), D(0))
        microsoft_share = sum((ms_rate[base] * amount for base, _, amount in q["microsoft"]), D(0))
        due_to_microsoft = moved(entries, A.OAI_DUE_TO_MS, period)
        if q["payment"] is None:
            # Nothing settles: OpenAI owes its share, Microsoft owes its share.
            assert due_to_microsoft == -openai_share
            assert moved(entries, A.OAI_DUE_FROM_MS, period) == microsoft_share
            assert moved(entries, A.MS_DUE_TO_OAI, period) == -microsoft_share
            continue
        # The model's gap: the net payment, plus what Microsoft's share set off, less OpenAI's share.
        gap = q["payment"] + microsoft_share - openai_share if q["revenue"] else D(0)
        assert due_to_microsoft == gap, period
        assert moved(entries, A.MS_DUE_FROM_OAI, period) == -gap
        assert moved(entries, A.OAI_DUE_FROM_MS, period) == 0
        assert moved(entries, A.MS_DUE_TO_OAI, period) == 0
