"""Turn stored events into enrollments for every published journey they trigger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from wayfinder.db_utils import bulk_insert, chunked
from wayfinder.engine.counts import CountDeltas
from wayfinder.engine.versions import load_versions
from wayfinder.models import (
    IN_JOURNEY,
    Enrollment,
    EnrollmentStatus,
    Event,
    JourneyVersion,
    StepAction,
    StepHistory,
    VersionStatus,
)
from wayfinder.steps.event_trigger import EventTrigger


@dataclass
class EnrolResult:
    events: int = 0
    enrollment_ids: list[int] = field(default_factory=list)
    journey_ids: set[int] = field(default_factory=set)


def process_events(session: Session, event_ids: list[int], now: datetime, lease_seconds: int) -> EnrolResult:
    """Enrol the customers of the unprocessed events among `event_ids`; the caller commits.

    Events are marked processed in the same transaction, so running this twice enrols nobody twice.
    A customer already inside a journey is not enrolled again (re-entry: not while inside).
    """
    result = EnrolResult()
    events = []
    for chunk in chunked(sorted(set(event_ids))):
        # By primary key alone, then filtered here: a `processed_at IS NULL` condition can lead PostgreSQL
        # to scan the whole index of unprocessed events for every batch.
        rows = session.execute(
            select(Event.id, Event.customer_id, Event.name, Event.properties, Event.processed_at)
            .where(Event.id.in_(chunk))
            .order_by(Event.id)
            .with_for_update(skip_locked=True)
        ).all()
        events += [row for row in rows if row.processed_at is None]
    if not events:
        return result
    result.events = len(events)

    live = session.execute(
        select(JourneyVersion.id, JourneyVersion.trigger_events).where(JourneyVersion.status == VersionStatus.PUBLISHED)
    ).all()
    names = {e.name for e in events}
    candidates = {vid for vid, trigger_events in live if names & set(trigger_events or [])}
    versions = load_versions(session, candidates) if candidates else {}

    wanted: dict[tuple[int, int], dict] = {}  # (journey, customer) -> enrollment row; the first event wins
    for event in events:
        for version in versions.values():
            for trigger_id in version.index.triggers:
                settings = version.nodes[trigger_id]["data"]["settings"]
                key = (version.journey_id, event.customer_id)
                if key not in wanted and EventTrigger.accepts(settings, event.name, event.properties or {}):
                    wanted[key] = {
                        "journey_id": version.journey_id,
                        "version_id": version.id,
                        "customer_id": event.customer_id,
                        "current_node": trigger_id,
                        "trigger_event_id": event.id,
                    }
    for key in _already_inside(session, wanted):
        del wanted[key]

    if wanted:
        lease = now + timedelta(seconds=lease_seconds)
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
        table = Enrollment.__table__
        created = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        ids = list(created.scalars())
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
                }
            )
        bulk_insert(session, StepHistory.__table__, history)
        counts.write(session)
        result.enrollment_ids = ids
        result.journey_ids = counts.journey_ids

    for chunk in chunked([e.id for e in events]):
        session.execute(update(Event).where(Event.id.in_(chunk)).values(processed_at=now))
    return result


def _already_inside(session: Session, wanted: dict[tuple[int, int], dict]) -> list[tuple[int, int]]:
    if not wanted:
        return []
    journeys = sorted({j for j, _c in wanted})
    found = []
    for chunk in chunked(sorted({c for _j, c in wanted})):
        found += session.execute(
            select(Enrollment.journey_id, Enrollment.customer_id).where(
                Enrollment.customer_id.in_(chunk),
                Enrollment.journey_id.in_(journeys),
                Enrollment.status.in_(IN_JOURNEY),
            )
        ).all()
    return [tuple(row) for row in found if tuple(row) in wanted]
