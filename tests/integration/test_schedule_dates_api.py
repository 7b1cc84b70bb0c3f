"""Validation and publishing judge a one-off schedule's date in the journey's own zone, on the app clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wayfinder.journeys.builder import GraphBuilder

NOW = datetime(2026, 6, 15, 20, 45, tzinfo=UTC)


def _graph(zone: str, ahead: timedelta) -> dict:
    at = (NOW + ahead).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")
    g = GraphBuilder()
    g.settings["timezone"] = zone
    g.chain(g.schedule("send", "once", at=at), g.email("mail"), g.exit("done"))
    return g.build()


@pytest.mark.parametrize("zone", ["Asia/Taipei", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
def test_validate_and_publish_accept_a_send_later_today_and_refuse_one_just_past(sim, zone):
    sim.clock.set(NOW)
    client = sim.client
    for ahead, accepted in ((timedelta(minutes=2), True), (timedelta(hours=5), True), (timedelta(minutes=-1), False)):
        graph = _graph(zone, ahead)
        journey = client.post("/api/journeys", json={"name": f"One-off {zone} {ahead}", "graph": graph}).get_json()
        checked = client.post(f"/api/journeys/{journey['id']}/validate", json={}).get_json()
        codes = [(p["node_id"], p["field"], p["code"]) for p in checked["problems"]]
        assert codes == ([] if accepted else [("send", "at", "schedule_in_the_past")]), (zone, ahead)
        published = client.post(f"/api/journeys/{journey['id']}/publish")
        assert published.status_code == (200 if accepted else 422), (zone, ahead, published.get_json())
        if not accepted:
            assert [e["code"] for e in published.get_json()["errors"]] == ["schedule_in_the_past"]
