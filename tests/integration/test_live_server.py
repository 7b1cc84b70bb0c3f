"""Socket.IO on a real server (gunicorn, gevent worker, the production entry point) with the real python-socketio
client: only the app's own origin and the configured ALLOWED_ORIGINS may connect, and a join answers a clear
error for a malformed or out-of-range id and for an unknown journey (issue 5: the handshake echoed
`http://evil.example`; a join with 2**64 raised OverflowError; an unknown journey got an empty snapshot)."""

from __future__ import annotations

import pytest
import requests
import socketio

from tests.integration.journeys import GRAPH, publish
from tests.integration.servers import APP, GUNICORN, WAYFINDER_WEB, served, session_cookie
from wayfinder.extensions import db

ALLOWED = "http://allowed.example:8080"


@pytest.fixture
def server(app, tmp_path):
    argv = [*GUNICORN, "--worker-class", "gevent", "--workers", "1", APP]
    with served(app, tmp_path, argv, env={"ALLOWED_ORIGINS": ALLOWED}) as running:
        yield running.base


def connect(base: str, origin: str, cookie: str | None = None) -> socketio.SimpleClient:
    """A real WebSocket connection whose handshake carries `origin` (websocket-client would otherwise send the
    server's own address as Origin, and a second Origin header would be merged with it) and a session cookie."""
    client = socketio.SimpleClient(websocket_extra_options={"origin": origin})
    client.connect(base, transports=["websocket"], wait_timeout=10, headers={"Cookie": cookie} if cookie else {})
    return client


def test_a_foreign_origin_is_refused_and_not_echoed(server, client):
    handshake = requests.get(
        f"{server}/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://evil.example"}, timeout=5
    )
    assert handshake.status_code == 400
    assert "evil.example" not in handshake.headers.get("Access-Control-Allow-Origin", "")
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(server, "http://evil.example", session_cookie(client))  # even with a session
    # A port is part of the origin: the same host on another port is another site.
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(server, "http://127.0.0.1:1", session_cookie(client))


def test_a_connection_without_a_session_is_refused_with_a_reason(server):
    sio = socketio.Client()
    errors = []
    sio.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        sio.connect(server, transports=["websocket"], wait_timeout=10)
    assert errors == [{"message": "sign in to see live numbers", "data": {"reason": "unauthorized"}}]


def test_the_page_origin_and_configured_origins_may_connect(server, client):
    for origin in (server, ALLOWED):
        handshake = requests.get(f"{server}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}, timeout=5)
        assert handshake.status_code == 200
        assert handshake.headers["Access-Control-Allow-Origin"] == origin
        sio = connect(server, origin, session_cookie(client))
        assert sio.connected
        sio.disconnect()


def test_joins_answer_clear_errors(server, client):
    journey_id = publish(client, GRAPH)
    # The test client's requests share this test's app context, so its session may still hold a transaction
    # (on SQLite, `BEGIN IMMEDIATE` takes the write lock even to read); release it before the server reads.
    db.session.remove()
    sio = connect(server, server, session_cookie(client))
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
    """`wayfinder web` (what `wayfinder dev` runs) is gunicorn with a gevent worker, like production: no Werkzeug
    "development server … production deployment" warning, WebSockets work, and SIGTERM stops it promptly."""
    journey_id = publish(client, GRAPH)
    db.session.remove()
    with served(app, tmp_path, WAYFINDER_WEB) as server:
        sio = connect(server.base, server.base, session_cookie(client))
        assert sio.call("join", {"journey_id": journey_id}, timeout=10) == {"ok": True}
        sio.disconnect()
    output = (tmp_path / "server.log").read_text()
    assert server.process.returncode == 0, output  # SIGTERM stopped it cleanly
    assert f"Wayfinder web on http://127.0.0.1:{server.port}" in output
    for noise in ("development server", "production deployment", "WARNING", "Traceback"):
        assert noise not in output, output
