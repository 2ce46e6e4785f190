"""Registers every command module on the app (import order = help order)."""

from leakledger.cli import check  # noqa: F401
