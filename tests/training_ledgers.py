"""Docstring-ledger pieces for the add and check tests: training-compute figures.

Training compute has no figure in the shipped books, so these never collide
with the leak's own figures.
"""

from __future__ import annotations

TRAINING_ACCOUNTS = """
2019-01-01 open Assets:OpenAI:Cash USD
2019-01-01 open Expenses:OpenAI:Compute:Training USD
2019-01-01 open Equity:OpenAI:Investment:Microsoft USD
2019-01-01 open Assets:Microsoft:Investment:OpenAI USD
2019-01-01 open Income:Microsoft:Azure:OpenAICompute USD
"""


def training(start: str, end: str, amount: str, link: str) -> str:
    """A leaked training-compute figure over [start, end], in both entities' books."""
    return f"""
{end} * "Training ({link})" #leaked ^{link}
  metric: "training"
  period-start: {start}
  source: "S"
  Expenses:OpenAI:Compute:Training       {amount} USD
  Equity:OpenAI:Investment:Microsoft    -{amount} USD
  Assets:Microsoft:Investment:OpenAI     {amount} USD
  Income:Microsoft:Azure:OpenAICompute  -{amount} USD
"""
