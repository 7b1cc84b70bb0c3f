"""Messages a journey sends; the idempotency key makes a retried job send nothing twice."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from wayfinder.models.base import Base, BigIntPK, utcnow
from wayfinder.models.workspace import WorkspaceScoped


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # rendered, waiting for delivery (or for its next retry at next_attempt_at)
    # Claimed by a delivery job until `lease_until` (renewed by its worker's heartbeat); `attempt_started_at`
    # is set (and committed) right before the provider call, so a claim that is never attempted goes back to
    # pending when its worker dies.
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up: a permanent error, or the last retry failed; `error` says why
    # The worker died inside the provider call and the channel cannot retry safely (SMTP): the message may or
    # may not have arrived. `provider_id` holds the id it was sent under (the email's Message-ID), so a bounce
    # or a reply can settle it. Counted by frequency caps (it may have reached the customer).
    UNKNOWN = "unknown"
    SKIPPED = "skipped"  # never sent on purpose (frequency cap reached); `error` says why


PENDING = text("status = 'pending'")
SENDING = text("status = 'sending'")
FAILED = text("status = 'failed'")


class Message(WorkspaceScoped, Base):
    __tablename__ = "messages"
    __table_args__ = (
        # The message log and the delivery log: a workspace's newest messages.
        Index("ix_messages_workspace_id", "workspace_id", "id"),
        # Partial indexes of the few rows delivery works on, not of every message ever sent: the ticker finds the
        # pending messages that are due (`delivery.claim_due`) and the sending ones whose lease has passed
        # (`delivery.reclaim_expired`) in indexes as small as the work in hand, and a message that becomes
        # `sent` (most of them, in one UPDATE each) leaves both without adding an index entry.
        Index("ix_messages_pending_due", "next_attempt_at", sqlite_where=PENDING, postgresql_where=PENDING),
        Index("ix_messages_sending_lease", "lease_until", sqlite_where=SENDING, postgresql_where=SENDING),
        Index("ix_messages_journey", "journey_id", "created_at"),
        # A customer's recent messages: frequency caps count them (and the customer's history lists them).
        Index("ix_messages_customer_created", "customer_id", "created_at"),
        # The message log filtered to one channel, newest first: a rare channel (webhooks among millions of
        # emails) is found without walking the workspace's whole log. The channel never changes, so a message's
        # status updates leave this index alone.
        Index("ix_messages_workspace_channel", "workspace_id", "channel", "id"),
        # The log's failed messages: a partial index holding only them (a message enters it once, when it fails).
        Index("ix_messages_failed", "workspace_id", "id", sqlite_where=FAILED, postgresql_where=FAILED),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    # "<enrollment id>:<node id>:<seq>": one message per visit of a send step, however often a job runs.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    enrollment_id: Mapped[int | None] = mapped_column(BigIntPK, ForeignKey("enrollments.id", ondelete="SET NULL"))
    journey_id: Mapped[int | None] = mapped_column(ForeignKey("journeys.id", ondelete="SET NULL"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    # The recipient: an email address, a phone number, a LINE user id, a URL; for push and web push the JSON array
    # of the customer's devices when the message was decided.
    to_address: Mapped[str] = mapped_column(Text)
    # The step whose settings render it: the frozen journey version (with `node_id`), and the enrolling event whose
    # properties the template reads. Rendered at delivery, outside the stepping transaction (steps/send.py).
    version_id: Mapped[int | None] = mapped_column(ForeignKey("journey_versions.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(BigIntPK)
    # The rendered content as the customer got it (per channel, see channels/base.py); null until rendered.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # One line naming it in the message log (an email's subject, a push's title, an SMS's opening words).
    subject: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    # The delivery job holding a `sending` message (a random token per claim) and until when: the worker's
    # heartbeat moves `lease_until` ahead while the job runs; the ticker reclaims the message once it passes.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    # When the current attempt's provider call started (committed before the call); None = claimed, not tried.
    attempt_started_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class MessageEventKind(enum.StrEnum):
    """What happened to a message, in the order it usually happens. Written by delivery and by provider callbacks
    and tracking; conditions, engagement waits, counts and the message log read them."""

    SENT = "sent"  # handed to the provider (it answered with its id)
    DELIVERED = "delivered"  # the provider says it reached the device / mailbox
    OPENED = "opened"
    CLICKED = "clicked"
    READ = "read"  # an in-app message marked read
    BOUNCED = "bounced"
    FAILED = "failed"  # given up (a permanent error, or the last retry)
    RETRY = "retry"  # an attempt failed and another is due (`detail.retry_at`)
    UNSUBSCRIBED = "unsubscribed"
    COMPLAINED = "complained"


class MessageEvent(Base):
    """The message event log: one row per thing that happened to a message (`detail`: the error, the link clicked,
    whether an open looked machine-made …). Reached through its message or customer, so it carries no workspace."""

    __tablename__ = "message_events"
    __table_args__ = (
        Index("ix_message_events_message", "message_id", "id"),
        # "Did the customer open the message of step X": engagement waits and conditions start from the customer.
        Index("ix_message_events_customer_kind", "customer_id", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("messages.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
