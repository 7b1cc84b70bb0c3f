"""Route stored events, in batches, to (a) goals of journeys their customers are in, (b) enrollments
waiting for them, (c) triggers of published journeys — each through an index, never a scan of enrollments.

Goals come first: a customer who converts leaves even if the same event was also awaited. Enrollments
that must react (converted, awaited event came) are set `waking` with a wake reason and advanced by the
caller right after the commit, in the same job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.db_utils import bulk_insert, chunked, insert_returning_ids, one_of
from wayfinder.engine.counts import CountDeltas
from wayfinder.engine.entry import admit
from wayfinder.engine.versions import VersionGraph, load_versions
from wayfinder.models import (
    IN_JOURNEY,
    Customer,
    Enrollment,
    EnrollmentStatus,
    EnrollmentWait,
    Event,
    JourneyVersion,
    StepAction,
    StepHistory,
    VersionStatus,
)
from wayfinder.steps.base import WAKE_EVENT_PREFIX, WAKE_GOAL_PREFIX, EventWait


@dataclass
class EnrolResult:
    events: int = 0
    enrollment_ids: list[int] = field(default_factory=list)
    # Enrollments woken by these events (goal reached, awaited event came): advance them now.
    woken_ids: list[int] = field(default_factory=list)
    journey_ids: set[int] = field(default_factory=set)


def process_events(session: Session, event_ids: list[int], now: datetime, lease_seconds: int) -> EnrolResult:
    """Route the unprocessed events among `event_ids`; the caller commits.

    Events are marked processed in the same transaction, so running this twice does nothing twice.
    Who may enter is decided by `entry.admit` (audience, dates, re-entry; never twice at once).
    """
    result = EnrolResult()
    events = []
    for chunk in chunked(sorted(set(event_ids))):
        # By primary key alone, then filtered here: a `processed_at IS NULL` condition can lead PostgreSQL
        # to scan the whole index of unprocessed events for every batch.
        rows = session.execute(
            select(
                Event.id,
                Event.workspace_id,
                Event.customer_id,
                Event.name,
                Event.properties,
                Event.occurred_at,
                Event.processed_at,
            )
            .where(one_of(session, Event.id, chunk))
            .order_by(Event.id)
            .with_for_update(skip_locked=True)
        ).all()
        events += [row for row in rows if row.processed_at is None]
    if not events:
        return result
    result.events = len(events)
    lease = now + timedelta(seconds=lease_seconds)

    goal_versions, trigger_versions = _live_versions(
        session, {e.name for e in events}, {e.workspace_id for e in events}
    )
    woken = _route_goals(session, events, goal_versions, lease)
    woken.update(_route_waits(session, events, lease, skip=set(woken)))
    result.woken_ids = sorted(woken)
    result.journey_ids |= set(woken.values())
    _enrol_triggered(session, events, trigger_versions, now, lease, result)

    for chunk in chunked([e.id for e in events]):
        session.execute(
            update(Event)
            .where(one_of(session, Event.id, chunk))
            .values(processed_at=now)
            .execution_options(synchronize_session=False)
        )
    return result


def _live_versions(
    session: Session, names: set[str], workspaces: set[int]
) -> tuple[dict[int, VersionGraph], dict[int, VersionGraph]]:
    """(versions with a goal on any of the event `names`, published versions with a trigger on any of them),
    of the events' `workspaces`, from one query. Customers inside archived versions still finish their path,
    and still convert on the way; only a published version enrols."""
    v = JourneyVersion
    rows = session.execute(
        select(v.id, v.status, v.goal_events, v.trigger_events).where(
            v.workspace_id.in_(sorted(workspaces)),
            v.status.in_((VersionStatus.PUBLISHED, VersionStatus.PAUSED, VersionStatus.ARCHIVED)),
        )
    ).all()
    goals = {vid for vid, _status, goal, _trigger in rows if names & set(goal or [])}
    triggers = {
        vid for vid, status, _goal, trigger in rows if status == VersionStatus.PUBLISHED and names & set(trigger or [])
    }
    loaded = load_versions(session, goals | triggers) if goals or triggers else {}
    # In version order (a set of ints iterates in hash-slot order, e.g. 8 before 7): one event enrolling a
    # customer into several journeys creates their enrollments in this order, which is the "first decided" that
    # breaks a tie of equal priority for a frequency cap's last slot (engine/sending.py).
    return {v: loaded[v] for v in sorted(goals)}, {v: loaded[v] for v in sorted(triggers)}


def _route_goals(session: Session, events: list, versions: dict[int, VersionGraph], lease: datetime) -> dict[int, int]:
    """Customers inside a journey whose goal an event meets (`versions`: those with a goal on these events):
    set waking with reason goal:<node>. Returns {enrollment id: journey id}."""
    if not versions:
        return {}
    # Only the customers of events some goal names: their enrollments are locked and loaded below.
    goal_names = {
        name
        for v in versions.values()
        for goal_id in v.index.goals
        for name in steps.get(v.nodes[goal_id]["type"]).goal_events(v.nodes[goal_id]["data"]["settings"])
    }
    by_customer: dict[int, list] = defaultdict(list)
    for e in events:
        if e.name in goal_names:
            by_customer[e.customer_id].append(e)
    woken: dict[int, int] = {}
    for chunk in chunked(sorted(by_customer)):
        # Through the (journey, customer) unique index of enrollments inside a journey. Locked without
        # SKIP LOCKED: a conversion must not be lost because a job holds the row for a moment.
        rows = session.execute(
            select(Enrollment)
            .where(
                one_of(session, Enrollment.customer_id, chunk),
                Enrollment.journey_id.in_(sorted({v.journey_id for v in versions.values()})),
                Enrollment.status.in_(IN_JOURNEY),
            )
            .order_by(Enrollment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalars()
        for enrollment in rows:
            version = versions.get(enrollment.version_id)
            if version is None or enrollment.converted_at is not None or not version.runs:
                continue
            hit = _goal_hit(version, by_customer[enrollment.customer_id])
            if hit is None:
                continue
            goal_node, event = hit
            _wake(enrollment, f"{WAKE_GOAL_PREFIX}{goal_node}", event, lease, woken)
    session.flush()
    return woken


def _wake(enrollment: Enrollment, reason: str, event: Any, lease: datetime, woken: dict[int, int]) -> None:
    """Hand `enrollment` to the engine to wake for `reason`, by `event`, leased until `lease`; noted in `woken`."""
    enrollment.status = EnrollmentStatus.WAKING
    enrollment.wake_reason = reason
    enrollment.wake_event_id = event.id
    enrollment.wake_at = lease
    woken[enrollment.id] = enrollment.journey_id


def _goal_hit(version: VersionGraph, events: list) -> tuple[str, Any] | None:
    for event in events:
        for goal_id in version.index.goals:
            node = version.nodes[goal_id]
            if steps.get(node["type"]).accepts(node["data"]["settings"], event.name, event.properties or {}):
                return goal_id, event
    return None


def _route_waits(session: Session, events: list, lease: datetime, skip: set[int]) -> dict[int, int]:
    """Enrollments waiting for these events (through the (customer, event name) index): set waking with
    reason event:<name> when an event matches one of the wait's rows (its filters) and came after the wait began.

    An enrollment may wait for several events (action paths: one row per path): the earliest matching event of
    the batch wakes it, and the step tells from that event which path it takes (`steps.base.first_match`)."""
    names = sorted({e.name for e in events})
    by_key: dict[tuple[int, str], list] = defaultdict(list)
    for e in events:
        by_key[(e.customer_id, e.name)].append(e)
    hits: dict[int, Any] = {}
    for chunk in chunked(sorted({e.customer_id for e in events})):
        rows = session.execute(
            select(EnrollmentWait).where(
                one_of(session, EnrollmentWait.customer_id, chunk), EnrollmentWait.event_name.in_(names)
            )
        ).scalars()
        for wait in rows:
            if wait.enrollment_id in skip:
                continue
            expected = EventWait(wait.event_name, tuple(tuple(f) for f in wait.filters))
            # Events are in id order: the first one that matches is this row's earliest.
            for event in by_key.get((wait.customer_id, wait.event_name), ()):
                if event.occurred_at >= wait.since and expected.met_by(event.name, event.properties or {}):
                    known = hits.get(wait.enrollment_id)
                    if known is None or (event.occurred_at, event.id) < (known.occurred_at, known.id):
                        hits[wait.enrollment_id] = event
                    break
    woken: dict[int, int] = {}
    for chunk in chunked(sorted(hits)):
        rows = session.execute(
            select(Enrollment)
            .where(one_of(session, Enrollment.id, chunk))
            .order_by(Enrollment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalars()
        for enrollment in rows:
            # Only a customer still asleep: one the ticker already woke (timed out) stays timed out.
            if enrollment.status != EnrollmentStatus.WAITING:
                continue
            event = hits[enrollment.id]
            _wake(enrollment, f"{WAKE_EVENT_PREFIX}{event.name}", event, lease, woken)
    session.flush()
    return woken


def _enrol_triggered(
    session: Session,
    events: list,
    versions: dict[int, VersionGraph],
    now: datetime,
    lease: datetime,
    result: EnrolResult,
) -> None:
    wanted: dict[tuple[int, int], dict] = {}  # (journey, customer) -> enrollment row; the first event wins
    for event in events:
        for version in versions.values():
            if version.workspace_id != event.workspace_id:  # an event never enrols into another brand's journey
                continue
            for trigger_id in version.index.triggers:
                node = version.nodes[trigger_id]
                key = (version.journey_id, event.customer_id)
                if key not in wanted and steps.get(node["type"]).accepts(
                    node["data"]["settings"], event.name, event.properties or {}
                ):
                    wanted[key] = {
                        "journey_id": version.journey_id,
                        "version_id": version.id,
                        "customer_id": event.customer_id,
                        "current_node": trigger_id,
                        "trigger_event_id": event.id,
                    }
    admit(session, wanted, versions, now)
    ids = _insert_enrollments(session, wanted, now, lease)
    result.enrollment_ids = ids
    if ids:
        result.journey_ids |= {j for j, _c in wanted}


def enrol_customers(session: Session, journey_id: int, customer_ids: list[int], now: datetime, lease_seconds: int):
    """Enrol customers into a journey's published version at its first trigger (no event); customers the
    journey turns away (inside already, re-entry, dates, audience) are skipped. Returns the new enrollment
    ids, to advance."""
    version = published_version(session, journey_id)
    if version is None or not version.index.triggers:
        return []
    # Only the journey's own workspace's customers: an enrolment effect never crosses brands (one query).
    customer_ids = list(
        session.scalars(
            select(Customer.id).where(Customer.id.in_(customer_ids), Customer.workspace_id == version.workspace_id)
        )
    )
    created, _refused = enrol_at(session, version, version.index.triggers[0], customer_ids, now, lease_seconds)
    return list(created.values())


def published_version(session: Session, journey_id: int) -> VersionGraph | None:
    version_id = session.scalar(
        select(JourneyVersion.id).where(
            JourneyVersion.journey_id == journey_id, JourneyVersion.status == VersionStatus.PUBLISHED
        )
    )
    return None if version_id is None else load_versions(session, {version_id})[version_id]


def enrol_at(
    session: Session,
    version: VersionGraph,
    trigger: str,
    customer_ids: list[int],
    now: datetime,
    lease_seconds: int,
    audience_checked: bool = False,
) -> tuple[dict[int, int], dict[int, str]]:
    """Enrol customers at trigger node `trigger` of `version`. Returns ({customer id: new enrollment id},
    {customer id: why not enrolled})."""
    wanted = {
        (version.journey_id, c): {
            "journey_id": version.journey_id,
            "version_id": version.id,
            "customer_id": c,
            "current_node": trigger,
            "trigger_event_id": None,
        }
        for c in customer_ids
    }
    refused = admit(session, wanted, {version.id: version}, now, audience_checked=audience_checked)
    ids = _insert_enrollments(session, wanted, now, now + timedelta(seconds=lease_seconds))
    created = {row["customer_id"]: i for row, i in zip(wanted.values(), ids, strict=True)}
    return created, {c: reason for (_j, c), reason in refused.items()}


def _insert_enrollments(session: Session, wanted: dict[tuple[int, int], dict], now: datetime, lease: datetime):
    """Insert the admitted rows of `wanted` (in its order); returns their ids."""
    if not wanted:
        return []
    rows = [
        {
            **row,
            "status": EnrollmentStatus.ACTIVE,
            "seq": 0,
            "wake_at": lease,
            "entered_at": now,
            "node_entered_at": now,
            "context": {},
        }
        for row in wanted.values()
    ]
    ids = insert_returning_ids(session, Enrollment.__table__, rows)
    counts = CountDeltas()
    history = []
    for enrollment_id, row in zip(ids, rows, strict=True):
        counts.add(row["journey_id"], row["version_id"], row["current_node"], StepAction.ENTERED)
        history.append(
            {
                "enrollment_id": enrollment_id,
                "journey_id": row["journey_id"],
                "version_id": row["version_id"],
                "seq": 0,
                "from_node": None,
                "handle": None,
                "to_node": row["current_node"],
                "at": now,
                "reason": None,
            }
        )
    bulk_insert(session, StepHistory.__table__, history)
    counts.write(session)
    return ids
