"""A real web server process for the tests that need one (gunicorn or `wayfinder web`) on the test app's database
and Redis: started on a free port, waited for, and stopped afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from wayfinder.devtools.embedded_redis import free_port

#: gunicorn on the production entry point (options go between); "{port}" stands for the free port.
GUNICORN = [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:{port}"]
APP = "wayfinder.wsgi:app"
#: `wayfinder web`: gunicorn's gevent worker in process, as `wayfinder dev` and the Docker image run it.
WAYFINDER_WEB = [sys.executable, "-m", "wayfinder.cli", "web", "--host", "127.0.0.1", "--port", "{port}"]


def session_cookie(client) -> str:
    """The `Cookie` header of a signed-in test client's session: a server process sharing the test app's instance
    folder (so its secret key) and Redis accepts it."""
    return f"wayfinder_session={client.get_cookie('wayfinder_session').value}"


def http_session(client) -> requests.Session:
    """A requests session with a signed-in test client's session cookie and CSRF token."""
    http = requests.Session()
    http.headers.update({"Cookie": session_cookie(client), "X-CSRF-Token": client.csrf_token})
    return http


@dataclass
class Served:
    base: str
    port: int
    process: subprocess.Popen


@contextmanager
def served(app, tmp_path: Path, argv: list[str], env: dict[str, str] | None = None) -> Iterator[Served]:
    """Run `argv` (GUNICORN + options + APP, or WAYFINDER_WEB; "{port}" is replaced) until it answers
    `/api/journeys` (a loaded machine's slow start included), yield it, then stop it. Its output goes to
    `tmp_path / "server.log"`."""
    port = free_port()
    argv = [arg.replace("{port}", str(port)) for arg in argv]
    environment = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_INSTANCE": str(tmp_path),
        **(env or {}),
    }
    with open(tmp_path / "server.log", "w") as log:
        process = subprocess.Popen(argv, env=environment, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(f"{base}/api/journeys", timeout=10)
                    break
                except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still starting
                    assert process.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
                    assert time.monotonic() < deadline, "the web server did not start within 60 s"
                    time.sleep(0.2)
            yield Served(base, port, process)
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
