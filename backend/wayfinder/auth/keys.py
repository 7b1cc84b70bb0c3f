"""API keys: making them, and authenticating a request that carries one (`Authorization: Bearer <key>`).

A key reads `wf_live_<10 hex>_<43 url-safe characters>`. The part before the second underscore is the prefix: it
is stored as it is, shown in lists, and finds the key's row; the rest is a 32-byte random secret of which only the
SHA-256 is stored, compared in constant time. Only `create_key` ever sees the whole key; no route answers it again.

A request with a key is the key's, not a person's: `g.workspace_id` is the key's workspace, `g.role` is
`key:<scope>` for the widest of its scopes (write > read > track) and `g.scopes` all of them, `g.api_key_id` the
key, `g.user_id` None. It needs no CSRF token (no browser sends it by itself). A key reaches only views tagged
(`auth.permissions.requires`) with an action one of its scopes grants (`SCOPE_ACTIONS`): never a session-only
route (the session, members, keys, audit, settings, test sends, dev tools), never an untagged view. The scopes'
actions are the key rows of the role × action matrix (`auth.permissions.MATRIX`), so this floor and the gate's
role check agree by construction; this one answers 403 `key_scope`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, g, request
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from wayfinder import clock
from wayfinder.auth.limits import check_api_limit, check_failure_limit, count_failure
from wayfinder.auth.permissions import MATRIX, action_of
from wayfinder.errors import Forbidden, InvalidApiKey, NotFound
from wayfinder.extensions import db, routed
from wayfinder.models import ApiKey

SCOPES = ("track", "read", "write")
#: Widest first: the scope `g.role` names.
WIDEST_FIRST = ("write", "read", "track")
#: What each scope grants: the role × action matrix's rows for keys (`auth.permissions.MATRIX`), by scope name.
SCOPE_ACTIONS: dict[str, frozenset[str]] = {scope: MATRIX[f"key:{scope}"] for scope in WIDEST_FIRST}
#: The actions of the intake (their own, higher, per-key rate limit).
INTAKE_ACTIONS = frozenset({"events.track"})
KEY_PATTERN = re.compile(r"^(wf_live_[0-9a-f]{10})_([A-Za-z0-9_-]{43})$")
LAST_USED_RESOLUTION_SECONDS = 60
INVALID_KEY = "The API key is not valid (unknown, revoked or malformed)."
KEY_NOT_ALLOWED = "An API key cannot do this; it needs a scope that allows it, or a signed-in member."


@dataclass(frozen=True)
class NewKey:
    """A key just made: its row, and the whole key (answered once); reads like the row otherwise."""

    api_key: ApiKey
    key: str

    def __getattr__(self, name: str) -> object:
        return getattr(self.api_key, name)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(session: Session, *, name: str, scopes: list[str], created_by_id: int | None) -> NewKey:
    """A new key for the request's workspace (not committed); the whole key is in the answer only."""
    chosen = [scope for scope in SCOPES if scope in set(scopes)]
    while True:  # a prefix collision (40 bits) is unlikely; retry rather than fail
        prefix = f"wf_live_{secrets.token_hex(5)}"
        if session.scalar(select(ApiKey.__table__.c.id).where(ApiKey.__table__.c.prefix == prefix)) is None:
            break
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        prefix=prefix,
        secret_hash=_digest(secret),
        scopes=",".join(chosen),
        created_by_id=created_by_id,
        created_at=clock.now(),
    )
    session.add(key)
    session.flush()
    return NewKey(key, f"{prefix}_{secret}")


def list_keys(session: Session) -> list[ApiKey]:
    """The workspace's keys (scoped by the request), newest first, revoked ones too."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id.desc())))


def get_key(session: Session, key_id: int) -> ApiKey:
    """A key of the request's workspace; NotFound for another workspace's (scoped by the request)."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} not found")
    return key


def revoke_key(session: Session, key_id: int) -> ApiKey:
    """Revoke a key of the request's workspace (again: no change); NotFound for another workspace's."""
    key = get_key(session, key_id)
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        session.flush()
    return key


def bearer_token() -> str | None:
    """The request's `Authorization: Bearer` credential ("" for a malformed header), None without one."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _refuse() -> InvalidApiKey:
    count_failure()
    return InvalidApiKey(INVALID_KEY, reason="invalid_api_key")


def authenticate_key(token: str) -> None:
    """The gate's block for a request with a bearer key (see the module docstring); raises 401/403/429."""
    check_failure_limit()
    match = KEY_PATTERN.match(token)
    if match is None:
        raise _refuse()
    table = ApiKey.__table__
    # On a connection of its own, before the request's unit of work begins (on SQLite a POST's would hold the
    # write lock the last-used update needs), read-only; a Core select, not scoped: the key decides the workspace.
    wait = float(current_app.config["DB_LOCK_WAIT_REQUEST"])
    with routed(db.engine, True, wait).connect() as conn:
        row = conn.execute(
            select(table.c.id, table.c.workspace_id, table.c.secret_hash, table.c.scopes, table.c.last_used_at).where(
                table.c.prefix == match.group(1), table.c.revoked_at.is_(None)
            )
        ).first()
    # Compared even without a row, so an unknown prefix takes the time of a wrong secret.
    expected = row.secret_hash if row is not None else "0" * 64
    if not hmac.compare_digest(_digest(match.group(2)), expected) or row is None:
        raise _refuse()
    scopes = frozenset(s for s in row.scopes.split(",") if s)
    g.workspace_id = row.workspace_id
    g.role = f"key:{next(s for s in WIDEST_FIRST if s in scopes)}"
    g.scopes = scopes
    g.api_key_id = row.id
    g.user_id = None
    action = action_of(current_app.view_functions.get(request.endpoint))
    if action is None or not any(action in SCOPE_ACTIONS[s] for s in scopes):
        raise Forbidden(KEY_NOT_ALLOWED, reason="key_scope")
    check_api_limit(key_id=row.id, intake=action in INTAKE_ACTIONS)
    _touch(row.id, row.last_used_at)


def _touch(key_id: int, last_used_at: datetime | None) -> None:
    """Record the use at most once a minute, in a transaction of its own (a GET's unit of work is read-only)."""
    now = clock.now()
    stale = now - timedelta(seconds=LAST_USED_RESOLUTION_SECONDS)
    if last_used_at is not None and _aware(last_used_at) > stale:
        return
    table = ApiKey.__table__
    with db.engine.begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.id == key_id, or_(table.c.last_used_at.is_(None), table.c.last_used_at <= stale))
            .values(last_used_at=now)
        )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
