"""The HTTP API end to end: payload errors, lifecycle (publish / pause / resume / edit / delete), customers,
messages and outbox, and delivery failures — with the real queues, ticker, databases and SMTP catcher."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from tests.integration.journeys import GRAPH, assert_conserved, counts, customer, node_count, publish, track
from wayfinder.devtools.embedded_redis import free_port
from wayfinder.extensions import db
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Enrollment, Event, StepHistory

MISSING = ["Missing data for required field."]


# trigger → email → exit: the email is sent the moment a customer enters.
def mail_graph() -> dict:
    g = GraphBuilder()
    g.chain(
        g.trigger("signup", event="signed_up"),
        g.email("welcome", subject="Welcome {{ customer.first_name }}", body="<p>Hello {{ event.plan }}</p>"),
        g.exit("done"),
    )
    return g.build()


MAIL_GRAPH = mail_graph()


def create(client, graph=None, name="J"):
    response = client.post("/api/journeys", json={"name": name, **({"graph": graph} if graph else {})})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def enrollments():
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Enrollment))


def assert_400(response, fields):
    assert response.status_code == 400, response.get_json()
    assert response.get_json() == {"error": "validation_error", "message": "Invalid payload", "fields": fields}


# --- payload errors --------------------------------------------------------------------------------


def test_missing_name(client):
    assert_400(client.post("/api/journeys", json={}), {"name": MISSING})
    assert_400(client.post("/api/journeys", json={"name": ""}), {"name": ["Length must be between 1 and 200."]})


def test_wrong_types(client):
    assert_400(
        client.post("/api/journeys", json={"name": 5, "description": ["x"]}),
        {"name": ["Not a valid string."], "description": ["Not a valid string."]},
    )
    journey = create(client)
    assert_400(
        client.put(f"/api/journeys/{journey['id']}", json={"revision": "1"}), {"revision": ["Not a valid integer."]}
    )
    assert_400(client.put(f"/api/journeys/{journey['id']}", json={"name": "x"}), {"revision": MISSING})
    assert_400(
        client.post("/api/customers", json={"external_id": "a", "attributes": []}),
        {"attributes": ["Not a valid mapping type."]},
    )


def test_graph_shape_errors_are_nested(client):
    response = client.post(
        "/api/journeys", json={"name": "x", "graph": {"nodes": [{"id": "a", "type": "exit"}, {"id": "b"}]}}
    )
    assert_400(response, {"graph": {"nodes": {"1": {"type": MISSING}}}})


def test_bad_email(client):
    assert_400(
        client.post("/api/customers", json={"external_id": "a", "email": "not-an-email"}),
        {"email": ["Not a valid email address."]},
    )


def test_event_batch_item_errors_use_the_index(client):
    response = client.post(
        "/api/events/batch",
        json={
            "events": [
                {"event_id": "ok-1", "customer_id": "c", "name": "page_view"},
                {"event_id": "bad-1", "customer_id": "c"},
                {"event_id": "ok-2", "customer_id": "c", "name": "page_view"},
                {"event_id": "bad-2", "customer_id": "c", "name": "x", "timestamp": "yesterday"},
            ]
        },
    )
    assert_400(response, {"events": {"1": {"name": MISSING}, "3": {"timestamp": ["Not a valid datetime."]}}})
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0  # nothing of a bad batch is stored


def test_event_batch_over_1000_is_refused(client):
    events = [{"event_id": f"e{i}", "customer_id": "c", "name": "x"} for i in range(1001)]
    assert_400(
        client.post("/api/events/batch", json={"events": events}), {"events": ["Length must be between 1 and 1000."]}
    )
    assert_400(
        client.post("/api/events/batch", json={"events": []}), {"events": ["Length must be between 1 and 1000."]}
    )


def test_non_json_body(client):
    not_json = client.post("/api/journeys", data="name=x", content_type="application/x-www-form-urlencoded")
    assert_400(not_json, {"_schema": ["The body must be a JSON object."]})
    broken = client.post("/api/events", data="{not json", content_type="application/json")
    assert_400(broken, {"_schema": ["The body must be a JSON object."]})
    array = client.post("/api/customers", json=[{"external_id": "a"}])
    assert_400(array, {"_schema": ["The body must be a JSON object."]})


def test_unknown_journey_and_customer_are_404(client):
    for method, path in [
        ("get", "/api/journeys/999999"),
        ("put", "/api/journeys/999999"),
        ("delete", "/api/journeys/999999"),
        ("post", "/api/journeys/999999/publish"),
        ("post", "/api/journeys/999999/pause"),
        ("get", "/api/journeys/999999/counts"),
    ]:
        kwargs = {"json": {"revision": 1}} if method == "put" else {}
        response = getattr(client, method)(path, **kwargs)
        assert response.status_code == 404, (method, path)
        assert response.get_json() == {"error": "not_found", "message": "Journey 999999 not found"}
    response = client.get("/api/customers/nobody")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found", "message": "Customer nobody not found"}
    assert client.get("/api/no-such-endpoint").get_json()["error"] == "not_found"


# --- drafts, revisions, validation, publishing -----------------------------------------------------


def test_stale_revision_is_409_with_current_revision(client):
    journey = create(client, GRAPH)
    assert journey["revision"] == 1
    first = client.put(f"/api/journeys/{journey['id']}", json={"revision": 1, "name": "Renamed"})
    assert first.status_code == 200
    assert (first.get_json()["revision"], first.get_json()["name"]) == (2, "Renamed")
    stale = client.put(f"/api/journeys/{journey['id']}", json={"revision": 1, "name": "Mine"})
    assert stale.status_code == 409
    body = stale.get_json()
    assert (body["error"], body["current_revision"]) == ("conflict", 2)
    assert client.get(f"/api/journeys/{journey['id']}").get_json()["name"] == "Renamed"


def test_invalid_draft_saves_but_does_not_publish(client):
    journey = create(client)
    broken = copy.deepcopy(GRAPH)
    broken["nodes"][1]["data"]["settings"] = {"amount": 0, "unit": "hours"}
    # The condition's `yes` left open.
    broken["edges"] = [e for e in broken["edges"] if (e["source"], e.get("sourceHandle")) != ("bought", "yes")]
    saved = client.put(f"/api/journeys/{journey['id']}", json={"revision": 1, "graph": broken})
    assert saved.status_code == 200
    assert saved.get_json()["graph"]["nodes"][1]["data"]["settings"] == {"amount": 0, "unit": "hours"}

    response = client.post(f"/api/journeys/{journey['id']}/publish")
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid_journey"
    located = sorted((e["code"], e["node_id"], e["edge_id"], e["field"]) for e in body["errors"])
    assert located == [
        ("handle_unconnected", "bought", None, "yes"),
        ("invalid_settings", "wait", None, "amount"),
        ("unreachable", "done", None, None),
    ]
    assert all(set(e) == {"node_id", "edge_id", "code", "message", "field", "severity"} for e in body["errors"])
    after = client.get(f"/api/journeys/{journey['id']}").get_json()
    assert (after["status"], after["versions"], after["live_version"]) == ("draft", [], None)


def test_validate_posted_graph_and_saved_draft(client):
    journey = create(client, GRAPH)
    path = f"/api/journeys/{journey['id']}/validate"
    assert client.post(path).get_json() == {"valid": True, "problems": []}  # the saved draft

    posted = copy.deepcopy(GRAPH)
    posted["edges"].append({"id": "loop", "source": "remind", "target": "wait"})
    body = client.post(path, json={"graph": posted}).get_json()
    assert body["valid"] is False
    assert sorted((e["code"], e["node_id"], e["severity"]) for e in body["problems"]) == [
        ("cycle", "bought", "error"),
        ("cycle", "remind", "error"),
        ("cycle", "wait", "error"),
    ]
    # The posted graph is only checked, never saved.
    assert client.get(f"/api/journeys/{journey['id']}").get_json()["revision"] == 1
    assert_400(client.post(path, json={"graph": {"nodes": "x"}}), {"graph": {"nodes": ["Not a valid list."]}})


def test_publish_lists_the_version(client):
    journey = create(client, GRAPH)
    response = client.post(f"/api/journeys/{journey['id']}/publish")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "published"
    assert body["live_version"] == 1
    assert body["has_unpublished_changes"] is False
    assert [(v["number"], v["status"]) for v in body["versions"]] == [(1, "published")]
    assert body["versions"][0]["published_at"]
    assert body["revision"] == 2
    # The stored graph has its settings normalised (defaults filled).
    assert body["graph"]["nodes"][4]["data"]["settings"]["from_name"] == ""
    summary = next(j for j in client.get("/api/journeys").get_json()["journeys"] if j["id"] == journey["id"])
    assert (summary["status"], summary["live_version"], summary["entered"], summary["active"]) == ("published", 1, 0, 0)
    # Nothing left to publish.
    assert client.post(f"/api/journeys/{journey['id']}/publish").status_code == 409


def test_pause_and_resume_transitions(client):
    journey = create(client, GRAPH)
    base = f"/api/journeys/{journey['id']}"
    assert client.post(f"{base}/pause").status_code == 409  # never published
    assert client.post(f"{base}/resume").status_code == 409
    client.post(f"{base}/publish")
    assert client.post(f"{base}/resume").status_code == 409  # not paused
    paused = client.post(f"{base}/pause")
    assert paused.status_code == 200
    assert (paused.get_json()["status"], paused.get_json()["versions"][0]["status"]) == ("paused", "paused")
    again = client.post(f"{base}/pause")
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"
    resumed = client.post(f"{base}/resume")
    assert resumed.status_code == 200
    assert (resumed.get_json()["status"], resumed.get_json()["live_version"]) == ("published", 1)


def test_paused_journey_enrols_nobody(client, engine):
    journey_id = publish(client)
    assert client.post(f"/api/journeys/{journey_id}/pause").status_code == 200
    customer(client, "pat", "Pat")
    track(client, "p-1", "pat", "cart_updated", product="Tea", total=900)
    engine.run_jobs()
    assert enrollments() == 0
    assert counts(client, journey_id) == {}
    # Resuming does not enrol retroactively for events that arrived while paused; new events do enrol.
    assert client.post(f"/api/journeys/{journey_id}/resume").status_code == 200
    engine.run_jobs()
    assert enrollments() == 0
    track(client, "p-2", "pat", "cart_updated", product="Tea", total=900)
    engine.run_jobs()
    assert counts(client, journey_id)["wait"] == node_count(entered=1, waiting=1)
    assert engine.failed_jobs() == []


def test_paused_journey_holds_waiting_customers_until_resumed(client, engine, mail):
    journey_id = publish(client)
    customer(client, "quinn", "Quinn")
    track(client, "q-1", "quinn", "cart_updated", product="Lamp", total=2000)
    engine.run_jobs()
    assert counts(client, journey_id)["wait"]["waiting"] == 1

    assert client.post(f"/api/journeys/{journey_id}/pause").status_code == 200
    engine.advance_clock(hours=3)  # well past the wake time
    held = counts(client, journey_id)
    assert held["wait"] == node_count(entered=1, waiting=1)
    assert "bought" not in held
    assert mail.messages() == []

    assert client.post(f"/api/journeys/{journey_id}/resume").status_code == 200
    engine.advance_clock(minutes=1)
    final = counts(client, journey_id)
    assert final["wait"] == node_count(entered=1, moved_on=1)
    assert final["remind"] == node_count(entered=1, exited=1)
    assert [m["to"] for m in mail.wait_for(1)] == ["quinn@example.com"]
    assert_conserved(final)
    assert engine.failed_jobs() == []


def test_edit_after_publish_makes_a_draft_while_the_live_version_runs(client, engine):
    journey_id = publish(client)
    edited = copy.deepcopy(GRAPH)
    edited["nodes"][1]["data"]["settings"] = {"amount": 2, "unit": "days"}
    current = client.get(f"/api/journeys/{journey_id}").get_json()
    response = client.put(f"/api/journeys/{journey_id}", json={"revision": current["revision"], "graph": edited})
    assert response.status_code == 200
    body = response.get_json()
    assert body["has_unpublished_changes"] is True
    assert (body["status"], body["live_version"]) == ("published", 1)
    assert [(v["number"], v["status"]) for v in body["versions"]] == [(1, "published")]
    assert body["graph"]["nodes"][1]["data"]["settings"] == {"amount": 2, "unit": "days"}

    # The live version (1 hour wait) still enrols and advances customers.
    customer(client, "rae", "Rae")
    track(client, "r-1", "rae", "cart_updated", product="Mug", total=300)
    engine.run_jobs()
    engine.advance_clock(hours=1, minutes=5)
    assert counts(client, journey_id)["remind"]["exited"] == 1

    republished = client.post(f"/api/journeys/{journey_id}/publish").get_json()
    assert [(v["number"], v["status"]) for v in republished["versions"]] == [(1, "archived"), (2, "published")]
    assert (republished["live_version"], republished["has_unpublished_changes"]) == (2, False)
    assert_conserved(counts(client, journey_id))


def test_moving_steps_of_a_live_journey_is_not_an_unpublished_change(client):
    """Tidying up the canvas (auto-layout, a step dragged aside) changes nothing a customer goes through: the
    draft it saves does not "differ from the live version"; any real change still does."""
    journey_id = publish(client)
    base = f"/api/journeys/{journey_id}"
    live = client.get(base).get_json()
    moved = copy.deepcopy(GRAPH)  # as the editor sends it: settings not normalised, nodes and edges reordered
    for i, node in enumerate(moved["nodes"]):
        node["position"] = {"x": 37.5 * i, "y": 300 - 20 * i}
    moved["nodes"].reverse()
    moved["edges"].reverse()
    body = client.put(base, json={"revision": live["revision"], "graph": moved}).get_json()
    assert body["has_unpublished_changes"] is False
    # The editor shows the tidied draft.
    assert {n["id"]: n["position"] for n in body["graph"]["nodes"]} == {n["id"]: n["position"] for n in moved["nodes"]}

    renamed = copy.deepcopy(moved)
    renamed["nodes"][0]["data"]["label"] = "A new name"
    body = client.put(base, json={"revision": body["revision"], "graph": renamed}).get_json()
    assert body["has_unpublished_changes"] is True

    rewired = copy.deepcopy(moved)
    rewired["nodes"][-1]["data"]["settings"]["event"] = "checkout_started"
    body = client.put(base, json={"revision": body["revision"], "graph": rewired}).get_json()
    assert body["has_unpublished_changes"] is True

    # Back to the live behaviour, positions still moved: nothing to publish again.
    body = client.put(base, json={"revision": body["revision"], "graph": moved}).get_json()
    assert body["has_unpublished_changes"] is False


def test_delete_never_published_journey(client):
    journey = create(client, GRAPH)
    response = client.delete(f"/api/journeys/{journey['id']}")
    assert response.status_code == 204 and response.data == b""
    assert client.get(f"/api/journeys/{journey['id']}").status_code == 404
    assert journey["id"] not in [j["id"] for j in client.get("/api/journeys").get_json()["journeys"]]


def test_delete_published_journey_archives_it(client, engine):
    journey_id = publish(client)
    assert client.delete(f"/api/journeys/{journey_id}").status_code == 204
    body = client.get(f"/api/journeys/{journey_id}").get_json()
    assert body["status"] == "archived"
    assert [v["status"] for v in body["versions"]] == ["archived"]
    assert body["live_version"] is None
    customer(client, "sam", "Sam")
    track(client, "s-1", "sam", "cart_updated", product="Pen", total=5000)
    engine.run_jobs()
    assert enrollments() == 0
    edit = client.put(f"/api/journeys/{journey_id}", json={"revision": body["revision"], "name": "x"})
    assert edit.status_code == 409


# --- customers -------------------------------------------------------------------------------------


def test_customer_upsert_creates_then_merges(client):
    created = client.post(
        "/api/customers",
        json={"external_id": "uma", "email": "uma@example.com", "attributes": {"first_name": "Uma", "tier": "gold"}},
    )
    assert created.status_code == 201
    assert created.get_json()["attributes"] == {"first_name": "Uma", "tier": "gold"}
    updated = client.post("/api/customers", json={"external_id": "uma", "attributes": {"tier": None, "city": "Tainan"}})
    assert updated.status_code == 200
    body = updated.get_json()
    assert (body["external_id"], body["email"]) == ("uma", "uma@example.com")  # email kept when not given
    assert body["attributes"] == {"first_name": "Uma", "city": "Tainan"}  # merged, null removes
    assert client.get("/api/customers/uma").get_json()["attributes"] == {"first_name": "Uma", "city": "Tainan"}


def test_customers_pagination(client):
    for i in range(5):
        assert client.post("/api/customers", json={"external_id": f"p{i}"}).status_code == 201
    page = client.get("/api/customers?limit=2&offset=0").get_json()
    assert page["total"] == 5
    assert [c["external_id"] for c in page["customers"]] == ["p0", "p1"]
    assert [c["external_id"] for c in client.get("/api/customers?limit=2&offset=2").get_json()["customers"]] == [
        "p2",
        "p3",
    ]
    assert [c["external_id"] for c in client.get("/api/customers?limit=2&offset=4").get_json()["customers"]] == ["p4"]
    assert client.get("/api/customers?offset=10").get_json() == {"customers": [], "total": 5}
    assert_400(
        client.get("/api/customers?limit=0"),
        {"limit": ["Must be greater than or equal to 1 and less than or equal to 500."]},
    )
    assert_400(client.get("/api/customers?limit=many"), {"limit": ["Not a valid integer."]})


# --- messages, outbox, delivery failures -----------------------------------------------------------


def messages(client, journey_id):
    return client.get(f"/api/messages?journey_id={journey_id}").get_json()["messages"]


def test_outbox_returns_caught_mail(client, engine, mail):
    journey_id = publish(client, MAIL_GRAPH, name="Welcome")
    customer(client, "vic", "Vic")
    track(client, "v-1", "vic", "signed_up", plan="Pro")
    engine.run_jobs()
    assert len(mail.wait_for(1)) == 1
    outbox = client.get("/api/outbox").get_json()
    assert outbox["enabled"] is True
    [caught] = outbox["mails"]
    assert (caught["to"], caught["subject"]) == ("vic@example.com", "Welcome Vic")
    assert "<p>Hello Pro</p>" in caught["html"]
    assert "Hello Pro" in caught["text"]
    assert {"id", "from", "to", "subject", "date", "html", "text"} <= set(caught)
    [message] = messages(client, journey_id)
    assert (message["customer_id"], message["status"], message["attempts"], message["error"]) == (
        "vic",
        "sent",
        1,
        None,
    )
    assert_conserved(counts(client, journey_id))


def test_messages_name_their_journey_and_step_as_the_editor_shows_them(client, engine, mail):
    graph = copy.deepcopy(MAIL_GRAPH)
    next(n for n in graph["nodes"] if n["id"] == "welcome")["data"]["label"] = "Welcome mail"
    journey_id = publish(client, graph, name="Onboarding")
    other_id = publish(client, MAIL_GRAPH, name="Unlabelled")
    customer(client, "ola", "Ola")
    track(client, "o-1", "ola", "signed_up", plan="Pro")
    engine.run_jobs()
    assert len(mail.wait_for(2)) == 2
    [message] = messages(client, journey_id)
    assert (message["journey_name"], message["node_id"], message["step_name"]) == (
        "Onboarding",
        "welcome",
        "Welcome mail",
    )
    [unlabelled] = messages(client, other_id)
    assert (unlabelled["journey_name"], unlabelled["step_name"]) == ("Unlabelled", None)

    # A renamed step in the draft is named as the editor now shows it.
    journey = client.get(f"/api/journeys/{journey_id}").get_json()
    next(n for n in journey["graph"]["nodes"] if n["id"] == "welcome")["data"]["label"] = "Hello mail"
    saved = client.put(f"/api/journeys/{journey_id}", json={"revision": journey["revision"], "graph": journey["graph"]})
    assert saved.status_code == 200
    both = client.get("/api/messages").get_json()["messages"]
    assert sorted((m["journey_name"], m["step_name"]) for m in both) == [
        ("Onboarding", "Hello mail"),
        ("Unlabelled", None),
    ]


def test_failed_smtp_send_is_retried_by_the_ticker_and_never_lost(client, engine, mail, app, monkeypatch):
    journey_id = publish(client, MAIL_GRAPH, name="Welcome")
    customer(client, "wes", "Wes")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nothing listens there
    track(client, "w-1", "wes", "signed_up", plan="Basic")
    engine.run_jobs()

    [message] = messages(client, journey_id)
    assert (message["status"], message["attempts"]) == ("pending", 1)
    assert message["error"] and message["error"].startswith("SMTP error")
    assert message["sent_at"] is None
    assert mail.messages() == []
    # The customer did not wait for the mail: the path went on to the exit.
    assert counts(client, journey_id)["done"] == node_count(entered=1, exited=1)

    monkeypatch.setitem(app.config, "SMTP_PORT", mail.port)
    engine.advance_clock(minutes=5)  # past the 30 s backoff: the ticker hands the message out again
    [message] = messages(client, journey_id)
    assert (message["status"], message["attempts"], message["error"]) == ("sent", 2, None)
    assert message["sent_at"] is not None
    caught = mail.wait_for(1)
    assert [(m["to"], m["subject"]) for m in caught] == [("wes@example.com", "Welcome Wes")]

    engine.advance_clock(minutes=30)  # nothing left to retry: no second copy
    assert len(mail.messages()) == 1
    assert messages(client, journey_id)[0]["attempts"] == 2
    assert_conserved(counts(client, journey_id))
    assert engine.failed_jobs() == []


def test_customer_without_email_is_unreachable_and_moves_on(client, engine, mail):
    """No address: no message; the customer leaves through `unreachable`, and through `next` when that is not
    connected (as here), with the reason in their step history."""
    journey_id = publish(client, MAIL_GRAPH, name="Welcome")
    assert (
        client.post("/api/customers", json={"external_id": "xan", "attributes": {"first_name": "Xan"}}).status_code
        == 201
    )
    track(client, "x-1", "xan", "signed_up", plan="Pro")
    engine.run_jobs()
    assert messages(client, journey_id) == []
    reason = db.session.scalar(select(StepHistory.reason).where(StepHistory.from_node == "welcome"))
    assert reason == "Unreachable: No email address"
    final = counts(client, journey_id)
    assert final["welcome"] == node_count(entered=1, moved_on=1)
    assert final["done"] == node_count(entered=1, exited=1)
    assert_conserved(final)
    engine.advance_clock(hours=1)
    assert mail.messages() == []
    assert engine.failed_jobs() == []
