"""GET /healthz and `wayfinder doctor`: database, Redis, the ticker's last pass, RQ workers and their
heartbeats, queue depths and the oldest overdue wait — with a real worker process killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import redis
from sqlalchemy import update

from tests.integration.journeys import GRAPH, customer, publish, track
from wayfinder import create_app
from wayfinder.extensions import db, redis_client
from wayfinder.health import collect, format_report
from wayfinder.models import Enrollment, utcnow

pytestmark = pytest.mark.rq  # the queues' depths and the workers are what is reported

# Seconds; a worker is dead after two missed beats (+1 s). Not 1: the test command runs this at `nice` 10 beside
# the browser tests on two busy cores, where a 1 s beat could be late by 3 s and a live worker read as dead.
HEARTBEAT = 2


def health(client):
    response = client.get("/healthz")
    # The test client's requests share the test's app context, so the session outlives the request; end its
    # transaction as a real request would (on SQLite it holds the write lock, and the ticker needs it).
    db.session.remove()
    return response.status_code, response.get_json()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture
def env(app, tmp_path):
    return {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "WAYFINDER_QUEUE_PREFIX": app.config["QUEUE_PREFIX"],
        "WAYFINDER_INSTANCE": str(tmp_path),
        "WORKER_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "EMAIL_ADAPTER": "sandbox",
    }


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []

    def start(env: dict, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "wayfinder.cli", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(30)


def doctor(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wayfinder.cli", "doctor"], env=env, capture_output=True, text=True, timeout=60
    )


def test_nothing_running_is_reported_and_not_moving(client):
    status, report = health(client)
    assert status == 200
    assert report["ok"] is True
    assert report["database"] == {"ok": True} and report["redis"] == {"ok": True}
    assert report["workers"]["alive"] == 0 and report["ticker"]["alive"] is False
    assert report["customers_moving"] is False
    assert report["problems"] == [
        {"code": "no_worker", "command": "wayfinder worker"},
        {"code": "no_ticker", "command": "wayfinder ticker"},
    ]
    assert report["queues"] == {"engine": {"queued": 0, "failed": 0}, "delivery": {"queued": 0, "failed": 0}}
    assert report["oldest_due_wait_seconds"] is None


def test_a_killed_worker_is_reported_dead_within_its_heartbeat_interval(app, client, env, processes):
    app.config["WORKER_HEARTBEAT_SECONDS"] = HEARTBEAT
    worker = processes(env, "worker")
    processes(env, "ticker", "--interval", "0.2")
    report = wait_for(lambda: (r := health(client)[1])["customers_moving"] and r, 60, "a live worker and ticker")
    [seen] = report["workers"]["list"]
    assert seen["alive"] and seen["pid"] == worker.pid
    assert report["problems"] == []
    assert report["ticker"]["alive"]  # its stamp is fresh (how fresh depends on the machine: not asserted)
    moving = doctor(env)
    assert moving.returncode == 0, moving.stdout + moving.stderr
    assert "workers: 1 alive, 0 dead" in moving.stdout and "customers are moving" in moving.stdout

    # A busy worker still beats: its thread heartbeats while a job runs, so only a dead one goes quiet.
    os.kill(worker.pid, signal.SIGKILL)
    killed = time.monotonic()
    worker.wait(10)
    report = wait_for(lambda: (r := health(client)[1])["workers"]["dead"] == 1 and r, 20, "the worker to show dead")
    detected = time.monotonic() - killed
    # Two missed beats + 1 s grace, plus slack for polling on a busy machine: seen dead in seconds, not minutes.
    assert detected <= 2 * HEARTBEAT + 1 + 5, detected
    assert report["workers"]["alive"] == 0 and report["customers_moving"] is False
    assert report["problems"] == [{"code": "no_worker", "command": "wayfinder worker"}]
    assert report["workers"]["list"][0]["heartbeat_age_seconds"] > 2 * HEARTBEAT

    # The dead worker's own line, on the report just read: its record lasts worker_ttl (heartbeat + 15 s) after its
    # last beat, and on a slow machine the doctor process below may start after that (it then lists no worker).
    assert f"DEAD  {report['workers']['list'][0]['name']} pid {worker.pid}" in format_report(report)
    stopped = doctor(env)
    assert stopped.returncode == 1
    assert "[FAIL] workers: 0 alive" in stopped.stdout and "CUSTOMERS ARE NOT MOVING" in stopped.stdout


def test_a_stale_ticker_stamp_is_not_alive(app, client):
    conn = redis.Redis.from_url(app.config["REDIS_URL"])
    key = f"{app.config['QUEUE_PREFIX']}wayfinder:ticker"
    conn.hset(key, mapping={"last_pass": time.time() - 30, "last_ok": time.time() - 30, "interval": 1.0})
    ticker = health(client)[1]["ticker"]
    assert ticker["alive"] is False and ticker["age_seconds"] >= 30


def test_queue_depths_and_the_oldest_overdue_wait(client, engine):
    publish(client, GRAPH)
    customer(client, "lin", "Lin")
    track(client, "c-1", "lin", "cart_updated", product="Tea", total=520)
    assert health(client)[1]["queues"]["engine"]["queued"] == 1
    engine.run_jobs()
    report = health(client)[1]
    assert report["queues"]["engine"]["queued"] == 0
    assert report["oldest_due_wait_seconds"] is None  # waiting, but not due for an hour
    db.session.execute(update(Enrollment).values(wake_at=utcnow() - timedelta(seconds=90)))
    db.session.commit()
    assert 90 <= health(client)[1]["oldest_due_wait_seconds"] < 120


@pytest.mark.parametrize("broken", ["DATABASE_URL", "REDIS_URL"])
def test_database_or_redis_down_is_a_503(app, broken, tmp_path):
    urls = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nothing", "REDIS_URL": "redis://127.0.0.1:1/0"}
    config = {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "QUEUE_PREFIX": app.config["QUEUE_PREFIX"],
        "INSTANCE_DIR": tmp_path,
        broken: urls[broken],
    }
    down = create_app(config)  # rebinds the process-wide `db` and `redis_client`: restored below
    try:
        response = down.test_client().get("/healthz")
        with down.app_context():
            report = collect()  # what a signed-in member would see
        printed = doctor({**os.environ, **{k: str(v) for k, v in config.items() if k.endswith("_URL")}})
    finally:
        db.session.remove()
        db.engine.dispose()
        db.init_app(app)
        redis_client.init_app(app)
    assert printed.returncode == 1 and "[FAIL]" in printed.stdout
    assert response.status_code == 503
    # Nobody can sign in with the database down: the anonymous answer is ok / not ok, the doctor tells which part.
    assert response.get_json() == {"ok": False}
    part = "database" if broken == "DATABASE_URL" else "redis"
    assert f"[FAIL] {part}" in printed.stdout
    assert report[part]["ok"] is False and report[part]["error"]
    assert report["problems"] == [{"code": "services_down", "command": "wayfinder doctor"}]


def test_anonymous_callers_get_only_ok_or_not(anonymous, client):
    response = anonymous.get("/healthz")
    assert response.status_code in (200, 503)  # no worker runs here
    assert response.get_json() == {"ok": True}
    assert "workers" in client.get("/healthz").get_json()  # the detail is for signed-in members
