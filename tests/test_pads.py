"""Which balance assertion a pad fills (leakledger.pads), on the shipped books' OpenAI cash (ledger/cash.beancount).

The books pad Assets:OpenAI:Cash on 2025-12-31 and again on 2026-01-01, with
balance assertions on 2026-01-01 (about 25B, OpenAI's cash at 2025-12-31) and
2026-04-01 (about 73B, at 2026-03-31).
"""

import datetime
from decimal import Decimal

from beancount.core import data, flags

from leakledger import pads
from leakledger.model import A


def test_each_pad_and_its_padding_fill_the_next_assertion_not_one_on_their_own_day(books):
    entries, errors, _ = books
    assert not errors
    asserted = pads.assertions(entries)
    directives = [e for e in entries if isinstance(e, data.Pad)]
    padding = [e for e in entries if isinstance(e, data.Transaction) and e.flag == flags.FLAG_PADDING]
    assert [p.date for p in directives] == [datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)]
    assert [p.date for p in padding] == [p.date for p in directives]
    for pad in [*directives, *padding]:
        assert pads.padded_account(pad) == A.OAI_CASH
    filled = {(type(p).__name__, p.date): pads.filled_by(asserted, p) for p in [*directives, *padding]}
    # the 2025-12-31 pad fills the 25B assertion of the next day; the 2026-01-01 pad skips the assertion dated on its
    # own day (checked before it) and fills the 73B one of 2026-04-01
    for kind in ("Pad", "Transaction"):
        first, second = filled[(kind, datetime.date(2025, 12, 31))], filled[(kind, datetime.date(2026, 1, 1))]
        assert (first.date, first.amount.number) == (datetime.date(2026, 1, 1), Decimal("25000000000.00"))
        assert (second.date, second.amount.number) == (datetime.date(2026, 4, 1), Decimal("73000000000.00"))


def test_other_entries_and_a_pad_with_no_later_assertion_fill_nothing(books):
    entries, _, _ = books
    asserted = pads.assertions(entries)
    last = next(e for e in reversed(entries) if isinstance(e, data.Pad))
    assert pads.filled_by(asserted, last._replace(date=datetime.date(2026, 4, 1))) is None
    balance = asserted[A.OAI_CASH][0]
    assert pads.padded_account(balance) is None and pads.filled_by(asserted, balance) is None
