"""The production web server: gunicorn (one gevent worker) serving the API and Socket.IO over a real WebSocket."""

from __future__ import annotations

import json

import simple_websocket

from tests.integration.journeys import GRAPH, customer, publish, track
from tests.integration.servers import APP, GUNICORN, http_session, served, session_cookie


def test_gunicorn_serves_the_api_and_live_counts(app, client, engine, tmp_path):
    journey_id = publish(client, GRAPH)
    customer(client, "lin", "Lin")
    track(client, "c-lin", "lin", "cart_updated", product="Tea", total=520)
    engine.run_jobs()

    argv = [*GUNICORN, "--worker-class", "gevent", "--workers", "1", APP]
    with served(app, tmp_path, argv) as server:
        response = http_session(client).get(f"{server.base}/api/journeys/{journey_id}/counts", timeout=10)
        assert response.json()["nodes"]["wait"]["waiting"] == 1

        ws = simple_websocket.Client.connect(
            f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket",
            headers={"Cookie": session_cookie(client)},
        )
        try:
            assert _receive(ws).startswith("0")  # Engine.IO open
            ws.send("40")  # Socket.IO connect to the default namespace
            assert _receive(ws).startswith("40")
            ws.send("42" + json.dumps(["join", {"journey_id": journey_id}]))
            packet = _receive(ws)
            name, snapshot = json.loads(packet[2:])
            assert name == "counts:snapshot"
            assert snapshot["nodes"]["wait"] == {
                "entered": 1,
                "waiting": 1,
                "moved_on": 0,
                "exited": 0,
                "errored": 0,
                "converted": 0,
            }
        finally:
            ws.close()


def _receive(ws) -> str:
    """The next Engine.IO packet other than a ping (answered with a pong, as a client must: on a loaded machine
    the server's ping can come before the answer the test waits for)."""
    while True:
        packet = ws.receive(timeout=30)
        assert packet is not None, "no packet within 30 s"
        if packet != "2":
            return packet
        ws.send("3")
