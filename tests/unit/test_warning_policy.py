"""The warnings policy of pyproject.toml's [tool.pytest.ini_options] filterwarnings: a warning raised from our own
code fails the test that raised it; one from a third-party module stays a warning. One pytest run in a
subprocess, with the project's configuration, over tests that each raise one warning."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import wayfinder

ROOT = Path(wayfinder.__file__).parent.parent.parent

CASES = {
    # test name: (module the warning comes from, category, message, fails?)
    "ours_user": ("wayfinder.engine.advance", "UserWarning", "careful", True),
    "ours_deprecation": ("wayfinder", "DeprecationWarning", "old", True),
    "our_tests": ("tests.integration.conftest", "UserWarning", "careful", True),
    "library": ("somelibrary.module", "UserWarning", "careful", False),
    "library_deprecation": ("somelibrary", "DeprecationWarning", "old", False),
    "apispec_about_our_schemas": (
        "apispec.ext.marshmallow.field_converter",
        "UserWarning",
        "More than one regex validator defined on <class 'x'> field.",
        True,
    ),
}


def test_warnings_from_our_code_fail_and_from_libraries_do_not(tmp_path):
    source = ["import warnings"]
    for name, (module, category, message, _fails) in CASES.items():
        source.append(
            f"def test_{name}():\n"
            f"    warnings.warn_explicit({message!r}, {category}, 'somewhere.py', 1, module={module!r})"
        )
    (tmp_path / "test_warnings.py").write_text("\n\n".join(source) + "\n")
    report = tmp_path / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ROOT / "pyproject.toml")]
        + ["--rootdir", str(tmp_path), f"--junitxml={report}", str(tmp_path / "test_warnings.py")],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    outcomes = {
        case.get("name").removeprefix("test_"): case.find("failure") is not None
        for case in ET.parse(report).getroot().iter("testcase")
    }
    assert outcomes == {name: fails for name, (*_, fails) in CASES.items()}
