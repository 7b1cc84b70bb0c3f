"""Shared helpers of the integration tests: the cart journey and thin wrappers over the HTTP API."""

from __future__ import annotations

from wayfinder.journeys.builder import GraphBuilder


def cart_graph() -> dict:
    """cart → wait 1 h → bought? yes → done / no → remind (email; its `next` is left open, so the path ends)."""
    g = GraphBuilder()
    g.chain(
        g.trigger(
            "cart", event="cart_updated", filters=[{"property": "total", "op": "gte", "value": 100}], label="Cart"
        ),
        g.wait("wait", hours=1),
        g.condition("bought", event="purchase"),
    )
    g.connect("bought", g.exit("done"), handle="yes")
    g.connect(
        "bought",
        g.email(
            "remind",
            subject="{{ customer.first_name }}, your {{ event.product }} is waiting",
            body="<p>Hi {{ customer.first_name }}, total NT$ {{ event.total }}</p>",
            x=200,
        ),
        handle="no",
    )
    return g.build()


GRAPH = cart_graph()


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


def node_count(entered=0, waiting=0, moved_on=0, exited=0, errored=0, converted=0) -> dict[str, int]:
    """One node's counts as /api/journeys/<id>/counts gives them; what is not given is 0."""
    return {
        "entered": entered,
        "waiting": waiting,
        "moved_on": moved_on,
        "exited": exited,
        "errored": errored,
        "converted": converted,
    }


def assert_conserved(node_counts):
    assert node_counts, "no counts at all"
    for node, c in node_counts.items():
        assert c["entered"] == c["waiting"] + c["moved_on"] + c["exited"] + c["errored"], node
        assert min(c.values()) >= 0, node


def logged_message(workspace_id: int, external_id: str, channel: str = "sms") -> int:
    """A message row of `workspace_id`'s customer `external_id` (for tests that need one to exist, not to be sent);
    its id. Call inside the app context, outside a request."""
    from sqlalchemy import select

    from wayfinder.extensions import db
    from wayfinder.models import Customer, Message
    from wayfinder.workspaces.scoping import scoped_to

    with scoped_to(db.session, workspace_id):
        customer_id = db.session.scalar(select(Customer.id).where(Customer.external_id == external_id))
        message = Message(
            workspace_id=workspace_id,
            idempotency_key=f"test:{workspace_id}:{external_id}:{channel}",
            customer_id=customer_id,
            node_id="text",
            channel=channel,
            to_address="+886912345678",
            payload={"text": "Hi"},
            subject="Hi",
            status="sent",
        )
        db.session.add(message)
        db.session.commit()
        message_id = message.id
    db.session.remove()
    return message_id
