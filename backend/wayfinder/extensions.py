"""Extension objects, created unbound at import time and bound in `create_app` (no I/O on import)."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask
from flask_socketio import SocketIO
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker


class Database:
    """One engine and one scoped session per app; the session is removed at the end of each request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session.remove()
        self.session.configure(bind=self.engine)
        app.teardown_appcontext(lambda exc: self.session.remove())


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and `BEGIN IMMEDIATE` transactions.

    `BEGIN IMMEDIATE` takes the write lock when a transaction starts, so two workers that read and then
    write the same enrollments are serialised instead of one failing halfway with "database is locked".
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL keeps commits durable across app crashes
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


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
