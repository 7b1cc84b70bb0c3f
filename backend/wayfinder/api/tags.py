"""/api/tags: the workspace's tags with how many customers carry each, so the editor offers real tag names (a
typo in a condition would silently route everyone to "no"). Another workspace's tags are not found: `Tag` is
workspace-scoped like every other brand row."""

from __future__ import annotations

from sqlalchemy import func, select

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db
from wayfinder.models import CustomerTag, Tag
from wayfinder.schemas.insights import EventNamesQuerySchema, TagsOutSchema

blp = Blueprint("tags", __name__, url_prefix="/api/tags", description="Tags of the workspace, for pickers.")


@blp.get("")
@blp.arguments(EventNamesQuerySchema, location="query")
@blp.response(200, TagsOutSchema)
@requires("insights.read")
def tags(query: dict):
    """Tags, most carried first, with how many customers carry each now."""
    carried = func.count(CustomerTag.id)
    rows = db.session.execute(
        select(Tag.name, carried, Tag.created_at)
        .outerjoin(CustomerTag, CustomerTag.tag_id == Tag.id)
        .group_by(Tag.id, Tag.name, Tag.created_at)
        .order_by(carried.desc(), Tag.name)
        .limit(query["limit"])
    )
    return {"tags": [{"name": name, "customers": int(n), "created_at": at} for name, n, at in rows]}
