"""The import contracts of pyproject.toml ([tool.importlinter]), which backend/bin/test checks with `lint-imports`:
they hold on this tree, and breaking one (on a copy of the package) makes `lint-imports` fail, naming it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import wayfinder

PACKAGE = Path(wayfinder.__file__).parent
ROOT = PACKAGE.parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path, package_parent: Path) -> subprocess.CompletedProcess:
    """`lint-imports` with the contracts of `root`/pyproject.toml over the `wayfinder` package in `package_parent`."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_hold():
    run = lint_imports(ROOT, ROOT / "backend")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "BROKEN" not in run.stdout


@pytest.mark.parametrize(
    ("module", "added_import", "contract"),
    [
        ("steps/wait.py", "from wayfinder.engine import counts", "Step types never import the engine"),
        ("engine/counts.py", "from wayfinder.api import journeys", "Layers: entry points > api"),
        ("models/base.py", "from wayfinder.steps import base", "Layers: entry points > api"),
        ("health.py", "from wayfinder.devtools import mailcatcher", "Only the CLI imports the development tools"),
        # queues -> runner -> service -> queues: the circle this contract was written after.
        ("engine/queues.py", "from wayfinder.engine import runner", "No import circles"),
    ],
)
def test_a_broken_contract_fails_lint_imports(tmp_path, module, added_import, contract):
    copy = tmp_path / "src" / "wayfinder"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "*.json"))
    target = copy / module
    target.write_text(target.read_text() + f"\n{added_import}  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    run = lint_imports(tmp_path, tmp_path / "src")
    assert run.returncode != 0, run.stdout
    broken = run.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, run.stdout


def test_the_devtools_contract_names_every_other_top_level_module():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [contract] = [c for c in config["contracts"] if c.get("forbidden_modules") == ["wayfinder.devtools"]]
    top_level = {
        f"wayfinder.{p.stem if p.is_file() else p.name}"
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert set(contract["source_modules"]) == top_level - {"wayfinder.cli", "wayfinder.devtools"}
