"""RQ queues and enqueue helpers. Jobs receive ids, never ORM objects; rows are committed before enqueueing."""

from __future__ import annotations

import gc

from flask import current_app
from rq import Queue, Retry
from rq.worker import SimpleWorker

from wayfinder import clock
from wayfinder.db_utils import chunked
from wayfinder.extensions import redis_client
from wayfinder.health import start_heartbeat

ENGINE = "engine"
DELIVERY = "delivery"
JOB_TIMEOUT = 600
FAILURE_TTL = 7 * 24 * 3600
RETRY = Retry(max=5, interval=[2, 10, 30, 60, 120])


def queue(name: str) -> Queue:
    prefix = current_app.config.get("QUEUE_PREFIX") or ""
    return Queue(f"{prefix}{name}", connection=redis_client.conn)


def _enqueue(name: str, func: str, ids: list[int], batch: int) -> None:
    """One job per chunk of ids. On a virtual clock a job carries the time it runs at (`at`); on the system
    clock it reads the clock when it runs."""
    current = clock.current()
    kwargs = {"at": current.now().isoformat()} if current.virtual else {}
    if current_app.config.get("ENGINE_RUNNER") == "inline":
        from wayfinder.engine.runner import inline_jobs

        for chunk in chunked(ids, batch):
            inline_jobs().append((name, func, chunk, kwargs))
        return
    q = queue(name)
    for chunk in chunked(ids, batch):
        q.enqueue(func, chunk, **kwargs, job_timeout=JOB_TIMEOUT, failure_ttl=FAILURE_TTL, retry=RETRY, result_ttl=60)


def enqueue_events(event_ids: list[int]) -> None:
    _enqueue(ENGINE, "wayfinder.engine.jobs.process_events_job", event_ids, current_app.config["ENGINE_BATCH_SIZE"])


def enqueue_advance(enrollment_ids: list[int]) -> None:
    _enqueue(ENGINE, "wayfinder.engine.jobs.advance_job", enrollment_ids, current_app.config["ENGINE_BATCH_SIZE"])


def enqueue_firings(firing_ids: list[int]) -> None:
    _enqueue(ENGINE, "wayfinder.engine.jobs.fire_triggers_job", firing_ids, 1)


def enqueue_delivery(message_ids: list[int]) -> None:
    _enqueue(DELIVERY, "wayfinder.engine.jobs.deliver_job", message_ids, 200)


def settle_worker_process() -> None:
    """Keep what a worker loaded at start-up (modules, the app, mappers: hundreds of thousands of objects that
    live as long as the process) out of the garbage collector's way. Without this every full collection
    during a batch walks all of them again: on bench/engine.py that was about a tenth of the engine's time."""
    gc.collect()
    gc.freeze()


def run_worker(burst: bool = False) -> None:
    """Work the engine and delivery queues in this process (inside an app context).

    SimpleWorker runs jobs in-process: an engine job is a whole batch, so a fork per job buys nothing, and
    the process keeps its database pool and graph cache. A killed worker loses no customer: its enrollments'
    leases expire and the ticker hands them out again.
    """
    heartbeat = current_app.config["WORKER_HEARTBEAT_SECONDS"]
    # RQ beats every `worker_ttl - 15` s while idle; a thread beats during long jobs too (see wayfinder.health).
    worker = SimpleWorker([queue(ENGINE), queue(DELIVERY)], connection=redis_client.conn, worker_ttl=heartbeat + 15)
    stop_beating = start_heartbeat(worker, heartbeat)
    settle_worker_process()
    try:
        worker.work(burst=burst, with_scheduler=False)
    finally:
        stop_beating.set()
