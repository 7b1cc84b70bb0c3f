"""Customer upserts and event intake (the identify / track API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.db_utils import ids_by_key, insert_ignore
from wayfinder.models import Customer, Event


def upsert_customer(
    session: Session,
    external_id: str,
    email: str | None,
    attributes: dict[str, Any] | None,
    now: datetime,
    *,
    workspace_id: int,
) -> tuple[Customer, bool]:
    """Create or update a customer of a workspace; attributes are merged (a key set to null is removed).

    Returns (customer, created)."""
    customer = session.scalar(
        select(Customer).where(Customer.workspace_id == workspace_id, Customer.external_id == external_id)
    )
    created = customer is None
    if customer is None:
        customer = Customer(workspace_id=workspace_id, external_id=external_id, attributes={}, created_at=now)
        session.add(customer)
    if email is not None:
        customer.email = email or None
    if attributes:
        merged = {**(customer.attributes or {}), **attributes}
        customer.attributes = {k: v for k, v in merged.items() if v is not None}
    customer.updated_at = now
    session.flush()
    return customer, created


def customer_ids_for(session: Session, external_ids: set[str], now: datetime, workspace_id: int) -> dict[str, int]:
    """Internal ids by external id within a workspace; customers seen for the first time are created without
    attributes. (Core statements: the scoping hook does not see them, so they name the workspace.)"""
    rows = [
        {"workspace_id": workspace_id, "external_id": x, "attributes": {}, "created_at": now, "updated_at": now}
        for x in sorted(external_ids)
    ]
    insert_ignore(session, Customer.__table__, rows, conflict=("workspace_id", "external_id"))
    return ids_by_key(
        session, Customer.workspace_id, workspace_id, Customer.external_id, Customer.id, sorted(external_ids)
    )


@dataclass
class TrackResult:
    accepted: int = 0
    duplicates: int = 0
    event_ids: list[int] = field(default_factory=list)  # internal ids of the newly stored events


def track_events(session: Session, events: list[dict[str, Any]], now: datetime, *, workspace_id: int) -> TrackResult:
    """Store a workspace's events, skipping any whose client-supplied `event_id` the workspace sent before; the
    caller commits and then hands `event_ids` to the engine."""
    result = TrackResult()
    unique: dict[str, dict[str, Any]] = {}
    for event in events:
        unique.setdefault(event["event_id"], event)
    external_ids = {e["customer_id"] for e in unique.values()}
    customers = customer_ids_for(session, external_ids, now, workspace_id) if unique else {}
    rows = [
        {
            "workspace_id": workspace_id,
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
    result.event_ids = insert_ignore(
        session, Event.__table__, rows, conflict=("workspace_id", "event_id"), returning="id"
    )
    result.accepted = len(result.event_ids)
    result.duplicates = len(events) - result.accepted
    return result
