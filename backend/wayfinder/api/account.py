"""/api/account/totp: the signed-in user's own two-step sign-in (TOTP): status, set up, confirm, turn off."""

from __future__ import annotations

from flask_login import current_user

from wayfinder.accounts import totp
from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.auth.sessions import signed_in_user
from wayfinder.extensions import db
from wayfinder.models import User
from wayfinder.schemas.accounts import (
    PasswordCheckSchema,
    RecoveryCodesSchema,
    TotpCodeSchema,
    TotpEnrolmentSchema,
    TotpStatusSchema,
)
from wayfinder.schemas.api import ErrorSchema

blp = Blueprint(
    "account",
    __name__,
    url_prefix="/api/account",
    description="Your own account: two-step sign-in with an authenticator app (TOTP) and recovery codes.",
)


def _me() -> User:
    # Locked: two tabs confirming at once must not both hand out recovery codes.
    user = db.session.get(User, current_user.id, with_for_update=True)
    assert user is not None
    return user


@blp.get("/totp")
@blp.response(200, TotpStatusSchema)
@requires("session.self")
def totp_status():
    """Whether two-step sign-in is on, and how many recovery codes are left."""
    user = signed_in_user()
    return {"enabled": totp.enabled(user), "recovery_codes_left": totp.recovery_codes_left(db.session, user)}


@blp.post("/totp")
@blp.response(200, TotpEnrolmentSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Two-step sign-in is on already")
@requires("session.self")
def totp_start():
    """Start setting up two-step sign-in: a new secret, as a QR code for an authenticator app and as text."""
    enrolment = totp.start(db.session, _me())
    db.session.commit()
    return enrolment


@blp.post("/totp/confirm")
@blp.arguments(TotpCodeSchema)
@blp.response(200, RecoveryCodesSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Not started, or on already")
@requires("session.self")
def totp_confirm(data: dict):
    """Turn two-step sign-in on with a first code from the app; answers ten recovery codes, shown only now."""
    codes = totp.confirm(db.session, _me(), data["code"])
    db.session.commit()
    return {"recovery_codes": codes}


@blp.delete("/totp")
@blp.arguments(PasswordCheckSchema)
@blp.response(204)
@requires("session.self")
def totp_disable(data: dict):
    """Turn two-step sign-in off (asks for the password again)."""
    totp.disable(db.session, _me(), data["password"])
    db.session.commit()
