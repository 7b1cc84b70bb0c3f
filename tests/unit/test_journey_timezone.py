"""Which zone a step's `ctx.timezone` falls back to: the customer's, else the journey's, else the brand's."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from wayfinder.engine.context import StepContext
from wayfinder.engine.versions import index_graph
from wayfinder.journeys.builder import GraphBuilder

NOW = datetime(2026, 3, 3, tzinfo=UTC)


def _graph(settings):
    g = GraphBuilder()
    g.chain(g.trigger("t", event="signup"), g.exit("done"))
    g.settings.update(settings)
    return g.build()


def test_index_keeps_the_journeys_zone_only_when_the_graph_names_one():
    assert index_graph(_graph({"timezone": "Europe/Paris"})).timezone == ZoneInfo("Europe/Paris")
    assert index_graph(_graph({})).timezone is None
    assert index_graph(_graph({"timezone": "Mars/Olympus"})).timezone is None


def test_context_falls_back_from_the_customer_to_the_journey_to_the_brand():
    ctx = StepContext(session=None, now=NOW, brand_timezone="Asia/Tokyo")
    ctx.customers = {1: SimpleNamespace(attributes={}), 2: SimpleNamespace(attributes={"timezone": "Europe/London"})}
    assert ctx.timezone(1) == ZoneInfo("Asia/Tokyo")
    ctx.journey_timezone = ZoneInfo("America/New_York")
    assert ctx.timezone(1) == ZoneInfo("America/New_York")
    assert ctx.timezone(2) == ZoneInfo("Europe/London")
