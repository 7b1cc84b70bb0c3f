"""Accounts and sessions through the HTTP API: sign in and out, the same answer for an unknown email and a wrong
password (after the same argon2 work), lockout and rate limits (429 + Retry-After), session rotation, idle and
absolute timeouts on the app clock, revocation of a signed-out cookie, CSRF, and switching workspaces."""

from __future__ import annotations

import argon2
import pytest

from tests.integration.accounts import OWNER_EMAIL, PASSWORD, ensure_workspace, make_member, sign_in
from wayfinder.accounts.passwords import dummy_hash
from wayfinder.clock import VirtualClock
from wayfinder.config import Config
from wayfinder.models import User, utcnow
from wayfinder.transactions import unit_of_work

WRONG = "not the password at all"


def attempt(client, email=OWNER_EMAIL, password=PASSWORD):
    return client.post("/api/session", json={"email": email, "password": password})


@pytest.fixture
def member(app):
    return make_member(app)


@pytest.fixture
def clock(app, monkeypatch):
    """The app on a virtual clock (sessions' idle and absolute timeouts read the app clock), with the default
    timeouts (the test config makes sessions outlast the other tests' clock moves)."""
    virtual = VirtualClock(utcnow())
    monkeypatch.setitem(app.extensions, "wayfinder.clock", virtual)
    defaults = Config(SECRET_KEY="unused", DATABASE_URL="sqlite://")  # the defaults, without any I/O
    monkeypatch.setitem(app.config, "SESSION_IDLE_SECONDS", defaults.SESSION_IDLE_SECONDS)
    monkeypatch.setitem(app.config, "SESSION_ABSOLUTE_SECONDS", defaults.SESSION_ABSOLUTE_SECONDS)
    return virtual


def test_every_api_route_needs_a_session_but_the_open_ones(anonymous):
    assert anonymous.get("/api/journeys").status_code == 401
    body = anonymous.post("/api/journeys", json={"name": "x"}).get_json()
    assert body["error"] == "unauthorized" and body["message"]
    assert anonymous.get("/api/session").status_code == 401
    # The tracking intake takes an API key (or a member's session): 401 with the Bearer challenge.
    event = {"event_id": "e-1", "customer_id": "amy", "name": "cart_updated"}
    for path, body in (("/api/events", event), ("/api/customers", {"external_id": "amy"})):
        refused = anonymous.post(path, json=body)
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    # Open: the API description, the SPA.
    assert anonymous.get("/api/openapi.json").status_code == 200
    page = anonymous.get("/")
    page.close()
    assert page.status_code in (200, 503)


def test_sign_in_answers_who_and_where_and_sets_a_safe_cookie(app, anonymous, member):
    response = attempt(anonymous, email="  Owner@Example.COM ")
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["email"] == OWNER_EMAIL and body["user"]["display_name"] == "Olivia Owner"
    assert body["workspace"]["id"] == 1 and body["role"] == "owner"
    assert [m["role"] for m in body["memberships"]] == ["owner"] and body["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert anonymous.get("/api/session").get_json()["user"]["id"] == member
    with unit_of_work() as session:
        assert session.get(User, member).last_login_at is not None


def test_secure_cookies_when_configured(app, anonymous, member, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    assert "Secure" in attempt(anonymous).headers["Set-Cookie"]


def test_unknown_email_and_wrong_password_get_the_same_answer_after_the_same_work(anonymous, member, monkeypatch):
    verified: list[str] = []
    real_verify = argon2.PasswordHasher.verify

    def spy(self, hash, password):  # the real argon2 verification, counted
        verified.append(hash)
        return real_verify(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    wrong = attempt(anonymous, password=WRONG)
    unknown = attempt(anonymous, email="nobody@example.com", password=WRONG)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert len(verified) == 2 and verified[1] == dummy_hash()  # the unknown email cost one verification too
    assert anonymous.get("/api/journeys").status_code == 401


def test_sign_out_ends_the_session_and_the_old_cookie_is_refused(client):
    cookie = client.get_cookie("wayfinder_session").value
    assert client.delete("/api/session").status_code == 204
    assert client.get("/api/journeys").status_code == 401
    client.set_cookie("wayfinder_session", cookie)  # a copy of the cookie, replayed
    response = client.get("/api/journeys")
    assert response.status_code == 401 and response.get_json()["reason"] == "revoked"


def test_signing_in_rotates_the_session(app, member):
    client = app.test_client()
    first = sign_in(app, client=client)
    before = (client.get_cookie("wayfinder_session").value, first.csrf_token)
    sign_in(app, client=client)
    after = (client.get_cookie("wayfinder_session").value, client.csrf_token)
    assert before[0] != after[0] and before[1] != after[1]
    # The first session's cookie was replaced, and its CSRF token does not work with the new one.
    response = client.post("/api/journeys", json={"name": "x"}, headers={"X-CSRF-Token": before[1]})
    assert response.status_code == 403


def test_a_new_session_version_ends_every_session(app, client, member):
    with unit_of_work() as session:
        session.get(User, member).session_version += 1
    assert client.get("/api/journeys").status_code == 401


def test_idle_timeout(app, clock, member):
    assert app.config["SESSION_IDLE_SECONDS"] == 8 * 3600
    client = sign_in(app)
    clock.advance(seconds=app.config["SESSION_IDLE_SECONDS"] - 120)
    assert client.get("/api/journeys").status_code == 200  # activity: the idle time starts again
    clock.advance(seconds=app.config["SESSION_IDLE_SECONDS"] - 120)
    assert client.get("/api/journeys").status_code == 200
    clock.advance(seconds=app.config["SESSION_IDLE_SECONDS"] + 1)
    response = client.get("/api/journeys")
    assert response.status_code == 401 and response.get_json()["reason"] == "expired"


def test_absolute_timeout_even_when_active(app, clock, member):
    client = sign_in(app)
    step = app.config["SESSION_IDLE_SECONDS"] - 60
    elapsed = 0
    while elapsed + step <= app.config["SESSION_ABSOLUTE_SECONDS"]:
        assert client.get("/api/journeys").status_code == 200
        clock.advance(seconds=step)
        elapsed += step
    clock.advance(seconds=app.config["SESSION_ABSOLUTE_SECONDS"] - elapsed + 1)
    assert client.get("/api/journeys").get_json()["reason"] == "expired"


def test_state_changing_requests_need_the_csrf_header(client):
    token = client.csrf_token
    client.csrf_token = None  # as a cross-site form would: the cookie goes along, the header does not
    missing = client.post("/api/journeys", json={"name": "x"})
    assert missing.status_code == 403 and missing.get_json()["reason"] == "csrf_missing"
    form = client.post("/api/journeys", data={"name": "x"}, content_type="application/x-www-form-urlencoded")
    assert form.status_code == 403
    wrong = client.post("/api/journeys", json={"name": "x"}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403 and wrong.get_json()["reason"] == "csrf_mismatch"
    assert client.get("/api/journeys").status_code == 200  # reads need no token
    client.csrf_token = token
    assert client.post("/api/journeys", json={"name": "x"}).status_code == 201


def test_sign_in_needs_a_json_body(anonymous, member):
    form = anonymous.post("/api/session", data={"email": OWNER_EMAIL, "password": PASSWORD})
    assert form.status_code == 400
    empty = anonymous.post("/api/session", json={})
    assert empty.status_code == 400 and set(empty.get_json()["fields"]) == {"email", "password"}


def test_consecutive_wrong_passwords_lock_the_account(app, anonymous, member, clock, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_AFTER", 3)
    for _ in range(3):
        assert attempt(anonymous, password=WRONG).status_code == 401
    locked = attempt(anonymous)  # even the right password, while locked
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= app.config["LOGIN_LOCKOUT_SECONDS"]
    clock.advance(seconds=app.config["LOGIN_LOCKOUT_SECONDS"] + 1)
    assert attempt(anonymous).status_code == 200


def test_the_lockout_counts_failures_within_a_window_and_treats_unknown_emails_alike(
    app, anonymous, member, clock, monkeypatch
):
    """Spread-out guessing never locks (old failures leave the window), and a burst locks an email that has no
    account exactly as it locks one that has: the same statuses, messages and Retry-After (no existence oracle)."""
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_AFTER", 3)
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_WINDOW_SECONDS", 600)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ACCOUNT", "1000 per minute")  # the lockout alone here
    for _ in range(4):  # 8 wrong passwords, never 3 within 10 minutes
        for _ in range(2):
            assert attempt(anonymous, password=WRONG).status_code == 401
        clock.advance(seconds=601)
    assert attempt(anonymous).status_code == 200

    answers = {}
    for email in (OWNER_EMAIL, "nobody@example.com"):
        statuses = [attempt(anonymous, email=email, password=WRONG).status_code for _ in range(3)]
        locked = attempt(anonymous, email=email)
        body = locked.get_json()
        answers[email] = (statuses, locked.status_code, body["error"], body["message"])
        assert 0 < int(locked.headers["Retry-After"]) <= app.config["LOGIN_LOCKOUT_SECONDS"]
    assert answers[OWNER_EMAIL] == answers["nobody@example.com"]
    assert answers[OWNER_EMAIL][:2] == ([401, 401, 401], 429)
    clock.advance(seconds=app.config["LOGIN_LOCKOUT_SECONDS"] + 1)  # the lockout expires
    assert attempt(anonymous).status_code == 200


def test_failed_attempts_per_email_are_limited_for_known_and_unknown_emails(app, anonymous, member, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ACCOUNT", "2 per 15 minutes")
    for email in (OWNER_EMAIL, "nobody@example.com"):
        assert [attempt(anonymous, email=email, password=WRONG).status_code for _ in range(3)] == [401, 401, 429]
    limited = attempt(anonymous)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert limited.get_json()["error"] == "too_many_requests"
    assert attempt(anonymous, email="other@example.com", password=WRONG).status_code == 401  # per email


def test_attempts_per_address_are_limited(app, anonymous, member, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_IP", "3 per minute")
    statuses = [attempt(anonymous, email=f"u{i}@example.com", password=WRONG).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_switching_to_another_of_ones_workspaces(app, member):
    with unit_of_work() as session:
        ensure_workspace(session, 2, "second-brand")
        ensure_workspace(session, 3, "not-mine")
    make_member(app, workspace_id=2, role="analyst")
    client = sign_in(app)
    assert client.get("/api/session").get_json()["workspace"]["id"] == 1
    switched = client.put("/api/session/workspace", json={"workspace_id": 2})
    assert switched.status_code == 200
    assert switched.get_json()["workspace"]["slug"] == "second-brand" and switched.get_json()["role"] == "analyst"
    assert client.get("/api/session").get_json()["workspace"]["id"] == 2
    assert client.put("/api/session/workspace", json={"workspace_id": 3}).status_code == 404
    assert client.get("/api/session").get_json()["workspace"]["id"] == 2


def test_the_request_workspace_is_the_members_current_one(app, member):
    from flask import g

    seen = []
    app.after_request(lambda response: seen.append((g.get("workspace_id"), g.get("role"))) or response)
    client = sign_in(app)
    client.get("/api/journeys")
    assert seen[-1] == (1, "owner")
