"""A worker that dies loses no customer and double-sends no message.

Killing a process at an exact instruction is not repeatable, so each test puts the database in the state
a worker leaves when it dies at a given point (a job lost after its rows were committed, a send cut off
before it was recorded), lets the lease run out on the test clock, and checks what the ticker does.
"""

from __future__ import annotations

from rq.worker import SimpleWorker
from sqlalchemy import select, update

from tests.integration.journeys import GRAPH, assert_conserved, counts, customer, publish, track
from wayfinder.extensions import db
from wayfinder.models import Enrollment, Message


def run_engine_jobs_only(engine):
    """Advance jobs run; the delivery jobs they enqueue stay queued (and are then dropped)."""
    engine_queue = engine.queues()[0]
    SimpleWorker([engine_queue], connection=engine_queue.connection).work(burst=True)
    db.session.remove()
    drop_queued_jobs(engine)


def drop_queued_jobs(engine):
    """What a worker killed with the jobs in hand leaves behind: rows committed, jobs gone."""
    for queue in engine.queues():
        queue.empty()


def test_lost_enrolment_job_is_recovered_by_the_lease(client, engine, app):
    journey_id = publish(client, GRAPH)
    customer(client, "fay", "Fay")
    track(client, "c-fay", "fay", "cart_updated", product="Tea", total=520)
    engine.run_jobs()
    # The customer now waits at `wait`. The ticker wakes her, and the worker dies before advancing her.
    assert engine.tick_after(hours=2)["woken"] == 1
    drop_queued_jobs(engine)
    status = db.session.scalar(select(Enrollment.status))
    assert status == "waking"

    engine.advance_clock(seconds=60)  # within the lease: nobody else takes her
    assert db.session.scalar(select(Enrollment.status)) == "waking"

    engine.advance_clock(seconds=app.config["ENGINE_LEASE_SECONDS"])  # lease over: handed out again
    assert db.session.scalar(select(Enrollment.status)) == "completed"
    final = counts(client, journey_id)
    assert final["remind"]["exited"] == 1
    assert_conserved(final)


def test_lost_event_job_is_swept_up(client, engine, app):
    journey_id = publish(client, GRAPH)
    customer(client, "gus", "Gus")
    track(client, "c-gus", "gus", "cart_updated", product="Shoes", total=3680)
    drop_queued_jobs(engine)  # the event is stored; its job vanished with Redis or the worker
    engine.advance_clock(seconds=app.config["ENGINE_LEASE_SECONDS"] + 1)
    assert counts(client, journey_id)["wait"]["waiting"] == 1


def test_message_whose_delivery_job_was_lost_is_sent_once(client, engine, mail, app):
    publish(client, GRAPH)
    customer(client, "hal", "Hal")
    track(client, "c-hal", "hal", "cart_updated", product="Serum", total=1280)
    engine.run_jobs()
    engine.tick_after(hours=2)
    run_engine_jobs_only(engine)  # the advance job runs; its delivery job is lost
    assert db.session.scalar(select(Message.status)) == "pending"
    assert mail.messages() == []

    engine.advance_clock(seconds=app.config["ENGINE_LEASE_SECONDS"] + 1)
    assert db.session.scalar(select(Message.status)) == "sent"
    engine.advance_clock(seconds=app.config["ENGINE_LEASE_SECONDS"] + 1)
    assert len(mail.wait_for(1)) == 1
    assert len(mail.messages()) == 1


def test_send_cut_off_mid_way_is_recorded_not_repeated(client, engine, mail, app):
    publish(client, GRAPH)
    customer(client, "ivy", "Ivy")
    track(client, "c-ivy", "ivy", "cart_updated", product="Earbuds", total=2990)
    engine.run_jobs()
    engine.tick_after(hours=2)
    run_engine_jobs_only(engine)
    # A delivery job claimed the message and died before recording the outcome of its SMTP call.
    db.session.execute(update(Message).values(status="sending", claimed_at=engine.now, attempts=1))
    db.session.commit()

    engine.advance_clock(seconds=app.config["ENGINE_LEASE_SECONDS"] + 1)
    message = db.session.scalar(select(Message))
    assert message.status == "failed"
    assert "outcome unknown" in message.error
    assert mail.messages() == []  # not sent a second time
