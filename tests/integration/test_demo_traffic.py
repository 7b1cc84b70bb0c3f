"""The Demo traffic button's events make a believable funnel on the demo journey: some buy during the first
wait, and of those reminded, some open and some do not (not "14 of 14 did not open")."""

from __future__ import annotations

from tests.integration.journeys import publish
from wayfinder.demo.seed import abandoned_cart_graph
from wayfinder.demo.traffic import emit_demo_traffic


def test_one_click_gives_a_funnel_with_both_branches(client, engine):
    journey_id = publish(client, graph=abandoned_cart_graph(), name="Demo cart")
    result = emit_demo_traffic(customers=40, seed=7)
    assert result["customers"] == 40
    engine.run_jobs()
    engine.advance_clock(seconds=65)  # the 1-minute wait ends: bought? → reminder
    engine.advance_clock(minutes=3)  # the 2-minute wait for the open ends: opened?

    flow = client.get(f"/api/journeys/{journey_id}/flow").get_json()["handles"]
    purchased, opened = flow["purchased"], flow["opened"]
    assert purchased["yes"] > 0 and purchased["no"] > 0, purchased
    assert opened["yes"] > 0 and opened["no"] > 0, opened
    assert purchased["yes"] + purchased["no"] == 40
    assert opened["yes"] + opened["no"] == purchased["no"]
