"""The wheel works as a tool, away from any clone: CI builds it, installs it into a fresh venv, and uses it.

One venv per session (building and installing takes about a minute: the
dependencies come from the package index, as `pipx install` would fetch them).
Everything runs as a separate process with the venv's `leakledger` first on
PATH, from folders outside the repository: an empty folder (no books, one line
naming init), then the books `init` writes, from their folder and a subfolder.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, snapshot

from bench.common import serving

pytestmark = pytest.mark.wheel

#: Not part of the source a wheel is built from.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "test-output",
    "__pycache__",
    "*.egg-info",
    ".hypothesis",
    ".pytest_cache",
    "*.picklecache",
    "node_modules",
)


@pytest.fixture(scope="session")
def tool(tmp_path_factory):
    """run(*argv, cwd=...) -> CompletedProcess of the installed `leakledger`, and the venv's folder."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE, symlinks=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(base / "dist"), str(source)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    [wheel] = (base / "dist").glob("leakledger-*.whl")
    venv = base / "venv"
    # A venv with nothing in it, filled by this pip (as pipx does); modules compile as they are first imported.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--no-compile",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "LEAKLEDGER_LEDGER")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", BEANCOUNT_DISABLE_LOAD_CACHE="1", COLUMNS="200")

    def run(*argv: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["leakledger", *argv], capture_output=True, text=True, cwd=cwd, env=env, timeout=180, **kwargs
        )

    run.env, run.venv = env, venv
    return run


@pytest.fixture(scope="session")
def books(tool, tmp_path_factory) -> Path:
    """`leakledger init mybooks`, run by the installed tool in an empty folder."""
    folder = tmp_path_factory.mktemp("user")
    done = tool("init", "mybooks", cwd=folder)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return folder / "mybooks"


def test_the_tool_is_the_wheel_not_the_clone(tool, tmp_path):
    code = "import leakledger, leakledger.cli.init as i; print(leakledger.__file__); print(i.shipped_books())"
    done = subprocess.run(
        [str(tool.venv / "bin" / "python"), "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=tool.env,
        timeout=60,
    )
    package, shipped = done.stdout.split()
    assert Path(package).is_relative_to(tool.venv) and Path(shipped).is_relative_to(tool.venv)
    assert not Path(shipped).is_symlink() and (Path(shipped) / "main.beancount").is_file()


def test_from_an_empty_folder_report_names_init(tool, tmp_path):
    done = tool("report", cwd=tmp_path)
    assert done.returncode == 3 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("error: no books in ") and "`leakledger init`" in line
    assert "--ledger" in line and "LEAKLEDGER_LEDGER" in line


def test_init_writes_the_books_with_the_company_books(books):
    names = {str(p.relative_to(books)) for p in books.rglob("*") if p.is_file()}
    assert {
        "main.beancount",
        "openai.beancount",
        "microsoft.beancount",
        "README.md",
        "import.py",
        "scenarios/azure-openai-growth.beancount",
        "imports/leak-2025-11-12.csv",
    } <= names


@pytest.mark.parametrize("where", [".", "scenarios"])
def test_check_report_add_and_scenarios_work_on_the_books(tool, books, where):
    cwd = books / where
    done = tool("check", cwd=cwd)
    assert done.returncode == 0 and done.stdout.startswith(f"{books / 'main.beancount'}: "), done.stderr
    done = tool("report", "--format", "csv", cwd=cwd)
    # docs/sources.md: 2024's net payment 493,800,000 and audited revenue 3,700,000,000: OpenAI's 20%
    # is 740,000,000, Microsoft's 740,000,000 - 493,800,000 = 246,200,000, solved, so nothing implied.
    assert done.returncode == 0, done.stderr
    [row] = [r for r in csv.DictReader(io.StringIO(done.stdout)) if r["period"] == "2024"]
    assert (row["net_payment"], row["openai_share"], row["microsoft_share"], row["implied_revenue"]) == (
        "493800000.00",
        "740000000.00",
        "246200000.00",
        "",
    )
    before = snapshot(books)
    done = tool("add", "training", "5M", "--period", "2025-Q4", "--source", "Wheel test", "--dry-run", cwd=cwd)
    assert done.returncode == 0 and "dry run: nothing written" in done.stderr, done.stderr
    assert snapshot(books) == before
    done = tool("scenario", "list", cwd=cwd)
    assert done.returncode == 0 and "azure-openai-growth\n" in done.stdout
    assert done.stdout == "".join(f"{p.stem}\n" for p in sorted((books / "scenarios").glob("*.beancount")))
    done = subprocess.run(
        [str(tool.venv / "bin" / "python"), "-m", "leakledger", "check"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=tool.env,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr


def test_a_second_init_is_refused_and_nothing_changes(tool, books):
    before = snapshot(books)
    done = tool("init", "mybooks", cwd=books.parent)
    assert done.returncode == 4 and done.stdout == ""
    assert (
        done.stderr == "error: mybooks already exists: nothing was written "
        "(init never writes into an existing folder; name a new one)\n"
    )
    assert snapshot(books) == before


def test_serve_serves_the_books_and_the_leak_model_from_the_package(tool, books):
    with serving(cwd=books / "imports", env=tool.env) as url:
        with urllib.request.urlopen(url + "extension/LeakModel/", timeout=60) as response:
            page = response.read().decode()
        assert response.status == 200 and "Leak model" in page
        # Each company's books too, in the file switcher.
        assert "/openai/" in page and "/microsoft/" in page
        with urllib.request.urlopen(url + "extension_js_module/LeakModel.js", timeout=60) as response:
            script = response.read()
        [installed] = tool.venv.glob("lib/python*/site-packages/leakledger/fava_ext/LeakModel.js")
        assert script == installed.read_bytes()
