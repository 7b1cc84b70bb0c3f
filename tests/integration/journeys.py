"""Shared helpers of the integration tests: the cart journey and thin wrappers over the HTTP API."""

from __future__ import annotations

# cart → wait 1 h → bought? yes → done / no → remind (email; its `next` is left open, so the path ends there).
GRAPH = {
    "nodes": [
        {
            "id": "cart",
            "type": "event_trigger",
            "position": {"x": 0, "y": 0},
            "data": {
                "label": "Cart",
                "settings": {"event": "cart_updated", "filters": [{"property": "total", "op": "gte", "value": 100}]},
            },
        },
        {
            "id": "wait",
            "type": "wait",
            "position": {"x": 0, "y": 100},
            "data": {"settings": {"amount": 1, "unit": "hours"}},
        },
        {
            "id": "bought",
            "type": "condition",
            "position": {"x": 0, "y": 200},
            "data": {"settings": {"kind": "event", "event": "purchase"}},
        },
        {"id": "done", "type": "exit", "position": {"x": 0, "y": 300}, "data": {"settings": {}}},
        {
            "id": "remind",
            "type": "send_email",
            "position": {"x": 200, "y": 300},
            "data": {
                "settings": {
                    "subject": "{{ customer.first_name }}, your {{ event.product }} is waiting",
                    "body": "<p>Hi {{ customer.first_name }}, total NT$ {{ event.total }}</p>",
                }
            },
        },
    ],
    "edges": [
        {"id": "e1", "source": "cart", "sourceHandle": "next", "target": "wait"},
        {"id": "e2", "source": "wait", "sourceHandle": "next", "target": "bought"},
        {"id": "e3", "source": "bought", "sourceHandle": "yes", "target": "done"},
        {"id": "e4", "source": "bought", "sourceHandle": "no", "target": "remind"},
    ],
    "settings": {},
}


def publish(client, graph=GRAPH, name="Cart"):
    journey = client.post("/api/journeys", json={"name": name, "graph": graph}).get_json()
    response = client.post(f"/api/journeys/{journey['id']}/publish")
    assert response.status_code == 200, response.get_json()
    return journey["id"]


def customer(client, external_id, first_name, email=None):
    response = client.post(
        "/api/customers",
        json={
            "external_id": external_id,
            "email": email or f"{external_id}@example.com",
            "attributes": {"first_name": first_name},
        },
    )
    assert response.status_code in (200, 201), response.get_json()


def track(client, event_id, customer_id, name, **properties):
    response = client.post(
        "/api/events", json={"event_id": event_id, "customer_id": customer_id, "name": name, "properties": properties}
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def counts(client, journey_id):
    return client.get(f"/api/journeys/{journey_id}/counts").get_json()["nodes"]


def assert_conserved(node_counts):
    assert node_counts, "no counts at all"
    for node, c in node_counts.items():
        assert c["entered"] == c["waiting"] + c["moved_on"] + c["exited"] + c["errored"], node
        assert min(c.values()) >= 0, node
