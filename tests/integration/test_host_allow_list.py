"""Only the configured host names are answered (DNS rebinding): REST, pages and the Socket.IO handshake alike."""

from __future__ import annotations

import pytest

from wayfinder.security import host_allowed

ALLOWED = ["localhost", "127.0.0.1", "[::1]", ".shop.example"]


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("localhost", True),
        ("localhost:5000", True),
        ("LOCALHOST:5000", True),
        ("127.0.0.1:8080", True),
        ("[::1]:5000", True),
        ("shop.example", True),
        ("eu.shop.example:443", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("evilshop.example", False),
        ("127.0.0.1.nip.io", False),
        ("", False),
    ],
)
def test_host_names_are_matched_without_their_port(host, ok):
    assert host_allowed(host, ALLOWED) is ok


def test_any_host_only_when_configured_so():
    assert host_allowed("anything.example", ["*"])
    assert not host_allowed("anything.example", [])


@pytest.mark.parametrize(
    "path", ["/api/journeys", "/healthz", "/", "/journeys/1", "/socket.io/?EIO=4&transport=polling"]
)
def test_a_foreign_host_is_refused_everywhere_before_the_app_sees_it(client, path):
    response = client.get(path, headers={"Host": "rebound.attacker.example"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "host_not_allowed"
    assert "ALLOWED_HOSTS" in response.get_json()["message"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_listed_host_is_answered(client, app):
    app.config["ALLOWED_HOSTS"] = ["localhost"]
    assert client.get("/api/journeys", headers={"Host": "localhost:5000"}).status_code == 200
    assert client.get("/socket.io/?EIO=4&transport=polling", headers={"Host": "localhost"}).status_code == 200


def test_a_forwarded_host_must_be_listed_too(client):
    response = client.get(
        "/api/journeys", headers={"Host": "localhost", "X-Forwarded-Host": "rebound.attacker.example"}
    )
    assert response.status_code == 400
    ok = client.get("/api/journeys", headers={"Host": "localhost", "X-Forwarded-Host": "127.0.0.1:5000"})
    assert ok.status_code == 200


def test_a_state_changing_request_from_a_foreign_host_changes_nothing(client):
    response = client.post("/api/journeys", json={"name": "Rebound"}, headers={"Host": "rebound.attacker.example"})
    assert response.status_code == 400
    assert client.get("/api/journeys").get_json()["journeys"] == []
