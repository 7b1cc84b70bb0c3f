"""The web server keeps an idle keep-alive connection open longer than load balancers do: an API client that
reuses its connection after a pause gets an answer on that same connection (gunicorn's default closed it after
2 s, so the next request on it was reset)."""

from __future__ import annotations

import http.client
import time
from pathlib import Path

import yaml

from tests.integration.servers import WAYFINDER_WEB, served, session_cookie
from wayfinder.devtools.webserver import KEEPALIVE

ROOT = Path(__file__).resolve().parents[2]


def test_a_client_reusing_its_connection_after_3_s_idle_gets_an_answer_on_it(app, client, tmp_path):
    headers = {"Cookie": session_cookie(client)}
    with served(app, tmp_path, WAYFINDER_WEB) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/api/journeys", headers=headers)
        first = conn.getresponse()
        first.read()
        assert first.status == 200
        local = conn.sock.getsockname()

        time.sleep(3)  # idle longer than gunicorn's default keep-alive (2 s)
        conn.request("GET", "/api/journeys", headers=headers)
        second = conn.getresponse()
        second.read()
        assert second.status == 200
        assert conn.sock.getsockname() == local  # the same connection, not a new one
        conn.close()


def test_production_serves_with_the_same_keep_alive():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["command"]
    # The web container runs `wayfinder web`, which serves with KEEPALIVE (devtools/webserver.py).
    assert command[:2] == ["wayfinder", "web"]
    assert KEEPALIVE > 60  # longer than a load balancer's usual idle timeout
