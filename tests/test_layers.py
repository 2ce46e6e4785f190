"""The layering rule: the core imports no front end, and every CLI module imports on its own.

errors -> periods/amounts -> model -> figures -> derived records -> tables ->
presentation -> renderers (cli/, fava_ext/, leakledger/publish). The core
(the modules directly in leakledger/) and leakledger.publish import none of
fava, flask, typer, click, leakledger.cli or leakledger.fava_ext, nor a
plugin (the plugins derive entries from the core, not the other way round).
Each module is imported in a fresh interpreter, so one module's imports
cannot hide another's.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from pathlib import Path

import leakledger.cli
import pytest

import leakledger
import leakledger.publish

FRONT_ENDS = ("fava", "flask", "typer", "click", "leakledger.cli", "leakledger.fava_ext", "leakledger.plugins")
#: The console script's dispatcher: it picks a command and imports the CLI (inside main(), on purpose).
ENTRY_POINT = "leakledger.__main__"


def _modules(package) -> list[str]:
    return sorted(f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__) if not m.ispkg)


CORE = [m for m in _modules(leakledger) if m != ENTRY_POINT] + ["leakledger.publish", *_modules(leakledger.publish)]
CLI = _modules(leakledger.cli)

_LOADED = """
import importlib, sys
importlib.import_module(sys.argv[1])
front = sys.argv[2].split(",")
print(",".join(sorted(m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in front))))
"""


def _import_alone(module: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _LOADED, module, ",".join(FRONT_ENDS)], capture_output=True, text=True, timeout=120
    )


def test_the_lists_are_not_empty():
    # A package-dir change that hid the modules would make every test below pass on nothing.
    assert "leakledger.reports" in CORE and "leakledger.publish.site" in CORE and "leakledger.book_model" in CORE
    assert "leakledger.cli.report" in CLI and len(CLI) >= 10


@pytest.mark.parametrize("module", CORE)
def test_core_module_loads_no_front_end(module):
    done = _import_alone(module)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"importing {module} loads {done.stdout.strip()}"


@pytest.mark.parametrize("module", CLI)
def test_cli_module_imports_on_its_own(module):
    done = _import_alone(module)
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1]


def _imported_names(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("module", CORE)
def test_core_module_has_no_deferred_front_end_import(module):
    """An import inside a function would pass the test above and load the front end later, on a call."""
    path = Path(importlib.util.find_spec(module).origin).resolve()
    wrong = [
        f"{path.name}:{line} imports {name}"
        for line, name in _imported_names(path)
        if any(name == f or name.startswith(f + ".") for f in FRONT_ENDS)
    ]
    assert not wrong, wrong
