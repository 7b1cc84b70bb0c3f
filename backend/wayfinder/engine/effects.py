"""Write the effects buffer a batch's steps filled: each kind with a few bulk statements, in the batch's
transaction (so a retried batch that finds nothing runnable writes nothing twice)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.orm import Session

from wayfinder.db_utils import chunked, insert_ignore, insert_returning_ids, one_of, upsert_add
from wayfinder.engine.enrol import enrol_customers
from wayfinder.engine.versions import journey_workspaces
from wayfinder.models import Customer, CustomerTag, Event, Message, MessageStatus, Tag
from wayfinder.steps.base import TAG_ADDED, TAG_REMOVED, Effects, SetAttributes


@dataclass
class Written:
    message_ids: list[int] = field(default_factory=list)  # pending messages to hand to delivery
    enrollment_ids: list[int] = field(default_factory=list)  # enrolments into other journeys, to advance
    journey_ids: set[int] = field(default_factory=set)
    event_ids: list[int] = field(default_factory=list)  # tag events, to process


def write_effects(session: Session, effects: Effects, now: datetime, lease_seconds: int) -> Written:
    written = Written()
    written.message_ids = _write_messages(session, effects, now, lease_seconds)
    _write_attributes(session, effects, now)
    written.event_ids = _write_tags(session, effects, now)
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


def write_customer_data(session: Session, effects: Effects, now: datetime) -> tuple[set[int], list[int]]:
    """Write the buffer's attribute and tag changes so far and drop them from it (called between the rounds of
    a batch: a step further along the same run reads what an earlier one changed). Returns the customers whose
    attributes changed and the ids of the tag events written. Nothing to write: no statement."""
    changed = {change.customer_id for change in effects.attributes}
    _write_attributes(session, effects, now)
    event_ids = _write_tags(session, effects, now)
    effects.attributes.clear()
    effects.tags.clear()
    return changed, event_ids


def _write_messages(session: Session, effects: Effects, now: datetime, lease_seconds: int) -> list[int]:
    """The batch's messages, unrendered: delivery renders each from its version's step settings (steps/send.py)."""
    if not effects.messages:
        return []
    pending, failed = [], []
    # A message belongs to its journey's workspace (a Core insert: the scoping hook does not stamp it): one look-up
    # per journey of the batch.
    workspaces = journey_workspaces(session, {m.journey_id for m in effects.messages if m.journey_id is not None})
    orphans = sorted({m.customer_id for m in effects.messages if m.journey_id is None})  # none from journeys
    customers = dict(
        session.execute(select(Customer.id, Customer.workspace_id).where(Customer.id.in_(orphans))).all()
        if orphans
        else []
    )
    for m in effects.messages:
        row = {
            "workspace_id": workspaces[m.journey_id] if m.journey_id is not None else customers[m.customer_id],
            "idempotency_key": f"{m.enrollment_id}:{m.node_id}:{m.seq}",
            "enrollment_id": m.enrollment_id,
            "journey_id": m.journey_id,
            "customer_id": m.customer_id,
            "node_id": m.node_id,
            "version_id": m.version_id,
            "event_id": m.event_id,
            "channel": m.channel,
            "to_address": m.to_address,
            "subject": "",
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
    """Each customer's changes applied in order to the attributes read now: one read per 500 customers and one
    bulk UPDATE."""
    if not effects.attributes:
        return
    changes: dict[int, list[SetAttributes]] = defaultdict(list)
    for change in effects.attributes:  # later changes of the same attribute win; increments add up
        changes[change.customer_id].append(change)
    rows = []
    for chunk in chunked(sorted(changes)):
        for customer_id, attributes in session.execute(
            select(Customer.id, Customer.attributes).where(one_of(session, Customer.id, chunk))
        ):
            merged = dict(attributes or {})
            for change in changes[customer_id]:
                merged.update(change.values)
                for key, amount in (change.increments or {}).items():
                    merged[key] = _plus(merged.get(key), amount)
            rows.append(
                {"id": customer_id, "attributes": {k: v for k, v in merged.items() if v is not None}, "updated_at": now}
            )
    if rows:
        session.execute(update(Customer), rows)


def _plus(current: Any, amount: float) -> int | float:
    """`current + amount`, a missing or non-numeric value counting as 0; whole numbers stay integers."""
    base = current if isinstance(current, int | float) and not isinstance(current, bool) else 0
    if isinstance(current, str):
        try:
            base = float(current)
        except ValueError:
            base = 0
    total = base + amount
    return int(total) if isinstance(total, float) and total.is_integer() else total


@dataclass
class _TagWrite:
    """What a batch does to one (customer, tag) in the end."""

    mode: str  # "add" | "set" | "remove"
    weight: int = 0
    journey_id: int | None = None
    # Removed earlier in the batch, then applied again: the old row goes first (first applied = now).
    fresh: bool = False


def _fold_tags(effects: Effects) -> dict[tuple[int, str], _TagWrite]:
    final: dict[tuple[int, str], _TagWrite] = {}
    for change in effects.tags:
        key = (change.customer_id, change.tag)
        before = final.get(key)
        if change.weight is None:
            final[key] = _TagWrite("remove")
        elif change.replace or before is None or before.mode == "remove":
            fresh = before is not None and (before.mode == "remove" or before.fresh)
            mode = "set" if change.replace else "add"
            final[key] = _TagWrite(mode, change.weight, change.journey_id, fresh)
        else:  # add to an add or a set of this batch
            final[key] = _TagWrite(before.mode, before.weight + change.weight, change.journey_id, before.fresh)
    return final


def _write_tags(session: Session, effects: Effects, now: datetime) -> list[int]:
    """Tag changes in a bounded number of statements whatever the batch size: the customers' workspaces, the
    tags created (insert-or-ignore) and read back per 500 names, the weights before, a delete and an upsert per
    kind of change, and the `tag_added` / `tag_removed` events (returns their ids, to be processed)."""
    if not effects.tags:
        return []
    final = _fold_tags(effects)
    workspace_of: dict[int, int] = {}
    for chunk in chunked(sorted({c for c, _t in final})):
        workspace_of.update(
            session.execute(select(Customer.id, Customer.workspace_id).where(one_of(session, Customer.id, chunk))).all()
        )
    # A tag belongs to its customer's workspace; removing a tag nobody applied creates none.
    applied = {(workspace_of[c], t) for (c, t), w in final.items() if w.mode != "remove" and c in workspace_of}
    insert_ignore(
        session,
        Tag.__table__,
        [{"workspace_id": ws, "name": name, "created_at": now} for ws, name in sorted(applied)],
        conflict=("workspace_id", "name"),
    )
    tag_ids: dict[tuple[int, str], int] = {}
    names_by_workspace: dict[int, set[str]] = defaultdict(set)
    for (c, t), _w in final.items():
        if c in workspace_of:
            names_by_workspace[workspace_of[c]].add(t)
    for workspace_id, names in names_by_workspace.items():
        for chunk in chunked(sorted(names)):
            for tag_id, name in session.execute(
                select(Tag.id, Tag.name).where(Tag.workspace_id == workspace_id, Tag.name.in_(chunk))
            ):
                tag_ids[(workspace_id, name)] = tag_id

    def tag_id(key: tuple[int, str]) -> int | None:
        customer_id, name = key
        return tag_ids.get((workspace_of.get(customer_id, -1), name))

    before: dict[tuple[int, int], int] = {}
    wanted_tags = sorted({i for i in tag_ids.values()})
    for chunk in chunked(sorted({c for c, _t in final})):
        rows = session.execute(
            select(CustomerTag.customer_id, CustomerTag.tag_id, CustomerTag.weight).where(
                one_of(session, CustomerTag.customer_id, chunk), CustomerTag.tag_id.in_(wanted_tags)
            )
        )
        before.update({(c, t): weight for c, t, weight in rows})
    events = []
    for key, w in sorted(final.items()):
        tid = tag_id(key)
        if tid is None:
            continue
        previous = before.get((key[0], tid))
        if previous is not None and (w.mode == "remove" or w.fresh):
            events.append(_tag_event(workspace_of[key[0]], key, TAG_REMOVED, now, previous_weight=previous))
            previous = None
        if w.mode == "remove":
            continue
        weight = w.weight if w.mode == "set" or previous is None else previous + w.weight
        if previous is None or weight > previous:  # newly added, or its weight went up
            events.append(
                _tag_event(workspace_of[key[0]], key, TAG_ADDED, now, weight=weight, previous_weight=previous)
            )

    gone = sorted((key[0], tag_id(key)) for key, w in final.items() if (w.mode == "remove" or w.fresh) and tag_id(key))
    for chunk in chunked(gone):
        session.execute(delete(CustomerTag).where(tuple_(CustomerTag.customer_id, CustomerTag.tag_id).in_(chunk)))
    for mode in ("add", "set"):
        rows = [
            {
                "customer_id": key[0],
                "tag_id": tag_id(key),
                "weight": w.weight,
                "first_applied_at": now,
                "last_applied_at": now,
                "last_journey_id": w.journey_id,
            }
            for key, w in sorted(final.items())
            if w.mode == mode and tag_id(key)
        ]
        upsert_add(
            session,
            CustomerTag.__table__,
            rows,
            key=("customer_id", "tag_id"),
            add=("weight",) if mode == "add" else (),
            replace=("last_applied_at", "last_journey_id") + (("weight",) if mode == "set" else ()),
        )
    return insert_returning_ids(session, Event.__table__, events)


def _tag_event(workspace_id: int, key: tuple[int, str], name: str, now: datetime, **properties: Any) -> dict[str, Any]:
    """An event of the customer's saying what happened to a tag, processed like any other: tag triggers (and
    event triggers, waits and goals on these names) take it. Its id is random: a batch retried after a rollback
    writes it again, never twice."""
    customer_id, tag = key
    return {
        "workspace_id": workspace_id,
        "event_id": f"{name}:{uuid.uuid4().hex}",
        "customer_id": customer_id,
        "name": name,
        "properties": {"tag": tag, **properties},
        "occurred_at": now,
        "received_at": now,
        "processed_at": None,
        "error": None,
    }
