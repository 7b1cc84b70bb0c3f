"""Integration fixtures: the app on a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), a real Redis, a real SMTP catcher, and helpers to run the queued jobs and the ticker."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import redis
from flask import g
from rq import Queue
from sqlalchemy import create_engine, text

from tests.conftest import shard_database_url
from tests.integration.accounts import ApiClient, make_member, sign_in
from tests.integration.commands import wayfinder  # noqa: F401 - the fixture: a `wayfinder` command in this process
from wayfinder import create_app
from wayfinder.clock import VirtualClock
from wayfinder.db_migrations import upgrade
from wayfinder.devtools.mailcatcher import MailCatcher
from wayfinder.engine import service
from wayfinder.engine.queues import DELIVERY, ENGINE, EngineWorker
from wayfinder.engine.runner import InlineRunner
from wayfinder.engine.versions import clear_cache
from wayfinder.extensions import db
from wayfinder.models import DEFAULT_WORKSPACE_ID, Base, Workspace, utcnow
from wayfinder.workspaces.settings import create_workspace

BACKENDS = ["sqlite", "postgresql"]
TEST_SESSION_SECONDS = 10 * 366 * 86400


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database migrated to head by the real Alembic revisions, once per backend per session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        url = shard_database_url()
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


def empty_tables(conn, keep: set[str] | frozenset[str] = frozenset()) -> None:
    """Delete every row but the default workspace (the migration's, which data without a workspace of its own
    belongs to) and those of the tables named in `keep`, and give the default workspace its settings back."""
    workspaces = Workspace.__table__
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in keep:
            continue
        conn.execute(
            table.delete().where(workspaces.c.id != DEFAULT_WORKSPACE_ID) if table is workspaces else table.delete()
        )
    conn.execute(
        workspaces.update()
        .where(workspaces.c.id == DEFAULT_WORKSPACE_ID)
        .values(
            name="Default workspace",
            time_zone="Asia/Taipei",
            language="zh-TW",
            sender_name=None,
            sender_email=None,
            test_recipients=[],
        )
    )


@contextmanager
def running_app(database_url, redis_url, queue_prefix, tmp_path, config, clock=None):
    """A test app (`config` on top of the test database, Redis, queue prefix and instance directory) inside its
    app context; afterwards every table is emptied and the queue prefix's Redis keys are deleted."""
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "QUEUE_PREFIX": queue_prefix,
            "DEV_MODE": True,  # the dev tools (demo traffic, outbox) exist; a test may turn them off
            # In-process requests come faster than any browser's: the API limits would throttle the tests that
            # send many events in a loop. The rate-limit tests set small limits of their own.
            "API_USER_RATE_LIMIT": "100000 per second",
            "API_KEY_RATE_LIMIT_INTAKE": "100000 per second",
            "API_KEY_RATE_LIMIT_REST": "100000 per second",
            # The provider emulators listen on 127.0.0.1 (the refusal of such addresses is tested with these off).
            "SMS_ALLOW_PRIVATE": True,
            "LINE_ALLOW_PRIVATE": True,
            **config,
            "INSTANCE_DIR": tmp_path,
            "TESTING": True,
            "PASSWORD_HASH_PROFILE": "CHEAPEST",  # real argon2id, with parameters that cost milliseconds
            # Tests move their virtual clocks by days and weeks: the session outlives them (the timeout tests
            # set the real values back).
            "SESSION_IDLE_SECONDS": TEST_SESSION_SECONDS,
            "SESSION_ABSOLUTE_SECONDS": TEST_SESSION_SECONDS,
        },
        clock=clock,
    )
    app.test_client_class = ApiClient
    with app.app_context():
        yield app
        db.session.rollback()
        with db.engine.begin() as conn:
            empty_tables(conn)
        db.session.remove()
        db.engine.dispose()
    conn = redis.Redis.from_url(redis_url)
    keys = list(conn.scan_iter(f"*{queue_prefix}*"))
    if keys:
        conn.delete(*keys)


@pytest.fixture
def app(request, database_url, redis_url, queue_prefix, mail, tmp_path):
    """The app with real SMTP (the catcher). Its jobs run in this process (ENGINE_RUNNER=inline, drained by
    `engine.run_jobs()`) unless the test is marked `rq`: then they go through the real RQ queues and a burst
    worker, for the tests where RQ itself is under test (retries, failed jobs, lost jobs, worker processes)."""
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": mail.port, "MAIL_CATCHER_DIR": str(mail.directory)}
    if request.node.get_closest_marker("rq") is None:
        config["ENGINE_RUNNER"] = "inline"
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
        sim = Sim(app, clock)
        make_member(app)
        sim.client = sign_in(app)
        yield sim
        clear_cache()


@pytest.fixture
def client(app):
    """A test client signed in as an owner of the default workspace (it sends the CSRF header, as the SPA does)."""
    make_member(app)
    return sign_in(app)


@pytest.fixture
def anonymous(app):
    """A test client that is not signed in."""
    return app.test_client()


class Workspaces:
    """The one place tests switch the request's workspace: a hook put after the app's `before_request` hooks
    (the sign-in gate has admitted the signed-in client and chosen its workspace) sets `g.workspace_id` to the
    one a test uses (never a request header, which the production app would then have to honour)."""

    def __init__(self, app) -> None:
        self.app = app
        self.current = DEFAULT_WORKSPACE_ID
        app.before_request_funcs.setdefault(None, []).append(self._assign)

    def _assign(self) -> None:
        g.workspace_id = self.current

    def create(self, slug: str, **settings) -> int:
        """A new workspace (as `wayfinder create-workspace` makes one); returns its id."""
        with self.app.app_context():
            created = create_workspace(db.session, slug, settings.pop("name", slug.title()), **settings)
            db.session.commit()
            db.session.remove()
        return created.id

    @contextmanager
    def use(self, workspace_id: int):
        """Requests made inside the block serve `workspace_id`."""
        previous, self.current = self.current, workspace_id
        try:
            yield
        finally:
            self.current = previous


@pytest.fixture
def workspaces(app):
    return Workspaces(app)


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
        """Run every queued job to completion in this process: in order with the inline runner, or, in a test
        marked `rq`, with a real RQ burst worker (as `wayfinder worker` would)."""
        if self.app.config.get("ENGINE_RUNNER") == "inline":
            InlineRunner(self.app, self.clock).run_jobs()
        else:
            queues = self.queues()
            EngineWorker(queues, connection=queues[0].connection).work(burst=True)
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
        """The ids of RQ's failed jobs (inline, a failing job raises in `run_jobs` instead: none are kept)."""
        return [job_id for q in self.queues() for job_id in q.failed_job_registry.get_job_ids()]


@pytest.fixture
def engine(app):
    return Engine(app)
