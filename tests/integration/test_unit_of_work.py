"""Every unit of work owns its transaction: a job that fails half-way leaves no lock, no open transaction and
no poisoned session behind, and the next job on the same worker process runs normally.

The jobs run in this process, in the test's long-lived app context, with a real `EngineWorker` — exactly how
`wayfinder worker` runs them. The API write in between comes from another thread (another connection), as a
request to the web process would.
"""

from __future__ import annotations

import threading
import time

import pytest
from rq import Queue
from sqlalchemy import select, update

from tests.integration.journeys import GRAPH, customer, publish
from wayfinder.engine import jobs, ticker
from wayfinder.engine.queues import ENGINE, EngineWorker
from wayfinder.extensions import db
from wayfinder.models import Customer, Enrollment, Event

pytestmark = pytest.mark.rq  # RQ itself is under test: real queues and workers


def write_then_raise(external_id: str) -> None:
    """A job that fails in the middle of its transaction (after a write, before its commit)."""
    with jobs.job_scope():
        db.session.execute(update(Customer).where(Customer.external_id == external_id).values(email="half@way.example"))
        raise RuntimeError("boom in the middle of the transaction")


def write_then_sleep(external_id: str) -> None:
    """A job that RQ's timeout interrupts (JobTimeoutException, raised from a signal handler) after a write."""
    with jobs.job_scope():
        db.session.execute(update(Customer).where(Customer.external_id == external_id).values(email="slow@way.example"))
        time.sleep(30)


def engine_queue(app) -> Queue:
    import redis

    return Queue(f"{app.config['QUEUE_PREFIX']}{ENGINE}", connection=redis.Redis.from_url(app.config["REDIS_URL"]))


def work(queue: Queue) -> None:
    """One burst of a worker in this process; deliberately no `db.session.remove()` afterwards."""
    EngineWorker([queue], connection=queue.connection).work(burst=True)


def shop_key(client) -> str:
    """A track key: the intake's requests come from a shop's server."""
    return client.post("/api/keys", json={"name": "Shop", "scopes": ["track"]}).get_json()["key"]


def request_from_another_thread(app, key: str, method: str, url: str, json=None, limit: float = 5.0) -> dict:
    """Send a request the way another web thread would (its own app context and session), as a shop's server
    with the API key `key`; {} if it hangs."""
    result: dict = {}
    headers = {"Authorization": f"Bearer {key}"}

    def run() -> None:
        started = time.monotonic()
        response = app.test_client().open(url, method=method, json=json, headers=headers)
        result.update(status=response.status_code, seconds=time.monotonic() - started, body=response.get_json())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=limit)
    return result


def test_failed_job_releases_its_transaction_and_the_next_job_runs(app, client):
    key = shop_key(client)
    publish(client, GRAPH)
    customer(client, "ann", "Ann")
    queue = engine_queue(app)

    queue.enqueue(write_then_raise, "ann", job_timeout=30)
    work(queue)
    assert len(queue.failed_job_registry) == 1

    # The web process writes while the worker sits idle after the failure: no lock is left behind.
    answer = request_from_another_thread(
        app, key, "POST", "/api/customers", json={"external_id": "ann", "attributes": {"first_name": "Annie"}}
    )
    assert answer.get("status") == 200, answer
    assert answer["seconds"] < 1.0, answer
    answer = request_from_another_thread(
        app,
        key,
        "POST",
        "/api/events",
        json={"event_id": "c-ann", "customer_id": "ann", "name": "cart_updated", "properties": {"total": 500}},
    )
    assert answer.get("status") == 202, answer

    # The next job on the same worker (the event job the API just enqueued) runs normally.
    work(queue)
    assert len(queue.failed_job_registry) == 1
    assert db.session.scalar(select(Event.processed_at)) is not None
    assert db.session.scalar(select(Enrollment.status)) == "waiting"
    ann = db.session.scalar(select(Customer).where(Customer.external_id == "ann"))
    assert ann.email == "ann@example.com"  # the failed job's write was rolled back
    assert ann.attributes["first_name"] == "Annie"


def test_job_stopped_by_its_timeout_releases_its_transaction(app, client):
    key = shop_key(client)
    customer(client, "bob", "Bob")
    queue = engine_queue(app)
    queue.enqueue(write_then_sleep, "bob", job_timeout=1)
    work(queue)
    assert len(queue.failed_job_registry) == 1

    answer = request_from_another_thread(
        app, key, "POST", "/api/customers", json={"external_id": "bob", "attributes": {"first_name": "Bobby"}}
    )
    assert answer.get("status") == 200, answer
    assert answer["seconds"] < 1.0, answer
    bob = db.session.scalar(select(Customer).where(Customer.external_id == "bob"))
    assert bob.email == "bob@example.com"


def test_failed_ticker_pass_releases_its_transaction(app, client):
    key = shop_key(client)
    customer(client, "cy", "Cy")

    def tick_that_fails_half_way() -> None:
        db.session.execute(update(Customer).values(email="tick@way.example"))
        raise RuntimeError("ticker pass failed after a write")

    ticker._guarded(tick_that_fails_half_way)  # logged, and the loop would carry on

    answer = request_from_another_thread(
        app, key, "POST", "/api/customers", json={"external_id": "cy", "attributes": {"first_name": "Cyrus"}}
    )
    assert answer.get("status") == 200, answer
    assert answer["seconds"] < 1.0, answer
    assert db.session.scalar(select(Customer.email)) == "cy@example.com"


def test_job_scope_releases_on_base_exceptions(app, client):
    """A cold shutdown (SystemExit) or Ctrl-C in the middle of a job rolls back and releases too."""
    key = shop_key(client)
    customer(client, "dee", "Dee")
    for stop in (SystemExit, KeyboardInterrupt):
        with pytest.raises(stop):
            with jobs.job_scope():
                db.session.execute(update(Customer).values(email="stopped@way.example"))
                raise stop()
        answer = request_from_another_thread(
            app, key, "POST", "/api/customers", json={"external_id": "dee", "attributes": {"first_name": "Deedee"}}
        )
        assert answer.get("status") == 200, answer
        assert answer["seconds"] < 1.0, answer
    assert db.session.scalar(select(Customer.email)) == "dee@example.com"
