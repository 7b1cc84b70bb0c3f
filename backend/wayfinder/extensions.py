"""Extension objects, created unbound at import time and bound in `create_app` (no I/O on import)."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import redis
from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session, sessionmaker

log = logging.getLogger(__name__)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RoutedSession(Session):
    """A session whose transactions say what they are: read-only or writing, and how long to wait for locks.

    The flags live in `session.info` (set by `transactions.begin_scope` and the request hooks) and travel to
    the `begin` listeners of `make_engine` as execution options of the connection.
    """

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        engine = super().get_bind(*args, **kwargs)
        return routed(engine, bool(self.info.get("read_only")), self.info.get("lock_wait"))


def routed(engine: Engine, read_only: bool, lock_wait: float | None) -> Engine:
    """`engine` with the unit of work's options; shares its pool and events (one cached proxy per combination)."""
    if not isinstance(engine, Engine) or (not read_only and lock_wait is None):
        return engine
    # Cached on the engine itself, so the proxies live and die with it.
    per_engine: dict[tuple[bool, float | None], Engine] = engine.__dict__.setdefault("_wayfinder_routes", {})
    key = (read_only, lock_wait)
    if key not in per_engine:
        per_engine[key] = engine.execution_options(wayfinder_read_only=read_only, wayfinder_lock_wait=lock_wait)
    return per_engine[key]


class Database:
    """One engine and one scoped session per app.

    Each request is a unit of work: it starts with a fresh session (read-only for GET/HEAD, so on SQLite it
    never takes the write lock; locks waited for at most DB_LOCK_WAIT_REQUEST seconds) and its session is
    removed — rolled back if it did not commit — when the request ends, whether it succeeded or failed.
    Jobs and ticker passes use `wayfinder.transactions.unit_of_work`.
    """

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(
            sessionmaker(class_=RoutedSession, expire_on_commit=False)
        )

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"], lock_wait=float(app.config["DB_LOCK_WAIT_WORKER"]))
        self.session.remove()
        self.session.configure(bind=self.engine)

        @app.before_request
        def _begin_request() -> None:
            self.release()
            info = self.session().info
            info["read_only"] = request.method in READ_METHODS
            info["lock_wait"] = float(app.config["DB_LOCK_WAIT_REQUEST"])

        # teardown_request: with an app context already pushed (tests, a CLI command) a request pushes none,
        # so an app-context teardown alone would let one request's session leak into the next.
        app.teardown_request(lambda exc: self.release())
        app.teardown_appcontext(lambda exc: self.release())

    def release(self) -> None:
        """Roll back whatever the request left open and remove the session; never raises (it runs in teardown)."""
        try:
            self.session.rollback()
        except Exception:
            log.warning("rollback failed while releasing a session", exc_info=True)
        try:
            self.session.remove()
        except Exception:
            log.warning("closing a session failed", exc_info=True)


def make_engine(url: str, lock_wait: float = 60.0, **kwargs: Any) -> Engine:
    """Create an engine whose transactions follow the unit of work's execution options.

    SQLite gets WAL and `synchronous=NORMAL`. A writing transaction begins with `BEGIN IMMEDIATE`: it takes
    the write lock up front, so two workers that read and then write the same enrollments are serialised
    instead of one failing halfway on a lock upgrade. A read-only one (`wayfinder_read_only`, GET requests)
    begins deferred and never takes the write lock: under WAL it reads a snapshot while a writer works.
    `wayfinder_lock_wait` (seconds) bounds the wait for a lock: SQLite's busy timeout, PostgreSQL's
    `lock_timeout`; past it the statement fails and a request answers 503 (`api.errors`). Without it, work
    waits up to `lock_wait` seconds on SQLite (workers, ticker) and as long as it takes on PostgreSQL.
    """
    default_ms = int(lock_wait * 1000)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": lock_wait, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL keeps commits durable across app crashes
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            options = conn.get_execution_options()
            wait = options.get("wayfinder_lock_wait")
            wait_ms = default_ms if wait is None else int(wait * 1000)
            if options.get("wayfinder_read_only"):
                # Per transaction: a pooled connection keeps whatever the previous unit of work set.
                conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
                conn.exec_driver_sql("BEGIN")
            elif _gevent_patched():
                _begin_immediate_cooperatively(conn, wait_ms)
            else:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    engine = create_engine(url, pool_pre_ping=True, **kwargs)

    @event.listens_for(engine, "begin")
    def _postgresql_begin(conn: Any) -> None:
        wait = conn.get_execution_options().get("wayfinder_lock_wait")
        if wait is not None:  # SET LOCAL: ends with the transaction, so a pooled connection carries nothing over
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait * 1000)}")

    return engine


def _gevent_patched() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("time")


def _begin_immediate_cooperatively(conn: Any, wait_ms: int) -> None:
    """`BEGIN IMMEDIATE` in a gevent-patched process (the web server's gevent worker): SQLite's busy handler
    sleeps in C, which would freeze every greenlet of the process — every request and live socket — while one
    request waits for the write lock. So try without waiting and sleep between tries through gevent (the patched
    `time.sleep`), up to the same `wait_ms`; past it, the last try waits in C for what is left, so the error is
    SQLite's own "database is locked" as before (the request answers 503)."""
    deadline = time.monotonic() + wait_ms / 1000
    pause = 0.002
    conn.exec_driver_sql("PRAGMA busy_timeout=0")
    while time.monotonic() + pause < deadline:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
            continue
        conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")  # statements inside wait as before (rare)
        return
    conn.exec_driver_sql(f"PRAGMA busy_timeout={max(0, int((deadline - time.monotonic()) * 1000))}")
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")


class RedisClient:
    """The app's Redis connection (queues, live-count notifications, pub/sub)."""

    def __init__(self) -> None:
        self.connection: redis.Redis | None = None

    def init_app(self, app: Flask) -> None:
        url = app.config["REDIS_URL"]
        self.connection = redis.Redis.from_url(url) if url else None

    @property
    def conn(self) -> redis.Redis:
        if self.connection is None:
            raise RuntimeError("REDIS_URL is not configured")
        return self.connection


db = Database()
redis_client = RedisClient()
socketio = SocketIO()
# Rate limits (only where a view declares one, e.g. the sign-in; see `auth.limits`); bound to each app's Redis.
limiter = Limiter(key_func=get_remote_address)
