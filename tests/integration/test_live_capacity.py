"""Open live views do not take the API down (issue 12 §3): with 200 Socket.IO WebSockets connected to the real
served web process (`wayfinder web`, what `wayfinder dev` and the Docker image run), each joined to a journey,
`GET /api/journeys`, `POST /api/events` and `/healthz` still answer, and one more socket still connects.

Before, the web process was gunicorn gthread with 64 threads and every WebSocket held one: the 65th socket and
every REST call after it waited forever. Not a timing assertion: each call only has to answer at all (within a
generous timeout)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import requests
import websocket

from tests.integration.journeys import GRAPH, customer, publish
from tests.integration.servers import http_session, session_cookie
from wayfinder.devtools.embedded_redis import free_port
from wayfinder.extensions import db

SOCKETS = 200
TIMEOUT = 30  # seconds: "answers at all" on a loaded 2-core machine


def open_live_socket(port: int, journey_id: int, cookie: str) -> websocket.WebSocket:
    """A Socket.IO client over the websocket transport, joined to the journey's room (snapshot received)."""
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", timeout=TIMEOUT, cookie=cookie
    )
    assert receive(ws).startswith("0")  # Engine.IO open
    ws.send("40")  # Socket.IO connect to the default namespace
    assert receive(ws).startswith("40")
    ws.send("421" + json.dumps(["join", {"journey_id": journey_id}]))
    acked = snapshot = False
    for _ in range(100):  # the ack and the snapshot, in either order; skips deltas that other test processes on
        packet = receive(ws)  # the same Redis server publish for a journey with the same id (pub/sub is global)
        if packet.startswith("431"):
            assert json.loads(packet[3:]) == [{"ok": True}], packet
            acked = True
        elif packet.startswith("42") and json.loads(packet[2:])[0] == "counts:snapshot":
            snapshot = True
        if acked and snapshot:
            return ws
    raise AssertionError("no join ack and snapshot within 100 packets")


def receive(ws: websocket.WebSocket) -> str:
    while True:
        packet = ws.recv()
        if packet != "2":
            return packet
        ws.send("3")  # answer the server's ping


def test_200_open_sockets_do_not_stop_the_rest_api(app, client, tmp_path):
    journey_id = publish(client, GRAPH)
    customer(client, "lin", "Lin")
    db.session.remove()  # the test client's session must not hold SQLite's write lock while the server works
    cookie = session_cookie(client)

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_QUEUE_PREFIX": app.config["QUEUE_PREFIX"],
        "WAYFINDER_INSTANCE": str(tmp_path),
    }
    log = open(tmp_path / "web.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "wayfinder.cli", "web", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    sockets: list[websocket.WebSocket] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):
                assert server.poll() is None and time.monotonic() < deadline, "wayfinder web did not start"
                time.sleep(0.2)

        for _ in range(SOCKETS):
            sockets.append(open_live_socket(port, journey_id, cookie))

        assert http_session(client).get(f"{base}/api/journeys", timeout=TIMEOUT).status_code == 200
        event = {"event_id": "e-1", "customer_id": "lin", "name": "cart_updated", "properties": {"total": 520}}
        assert http_session(client).post(f"{base}/api/events", json=event, timeout=TIMEOUT).status_code == 202
        assert requests.get(f"{base}/healthz", timeout=TIMEOUT).status_code in (200, 503)  # 503: no worker here
        sockets.append(open_live_socket(port, journey_id, cookie))  # the 201st still connects
        assert server.poll() is None
    finally:
        for ws in sockets:
            try:
                ws.close(timeout=1)
            except (OSError, websocket.WebSocketException):
                pass
        server.terminate()
        server.wait(30)
        log.close()
