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
