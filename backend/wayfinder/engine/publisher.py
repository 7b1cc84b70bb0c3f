"""Coalesced live counts.

Engine transactions write node counts to the database (the truth) and then add the journey to a Redis set
of "dirty" journeys. The worker that did so then publishes, unless any process published less than
PUBLISH_INTERVAL ago (a Redis key with a TTL is the shared throttle): it drains the set, reads each dirty
journey's counts and emits only the nodes whose numbers changed to the Socket.IO room `workspace:<id>:journey:<id>`
through the Redis message queue, so any web process can deliver them. The ticker calls `publish_pending`
four times a second too, which flushes what a throttled worker left behind.

Deliveries move no node count, so a delivery job marks its journeys "delivered" instead; the publisher
emits `messages:delta` ({"journey_id"}) to their rooms, and the canvas fetches its send tallies again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import current_app

from wayfinder.engine.counts import journey_counts
from wayfinder.engine.versions import journey_workspaces
from wayfinder.extensions import db, redis_client, socketio
from wayfinder.transactions import unit_of_work


def _key(name: str) -> str:
    return f"{current_app.config.get('QUEUE_PREFIX') or ''}wayfinder:live:{name}"


def room(workspace_id: int, journey_id: int) -> str:
    """A journey's live room. It names the workspace, so a client let into one brand's rooms can never be in
    another's, whatever journey id it names."""
    return f"workspace:{workspace_id}:journey:{journey_id}"


def mark_dirty(journey_ids: Iterable[int]) -> None:
    ids = sorted(set(journey_ids))
    if ids and redis_client.connection is not None:
        redis_client.conn.sadd(_key("dirty"), *ids)


def mark_delivered(journey_ids: Iterable[int]) -> None:
    """Messages of these journeys changed status (sent, failed, retrying): tell their rooms at the next publish."""
    ids = sorted(set(journey_ids))
    if ids and redis_client.connection is not None:
        redis_client.conn.sadd(_key("delivered"), *ids)


PUBLISH_INTERVAL_MS = 250


def maybe_publish() -> int:
    """Publish now unless some process did within the last PUBLISH_INTERVAL_MS (then the ticker will)."""
    if redis_client.conn.set(_key("throttle"), 1, nx=True, px=PUBLISH_INTERVAL_MS):
        return publish_pending()
    return 0


def publish_pending() -> int:
    """Emit a delta for every journey changed since the last call; returns how many were emitted."""
    conn = redis_client.conn
    dirty = {int(j) for j in conn.spop(_key("dirty"), 10_000) or []}
    delivered = {int(j) for j in conn.spop(_key("delivered"), 10_000) or []}
    workspaces = journey_workspaces(db.session, dirty | delivered)  # one query per publish, not per journey
    emitted = 0
    for journey_id in sorted(dirty & set(workspaces)):
        counts = journey_counts(db.session, journey_id)
        db.session.commit()
        last_key = _key(f"last:{journey_id}")
        last = json.loads(conn.get(last_key) or "{}")
        changed = {node: values for node, values in counts.items() if last.get(node) != values}
        if changed:
            socketio.emit(
                "counts:delta",
                {"journey_id": journey_id, "nodes": changed},
                to=room(workspaces[journey_id], journey_id),
            )
            emitted += 1
        conn.set(last_key, json.dumps(counts), ex=7 * 24 * 3600)
    db.session.commit()
    for journey_id in sorted(delivered & set(workspaces)):
        socketio.emit("messages:delta", {"journey_id": journey_id}, to=room(workspaces[journey_id], journey_id))
        emitted += 1
    return emitted


def snapshot(journey_id: int) -> dict:
    """The counts a joining client starts from: a read-only unit of work, so it never waits for the writers."""
    with unit_of_work(read_only=True, lock_wait=float(current_app.config["DB_LOCK_WAIT_REQUEST"])) as session:
        counts = journey_counts(session, journey_id)
    return {"journey_id": journey_id, "nodes": counts}
