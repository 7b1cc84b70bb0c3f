"""Where each customer is in each journey, what happened on the way, and the per-node tallies."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from wayfinder.models.base import Base, BigIntPK, utcnow


class EnrollmentStatus(enum.StrEnum):
    ACTIVE = "active"  # must execute its current node now (wake_at = lease deadline)
    WAKING = "waking"  # its wait is over: must resume at its current node (wake_at = lease deadline)
    WAITING = "waiting"  # asleep at a wait node until wake_at
    COMPLETED = "completed"  # reached an exit or the end of a path
    CONVERTED = "converted"  # reached the journey's goal (and finished its final path, if any)
    FAILED = "failed"  # stopped by an error, kept for inspection
    # Parked where a step raised for this customer (poison isolation): `error` says why; the rest of its
    # batch advanced without it. Counted per node as `errored`; not inside the journey any more.
    ERRORED = "errored"


RUNNABLE = (EnrollmentStatus.ACTIVE, EnrollmentStatus.WAKING)
IN_JOURNEY = (EnrollmentStatus.ACTIVE, EnrollmentStatus.WAKING, EnrollmentStatus.WAITING)


class Enrollment(Base):
    """One customer's passage through one journey version."""

    __tablename__ = "enrollments"
    __table_args__ = (
        # Default re-entry rule: a customer is in a journey at most once at a time.
        Index(
            "uq_enrollments_one_active",
            "journey_id",
            "customer_id",
            unique=True,
            sqlite_where=text("status IN ('active', 'waking', 'waiting')"),
            postgresql_where=text("status IN ('active', 'waking', 'waiting')"),
        ),
        # The ticker's due scan.
        Index("ix_enrollments_status_wake_at", "status", "wake_at"),
        Index("ix_enrollments_version_node", "version_id", "current_node"),
        # Re-entry rules look up a customer's past enrollments in a journey.
        Index("ix_enrollments_customer_journey", "customer_id", "journey_id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("journey_versions.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.ACTIVE)
    current_node: Mapped[str] = mapped_column(String(64))
    # Number of transitions so far; a message's idempotency key includes it.
    seq: Mapped[int] = mapped_column(default=0)
    wake_at: Mapped[datetime | None]
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    node_entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # The event that enrolled the customer: its properties are the `event` of templates.
    trigger_event_id: Mapped[int | None] = mapped_column(BigIntPK, ForeignKey("events.id", ondelete="SET NULL"))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(String(500))
    # Why a `waking` enrollment woke: "time", or "event:<name>" with the event that came (wake_event_id).
    wake_reason: Mapped[str | None] = mapped_column(String(140))
    wake_event_id: Mapped[int | None] = mapped_column(BigInteger)
    # When the customer reached the journey's goal; they leave at once (or after the goal's final path).
    converted_at: Mapped[datetime | None]


class EnrollmentWait(Base):
    """The events a waiting enrollment waits for: the index that routes an incoming event to the
    enrollments waiting for it, by (customer, event name), without scanning enrollments.

    Rows exist only while the enrollment waits at `node_id`; they are deleted when it resumes.
    """

    __tablename__ = "enrollment_waits"
    __table_args__ = (
        Index("ix_enrollment_waits_customer_event", "customer_id", "event_name"),
        Index("ix_enrollment_waits_enrollment", "enrollment_id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("enrollments.id", ondelete="CASCADE"))
    customer_id: Mapped[int]
    event_name: Mapped[str] = mapped_column(String(128))
    node_id: Mapped[str] = mapped_column(String(64))
    # [[property, op, value], ...] resolved when the wait began (e.g. the enrolling event's cart_id).
    filters: Mapped[list[Any]] = mapped_column(JSON, default=list)
    since: Mapped[datetime]


class StepAction(enum.StrEnum):
    """The per-node tallies a transition changes (see NodeCount)."""

    ENTERED = "entered"
    MOVED_ON = "moved_on"
    EXITED = "exited"
    ERRORED = "errored"
    CONVERTED = "converted"  # also counted in EXITED: a conversion is a kind of exit


class StepHistory(Base):
    """Append-only log with one row per transition of an enrollment.

    Entering the journey: from_node is null, to_node the trigger. Moving on: from_node --handle--> to_node.
    Leaving the journey: to_node is null. journey_id and version_id are copied for querying without joins;
    they carry no foreign key, so the log costs one constraint check per row, not three.
    """

    __tablename__ = "step_history"
    __table_args__ = (Index("ix_step_history_enrollment", "enrollment_id", "seq"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("enrollments.id", ondelete="CASCADE"))
    journey_id: Mapped[int]
    version_id: Mapped[int]
    seq: Mapped[int]
    from_node: Mapped[str | None] = mapped_column(String(64))
    handle: Mapped[str | None] = mapped_column(String(64))
    to_node: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Why the enrollment was parked `errored` at from_node (null for every ordinary transition).
    error: Mapped[str | None] = mapped_column(String(500))
    # Why, when the transition is a decision that stopped or diverted the customer: "goal",
    # "timed_out", "event:<name>", "default_branch", ...
    reason: Mapped[str | None] = mapped_column(String(140))


class NodeCount(Base):
    """Per-node tallies, updated in the same transaction as the transitions they count.

    waiting = entered - moved_on - exited - errored, so the four always conserve. `converted` counts the exits
    that were conversions (a subset of `exited`).
    """

    __tablename__ = "node_counts"
    __table_args__ = (UniqueConstraint("journey_id", "version_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("journey_versions.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(64))
    entered: Mapped[int] = mapped_column(BigInteger, default=0)
    moved_on: Mapped[int] = mapped_column(BigInteger, default=0)
    exited: Mapped[int] = mapped_column(BigInteger, default=0)
    errored: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    converted: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class EdgeCount(Base):
    """Customers who left a node through each of its outputs ("yes 40 · 62 %" on the canvas edges), per
    version; updated in the same transaction as the transitions it counts, like `NodeCount`. An output left
    unconnected counts too (the customers whose path ended there)."""

    __tablename__ = "edge_counts"
    __table_args__ = (UniqueConstraint("journey_id", "version_id", "node_id", "handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("journey_versions.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(64))
    handle: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(BigInteger, default=0)
