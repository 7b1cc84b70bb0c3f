"""Customer upserts and event intake (the identify / track API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.db_utils import chunked, insert_ignore, one_of
from wayfinder.models import Customer, Event


def upsert_customer(
    session: Session, external_id: str, email: str | None, attributes: dict[str, Any] | None, now: datetime
) -> tuple[Customer, bool]:
    """Create or update a customer; attributes are merged (a key set to null is removed).

    Returns (customer, created)."""
    customer = session.scalar(select(Customer).where(Customer.external_id == external_id))
    created = customer is None
    if customer is None:
        customer = Customer(external_id=external_id, attributes={}, created_at=now)
        session.add(customer)
    if email is not None:
        customer.email = email or None
    if attributes:
        merged = {**(customer.attributes or {}), **attributes}
        customer.attributes = {k: v for k, v in merged.items() if v is not None}
    customer.updated_at = now
    session.flush()
    return customer, created


def customer_ids_for(session: Session, external_ids: set[str], now: datetime) -> dict[str, int]:
    """Internal ids by external id; customers seen for the first time are created without attributes."""
    rows = [{"external_id": x, "attributes": {}, "created_at": now, "updated_at": now} for x in sorted(external_ids)]
    insert_ignore(session, Customer.__table__, rows, conflict=("external_id",))
    ids: dict[str, int] = {}
    for chunk in chunked(sorted(external_ids)):
        ids.update(
            session.execute(
                select(Customer.external_id, Customer.id).where(one_of(session, Customer.external_id, chunk))
            ).all()
        )
    return ids


@dataclass
class TrackResult:
    accepted: int = 0
    duplicates: int = 0
    event_ids: list[int] = field(default_factory=list)  # internal ids of the newly stored events


def track_events(session: Session, events: list[dict[str, Any]], now: datetime) -> TrackResult:
    """Store events, skipping any whose client-supplied `event_id` was seen before; the caller commits
    and then hands `event_ids` to the engine."""
    result = TrackResult()
    unique: dict[str, dict[str, Any]] = {}
    for event in events:
        unique.setdefault(event["event_id"], event)
    customers = customer_ids_for(session, {e["customer_id"] for e in unique.values()}, now) if unique else {}
    rows = [
        {
            "event_id": e["event_id"],
            "customer_id": customers[e["customer_id"]],
            "name": e["name"],
            "properties": e.get("properties") or {},
            "occurred_at": e.get("timestamp") or now,
            "received_at": now,
        }
        for e in unique.values()
    ]
    # An event id seen before collides on its unique key and is skipped; only new rows come back.
    result.event_ids = insert_ignore(session, Event.__table__, rows, conflict=("event_id",), returning="id")
    result.accepted = len(result.event_ids)
    result.duplicates = len(events) - result.accepted
    return result
