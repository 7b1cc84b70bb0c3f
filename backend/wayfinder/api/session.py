"""/api/session: sign in, who am I, switch workspace, sign out."""

from __future__ import annotations

from flask import session
from sqlalchemy import select

from wayfinder import audit, clock
from wayfinder.accounts import totp
from wayfinder.accounts.service import INVALID_CREDENTIALS, LOCKED, authenticate, memberships, normalize_email
from wayfinder.api.parser import Blueprint
from wayfinder.auth.limits import Lockout, account_limit, email_key, failed, ip_key, ip_limit
from wayfinder.auth.permissions import requires
from wayfinder.auth.sessions import current_membership, end_session, session_summary, signed_in_user, start_session
from wayfinder.errors import NotFound, TooManyAttempts, Unauthorized
from wayfinder.extensions import db, limiter, socketio
from wayfinder.models import User
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.session import SessionOutSchema, SignInSchema, WorkspaceSwitchSchema

blp = Blueprint(
    "session",
    __name__,
    url_prefix="/api/session",
    description="Signing in and out. Every other route needs the session cookie this sets (and, on POST, PUT and "
    "DELETE, the `X-CSRF-Token` header with the `csrf_token` answered here), except the tracking intake.",
)


def _summary() -> dict:
    return session_summary(current_membership(signed_in_user()))


TOTP_REQUIRED = "Enter the code from your authenticator app (or a recovery code)."
TOTP_INVALID = "That code is not right, or was used already."


def _audit_sign_in(email: str, user: User | None, action: str, detail: dict) -> None:
    """A sign-in, or a failed one, in the audit log of every workspace of the account. A failure for an email
    no account has is not recorded (there is no workspace to record it in; the rate limiter still counts it)."""
    user = user or db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        return
    for _membership, workspace in memberships(db.session, user.id):
        audit.record(db.session, action, "user", user.id, detail, workspace_id=workspace.id, actor=user)


def _second_factor(user: User, code: str | None) -> tuple[str | None, str | None]:
    """(how the second factor was given: "totp" / "recovery", or None; why it was refused, or None)."""
    if not totp.enabled(user):
        return None, None
    if not code:
        return None, "totp_required"
    used = totp.verify(db.session, user, code)
    if used is None:
        return None, "totp_invalid"
    user.last_login_at = clock.now()
    return used, None


@blp.post("")
@limiter.limit(ip_limit, key_func=ip_key, methods=["POST"])
@limiter.limit(account_limit, key_func=email_key, methods=["POST"], deduct_when=failed)
@blp.arguments(SignInSchema)
@blp.response(200, SessionOutSchema)
@blp.alt_response(
    401,
    schema=ErrorSchema,
    description="Wrong email or password (the same answer for both); with two-step sign-in on, `totp_required` "
    "(send `code` too) or `totp_invalid`",
)
@blp.alt_response(429, schema=ErrorSchema, description="Too many attempts from here or for this email; see Retry-After")
@requires("session.self")
def sign_in(data: dict):
    """Sign in with email and password: a new session (cookie), whatever the browser held before."""
    lockout = Lockout(data["email"])
    locked_for = lockout.locked_for()
    if locked_for:
        _audit_sign_in(data["email"], None, "session.sign_in_failed", {"reason": "locked"})
        db.session.commit()
        raise TooManyAttempts(LOCKED, retry_after=locked_for)
    user = authenticate(db.session, data["email"], data["password"], clock.now())
    used, refused = _second_factor(user, data.get("code")) if user else (None, None)
    if user is None or refused == "totp_invalid":
        # A wrong code counts towards the lockout like a wrong password.
        _audit_sign_in(data["email"], user, "session.sign_in_failed", {"reason": refused or "invalid_credentials"})
        db.session.commit()
        lockout.failure()
        if user is None:
            raise Unauthorized(INVALID_CREDENTIALS, reason="invalid_credentials")
        raise Unauthorized(TOTP_INVALID, reason="totp_invalid")
    if refused == "totp_required":
        db.session.commit()  # a rehashed password
        raise Unauthorized(TOTP_REQUIRED, reason="totp_required")
    _audit_sign_in(data["email"], user, "session.signed_in", {"second_factor": used} if used else {})
    db.session.commit()  # the last sign-in time, a spent code
    lockout.success()
    start_session(user, workspace_id=None)  # their first workspace (`current_membership`)
    return session_summary(current_membership(user))


@blp.get("")
@blp.response(200, SessionOutSchema)
@requires("session.self")
def get_session():
    """The signed-in user, their workspaces and role, and the CSRF token."""
    return _summary()


@blp.delete("")
@blp.response(204)
@requires("session.self")
def sign_out():
    """End this session; its cookie is refused from now on and its live connections are closed."""
    user = signed_in_user()
    for _membership, workspace in memberships(db.session, user.id):
        audit.record(db.session, "session.signed_out", "user", user.id, workspace_id=workspace.id, actor=user)
    db.session.commit()
    for sid in end_session():
        socketio.server.disconnect(sid, namespace="/")
    return None


@blp.put("/workspace")
@blp.arguments(WorkspaceSwitchSchema)
@blp.response(200, SessionOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Not a workspace of yours")
@requires("session.self")
def switch_workspace(data: dict):
    """Work in another of your workspaces (404 for a workspace you are not a member of)."""
    user = signed_in_user()
    if not any(w.id == data["workspace_id"] for _, w in memberships(db.session, user.id)):
        raise NotFound(f"workspace {data['workspace_id']} not found")
    session["ws"] = data["workspace_id"]
    return _summary()
