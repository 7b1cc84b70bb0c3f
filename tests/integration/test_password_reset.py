"""Password reset: the same answer for any email, a link through the real SMTP catcher, the new password under
the sign-up policy, every old session ended, single use, expiry, and the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.integration.accounts import OWNER_EMAIL, PASSWORD, make_member, sign_in
from tests.integration.conftest import running_app
from tests.integration.test_members import link_in
from wayfinder import clock
from wayfinder.extensions import db
from wayfinder.models import PasswordReset

NEW_PASSWORD = "my new and longer passphrase"


def ask(client, email):
    res = client.post("/api/password-reset", json={"email": email})
    assert res.status_code == 202, res.get_json()
    return res.get_json()


def test_a_reset_link_sets_a_new_password_and_ends_every_session(app, client, mail):
    anonymous = app.test_client()
    known, unknown = ask(anonymous, OWNER_EMAIL), ask(anonymous, "nobody@example.com")
    assert known == unknown  # nothing tells which addresses have an account
    (received,) = mail.wait_for(1)
    assert received["to"] == OWNER_EMAIL
    path, token = link_in(received)
    assert path == "/reset-password"
    assert anonymous.get(f"/api/password-reset?token={token}").get_json() == {"email": OWNER_EMAIL}

    weak = anonymous.post("/api/password-reset/confirm", json={"token": token, "password": "password123"})
    assert weak.status_code == 400 and "password" in weak.get_json()["fields"]
    same_as_email = anonymous.post("/api/password-reset/confirm", json={"token": token, "password": OWNER_EMAIL})
    assert same_as_email.status_code == 400

    done = anonymous.post("/api/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 204, done.get_json()
    # The session signed in before the reset has ended; the old password no longer works, the new one does.
    assert client.get("/api/session").status_code == 401
    assert app.test_client().post("/api/session", json={"email": OWNER_EMAIL, "password": PASSWORD}).status_code == 401
    fresh = sign_in(app, OWNER_EMAIL, NEW_PASSWORD)
    # Single use.
    again = anonymous.post("/api/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD + "!"})
    assert again.status_code == 410 and again.get_json()["error"] == "invalid_link"
    entries = fresh.get("/api/audit?action=password.reset").get_json()["entries"]
    assert [(e["action"], e["actor"]) for e in entries] == [("password.reset", OWNER_EMAIL)]


def test_a_reset_lifts_the_sign_in_lockout(app, client, mail, monkeypatch):
    """Someone locked the account by guessing; its owner resets the password by email and can sign in at once
    (before, the lockout in Redis outlived the reset for LOGIN_LOCKOUT_SECONDS)."""
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_AFTER", 3)
    anonymous = app.test_client()
    for _ in range(3):
        wrong = anonymous.post("/api/session", json={"email": OWNER_EMAIL, "password": "not the password at all"})
        assert wrong.status_code == 401
    locked = anonymous.post("/api/session", json={"email": OWNER_EMAIL, "password": PASSWORD})
    assert locked.status_code == 429
    ask(anonymous, OWNER_EMAIL)
    (received,) = mail.wait_for(1)
    _, token = link_in(received)
    done = anonymous.post("/api/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 204, done.get_json()
    sign_in(app, OWNER_EMAIL, NEW_PASSWORD)


def test_a_reset_link_expires(app, client, mail):
    ask(app.test_client(), OWNER_EMAIL)
    (received,) = mail.wait_for(1)
    _, token = link_in(received)
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert token not in reset.token_hash
        reset.expires_at = clock.now() - timedelta(seconds=1)
        db.session.commit()
        db.session.remove()
    expired = app.test_client().post("/api/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert expired.status_code == 410
    assert app.test_client().get(f"/api/password-reset?token={token}").status_code == 410


@pytest.fixture
def limited_app(database_url, redis_url, queue_prefix, tmp_path):
    config = {"EMAIL_ADAPTER": "sandbox", "PASSWORD_RESET_RATE_LIMIT_ACCOUNT": "2 per hour"}
    with running_app(database_url, redis_url, queue_prefix, tmp_path, config) as app:
        yield app


def test_reset_requests_are_rate_limited_per_email_known_or_not(limited_app):
    make_member(limited_app)
    client = limited_app.test_client()
    for email in (OWNER_EMAIL, "nobody@example.com"):
        for _ in range(2):
            assert client.post("/api/password-reset", json={"email": email}).status_code == 202
        limited = client.post("/api/password-reset", json={"email": email})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0


def test_a_malformed_token_is_a_field_error(app):
    res = app.test_client().post("/api/password-reset/confirm", json={"token": "../etc", "password": NEW_PASSWORD})
    assert res.status_code == 400 and "token" in res.get_json()["fields"]
