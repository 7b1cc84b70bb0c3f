"""Write the effects buffer a batch's steps filled: each kind with a few bulk statements, in the batch's
transaction (so a retried batch that finds nothing runnable writes nothing twice)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.orm import Session

from wayfinder.db_utils import chunked, insert_ignore, one_of, upsert_add
from wayfinder.engine.enrol import enrol_customers
from wayfinder.engine.versions import journey_workspaces
from wayfinder.models import Customer, CustomerTag, Message, MessageStatus
from wayfinder.steps.base import Effects
from wayfinder.workspaces.settings import settings_for


@dataclass
class Written:
    message_ids: list[int] = field(default_factory=list)  # pending messages to hand to delivery
    enrollment_ids: list[int] = field(default_factory=list)  # enrolments into other journeys, to advance
    journey_ids: set[int] = field(default_factory=set)


def write_effects(session: Session, effects: Effects, now: datetime, lease_seconds: int) -> Written:
    written = Written()
    written.message_ids = _write_messages(session, effects, now, lease_seconds)
    _write_attributes(session, effects, now)
    _write_tags(session, effects, now)
    if effects.enrolments:
        by_journey: dict[int, list[int]] = defaultdict(list)
        for e in effects.enrolments:
            by_journey[e.journey_id].append(e.customer_id)
        for journey_id, customer_ids in by_journey.items():
            ids = enrol_customers(session, journey_id, customer_ids, now, lease_seconds)
            written.enrollment_ids += ids
            if ids:
                written.journey_ids.add(journey_id)
    return written


def _write_messages(session: Session, effects: Effects, now: datetime, lease_seconds: int) -> list[int]:
    if not effects.messages:
        return []
    pending, failed = [], []
    # A message belongs to its journey's workspace (a Core insert: the scoping hook does not stamp it), and goes
    # out under the workspace's sender unless its step names one: one look-up per journey of the batch.
    workspaces = journey_workspaces(session, {m.journey_id for m in effects.messages if m.journey_id is not None})
    orphans = sorted({m.customer_id for m in effects.messages if m.journey_id is None})  # none from journeys
    customers = dict(
        session.execute(select(Customer.id, Customer.workspace_id).where(Customer.id.in_(orphans))).all()
        if orphans
        else []
    )
    brands = {w: settings_for(session, w) for w in {*workspaces.values(), *customers.values()}}
    for m in effects.messages:
        brand = brands[workspaces[m.journey_id] if m.journey_id is not None else customers[m.customer_id]]
        row = {
            "workspace_id": brand.id,
            "from_address": brand.sender_email,
            "idempotency_key": f"{m.enrollment_id}:{m.node_id}:{m.seq}",
            "enrollment_id": m.enrollment_id,
            "journey_id": m.journey_id,
            "customer_id": m.customer_id,
            "node_id": m.node_id,
            "channel": m.channel,
            "to_address": m.to_address,
            "subject": m.subject[:500],
            "body": m.body,
            "from_name": m.from_name or brand.sender_name or "",
            "status": MessageStatus.SKIPPED
            if m.skipped
            else MessageStatus.FAILED
            if m.error is not None
            else MessageStatus.PENDING,
            "error": m.error,
            "created_at": now,
            # If no delivery job has claimed it by then, the ticker enqueues it again.
            "next_attempt_at": None if m.error is not None else now + timedelta(seconds=lease_seconds),
        }
        (failed if m.error is not None else pending).append(row)
    table = Message.__table__
    insert_ignore(session, table, failed, conflict=("idempotency_key",))
    return insert_ignore(session, table, pending, conflict=("idempotency_key",), returning="id")


def _write_attributes(session: Session, effects: Effects, now: datetime) -> None:
    if not effects.attributes:
        return
    changes: dict[int, dict[str, Any]] = defaultdict(dict)
    for change in effects.attributes:  # later changes of the same attribute win
        changes[change.customer_id].update(change.values)
    rows = []
    for chunk in chunked(sorted(changes)):
        for customer_id, attributes in session.execute(
            select(Customer.id, Customer.attributes).where(one_of(session, Customer.id, chunk))
        ):
            merged = {**(attributes or {}), **changes[customer_id]}
            rows.append(
                {"id": customer_id, "attributes": {k: v for k, v in merged.items() if v is not None}, "updated_at": now}
            )
    if rows:
        session.execute(update(Customer), rows)


def _write_tags(session: Session, effects: Effects, now: datetime) -> None:
    if not effects.tags:
        return
    added: dict[tuple[int, str], float] = defaultdict(float)
    removed: set[tuple[int, str]] = set()
    for change in effects.tags:
        key = (change.customer_id, change.tag)
        if change.weight is None:
            removed.add(key)
            added.pop(key, None)
        else:
            removed.discard(key)
            added[key] += change.weight
    for chunk in chunked(sorted(removed)):
        session.execute(delete(CustomerTag).where(tuple_(CustomerTag.customer_id, CustomerTag.tag).in_(chunk)))
    rows = [{"customer_id": c, "tag": t, "weight": w, "updated_at": now} for (c, t), w in sorted(added.items())]
    upsert_add(session, CustomerTag.__table__, rows, key=("customer_id", "tag"), add=("weight",))
