"""/api/journeys: CRUD, validate, publish, pause, resume, counts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wayfinder.api import api_bp
from wayfinder.api.util import args, body
from wayfinder.engine import service as engine
from wayfinder.engine.counts import journey_counts
from wayfinder.engine.entry import refusals
from wayfinder.extensions import db
from wayfinder.journeys import service
from wayfinder.models import Journey, JourneyVersion
from wayfinder.schemas.api import (
    EnrolRequestSchema,
    JourneyCreateSchema,
    JourneyOutSchema,
    JourneySummaryOutSchema,
    JourneyUpdateSchema,
    RefusalOutSchema,
    RefusalQuerySchema,
    ValidateRequestSchema,
)

summary_out = JourneySummaryOutSchema()
journey_out = JourneyOutSchema()
refusal_out = RefusalOutSchema()


def _dump(journey: Journey) -> dict:
    return journey_out.dump(service.summaries(db.session, [journey], detail=True)[0])


@api_bp.get("/journeys")
def list_journeys():
    # Versions in one extra query, without their graphs: the list needs only their statuses.
    versions = selectinload(Journey.versions).defer(JourneyVersion.graph)
    journeys = list(db.session.scalars(select(Journey).options(versions).order_by(Journey.updated_at.desc())))
    return {"journeys": summary_out.dump(service.summaries(db.session, journeys), many=True)}


@api_bp.post("/journeys")
def create_journey():
    data = body(JourneyCreateSchema())
    journey = service.create_journey(db.session, data["name"], data["description"], data["graph"])
    db.session.commit()
    return _dump(journey), 201


@api_bp.get("/journeys/<int:journey_id>")
def get_journey(journey_id: int):
    return _dump(service.get_journey(db.session, journey_id))


@api_bp.put("/journeys/<int:journey_id>")
def update_journey(journey_id: int):
    data = body(JourneyUpdateSchema())
    journey = service.get_journey(db.session, journey_id)
    service.save_draft(
        db.session, journey, data["revision"], data.get("name"), data.get("description"), data.get("graph")
    )
    db.session.commit()
    return _dump(journey)


@api_bp.delete("/journeys/<int:journey_id>")
def delete_journey(journey_id: int):
    service.delete_or_archive(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()
    return "", 204


@api_bp.post("/journeys/<int:journey_id>/validate")
def validate_journey(journey_id: int):
    data = body(ValidateRequestSchema())
    journey = service.get_journey(db.session, journey_id)
    errors, warnings = service.check_all(data["graph"] if data["graph"] is not None else service.current_graph(journey))
    return {"valid": not errors, "errors": errors, "warnings": warnings}


@api_bp.post("/journeys/<int:journey_id>/publish")
def publish_journey(journey_id: int):
    journey = service.publish(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()
    return _dump(journey)


@api_bp.post("/journeys/<int:journey_id>/pause")
def pause_journey(journey_id: int):
    journey = service.pause(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()
    return _dump(journey)


@api_bp.post("/journeys/<int:journey_id>/resume")
def resume_journey(journey_id: int):
    journey = service.resume(db.session, service.get_journey(db.session, journey_id))
    db.session.commit()
    return _dump(journey)


@api_bp.get("/journeys/<int:journey_id>/counts")
def journey_node_counts(journey_id: int):
    service.get_journey(db.session, journey_id)
    return {"journey_id": journey_id, "nodes": journey_counts(db.session, journey_id)}


@api_bp.post("/journeys/<int:journey_id>/enrol")
def enrol_customers(journey_id: int):
    """Enrol customers (external ids) through the journey's manual / API trigger; idempotent per request_id."""
    data = body(EnrolRequestSchema())
    return engine.enrol_manual(journey_id, data["request_id"], data["customer_ids"])


@api_bp.get("/journeys/<int:journey_id>/refusals")
def journey_refusals(journey_id: int):
    """Entries the journey turned away (re-entry rule, start/end dates) and why, for one customer or all."""
    service.get_journey(db.session, journey_id)
    query = args(RefusalQuerySchema())
    return {"refusals": refusal_out.dump(refusals(db.session, journey_id, query.get("customer")), many=True)}
