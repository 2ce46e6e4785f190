"""Where the books are: the shipped ledger, scenarios, and `--ledger` handling."""

from __future__ import annotations

import os
from pathlib import Path

from leakledger.errors import NotFound

#: The repository's books. Overridable with LEAKLEDGER_LEDGER or --ledger.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LEDGER = PROJECT_ROOT / "ledger" / "main.beancount"
SCENARIOS_DIR = PROJECT_ROOT / "ledger" / "scenarios"


def default_ledger() -> Path:
    return Path(os.environ.get("LEAKLEDGER_LEDGER", DEFAULT_LEDGER)).resolve()


def scenario_ledger(name: str) -> Path:
    """The top-level file of a scenario book, by name or path."""
    candidate = Path(name)
    if candidate.suffix == ".beancount" and candidate.exists():
        return candidate.resolve()
    path = SCENARIOS_DIR / f"{name}.beancount"
    if not path.exists():
        known = sorted(p.stem for p in SCENARIOS_DIR.glob("*.beancount"))
        raise NotFound(f"no scenario {name!r}; known: {', '.join(known) or 'none'}")
    return path


def company_ledger(entity: str, main: Path | None = None) -> Path:
    """A company's own book beside the combined one: ledger/openai.beancount, ledger/microsoft.beancount."""
    return (main or default_ledger()).parent / f"{entity.lower()}.beancount"


def company_ledgers(main: Path | None = None) -> list[Path]:
    """The company books that exist beside the combined one, OpenAI's first."""
    from leakledger.model import ENTITIES

    return [path for entity in ENTITIES if (path := company_ledger(entity, main)).is_file()]
