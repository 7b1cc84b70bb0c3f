"""The audit log: who did what in a workspace, when, and from which IP address. Append-only.

Rows are written only by `wayfinder.audit.record`, in the transaction of the change they record (a change that
rolls back leaves no entry). No route updates or deletes them, and the ORM refuses to (`wayfinder.audit`). The
actor is kept by id *and* by email at the time, so an entry still names its author after the user is removed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wayfinder.models.base import Base, BigIntPK, utcnow
from wayfinder.models.workspace import WorkspaceScoped


class AuditEntry(WorkspaceScoped, Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_workspace_id_created_at", "workspace_id", "created_at"),
        Index("ix_audit_log_workspace_id_action", "workspace_id", "action"),
        Index("ix_audit_log_workspace_id_actor_user_id", "workspace_id", "actor_user_id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # No foreign key: an entry outlives the user it names (`actor` keeps their email of the time).
    actor_user_id: Mapped[int | None] = mapped_column()
    # The actor's email when it acted (or a label such as "api-key:wf_ab12" for an API key; "" for the system).
    actor: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str | None] = mapped_column(String(64))
    # A dotted name from `wayfinder.audit.ACTIONS`, e.g. "journey.published".
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
