"""/api/demo/traffic: realistic demo events, the same generator as `wayfinder demo-traffic`."""

from __future__ import annotations

from wayfinder.api import api_bp
from wayfinder.api.util import body
from wayfinder.demo.traffic import emit_demo_traffic
from wayfinder.schemas.api import DemoTrafficSchema


@api_bp.post("/demo/traffic")
def demo_traffic():
    data = body(DemoTrafficSchema())
    return emit_demo_traffic(customers=data["customers"]), 202
