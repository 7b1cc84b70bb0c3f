"""e2e fixtures: the whole stack (`wayfinder dev`: web + worker + ticker + embedded Redis + mail catcher) on a
fresh SQLite instance, real Chromium through pytest-playwright, data seeded and cleaned through the API."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from wayfinder.devtools.embedded_redis import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own browser here)."""
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}, "locale": "en-US"}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start the real dev stack on a free port and stop every process it started at the end."""
    instance = tmp_path_factory.mktemp("instance")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(WAYFINDER_INSTANCE=str(instance), PYTHONUNBUFFERED="1")
    log = open(instance / "server.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "wayfinder.cli", "dev", "--no-demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"wayfinder dev exited with {proc.returncode}:\n{(instance / 'server.log').read_text()}")
        try:
            if requests.get(f"{base_url}/api/journeys", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"server did not start:\n{(instance / 'server.log').read_text()}")
        time.sleep(0.3)
    yield base_url
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def base_url(server):
    """pytest-playwright's base_url: relative page.goto() calls go to the test server."""
    return server


class Api:
    """The HTTP API, for seeding data and for sending events as a shop would."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.created: list[int] = []

    def post(self, path: str, json: dict | None = None) -> dict:
        response = requests.post(f"{self.base_url}{path}", json=json or {}, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else {}

    def get(self, path: str) -> dict:
        response = requests.get(f"{self.base_url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def create_journey(self, name: str, graph: dict | None = None) -> dict:
        journey = self.post("/api/journeys", {"name": name, **({"graph": graph} if graph else {})})
        self.created.append(journey["id"])
        return journey

    def cleanup(self) -> None:
        for journey_id in self.created:
            requests.delete(f"{self.base_url}/api/journeys/{journey_id}", timeout=10)


@pytest.fixture
def api(server):
    client = Api(server)
    yield client
    client.cleanup()
