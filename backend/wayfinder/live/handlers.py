"""Socket.IO events: a client joins a journey's room and gets a snapshot, then the publisher's deltas."""

from __future__ import annotations

from flask_socketio import emit, join_room, leave_room

from wayfinder.extensions import socketio
from wayfinder.live.publisher import room, snapshot


def _journey_id(data: object) -> int | None:
    if isinstance(data, dict):
        try:
            return int(data.get("journey_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
    return None


@socketio.on("join")
def on_join(data: object) -> dict:
    journey_id = _journey_id(data)
    if journey_id is None:
        return {"ok": False, "error": "journey_id must be an integer"}
    join_room(room(journey_id))
    emit("counts:snapshot", snapshot(journey_id))
    return {"ok": True}


@socketio.on("leave")
def on_leave(data: object) -> dict:
    journey_id = _journey_id(data)
    if journey_id is not None:
        leave_room(room(journey_id))
    return {"ok": True}
