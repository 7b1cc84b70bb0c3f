"""Workspaces: one brand each. Every customer, event, journey, message and setting belongs to exactly one.

Brand settings (time zone, default language, sender) live here rather than in app config, so one installation
serves many brands (an agency's or a CDP vendor's clients). The migration that created the table moved an
existing installation's data into the default workspace (`DEFAULT_WORKSPACE_ID`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from wayfinder.models.base import Base, utcnow

DEFAULT_WORKSPACE_ID = 1


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A short, URL-safe handle (lower-case letters, digits, hyphens); unique across the installation.
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # IANA zone the brand's journeys run in unless a journey says otherwise.
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Taipei")
    # The language of the brand's content and of new members' UI ("zh-TW" or "en").
    language: Mapped[str] = mapped_column(String(16), default="zh-TW")
    sender_name: Mapped[str | None] = mapped_column(String(200))
    sender_email: Mapped[str | None] = mapped_column(String(320))
    # Addresses besides the member's own that test sends (POST /api/email/test) may go to: lower-cased emails.
    test_recipients: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WorkspaceScoped:
    """Mixin of the models whose rows belong to one workspace (customers, events, journeys and their versions,
    messages): a `workspace_id` column, and the scoping of `wayfinder.workspaces.scoping` — every ORM query made
    while serving a request is filtered by the request's workspace, every new row gets it. Rows reached only
    through one of these (enrollments, counts, history: by journey or customer id) carry no copy."""

    @declared_attr
    def workspace_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("workspaces.id"))
