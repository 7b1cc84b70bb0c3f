"""Fixtures shared by every tier: real Redis, real SQLite and (with TEST_DATABASE_URL) real PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from sqlalchemy import create_engine, text

from wayfinder.devtools import shards
from wayfinder.devtools.embedded_redis import EmbeddedRedis


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """TEST_REDIS_URL (default: the local server, db 15); the embedded redis-server when that is unreachable."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        yield url
        return
    except redis.RedisError:
        pass
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    yield server.start()
    server.stop()


@pytest.fixture
def queue_prefix():
    """Queue and key names unique to one test, so tests never see each other's jobs."""
    return f"test-{uuid.uuid4().hex[:8]}:"


#: Seconds the files that take more than 2 s spent in each kind of shard (measured 2026-12-05, the two kinds side
#: by side, paths under tests/): only for dealing tests/ into shards of about equal length (see
#: `wayfinder.devtools.shards`). A file not listed counts DEFAULT_SECONDS per test.
TESTS_SECONDS: dict[str, dict[str, float]] = {
    "postgresql": {
        "integration/test_delivery_crash.py": 22,
        "integration/test_api_contract.py": 15,
        "integration/test_recovery.py": 16,
        "integration/test_accounts_cli.py": 16,
        "integration/test_live_server.py": 14,
        "integration/test_health.py": 10,
        "integration/test_triggers.py": 10,
        "integration/test_splits_and_times.py": 8,
        "integration/test_workspaces.py": 8,
        "integration/test_roles.py": 7,
        "integration/test_journey_settings_run.py": 6,
        "integration/test_poison.py": 6,
        "integration/test_keepalive.py": 6,
        "integration/test_wsgi_server.py": 5,
        "integration/test_live_capacity.py": 5,
        "integration/test_contract_defects.py": 5,
        "integration/test_ab_independence.py": 4,
        "integration/test_api.py": 4,
        "integration/test_limits.py": 3,
        "integration/test_migrations.py": 3,
        "integration/test_permissions_matrix.py": 3,
        "integration/test_goal.py": 3,
        "integration/test_schedule_dates_api.py": 2,
    },
    "other": {
        "integration/test_api_contract.py": 45,
        "integration/test_dev_supervisor.py": 40,
        "integration/test_recovery.py": 23,
        "integration/test_delivery_crash.py": 22,
        "integration/test_live_server.py": 19,
        "integration/test_accounts_cli.py": 13,
        "integration/test_health.py": 10,
        "integration/test_triggers.py": 7,
        "integration/test_live_capacity.py": 6,
        "integration/test_workspaces.py": 6,
        "integration/test_keepalive.py": 6,
        "integration/test_wsgi_server.py": 5,
        "integration/test_contract_defects.py": 5,
        "integration/test_permissions_matrix.py": 4,
        "integration/test_splits_and_times.py": 4,
        "integration/test_poison.py": 4,
        "integration/test_journey_settings_run.py": 3,
        "integration/test_worker_shutdown.py": 3,
        "integration/test_unit_of_work.py": 3,
        "integration/test_ab_independence.py": 3,
        "integration/test_sqlite_under_gevent.py": 3,
        "unit/test_template_limits.py": 3,
        "integration/test_members.py": 2,
    },
}
DEFAULT_SECONDS = 0.1
KINDS = ("postgresql", "other")


def shard_spec() -> tuple[str, int, int] | None:
    """WAYFINDER_TEST_SHARD as (kind, index, count): "postgresql" / "other", optionally ":i/n"."""
    spec = os.environ.get("WAYFINDER_TEST_SHARD")
    if not spec:
        return None
    kind, _, part = spec.partition(":")
    try:
        if kind not in KINDS:
            raise ValueError(kind)
        index, count = shards.parse(part) if part else (1, 1)
    except ValueError:
        raise pytest.UsageError(
            f"WAYFINDER_TEST_SHARD={spec!r}: expected postgresql or other, optionally followed by :i/n"
        ) from None
    return kind, index, count


def shard_database_url() -> str | None:
    """TEST_DATABASE_URL, or for PostgreSQL shard i > 1 of n its own database beside it (`<name>_<i>`, created
    when missing): the shards empty their tables after every test, so each needs a database of its own."""
    url = os.environ.get("TEST_DATABASE_URL")
    spec = shard_spec()
    if not url or spec is None or spec[0] != "postgresql" or spec[1] == 1:
        return url
    own = f"{url}_{spec[1]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = own.rsplit("/", 1)[1]
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return own


def pytest_collection_modifyitems(config, items):
    """WAYFINDER_TEST_SHARD=postgresql keeps only the tests run on PostgreSQL (parametrized with it), =other
    keeps every other test; unset, all run. ":i/n" after either keeps shard i of n of those, by whole files.
    backend/bin/test runs several such shards as separate pytest processes side by side with e2e/."""
    spec = shard_spec()
    if spec is None:
        return
    kind, index, count = spec
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and "postgresql" in callspec.params.values()
        (keep if on_postgresql == (kind == "postgresql") else drop).append(item)
    if count > 1:
        files: dict[str, int] = {}
        for item in keep:
            files[item.nodeid.split("::")[0]] = files.get(item.nodeid.split("::")[0], 0) + 1
        measured = TESTS_SECONDS[kind]
        seconds = {
            path: measured.get(path.removeprefix("tests/"), DEFAULT_SECONDS * tests) for path, tests in files.items()
        }
        mine = shards.deal(seconds, count)[index - 1]
        drop += [item for item in keep if item.nodeid.split("::")[0] not in mine]
        keep = [item for item in keep if item.nodeid.split("::")[0] in mine]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
