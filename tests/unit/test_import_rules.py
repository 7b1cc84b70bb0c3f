"""Layering rules: step types never import the engine (the engine depends on steps, not the reverse), the
engine names no step type, and importing the job module does not build or import the app factory."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import wayfinder

PACKAGE = Path(wayfinder.__file__).parent


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_steps_do_not_import_the_engine():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(m for m in imports(p) if m.startswith("wayfinder.engine"))
        for p in (PACKAGE / "steps").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_engine_and_validator_name_no_step_type():
    step_modules = {f"wayfinder.steps.{p.stem}" for p in (PACKAGE / "steps").glob("*.py")} - {
        "wayfinder.steps.base",
        "wayfinder.steps.registry",
        "wayfinder.steps.journey_settings",
        "wayfinder.steps.__init__",
    }
    for path in [*(PACKAGE / "engine").glob("*.py"), PACKAGE / "journeys" / "graph.py"]:
        assert not (imports(path) & step_modules), path.name
        assert '"event_trigger"' not in path.read_text(), path.name


def test_importing_the_jobs_does_not_import_the_app_factory():
    code = "import sys, wayfinder.engine.jobs; sys.exit('wayfinder.app' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
