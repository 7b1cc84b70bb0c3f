"""What a role sees: a viewer's answers with personal data masked on every surface (customers, the customers at a
step, the preview's customer picker, the message log, the outbox), the same answers unmasked for a marketer;
the dev tools only in development mode and for admins; /healthz's detail for admins; no payload that sets a
role, a workspace or an owner; the live socket's join by the same matrix."""

from __future__ import annotations

import pytest
from flask import g

from tests.integration.accounts import OWNER_EMAIL, make_member, sign_in
from wayfinder import create_app
from wayfinder.auth.permissions import MATRIX
from wayfinder.extensions import socketio
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.schemas.personal import is_personal_attribute, mask

AMY = {
    "external_id": "amy",
    "email": "amy.chen@example.com",
    "attributes": {"first_name": "Amy", "phone": "0912345678"},
}
AMY["attributes"].update({"Last Name": "Chen", "mobile_number": "+886 912 345 678", "city": "Taipei", "tier": 3})


def _member(app, role: str):
    make_member(app, f"{role}@example.com", role)
    return sign_in(app, f"{role}@example.com")


@pytest.fixture
def people(sim):
    """amy (with a name, phone and email) waiting at a step of a live journey that emailed her."""
    assert sim.client.post("/api/customers", json=AMY).status_code == 201
    graph = GraphBuilder()
    graph.chain(graph.trigger("cart", event="cart_updated"), graph.email("mail", subject="Hi"))
    graph.chain("mail", graph.wait("hold", 1, "days"), graph.exit("done"))
    journey = sim.publish(graph.build(), "Cart")
    sim.track([("amy", "cart_updated", {})])
    return {"journey": journey, "marketer": _member(sim.app, "marketer"), "viewer": _member(sim.app, "viewer")}


def _surfaces(client, journey: int) -> dict:
    customer = client.get("/api/customers/amy").get_json()
    listed = client.get("/api/customers").get_json()["customers"][0]
    at_step = client.get(f"/api/journeys/{journey}/nodes/hold/customers").get_json()["customers"][0]
    message = client.get("/api/messages").get_json()["messages"][0]
    return {
        "email": customer["email"],
        "attributes": customer["attributes"],
        "listed": (listed["email"], listed["attributes"]["first_name"]),
        "at_step": (at_step["customer_id"], at_step["email"], at_step["name"]),
        "to": message["to"],
    }


def test_a_viewer_gets_every_customer_surface_masked_a_marketer_unmasked(sim, people):
    journey = people["journey"]
    seen = _surfaces(people["marketer"], journey)
    assert seen == {
        "email": "amy.chen@example.com",
        "attributes": AMY["attributes"],
        "listed": ("amy.chen@example.com", "Amy"),
        "at_step": ("amy", "amy.chen@example.com", "Amy"),
        "to": "amy.chen@example.com",
    }
    masked = _surfaces(people["viewer"], journey)
    assert masked == {
        "email": "a•••@e•••.com",
        "attributes": {
            "first_name": "A•••",
            "Last Name": "C•••",
            "phone": "•••78",
            "mobile_number": "•••78",
            "city": "Taipei",  # not personal: analytics a viewer may read
            "tier": 3,
        },
        "listed": ("a•••@e•••.com", "A•••"),
        "at_step": ("amy", "a•••@e•••.com", "A•••"),
        "to": "a•••@e•••.com",
    }
    # Searching by email would tell a viewer what the mask hides: the viewer's search matches ids only.
    search = "/nodes/hold/customers?q=chen@"
    assert people["marketer"].get(f"/api/journeys/{journey}{search}").get_json()["total"] == 1
    assert people["viewer"].get(f"/api/journeys/{journey}{search}").get_json()["total"] == 0
    assert people["viewer"].get(f"/api/journeys/{journey}/nodes/hold/customers?q=am").get_json()["total"] == 1
    # The analyst reads everything, personal data included.
    assert _surfaces(_member(sim.app, "analyst"), journey) == seen


def test_the_preview_picker_and_identify_answers_are_masked_without_personal_read(app, client):
    assert client.post("/api/customers", json=AMY).get_json()["email"] == "amy.chen@example.com"
    picker = client.get("/api/email/preview-customers?q=amy").get_json()["customers"]
    assert picker[0]["email"] == "amy.chen@example.com"
    # A track key (a shop's server) may identify, but the answer tells it nothing stored about the customer.
    key = client.post("/api/keys", json={"name": "Shop", "scopes": ["track"]}).get_json()["key"]
    shop = app.test_client().post(
        "/api/customers", json={"external_id": "amy"}, headers={"Authorization": f"Bearer {key}"}
    )
    assert shop.status_code == 200
    assert shop.get_json()["email"] == "a•••@e•••.com"
    assert shop.get_json()["attributes"]["first_name"] == "A•••"
    # A signed-in viewer may not send events or identify at all (the matrix holds on the open intake too).
    viewer = _member(app, "viewer")
    assert viewer.post("/api/customers", json={"external_id": "amy"}).status_code == 403
    assert viewer.post("/api/events", json={"event_id": "v", "customer_id": "amy", "name": "x"}).status_code == 403
    assert viewer.get("/api/email/preview-customers?q=amy").status_code == 403


def test_the_outbox_is_masked_too(app, client, mail):
    sent = client.post("/api/email/test", json={"subject": "Hi", "body": "<p>Hi</p>", "to": OWNER_EMAIL})
    assert sent.status_code == 200, sent.get_json()
    [caught] = client.get("/api/outbox").get_json()["mails"]
    assert caught["to"] == OWNER_EMAIL and caught["recipients"] == [OWNER_EMAIL]
    with app.test_request_context():  # the schema field, as a caller without personal.read gets it
        from wayfinder.schemas.api import OutboxOutSchema

        g.sees_personal = False
        dumped = OutboxOutSchema().dump({"enabled": True, "mails": [caught]})["mails"][0]
    assert (dumped["to"], dumped["recipients"]) == ("o•••@e•••.com", ["o•••@e•••.com"])


@pytest.mark.parametrize(
    ("name", "personal"),
    [("first_name", True), ("Last-Name", True), ("phone", True), ("work_email", True), ("home phone", True)]
    + [("city", False), ("tier", False), ("product_name", False)],
)
def test_personal_attribute_names(name, personal):
    assert is_personal_attribute(name) is personal


def test_masks_keep_just_enough_to_tell_rows_apart():
    assert mask("amy@example.com") == "a•••@e•••.com"
    assert mask("王小明") == "王•••"
    assert mask("0912-345-678") == "•••78"
    assert mask("") == "" and mask(None) is None


def test_free_text_keeps_its_words_but_not_the_addresses_and_numbers_it_quotes(app):
    from wayfinder.schemas.personal import PersonalText

    error = "550 5.1.1 <amy.chen@example.com>: mailbox unknown (SMS to +886 912 345 678 refused)"
    with app.test_request_context():
        g.sees_personal = False
        assert PersonalText().serialize("e", {"e": error}) == (
            "550 5.1.1 <a•••@e•••.com>: mailbox unknown (SMS to •••78 refused)"
        )
        assert PersonalText().serialize("e", {"e": None}) is None
        g.sees_personal = True
        assert PersonalText().serialize("e", {"e": error}) == error


def test_dev_tools_need_development_mode_and_an_admin(app, client, database_url, tmp_path, redis_url):
    marketer = _member(app, "marketer")
    assert client.post("/api/demo/traffic", json={"customers": 1}).status_code == 202
    assert client.get("/api/outbox").status_code == 200
    refused = marketer.post("/api/demo/traffic", json={"customers": 1})
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden_role"
    assert marketer.get("/api/outbox").status_code == 403
    # Outside development mode they do not exist, for anyone.
    production = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "INSTANCE_DIR": tmp_path / "prod",
            "TESTING": True,
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
            "QUEUE_PREFIX": app.config["QUEUE_PREFIX"],
            "DEV_MODE": False,
        }
    )
    production.test_client_class = type(client)
    with production.app_context():
        owner = sign_in(production)
        for method, path in (("post", "/api/demo/traffic"), ("get", "/api/outbox")):
            answer = getattr(owner, method)(path, json={"customers": 1} if method == "post" else None)
            assert answer.status_code == 404, (path, answer.get_json())
        assert owner.get("/api/journeys").status_code == 200


def test_healthz_detail_is_for_admins_members_get_the_summary(app, client):
    full = client.get("/healthz").get_json()
    assert "workers" in full and "database" in full
    summary = _member(app, "marketer").get("/healthz").get_json()
    assert set(summary) == {"ok", "checked_at", "customers_moving", "problems"}
    assert app.test_client().get("/healthz").get_json() == {"ok": True}


ROUTES = [
    ("post", "/api/journeys", {"name": "x"}),
    ("post", "/api/customers", {"external_id": "amy"}),
    ("post", "/api/events", {"event_id": "e", "customer_id": "amy", "name": "x"}),
    ("patch", "/api/workspace", {"name": "Shop"}),
    ("put", "/api/session/workspace", {"workspace_id": 1}),  # the route that exists to choose a workspace
    ("post", "/api/email/preview", {"subject": "x"}),
]
EXTRAS = [{"role": "owner"}, {"workspace_id": 2}, {"owner": True}, {"owner_id": 1}, {"user_id": 1}, {"is_admin": True}]


@pytest.mark.parametrize(
    ("method", "path", "body", "extra"),
    [(*route, extra) for route in ROUTES for extra in EXTRAS if not set(extra) & set(route[2])],
)
def test_no_payload_field_sets_a_role_a_workspace_or_an_owner(client, method, path, body, extra):
    answer = getattr(client, method)(path, json={**body, **extra})
    assert answer.status_code == 400, answer.get_json()
    assert set(answer.get_json()["fields"]) == set(extra)
    session = client.get("/api/session").get_json()
    assert (session["role"], session["workspace"]["id"]) == ("owner", 1)


def test_switching_to_a_workspace_one_is_not_a_member_of_is_404(app, client, workspaces):
    b = workspaces.create("brand-b")
    assert client.put("/api/session/workspace", json={"workspace_id": b}).status_code == 404


@pytest.fixture
def sio_app(app):
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(app, message_queue=None, async_mode="threading", cors_allowed_origins="*")
    return app


def test_the_live_join_follows_the_matrix(sio_app, client, monkeypatch):
    graph = GraphBuilder()
    graph.chain(graph.manual("cart"), graph.exit("done"))
    journey = client.post("/api/journeys", json={"name": "x", "graph": graph.build()}).get_json()["id"]
    viewer = _member(sio_app, "viewer")
    sio = socketio.test_client(sio_app, flask_test_client=viewer)
    assert sio.emit("join", {"journey_id": journey}, callback=True) == {"ok": True}
    sio.disconnect()
    # A role without journeys.read (none today; the rule is the matrix's) is refused the room.
    monkeypatch.setitem(MATRIX, "viewer", MATRIX["viewer"] - {"journeys.read"})
    sio = socketio.test_client(sio_app, flask_test_client=viewer)
    ack = sio.emit("join", {"journey_id": journey}, callback=True)
    assert ack == {"ok": False, "error": "Your role (viewer) cannot read journeys."}
    assert sio.get_received() == []
    sio.disconnect()
