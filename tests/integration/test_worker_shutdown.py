"""A worker stops within seconds of being asked to.

RQ's command listener (redis-py's pub/sub thread) used to be started with a 60 s poll: when it handled its
UNSUBSCRIBE reply before its stop flag was set, it waited up to 60 s for a new subscription and the worker's
teardown joined it — a minute per stopped worker, in every test that drained the queues and after SIGTERM.
The bounds below are failure timeouts on real processes and threads, not timing measurements."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import redis
from rq import Queue, Worker
from rq.worker import WorkerStatus

from wayfinder.engine.queues import ENGINE, EngineWorker

pytestmark = pytest.mark.rq  # RQ itself is under test: real queues and workers

STOP_BOUND = 15  # seconds: far above the ~1 s a stop takes, far below the 60 s stall


def wait_until(condition, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_teardown_does_not_wait_for_the_listener_that_already_saw_its_unsubscribe(redis_url, queue_prefix):
    """The race, made certain: the listener thread handles the UNSUBSCRIBE reply (and, with no subscription left,
    waits for one) before the worker's teardown stops it. Before EngineWorker this took 60 s."""
    conn = redis.Redis.from_url(redis_url)
    worker = EngineWorker([Queue(f"{queue_prefix}{ENGINE}", connection=conn)], connection=conn)
    worker.subscribe()
    wait_until(lambda: worker.pubsub.subscribed, what="the subscription")
    worker.pubsub.unsubscribe()
    wait_until(lambda: not worker.pubsub.subscribed, what="the listener to handle the UNSUBSCRIBE reply")

    teardown = threading.Thread(target=worker.unsubscribe, daemon=True)  # what RQ's teardown calls
    teardown.start()
    teardown.join(STOP_BOUND)
    assert not teardown.is_alive(), "the worker's teardown is still waiting for its pub/sub thread"
    assert not worker.pubsub_thread.is_alive()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the database plays no part here
def test_wayfinder_worker_exits_soon_after_sigterm(app, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_QUEUE_PREFIX": app.config["QUEUE_PREFIX"],
        "WAYFINDER_INSTANCE": str(tmp_path),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "wayfinder.cli", "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        queue = Queue(f"{app.config['QUEUE_PREFIX']}{ENGINE}", connection=redis.Redis.from_url(app.config["REDIS_URL"]))

        # Idle: registered, and past installing its signal handlers (RQ does that after registering; a SIGTERM
        # before it ends the process the default way, with -15).
        def idle() -> bool:
            return any(w.get_state() == WorkerStatus.IDLE for w in Worker.all(queue=queue))

        wait_until(lambda: worker.poll() is not None or idle(), timeout=60, what="the worker to wait for jobs")
        assert worker.poll() is None, worker.stderr.read().decode()
        worker.send_signal(signal.SIGTERM)
        try:
            code = worker.wait(timeout=STOP_BOUND)
        except subprocess.TimeoutExpired:
            pytest.fail(f"`wayfinder worker` still running {STOP_BOUND} s after SIGTERM")
        assert code == 0, worker.stderr.read().decode()[-2000:]
        assert Worker.all(queue=queue) == []  # it unregistered on the way out
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_a_burst_leaves_the_processs_signal_handlers_as_it_found_them(redis_url, queue_prefix):
    """RQ installs its SIGINT/SIGTERM handlers for the work loop; in a process that goes on (a test run, a
    benchmark) a later Ctrl-C raised RQ's StopRequested in whatever ran then."""
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    conn = redis.Redis.from_url(redis_url)
    EngineWorker([Queue(f"{queue_prefix}{ENGINE}", connection=conn)], connection=conn).work(burst=True)
    assert {sig: signal.getsignal(sig) for sig in before} == before
