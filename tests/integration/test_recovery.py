"""A worker that dies loses no customer and double-sends no message.

Killing a process at an exact instruction is not repeatable, so each test puts the database in the state
a worker leaves when it dies at a given point (a job lost after its rows were committed, a send cut off
before it was recorded), lets the lease run out on the test clock, and checks what the ticker does.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.integration.journeys import GRAPH, assert_conserved, counts, customer, publish, track
from wayfinder.channels import OutgoingMessage, get_channel
from wayfinder.channels.sandbox import outbox_counts
from wayfinder.engine import delivery, leases, service
from wayfinder.engine.queues import EngineWorker
from wayfinder.extensions import db, redis_client
from wayfinder.models import Enrollment, Message

pytestmark = pytest.mark.rq  # RQ itself is under test: real queues and workers


def run_engine_jobs_only(engine):
    """Advance jobs run; the delivery jobs they enqueue stay queued (and are then dropped)."""
    engine_queue = engine.queues()[0]
    EngineWorker([engine_queue], connection=engine_queue.connection).work(burst=True)
    db.session.remove()
    drop_queued_jobs(engine)


def drop_queued_jobs(engine):
    """What a worker killed with the jobs in hand leaves behind: rows committed, jobs gone."""
    for queue in engine.queues():
        queue.empty()


def test_lost_enrolment_job_is_recovered_by_the_lease(client, engine, app):
    journey_id, _ids = _woken_and_taken_by_a_job(client, engine)
    status = db.session.scalar(select(Enrollment.status))
    assert status == "waking"

    engine.advance_clock(seconds=60)  # within the queue lease: nobody else takes her
    assert db.session.scalar(select(Enrollment.status)) == "waking"

    engine.advance_clock(seconds=app.config["ENGINE_QUEUE_LEASE_SECONDS"])  # lease over: handed out again
    assert db.session.scalar(select(Enrollment.status)) == "completed"
    final = counts(client, journey_id)
    assert final["remind"]["exited"] == 1
    assert_conserved(final)


def _woken_and_taken_by_a_job(client, engine):
    """A customer waiting at `wait` whom the ticker woke, and whose advance job a worker has just taken off the
    queue (or died holding: the job is gone either way)."""
    journey_id = publish(client, GRAPH)
    customer(client, "fay", "Fay")
    track(client, "c-fay", "fay", "cart_updated", product="Tea", total=520)
    engine.run_jobs()
    assert engine.tick_after(hours=2)["woken"] == 1
    drop_queued_jobs(engine)
    ids = list(db.session.scalars(select(Enrollment.id)))
    assert len(ids) == 1
    return journey_id, ids


def _lease_left(engine) -> float:
    """Seconds until the enrollment's lease passes, on the test clock."""
    wake_at = db.session.scalar(select(Enrollment.wake_at))
    now = engine.now if wake_at.tzinfo else engine.now.replace(tzinfo=None)
    return (wake_at - now).total_seconds()


def _queued_jobs(engine) -> int:
    return sum(queue.count for queue in engine.queues())


def test_a_live_engine_jobs_enrollments_are_renewed_and_not_reissued(client, engine, app):
    journey_id, ids = _woken_and_taken_by_a_job(client, engine)
    lease = app.config["ENGINE_LEASE_SECONDS"]
    assert lease < app.config["ENGINE_QUEUE_LEASE_SECONDS"]
    with ExitStack() as job:
        # The job starts: its enrollments move from the queue lease to its own short lease, held in this process.
        service._hold_enrollments(job, ids, engine.now)
        assert leases.held("engine") == ids
        assert _lease_left(engine) == lease
        for _ in range(6):  # two leases long: the worker is alive, its keeper beats every third of the lease
            engine.clock.advance(seconds=lease / 3)
            assert leases.renew_all(app, now=engine.now) == {"engine": 1}
            assert _lease_left(engine) == lease  # moved ahead
            assert engine.tick_after(seconds=0)["reissued"] == 0  # never handed out under the running job
            assert db.session.scalar(select(Enrollment.status)) == "waking"
            assert _queued_jobs(engine) == 0
        assert service.advance_enrollments(ids, engine.now)["advanced"] == 1  # the slow job finishes its batch
    assert leases.held("engine") == []  # a finished job drops out of the renewals
    drop_queued_jobs(engine)  # (its delivery job)
    engine.advance_clock(seconds=app.config["ENGINE_QUEUE_LEASE_SECONDS"] + 1)
    assert db.session.scalar(select(Enrollment.status)) == "completed"
    final = counts(client, journey_id)
    assert final["remind"]["entered"] == 1  # stepped once
    assert final["remind"]["exited"] == 1
    assert_conserved(final)


def test_a_killed_engine_jobs_enrollments_are_reissued_after_the_short_lease_and_advance_once(client, engine, app):
    journey_id, ids = _woken_and_taken_by_a_job(client, engine)
    lease = app.config["ENGINE_LEASE_SECONDS"]
    with ExitStack() as job:
        service._hold_enrollments(job, ids, engine.now)
        assert _lease_left(engine) == lease  # the queue lease (300 s) is cut to the running job's short one
    # The worker is killed with the job in hand: nothing renews its lease any more (the hold ended with it).
    assert leases.renew_all(app, now=engine.now) == {}

    engine.advance_clock(seconds=lease - 1)  # not before the lease has passed: the job may still be alive
    assert db.session.scalar(select(Enrollment.status)) == "waking"
    assert engine.tick_after(seconds=2)["reissued"] == 1  # within about one lease, not the queue lease
    engine.run_jobs()
    assert db.session.scalar(select(Enrollment.status)) == "completed"
    final = counts(client, journey_id)
    assert final["remind"]["entered"] == 1  # advanced exactly once
    assert_conserved(final)
    engine.advance_clock(seconds=app.config["ENGINE_QUEUE_LEASE_SECONDS"] + 1)  # nothing left to hand out
    assert counts(client, journey_id) == final


def test_the_keeper_leaves_a_batch_being_advanced_alone(client, engine, app):
    """While the job's batch locks its rows itself, the keeper does not touch them (its own momentary lock would
    make the batch skip them), and on PostgreSQL it skips rows another transaction has locked instead of
    waiting behind that batch."""
    _journey_id, ids = _woken_and_taken_by_a_job(client, engine)
    with ExitStack() as job:
        service._hold_enrollments(job, ids, engine.now)
        with leases.pause("engine", ids):  # the batch's transaction
            assert leases.renew_all(app, now=engine.now) == {}
        assert leases.renew_all(app, now=engine.now) == {"engine": 1}
        if db.engine.dialect.name == "postgresql":  # (SQLite has no row locks: BEGIN IMMEDIATE serialises)
            with db.engine.connect() as batch:  # another transaction, as a batch in another worker: it locks the row
                batch.execute(select(Enrollment.id).where(Enrollment.id.in_(ids)).with_for_update())
                assert leases.renew_all(app, now=engine.now) == {"engine": 0}
                batch.rollback()
            assert leases.renew_all(app, now=engine.now) == {"engine": 1}


def test_lost_event_job_is_swept_up(client, engine, app):
    journey_id = publish(client, GRAPH)
    customer(client, "gus", "Gus")
    track(client, "c-gus", "gus", "cart_updated", product="Shoes", total=3680)
    drop_queued_jobs(engine)  # the event is stored; its job vanished with Redis or the worker
    engine.advance_clock(seconds=app.config["ENGINE_QUEUE_LEASE_SECONDS"] + 1)
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

    engine.advance_clock(seconds=app.config["ENGINE_QUEUE_LEASE_SECONDS"] + 1)
    assert db.session.scalar(select(Message.status)) == "sent"
    engine.advance_clock(seconds=app.config["ENGINE_QUEUE_LEASE_SECONDS"] + 1)
    assert len(mail.wait_for(1)) == 1
    assert len(mail.messages()) == 1


def _claimed_by_a_dead_job(engine, attempted: bool) -> None:
    """The state a delivery job leaves when its worker is killed: the message claimed under a lease nobody
    renews any more, its attempt started (inside the provider call) or not yet."""
    db.session.execute(
        update(Message).values(
            status="sending",
            claimed_at=engine.now,
            claim_token="dead-job",
            lease_until=engine.now + timedelta(seconds=30),
            attempt_started_at=engine.now if attempted else None,
            attempts=1 if attempted else 0,
        )
    )
    db.session.commit()


def _cart_message_waiting_for_delivery(client, engine) -> None:
    publish(client, GRAPH)
    customer(client, "ivy", "Ivy")
    track(client, "c-ivy", "ivy", "cart_updated", product="Earbuds", total=2990)
    engine.run_jobs()
    engine.tick_after(hours=2)
    run_engine_jobs_only(engine)


def test_send_cut_off_mid_way_is_recorded_unknown_not_repeated(client, engine, mail, app):
    _cart_message_waiting_for_delivery(client, engine)
    _claimed_by_a_dead_job(engine, attempted=True)

    engine.advance_clock(seconds=app.config["DELIVERY_LEASE_SECONDS"] + 1)
    message = db.session.scalar(select(Message))
    assert message.status == "unknown"
    assert "outcome unknown" in message.error
    assert mail.messages() == []  # not sent a second time
    engine.advance_clock(seconds=app.config["ENGINE_QUEUE_LEASE_SECONDS"] + 1)
    assert db.session.scalar(select(Message.status)) == "unknown"
    assert mail.messages() == []


def test_claimed_but_never_attempted_is_delivered_by_the_next_worker(client, engine, mail, app):
    _cart_message_waiting_for_delivery(client, engine)
    _claimed_by_a_dead_job(engine, attempted=False)

    # Not before the lease has passed: the job may still be alive and about to send it.
    engine.advance_clock(seconds=app.config["DELIVERY_LEASE_SECONDS"] - 1)
    assert db.session.scalar(select(Message.status)) == "sending"
    engine.advance_clock(seconds=2)
    message = db.session.scalar(select(Message))
    assert message.status == "sent"
    assert message.attempts == 1
    assert len(mail.wait_for(1)) == 1


def test_a_live_jobs_lease_is_renewed_and_not_reclaimed(client, engine, mail, app):
    _cart_message_waiting_for_delivery(client, engine)
    _claimed_by_a_dead_job(engine, attempted=False)
    lease = app.config["DELIVERY_LEASE_SECONDS"]
    for _ in range(3):  # the job's worker is alive: its heartbeat renews the lease every third of it
        engine.clock.advance(seconds=lease / 3)
        assert delivery.renew_leases(db.session, ["dead-job"], engine.now, lease) == 1
        db.session.commit()
        engine.advance_clock(seconds=0)
        assert db.session.scalar(select(Message.status)) == "sending"
    assert mail.messages() == []


def test_send_cut_off_on_an_idempotent_channel_is_retried_with_its_key_and_arrives_once(client, engine, app):
    app.config.update(EMAIL_ADAPTER="sandbox", SANDBOX_OUTBOX=f"{app.config['QUEUE_PREFIX']}outbox")
    _cart_message_waiting_for_delivery(client, engine)
    # The dead job's call reached the provider (it recorded the arrival) before the worker was killed.
    message = db.session.scalar(select(Message))
    outgoing = OutgoingMessage(message.id, message.idempotency_key, "email", message.to_address)
    get_channel("email", app.config).send(outgoing)
    _claimed_by_a_dead_job(engine, attempted=True)

    engine.advance_clock(seconds=app.config["DELIVERY_LEASE_SECONDS"] + 1)
    message = db.session.scalar(select(Message))
    assert message.status == "sent"
    assert message.attempts == 2
    arrivals, calls = outbox_counts(redis_client.conn, app.config["SANDBOX_OUTBOX"])
    assert arrivals == {outgoing.retry_key: message.id}  # the provider de-duplicated the retry on its key
    assert calls == {outgoing.retry_key: 2}


def test_a_job_taken_off_the_queue_by_a_worker_that_then_died_goes_back_on_the_queue(client, engine, mail, app):
    """Between taking a job off the queue and leasing its rows a worker holds work no database lease covers;
    RQ's started-job registry does, with the worker's short TTL (not the 300 s queue lease)."""
    publish(client, GRAPH)
    customer(client, "joy", "Joy")
    track(client, "c-joy", "joy", "cart_updated", product="Lamp", total=1990)
    engine.run_jobs()
    engine.tick_after(hours=2)
    engine_queue, delivery_queue = engine.queues()
    EngineWorker([engine_queue], connection=engine_queue.connection).work(burst=True)
    db.session.remove()
    assert delivery_queue.count == 1

    # A worker takes the delivery job and dies before the job starts: it never beats again.
    dead = EngineWorker([delivery_queue], connection=delivery_queue.connection, worker_ttl=1)
    dead.register_birth()
    job, _queue = dead.dequeue_job_and_maintain_ttl(timeout=1)
    dead.prepare_execution(job)
    dead.prepare_job_execution(job)  # the job has started: the next thing it would do is lease its messages
    assert delivery_queue.count == 0
    assert db.session.scalar(select(Message.status)) == "pending"

    deadline = time.monotonic() + 30  # the TTL (1 s), then RQ's first retry interval (2 s)
    while db.session.scalar(select(Message.status)) != "sent" and time.monotonic() < deadline:
        time.sleep(0.3)
        engine.advance_clock(seconds=0)  # the ticker, on a clock that does not move: no lease runs out
    assert db.session.scalar(select(Message.status)) == "sent"
    assert len(mail.wait_for(1)) == 1
