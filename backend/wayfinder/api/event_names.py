"""/api/events/names: the event names this workspace has received, so the editor offers real names (a typo
in a trigger would make a journey that never starts)."""

from __future__ import annotations

from sqlalchemy import func, select

from wayfinder.api import api_bp
from wayfinder.api.util import args
from wayfinder.extensions import db
from wayfinder.models import Event
from wayfinder.schemas.insights import EventNamesOutSchema, EventNamesQuerySchema


@api_bp.get("/events/names")
def event_names():
    query = args(EventNamesQuerySchema())
    rows = db.session.execute(
        select(Event.name, func.count().label("count"), func.max(Event.occurred_at).label("last_seen"))
        .group_by(Event.name)
        .order_by(func.count().desc(), Event.name)
        .limit(query["limit"])
    )
    names = [{"name": name, "count": int(count), "last_seen": last_seen} for name, count, last_seen in rows]
    return EventNamesOutSchema().dump({"events": names})
