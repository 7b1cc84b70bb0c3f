"""Integration fixtures: the app on a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), a real Redis, a real SMTP catcher, and helpers to run the queued jobs and the ticker."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import redis
from rq import Queue
from rq.worker import SimpleWorker
from sqlalchemy import create_engine, text

from wayfinder import create_app
from wayfinder.clock import VirtualClock
from wayfinder.db_migrations import upgrade
from wayfinder.devtools.mailcatcher import MailCatcher
from wayfinder.engine import service
from wayfinder.engine.queues import DELIVERY, ENGINE
from wayfinder.engine.versions import clear_cache
from wayfinder.extensions import db
from wayfinder.models import Base, utcnow

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database migrated to head by the real Alembic revisions, once per backend per session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
        engine = create_engine(url)
        with engine.begin() as conn:  # start from an empty schema
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)
    return url


@pytest.fixture
def mail(tmp_path):
    with MailCatcher(tmp_path / "mail") as catcher:
        yield catcher


@contextmanager
def running_app(database_url, redis_url, queue_prefix, tmp_path, config, clock=None):
    """A test app (`config` on top of the test database, Redis, queue prefix and instance directory) inside its
    app context; afterwards every table is emptied and the queue prefix's Redis keys are deleted."""
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "QUEUE_PREFIX": queue_prefix,
            **config,
            "INSTANCE_DIR": tmp_path,
            "TESTING": True,
        },
        clock=clock,
    )
    with app.app_context():
        yield app
        db.session.rollback()
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        db.session.remove()
        db.engine.dispose()
    conn = redis.Redis.from_url(redis_url)
    keys = list(conn.scan_iter(f"*{queue_prefix}*"))
    if keys:
        conn.delete(*keys)


@pytest.fixture
def app(database_url, redis_url, queue_prefix, mail, tmp_path):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": mail.port, "MAIL_CATCHER_DIR": str(mail.directory)}
    with running_app(database_url, redis_url, queue_prefix, tmp_path, config) as app:
        yield app


SIM_START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Taipei


@pytest.fixture
def sim(database_url, redis_url, queue_prefix, tmp_path):
    """The app on a virtual clock with the inline job runner (see tests/integration/sim.py)."""
    from tests.integration.sim import Sim

    clock = VirtualClock(SIM_START)
    config = {"EMAIL_ADAPTER": "sandbox", "ENGINE_RUNNER": "inline"}
    with running_app(database_url, redis_url, queue_prefix, tmp_path, config, clock=clock) as app:
        yield Sim(app, clock)
        clear_cache()


@pytest.fixture
def client(app):
    return app.test_client()


class Engine:
    """Drives the real queues and ticker of a test app, with an explicit clock for waits."""

    def __init__(self, app):
        self.app = app
        # A virtual clock from the real time on: the ticker passes and the jobs they lead to run at the same
        # moment (jobs carry it), and time moves only when a test moves it.
        self.clock = VirtualClock(utcnow())
        app.extensions["wayfinder.clock"] = self.clock

    @property
    def now(self):
        return self.clock.now()

    def queues(self):
        prefix = self.app.config["QUEUE_PREFIX"]
        conn = redis.Redis.from_url(self.app.config["REDIS_URL"])
        return [Queue(f"{prefix}{ENGINE}", connection=conn), Queue(f"{prefix}{DELIVERY}", connection=conn)]

    def run_jobs(self):
        """Run every queued job to completion in this process, as a real RQ worker would."""
        queues = self.queues()
        SimpleWorker(queues, connection=queues[0].connection).work(burst=True)
        db.session.remove()

    def tick_after(self, **delta):
        """Move the clock forward and run one ticker pass; the jobs it enqueues stay queued."""
        self.clock.advance(**delta)
        stats = service.tick(now=self.now)
        db.session.remove()
        return stats

    def advance_clock(self, **delta):
        """Move the clock forward, run one ticker pass and every job it leads to."""
        self.tick_after(**delta)
        self.run_jobs()

    def failed_jobs(self):
        return [job_id for q in self.queues() for job_id in q.failed_job_registry.get_job_ids()]


@pytest.fixture
def engine(app):
    return Engine(app)
