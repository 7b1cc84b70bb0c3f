"""Time-driven triggers as data, manual enrolment requests, and the entries a journey refused.

* `TriggerSchedule`: when each time-driven trigger of a live version is next due (the ticker's index).
* `TriggerFiring`: one row per firing, unique on (journey, node, due_at), so a firing happens once however
  many tickers run; it carries the cursor of the batched enrolment of its audience, so a job that dies
  half-way carries on from where it stopped.
* `EnrolRequest`: one row per manual/API enrolment request id, holding the answer it gave.
* `EntryRefusal`: a customer the journey did not let in, and why (re-entry rule, outside the dates): one
  row per (journey, customer, reason), counting how often, so "why didn't this customer get it?" answers
  from data without a row per refusal.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wayfinder.models.base import Base, BigIntPK, utcnow


class TriggerSchedule(Base):
    __tablename__ = "trigger_schedules"
    __table_args__ = (UniqueConstraint("version_id", "node_id"), Index("ix_trigger_schedules_due", "next_due_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("journey_versions.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(64))
    # None: the trigger will not fire again (a one-off that fired, a schedule past its end).
    next_due_at: Mapped[datetime | None]


class FiringStatus(enum.StrEnum):
    RUNNING = "running"  # enrolling its audience, batch by batch (lease_until: when a lost job is re-run)
    DONE = "done"


class TriggerFiring(Base):
    __tablename__ = "trigger_firings"
    __table_args__ = (
        UniqueConstraint("journey_id", "node_id", "due_at"),
        Index("ix_trigger_firings_status_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("journey_versions.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    fired_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=FiringStatus.RUNNING)
    lease_until: Mapped[datetime | None]
    # The highest customer id already considered: the audience is paged by id.
    cursor: Mapped[int] = mapped_column(default=0)
    enrolled: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None]


class EnrolRequest(Base):
    __tablename__ = "enrol_requests"
    __table_args__ = (UniqueConstraint("journey_id", "request_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    request_id: Mapped[str] = mapped_column(String(128))
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EntryRefusal(Base):
    __tablename__ = "entry_refusals"
    __table_args__ = (UniqueConstraint("journey_id", "customer_id", "reason"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(64))  # the trigger they came through
    # reentry_once | reentry_cooldown | already_inside | before_start | after_end
    reason: Mapped[str] = mapped_column(String(64))
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
    times: Mapped[int] = mapped_column(default=1)
