"""Socket.IO events: a client joins a journey's room and gets a snapshot, then the publisher's deltas.

A connection needs a signed-in session: the session cookie is checked at connect (the same checks as an HTTP
request: timeouts, revocation, a workspace membership) and a refused connection gets a `connect_error` saying
why. Each join checks the session again (a signed-out or expired session's join is refused and the connection
closed); signing out closes the session's connections (`api.session.sign_out`).

A join is answered with an ack: `{"ok": true}`, or `{"ok": false, "error": …}` for a payload that is not
`{"journey_id": <1 … 2**31-1>}`, a journey that does not exist, or a member whose role lacks `journeys.read` (no
room is joined, no snapshot is sent). The rooms carry counts only (no personal data): nothing to mask for viewers.
"""

from __future__ import annotations

from flask import g, request, session
from flask_socketio import ConnectionRefusedError, disconnect, emit, join_room, leave_room

from wayfinder.auth.permissions import allowed, refusal
from wayfinder.auth.sessions import check_session, current_membership, sockets_key
from wayfinder.engine.publisher import room, snapshot
from wayfinder.extensions import redis_client, socketio
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


SIGN_IN_REQUIRED = "sign in to see live numbers"
SESSION_ENDED = "your session has ended; sign in again"
NO_WORKSPACE = "your account is not a member of any workspace"


def _member_workspace() -> int | str:
    """The workspace id of the connection's signed-in member, or why there is none."""
    g.pop("_login_user", None)  # Flask-Login's per-context cache (see `auth.gate`)
    state = check_session(touch=False)
    if state.user is None:
        return SESSION_ENDED if state.ended else SIGN_IN_REQUIRED
    current = current_membership(state.user)
    g.role = current.membership.role if current.membership is not None else None
    return current.workspace.id if current.workspace is not None else NO_WORKSPACE


@socketio.on("connect")
def on_connect(auth: object = None) -> None:
    workspace = _member_workspace()
    if isinstance(workspace, str):
        # python-socketio's exception (not the built-in one): the client's connect_error carries its arguments.
        raise ConnectionRefusedError(workspace, {"reason": "unauthorized"})
    key = sockets_key(session["nonce"])
    conn = redis_client.conn
    conn.sadd(key, request.sid)  # type: ignore[attr-defined]
    conn.expire(key, 8 * 86400)


@socketio.on("disconnect")
def on_disconnect(reason: object = None) -> None:
    nonce = session.get("nonce")
    if nonce:
        redis_client.conn.srem(sockets_key(nonce), request.sid)  # type: ignore[attr-defined]


@socketio.on("join")
def on_join(data: object) -> dict:
    workspace = _member_workspace()
    if isinstance(workspace, str):
        disconnect()
        return {"ok": False, "error": workspace}
    if not allowed(g.role, "journeys.read"):  # the same matrix as the REST routes (docs/permissions.md)
        return {"ok": False, "error": refusal(g.role, "journeys.read")}
    journey_id = _journey_id(data)
    if isinstance(journey_id, str):
        return {"ok": False, "error": journey_id}
    # Socket.IO events run no before_request hooks: the member's workspace is this event's, for the choke point.
    g.workspace_id = workspace
    with unit_of_work(read_only=True) as session:  # scoped to the member's workspace (see workspaces.scoping)
        exists = session.get(Journey, journey_id) is not None
    if not exists:  # another workspace's journey is "not found" too
        return {"ok": False, "error": f"journey {journey_id} not found"}
    join_room(room(workspace, journey_id))
    emit("counts:snapshot", snapshot(journey_id))
    return {"ok": True}


@socketio.on("leave")
def on_leave(data: object) -> dict:
    workspace = _member_workspace()
    if isinstance(workspace, str):
        return {"ok": False, "error": workspace}
    journey_id = _journey_id(data)
    if isinstance(journey_id, str):
        return {"ok": False, "error": journey_id}
    leave_room(room(workspace, journey_id))
    return {"ok": True}
