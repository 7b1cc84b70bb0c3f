"""The production web server: gunicorn (gthread) serving the API and Socket.IO over a real WebSocket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import requests
import simple_websocket

from tests.integration.journeys import GRAPH, customer, publish, track
from wayfinder.devtools.embedded_redis import free_port


def test_gunicorn_serves_the_api_and_live_counts(app, client, engine, tmp_path):
    journey_id = publish(client, GRAPH)
    customer(client, "lin", "Lin")
    track(client, "c-lin", "lin", "cart_updated", product="Tea", total=520)
    engine.run_jobs()

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_INSTANCE": str(tmp_path),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "8",
            "--bind",
            f"127.0.0.1:{port}",
            "wayfinder.wsgi:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                response = requests.get(f"{base}/api/journeys/{journey_id}/counts", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a loaded machine's slow start
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert response.json()["nodes"]["wait"]["waiting"] == 1

        ws = simple_websocket.Client.connect(f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket")
        try:
            assert ws.receive(timeout=30).startswith("0")  # Engine.IO open
            ws.send("40")  # Socket.IO connect to the default namespace
            assert ws.receive(timeout=30).startswith("40")
            ws.send("42" + json.dumps(["join", {"journey_id": journey_id}]))
            packet = ws.receive(timeout=30)
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
    finally:
        server.terminate()
        server.wait(30)
