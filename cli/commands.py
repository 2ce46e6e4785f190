"""Registers every command module on the app (import order = help order)."""

from leakledger.cli import (  # noqa: F401,E401
    add,  # noqa: F401
    explain,
    importing,  # noqa: F401
    init,  # noqa: F401
    publish,  # noqa: F401
    reconcile,
    report,
    scenario,
    serve,  # noqa: F401
    statement,
    timeline,  # noqa: F401
)
