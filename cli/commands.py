"""Registers every command module on the app (import order = help order)."""

from leakledger.cli import init  # noqa: F401
from leakledger.cli import add  # noqa: F401
from leakledger.cli import importing  # noqa: F401
from leakledger.cli import serve  # noqa: F401
from leakledger.cli import report, statement, reconcile, scenario, explain  # noqa: F401,E401
from leakledger.cli import publish  # noqa: F401
