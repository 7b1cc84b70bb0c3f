"""/api/journeys: CRUD, validate, publish, pause, resume, counts."""

from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wayfinder.engine.counts import journey_counts
from wayfinder.extensions import db
from wayfinder.journeys import service
from wayfinder.models import Journey, JourneyVersion
from wayfinder.schemas.api import (
    ErrorSchema,
    JourneyCountsSchema,
    JourneyCreateSchema,
    JourneyListOutSchema,
    JourneyOutSchema,
    JourneyUpdateSchema,
    ValidateRequestSchema,
    ValidationResultSchema,
)

blp = Blueprint(
    "journeys",
    __name__,
    url_prefix="/api/journeys",
    description="Journeys: a graph drafted on the canvas, validated, published as an immutable version.",
)


def _detail(journey: Journey) -> dict:
    return service.summaries(db.session, [journey], detail=True)[0]


@blp.get("")
@blp.response(200, JourneyListOutSchema)
def list_journeys():
    """Every journey, most recently changed first, with how many customers entered and are inside."""
    # Versions in one extra query, without their graphs: the list needs only their statuses.
    versions = selectinload(Journey.versions).defer(JourneyVersion.graph)
    journeys = list(db.session.scalars(select(Journey).options(versions).order_by(Journey.updated_at.desc())))
    return {"journeys": service.summaries(db.session, journeys)}


@blp.post("")
@blp.arguments(JourneyCreateSchema)
@blp.response(201, JourneyOutSchema)
def create_journey(data: dict):
    """Create a draft (an empty graph unless one is given). Graph shape errors are a 400."""
    journey = service.create_journey(db.session, data["name"], data["description"], data["graph"])
    db.session.commit()
    return _detail(journey)


@blp.get("/<id:journey_id>")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such journey")
def get_journey(journey_id: int):
    """One journey with its draft graph and its versions."""
    return _detail(service.get_journey(db.session, journey_id))


@blp.put("/<id:journey_id>")
@blp.arguments(JourneyUpdateSchema)
@blp.response(200, JourneyOutSchema)
@blp.alt_response(409, schema=ErrorSchema, description="`revision` is not the current one, or the journey is archived")
def update_journey(data: dict, journey_id: int):
    """Save the draft. `revision` must be the one last read (optimistic locking: else 409)."""
    journey = service.get_journey(db.session, journey_id)
    service.save_draft(
        db.session, journey, data["revision"], data.get("name"), data.get("description"), data.get("graph")
    )
    db.session.commit()
    return _detail(journey)


@blp.delete("/<id:journey_id>")
@blp.response(204)
def delete_journey(journey_id: int):
    """Delete a journey that never ran; archive one that did (its history stays)."""
    service.delete_or_archive(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()


@blp.post("/<id:journey_id>/validate")
@blp.arguments(ValidateRequestSchema)
@blp.response(200, ValidationResultSchema)
def validate_journey(data: dict, journey_id: int):
    """Located problems of the given graph, or of the saved draft when no graph is sent."""
    journey = service.get_journey(db.session, journey_id)
    errors = service.check(data["graph"] if data["graph"] is not None else service.current_graph(journey))
    return {"valid": not errors, "errors": errors}


@blp.post("/<id:journey_id>/publish")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(422, schema=ErrorSchema, description="The draft has problems (`errors`, located on steps and connections)")
@blp.alt_response(409, schema=ErrorSchema, description="Nothing to publish")
def publish_journey(journey_id: int):
    """Freeze the draft as a new live version; customers already inside stay on theirs."""
    journey = service.publish(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()
    return _detail(journey)


@blp.post("/<id:journey_id>/pause")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The journey is not published")
def pause_journey(journey_id: int):
    """Stop enrolling and stop moving customers (they keep their place)."""
    journey = service.pause(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()
    return _detail(journey)


@blp.post("/<id:journey_id>/resume")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The journey is not paused")
def resume_journey(journey_id: int):
    """Undo a pause."""
    journey = service.resume(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()
    return _detail(journey)


@blp.get("/<id:journey_id>/counts")
@blp.response(200, JourneyCountsSchema)
def journey_node_counts(journey_id: int):
    """Per step: how many customers entered, wait there, moved on, exited."""
    service.get_journey(db.session, journey_id)
    return {"journey_id": journey_id, "nodes": journey_counts(db.session, journey_id)}
