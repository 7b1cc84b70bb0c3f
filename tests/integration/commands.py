"""`wayfinder` commands in tests: as a process (as an operator runs one), or its `main` in the test process with
the environment, stdin, output and exit status a process would have (a process costs ~1.3 s of CPU to import the
app, and the command tests run dozens)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from wayfinder import cli
from wayfinder.extensions import db


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _environment(app, tmp_path, extra: dict | None) -> dict[str, str]:
    return {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_INSTANCE": str(tmp_path),
        **(extra or {}),
    }


def wayfinder_process(app, tmp_path, *args: str, stdin: str = "", extra: dict | None = None) -> Ran:
    """`wayfinder …` as a process, as an operator runs it."""
    db.session.remove()  # SQLite: the test's session must not hold the write lock while the command writes
    env = {**os.environ, **_environment(app, tmp_path, extra)}
    done = subprocess.run(
        [sys.executable, "-m", "wayfinder.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def wayfinder(app, tmp_path, monkeypatch, capsys):
    """wayfinder(*args, stdin="", extra=None): the command's `main` in this process, with the environment, stdin,
    output and exit status a process would have (`sys.exit("message")` prints the message and exits with 1)."""

    def run(*args: str, stdin: str = "", extra: dict | None = None) -> Ran:
        db.session.remove()
        capsys.readouterr()
        with monkeypatch.context() as patch:
            for key, value in _environment(app, tmp_path, extra).items():
                patch.setenv(key, value)
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            code = 0
            try:
                cli.main(list(args))
            except SystemExit as exc:
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
                    code = 1
                else:
                    code = exc.code or 0
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run
