"""POST /api/journeys/<id>/validate with the workspace's data: warnings for names no stored customer or event
has (they never block publishing), and the engagement step error."""

from __future__ import annotations

import copy

from tests.integration.journeys import GRAPH, customer, track
from wayfinder.journeys.builder import GraphBuilder


def create(client, graph):
    return client.post("/api/journeys", json={"name": "J", "graph": graph}).get_json()["id"]


def validate(client, journey_id, graph):
    return client.post(f"/api/journeys/{journey_id}/validate", json={"graph": graph}).get_json()


def with_mail(subject, body):
    g = copy.deepcopy(GRAPH)
    mail = next(n for n in g["nodes"] if n["id"] == "remind")
    mail["data"]["settings"].update(subject=subject, body=body)
    return g


def warnings(body):
    return sorted((w["code"], w["node_id"], w["field"], w["severity"]) for w in of(body, "warning"))


def of(body, severity):
    """The problems of one severity (the answer lists them all in one `problems` list, errors first)."""
    return [p for p in body["problems"] if p["severity"] == severity]


def test_a_new_workspace_gets_no_name_warnings(client):
    jid = create(client, GRAPH)
    body = validate(client, jid, with_mail("{{ customer.nickname }}", "<p>{{ event.colour }}</p>"))
    assert body == {"valid": True, "problems": []}


def test_unknown_template_variable_against_stored_customers_and_trigger_events(client):
    customer(client, "c1", "Ann")  # attributes: first_name
    track(client, "ev1", "c1", "cart_updated", product="Lamp", total=120)
    track(client, "ev2", "c1", "page_viewed", colour="red")  # not a trigger of this journey
    jid = create(client, GRAPH)
    assert validate(client, jid, GRAPH)["problems"] == []  # first_name, product and total are all known

    body = validate(
        client,
        jid,
        with_mail(
            "{{ customer.nickname }} {{ customer.email }}", "<p>{{ event.colour }} {{ customer.first_name }}</p>"
        ),
    )
    assert body["valid"] is True and of(body, "error") == []
    assert warnings(body) == [
        ("unknown_template_variable", "remind", "body", "warning"),
        ("unknown_template_variable", "remind", "subject", "warning"),
    ]
    messages = sorted(w["message"] for w in of(body, "warning"))
    assert "'nickname'" in messages[0] and "customer.nickname" in messages[0]
    assert "'colour'" in messages[1] and "event.colour" in messages[1]

    # A warning does not block publishing.
    saved = client.get(f"/api/journeys/{jid}").get_json()
    client.put(
        f"/api/journeys/{jid}", json={"revision": saved["revision"], "graph": with_mail("{{ customer.x }}", "b")}
    )
    assert client.post(f"/api/journeys/{jid}/publish").status_code == 200


def test_goal_event_unknown(client):
    customer(client, "c1", "Ann")
    track(client, "ev1", "c1", "purchase", total=10)
    jid = create(client, GRAPH)

    def goal(event):
        g = copy.deepcopy(GRAPH)
        g["nodes"].append(
            {"id": "won", "type": "goal", "position": {"x": 0, "y": 0}, "data": {"settings": {"event": event}}}
        )
        return g

    assert warnings(validate(client, jid, goal("purchase"))) == []  # seen in the events table
    assert warnings(validate(client, jid, goal("cart_updated"))) == []  # sent by the journey's trigger
    body = validate(client, jid, goal("purchse"))
    assert body["valid"] is True
    assert warnings(body) == [("goal_event_unknown", "won", "event", "warning")]
    assert "'purchse'" in of(body, "warning")[0]["message"]


def test_engagement_step_must_come_before_the_condition(client):
    g = GraphBuilder()
    g.chain(g.trigger("t", event="signup"), g.email("mail", subject="Hi", body="<p>x</p>"))
    g.connect("mail", g.condition("opened", kind="message", step="mail", engagement="opened"))
    g.connect("opened", g.exit("yes"), handle="yes")
    g.connect("opened", g.exit("no"), handle="no")
    good = g.build()
    jid = create(client, good)
    assert of(validate(client, jid, good), "error") == []

    bad = copy.deepcopy(good)
    next(n for n in bad["nodes"] if n["id"] == "opened")["data"]["settings"]["step"] = "t"
    body = validate(client, jid, bad)
    assert body["valid"] is False
    assert [(e["code"], e["node_id"], e["field"], e["severity"]) for e in body["problems"]] == [
        ("engagement_step_not_before", "opened", "step", "error")
    ]


def test_errors_and_warnings_come_in_one_list_errors_first(client):
    customer(client, "c1", "Ann")
    track(client, "ev1", "c1", "cart_updated", product="Lamp")
    jid = create(client, GRAPH)
    broken = with_mail("{{ customer.nickname }}", "<p>Hi</p>")
    next(n for n in broken["nodes"] if n["id"] == "wait")["data"]["settings"]["amount"] = 0
    body = validate(client, jid, broken)
    assert body["valid"] is False
    assert [(p["severity"], p["code"], p["node_id"]) for p in body["problems"]] == [
        ("error", "invalid_settings", "wait"),
        ("warning", "unknown_template_variable", "remind"),
    ]
