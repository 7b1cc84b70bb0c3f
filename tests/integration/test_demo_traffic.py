"""The Demo traffic button's events make a believable funnel on the demo journey: some buy during the first
wait, and of those reminded, some open and some do not (not "14 of 14 did not open")."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.integration.journeys import publish
from wayfinder.demo.seed import abandoned_cart_graph, seed_demo
from wayfinder.demo.traffic import emit_demo_traffic
from wayfinder.engine.addresses import device_key, token_hash
from wayfinder.extensions import db
from wayfinder.models import Customer, CustomerDevice, Event, Message, MessageStatus


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


def test_the_gallery_journeys_get_live_counts_from_demo_traffic(client, engine):
    """S1 (carts → reminder → opens) and S4 (treatments) from the gallery, on the seeded shoppers: demo traffic
    enrols them, and its tracked opens of the sent reminders move some through the engagement wait."""
    seed_demo("en")
    ids = {}
    for key in ("s1_abandoned_cart", "s4_treatment_care"):
        journey = client.post("/api/journeys", json={"template": key, "lang": "en"}).get_json()
        assert client.post(f"/api/journeys/{journey['id']}/publish").status_code == 200
        ids[key] = journey["id"]
    emit_demo_traffic(customers=40, seed=7, lang="en")
    engine.run_jobs()
    engine.advance_clock(hours=1, minutes=1)  # S1's hour: the reminder emails go out
    engine.run_jobs()
    reminders = db.session.scalars(select(Message).where(Message.node_id == "reminder_email")).all()
    assert reminders and all(m.status == MessageStatus.SENT for m in reminders)

    emit_demo_traffic(customers=5, seed=8, lang="en")  # opens about half of what was sent
    engine.run_jobs()
    s1 = client.get(f"/api/journeys/{ids['s1_abandoned_cart']}/flow").get_json()["handles"]
    assert s1["wait_open"].get("engaged", 0) > 0, s1
    assert s1["opened"]["next"] == s1["wait_open"]["engaged"]  # the tag step follows every open

    s4 = client.get(f"/api/journeys/{ids['s4_treatment_care']}/flow").get_json()["handles"]
    entered = s4["treatment"]["next"]
    laser = db.session.scalars(select(Event).where(Event.name == "treatment_completed")).all()
    assert 0 < entered == sum(e.properties["treatment"] == "Laser toning" for e in laser) < len(laser)


def test_seeded_shoppers_can_be_reached_beyond_email(app):
    seed_demo("en")
    seed_demo("en")  # again: nothing doubles
    customers = db.session.scalars(select(Customer).where(Customer.external_id.like("demo-%"))).all()
    phones = [c.attributes["phone"] for c in customers if "phone" in c.attributes]
    lines = [c.attributes["line_user_id"] for c in customers if "line_user_id" in c.attributes]
    assert 0 < len(lines) < len(phones) < len(customers)
    assert all(re.fullmatch(r"\+8869\d{8}", p) for p in phones)
    assert all(re.fullmatch(r"U[0-9a-f]{32}", u) for u in lines)
    assert all(set(c.attributes["consents"]) == {"email", "sms", "line", "push"} for c in customers)
    assert any(c.attributes["consents"]["sms"] is False for c in customers)
    devices = db.session.scalars(select(CustomerDevice)).all()
    assert 0 < len(devices) < len(customers)
    assert len({d.customer_id for d in devices}) == len(devices)
    assert all(d.kind == "push" and d.token_hash == token_hash(device_key("push", d.token)) for d in devices)
