"""The audit log: `record` writes one entry, in the caller's transaction; `query` reads them (scoped).

Call `record(session, action, target_type, target_id, detail)` next to the change it records, before the commit
that makes the change: both land together or neither does. The actor (the signed-in user, or `g.audit_actor`
set by another principal such as an API key) and the client IP come from the request; outside a request the
actor is the system (""). The workspace is the request's unless `workspace_id` names another (the sign-in,
which happens before a workspace is chosen, records into each workspace of the user).

Append-only: there is no route that changes or deletes an entry, and the ORM refuses to flush a changed or
deleted `AuditEntry` (`AuditLogIsAppendOnly`). Retention: entries are kept for as long as their workspace exists;
an operator who must purge old entries does it in the database (see docs/accounts.md).
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from wayfinder import clock
from wayfinder.models import AuditEntry, User
from wayfinder.workspaces.scoping import current_workspace

#: Every action the log records, with what it means (the API's filter accepts only these).
ACTIONS: dict[str, str] = {
    "session.signed_in": "signed in",
    "session.sign_in_failed": "a failed sign-in for the account (wrong password or locked)",
    "session.signed_out": "signed out",
    "journey.published": "published a journey",
    "journey.paused": "paused a journey",
    "journey.resumed": "resumed a journey",
    "journey.archived": "archived a journey",
    "journey.deleted": "deleted a journey that never ran",
    "journey.settings_changed": "changed a journey's settings (entry rules, dates, time zone, caps)",
    "workspace.settings_changed": "changed the workspace's brand settings",
    "member.invited": "invited someone to the workspace",
    "invitation.revoked": "revoked a pending invitation",
    "member.joined": "accepted an invitation",
    "member.role_changed": "changed a member's role",
    "member.removed": "removed a member",
    "password.reset": "reset their password through an emailed link",
    "totp.enabled": "turned on two-step sign-in (TOTP)",
    "totp.disabled": "turned off two-step sign-in (TOTP)",
    "key.created": "created an API key",
    "key.revoked": "revoked an API key",
    "channel_account.created": "added a provider account (SMS, LINE, push …)",
    "channel_account.updated": "changed a provider account (settings, credentials, default)",
    "channel_account.deleted": "deleted a provider account",
    "audit.exported": "exported the audit log as CSV",
}


class AuditLogIsAppendOnly(RuntimeError):
    """Something tried to change or delete an audit entry."""


def client_ip() -> str | None:
    """The request's client address (the proxy-corrected one when the app trusts a proxy), if in a request."""
    return request.remote_addr if has_request_context() else None


def _request_actor(session: Session) -> tuple[int | None, str]:
    if not has_request_context():
        return None, ""
    label = g.get("audit_actor")
    user_id = g.get("user_id")
    if label is not None:
        return user_id, str(label)
    if user_id is None:
        return None, ""
    user = session.get(User, user_id)
    return user_id, user.email if user is not None else ""


def record(
    session: Session,
    action: str,
    target_type: str | None = None,
    target_id: int | str | None = None,
    detail: dict[str, Any] | None = None,
    *,
    workspace_id: int | None = None,
    actor: User | None = None,
) -> None:
    """Append one entry to the audit log, in `session`'s transaction (the caller commits).

    `action` is one of `ACTIONS`; `target_type`/`target_id` name what was acted on ("journey", 12); `detail` is a
    small JSON object (never secrets). `workspace_id` defaults to the one the session serves; `actor` to the
    request's signed-in user (give it where no one is signed in yet: the sign-in itself, an accepted invitation).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to wayfinder.audit.ACTIONS")
    workspace = workspace_id if workspace_id is not None else current_workspace(session)
    if not workspace:
        raise ValueError("an audit entry needs a workspace")
    if actor is not None:
        actor_id, label = actor.id, actor.email
    else:
        actor_id, label = _request_actor(session)
    # A Core insert naming its workspace: the sign-in writes into workspaces other than the request's.
    session.execute(
        insert(AuditEntry).values(
            workspace_id=workspace,
            created_at=clock.now(),
            actor_user_id=actor_id,
            actor=label,
            ip=client_ip(),
            action=action,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            detail=detail or {},
        )
    )


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit entries are never changed or deleted")
