"""Signed-in sessions: Flask's signed cookie session, managed through Flask-Login.

A session holds the user id, the user's `session_version` at sign-in, a random `nonce` naming this session, when
it started (`iat`) and was last used (`seen`), the CSRF token and the current workspace. Signing in clears
whatever the cookie held and starts a new one (session fixation: nothing from before survives). A session ends:
* on sign-out: its nonce goes on a revocation list in Redis until it would have expired anyway, so a copy of the
  cookie (a signed cookie cannot be deleted on the server) is refused too, and its live sockets are closed;
* after SESSION_IDLE_SECONDS without a request, or SESSION_ABSOLUTE_SECONDS after sign-in (on the app clock);
* when the user's `session_version` moves (every session of that user at once).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, session
from flask_login import LoginManager, current_user, login_user, logout_user

from wayfinder import clock
from wayfinder.accounts.service import memberships
from wayfinder.auth.permissions import allowed_actions
from wayfinder.extensions import db, redis_client
from wayfinder.models import Membership, User, Workspace

#: How stale `seen` may get before a request writes it again (saves re-sending the cookie on every request).
SEEN_RESOLUTION_SECONDS = 60

login_manager = LoginManager()
login_manager.session_protection = None  # sessions are rotated at sign-in and revocable; see the module docstring


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or session.get("sv") != user.session_version:
        return None
    return user


def _revoked_key(nonce: str) -> str:
    return f"{current_app.config['QUEUE_PREFIX']}wayfinder:revoked-session:{nonce}"


def sockets_key(nonce: str) -> str:
    """The Redis set of the Socket.IO connections opened with one session (closed when it ends)."""
    return f"{current_app.config['QUEUE_PREFIX']}wayfinder:session-sockets:{nonce}"


def start_session(user: User, workspace_id: int | None) -> None:
    """Sign `user` in with a brand-new session (the old one's data, and nonce, are gone)."""
    session.clear()
    now = clock.now().timestamp()
    login_user(user)
    session.permanent = True
    session.update(
        sv=user.session_version,
        nonce=secrets.token_urlsafe(24),
        iat=now,
        seen=now,
        csrf=secrets.token_urlsafe(32),
        ws=workspace_id,
    )


def end_session() -> list[str]:
    """Sign out: revoke this session's nonce and return the ids of its live sockets (for the caller to close)."""
    nonce = session.get("nonce")
    sids: list[str] = []
    if nonce:
        conn = redis_client.conn
        ttl = int(current_app.config["SESSION_ABSOLUTE_SECONDS"]) + 60
        conn.set(_revoked_key(nonce), "1", ex=ttl)
        sids = [sid.decode() for sid in conn.smembers(sockets_key(nonce))]
        conn.delete(sockets_key(nonce))
    logout_user()
    session.clear()
    return sids


@dataclass(frozen=True)
class SessionState:
    user: User | None
    #: Why there is no user: "" (never signed in) or a reason the SPA can show ("expired", "revoked").
    ended: str = ""


def check_session(touch: bool = True) -> SessionState:
    """The signed-in user of this request's session, after the timeout and revocation checks (an ended session is
    cleared). `touch` records the request as activity (the idle timeout starts again)."""
    if "_user_id" not in session:
        return SessionState(None)
    config = current_app.config
    now = clock.now().timestamp()
    iat, seen, nonce = session.get("iat"), session.get("seen"), session.get("nonce")
    ended = ""
    if not isinstance(iat, int | float) or not isinstance(seen, int | float) or not nonce:
        ended = "revoked"
    elif now - iat > config["SESSION_ABSOLUTE_SECONDS"] or now - seen > config["SESSION_IDLE_SECONDS"]:
        ended = "expired"
    elif redis_client.conn.exists(_revoked_key(nonce)):
        ended = "revoked"
    elif not current_user.is_authenticated:  # deleted user, or session_version moved
        ended = "revoked"
    if ended:
        logout_user()
        session.clear()
        return SessionState(None, ended)
    if touch and now - seen >= SEEN_RESOLUTION_SECONDS:
        session["seen"] = now
    return SessionState(current_user._get_current_object())


def signed_in_user() -> User:
    """The user of this request's session, for a route whose `requires` has checked that session already."""
    return current_user._get_current_object()


@dataclass(frozen=True)
class Current:
    """The request's member: who, in which workspace, with which role."""

    user: User
    workspace: Workspace | None
    membership: Membership | None
    memberships: list[tuple[Membership, Workspace]]


def current_membership(user: User) -> Current:
    """The session's workspace if the user is (still) a member of it, else their first membership."""
    rows = memberships(db.session, user.id)
    chosen = next((row for row in rows if row[1].id == session.get("ws")), rows[0] if rows else None)
    if chosen is not None and session.get("ws") != chosen[1].id:
        session["ws"] = chosen[1].id
    return Current(user, chosen[1] if chosen else None, chosen[0] if chosen else None, rows)


def set_request_member(current: Current) -> None:
    """The contract with the scoping layer: `g.workspace_id` is the request's workspace (and `g.role` the role)."""
    g.workspace_id = current.workspace.id if current.workspace else None
    g.role = current.membership.role if current.membership else None
    g.user_id = current.user.id


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def session_summary(current: Current) -> dict[str, Any]:
    """What GET /api/session answers (shaped by `schemas.session.SessionOutSchema`)."""
    return {
        "user": current.user,
        "workspace": current.workspace,
        "role": current.membership.role if current.membership else None,
        # The UI disables what the role cannot do from this list; it never copies the matrix.
        "actions": [
            action
            for action in allowed_actions(current.membership.role if current.membership else None)
            if action != "devtools.use" or current_app.config.get("DEV_MODE")  # the dev tools exist only then
        ],
        "memberships": [{"workspace": w, "role": m.role} for m, w in current.memberships],
        "csrf_token": csrf_token(),
        "idle_timeout_seconds": current_app.config["SESSION_IDLE_SECONDS"],
    }
