"""Manual / API enrolment of given customers, idempotent per request id.

The request row goes in first (INSERT … ON CONFLICT DO NOTHING on (journey, request id)): the request that
inserts it enrols and stores its answer in the same transaction; a repeat — even a concurrent one, which
waits on the unique key until the first commits — finds the row and gets the stored answer, enrolling
nobody twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.db_utils import ids_by_key, insert_ignore
from wayfinder.engine.enrol import enrol_at, published_version
from wayfinder.errors import Conflict, InvalidJourney, NotFound
from wayfinder.models import Customer, EnrolRequest, Journey
from wayfinder.steps.base import MANUAL_KEY


def enrol(
    session: Session, journey_id: int, request_id: str, external_ids: list[str], now: datetime, lease_seconds: int
) -> tuple[dict, list[int]]:
    """Returns (the answer, new enrollment ids to advance); the caller commits."""
    if session.get(Journey, journey_id) is None:
        raise NotFound(f"Journey {journey_id} not found")
    version = published_version(session, journey_id)
    if version is None:
        raise Conflict("The journey is not live: publish or resume it before enrolling customers")
    trigger = next(
        (
            node_id
            for node_id in version.index.triggers
            if MANUAL_KEY
            in steps.get(version.nodes[node_id]["type"]).trigger_keys(version.nodes[node_id]["data"]["settings"])
        ),
        None,
    )
    if trigger is None:
        raise InvalidJourney(
            "This journey has no manual / API trigger: add one to enrol customers by hand",
            errors=[{"code": "no_manual_trigger", "message": "Add a manual / API trigger", "node_id": None}],
        )
    inserted = insert_ignore(
        session,
        EnrolRequest.__table__,
        [{"journey_id": journey_id, "request_id": request_id, "result": {}, "created_at": now}],
        conflict=("journey_id", "request_id"),
        returning="id",
    )
    if not inserted:
        stored = session.scalar(
            select(EnrolRequest.result).where(
                EnrolRequest.journey_id == journey_id, EnrolRequest.request_id == request_id
            )
        )
        return stored, []

    wanted = list(dict.fromkeys(external_ids))  # the first mention of a customer counts
    ids: dict[str, int] = ids_by_key(
        session, Customer.workspace_id, version.workspace_id, Customer.external_id, Customer.id, wanted
    )
    created, refused = enrol_at(session, version, trigger, list(ids.values()), now, lease_seconds)
    result = {
        "request_id": request_id,
        "journey_id": journey_id,
        "enrolled": [e for e in wanted if ids.get(e) in created],
        "not_enrolled": {e: refused[ids[e]] for e in wanted if e in ids and ids[e] in refused},
        "unknown": [e for e in wanted if e not in ids],
    }
    session.get(EnrolRequest, inserted[0]).result = result
    session.flush()
    return result, sorted(created.values())
