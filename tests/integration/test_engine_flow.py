"""Event → enrolment → wait → condition → email, through the API, real queues, the ticker and SMTP."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.integration.journeys import assert_conserved, counts, customer, node_count, publish, track
from wayfinder.extensions import db
from wayfinder.models import Enrollment, Message, StepHistory


def test_event_enrols_waits_branches_and_emails(client, engine, mail):
    journey_id = publish(client)
    customer(client, "alice", "Alice")
    customer(client, "bob", "Bob")
    customer(client, "carol", "Carol")
    track(client, "c-1", "alice", "cart_updated", product="Serum", total=1280)
    track(client, "c-2", "bob", "cart_updated", product="Shoes", total=3680)
    track(client, "c-3", "carol", "cart_updated", product="Sticker", total=50)  # below the trigger's filter
    engine.run_jobs()

    now = counts(client, journey_id)
    assert now["cart"] == node_count(entered=2, moved_on=2)
    assert now["wait"] == node_count(entered=2, waiting=2)

    track(client, "p-1", "bob", "purchase", product="Shoes", total=3680)
    engine.run_jobs()
    engine.advance_clock(minutes=59)
    assert counts(client, journey_id)["wait"]["waiting"] == 2  # not due yet

    engine.advance_clock(minutes=2)
    final = counts(client, journey_id)
    assert final["wait"] == node_count(entered=2, moved_on=2)
    assert final["bought"]["moved_on"] == 2
    assert final["done"] == node_count(entered=1, exited=1)  # bob bought
    assert final["remind"] == node_count(entered=1, exited=1)  # alice: email, path ends
    assert_conserved(final)

    mails = mail.wait_for(1)
    assert len(mails) == 1
    assert mails[0]["to"] == "alice@example.com"
    assert mails[0]["subject"] == "Alice, your Serum is waiting"
    assert "NT$ 1280" in mails[0]["html"]
    assert engine.failed_jobs() == []

    messages = client.get(f"/api/messages?journey_id={journey_id}").get_json()["messages"]
    assert [(m["customer_id"], m["status"]) for m in messages] == [("alice", "sent")]
    assert db.session.scalar(select(func.count()).select_from(Enrollment).where(Enrollment.status == "completed")) == 2


def test_same_event_id_twice_enrols_once(client, engine):
    journey_id = publish(client)
    customer(client, "dan", "Dan")
    first = track(client, "dup-1", "dan", "cart_updated", product="Tea", total=520)
    second = track(client, "dup-1", "dan", "cart_updated", product="Tea", total=520)
    assert (first, second) == ({"accepted": 1, "duplicates": 0}, {"accepted": 0, "duplicates": 1})
    batch = client.post(
        "/api/events/batch",
        json={
            "events": [
                {"event_id": "dup-1", "customer_id": "dan", "name": "cart_updated", "properties": {"total": 520}},
                {"event_id": "dup-2", "customer_id": "dan", "name": "page_view"},
                {"event_id": "dup-2", "customer_id": "dan", "name": "page_view"},
            ]
        },
    )
    assert batch.status_code == 202
    assert batch.get_json() == {"accepted": 1, "duplicates": 2}
    engine.run_jobs()
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
    assert counts(client, journey_id)["cart"]["entered"] == 1


def test_jobs_run_twice_send_one_email(client, engine, mail, app):
    from wayfinder.engine import service

    journey_id = publish(client)
    customer(client, "erin", "Erin")
    track(client, "c-erin", "erin", "cart_updated", product="Earbuds", total=2990)
    engine.run_jobs()
    engine.advance_clock(hours=2)
    assert len(mail.wait_for(1)) == 1

    # Replay every job of the path by hand: the advance of the enrollment and the delivery of its message.
    enrollment_ids = list(db.session.scalars(select(Enrollment.id)))
    message_ids = list(db.session.scalars(select(Message.id)))
    history_before = db.session.scalar(select(func.count()).select_from(StepHistory))
    assert service.advance_enrollments(enrollment_ids)["advanced"] == 0
    assert service.deliver_messages(message_ids, app.config) == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    engine.run_jobs()
    assert db.session.scalar(select(func.count()).select_from(StepHistory)) == history_before
    assert len(mail.messages()) == 1
    assert_conserved(counts(client, journey_id))
