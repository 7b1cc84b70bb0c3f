"""Advance a batch of enrollments through every instantaneous step until each waits or ends.

One call is one transaction: the batch's enrollments are locked, every transition is computed in memory,
and the new states, step history, wait index rows, effects and node counts are written with a handful of
bulk statements. A second run of the same batch finds nothing runnable and does nothing.

The transitions themselves, and how a step that raises for some customers is isolated, are in
`wayfinder.engine.transitions`. A batch whose transaction fails as a whole is bisected by the caller
(`service.advance_enrollments`) down to single enrollments; see `park_errored`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wayfinder.db_utils import chunked, one_of
from wayfinder.engine.context import DEFAULT_BRAND_TIMEZONE, StepContext
from wayfinder.engine.effects import write_customer_data, write_effects
from wayfinder.engine.transitions import Transitions
from wayfinder.engine.versions import load_versions
from wayfinder.models import RUNNABLE, Enrollment, EnrollmentStatus
from wayfinder.steps.base import Item


@dataclass
class AdvanceResult:
    advanced: int = 0
    message_ids: list[int] = field(default_factory=list)
    journey_ids: set[int] = field(default_factory=set)
    # Enrollments created by `Enrol` effects: they must be advanced too.
    enrolled_ids: list[int] = field(default_factory=list)
    # Events the batch wrote (tag added / removed): they must be processed.
    event_ids: list[int] = field(default_factory=list)


def advance(
    session: Session,
    enrollment_ids: list[int],
    now: datetime,
    lease_seconds: int = 300,
    brand_timezone: str = DEFAULT_BRAND_TIMEZONE,
) -> AdvanceResult:
    """Advance the runnable enrollments among `enrollment_ids`; the caller commits."""
    result = AdvanceResult()
    items, modes, wake_events = _lock_runnable(session, enrollment_ids)
    if not items:
        return result
    versions = load_versions(session, {i.version_id for i in items})
    runnable = [i for i in items if versions[i.version_id].runs]  # a paused version holds its customers
    if not runnable:
        return result

    ctx = StepContext(session=session, now=now, brand_timezone=brand_timezone)
    ctx.load(runnable, wake_events)

    tag_events: list[int] = []

    def write_customer_changes() -> None:
        changed, event_ids = write_customer_data(session, ctx.effects, now)
        tag_events.extend(event_ids)
        ctx.reload_customers(changed)

    run = Transitions(ctx, versions, lease_seconds, between_rounds=write_customer_changes)
    run.step_all(runnable, modes)
    run.apply_caps()
    run.write()
    written = write_effects(session, ctx.effects, now, lease_seconds)
    result.advanced = len(runnable)
    result.journey_ids = run.counts.journey_ids | written.journey_ids
    result.message_ids = written.message_ids
    result.enrolled_ids = written.enrollment_ids
    result.event_ids = tag_events + written.event_ids
    return result


def renew_leases(session: Session, enrollment_ids: list[int], now: datetime, lease_seconds: int) -> int:
    """Move the lease (`wake_at`) of the runnable ones among these enrollments to `now + lease_seconds`: the
    hold of the engine job that runs them. The caller commits.

    Rows another transaction has locked are skipped (PostgreSQL): that is a batch being advanced right now, by
    this job (the lease keeper's beat must not wait for it) or by another, and the lock already keeps the ticker
    (which skips locked rows too) off them. Rows that are no longer runnable (advanced into a wait, ended) are
    left alone. As in `_lock_runnable`, rows are locked by primary key and their status is checked here."""
    t = Enrollment.__table__
    renewed = 0
    for chunk in chunked(sorted(set(enrollment_ids))):
        rows = session.execute(
            select(t.c.id, t.c.status).where(one_of(session, t.c.id, chunk)).with_for_update(skip_locked=True)
        )
        runnable = [eid for eid, status in rows if status in RUNNABLE]
        if runnable:
            result = session.execute(
                update(Enrollment)
                .where(one_of(session, Enrollment.id, runnable))
                .execution_options(synchronize_session=False)
                .values(wake_at=now + timedelta(seconds=lease_seconds))
            )
            renewed += result.rowcount or 0
    return renewed


def _lock_runnable(session: Session, ids: list[int]) -> tuple[list[Item], dict[int, str], dict[int, int]]:
    """Lock the given enrollments (skipping rows another job holds) and keep the runnable ones.

    Returns the items, their modes ("execute" / "resume") and {enrollment id: id of the event that woke it}.
    Rows, not ORM objects: the batch's new states are written with one bulk UPDATE, so nothing needs tracking.
    The rows are selected by primary key alone and the status is checked here: with a status condition in
    the query, PostgreSQL may scan the whole status index for every batch instead of fetching the ids.
    """
    items: list[Item] = []
    modes: dict[int, str] = {}
    wake_events: dict[int, int] = {}
    t = Enrollment.__table__
    columns = (
        t.c.id,
        t.c.journey_id,
        t.c.version_id,
        t.c.customer_id,
        t.c.current_node,
        t.c.seq,
        t.c.entered_at,
        t.c.node_entered_at,
        t.c.trigger_event_id,
        t.c.context,
        t.c.status,
        t.c.wake_reason,
        t.c.wake_event_id,
    )
    for chunk in chunked(sorted(set(ids))):
        rows = session.execute(
            select(*columns).where(one_of(session, t.c.id, chunk)).order_by(t.c.id).with_for_update(skip_locked=True)
        )
        for eid, jid, vid, cid, node, seq, entered, node_entered, trigger, context, status, reason, event in rows:
            if status not in RUNNABLE:
                continue
            waking = status == EnrollmentStatus.WAKING
            items.append(
                Item(
                    enrollment_id=eid,
                    journey_id=jid,
                    version_id=vid,
                    customer_id=cid,
                    node=node,
                    seq=seq,
                    entered_at=entered,
                    node_entered_at=node_entered,
                    trigger_event_id=trigger,
                    context=dict(context) if context else {},
                    wake=(reason or "time") if waking else None,
                )
            )
            if waking and event:
                wake_events[eid] = event
            modes[eid] = "resume" if waking else "execute"
    return items, modes, wake_events


def park_errored(session: Session, enrollment_id: int, reason: str, now: datetime, history: bool = True) -> bool:
    """Park one runnable enrollment `errored` at its node (its own transaction: the caller commits).

    Used when even a batch of this one enrollment cannot be written: the reason is recorded on it and in a
    history row, and the node's `errored` count goes up, so counts still conserve. `history=False` leaves
    the history row out, for when the database refuses this enrollment's history rows themselves.
    """
    items, modes, _wake_events = _lock_runnable(session, [enrollment_id])
    if not items:
        return False
    item = items[0]
    run = Transitions(StepContext(session=session, now=now), {}, 0)
    if modes[item.enrollment_id] == "resume":
        run.resumed.append(item.enrollment_id)
    run.error(item, reason)
    if not history:
        run.history.clear()
    run.write()
    return True
