"""Socket.IO on a real server (gunicorn gthread, the production entry point) with the real python-socketio
client: only the app's own origin and the configured ALLOWED_ORIGINS may connect, and a join answers a clear
error for a malformed or out-of-range id and for an unknown journey (issue 5: the handshake echoed
`http://evil.example`; a join with 2**64 raised OverflowError; an unknown journey got an empty snapshot)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests
import socketio

from tests.integration.journeys import GRAPH, publish
from wayfinder.devtools.embedded_redis import free_port
from wayfinder.extensions import db

ALLOWED = "http://allowed.example:8080"


@pytest.fixture
def server(app, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_INSTANCE": str(tmp_path),
        "ALLOWED_ORIGINS": ALLOWED,
    }
    argv = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--threads", "8"]
    argv += ["--bind", f"127.0.0.1:{port}", "wayfinder.wsgi:app"]
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{base}/api/journeys", timeout=5)
            break
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still starting the app
            assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(30)
    log.close()


def connect(base: str, origin: str) -> socketio.SimpleClient:
    """A real WebSocket connection whose handshake carries `origin` (websocket-client would otherwise send the
    server's own address as Origin, and a second Origin header would be merged with it)."""
    client = socketio.SimpleClient(websocket_extra_options={"origin": origin})
    client.connect(base, transports=["websocket"], wait_timeout=10)
    return client


def test_a_foreign_origin_is_refused_and_not_echoed(server):
    handshake = requests.get(
        f"{server}/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://evil.example"}, timeout=5
    )
    assert handshake.status_code == 400
    assert "evil.example" not in handshake.headers.get("Access-Control-Allow-Origin", "")
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(server, "http://evil.example")
    # A port is part of the origin: the same host on another port is another site.
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(server, "http://127.0.0.1:1")


def test_the_page_origin_and_configured_origins_may_connect(server):
    for origin in (server, ALLOWED):
        handshake = requests.get(f"{server}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}, timeout=5)
        assert handshake.status_code == 200
        assert handshake.headers["Access-Control-Allow-Origin"] == origin
        client = connect(server, origin)
        assert client.connected
        client.disconnect()


def test_joins_answer_clear_errors(server, client):
    journey_id = publish(client, GRAPH)
    # The test client's requests share this test's app context, so its session may still hold a transaction
    # (on SQLite, `BEGIN IMMEDIATE` takes the write lock even to read); release it before the server reads.
    db.session.remove()
    sio = connect(server, server)
    try:
        cases = [
            ({"journey_id": 2**64}, "journey_id must be between 1 and 2147483647"),
            ({"journey_id": 2**31}, "journey_id must be between 1 and 2147483647"),
            ({"journey_id": "9" * 5000}, "journey_id must be an integer"),
            ({"journey_id": 0}, "journey_id must be between 1 and 2147483647"),
            ({"journey_id": True}, "journey_id must be an integer"),
            ({"journey_id": 1.5}, "journey_id must be an integer"),
            ("3", "journey_id must be an integer"),
            ({"journey_id": journey_id + 1000}, f"journey {journey_id + 1000} not found"),
        ]
        for payload, error in cases:
            assert sio.call("join", payload, timeout=10) == {"ok": False, "error": error}, payload
        assert sio.call("join", {"journey_id": journey_id}, timeout=10) == {"ok": True}
        name, snapshot = sio.receive(timeout=10)
        assert name == "counts:snapshot"
        assert snapshot["journey_id"] == journey_id
    finally:
        sio.disconnect()


def test_wayfinder_web_serves_quietly_with_websockets(app, client, tmp_path):
    """`wayfinder web` (what `wayfinder dev` runs) is gunicorn gthread, like production: no Werkzeug
    "development server … production deployment" warning, WebSockets work, and SIGTERM stops it promptly."""
    journey_id = publish(client, GRAPH)
    db.session.remove()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_INSTANCE": str(tmp_path),
    }
    argv = [sys.executable, "-m", "wayfinder.cli", "web", "--port", str(port)]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert requests.get(f"{base}/api/journeys", timeout=5).status_code == 200
                break
            except (requests.ConnectionError, requests.Timeout):
                assert process.poll() is None and time.monotonic() < deadline, "wayfinder web did not start"
                time.sleep(0.2)
        sio = connect(base, base)
        assert sio.call("join", {"journey_id": journey_id}, timeout=10) == {"ok": True}
        sio.disconnect()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert f"Wayfinder web on http://127.0.0.1:{port}" in output
    for noise in ("development server", "production deployment", "WARNING", "Traceback"):
        assert noise not in output, output
