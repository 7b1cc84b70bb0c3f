"""/api/events: track one event or a batch. Stored first, then processed by the engine queue."""

from __future__ import annotations

from wayfinder.api import api_bp
from wayfinder.api.util import body
from wayfinder.engine.queues import enqueue_events
from wayfinder.extensions import db
from wayfinder.models import utcnow
from wayfinder.schemas.api import EventBatchSchema, EventInSchema
from wayfinder.tracking import track_events


def _track(events: list[dict]):
    result = track_events(db.session, events, utcnow())
    db.session.commit()  # the job reads these rows, so they are committed before it is enqueued
    if result.event_ids:
        enqueue_events(result.event_ids)
    return {"accepted": result.accepted, "duplicates": result.duplicates}, 202


@api_bp.post("/events")
def track_one():
    return _track([body(EventInSchema())])


@api_bp.post("/events/batch")
def track_batch():
    return _track(body(EventBatchSchema())["events"])
