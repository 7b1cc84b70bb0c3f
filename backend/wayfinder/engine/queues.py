"""RQ queues and enqueue helpers. Jobs receive ids, never ORM objects; rows are committed before enqueueing."""

from __future__ import annotations

import gc
import signal
from collections import deque
from typing import Any

from flask import current_app
from rq import Queue, Retry
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.worker import SimpleWorker

from wayfinder import clock
from wayfinder.db_utils import chunked
from wayfinder.engine import delivery
from wayfinder.engine.heartbeat import start_heartbeat
from wayfinder.engine.leases import start_lease_keeper
from wayfinder.extensions import redis_client

ENGINE = "engine"
DELIVERY = "delivery"
JOB_TIMEOUT = 600
FAILURE_TTL = 7 * 24 * 3600
RETRY = Retry(max=5, interval=[2, 10, 30, 60, 120])


_INLINE_KEY = "wayfinder.inline_jobs"


def inline_jobs() -> deque:
    """With ENGINE_RUNNER="inline": the current app's in-memory queue of (queue name, dotted function, ids, kwargs),
    drained by `wayfinder.engine.runner.InlineRunner`."""
    return current_app.extensions.setdefault(_INLINE_KEY, deque())


def queue(name: str) -> Queue:
    prefix = current_app.config.get("QUEUE_PREFIX") or ""
    return Queue(f"{prefix}{name}", connection=redis_client.conn)


def _enqueue(name: str, func: str, ids: list[int], batch: int, at_front: bool = False) -> None:
    """One job per chunk of ids. On a virtual clock a job carries the time it runs at (`at`); on the system
    clock it reads the clock when it runs."""
    current = clock.current()
    kwargs = {"at": current.now().isoformat()} if current.virtual else {}
    if current_app.config.get("ENGINE_RUNNER") == "inline":
        for chunk in chunked(ids, batch):
            inline_jobs().append((name, func, chunk, kwargs))
        return
    q = queue(name)
    for chunk in chunked(ids, batch):
        q.enqueue(
            func,
            chunk,
            **kwargs,
            job_timeout=JOB_TIMEOUT,
            failure_ttl=FAILURE_TTL,
            retry=RETRY,
            result_ttl=60,
            at_front=at_front,
        )


def enqueue_events(event_ids: list[int]) -> None:
    _enqueue(ENGINE, "wayfinder.engine.jobs.process_events_job", event_ids, current_app.config["ENGINE_BATCH_SIZE"])


def enqueue_advance(enrollment_ids: list[int]) -> None:
    _enqueue(ENGINE, "wayfinder.engine.jobs.advance_job", enrollment_ids, current_app.config["ENGINE_BATCH_SIZE"])


def enqueue_firings(firing_ids: list[int]) -> None:
    _enqueue(ENGINE, "wayfinder.engine.jobs.fire_triggers_job", firing_ids, 1)


def enqueue_delivery(message_ids: list[int], at_front: bool = False) -> None:
    """`at_front`: messages that are already overdue (a dead worker's, a retry) go ahead of the backlog."""
    _enqueue(DELIVERY, "wayfinder.engine.jobs.deliver_job", message_ids, delivery.JOB_SIZE, at_front=at_front)


#: The longest a worker's command thread (RQ's pub/sub listener) blocks before it looks at its stop flag again.
PUBSUB_POLL_SECONDS = 1.0


class EngineWorker(SimpleWorker):
    """RQ's SimpleWorker (jobs run in this process) that stops within about a second of being asked to.

    RQ listens for commands (`rq.command.send_shutdown_command`, ...) with redis-py's pub/sub thread, started with
    `sleep_time=60`, and stops it on teardown by unsubscribing and then joining it. When the thread handles the
    UNSUBSCRIBE reply before the stop flag is set — a race that two busy cores lose often — it has no subscription
    left and waits up to `sleep_time` for one (`PubSub.get_message`), and the join (unbounded since redis-py 8)
    waits with it: every test that ran a burst worker, and `wayfinder worker` after SIGTERM, could hang 60 s. A
    short poll bounds that wait; commands still arrive at once (the thread wakes on every message).
    """

    def work(self, *args: Any, **kwargs: Any) -> bool:
        """RQ's work loop; afterwards SIGINT and SIGTERM do again what they did before (RQ's handlers would stay
        installed in a process that goes on after a burst: a test run or a benchmark)."""
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            return super().work(*args, **kwargs)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def get_heartbeat_ttl(self, job: Any, working_time: float = 0.0) -> int:
        """How long the started-job registry keeps this worker's running job without a beat: the worker's own
        TTL, not RQ's `job timeout + 60` s (660 s here). `wayfinder worker`'s heartbeat thread renews both while
        the process lives (`beat`); once it dies, the ticker hands its job out again within about that TTL
        (`recover_abandoned_jobs`), including a job it had taken from the queue but not yet started on."""
        return int(self.worker_ttl)

    def beat(self) -> None:
        """The worker's heartbeat and that of the jobs it is running, in one round trip."""
        ttl = int(self.worker_ttl)
        with self.connection.pipeline() as pipeline:
            self.heartbeat(ttl, pipeline=pipeline)
            for execution in list(self.executions.values()):
                registry = StartedJobRegistry(execution.job.origin, connection=self.connection)
                execution.heartbeat(registry, ttl, pipeline=pipeline)
            pipeline.execute()

    def subscribe(self) -> None:
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=PUBSUB_POLL_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler
        )


def recover_abandoned_jobs() -> int:
    """Jobs whose worker died while holding them (its heartbeat stopped; see `EngineWorker.get_heartbeat_ttl`):
    RQ's own clean-up of the started-job registry gives each a retry (every job here may run twice: its work is
    leased in the database), and the retries that are due are put back on their queue, in front. This covers the
    moment between a worker taking a job off the queue and the job leasing its rows, which no database lease
    sees. Called by the ticker; returns how many jobs went back on a queue."""
    requeued = 0
    for name in (ENGINE, DELIVERY):
        q = queue(name)
        q.started_job_registry.cleanup()
        scheduled = q.scheduled_job_registry
        due = scheduled.get_jobs_to_schedule(int(clock.wall_seconds()))
        if not due:
            continue
        jobs = Job.fetch_many(due, connection=q.connection)
        with q.connection.pipeline() as pipeline:
            for job_id, job in zip(due, jobs, strict=True):
                if job is not None:
                    q.enqueue_job(job, pipeline=pipeline, at_front=True)
                    requeued += 1
                scheduled.remove(job_id, pipeline=pipeline)
            pipeline.execute()
    return requeued


def settle_worker_process() -> None:
    """Keep what a worker loaded at start-up (modules, the app, mappers: hundreds of thousands of objects that
    live as long as the process) out of the garbage collector's way. Without this every full collection
    during a batch walks all of them again: on bench/engine.py that was about a tenth of the engine's time."""
    gc.collect()
    gc.freeze()


def run_worker(burst: bool = False) -> None:
    """Work the engine and delivery queues in this process (inside an app context).

    SimpleWorker runs jobs in-process: an engine job is a whole batch, so a fork per job buys nothing, and
    the process keeps its database pool and graph cache. SIGTERM or SIGINT stops it after the job it is running
    (at once when idle; see `EngineWorker` for what made that take a minute). A killed worker loses no customer:
    the leases of the enrollments and messages its jobs hold stop being renewed, and the ticker hands them out
    again within ENGINE_LEASE_SECONDS / DELIVERY_LEASE_SECONDS (30 s each by default).
    """
    heartbeat = current_app.config["WORKER_HEARTBEAT_SECONDS"]
    # RQ beats every `worker_ttl - 15` s while idle; a thread beats during long jobs too (see wayfinder.health).
    worker = EngineWorker([queue(ENGINE), queue(DELIVERY)], connection=redis_client.conn, worker_ttl=heartbeat + 15)
    stop_beating = start_heartbeat(worker, heartbeat)
    # The leases of this process's running jobs (enrollments, delivery claims) are renewed beside the job loop
    # by one keeper thread (see engine/leases.py).
    stop_renewing = start_lease_keeper(current_app._get_current_object())  # type: ignore[attr-defined]
    settle_worker_process()
    try:
        worker.work(burst=burst, with_scheduler=False)
    finally:
        stop_beating.set()
        stop_renewing.set()
