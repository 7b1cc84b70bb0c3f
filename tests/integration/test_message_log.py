"""The message log (/api/messages): messages made by the real pipeline (a journey that emails, then texts, its
customers; delivered by the sandbox providers), filtered, paged by cursor, opened with their event timeline, kept
to their workspace, and refused with a field message when a filter is malformed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.conftest import Workspaces
from tests.integration.journeys import logged_message
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID


def welcome_graph() -> dict:
    g = GraphBuilder()
    g.chain(
        g.trigger("signup", event="signed_up"),
        g.email(
            "mail",
            subject="Welcome, {{ customer.first_name }}",
            body="<p>Hi {{ customer.first_name }}</p>",
            label="Welcome mail",
        ),
        g.node("text", "send_sms", {"text": "Hi {{ customer.first_name }}, your code is 42"}),
    )
    return g.build()


@pytest.fixture
def log(sim):
    """amy and bob signed up an hour apart: each got the welcome email, then the SMS (4 messages, all sent)."""
    sim.customers(
        {
            "amy": {"first_name": "Amy", "last_name": "Lin", "phone": "+886912345678"},
            "bob": {"first_name": "Bob", "phone": "+886987654321"},
        }
    )
    journey_id = sim.publish(welcome_graph(), name="Welcome")
    sim.track([("amy", "signed_up", {})])
    sim.advance(hours=1)
    sim.track([("bob", "signed_up", {})])
    sim.runner.run_jobs()
    sim.journey_id = journey_id
    return sim


def get(sim, query=""):
    response = sim.client.get(f"/api/messages{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_log_lists_every_channel_newest_first_with_names(log):
    body = get(log)
    rows = body["messages"]
    assert [(m["customer"]["external_id"], m["channel"]) for m in rows] == [
        ("bob", "sms"),
        ("bob", "email"),
        ("amy", "sms"),
        ("amy", "email"),
    ]
    assert body["next_cursor"] is None
    amy_sms, amy_mail = rows[2], rows[3]
    assert amy_mail["journey"] == {"id": log.journey_id, "name": "Welcome"}
    assert amy_mail["step"] == {"id": "mail", "type": "send_email", "label": "Welcome mail", "name": "Welcome mail"}
    assert amy_sms["step"]["name"] == "Send SMS"  # no label: the type's name, as the editor shows it
    assert amy_mail["customer"] == {"external_id": "amy", "name": "Amy Lin"}
    assert (amy_mail["recipient"], amy_sms["recipient"]) == ("amy@example.com", "+886912345678")
    assert amy_mail["subject"] == "Welcome, Amy" and amy_sms["subject"].startswith("Hi Amy")
    assert {m["status"] for m in rows} == {"sent"} and {m["last_event"] for m in rows} == {"sent"}
    assert all(m["attempts"] == 1 and m["sent_at"] and m["created_at"] for m in rows)
    # The flat fields older clients read are still there.
    assert (amy_mail["journey_name"], amy_mail["step_name"], amy_mail["customer_id"]) == (
        "Welcome",
        "Welcome mail",
        "amy",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?channel=sms", [("bob", "sms"), ("amy", "sms")]),
        ("?node_id=mail", [("bob", "email"), ("amy", "email")]),
        ("?customer=amy", [("amy", "sms"), ("amy", "email")]),
        ("?customer=bob@example.com", [("bob", "sms"), ("bob", "email")]),
        ("?customer=bob@example", []),  # exact, not contains
        ("?q=welcome,%20AMY", [("amy", "email")]),  # summary contains, any case
        ("?q=%25", []),  # a LIKE wildcard is a plain character
        ("?status=failed", []),
        ("?status=sent&channel=email&customer=amy", [("amy", "email")]),
        ("?journey_id=999999", []),
    ],
)
def test_filters(log, query, expected):
    rows = get(log, query)["messages"]
    assert [(m["customer"]["external_id"], m["channel"]) for m in rows] == expected


def test_time_window(log):
    since = (log.now - timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
    assert [m["customer"]["external_id"] for m in get(log, f"?since={since}")["messages"]] == ["bob", "bob"]
    assert [m["customer"]["external_id"] for m in get(log, f"?until={since}")["messages"]] == ["amy", "amy"]
    rows = get(log, f"?journey_id={log.journey_id}")["messages"]
    assert len(rows) == 4


def test_cursor_pages_through_the_log_without_repeats(log):
    first = get(log, "?per_page=3")
    assert len(first["messages"]) == 3 and first["next_cursor"] == first["messages"][-1]["id"]
    second = get(log, f"?per_page=3&cursor={first['next_cursor']}")
    assert second["next_cursor"] is None
    ids = [m["id"] for m in first["messages"] + second["messages"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4
    assert [m["id"] for m in get(log, "?channel=email&per_page=1")["messages"]] == [ids[1]]


def test_detail_has_the_rendered_content_and_the_event_timeline(log):
    rows = get(log, "?customer=amy")["messages"]
    sms = log.client.get(f"/api/messages/{rows[0]['id']}").get_json()
    assert sms["payload"] == {"text": "Hi Amy, your code is 42"}
    assert [e["kind"] for e in sms["events"]] == ["sent"] and sms["events"][0]["at"]
    mail = log.client.get(f"/api/messages/{rows[1]['id']}").get_json()
    assert mail["payload"]["subject"] == "Welcome, Amy" and "Hi Amy" in mail["payload"]["html"]
    assert mail["step"]["name"] == "Welcome mail" and mail["customer"]["name"] == "Amy Lin"
    assert sms["sent_via"] is None and mail["sent_via"] is None  # the server's own settings, no workspace account
    for missing in (987654321, 9999999999999999999):  # the second is beyond 64 bits
        response = log.client.get(f"/api/messages/{missing}")
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_another_workspace_sees_none_of_it(log):
    ws = Workspaces(log.app)
    other = ws.create("other")
    message_id = get(log)["messages"][0]["id"]
    with ws.use(other):
        assert get(log)["messages"] == []
        assert log.client.get(f"/api/messages/{message_id}").status_code == 404
    assert log.client.get(f"/api/messages/{message_id}").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?channel=fax", "channel"),
        ("?status=lost", "status"),
        ("?per_page=101", "per_page"),
        ("?per_page=0", "per_page"),
        ("?cursor=abc", "cursor"),
        ("?since=yesterday", "since"),
        ("?journey_id=-1", "journey_id"),
        ("?customer=", "customer"),
        ("?q=" + "x" * 201, "q"),
    ],
)
def test_malformed_filters_are_refused_with_a_field_message(sim, query, field):
    response = sim.client.get(f"/api/messages{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "validation_error" and body["fields"][field], body


def test_a_viewer_sees_the_log_without_personal_content(log):
    from tests.integration.accounts import make_member, sign_in

    make_member(log.app, "vera@example.com", "viewer")
    viewer = sign_in(log.app, "vera@example.com")
    row = viewer.get("/api/messages?customer=amy&channel=sms").get_json()["messages"][0]
    assert row["recipient"] != "+886912345678" and row["customer"]["external_id"] == "amy"
    detail = viewer.get(f"/api/messages/{row['id']}").get_json()
    assert detail["payload"] is None  # "Hi Amy, …": rendered for her, personal as a whole
    assert [e["kind"] for e in detail["events"]] == ["sent"]


def test_push_recipients_are_counted_devices_and_tokens_never_leave(sim):
    from wayfinder.api.messages import recipient

    assert recipient("push", '[{"token": "abc"}, {"token": "def"}]') == "2 devices"
    assert recipient("webpush", '[{"endpoint": "https://push.example/1"}]') == "1 device"
    assert recipient("sms", "+886912345678") == "+886912345678"
    sim.customers({"amy": {"first_name": "Amy"}})
    with sim.app.app_context():
        from wayfinder.extensions import db
        from wayfinder.models import Message

        message_id = logged_message(DEFAULT_WORKSPACE_ID, "amy", channel="push")
        message = db.session.get(Message, message_id)
        message.to_address = '[{"token": "secret-device-token"}]'
        message.payload = {"title": "Sale", "body": "20% off", "tokens": ["secret-device-token"]}
        db.session.commit()
        db.session.remove()
    body = sim.client.get(f"/api/messages/{message_id}")
    assert body.status_code == 200
    assert "secret-device-token" not in body.get_data(as_text=True)
    assert body.get_json()["payload"] == {"title": "Sale", "body": "20% off"}
    assert body.get_json()["recipient"] == "1 device"


def test_a_page_is_one_query_of_the_messages_however_many_rows(log):
    """No query per message: the journey, customer and newest event come in the page's one SELECT."""
    from sqlalchemy import event

    from wayfinder.extensions import db

    def statements(query):
        seen: list[str] = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        with log.app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert len(get(log, query)["messages"]) >= 1
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return [s for s in seen if "FROM messages" in s or "FROM message_events" in s]

    assert len(statements("?per_page=1")) == 1
    assert len(statements("?per_page=100")) == 1


def test_names_read_as_people_write_them(sim):
    from wayfinder.api.messages import customer_name
    from wayfinder.models import Customer

    def name(**attributes):
        return customer_name(Customer(external_id="x", attributes=attributes))

    assert name(first_name="Amy", last_name="Lin") == "Amy Lin"
    assert name(first_name="美玲", last_name="陳") == "陳美玲"
    assert name(name=" Mei ", first_name="Amy") == "Mei"
    assert name(first_name="Amy") == "Amy" and name() is None and name(first_name=3) is None
