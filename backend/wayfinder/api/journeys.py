"""/api/journeys: CRUD, validate, publish, pause, resume, counts."""

from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wayfinder import audit
from wayfinder.api.parser import Blueprint
from wayfinder.api.routing import NO_SUCH_JOURNEY
from wayfinder.auth.permissions import requires
from wayfinder.engine import service as engine
from wayfinder.engine.counts import journey_counts
from wayfinder.engine.entry import refusals
from wayfinder.extensions import db
from wayfinder.journeys import gallery, service
from wayfinder.models import Journey, JourneyVersion
from wayfinder.schemas.api import (
    EnrolAnswerSchema,
    EnrolRequestSchema,
    ErrorSchema,
    JourneyCountsSchema,
    JourneyCreateSchema,
    JourneyListOutSchema,
    JourneyOutSchema,
    JourneyUpdateSchema,
    RefusalListSchema,
    RefusalQuerySchema,
    ValidateRequestSchema,
    ValidationResultSchema,
)
from wayfinder.schemas.problem_codes import ERROR_CODES, WARNING_CODES, describe

blp = Blueprint(
    "journeys",
    __name__,
    url_prefix="/api/journeys",
    description="Journeys: a graph drafted on the canvas, validated, published as an immutable version.",
)


def _journey(journey_id: int) -> Journey:
    """The journey, or the API's 404 (also for an id beyond the column's range)."""
    return service.get_journey(db.session, journey_id)


def _settings_of(journey: Journey) -> dict:
    settings = (service.current_graph(journey) or {}).get("settings")
    return dict(settings) if isinstance(settings, dict) else {}


def _audit(action: str, journey: Journey, **detail) -> None:
    audit.record(db.session, action, "journey", journey.id, {"name": journey.name, **detail})


def _detail(journey: Journey) -> dict:
    return service.summaries(db.session, [journey], detail=True)[0]


@blp.get("")
@blp.response(200, JourneyListOutSchema)
@requires("journeys.read")
def list_journeys():
    """Every journey, most recently changed first, with how many customers entered and are inside."""
    # Versions in one extra query, without their graphs: the list needs only their statuses.
    versions = selectinload(Journey.versions).defer(JourneyVersion.graph)
    journeys = list(db.session.scalars(select(Journey).options(versions).order_by(Journey.updated_at.desc())))
    return {"journeys": service.summaries(db.session, journeys)}


def _links_from_journey() -> dict:
    """OpenAPI links from a response that carries a journey to what can be done with it next (schemathesis'
    stateful tests follow them; so can a reader)."""
    by_id = {"journey_id": "$response.body#/id"}
    operations = {
        "GetJourney": "journeys.get_journey",
        "UpdateJourney": "journeys.update_journey",
        "ValidateJourney": "journeys.validate_journey",
        "PublishJourney": "journeys.publish_journey",
        "PauseJourney": "journeys.pause_journey",
        "ResumeJourney": "journeys.resume_journey",
        "JourneyCounts": "journeys.journey_node_counts",
        "DeleteJourney": "journeys.delete_journey",
    }
    links = {name: {"operationId": op, "parameters": by_id} for name, op in operations.items()}
    links["UpdateJourney"]["requestBody"] = {"revision": "$response.body#/revision"}
    return links


@blp.post("")
@blp.arguments(JourneyCreateSchema)
@blp.response(201, JourneyOutSchema)
@blp.doc(responses={201: {"links": _links_from_journey()}})
@requires("journeys.write")
def create_journey(data: dict):
    """Create a draft (an empty graph unless one is given, or a gallery template's). Graph shape errors are a 400.

    With `template` (see GET /api/journey-templates) the draft starts from that template's graph in `lang`
    (default: the workspace's language), named as the template unless `name` is given."""
    if data["template"] is not None and gallery.get(data["template"]) is None:
        known = ", ".join(t.key for t in gallery.templates())
        raise ValidationError({"template": [f"Unknown template '{data['template']}'. Choose one of: {known}."]})
    journey = service.create_journey(
        db.session, data.get("name"), data["description"], data["graph"], template=data["template"], lang=data["lang"]
    )
    db.session.commit()
    return _detail(journey)


@blp.get("/<id:journey_id>")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@requires("journeys.read")
def get_journey(journey_id: int):
    """One journey with its draft graph and its versions."""
    return _detail(_journey(journey_id))


@blp.put("/<id:journey_id>")
@blp.arguments(JourneyUpdateSchema)
@blp.response(200, JourneyOutSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@blp.alt_response(409, schema=ErrorSchema, description="`revision` is not the current one, or the journey is archived")
@requires("journeys.write")
def update_journey(data: dict, journey_id: int):
    """Save the draft. `revision` must be the one last read (optimistic locking: else 409)."""
    journey = _journey(journey_id)
    before = _settings_of(journey)
    service.save_draft(
        db.session, journey, data["revision"], data.get("name"), data.get("description"), data.get("graph")
    )
    after = _settings_of(journey)
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        audit.record(
            db.session,
            "journey.settings_changed",
            "journey",
            journey.id,
            {"name": journey.name, "changed": changed, "settings": after},
        )
    db.session.commit()
    return _detail(journey)


@blp.delete("/<id:journey_id>")
@blp.response(204)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@requires("journeys.write")
def delete_journey(journey_id: int):
    """Delete a journey that never ran; archive one that did (its history stays)."""
    journey = _journey(journey_id)
    name, id_ = journey.name, journey.id
    service.delete_or_archive(db.session, journey)
    deleted = journey in db.session.deleted
    audit.record(db.session, "journey.deleted" if deleted else "journey.archived", "journey", id_, {"name": name})
    db.session.commit()


@blp.post("/<id:journey_id>/validate")
@blp.arguments(ValidateRequestSchema, required=False)
@blp.response(200, ValidationResultSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@requires("journeys.read")  # it checks a graph and changes nothing: read-only editors show problems too
def validate_journey(data: dict, journey_id: int):
    """Located problems of a graph, or of the saved draft.

    One list, errors first, each with its `severity`; only errors make the graph invalid (publish refuses it
    with 422, see there). Without `graph` in the body the saved draft is checked. Problem codes are those listed
    on `LocatedError.code`."""
    journey = _journey(journey_id)
    graph = data["graph"] if data["graph"] is not None else service.current_graph(journey)
    problems = service.check_all(graph, db.session)
    return {"valid": not any(p["severity"] == "error" for p in problems), "problems": problems}


@blp.post("/<id:journey_id>/publish")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@blp.alt_response(
    422,
    schema=ErrorSchema,
    description="`invalid_journey`: the draft passes the graph schema but breaks a journey rule. `errors` lists "
    "each problem located on a step (`node_id`, `field`) or a connection (`edge_id`), with one of these "
    "`code`s:\n\n"
    + describe(ERROR_CODES)
    + "\n\nWarnings ("
    + ", ".join(f"`{c}`" for c in WARNING_CODES)
    + ") never refuse a publish; `POST .../validate` lists errors and warnings without publishing.",
)
@blp.alt_response(409, schema=ErrorSchema, description="Nothing to publish")
@requires("journeys.publish")
def publish_journey(journey_id: int):
    """Freeze the draft as a new live version; customers already inside stay on theirs."""
    journey = service.publish(db.session, _journey(journey_id))
    _audit("journey.published", journey, version=journey.live_version.number if journey.live_version else None)
    db.session.commit()
    return _detail(journey)


@blp.post("/<id:journey_id>/pause")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@blp.alt_response(409, schema=ErrorSchema, description="The journey is not published")
@requires("journeys.publish")
def pause_journey(journey_id: int):
    """Stop enrolling and stop moving customers (they keep their place)."""
    journey = service.pause(db.session, _journey(journey_id))
    _audit("journey.paused", journey)
    db.session.commit()
    return _detail(journey)


@blp.post("/<id:journey_id>/resume")
@blp.response(200, JourneyOutSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@blp.alt_response(409, schema=ErrorSchema, description="The journey is not paused")
@requires("journeys.publish")
def resume_journey(journey_id: int):
    """Undo a pause."""
    journey = service.resume(db.session, _journey(journey_id))
    _audit("journey.resumed", journey)
    db.session.commit()
    return _detail(journey)


@blp.get("/<id:journey_id>/counts")
@blp.response(200, JourneyCountsSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@requires("journeys.read")
def journey_node_counts(journey_id: int):
    """Per step: how many customers entered, wait there, moved on, exited."""
    _journey(journey_id)
    return {"journey_id": journey_id, "nodes": journey_counts(db.session, journey_id)}


@blp.post("/<id:journey_id>/enrol")
@blp.arguments(EnrolRequestSchema)
@blp.response(200, EnrolAnswerSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@blp.alt_response(409, schema=ErrorSchema, description="The journey is not live")
@blp.alt_response(422, schema=ErrorSchema, description="The journey has no manual / API trigger")
@requires("journeys.publish")
def enrol_customers(data: dict, journey_id: int):
    """Enrol customers (external ids) through the journey's manual / API trigger.

    Idempotent per `request_id`: a repeated request id enrols nobody and answers exactly what the first
    answered."""
    _journey(journey_id)
    return engine.enrol_manual(journey_id, data["request_id"], data["customer_ids"])


@blp.get("/<id:journey_id>/refusals")
@blp.arguments(RefusalQuerySchema, location="query")
@blp.response(200, RefusalListSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@requires("journeys.read")
def journey_refusals(query: dict, journey_id: int):
    """Entries the journey turned away (re-entry rule, start/end dates) and why, newest first.

    `customer` narrows to one customer (external id)."""
    _journey(journey_id)
    return {"refusals": refusals(db.session, journey_id, query.get("customer"))}
