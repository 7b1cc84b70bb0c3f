"""API keys through the HTTP API: created once (the whole key answered once, only a hash stored), listed and
revoked by owners and admins; `Authorization: Bearer` authenticates a request as the key's workspace with only its
scopes' actions (a track key reads nothing); unknown, malformed and revoked keys answer 401 with the Bearer
challenge; the intake takes a key or a member who may track, and writes into their workspace; rate limits per
key, per signed-in user and per IP for refused credentials answer 429 with Retry-After."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.accounts import ensure_workspace, make_member, sign_in
from wayfinder.clock import VirtualClock
from wayfinder.models import ApiKey, Customer, Event, utcnow
from wayfinder.transactions import unit_of_work

EVENT = {"event_id": "e-1", "customer_id": "amy", "name": "cart_updated"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def new_key(client, scopes=("track",), name="Shop server") -> dict:
    response = client.post("/api/keys", json={"name": name, "scopes": list(scopes)})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_key_is_answered_once_and_stored_as_a_hash(app, client):
    created = new_key(client, scopes=["read", "track"])
    key = created["key"]
    assert key.startswith(created["prefix"] + "_") and created["prefix"].startswith("wf_live_")
    assert created["scopes"] == ["track", "read"]
    assert created["created_by"]["email"] == "owner@example.com" and created["last_used_at"] is None
    listed = client.get("/api/keys").get_json()["keys"]
    assert [k["prefix"] for k in listed] == [created["prefix"]]
    assert "key" not in listed[0] and "secret_hash" not in listed[0]
    one = client.get(f"/api/keys/{created['id']}").get_json()
    assert "key" not in one and one["name"] == "Shop server"
    with unit_of_work() as session:
        row = session.scalar(select(ApiKey))
        secret = key[len(created["prefix"]) + 1 :]
        assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in row.secret_hash and len(secret) >= 43  # 32 random bytes


def test_the_intake_takes_a_key_and_writes_into_its_workspace(app):
    brand = 2
    with unit_of_work() as session:
        ensure_workspace(session, brand, "brand-b")
    make_member(app, email="bea@example.com", workspace_id=brand)
    key = new_key(sign_in(app, email="bea@example.com"))["key"]
    caller = app.test_client()  # no session, no CSRF token: the key is enough
    assert caller.post("/api/events", json=EVENT, headers=bearer(key)).status_code == 202
    batch = {"events": [{**EVENT, "event_id": "e-2"}, {**EVENT, "event_id": "e-3"}]}
    assert caller.post("/api/events/batch", json=batch, headers=bearer(key)).get_json()["accepted"] == 2
    identify = caller.post(
        "/api/customers", json={"external_id": "bob", "email": "bob@example.com"}, headers=bearer(key)
    )
    assert identify.status_code == 201
    with unit_of_work() as session:
        assert {e.workspace_id for e in session.scalars(select(Event))} == {brand}
        assert {c.workspace_id for c in session.scalars(select(Customer))} == {brand}


@pytest.mark.parametrize("header", ["Bearer wf_live_0123456789_" + "x" * 43, "Bearer nonsense", "Bearer ", "Basic abc"])
def test_unknown_and_malformed_keys_answer_401_with_the_bearer_challenge(anonymous, header):
    response = anonymous.post("/api/events", json=EVENT, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert body["error"] == "unauthorized" and body["reason"] == "invalid_api_key" and body["message"]
    assert anonymous.get("/api/journeys", headers={"Authorization": header}).status_code == 401


def test_a_revoked_key_answers_401_and_revoking_is_idempotent(app, client, anonymous):
    created = new_key(client)
    assert anonymous.post("/api/events", json=EVENT, headers=bearer(created["key"])).status_code == 202
    assert client.delete(f"/api/keys/{created['id']}").status_code == 204
    refused = anonymous.post("/api/events", json={**EVENT, "event_id": "e-2"}, headers=bearer(created["key"]))
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.delete(f"/api/keys/{created['id']}").status_code == 204
    assert client.get("/api/keys").get_json()["keys"][0]["revoked_at"] is not None


def test_a_track_key_can_send_events_and_nothing_else(app, client, anonymous):
    key = new_key(client, scopes=["track"])["key"]
    assert anonymous.post("/api/events", json=EVENT, headers=bearer(key)).status_code == 202
    for method, path in [
        ("GET", "/api/journeys"),
        ("GET", "/api/customers"),
        ("GET", "/api/customers/amy"),
        ("GET", "/api/messages"),
        ("POST", "/api/journeys"),
        ("GET", "/api/keys"),
        ("POST", "/api/keys"),
        ("GET", "/api/session"),
        ("GET", "/api/workspace"),
        ("POST", "/api/email/test"),
    ]:
        response = anonymous.open(path, method=method, json={} if method == "POST" else None, headers=bearer(key))
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.get_json()["reason"] == "key_scope"


def test_a_read_key_reads_but_does_not_track_and_a_write_key_does_both(app, client, anonymous):
    read = new_key(client, scopes=["read"], name="BI export")["key"]
    assert anonymous.get("/api/journeys", headers=bearer(read)).status_code == 200
    assert anonymous.get("/api/customers", headers=bearer(read)).status_code == 200
    assert anonymous.post("/api/events", json=EVENT, headers=bearer(read)).status_code == 403
    assert anonymous.get("/api/keys", headers=bearer(read)).status_code == 403
    write = new_key(client, scopes=["write"], name="Integration")["key"]
    assert anonymous.post("/api/events", json=EVENT, headers=bearer(write)).status_code == 202
    assert anonymous.get("/api/journeys", headers=bearer(write)).status_code == 200
    assert anonymous.delete("/api/keys/1", headers=bearer(write)).status_code == 403


def test_keys_are_managed_by_owners_and_admins_and_the_intake_by_marketers_and_up(app, client):
    assert client.get("/api/keys").status_code == 200
    for role, manages, tracks in [("admin", True, True), ("marketer", False, True), ("analyst", False, False)]:
        email = f"{role}@example.com"
        make_member(app, email=email, role=role)
        member = sign_in(app, email=email)
        assert (member.get("/api/keys").status_code == 200) is manages, role
        assert (member.post("/api/keys", json={"name": "x", "scopes": ["track"]}).status_code == 201) is manages
        assert (member.post("/api/events", json={**EVENT, "event_id": role}).status_code == 202) is tracks, role


def test_another_workspaces_key_is_not_found(app, client, workspaces):
    created = new_key(client)
    brand = workspaces.create("brand-b")
    with workspaces.use(brand):
        assert client.get(f"/api/keys/{created['id']}").status_code == 404
        assert client.delete(f"/api/keys/{created['id']}").status_code == 404
        assert client.get("/api/keys").get_json()["keys"] == []


def test_key_payloads_are_validated_field_by_field(client):
    for body, field in [
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["admin"]}, "scopes"),
        ({"name": "", "scopes": ["track"]}, "name"),
        ({"scopes": ["track"]}, "name"),
        ({"name": "x", "scopes": ["track"], "workspace_id": 2}, "workspace_id"),
    ]:
        response = client.post("/api/keys", json=body)
        assert response.status_code == 400 and field in response.get_json()["fields"], (body, response.get_json())


def test_last_used_is_written_at_most_once_a_minute(app, client, anonymous, monkeypatch):
    created = new_key(client)
    clock = VirtualClock(utcnow())
    monkeypatch.setitem(app.extensions, "wayfinder.clock", clock)

    def last_used():
        return client.get(f"/api/keys/{created['id']}").get_json()["last_used_at"]

    anonymous.post("/api/events", json=EVENT, headers=bearer(created["key"]))
    first = last_used()
    assert first is not None
    clock.advance(seconds=30)
    anonymous.post("/api/events", json={**EVENT, "event_id": "e-2"}, headers=bearer(created["key"]))
    assert last_used() == first
    clock.advance(seconds=31)
    anonymous.post("/api/events", json={**EVENT, "event_id": "e-3"}, headers=bearer(created["key"]))
    later = last_used()
    assert datetime.fromisoformat(later) - datetime.fromisoformat(first) == timedelta(seconds=61)


def test_a_key_over_its_intake_limit_gets_429_with_retry_after(app, client, anonymous, monkeypatch):
    monkeypatch.setitem(app.config, "API_KEY_RATE_LIMIT_INTAKE", "2 per minute")
    monkeypatch.setitem(app.config, "API_KEY_RATE_LIMIT_REST", "1 per minute")
    key = new_key(client, scopes=["write"])["key"]
    other = new_key(client, scopes=["track"], name="Other")["key"]
    statuses = [
        anonymous.post("/api/events", json={**EVENT, "event_id": f"e-{i}"}, headers=bearer(key)).status_code
        for i in range(3)
    ]
    assert statuses == [202, 202, 429]
    limited = anonymous.post("/api/events", json={**EVENT, "event_id": "e-9"}, headers=bearer(key))
    assert limited.get_json()["error"] == "too_many_requests"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    # Per key, and the REST limit apart from the intake's.
    assert anonymous.post("/api/events", json={**EVENT, "event_id": "o-1"}, headers=bearer(other)).status_code == 202
    assert anonymous.get("/api/journeys", headers=bearer(key)).status_code == 200
    assert anonymous.get("/api/journeys", headers=bearer(key)).status_code == 429


def test_a_signed_in_user_over_the_api_limit_gets_429(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_USER_RATE_LIMIT", "3 per minute")
    statuses = [client.get("/api/journeys").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/journeys")
    assert int(limited.headers["Retry-After"]) > 0


def test_refused_credentials_are_limited_per_address(app, client, anonymous, monkeypatch):
    monkeypatch.setitem(app.config, "API_AUTH_FAILURE_RATE_LIMIT_IP", "3 per minute")
    key = new_key(client)["key"]
    guesses = [
        anonymous.post("/api/events", json=EVENT, headers=bearer(f"wf_live_{i:010x}_" + "y" * 43)).status_code
        for i in range(2)
    ]
    no_key = anonymous.post("/api/events", json=EVENT).status_code
    assert guesses + [no_key] == [401, 401, 401]
    # Used up: even a valid key from this address waits (a guesser cannot tell valid from invalid any more).
    limited = anonymous.post("/api/events", json=EVENT, headers=bearer(key))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0


def test_the_openapi_document_declares_both_security_schemes_per_operation(anonymous):
    spec = anonymous.get("/api/openapi.json").get_json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["apiKey"] == {**schemes["apiKey"], "type": "http", "scheme": "bearer"}
    assert schemes["session"]["in"] == "cookie" and schemes["session"]["name"] == "wayfinder_session"
    assert schemes["csrfToken"]["in"] == "header" and schemes["csrfToken"]["name"] == "X-CSRF-Token"
    paths = spec["paths"]
    session_write = {"session": [], "csrfToken": []}
    for path in ("/api/events", "/api/events/batch", "/api/customers"):  # the intake: a key or a session
        assert paths[path]["post"]["security"] == [{"apiKey": []}, session_write], path
    assert paths["/api/journeys"]["get"]["security"] == [{"apiKey": []}, {"session": []}]  # read scope
    assert paths["/api/keys"]["post"]["security"] == [session_write]  # session only
    assert paths["/api/keys"]["get"]["security"] == [{"session": []}]
    assert paths["/api/session"]["post"]["security"] == []  # signing in
    for path, item in paths.items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert "security" in operation, (method, path)


def test_creating_and_revoking_a_key_is_in_the_audit_log(client):
    key = new_key(client, scopes=("track", "read"), name="POS")
    assert client.delete(f"/api/keys/{key['id']}").status_code == 204
    entries = client.get("/api/audit?per_page=10").get_json()["entries"]
    mine = [e for e in entries if e["action"].startswith("key.")]
    assert [e["action"] for e in mine] == ["key.revoked", "key.created"]  # newest first
    assert all(e["target_type"] == "api_key" and e["target_id"] == str(key["id"]) for e in mine)
    assert mine[1]["detail"] == {"name": "POS", "prefix": key["prefix"], "scopes": ["read", "track"]}
    assert key["key"] not in str(entries)  # never the secret
