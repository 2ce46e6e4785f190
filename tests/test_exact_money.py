"""Money is exact from the books to every output: Decimal cents, never a float.

Two checks: the report path carries amounts a float cannot hold (0.10 + 0.20,
and 999,999,999,999,999.99, beyond float64's 15-16 significant digits) to CSV
and JSON digit for digit; and no module of leakledger/, cli/ or fava_ext/
converts anything to float.
"""

from __future__ import annotations

import ast
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PLUGINS, ROOT
from leakledger.cli.app import app
from ledgers import OPENS, RULES, payment
from typer.testing import CliRunner

D = Decimal
PACKAGES = ("leakledger", "cli", "fava_ext")

# 2024-Q1 0.10 and 2024-Q2 0.20: 0.30 together (in float64, 0.1 + 0.2 = 0.30000000000000004);
# 2025: 999,999,999,999,999.99, which float64 rounds to 1e15.
LEDGER = (
    OPENS
    + RULES
    + payment("2024-03-31", "2024-01-01", "0.10", "revenue-share-2024-q1")
    + payment("2024-06-30", "2024-04-01", "0.20", "revenue-share-2024-q2")
    + payment("2025-12-31", "2025-01-01", "999999999999999.99", "revenue-share-2025")
)


@pytest.fixture
def books(tmp_path) -> Path:
    path = tmp_path / "exact.beancount"
    path.write_text(PLUGINS + LEDGER, encoding="utf-8")
    return path


def test_csv_and_json_carry_every_cent(books):
    runner = CliRunner()
    csv_text = runner.invoke(app, ["report", "--ledger", str(books), "--format", "csv"]).output
    rows = {row["period"]: row for row in csv.DictReader(io.StringIO(csv_text))}
    # 2024: net 0.10 + 0.20 = 0.30, implied revenue 0.30 / 0.20 = 1.50
    assert rows["2024"]["net_payment"] == "0.30" and rows["2024"]["implied_revenue"] == "1.50"
    # 2025: implied 999,999,999,999,999.99 / 0.20 = 4,999,999,999,999,999.95
    assert rows["2025"]["net_payment"] == "999999999999999.99"
    assert rows["2025"]["implied_revenue"] == "4999999999999999.95"
    assert rows["total"]["net_payment"] == "1000000000000000.29"
    records = json.loads(runner.invoke(app, ["report", "--ledger", str(books), "--format", "json"]).output)
    assert [r["implied_revenue"] for r in records] == ["1.50", "4999999999999999.95", "5000000000000001.45"]


def _float_conversions(path: Path) -> list[str]:
    """Calls of float(...) and float dtypes ("float64", "float") in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: float(...)")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("float"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return found


def test_no_module_converts_to_float():
    modules = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    assert len(modules) > 20
    assert [hit for path in modules for hit in _float_conversions(path)] == []
