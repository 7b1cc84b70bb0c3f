"""Coalesced live counts.

Engine transactions write node counts to the database (the truth) and then add the journey to a Redis set
of "dirty" journeys. The publisher, a loop in the ticker process, drains that set a few times a second,
reads each dirty journey's counts and emits only the nodes whose numbers changed to the Socket.IO room
`journey:<id>` through the Redis message queue, so any web process can deliver them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import current_app

from wayfinder.engine.counts import journey_counts
from wayfinder.extensions import db, redis_client, socketio


def _key(name: str) -> str:
    return f"{current_app.config.get('QUEUE_PREFIX') or ''}wayfinder:live:{name}"


def room(journey_id: int) -> str:
    return f"journey:{journey_id}"


def mark_dirty(journey_ids: Iterable[int]) -> None:
    ids = sorted(set(journey_ids))
    if ids and redis_client.connection is not None:
        redis_client.conn.sadd(_key("dirty"), *ids)


def publish_pending() -> int:
    """Emit a delta for every journey changed since the last call; returns how many were emitted."""
    conn = redis_client.conn
    raw = conn.spop(_key("dirty"), 10_000) or []
    emitted = 0
    for journey_id in sorted({int(j) for j in raw}):
        counts = journey_counts(db.session, journey_id)
        db.session.commit()
        last_key = _key(f"last:{journey_id}")
        last = json.loads(conn.get(last_key) or "{}")
        changed = {node: values for node, values in counts.items() if last.get(node) != values}
        if changed:
            socketio.emit("counts:delta", {"journey_id": journey_id, "nodes": changed}, to=room(journey_id))
            emitted += 1
        conn.set(last_key, json.dumps(counts), ex=7 * 24 * 3600)
    return emitted


def snapshot(journey_id: int) -> dict:
    counts = journey_counts(db.session, journey_id)
    db.session.commit()
    return {"journey_id": journey_id, "nodes": counts}
