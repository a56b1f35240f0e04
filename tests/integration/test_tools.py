"""The operations harness in tools/: apart from the app, and each module a program of its own."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_the_app_imports_nothing_from_tools():
    # Imports point down, tools -> factcheck: production never loads the harness.
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "factcheck").rglob("*.py"))
        for name in _imported_modules(path)
        if name == "tools" or name.startswith("tools.")
    ]
    assert offenders == []


def test_pgtemp_needs_nothing_but_the_standard_library():
    # .ci/run starts PostgreSQL with the system's python3, before any virtual environment exists.
    imported = {name.split(".")[0] for name in _imported_modules(ROOT / "tools" / "pgtemp.py")}
    assert imported <= set(sys.stdlib_module_names)
    # Nor does what it shares with redistemp (imported relatively, so not in ``imported`` above).
    for module in ("tempserver", "redistemp"):
        shared = {name.split(".")[0] for name in _imported_modules(ROOT / "tools" / f"{module}.py")}
        assert shared <= set(sys.stdlib_module_names), module
    assert list(_imported_modules(ROOT / "tools" / "__init__.py")) == []  # `-m tools.pgtemp` runs it first


@pytest.mark.parametrize(
    "module",
    [
        "bench",
        "bench_data",
        "bench_suggestions",
        "eval_evidence",
        "eval_intake",
        "eval_multilingual",
        "loadtest",
        "page_cpu",
        "pgtemp",
        "redistemp",
    ],
)
def test_every_tool_runs_as_a_program_from_the_repository_root(module):
    out = subprocess.run(
        [sys.executable, "-m", f"tools.{module}", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith(f"usage: python -m tools.{module} ")
