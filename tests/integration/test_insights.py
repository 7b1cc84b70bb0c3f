"""The canvas insight endpoints: output split per handle, messages per send step, customers at a step."""

from __future__ import annotations

from tests.integration.journeys import customer, publish, track


def _run_cart(client, engine):
    journey_id = publish(client)
    for external_id, name in (("alice", "Alice"), ("bob", "Bob"), ("dora", "Dora")):
        customer(client, external_id, name)
        track(client, f"c-{external_id}", external_id, "cart_updated", product="Serum", total=500)
    engine.run_jobs()
    return journey_id


def test_customers_at_a_wait_step_paginated_and_searchable(client, engine):
    journey_id = _run_cart(client, engine)
    url = f"/api/journeys/{journey_id}/nodes/wait/customers"

    page = client.get(f"{url}?per_page=2").get_json()
    assert page["total"] == 3 and page["page"] == 1 and len(page["customers"]) == 2
    first = page["customers"][0]
    assert first["customer_id"] == "alice" and first["name"] == "Alice" and first["email"] == "alice@example.com"
    assert first["arrived_at"] and first["moves_on_at"] > first["arrived_at"]  # the one-hour wait ends later
    second_page = client.get(f"{url}?per_page=2&page=2").get_json()
    assert [c["customer_id"] for c in second_page["customers"]] == ["dora"]

    found = client.get(f"{url}?q=BO").get_json()
    assert found["total"] == 1 and found["customers"][0]["customer_id"] == "bob"
    assert client.get(f"/api/journeys/{journey_id}/nodes/cart/customers").get_json()["total"] == 0


def test_customers_query_is_validated_and_journey_must_exist(client, engine):
    journey_id = _run_cart(client, engine)
    bad = client.get(f"/api/journeys/{journey_id}/nodes/wait/customers?per_page=1000")
    assert bad.status_code == 400
    assert client.get("/api/journeys/999999/nodes/wait/customers").status_code == 404
    assert client.get("/api/journeys/999999/flow").status_code == 404


def test_flow_counts_split_by_handle_and_messages(client, engine, mail):
    journey_id = _run_cart(client, engine)
    track(client, "p-bob", "bob", "purchase", product="Serum", total=500)
    engine.run_jobs()
    engine.advance_clock(minutes=61)

    flow = client.get(f"/api/journeys/{journey_id}/flow").get_json()
    assert flow["handles"]["cart"] == {"next": 3}
    assert flow["handles"]["wait"] == {"next": 3}
    assert flow["handles"]["bought"] == {"yes": 1, "no": 2}
    assert flow["messages"]["remind"]["sent"] == 2
    assert flow["messages"]["remind"]["failed"] == 0


def test_event_names_with_counts_and_last_seen(client, engine):
    assert client.get("/api/events/names").get_json() == {"events": []}
    customer(client, "erin", "Erin")
    track(client, "v-1", "erin", "page_viewed")
    track(client, "v-2", "erin", "page_viewed")
    track(client, "c-1", "erin", "cart_updated", total=10)
    names = client.get("/api/events/names").get_json()["events"]
    assert [(n["name"], n["count"]) for n in names] == [("page_viewed", 2), ("cart_updated", 1)]
    assert all(n["last_seen"] for n in names)
    assert client.get("/api/events/names?limit=1").get_json()["events"][0]["name"] == "page_viewed"
    assert client.get("/api/events/names?limit=0").status_code == 400
