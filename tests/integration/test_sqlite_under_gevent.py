"""SQLite in the gevent web process (issue 12 §3): a request waiting for the write lock must not freeze the
process. SQLite's own busy handler sleeps in C, so every other greenlet — every other request and live socket —
stopped until the lock came or the wait ran out; now the wait sleeps through gevent, and a wait that runs out
still fails with SQLite's "database is locked" (which a request answers with 503).

A real thread of the same process holds the write lock with a plain sqlite3 connection; a greenlet counts how
often it runs while the writer waits (not a timing assertion: it must run at all)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
from gevent import monkey
monkey.patch_all()  # what gunicorn's gevent worker does before the app is imported
import sqlite3, sys, time
import gevent
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from wayfinder.extensions import make_engine

path, hold_for, lock_wait = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
engine = make_engine(f"sqlite:///{path}", lock_wait=lock_wait)
with engine.begin() as conn:
    conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
held = monkey.get_original("_thread", "allocate_lock")()
held.acquire()

def hold():  # a real OS thread, as another process's writer would be
    raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("INSERT INTO t VALUES (1)")
    held.release()
    monkey.get_original("time", "sleep")(hold_for)
    raw.execute("COMMIT")
    raw.close()

monkey.get_original("_thread", "start_new_thread")(hold, ())
held.acquire()  # the lock is taken
ticks = []
def tick():
    while True:
        ticks.append(time.monotonic())
        gevent.sleep(0.01)
gevent.spawn(tick)
gevent.sleep(0)
started = time.monotonic()
try:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (2)")
    outcome = "written"
except OperationalError as exc:
    outcome = "locked" if "database is locked" in str(exc) else repr(exc)
ended = time.monotonic()
print(outcome, len([t for t in ticks if started < t < ended]) > 0)
"""


def run(tmp_path, hold_for: float, lock_wait: float) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "db.sqlite"), str(hold_for), str(lock_wait)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_writer_waiting_for_the_sqlite_lock_lets_the_other_greenlets_run(tmp_path):
    assert run(tmp_path, hold_for=1.0, lock_wait=10) == "written True"


def test_a_wait_that_runs_out_still_fails_as_locked(tmp_path):
    assert run(tmp_path, hold_for=3.0, lock_wait=0.5) == "locked True"
