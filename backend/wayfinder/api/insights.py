"""/api/journeys/<id>/flow and /api/journeys/<id>/nodes/<node_id>/customers: what the live canvas shows
beyond the node counts."""

from __future__ import annotations

from wayfinder.api import api_bp
from wayfinder.api.util import args
from wayfinder.extensions import db
from wayfinder.journeys import insights, service
from wayfinder.schemas.insights import FlowCountsOutSchema, NodeCustomersOutSchema, NodeCustomersQuerySchema


@api_bp.get("/journeys/<int:journey_id>/flow")
def journey_flow(journey_id: int):
    service.get_journey(db.session, journey_id)
    return FlowCountsOutSchema().dump(insights.flow_counts(db.session, journey_id))


@api_bp.get("/journeys/<int:journey_id>/nodes/<node_id>/customers")
def node_customers(journey_id: int, node_id: str):
    service.get_journey(db.session, journey_id)
    query = args(NodeCustomersQuerySchema())
    page = insights.customers_at_node(
        db.session, journey_id, node_id, search=query["q"].strip(), page=query["page"], per_page=query["per_page"]
    )
    return NodeCustomersOutSchema().dump(page)
