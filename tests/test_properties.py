"""Properties of the share arithmetic, over random rates, bases and payments.

Each example is a ledger loaded through Beancount with the plugin chain:
every generated transaction balances to the cent within each entity, and
the implied revenue times OpenAI's rate, less Microsoft's share, is the
payment, to the cent. Examples are few (the suite stays fast).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from ledgers import DUE_ACCOUNTS, OPENS, balance, generated, load, payment, revenue, rule

from leakledger.model import ENTITIES, A, entity_of, implied_revenue_split, share_of

D = Decimal
SETTINGS = settings(max_examples=40, deadline=None)

rates = st.integers(0, 1000).map(lambda n: D(n) / 1000)
positive_rates = st.integers(1, 1000).map(lambda n: D(n) / 1000)
cents = st.integers(1, 10**12).map(lambda n: D(n) / 100)  # up to 10,000,000,000.00
few_cents = st.integers(1, 1000).map(lambda n: D(n) / 100)  # where rounding bites
days = st.integers(0, 90)  # offsets into 2024-Q1
items = st.lists(st.tuples(st.sampled_from([A.MS_BING, A.MS_AZURE_OPENAI]), days, cents), max_size=6)

Q1_START = datetime.date(2024, 1, 1)


def _books(openai_rate, bing_rate, azure_rate, base_items, net, extra=""):
    text = (
        OPENS
        + rule("2019-07-22", A.OAI_REVENUE, "Microsoft", str(openai_rate))
        + rule("2019-07-22", A.MS_BING, "OpenAI", str(bing_rate))
        + rule("2019-07-22", A.MS_AZURE_OPENAI, "OpenAI", str(azure_rate))
        + extra
    )
    for account, offset, amount in base_items:
        text += revenue((Q1_START + datetime.timedelta(days=offset)).isoformat(), account, f"{amount:.2f}")
    text += payment("2024-03-31", "2024-01-01", f"{net:.2f}", "revenue-share-2024-q1")
    return load(text)


def _assert_each_entity_balances(entries):
    for entry in generated(entries):
        for entity in ENTITIES:
            total = sum((p.units.number for p in entry.postings if entity_of(p.account) == entity), D(0))
            assert total == 0, (entry.narration, entity, total)
        assert all(p.units.number == p.units.number.quantize(D("0.01")) for p in entry.postings)


@SETTINGS
@given(positive_rates, rates, rates, items, cents)
def test_implied_revenue_times_rate_less_microsoft_share_is_the_payment(
    openai_rate, bing_rate, azure_rate, base_items, net
):
    books = _books(openai_rate, bing_rate, azure_rate, base_items, net)
    entries, errors, _ = books
    assert errors == []
    _assert_each_entity_balances(entries)
    [imp] = generated(entries, "implied-revenue")
    ms_share = imp.meta["microsoft-share"].number
    assert share_of(imp.meta["revenue"].number, openai_rate) - ms_share == net
    # Microsoft's share is the rate on its base, to a cent per accrual.
    exact = sum(
        (amount * (bing_rate if account == A.MS_BING else azure_rate) for account, _, amount in base_items), D(0)
    )
    accruals = [e for e in generated(entries, "revenue-share") if entity_of(e.meta["base-account"]) == "Microsoft"]
    months = {(account, (Q1_START + datetime.timedelta(days=offset)).month) for account, offset, _ in base_items}
    assert abs(ms_share - exact) <= D("0.005") * len(months)  # half a cent per monthly accrual, at most
    assert ms_share == sum((e.meta["share"].number for e in accruals), D(0))
    # Consistent books: every Due account is zero after the settlement.
    for account in DUE_ACCOUNTS:
        assert balance(books, account, "2024-03-31") == 0


@SETTINGS
@given(positive_rates, rates, items, cents, cents)
def test_recorded_revenue_leaves_exactly_the_gap_in_due(openai_rate, bing_rate, base_items, recorded, net):
    extra = revenue("2024-02-15", A.OAI_REVENUE, f"{recorded:.2f}")
    books = _books(openai_rate, bing_rate, bing_rate, base_items, net, extra)
    entries, errors, _ = books
    assert errors == []
    _assert_each_entity_balances(entries)
    assert generated(entries, "implied-revenue") == []
    shares = {entity_of(e.meta["base-account"]): D(0) for e in generated(entries, "revenue-share")}
    for e in generated(entries, "revenue-share"):
        shares[entity_of(e.meta["base-account"])] += e.meta["share"].number
    gap = net - (shares.get("OpenAI", D(0)) - shares.get("Microsoft", D(0)))
    assert balance(books, A.OAI_DUE_TO_MS, "2024-03-31") == gap
    assert balance(books, A.MS_DUE_FROM_OAI, "2024-03-31") == -gap
    assert balance(books, A.OAI_DUE_FROM_MS, "2024-03-31") == 0
    assert balance(books, A.MS_DUE_TO_OAI, "2024-03-31") == 0


@SETTINGS
@given(positive_rates, rates, st.integers(1, 89), items, cents)
def test_a_rate_change_inside_the_period_still_settles_to_the_cent(first_rate, second_rate, change, base_items, net):
    changed = (Q1_START + datetime.timedelta(days=change)).isoformat()
    extra = rule(changed, A.OAI_REVENUE, "Microsoft", str(second_rate))
    books = _books(first_rate, D("0.2"), D("0.2"), base_items, net, extra)
    entries, errors, _ = books
    assert errors == []
    _assert_each_entity_balances(entries)
    pieces = generated(entries, "implied-revenue")
    ms_share = pieces[0].meta["microsoft-share"].number
    assert sum(share_of(p.meta["revenue"].number, p.meta["rate"]) for p in pieces) - ms_share == net
    for account in DUE_ACCOUNTS:
        assert balance(books, account, "2024-03-31") == 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 366), rates), min_size=1, max_size=5),
    st.one_of(cents, few_cents),
    st.one_of(cents, few_cents),
)
def test_the_split_arithmetic_adds_up_exactly(spans, net, ms_share):
    if not any(rate > 0 for _, rate in spans):
        spans = [*spans, (1, D("0.2"))]
    pieces = implied_revenue_split(net, ms_share, spans)
    assert sum(share_of(p, rate) for p, (_, rate) in zip(pieces, spans)) == net + ms_share
    assert all(p >= 0 for p in pieces)
