"""/api/events/names: the event names this workspace has received, so the editor offers real names (a typo
in a trigger would make a journey that never starts)."""

from __future__ import annotations

from sqlalchemy import func, select

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db
from wayfinder.models import Event
from wayfinder.schemas.insights import EventNamesOutSchema, EventNamesQuerySchema

blp = Blueprint("event_names", __name__, url_prefix="/api/events", description="Event names seen, for pickers.")


@blp.get("/names")
@blp.arguments(EventNamesQuerySchema, location="query")
@blp.response(200, EventNamesOutSchema)
@requires("insights.read")
def event_names(query: dict):
    """Event names received, most frequent first, with how often and when last."""
    rows = db.session.execute(
        select(Event.name, func.count().label("count"), func.max(Event.occurred_at).label("last_seen"))
        .group_by(Event.name)
        .order_by(func.count().desc(), Event.name)
        .limit(query["limit"])
    )
    return {"events": [{"name": name, "count": int(count), "last_seen": last} for name, count, last in rows]}
