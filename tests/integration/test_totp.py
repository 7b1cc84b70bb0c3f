"""Two-step sign-in (TOTP, pyotp): set up with a first code, then every sign-in needs a fresh code or a recovery
code; a code is accepted once; wrong codes count towards the lockout; turning it off needs the password."""

from __future__ import annotations

import base64

import pyotp
from sqlalchemy import select

from tests.integration.accounts import OWNER_EMAIL, PASSWORD
from wayfinder import clock
from wayfinder.extensions import db
from wayfinder.models import RecoveryCode, User


def sign_in(app, **extra):
    return app.test_client().post("/api/session", json={"email": OWNER_EMAIL, "password": PASSWORD, **extra})


def not_a_valid_code(app_totp: pyotp.TOTP) -> str:
    """A code that is none of the three the server accepts now (this step, one before, one after)."""
    valid = {app_totp.at(clock.now(), counter_offset=offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def turn_on(client) -> tuple[pyotp.TOTP, list[str]]:
    started = client.post("/api/account/totp")
    assert started.status_code == 200, started.get_json()
    body = started.get_json()
    assert body["otpauth_uri"].startswith("otpauth://totp/Wayfinder:owner%40example.com?secret=")
    assert base64.b64decode(body["qr_svg"].split(",", 1)[1]).startswith(b"<?xml")
    app_totp = pyotp.TOTP(body["secret"])
    wrong = client.post("/api/account/totp/confirm", json={"code": not_a_valid_code(app_totp)})
    assert wrong.status_code == 400 and "code" in wrong.get_json()["fields"]
    confirmed = client.post("/api/account/totp/confirm", json={"code": app_totp.at(clock.now())})
    assert confirmed.status_code == 200, confirmed.get_json()
    return app_totp, confirmed.get_json()["recovery_codes"]


def test_sign_in_asks_for_a_fresh_code_once_two_step_is_on(app, client):
    assert client.get("/api/account/totp").get_json() == {"enabled": False, "recovery_codes_left": 0}
    app_totp, codes = turn_on(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/api/account/totp").get_json() == {"enabled": True, "recovery_codes_left": 10}
    assert client.post("/api/account/totp").status_code == 409  # on already

    asked = sign_in(app)
    assert asked.status_code == 401 and asked.get_json()["reason"] == "totp_required"
    # The code used to confirm the set-up cannot sign in again (each time step is accepted once).
    replay = sign_in(app, code=app_totp.at(clock.now()))
    assert replay.status_code == 401 and replay.get_json()["reason"] == "totp_invalid"
    nxt = app_totp.at(clock.now(), counter_offset=1)
    assert sign_in(app, code=nxt).status_code == 200
    assert sign_in(app, code=nxt).status_code == 401  # and not twice

    # A recovery code works once, whatever its spelling.
    assert sign_in(app, code=codes[0].upper().replace("-", " ")).status_code == 200
    assert sign_in(app, code=codes[0]).status_code == 401
    assert client.get("/api/account/totp").get_json()["recovery_codes_left"] == 9
    # The wrong password is still the same answer as ever, code or not.
    wrong = app.test_client().post("/api/session", json={"email": OWNER_EMAIL, "password": "x" * 20, "code": nxt})
    assert wrong.get_json()["reason"] == "invalid_credentials"

    with app.app_context():
        stored = {c.code_hash for c in db.session.scalars(select(RecoveryCode))}
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)

    actions = [(e["action"], e["detail"]) for e in client.get("/api/audit").get_json()["entries"]]
    assert ("session.signed_in", {"second_factor": "recovery"}) in actions
    assert ("session.sign_in_failed", {"reason": "totp_invalid"}) in actions
    assert ("totp.enabled", {}) in actions


def test_wrong_codes_lock_the_account_like_wrong_passwords(app, client):
    app_totp, _ = turn_on(client)
    app.config["LOGIN_LOCKOUT_AFTER"] = 3
    for _ in range(3):
        assert sign_in(app, code=not_a_valid_code(app_totp)).status_code == 401
    locked = sign_in(app, code=not_a_valid_code(app_totp))
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_turning_it_off_needs_the_password(app, client):
    turn_on(client)
    refused = client.delete("/api/account/totp", json={"password": "not my password at all"})
    assert refused.status_code == 400 and "password" in refused.get_json()["fields"]
    assert client.delete("/api/account/totp", json={"password": PASSWORD}).status_code == 204
    assert sign_in(app).status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == OWNER_EMAIL))
        assert user.totp_secret is None and user.totp_enabled_at is None
    assert client.get("/api/account/totp").get_json() == {"enabled": False, "recovery_codes_left": 0}
