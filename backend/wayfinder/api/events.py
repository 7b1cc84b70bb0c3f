"""/api/events: track one event or a batch. Stored first, then processed by the engine queue."""

from __future__ import annotations

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.engine.queues import enqueue_events
from wayfinder.extensions import db
from wayfinder.models import utcnow
from wayfinder.schemas.api import EventBatchSchema, EventInSchema, TrackResultSchema
from wayfinder.tracking import track_events
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint(
    "events",
    __name__,
    url_prefix="/api/events",
    description="Events a shop sends about its customers; they enrol, resume and end journeys.",
)


def _track(events: list[dict]) -> dict:
    result = track_events(db.session, events, utcnow(), workspace_id=request_workspace())
    db.session.commit()  # the job reads these rows, so they are committed before it is enqueued
    if result.event_ids:
        enqueue_events(result.event_ids)
    return {"accepted": result.accepted, "duplicates": result.duplicates}


@blp.post("")
@blp.arguments(EventInSchema)
@blp.response(202, TrackResultSchema)
@requires("events.track")
def track_one(event: dict):
    """Record one event (an `event_id` seen before is counted as a duplicate and ignored)."""
    return _track([event])


@blp.post("/batch")
@blp.arguments(EventBatchSchema)
@blp.response(202, TrackResultSchema)
@requires("events.track")
def track_batch(data: dict):
    """Record 1 to 1,000 events at once; a batch with any invalid event stores nothing (400, errors by index)."""
    return _track(data["events"])
