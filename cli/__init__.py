"""The `leakledger` command line (typer). Heavy imports stay inside commands."""
