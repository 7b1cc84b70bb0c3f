"""Nothing in the package reads the wall clock except `wayfinder/clock.py` (the engine, the ticker, the API
and column defaults all go through the app's clock, which tests replace with a virtual one)."""

from __future__ import annotations

import ast
from pathlib import Path

import wayfinder

PACKAGE = Path(wayfinder.__file__).parent
ALLOWED = {PACKAGE / "clock.py"}
# Processes outside the engine that stamp files for humans (the dev mail catcher) may read the real time.
EXEMPT_DIRS = {PACKAGE / "devtools"}
FORBIDDEN_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
}


def wall_clock_reads(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in FORBIDDEN_CALLS:
                found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def test_the_rule_catches_wall_clock_reads():
    code = "import time, datetime\nfrom datetime import datetime as dt\na = datetime.datetime.now()\nb = time.time()\n"
    assert [what for _line, what in wall_clock_reads(code)] == ["datetime.now()", "time.time()"]
    assert wall_clock_reads("from datetime import datetime\nx = datetime.utcnow()\n") == [(2, "datetime.utcnow()")]
    assert wall_clock_reads("import time\ntime.monotonic()\n") == []


def test_only_the_clock_module_reads_the_wall_clock():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in ALLOWED or any(d in path.parents for d in EXEMPT_DIRS):
            continue
        offenders += [
            f"{path.relative_to(PACKAGE)}:{line}: {what}" for line, what in wall_clock_reads(path.read_text())
        ]
    assert offenders == []
