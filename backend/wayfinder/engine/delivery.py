"""Deliver pending messages through their channel: claim, attempt, record; retry with backoff.

Crash safety — a worker can be killed at any instruction, and then:

* A job claims its messages (pending → sending) with a random claim token and a short lease
  (DELIVERY_LEASE_SECONDS, 30 s), committed before anything is sent. While the job runs, the worker's
  lease keeper (`wayfinder.engine.leases`, kind "delivery") moves the lease of every claim this process holds
  ahead; a job that ends, however it ends, stops being renewed.
* Each attempt is recorded as it starts: `attempt_started_at`, `attempts + 1` and the id the provider will
  know it by (an email's Message-ID) are committed right before the provider call, in the same commit that
  records the previous message's outcome. At any moment at most one message of a job is inside a provider call
  (on a channel that retries safely, at most a job's messages, started with the claim; see `deliver`).
* The ticker reclaims the `sending` messages whose lease has passed (`reclaim_expired`): a message that was
  claimed but never attempted goes back to pending and is delivered by the next worker right away; the one
  message whose attempt was cut short is retried with the same idempotency key when its channel declares
  `idempotent_retry` (the provider de-duplicates), and otherwise (SMTP) recorded `unknown` — never sent twice,
  with its Message-ID kept so a bounce or a reply can settle it.

So a SIGKILL costs at most one `unknown` message per worker, and a dead worker's messages move again within
about one lease. Every outcome is written only while the job still holds the claim (`claim_token`), so a job
that lost its claim (a worker paused past its lease) cannot overwrite what another job did since.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import Session

from wayfinder.audience.addresses import DEVICE_CHANNELS
from wayfinder.channels import Channel, OutgoingMessage, SendError, get_channel
from wayfinder.channels.base import SendResult, retries_safely
from wayfinder.db_utils import bulk_insert, chunked, one_of, update_rows
from wayfinder.engine import addresses, leases
from wayfinder.engine.rendering import Claimed, render_claimed
from wayfinder.models import Customer, Event, Message, MessageEvent, MessageEventKind, MessageStatus
from wayfinder.workspaces.channel_accounts import ProviderAccount, default_accounts

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Messages per delivery job (`queues.enqueue_delivery`). On a channel that retries safely their attempts all start
# with the claim (see `_claim`), so such a job commits twice: the claim, and the outcomes.
JOB_SIZE = 500
BACKOFF_SECONDS = (30, 120, 600, 1800)
UNKNOWN_ERROR = (
    "Delivery outcome unknown: the worker stopped during the provider call. Not retried, to avoid a duplicate; "
    "a bounce or a reply quoting the recorded Message-ID settles it."
)
RETRIED_NOTE = "The worker stopped during the provider call; retried with the same idempotency key."


def _lease_seconds(config: Mapping[str, Any]) -> int:
    return int(config.get("DELIVERY_LEASE_SECONDS") or 30)


# What rendering reads with the claim (see rendering.Claimed): the customer's data as it is now and the
# enrolling event's properties, joined to the locked messages (one query instead of three per job).
_CUSTOMERS, _EVENTS = Customer.__table__, Event.__table__


def _claim(
    session: Session,
    ids: list[int],
    now: datetime,
    token: str,
    lease: timedelta,
    config: Mapping[str, Any],
    accounts: dict[tuple[int, str], ProviderAccount],
) -> tuple[list[Claimed], dict[int, int]]:
    """pending → sending for the given messages, under `token` until `now + lease`; committed before anything
    is sent. Returns the claimed messages, and the attempt number of those whose attempt starts with the claim;
    fills `accounts` with the provider account of each (workspace, channel) claimed.

    A message of a channel that retries safely starts its attempt in the claim itself (`attempt_started_at`,
    `attempts + 1`): its whole job is one group anyway (see `deliver`), so a separate commit to start it would
    record nothing a crash could use. Any pending message may be claimed: a job that runs early only makes a
    retry happen sooner. Rows are locked by primary key alone (rows another job holds are skipped on
    PostgreSQL) and their status checked here, so the planner never trades the primary key for a scan of the
    status index.
    """
    claimed: list[Claimed] = []
    started: dict[int, int] = {}
    safe: dict[tuple[int, str], bool] = {}
    reads: dict[int, dict[str, Any]] = {}  # what rendering needs, read with the lock
    for chunk in chunked(sorted(set(ids))):
        locked = session.execute(
            select(Message.id, Message.status, Message.channel, Message.workspace_id)
            .add_columns(_CUSTOMERS.c.id, _CUSTOMERS.c.external_id, _CUSTOMERS.c.email, _CUSTOMERS.c.attributes)
            .add_columns(_EVENTS.c.properties)
            .select_from(Message)
            .outerjoin(_CUSTOMERS, _CUSTOMERS.c.id == Message.customer_id)
            .outerjoin(_EVENTS, _EVENTS.c.id == Message.event_id)
            .where(one_of(session, Message.id, chunk))
            .with_for_update(skip_locked=True, of=Message.__table__)
        ).all()
        groups: dict[bool, list[int]] = {True: [], False: []}
        wanted = {(row.workspace_id, row.channel) for row in locked if row.status == MessageStatus.PENDING}
        accounts.update(default_accounts(session, wanted - set(accounts)))
        for message_id, status, channel, workspace_id, customer_id, external_id, email, attributes, event in locked:
            if status == MessageStatus.PENDING:
                reads[message_id] = {
                    "customer": None if customer_id is None else (external_id, email, attributes),
                    "event": event,
                }
                key = (workspace_id, channel)
                if key not in safe:
                    account = accounts.get(key)
                    safe[key] = retries_safely(channel, config, account.provider if account else None)
                groups[safe[key]].append(message_id)
        for starts, pending in groups.items():
            if not pending:
                continue
            values: dict[str, Any] = {
                "status": MessageStatus.SENDING,
                "claimed_at": now,
                "claim_token": token,
                "lease_until": now + lease,
                "attempt_started_at": now if starts else None,
            }
            if starts:
                values["attempts"] = Message.attempts + 1
            rows = session.execute(
                update(Message)
                .where(one_of(session, Message.id, pending))
                .execution_options(synchronize_session=False)
                .values(**values)
                .returning(
                    Message.id,
                    Message.idempotency_key,
                    Message.channel,
                    Message.to_address,
                    Message.workspace_id,
                    Message.customer_id,
                    Message.version_id,
                    Message.node_id,
                    Message.event_id,
                    Message.payload,
                    Message.attempts,
                )
            ).all()
            claimed += [Claimed(*row[:-1], **reads[row[0]]) for row in rows]
            if starts:
                started.update((row[0], row[-1]) for row in rows)
    session.commit()
    return sorted(claimed, key=lambda m: m.id), started


def _held(token: str):
    """The messages this job's claim still holds."""
    return and_(Message.status == MessageStatus.SENDING, Message.claim_token == token)


def _write_outcomes(session: Session, token: str, outcomes: list[tuple[int, dict[str, Any]]]) -> None:
    """Write the outcomes of the last group's attempts (the caller commits), while the claim still holds them:
    one statement per shape of outcome (sent, retry, failed; `update_rows`), not one per message."""
    events = [values.pop(EVENT) for _id, values in outcomes if EVENT in values]
    rows = [{"id": message_id, "claim_token": None, "lease_until": None, **values} for message_id, values in outcomes]
    update_rows(session, Message.__table__, rows, where=_held(token))
    bulk_insert(session, MessageEvent.__table__, events)
    outcomes.clear()


def _start_attempts(
    session: Session,
    group: list[OutgoingMessage],
    token: str,
    now: datetime,
    channel: Channel,
    outcomes: list[tuple[int, dict[str, Any]]],
) -> list[tuple[OutgoingMessage, int]]:
    """In one commit: the previous group's outcomes, and the start of this group's attempts (with the id the
    provider will know each by). Returns the messages the job still holds, with their attempt number (a message
    the ticker reclaimed after the job's lease passed is left alone)."""
    _write_outcomes(session, token, outcomes)
    ids = [message.id for message in group]
    attempts: dict[int, int] = dict(
        session.execute(
            update(Message)
            .where(one_of(session, Message.id, ids), _held(token))
            .execution_options(synchronize_session=False)
            .values(attempt_started_at=now, attempts=Message.attempts + 1)
            .returning(Message.id, Message.attempts)
        ).all()
    )
    _record_refs(session, [m for m in group if m.id in attempts], channel)  # and commits
    session.commit()
    return [(message, attempts[message.id]) for message in group if message.id in attempts]


def _attempt_groups(
    session: Session,
    messages: list[OutgoingMessage],
    started_with_claim: dict[int, int],
    token: str,
    now: datetime,
    channel: Channel,
    outcomes: list[tuple[int, dict[str, Any]]],
) -> Iterator[list[tuple[OutgoingMessage, int]]]:
    """One channel's messages, in the groups whose attempts start together, each with its attempt number: on a
    channel that retries safely, all of them, started with the claim; otherwise one at a time, each started in
    its own commit with the previous message's outcome."""
    if channel.idempotent_retry:
        started = [(m, started_with_claim[m.id]) for m in messages if m.id in started_with_claim]
        _record_refs(session, [m for m, _attempts in started], channel)
        yield started
        return
    for group in chunked(messages, 1):
        yield _start_attempts(session, group, token, now, channel, outcomes)


def _record_refs(session: Session, messages: list[OutgoingMessage], channel: Channel) -> None:
    """Store the id the provider will know each message by (e.g. the email's Message-ID), before it is sent; the
    caller commits. Nothing to do for a channel without such ids."""
    refs = [{"b_id": m.id, "b_ref": ref} for m in messages if (ref := channel.message_ref(m))]
    if refs:
        table = Message.__table__
        session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(provider_id=bindparam("b_ref")), refs
        )
        session.commit()


def deliver(session: Session, message_ids: list[int], now: datetime, config: Mapping[str, Any]) -> dict[str, int]:
    """Render and send the deliverable messages among `message_ids`; returns how many were sent / retried / failed.

    Attempts start one message at a time (one commit each, with the previous outcome), so a crash leaves at
    most one message inside a provider call; on a channel that retries safely they all start with the claim, a
    whole job's messages (at most JOB_SIZE) in one commit (a crash then costs retries the provider
    de-duplicates, not a commit per message), and go to the provider `max_batch` at a time.
    """
    outcome = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    token = secrets.token_hex(16)
    with leases.hold("delivery", [token]):  # the keeper renews the claim while this job runs
        lease = timedelta(seconds=_lease_seconds(config))
        accounts: dict[tuple[int, str], ProviderAccount] = {}
        claimed, started_with_claim = _claim(session, message_ids, now, token, lease, config, accounts)
        rendered = render_claimed(session, claimed)
        book = _Book(now, {m.id: m for m in claimed}, rendered.values, outcome)
        for message_id, reason in rendered.failures.items():
            book.failed(message_id, SendError(reason, permanent=True), attempts=0)
        for message_id, reason in rendered.suppressed.items():
            book.skipped(message_id, reason)
        ready = rendered.ready
        groups: dict[tuple[str, int | None], list[OutgoingMessage]] = {}
        for message in ready:
            account = accounts.get((message.workspace_id or 0, message.channel))
            groups.setdefault((message.channel, account.id if account else None), []).append(message)
        settled = len(claimed) - len(ready)  # suppressed or failed to render: given an outcome already
        for (channel_name, account_id), messages in groups.items():
            account = accounts.get((messages[0].workspace_id or 0, channel_name)) if account_id else None
            try:
                channel = get_channel(
                    channel_name, config, account.provider if account else None, account.account if account else None
                )
            except SendError as exc:
                for message in messages:
                    book.failed(message.id, exc, attempts=0)
                settled += len(messages)
                continue
            with channel:
                pace = _Pace(channel.rate_per_second)
                for started in _attempt_groups(session, messages, started_with_claim, token, now, channel, book.rows):
                    settled += len(started)
                    for batch in chunked(started, max(1, channel.max_batch)):
                        pace.wait(len(batch))
                        results = _send(channel, [m for m, _a in batch])
                        book.results(session, channel_name, batch, results, account)
        _write_outcomes(session, token, book.rows)
        book.write_unusable(session)
        session.commit()
        if settled < len(claimed):  # (none in the usual run: that would be a statement and a commit for nothing)
            _release_unattempted(session, token, now)
    return outcome


def _send(channel: Channel, messages: list[OutgoingMessage]) -> list[SendResult]:
    """The provider's results for a batch, one per message; an adapter's bug fails the batch's messages, never the
    job (other channels and later batches still go)."""
    try:
        results = channel.send_batch(messages)
        if len(results) != len(messages):
            raise RuntimeError(f"{len(results)} results for {len(messages)} messages")
        return results
    except SendError as exc:  # the whole call failed alike (e.g. the provider is down)
        return [SendResult(error=exc) for _m in messages]
    except Exception as exc:  # a bug or bad data: never hold back others
        log.exception("provider call failed")
        failure = SendError(f"Could not send: {type(exc).__name__}: {exc}"[:500], permanent=True)
        return [SendResult(error=failure) for _m in messages]


class _Pace:
    """Keep a job's calls of one provider account under its documented rate (per process)."""

    def __init__(self, per_second: float | None) -> None:
        self.per_second = per_second
        self.started = time.monotonic()
        self.sent = 0

    def wait(self, count: int) -> None:
        if self.per_second:
            ahead = self.sent / self.per_second - (time.monotonic() - self.started)
            if ahead > 0:
                time.sleep(ahead)
        self.sent += count


EVENT = "_event"  # the message event an outcome writes (popped from the values before the UPDATE)


class _Book:
    """The job's outcomes (message columns to write, with the message event each adds) and its counts."""

    def __init__(
        self,
        now: datetime,
        claimed: dict[int, Claimed],
        rendered: dict[int, dict[str, Any]],
        counts: dict[str, int],
    ) -> None:
        self.now, self.claimed, self.rendered, self.counts = now, claimed, rendered, counts
        self.rows: list[tuple[int, dict[str, Any]]] = []
        # Addresses providers called unusable, by channel: written with the last outcomes (not mid-job: on SQLite a
        # write would hold the database's lock through the provider calls that follow).
        self.gone: list[tuple[str, OutgoingMessage, list[str], str]] = []

    def _add(self, message_id: int, kind: str, values: dict[str, Any], event: str | None, detail: dict | None) -> None:
        values.update(self.rendered.get(message_id, {}))  # the payload goes with the first outcome it has
        if event is not None:
            values[EVENT] = {
                "message_id": message_id,
                "customer_id": self.claimed[message_id].customer_id,
                "kind": event,
                "at": self.now,
                "detail": detail,
            }
        self.rows.append((message_id, values))
        self.counts[kind] += 1

    def sent(self, message_id: int, provider_id: str | None, account: ProviderAccount | None = None) -> None:
        """Sent; through the workspace's provider `account` (its callbacks must name its id; its name and
        provider are kept for the log, which outlives a renamed or deleted account), else the app's configured
        provider."""
        values = {"status": MessageStatus.SENT, "sent_at": self.now, "error": None, "provider_id": provider_id}
        detail = {"account_id": account.id, "account": account.name, "provider": account.provider} if account else None
        self._add(message_id, "sent", values, MessageEventKind.SENT, detail)

    def failed(self, message_id: int, exc: SendError, attempts: int) -> None:
        if exc.permanent or attempts >= MAX_ATTEMPTS:
            values = {"status": MessageStatus.FAILED, "error": str(exc)}
            self._add(message_id, "failed", values, MessageEventKind.FAILED, {"error": str(exc)[:500]})
            return
        wait = max(_backoff(attempts), int(exc.retry_after or 0))
        retry_at = self.now + timedelta(seconds=wait)
        values = {"status": MessageStatus.PENDING, "error": str(exc), "next_attempt_at": retry_at}
        detail = {"error": str(exc)[:500], "retry_at": retry_at.isoformat()}
        self._add(message_id, "retry", values, MessageEventKind.RETRY, detail)

    def skipped(self, message_id: int, reason: str) -> None:
        self._add(message_id, "skipped", {"status": MessageStatus.SKIPPED, "error": reason}, None, None)

    def results(
        self,
        session: Session,
        channel: str,
        batch: list[tuple[OutgoingMessage, int]],
        results: list[SendResult],
        account: ProviderAccount | None = None,
    ) -> None:
        for (message, attempts), result in zip(batch, results, strict=True):
            if result.error is None:
                self.sent(message.id, result.provider_id, account)
            else:
                self.failed(message.id, result.error, attempts)
            if result.dropped:
                self.gone.append((channel, message, list(result.dropped), "The provider says this device is gone"))
            elif result.error is not None and result.error.invalid_address:
                self.gone.append((channel, message, _addresses(message), str(result.error)))

    def write_unusable(self, session: Session) -> None:
        for channel, message, gone, reason in self.gone:
            addresses.unusable(session, channel, message.workspace_id or 0, gone, reason, self.now, message.id)
        self.gone.clear()


def _addresses(message: OutgoingMessage) -> list[str]:
    """The addresses a message went to: each device of a push message (a web push subscription by its endpoint),
    else its one recipient."""
    if message.channel in DEVICE_CHANNELS:
        try:
            devices = json.loads(message.recipient)
        except ValueError:
            return []
        return [str(d.get("endpoint", "")) if isinstance(d, dict) else str(d) for d in devices]
    return [message.recipient]


def _release_unattempted(session: Session, token: str, now: datetime) -> None:
    """Messages this job claimed but did not attempt (e.g. their channel's adapter failed to open) go back to
    pending right away rather than waiting out their lease."""
    session.execute(
        update(Message)
        .where(
            Message.claim_token == token,
            Message.status == MessageStatus.SENDING,
            Message.attempt_started_at.is_(None),
        )
        .execution_options(synchronize_session=False)
        .values(status=MessageStatus.PENDING, claim_token=None, lease_until=None, next_attempt_at=now)
    )
    session.commit()


def _backoff(attempts: int) -> int:
    return BACKOFF_SECONDS[min(max(attempts, 1) - 1, len(BACKOFF_SECONDS) - 1)]


def claim_due(session: Session, now: datetime, lease_seconds: int, limit: int = 1000) -> list[int]:
    """Pending messages whose `next_attempt_at` has come: a retry, a message a dead worker never attempted, or a
    message whose delivery job was lost.

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


def reclaim_expired(session: Session, now: datetime, config: Mapping[str, Any]) -> dict[str, int]:
    """Messages in `sending` whose claim's lease has passed: their worker died (or stalled past its lease).

    Never attempted → pending, due now. Attempt cut short → pending again, due now, when the channel retries
    safely (and attempts remain); else `unknown` (see the module docstring). The caller commits."""
    expired = and_(Message.status == MessageStatus.SENDING, Message.lease_until < now)
    stats = {"released": 0, "retried": 0, "unknown": 0}
    released = session.execute(
        update(Message)
        .where(expired, Message.attempt_started_at.is_(None))
        .execution_options(synchronize_session=False)
        .values(status=MessageStatus.PENDING, claim_token=None, lease_until=None, next_attempt_at=now)
    )
    stats["released"] = released.rowcount or 0
    cut_short = session.execute(
        select(Message.id, Message.channel, Message.attempts)
        .where(expired, Message.attempt_started_at.is_not(None))
        .with_for_update(skip_locked=True)
    ).all()
    retry = [m for m, channel, attempts in cut_short if retries_safely(channel, config) and attempts < MAX_ATTEMPTS]
    retrying = set(retry)
    unknown = [m for m, _channel, _attempts in cut_short if m not in retrying]
    for ids, values, stat in (
        (retry, {"status": MessageStatus.PENDING, "next_attempt_at": now, "error": RETRIED_NOTE}, "retried"),
        (unknown, {"status": MessageStatus.UNKNOWN, "error": UNKNOWN_ERROR}, "unknown"),
    ):
        for chunk in chunked(ids):
            session.execute(
                update(Message)
                .where(one_of(session, Message.id, chunk))
                .execution_options(synchronize_session=False)
                .values(claim_token=None, lease_until=None, **values)
            )
        stats[stat] = len(ids)
    if any(stats.values()):
        log.warning("reclaimed the messages of a stopped delivery job: %s", stats)
    return stats


def renew_leases(session: Session, tokens: list[str], now: datetime, lease_seconds: int) -> int:
    """Move the lease of every message these claims hold `lease_seconds` past `now`. The caller commits."""
    if not tokens:
        return 0
    result = session.execute(
        update(Message)
        .where(Message.status == MessageStatus.SENDING, Message.claim_token.in_(tokens))
        .execution_options(synchronize_session=False)
        .values(lease_until=now + timedelta(seconds=lease_seconds))
    )
    return result.rowcount or 0


leases.register("delivery", "DELIVERY_LEASE_SECONDS", 30, renew_leases)
