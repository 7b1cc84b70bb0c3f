"""Customers and the events they produce."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wayfinder.models.base import Base, BigIntPK, utcnow
from wayfinder.models.workspace import WorkspaceScoped


class Customer(WorkspaceScoped, Base):
    __tablename__ = "customers"
    # An external id is the shop's own: unique within a workspace, not across brands.
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128))
    email: Mapped[str | None] = mapped_column(String(320))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Event(WorkspaceScoped, Base):
    __tablename__ = "events"
    __table_args__ = (
        # Client-supplied ids are unique per workspace: two brands' shops may number their events alike.
        UniqueConstraint("workspace_id", "event_id"),
        Index("ix_events_customer_name_time", "customer_id", "name", "occurred_at"),
        Index("ix_events_unprocessed", "processed_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    # Client-supplied id: the same event sent twice is stored and processed once.
    event_id: Mapped[str] = mapped_column(String(128))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set in the transaction that enrols / resumes for this event, so a retried job does nothing twice.
    processed_at: Mapped[datetime | None]
    # Set when processing this one event failed: it is marked processed anyway, so it never holds back others.
    error: Mapped[str | None] = mapped_column(String(500))
