"""One bad customer never holds back the rest of the batch (poison isolation), templates over their limits are
refused before publishing or fail one message, and HTML email escapes customer data.

The rules (docs/architecture.md, "Poison isolation"):
* a send whose template cannot render → that message is recorded `failed` with the reason; the customer moves on;
* a step that raises for a customer → that enrollment is parked `errored` (reason on it and in its history),
  counted per node as `errored`; the others advance;
* a batch whose write fails as a whole → split and retried until the one enrollment that cannot be written is
  parked `errored` on its own.
"""

from __future__ import annotations

import copy
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import func, insert, select

from tests.integration.journeys import GRAPH, assert_conserved, counts, customer, publish, track
from wayfinder.engine.queues import EngineWorker
from wayfinder.extensions import db
from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, Enrollment, Event, Message, StepHistory, utcnow


def send_graph(body: str, subject: str = "Hello {{ customer.first_name }}") -> dict:
    """trigger (event `signup`) → send_email → exit `done`."""
    return {
        "nodes": [
            {"id": "signup", "type": "event_trigger", "position": {"x": 0, "y": 0},
             "data": {"settings": {"event": "signup"}}},
            {"id": "welcome", "type": "send_email", "position": {"x": 0, "y": 100},
             "data": {"settings": {"subject": subject, "body": body}}},
            {"id": "done", "type": "exit", "position": {"x": 0, "y": 200}, "data": {"settings": {}}},
        ],
        "edges": [
            {"id": "e1", "source": "signup", "sourceHandle": "next", "target": "welcome"},
            {"id": "e2", "source": "welcome", "sourceHandle": "next", "target": "done"},
        ],
        "settings": {},
    }  # fmt: skip


def condition_graph() -> dict:
    """trigger (event `signup`) → condition on `tier` → yes: exit `vip` / no: exit `rest`."""
    return {
        "nodes": [
            {"id": "signup", "type": "event_trigger", "position": {"x": 0, "y": 0},
             "data": {"settings": {"event": "signup"}}},
            {"id": "gold", "type": "condition", "position": {"x": 0, "y": 100},
             "data": {"settings": {"kind": "attribute", "attribute": "tier", "op": "eq", "value": "gold"}}},
            {"id": "vip", "type": "exit", "position": {"x": 0, "y": 200}, "data": {"settings": {}}},
            {"id": "rest", "type": "exit", "position": {"x": 200, "y": 200}, "data": {"settings": {}}},
        ],
        "edges": [
            {"id": "e1", "source": "signup", "sourceHandle": "next", "target": "gold"},
            {"id": "e2", "source": "gold", "sourceHandle": "yes", "target": "vip"},
            {"id": "e3", "source": "gold", "sourceHandle": "no", "target": "rest"},
        ],
        "settings": {},
    }  # fmt: skip


def seed_customers(count: int, attributes=lambda i: {"first_name": f"C{i}"}, email=lambda i: f"c{i}@example.com"):
    """Customers written straight to the database, as an import would (including data the API would refuse)."""
    now = utcnow()
    rows = [
        {
            "workspace_id": DEFAULT_WORKSPACE_ID,
            "external_id": f"c{i}",
            "email": email(i),
            "attributes": attributes(i),
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    db.session.execute(insert(Customer), rows)
    db.session.commit()


def signup_all(client, count: int) -> None:
    """One `signup` event per customer, in one batch request, so the engine gets them as one batch."""
    events = [{"event_id": f"s-{i}", "customer_id": f"c{i}", "name": "signup"} for i in range(count)]
    response = client.post("/api/events/batch", json={"events": events})
    assert response.status_code == 202, response.get_json()


@pytest.mark.rq  # works the engine queue alone (the delivery jobs stay queued)
def test_one_template_that_cannot_render_fails_one_message_and_999_move_on(client, engine, app):
    assert app.config["ENGINE_BATCH_SIZE"] >= 1000  # the thousand go through as one batch
    body = "<p>Hi {{ customer.first_name }}{{ '!' * customer.excitement }}</p>"
    journey_id = publish(client, send_graph(body))
    seed_customers(1000, attributes=lambda i: {"first_name": f"C{i}", "excitement": 10**9 if i == 500 else 1})
    signup_all(client, 1000)
    engine_queue = engine.queues()[0]
    EngineWorker([engine_queue], connection=engine_queue.connection).work(burst=True)  # enrol + advance only
    db.session.remove()

    assert engine.failed_jobs() == []
    final = counts(client, journey_id)
    assert final["done"]["exited"] == 1000  # the customer whose email failed moved on too (the rule)
    assert final["welcome"]["moved_on"] == 1000
    assert_conserved(final)
    statuses = dict(db.session.execute(select(Message.status, func.count()).group_by(Message.status)).all())
    assert statuses == {"pending": 1000}  # stepping renders nothing: delivery does, outside the batch's transaction
    app.config.update(EMAIL_ADAPTER="sandbox")
    engine.run_jobs()
    db.session.remove()
    statuses = dict(db.session.execute(select(Message.status, func.count()).group_by(Message.status)).all())
    assert statuses == {"sent": 999, "failed": 1}
    failed = db.session.scalar(select(Message).where(Message.status == "failed"))
    assert failed.to_address == "c500@example.com"
    assert "Template would build a text of 1,000,000,000 characters (limit 524,288)" in failed.error
    assert failed.payload is None  # nothing was rendered for it; the 999 keep what they got
    sent = db.session.scalar(select(Message).where(Message.to_address == "c499@example.com"))
    # What the step rendered, then the open pixel tracking adds (channels/tracking_links.py).
    assert sent.payload["html"].split("<img ")[0] == "<p>Hi C499!</p>" and sent.subject == sent.payload["subject"]


def test_a_step_that_raises_for_one_customer_parks_only_that_one(client, engine):
    journey_id = publish(client, condition_graph())
    # Customer c13's attributes are a JSON list, not an object: the condition step raises for that customer.
    seed_customers(100, attributes=lambda i: ["not", "an", "object"] if i == 13 else {"tier": "gold" if i % 2 else "x"})
    signup_all(client, 100)
    engine.run_jobs()

    assert engine.failed_jobs() == []
    final = counts(client, journey_id)
    assert final["gold"] == {"entered": 100, "waiting": 0, "moved_on": 99, "exited": 0, "errored": 1, "converted": 0}
    assert final["vip"]["exited"] + final["rest"]["exited"] == 99
    assert_conserved(final)
    bad = db.session.scalar(select(Enrollment).where(Enrollment.status == "errored"))
    assert bad.current_node == "gold"
    assert "Step 'gold' (condition) failed: TypeError" in bad.error
    history = db.session.scalar(
        select(StepHistory).where(StepHistory.enrollment_id == bad.id, StepHistory.error.is_not(None))
    )
    assert history.from_node == "gold" and history.to_node is None and history.error == bad.error
    assert db.session.scalar(select(func.count()).where(Enrollment.status == "completed")) == 99


@contextmanager
def database_refuses(table: str, column: str, value: str | int):
    """A real trigger in the database that refuses one row, as a constraint or a bad value would."""
    dialect = db.engine.dialect.name
    literal = f"'{value}'" if isinstance(value, str) else str(value)
    with db.engine.begin() as conn:
        if dialect == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_poison BEFORE INSERT ON {table} WHEN NEW.{column} = {literal} "
                "BEGIN SELECT RAISE(ABORT, 'row refused by the database'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.{column} = {literal} THEN RAISE EXCEPTION 'row refused by the database'; END IF; "
                "RETURN NEW; END $$"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_poison BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_poison()"
            )
    try:
        yield
    finally:
        db.session.remove()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER refuse_poison" + ("" if dialect == "sqlite" else f" ON {table}"))
            if dialect != "sqlite":
                conn.exec_driver_sql("DROP FUNCTION refuse_poison()")


def test_a_batch_whose_write_fails_as_a_whole_is_bisected(client, engine):
    journey_id = publish(client, send_graph("<p>Hi {{ customer.first_name }}</p>"))
    seed_customers(64, email=lambda i: "poison@example.com" if i == 41 else f"c{i}@example.com")
    with database_refuses("messages", "to_address", "poison@example.com"):
        signup_all(client, 64)
        engine.run_jobs()

    assert engine.failed_jobs() == []
    final = counts(client, journey_id)
    # The poisoned enrollment's whole run was rolled back, so it is parked where the database last had it.
    assert final["signup"] == {"entered": 64, "waiting": 0, "moved_on": 63, "exited": 0, "errored": 1, "converted": 0}
    assert final["welcome"] == {"entered": 63, "waiting": 0, "moved_on": 63, "exited": 0, "errored": 0, "converted": 0}
    assert final["done"]["exited"] == 63
    assert_conserved(final)
    bad = db.session.scalar(select(Enrollment).where(Enrollment.status == "errored"))
    assert bad.customer_id == db.session.scalar(select(Customer.id).where(Customer.external_id == "c41"))
    assert bad.current_node == "signup"
    assert "Could not advance" in bad.error and "row refused by the database" in bad.error
    assert "INSERT INTO" not in bad.error  # the reason, not the statement
    assert db.session.scalar(select(func.count()).select_from(Message).where(Message.status == "sent")) == 63


def test_template_over_its_limits_is_refused_at_publish_on_its_node_and_field(client):
    graph = copy.deepcopy(GRAPH)
    graph["nodes"][4]["data"]["settings"]["body"] = "<p>{{ 'a' * 10**9 }}</p>"  # the original report
    journey = client.post("/api/journeys", json={"name": "Big", "graph": graph}).get_json()
    response = client.post(f"/api/journeys/{journey['id']}/publish")
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(e["node_id"], e["field"], e["code"]) for e in errors] == [("remind", "body", "invalid_template")]
    assert "1,000,000,000 characters" in errors[0]["message"]


def test_html_email_escapes_customer_data_and_passes_safe_content(client, engine, mail):
    body = "<p>Hi {{ customer.first_name }}</p>{{ '<a href=\"https://shop.example\">Shop</a>'|safe }}"
    publish(client, send_graph(body, subject="For {{ customer.first_name }}"))
    customer(client, "eve", "<img src=x onerror=alert(1)>")
    track(client, "s-eve", "eve", "signup")
    engine.run_jobs()

    (received,) = mail.wait_for(1)
    assert "<p>Hi &lt;img src=x onerror=alert(1)&gt;</p>" in received["html"]
    assert "<img src=x" not in received["html"] and received["html"].count("<img") == 1  # only the open pixel
    # The safe link went out as written, behind its tracked address (channels/tracking_links.py).
    assert re.search(r'<a href="[^"]+/t/c/[^"]+">Shop</a>', received["html"])
    assert received["subject"] == "For <img src=x onerror=alert(1)>"  # plain text: not escaped


def test_an_event_that_cannot_be_processed_does_not_hold_back_the_others(client, engine):
    journey_id = publish(client, send_graph("<p>Hi {{ customer.first_name }}</p>"))
    seed_customers(20)
    poisoned = db.session.scalar(select(Customer.id).where(Customer.external_id == "c7"))
    db.session.commit()
    with database_refuses("enrollments", "customer_id", poisoned):
        signup_all(client, 20)
        engine.run_jobs()

    assert engine.failed_jobs() == []
    assert counts(client, journey_id)["done"]["exited"] == 19
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.processed_at.is_(None))) == 0
    bad = db.session.scalar(select(Event).where(Event.error.is_not(None)))
    assert bad.customer_id == poisoned
    assert "Processing failed" in bad.error and "row refused by the database" in bad.error


def test_a_message_whose_send_raises_fails_alone(client, engine, mail):
    publish(client, send_graph("<p>Hi {{ customer.first_name }}</p>"))
    # c1's stored address carries a line break: its email cannot be built (a permanent failure, not retried).
    seed_customers(3, email=lambda i: "c1@example.com\nBcc: spam@example.com" if i == 1 else f"c{i}@example.com")
    signup_all(client, 3)
    engine.run_jobs()

    assert engine.failed_jobs() == []
    assert sorted(m["to"] for m in mail.wait_for(2)) == ["c0@example.com", "c2@example.com"]
    statuses = dict(db.session.execute(select(Message.status, func.count()).group_by(Message.status)).all())
    assert statuses == {"sent": 2, "failed": 1}
    failed = db.session.scalar(select(Message).where(Message.status == "failed"))
    assert "cannot be built" in failed.error and failed.attempts == 1
