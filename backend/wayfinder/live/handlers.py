"""Socket.IO events: a client joins a journey's room and gets a snapshot, then the publisher's deltas.

A join is answered with an ack: `{"ok": true}`, or `{"ok": false, "error": …}` for a payload that is not
`{"journey_id": <1 … 2**31-1>}` or a journey that does not exist (no room is joined, no snapshot is sent).
"""

from __future__ import annotations

from flask_socketio import emit, join_room, leave_room

from wayfinder.extensions import socketio
from wayfinder.live.publisher import room, snapshot
from wayfinder.models import Journey
from wayfinder.schemas.fields import INT32_MAX
from wayfinder.transactions import unit_of_work

NOT_AN_INTEGER = "journey_id must be an integer"
OUT_OF_RANGE = f"journey_id must be between 1 and {INT32_MAX}"


def _journey_id(data: object) -> int | str:
    """The journey id of a join/leave payload, or the error message for the client."""
    if not isinstance(data, dict):
        return NOT_AN_INTEGER
    raw = data.get("journey_id")
    if isinstance(raw, bool):
        return NOT_AN_INTEGER
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 30:
        raw = int(raw)
    if not isinstance(raw, int):
        return NOT_AN_INTEGER
    if not 1 <= raw <= INT32_MAX:
        return OUT_OF_RANGE
    return raw


@socketio.on("join")
def on_join(data: object) -> dict:
    journey_id = _journey_id(data)
    if isinstance(journey_id, str):
        return {"ok": False, "error": journey_id}
    with unit_of_work(read_only=True) as session:
        exists = session.get(Journey, journey_id) is not None
    if not exists:
        return {"ok": False, "error": f"journey {journey_id} not found"}
    join_room(room(journey_id))
    emit("counts:snapshot", snapshot(journey_id))
    return {"ok": True}


@socketio.on("leave")
def on_leave(data: object) -> dict:
    journey_id = _journey_id(data)
    if isinstance(journey_id, str):
        return {"ok": False, "error": journey_id}
    leave_room(room(journey_id))
    return {"ok": True}
