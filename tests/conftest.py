"""Fixtures shared by every tier: real Redis, real SQLite and (with TEST_DATABASE_URL) real PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

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


def pytest_collection_modifyitems(config, items):
    """WAYFINDER_TEST_SHARD=postgresql keeps only the tests run on PostgreSQL (parametrized with it), =other
    keeps every other test; unset, all run. backend/bin/test runs the two shards as two pytest processes, so
    their halves of tests/ can share the machine's cores with e2e/ (see `pytest_jobs` there)."""
    shard = os.environ.get("WAYFINDER_TEST_SHARD")
    if not shard:
        return
    if shard not in ("postgresql", "other"):
        raise pytest.UsageError(f"WAYFINDER_TEST_SHARD={shard!r}: expected postgresql or other")
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and "postgresql" in callspec.params.values()
        (keep if on_postgresql == (shard == "postgresql") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
