"""Journeys and their versions: one editable draft, immutable published versions.

`Journey.status` is derived from its versions' statuses in one place, `Journey.refresh_status`; the service
calls it after every publish / pause / resume / archive, and a `before_flush` hook calls it for every journey
whose versions changed, so no code path can leave it out of step. The column is kept (lists filter and sort on
it without loading versions) but never set by hand.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from wayfinder.models.base import Base, utcnow
from wayfinder.models.workspace import WorkspaceScoped


class JourneyStatus(enum.StrEnum):
    DRAFT = "draft"  # never published
    PUBLISHED = "published"
    PAUSED = "paused"
    ARCHIVED = "archived"


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"  # the one editable version
    PUBLISHED = "published"  # live: enrols and advances customers
    PAUSED = "paused"  # enrols nobody; customers inside wait where they are
    ARCHIVED = "archived"  # replaced or retired: enrols nobody; customers inside finish their path


class Journey(WorkspaceScoped, Base):
    __tablename__ = "journeys"
    __table_args__ = (Index("ix_journeys_workspace_updated", "workspace_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=JourneyStatus.DRAFT)
    # Bumped on every save of the draft; a save that names an older revision is refused (409).
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    versions: Mapped[list[JourneyVersion]] = relationship(
        back_populates="journey", order_by="JourneyVersion.number", cascade="all, delete-orphan"
    )

    def version_with(self, status: str) -> JourneyVersion | None:
        return next((v for v in reversed(self.versions) if v.status == status), None)

    def derived_status(self) -> JourneyStatus:
        """What the versions say: running (a published version), paused (a paused one), never published (only
        a draft, or nothing), else archived (frozen versions, none live)."""
        statuses = {v.status for v in self.versions}
        if VersionStatus.PUBLISHED in statuses:
            return JourneyStatus.PUBLISHED
        if VersionStatus.PAUSED in statuses:
            return JourneyStatus.PAUSED
        if statuses <= {VersionStatus.DRAFT}:
            return JourneyStatus.DRAFT
        return JourneyStatus.ARCHIVED

    def refresh_status(self) -> JourneyStatus:
        """Set `status` from the versions (the one place it is decided)."""
        status = self.derived_status()
        if self.status != status:
            self.status = status
        return status

    @property
    def draft(self) -> JourneyVersion | None:
        return self.version_with(VersionStatus.DRAFT)

    @property
    def live_version(self) -> JourneyVersion | None:
        """The version that currently runs (published) or is paused."""
        return self.version_with(VersionStatus.PUBLISHED) or self.version_with(VersionStatus.PAUSED)


class JourneyVersion(WorkspaceScoped, Base):
    """A version carries its journey's workspace, so event routing finds a workspace's live versions without a
    join (the scoping hook copies it from the journey)."""

    __tablename__ = "journey_versions"
    __table_args__ = (
        UniqueConstraint("journey_id", "number"),
        Index("ix_journey_versions_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DRAFT)
    graph: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Event names of this version's triggers, so an incoming event finds its journeys without parsing graphs.
    trigger_events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Event names of this version's goals: an event routes to the customers inside these versions.
    goal_events: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    journey: Mapped[Journey] = relationship(back_populates="versions")


@event.listens_for(Session, "before_flush")
def _journey_status_follows_versions(session: Session, _context: Any, _instances: Any) -> None:
    """Before any flush, bring the status of every journey whose versions were added or changed in line."""
    journeys = {
        obj.journey if isinstance(obj, JourneyVersion) else obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, (Journey, JourneyVersion))
    }
    for journey in journeys:
        if journey is not None and journey not in session.deleted:
            journey.refresh_status()
