"""Deliver pending messages through their channel: claim, send, record; retry with backoff.

A message is claimed (pending → sending) and committed before it is sent, and marked sent in a commit
right after (in small groups), so a second job for the same message finds nothing to claim. A worker killed between
the send and that commit leaves the message in `sending`; the ticker later marks it failed with "outcome
unknown" rather than sending it again — a duplicate is worse than a recorded, visible failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wayfinder.channels import OutgoingMessage, SendError, get_channel
from wayfinder.db_utils import chunked, one_of
from wayfinder.models import Message, MessageStatus

MAX_ATTEMPTS = 5
# Sends are recorded in groups: one commit per group. A worker killed mid-group leaves at most this many
# messages in `sending`, which the ticker records as "outcome unknown" — never sent twice.
SENT_COMMIT_EVERY = 50
BACKOFF_SECONDS = (30, 120, 600, 1800)


def _claim(session: Session, ids: list[int], now: datetime) -> list[OutgoingMessage]:
    """pending → sending for the given messages; committed before anything is sent.

    Any pending message may be claimed: a job that runs early only makes a retry happen sooner. Rows are
    locked by primary key alone (rows another job holds are skipped on PostgreSQL) and their status checked
    here, so the planner never trades the primary key for a scan of the status index.
    """
    claimed: list[OutgoingMessage] = []
    for chunk in chunked(sorted(set(ids))):
        locked = session.execute(
            select(Message.id, Message.status)
            .where(one_of(session, Message.id, chunk))
            .with_for_update(skip_locked=True)
        ).all()
        pending = [message_id for message_id, status in locked if status == MessageStatus.PENDING]
        if not pending:
            continue
        rows = session.execute(
            update(Message)
            .where(one_of(session, Message.id, pending))
            .execution_options(synchronize_session=False)
            .values(status=MessageStatus.SENDING, claimed_at=now, attempts=Message.attempts + 1)
            .returning(
                Message.id,
                Message.idempotency_key,
                Message.channel,
                Message.to_address,
                Message.from_name,
                Message.subject,
                Message.body,
            )
        )
        claimed += [OutgoingMessage(*row) for row in rows]
    session.commit()
    return sorted(claimed, key=lambda m: m.id)


def deliver(session: Session, message_ids: list[int], now: datetime, config: Mapping[str, Any]) -> dict[str, int]:
    """Send the deliverable messages among `message_ids`; returns how many were sent / retried / failed."""
    outcome = {"sent": 0, "retry": 0, "failed": 0}
    claimed = _claim(session, message_ids, now)
    by_channel: dict[str, list[OutgoingMessage]] = {}
    for message in claimed:
        by_channel.setdefault(message.channel, []).append(message)
    for channel_name, messages in by_channel.items():
        try:
            channel = get_channel(channel_name, config)
        except SendError as exc:
            for message in messages:
                outcome[_record_failure(session, message.id, exc, now)] += 1
            continue
        with channel:
            sent: list[dict[str, Any]] = []
            for message in messages:
                try:
                    provider_id = channel.send(message)
                except SendError as exc:
                    _mark_sent(session, sent)
                    outcome[_record_failure(session, message.id, exc, now)] += 1
                    continue
                except Exception as exc:  # a bug or bad data in this one message: never hold back the others
                    _mark_sent(session, sent)
                    failure = SendError(f"Could not send: {type(exc).__name__}: {exc}"[:500], permanent=True)
                    outcome[_record_failure(session, message.id, failure, now)] += 1
                    continue
                sent.append(
                    {
                        "id": message.id,
                        "status": MessageStatus.SENT,
                        "sent_at": now,
                        "provider_id": provider_id,
                        "error": None,
                    }
                )
                if len(sent) >= SENT_COMMIT_EVERY:
                    outcome["sent"] += _mark_sent(session, sent)
            outcome["sent"] += _mark_sent(session, sent)
    return outcome


def _mark_sent(session: Session, sent: list[dict[str, Any]]) -> int:
    """Record a group of sends in one commit (and empty the list)."""
    count = len(sent)
    if sent:
        session.execute(update(Message), sent)
        session.commit()
        sent.clear()
    return count


def _record_failure(session: Session, message_id: int, exc: SendError, now: datetime) -> str:
    attempts = session.scalar(select(Message.attempts).where(Message.id == message_id)) or 0
    if exc.permanent or attempts >= MAX_ATTEMPTS:
        values: dict[str, Any] = {"status": MessageStatus.FAILED, "error": str(exc)}
        kind = "failed"
    else:
        delay = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
        values = {"status": MessageStatus.PENDING, "error": str(exc), "next_attempt_at": now + timedelta(seconds=delay)}
        kind = "retry"
    session.execute(update(Message).where(Message.id == message_id).values(**values))
    session.commit()
    return kind


def claim_due(session: Session, now: datetime, lease_seconds: int, limit: int = 1000) -> list[int]:
    """Pending messages whose `next_attempt_at` has come: a retry, or a message whose delivery job was lost.

    Their `next_attempt_at` moves one lease ahead, so the ticker hands each out once per lease; the caller
    commits and enqueues them.
    """
    ids = list(
        session.scalars(
            select(Message.id)
            .where(Message.status == MessageStatus.PENDING, Message.next_attempt_at <= now)
            .order_by(Message.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(Message)
            .where(one_of(session, Message.id, ids))
            .values(next_attempt_at=now + timedelta(seconds=lease_seconds))
            .execution_options(synchronize_session=False)
        )
    return ids


def abandon_stale_sends(session: Session, now: datetime, lease_seconds: int) -> int:
    """Messages left in `sending` by a worker that died: recorded as failed with an unknown outcome."""
    result = session.execute(
        update(Message)
        .where(Message.status == MessageStatus.SENDING, Message.claimed_at < now - timedelta(seconds=lease_seconds))
        .values(
            status=MessageStatus.FAILED,
            error="Delivery outcome unknown: the worker stopped while sending. Not retried, to avoid a duplicate.",
        )
    )
    return result.rowcount or 0
