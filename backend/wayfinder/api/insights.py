"""/api/journeys/<id>/flow and /api/journeys/<id>/nodes/<node_id>/customers: what the live canvas shows
beyond the node counts."""

from __future__ import annotations

from wayfinder.api.parser import Blueprint
from wayfinder.api.routing import NO_SUCH_JOURNEY
from wayfinder.auth.permissions import requires
from wayfinder.extensions import db
from wayfinder.journeys import insights, service
from wayfinder.schemas.insights import FlowCountsOutSchema, NodeCustomersOutSchema, NodeCustomersQuerySchema
from wayfinder.schemas.personal import sees_personal

blp = Blueprint(
    "insights",
    __name__,
    url_prefix="/api/journeys",
    description="Live canvas details: how customers split over each step's outputs, and who is at a step now.",
)


@blp.get("/<id:journey_id>/flow")
@blp.response(200, FlowCountsOutSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@requires("insights.read")
def journey_flow(journey_id: int):
    """Transitions out of each step by output handle, and messages per send step by status."""
    service.get_journey(db.session, journey_id)  # 404 for an unknown journey
    return insights.flow_counts(db.session, journey_id)


@blp.get("/<id:journey_id>/nodes/<string(maxlength=128):node_id>/customers")
@blp.arguments(NodeCustomersQuerySchema, location="query")
@blp.response(200, NodeCustomersOutSchema)
@blp.alt_response(404, **NO_SUCH_JOURNEY)
@requires("journeys.read")
def node_customers(query: dict, journey_id: int, node_id: str):
    """The customers at a step now, longest-waiting first; `q` searches id and email."""
    service.get_journey(db.session, journey_id)  # 404 for an unknown journey
    return insights.customers_at_node(
        db.session,
        journey_id,
        node_id,
        search=query["q"].strip(),
        page=query["page"],
        per_page=query["per_page"],
        search_email=sees_personal(),
    )
