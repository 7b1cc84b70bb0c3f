"""/api/bounces: a workspace's mail system (its MTA's bounce processor, or an email provider's webhook relayed by the
shop) reports a bounce by the message's Message-ID, with an API key of scope track. A hard bounce puts the address on
the workspace's suppression list, which every later send checks; both kinds are written to the message's event log.
"""

from __future__ import annotations

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.content.tracking import record_bounce
from wayfinder.errors import NotFound
from wayfinder.extensions import db
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.channels import BounceInSchema, BounceOutSchema
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint(
    "bounces",
    __name__,
    url_prefix="/api",
    description="Bounces a workspace's mail system reports (API key scope track).",
)


@blp.post("/bounces")
@blp.arguments(BounceInSchema)
@blp.response(200, BounceOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No message of this workspace has that Message-ID")
@requires("events.track")
def report_bounce(data: dict):
    """Record a bounce of one of this workspace's messages; a hard bounce suppresses its address."""
    hard = data["kind"] == "hard"
    detail = {"diagnostic": data["diagnostic"]} if data.get("diagnostic") else None
    if not record_bounce(db.session, data["message_ref"], hard, detail, workspace_id=request_workspace()):
        raise NotFound("No message of this workspace has that Message-ID")
    db.session.commit()
    return {"recorded": True, "suppressed": hard}
