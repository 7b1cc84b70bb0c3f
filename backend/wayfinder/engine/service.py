"""Engine operations as the jobs and the ticker run them: one transaction each, then follow-up work.

Every function commits its rows before it enqueues the jobs that read them, and notifies the live-count
publisher of the journeys it touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from wayfinder import clock
from wayfinder.db_utils import chunked, one_of
from wayfinder.engine import advance, delivery, enrol, leases, manual, queues, schedules
from wayfinder.engine.publisher import mark_delivered, mark_dirty, maybe_publish
from wayfinder.engine.transitions import describe
from wayfinder.extensions import db, redis_client
from wayfinder.models import (
    Enrollment,
    EnrollmentStatus,
    Event,
    JourneyVersion,
    Message,
    TriggerFiring,
    VersionStatus,
)
from wayfinder.steps.base import WAKE_TIME
from wayfinder.transactions import is_lock_timeout

log = logging.getLogger(__name__)


def _queue_lease() -> int:
    """How long work handed to a job that has not started yet stays its own (ENGINE_QUEUE_LEASE_SECONDS)."""
    return int(current_app.config["ENGINE_QUEUE_LEASE_SECONDS"])


def _run_lease() -> int:
    """How long a running engine job's hold on its enrollments lasts between renewals (ENGINE_LEASE_SECONDS)."""
    return int(current_app.config["ENGINE_LEASE_SECONDS"])


# The enrollments of the engine jobs running in this process: the worker's lease keeper renews them.
leases.register("engine", "ENGINE_LEASE_SECONDS", 30, advance.renew_leases)


def _hold_enrollments(stack: ExitStack, enrollment_ids: list[int], now: datetime) -> None:
    """From now until `stack` closes, this job holds these enrollments: their lease is cut to the short running
    lease (committed here) and renewed by the worker's lease keeper while the job runs. A job killed with them in
    hand stops renewing, and the ticker hands its customers out again within ENGINE_LEASE_SECONDS."""
    if not enrollment_ids:
        return
    stack.enter_context(leases.hold("engine", enrollment_ids))  # first: a keeper beat in between renews them
    advance.renew_leases(db.session, enrollment_ids, now, _run_lease())
    db.session.commit()


def is_transient(exc: BaseException) -> bool:
    """Failures of the database itself (busy, connection lost), not of the rows: retry the job, do not split it."""
    return is_lock_timeout(exc) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _bisect(ids: list[int], run_part: Callable[[list[int]], Any], park_one: Callable[[int, str], Any]) -> list[Any]:
    """Run `run_part` (one transaction) on `ids`; when it fails for a reason in the rows, split the ids in
    halves and retry each, down to single ids, which `park_one` records as failed in a transaction of their
    own. One poisoned row thus costs about 2·log2(n) extra transactions and never holds back the others."""
    try:
        return [run_part(ids)]
    except Exception as exc:
        db.session.rollback()
        if is_transient(exc):
            raise
        if len(ids) == 1:
            log.warning("parking %s after: %s", ids[0], describe(exc))
            park_one(ids[0], describe(exc))
            db.session.commit()
            return []
        log.warning("a batch of %d failed (%s); splitting it", len(ids), describe(exc))
        middle = len(ids) // 2
        return _bisect(ids[:middle], run_part, park_one) + _bisect(ids[middle:], run_part, park_one)


def process_events(event_ids: list[int], now: datetime | None = None) -> dict[str, int]:
    """Route these events (goals, waits for events, triggers), then advance the customers they woke or
    enrolled right away, in this job: a goal event's customer has left when it returns.

    An event that cannot be processed even alone is marked processed with its `error`, so it is never retried
    forever and never holds back the other events of its batch.
    """
    now = now or clock.now()
    holding = ExitStack()  # the customers this job woke or enrolled are its own until it has advanced them

    def run_part(ids: list[int]) -> enrol.EnrolResult:
        result = enrol.process_events(db.session, ids, now, _run_lease())
        holding.enter_context(leases.hold("engine", result.woken_ids + result.enrollment_ids))
        db.session.commit()
        return result

    def park_one(event_id: int, reason: str) -> None:
        db.session.execute(
            update(Event)
            .where(Event.id == event_id, Event.processed_at.is_(None))
            .values(processed_at=now, error=f"Processing failed: {reason}"[:500])
        )

    with holding:
        results = _bisect(sorted(set(event_ids)), run_part, park_one)
        enrolled = [i for r in results for i in r.enrollment_ids]
        woken = [i for r in results for i in r.woken_ids]
        mark_dirty({j for r in results for j in r.journey_ids})
        advanced = 0
        for chunk in chunked(woken + enrolled, current_app.config["ENGINE_BATCH_SIZE"]):
            # Already this job's: their running lease was committed with the enrolment and the keeper renews it.
            advanced += advance_enrollments(chunk, now, held=True)["advanced"]
    return {
        "events": sum(r.events for r in results),
        "enrolled": len(enrolled),
        "woken": len(woken),
        "advanced": advanced,
    }


def advance_enrollments(enrollment_ids: list[int], now: datetime | None = None, held: bool = False) -> dict[str, int]:
    """Advance a batch in one transaction; if it fails as a whole, bisect it (see `_bisect`) so one poisoned
    enrollment is parked `errored` and the others advance.

    The job holds its enrollments under the short running lease, renewed by the worker while it runs (see
    `_hold_enrollments`), unless the caller says it holds them already (`held`: `process_events` committed the
    running lease of the customers it woke or enrolled in its own transaction, and registered them with the
    keeper); the enrollments and messages it creates for other jobs get the queue lease."""
    now = now or clock.now()
    lease = _queue_lease()
    brand_timezone = current_app.config["BRAND_TIMEZONE"]

    def run_part(ids: list[int]) -> advance.AdvanceResult:
        with leases.pause("engine", ids):  # the batch locks its rows itself (see `leases.pause`)
            result = advance.advance(db.session, ids, now, lease, brand_timezone=brand_timezone)
            db.session.commit()
        return result

    def park_one(enrollment_id: int, reason: str) -> None:
        with leases.pause("engine", [enrollment_id]):
            _park(enrollment_id, reason)

    def _park(enrollment_id: int, reason: str) -> None:
        reason = f"Could not advance: {reason}"
        try:
            advance.park_errored(db.session, enrollment_id, reason, now)
            db.session.flush()
        except Exception as exc:
            db.session.rollback()
            if is_transient(exc):
                raise
            advance.park_errored(db.session, enrollment_id, reason, now, history=False)
        mark_dirty(db.session.scalars(select(Enrollment.journey_id).where(Enrollment.id == enrollment_id)).all())

    ids = sorted(set(enrollment_ids))
    with ExitStack() as holding:
        if not held:
            _hold_enrollments(holding, ids, now)
        results = _bisect(ids, run_part, park_one)
    journey_ids = {j for r in results for j in r.journey_ids}
    message_ids = [m for r in results for m in r.message_ids]
    enrolled_ids = [e for r in results for e in r.enrolled_ids]
    event_ids = [e for r in results for e in r.event_ids]
    mark_dirty(journey_ids)
    if message_ids:
        queues.enqueue_delivery(message_ids)
    if enrolled_ids:
        queues.enqueue_advance(enrolled_ids)
    if event_ids:  # tag added / removed
        queues.enqueue_events(event_ids)
    if journey_ids:
        maybe_publish()
    return {"advanced": sum(r.advanced for r in results), "messages": len(message_ids)}


def fire_triggers(firing_ids: list[int], now: datetime | None = None) -> dict[str, int]:
    """Enrol the audiences of these trigger firings, one page (and one commit) at a time, advancing each
    page's customers as it goes."""
    now = now or clock.now()
    page_size = current_app.config["ENGINE_BATCH_SIZE"]
    enrolled = 0
    versions: dict = {}  # loaded once, for all the pages of these firings
    for firing_id in firing_ids:
        done = False
        while not done:
            ids, done = schedules.fire_page(db.session, firing_id, now, _queue_lease(), page_size, versions)
            db.session.commit()
            if ids:
                enrolled += len(ids)
                mark_dirty({db.session.get(TriggerFiring, firing_id).journey_id})
                queues.enqueue_advance(ids)
    return {"firings": len(firing_ids), "enrolled": enrolled}


def enrol_manual(journey_id: int, request_id: str, external_ids: list[str], now: datetime | None = None) -> dict:
    """Manual / API enrolment, idempotent per request id: the first request enrols and stores its answer;
    a repeat gets the stored answer and enrols nobody."""
    now = now or clock.now()
    result, enrollment_ids = manual.enrol(db.session, journey_id, request_id, external_ids, now, _queue_lease())
    db.session.commit()
    if enrollment_ids:
        mark_dirty({journey_id})
        queues.enqueue_advance(enrollment_ids)
    return result


def deliver_messages(message_ids: list[int], config: Mapping[str, Any], now: datetime | None = None) -> dict[str, int]:
    """Send these messages, then tell the canvases of their journeys that send tallies changed."""
    outcome = delivery.deliver(db.session, message_ids, now or clock.now(), config)
    if any(outcome.values()):
        journey_ids = set()
        for chunk in chunked(sorted(set(message_ids))):
            journey_ids.update(
                db.session.scalars(select(Message.journey_id).where(one_of(db.session, Message.id, chunk))).all()
            )
        db.session.commit()
        mark_delivered(j for j in journey_ids if j is not None)
        maybe_publish()
    return outcome


def _sweep_key() -> str:
    return f"{current_app.config.get('QUEUE_PREFIX') or ''}wayfinder:sweep:events"


def tick(now: datetime | None = None, batch: int | None = None) -> dict[str, int]:
    """One pass of the ticker: wake due waits, re-issue expired leases, enqueue due sends and lost events."""
    now = now or clock.now()
    batch = batch or current_app.config["ENGINE_BATCH_SIZE"]
    session = db.session
    lease_until = now + timedelta(seconds=_queue_lease())  # until the job starts: then it holds them (see above)
    paused = list(session.scalars(select(JourneyVersion.id).where(JourneyVersion.status == VersionStatus.PAUSED)))
    stats = {"woken": 0, "reissued": 0, "messages": 0, "events": 0, "firings": 0, "jobs": 0}

    # Schedules and relative-date triggers that are due: claimed here, their audiences enrolled by jobs.
    firings = schedules.claim_due(session, now, _queue_lease())
    session.commit()
    if firings:
        queues.enqueue_firings(firings)
    stats["firings"] = len(firings)

    for status, new_status, stat, values in (
        # A wait whose time ran out wakes with the reason "time" (an awaited event that comes later is too late).
        (EnrollmentStatus.WAITING, EnrollmentStatus.WAKING, "woken", {"wake_reason": WAKE_TIME, "wake_event_id": None}),
        (EnrollmentStatus.ACTIVE, EnrollmentStatus.ACTIVE, "reissued", {}),
        (EnrollmentStatus.WAKING, EnrollmentStatus.WAKING, "reissued", {}),
    ):
        while True:
            query = select(Enrollment.id).where(Enrollment.status == status, Enrollment.wake_at <= now)
            if paused:
                query = query.where(Enrollment.version_id.not_in(paused))
            ids = list(
                session.scalars(query.order_by(Enrollment.wake_at).limit(batch).with_for_update(skip_locked=True))
            )
            if not ids:
                break
            session.execute(
                update(Enrollment)
                .where(one_of(session, Enrollment.id, ids))
                .execution_options(synchronize_session=False)
                .values(status=new_status, wake_at=lease_until, **values)
            )
            session.commit()
            queues.enqueue_advance(ids)
            stats[stat] += len(ids)
            if len(ids) < batch:
                break

    # Jobs a dead worker had taken off a queue go back on it (see queues.recover_abandoned_jobs).
    if current_app.config.get("ENGINE_RUNNER") != "inline":
        stats["jobs"] = queues.recover_abandoned_jobs()

    # A dead delivery job's messages: the never-attempted ones are due again now, and are handed out just below.
    reclaimed = delivery.reclaim_expired(session, now, current_app.config)
    stats["messages"] = reclaimed["unknown"]
    due = delivery.claim_due(session, now, _queue_lease())
    session.commit()
    if due:
        queues.enqueue_delivery(due, at_front=True)  # overdue: ahead of the messages rendered since
    stats["messages"] += len(due)

    # Events stored while the queue was unreachable are picked up after a grace period, once per lease.
    if not redis_client.conn.set(_sweep_key(), 1, nx=True, ex=_queue_lease()):
        return stats
    lost = list(
        session.scalars(
            select(Event.id)
            .where(Event.processed_at.is_(None), Event.received_at <= now - timedelta(seconds=_queue_lease()))
            .limit(batch * 10)
        )
    )
    session.commit()
    if lost:
        queues.enqueue_events(lost)
        stats["events"] = len(lost)
    return stats
