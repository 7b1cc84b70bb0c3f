"""/api/demo/traffic: realistic demo events, the same generator as `wayfinder demo-traffic`."""

from __future__ import annotations

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.demo.traffic import emit_demo_traffic
from wayfinder.schemas.api import DemoTrafficResultSchema, DemoTrafficSchema
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint("demo", __name__, url_prefix="/api/demo", description="Demo data for trying Wayfinder out.")


@blp.post("/traffic")
@blp.arguments(DemoTrafficSchema)
@blp.response(202, DemoTrafficResultSchema)
@requires("devtools.use")
def demo_traffic(data: dict):
    """Send cart, purchase and email-open events for demo customers."""
    return emit_demo_traffic(customers=data["customers"], lang=data["lang"], workspace_id=request_workspace())
