"""Two workspaces (brands) with the same event names, the same customer external ids and the same event ids:
nothing crosses — enrolments, counts, messages, waits and goals, frequency caps, schedules, live rooms — and an
id of the other workspace answers 404 on every route of the OpenAPI document that takes one."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from tests.integration.accounts import make_member
from tests.integration.conftest import Workspaces
from tests.integration.routes import api_operations
from tests.integration.test_permissions_matrix import _in_app_message
from wayfinder.engine.publisher import publish_pending, room
from wayfinder.extensions import db, socketio
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import (
    DEFAULT_WORKSPACE_ID,
    Customer,
    Enrollment,
    Event,
    Journey,
    Message,
    MessageStatus,
    Workspace,
)
from wayfinder.workspaces.scoping import WrongWorkspace, scoped_to

A = DEFAULT_WORKSPACE_ID
CAP = {"frequency_caps": [{"channel": "email", "limit": 1, "period": "day"}]}


def _mail_journey(settings: dict | None = None) -> dict:
    g = GraphBuilder()
    g.chain(g.trigger("cart", event="cart_updated"), g.email("mail", subject="Hi {{ customer.first_name }}"))
    g.connect("mail", g.exit("done"))
    g.settings = settings or {}
    return g.build()


def _waiting_journey() -> dict:
    """cart → wait for an open (a day) → done; a goal on purchase."""
    g = GraphBuilder()
    g.chain(g.trigger("cart", event="cart_updated"), g.wait_for_event("opened", "email_opened", timeout={"days": 1}))
    g.connect("opened", g.exit("engaged"), handle="happened")
    g.connect("opened", g.exit("lost"), handle="timed_out")
    g.chain(g.goal("bought", "purchase"), g.exit("won"))
    return g.build()


def _track(client, event_id: str, customer: str, name: str, status: int = 202) -> dict:
    response = client.post("/api/events", json={"event_id": event_id, "customer_id": customer, "name": name})
    assert response.status_code == status, response.get_json()
    return response.get_json()


def _customer(client, external_id: str, email: str, first_name: str) -> None:
    response = client.post(
        "/api/customers", json={"external_id": external_id, "email": email, "attributes": {"first_name": first_name}}
    )
    assert response.status_code in (200, 201), response.get_json()


def _publish(client, graph: dict, name: str) -> int:
    journey = client.post("/api/journeys", json={"name": name, "graph": graph}).get_json()
    response = client.post(f"/api/journeys/{journey['id']}/publish")
    assert response.status_code == 200, response.get_json()
    return journey["id"]


@pytest.fixture
def brands(sim):
    """The default workspace (A) and a second one (B), each with the customers amy and ben."""
    ws = Workspaces(sim.app)
    b = ws.create("brand-b", name="Brand B", time_zone="Asia/Tokyo", language="en")
    for workspace, tag in ((A, "a"), (b, "b")):
        with ws.use(workspace):
            for name in ("amy", "ben"):
                _customer(sim.client, name, f"{name}@{tag}.example", f"{name}-{tag}")
    return ws, b


def _enrolled(journey_id: int) -> dict[str, int]:
    """{external id: workspace of the customer} of the journey's enrollments."""
    rows = db.session.execute(
        select(Customer.external_id, Customer.workspace_id)
        .join(Enrollment, Enrollment.customer_id == Customer.id)
        .where(Enrollment.journey_id == journey_id)
    ).all()
    db.session.remove()
    return dict(rows)


def test_same_event_name_and_ids_enrol_only_their_own_workspace(sim, brands):
    ws, b = brands
    with ws.use(A):
        journey_a = _publish(sim.client, _mail_journey(), "A cart")
    with ws.use(b):
        journey_b = _publish(sim.client, _mail_journey(), "B cart")

    with ws.use(A):
        assert _track(sim.client, "e-1", "amy", "cart_updated") == {"accepted": 1, "duplicates": 0}
    sim.runner.run_jobs()
    assert _enrolled(journey_a) == {"amy": A}
    assert _enrolled(journey_b) == {}
    assert sim.counts(journey_b) == {}

    with ws.use(b):  # the same event id is B's own first event, not a duplicate of A's
        assert _track(sim.client, "e-1", "amy", "cart_updated") == {"accepted": 1, "duplicates": 0}
        assert _track(sim.client, "e-1", "amy", "cart_updated") == {"accepted": 0, "duplicates": 1}
    sim.runner.run_jobs()
    assert _enrolled(journey_a) == {"amy": A}
    assert _enrolled(journey_b) == {"amy": b}
    assert sim.counts(journey_a)["cart"]["entered"] == 1 and sim.counts(journey_b)["cart"]["entered"] == 1
    events = db.session.execute(select(Event.workspace_id, Event.event_id).order_by(Event.workspace_id)).all()
    assert [tuple(e) for e in events] == [(A, "e-1"), (b, "e-1")]
    db.session.remove()

    # Each workspace's message log, journey list and event names show its own only.
    with ws.use(A):
        log = sim.client.get("/api/messages").get_json()["messages"]
        assert [(m["to"], m["journey_name"], m["subject"]) for m in log] == [("amy@a.example", "A cart", "Hi amy-a")]
        assert [j["name"] for j in sim.client.get("/api/journeys").get_json()["journeys"]] == ["A cart"]
        assert sim.client.get("/api/events/names").get_json()["events"][0]["count"] == 1
        assert sim.client.get("/api/customers").get_json()["total"] == 2
    with ws.use(b):
        log = sim.client.get("/api/messages").get_json()["messages"]
        assert [(m["to"], m["journey_name"]) for m in log] == [("amy@b.example", "B cart")]
        flow = sim.client.get(f"/api/journeys/{journey_b}/flow").get_json()
        assert flow["messages"]["mail"]["sent"] + flow["messages"]["mail"]["pending"] == 1
        at_step = sim.client.get(f"/api/journeys/{journey_b}/nodes/done/customers").get_json()
        assert at_step["total"] == 0
    rows = db.session.execute(select(Message.workspace_id, Message.to_address).order_by(Message.id)).all()
    assert [tuple(r) for r in rows] == [(A, "amy@a.example"), (b, "amy@b.example")]
    db.session.remove()


def test_waits_and_goals_hear_only_their_own_workspace(sim, brands):
    ws, b = brands
    journeys = {}
    for workspace in (A, b):
        with ws.use(workspace):
            journeys[workspace] = _publish(sim.client, _waiting_journey(), f"Wait {workspace}")
            _track(sim.client, "cart-1", "amy", "cart_updated")
            _track(sim.client, "cart-2", "ben", "cart_updated")
    sim.runner.run_jobs()
    for workspace in (A, b):
        assert sim.counts(journeys[workspace])["opened"]["waiting"] == 2

    with ws.use(A):  # amy of A opens: only A's amy moves on
        _track(sim.client, "open-1", "amy", "email_opened")
    with ws.use(b):  # ben of B buys: only B's ben converts
        _track(sim.client, "buy-1", "ben", "purchase")
    sim.runner.run_jobs()
    engaged = [("opened", "happened", "engaged", "event:email_opened"), ("engaged", None, None, None)]
    assert sim.paths(journeys[A])["amy"][-2:] == engaged
    assert sim.statuses(journeys[A]) == {"amy": "completed", "ben": "waiting"}
    assert sim.statuses(journeys[b]) == {"amy": "waiting", "ben": "converted"}
    counts_a, counts_b = sim.assert_conserved(journeys[A]), sim.assert_conserved(journeys[b])
    assert counts_a["opened"]["converted"] == 0 and counts_b["opened"]["converted"] == 1
    assert "engaged" not in counts_b and counts_a["engaged"]["exited"] == 1


def test_frequency_caps_count_per_workspace(sim, brands):
    ws, b = brands
    journeys = {}
    for workspace in (A, b):
        with ws.use(workspace):
            journeys[workspace] = _publish(sim.client, _mail_journey(CAP), "Capped")
    with ws.use(A):  # A's amy gets her one mail of the day; a second is held back by A's cap
        _track(sim.client, "c-1", "amy", "cart_updated")
        sim.runner.run_jobs()
        _track(sim.client, "c-2", "amy", "cart_updated")
        sim.runner.run_jobs()
    with ws.use(b):  # B's amy (same external id, another customer) is not held back by A's mail
        _track(sim.client, "c-1", "amy", "cart_updated")
        sim.runner.run_jobs()
    rows = db.session.execute(
        select(Message.workspace_id, Message.journey_id, Message.status, Message.to_address).order_by(Message.id)
    ).all()
    db.session.remove()
    assert [tuple(r) for r in rows] == [
        (A, journeys[A], MessageStatus.SENT, "amy@a.example"),
        (A, journeys[A], MessageStatus.SKIPPED, "amy@a.example"),
        (b, journeys[b], MessageStatus.SENT, "amy@b.example"),
    ]


def test_an_empty_schedule_audience_is_every_customer_of_its_own_workspace(sim, brands):
    ws, b = brands
    g = GraphBuilder()
    g.chain(g.schedule("daily", "daily", time="10:00"), g.exit("done"))
    graph = g.build()
    graph["settings"] = {"timezone": "Asia/Taipei"}
    with ws.use(b):
        journey_b = _publish(sim.client, graph, "Daily B")
    sim.advance(hours=2)  # 11:00 in Taipei: the 10:00 firing has run
    assert _enrolled(journey_b) == {"amy": b, "ben": b}
    counts = sim.counts(journey_b)
    assert counts["daily"]["entered"] == 2


def test_live_rooms_name_the_workspace_and_a_join_of_another_workspaces_journey_is_refused(sim, brands):
    ws, b = brands
    with ws.use(A):
        journey_a = _publish(sim.client, _mail_journey(), "A cart")
    with ws.use(b):
        journey_b = _publish(sim.client, _mail_journey(), "B cart")
    assert room(A, journey_a) != room(b, journey_a)

    socketio.server_options.pop("client_manager", None)
    socketio.init_app(sim.app, message_queue=None, async_mode="threading", cors_allowed_origins="*")
    viewer = socketio.test_client(sim.app, flask_test_client=sim.client)  # the signed-in owner of A's connection
    assert viewer.emit("join", {"journey_id": journey_a}, callback=True) == {"ok": True}
    refused = viewer.emit("join", {"journey_id": journey_b}, callback=True)
    assert refused == {"ok": False, "error": f"journey {journey_b} not found"}
    viewer.get_received()

    with ws.use(b):
        _track(sim.client, "e-1", "amy", "cart_updated")
    sim.runner.run_jobs()
    publish_pending()
    assert [m["name"] for m in viewer.get_received()] == []  # B's counts moved; A's room heard nothing
    with ws.use(A):
        _track(sim.client, "e-1", "amy", "cart_updated")
    sim.runner.run_jobs()
    publish_pending()
    deltas = [m["args"][0] for m in viewer.get_received() if m["name"] == "counts:delta"]
    assert [d["journey_id"] for d in deltas] == [journey_a]
    viewer.disconnect()


def test_new_rows_are_stamped_and_no_payload_sets_a_workspace(client, workspaces):
    b = workspaces.create("brand-b")
    answer = client.post("/api/customers", json={"external_id": "amy", "workspace_id": b})
    assert answer.status_code == 400 and "workspace_id" in answer.get_json()["fields"]
    answer = client.post("/api/journeys", json={"name": "x", "workspace_id": b})
    assert answer.status_code == 400 and "workspace_id" in answer.get_json()["fields"]
    with workspaces.use(b):
        assert client.post("/api/customers", json={"external_id": "amy"}).status_code == 201
        journey = client.post("/api/journeys", json={"name": "Tokyo"}).get_json()
    assert client.post("/api/customers", json={"external_id": "amy"}).status_code == 201  # A's own amy
    rows = db.session.execute(select(Customer.workspace_id, Customer.external_id).order_by(Customer.id)).all()
    assert [tuple(r) for r in rows] == [(b, "amy"), (A, "amy")]
    assert db.session.get(Journey, journey["id"]).workspace_id == b
    assert {v.workspace_id for v in db.session.get(Journey, journey["id"]).versions} == {b}
    db.session.remove()


def test_workspace_settings_api(client, workspaces):
    b = workspaces.create("brand-b", name="Brand B", time_zone="Asia/Tokyo", language="en")
    assert client.get("/api/workspace").get_json()["slug"] == "default"
    with workspaces.use(b):
        got = client.get("/api/workspace").get_json()
        assert got == {
            "id": b,
            "slug": "brand-b",
            "name": "Brand B",
            "time_zone": "Asia/Tokyo",
            "language": "en",
            "sender_name": None,
            "sender_email": None,
            "test_recipients": [],
        }
        bad = client.patch(
            "/api/workspace",
            json={"time_zone": "Mars/Olympus", "language": "fr", "sender_email": "nope", "slug": "x", "id": 1},
        )
        assert bad.status_code == 400
        assert set(bad.get_json()["fields"]) == {"time_zone", "language", "sender_email", "slug", "id"}
        changed = client.patch(
            "/api/workspace", json={"time_zone": "Europe/Paris", "sender_name": "B Shop", "sender_email": "hi@b.tw"}
        ).get_json()
        assert (changed["time_zone"], changed["sender_name"], changed["sender_email"]) == (
            "Europe/Paris",
            "B Shop",
            "hi@b.tw",
        )
        # A new journey of B runs in B's zone unless it says otherwise.
        journey = client.post("/api/journeys", json={"name": "Paris"}).get_json()
        assert journey["graph"]["settings"]["timezone"] == "Europe/Paris"
    assert client.get("/api/workspace").get_json()["time_zone"] == "Asia/Taipei"  # A's untouched
    journey = client.post("/api/journeys", json={"name": "Taipei"}).get_json()
    assert journey["graph"]["settings"]["timezone"] == "Asia/Taipei"


# Valid bodies for the operations that take one, by operationId: the request must reach the look-up (a body
# that fails validation would answer 400 before it). An operation with a body missing here fails the test.
BODIES = {
    "journeys.update_journey": {"revision": 1, "name": "Renamed"},
    "journeys.validate_journey": {},
    "journeys.enrol_customers": {"request_id": "r-1", "customer_ids": ["amy"]},
    "members.change_role": {"role": "viewer"},
    "channel_accounts.update_account": {"name": "Renamed"},
}


def test_every_route_by_id_answers_404_for_another_workspaces_object(app, client, workspaces):
    b = workspaces.create("brand-b")
    member_of_b = make_member(app, "bee@brand-b.tw", "marketer", workspace_id=b)
    with workspaces.use(b):
        invitation = client.post("/api/invitations", json={"email": "new@brand-b.tw", "role": "viewer"}).get_json()
        g = GraphBuilder()
        g.chain(g.manual("cart"), g.exit("done"))
        journey = client.post("/api/journeys", json={"name": "B only", "graph": g.build()}).get_json()
        assert client.post(f"/api/journeys/{journey['id']}/publish").status_code == 200
        assert client.post("/api/customers", json={"external_id": "only-in-b"}).status_code == 201
        key = client.post("/api/keys", json={"name": "B's shop", "scopes": ["track"]}).get_json()
        account = client.post(
            "/api/channel-accounts", json={"channel": "email", "provider": "sandbox", "name": "B's mail"}
        ).get_json()
    message_id = _in_app_message(app, b, "only-in-b", "b-card")  # any message; an in-app one can also be read
    values = {
        "message_id": message_id,
        "journey_id": journey["id"],
        "external_id": "only-in-b",
        "node_id": "cart",
        "user_id": member_of_b,
        "invitation_id": invitation["id"],
        "key_id": key["id"],
        "account_id": account["id"],
    }

    operations = []
    for op in api_operations(client.get("/api/openapi.json").get_json()):
        if not op.params:
            continue
        if op.body_required:
            assert op.operation_id in BODIES, f"{op.operation_id}: add a valid body to BODIES"
        operations.append((0, op.method, op.url(values), BODIES.get(op.operation_id)))
    assert len(operations) >= 12

    answers = {}
    for _order, method, url, body in operations:  # as the default workspace: B's objects do not exist
        response = getattr(client, method)(url, json=body)
        answers[f"{method.upper()} {url}"] = response.status_code
    assert set(answers.values()) == {404}, answers
    # And the same requests as B find them (so the 404s above are about the workspace, not the values).
    with workspaces.use(b):
        for _order, method, url, body in operations:
            response = getattr(client, method)(url, json=body)
            assert response.status_code != 404, (method, url, response.get_json())

    # A preview as another workspace's customer: that customer does not exist here either.
    preview = client.post("/api/email/preview", json={"subject": "Hi", "body": "<p>Hi</p>", "customer_id": "only-in-b"})
    assert preview.status_code == 404, preview.get_json()


def test_create_workspace_command(app, wayfinder):
    def run(*args: str):
        return wayfinder("create-workspace", *args)

    done = run("--slug", "dforce-tw", "--name", "DForce 台灣", "--time-zone", "Asia/Tokyo", "--language", "en")
    assert done.returncode == 0, done.stderr
    assert "'dforce-tw' created" in done.stdout
    again = run("--slug", "dforce-tw", "--name", "Again")
    assert again.returncode == 2 and "exists already" in again.stderr
    assert run("--slug", "x", "--name", "X", "--time-zone", "Mars/Olympus").returncode == 2
    assert run("--slug", "Not A Slug", "--name", "X").returncode == 2
    rows = db.session.execute(select(Workspace.slug, Workspace.name, Workspace.time_zone, Workspace.language)).all()
    db.session.remove()
    assert sorted(tuple(r) for r in rows) == [
        ("default", "Default workspace", "Asia/Taipei", "zh-TW"),
        ("dforce-tw", "DForce 台灣", "Asia/Tokyo", "en"),
    ]


def test_mail_goes_out_under_each_workspaces_sender_and_each_outbox_shows_its_own(
    app, client, engine, mail, workspaces
):
    b = workspaces.create("brand-b")
    with workspaces.use(b):
        assert (
            client.patch(
                "/api/workspace",
                json={"sender_name": "B Shop", "sender_email": "hi@b.tw", "test_recipients": ["me@b.tw"]},
            ).status_code
            == 200
        )
    for workspace, tag in ((A, "a"), (b, "b")):
        with workspaces.use(workspace):
            _customer(client, "amy", f"amy@{tag}.example", f"amy-{tag}")
            _publish(client, _mail_journey(), f"Cart {tag}")
            _track(client, "e-1", "amy", "cart_updated")
    engine.run_jobs()
    caught = {m["to"]: m["from"] for m in mail.wait_for(2)}
    assert caught == {"amy@a.example": app.config["MAIL_FROM"], "amy@b.example": "B Shop <hi@b.tw>"}

    with workspaces.use(b):
        sent = client.post("/api/email/test", json={"to": "me@b.tw", "subject": "Hi", "body": "<p>Hi</p>"})
        assert sent.status_code == 200, sent.get_json()
        assert mail.wait_for(3)[0]["from"] == "B Shop <hi@b.tw>"
        outbox = client.get("/api/outbox").get_json()["mails"]
        assert sorted(m["to"] for m in outbox) == ["amy@b.example", "me@b.tw"]
    assert [m["to"] for m in client.get("/api/outbox").get_json()["mails"]] == ["amy@a.example"]


def test_the_choke_point_outside_views(app, client, workspaces):
    """`scoped_to` scopes a session outside a request; a request context without a workspace sees nothing; a
    request never writes a row of another workspace."""
    b = workspaces.create("brand-b")
    with workspaces.use(b):
        client.post("/api/customers", json={"external_id": "amy"})
    client.post("/api/customers", json={"external_id": "ann"})
    db.session.remove()

    everyone = select(Customer.external_id).order_by(Customer.external_id)
    assert db.session.scalars(everyone).all() == ["amy", "ann"]  # a job or the CLI: unscoped
    with scoped_to(db.session, b):
        assert db.session.scalars(everyone).all() == ["amy"]
        db.session.add(Customer(external_id="bob", attributes={}))
        db.session.flush()
    assert db.session.scalars(select(Customer.workspace_id).where(Customer.external_id == "bob")).all() == [b]
    db.session.rollback()

    with app.test_request_context("/api/customers"):
        assert db.session.scalars(everyone).all() == []  # no workspace decided: nothing visible (fail closed)
        g.workspace_id = A
        assert db.session.scalars(everyone).all() == ["ann"]
        db.session.add(Customer(workspace_id=b, external_id="eve", attributes={}))
        with pytest.raises(WrongWorkspace):
            db.session.flush()
        db.session.rollback()
    db.session.remove()
