"""Fixtures shared by every tier: real Redis, real SQLite and (with TEST_DATABASE_URL) real PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.url_builders import memoize_url_builders
from wayfinder.devtools import shards
from wayfinder.devtools.embedded_redis import EmbeddedRedis

memoize_url_builders()  # an app per test: see tests/url_builders.py


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


#: Seconds each file took in each kind (measured 2026-12-05 in one pytest process on the idle machine, setup and
#: teardown included, paths under tests/; files under 0.3 s left out): only for dealing tests/ into shards of about
#: equal length (see `wayfinder.devtools.shards`). A file not listed counts DEFAULT_SECONDS per test.
TESTS_SECONDS: dict[str, dict[str, float]] = {
    "postgresql": {
        "integration/test_delivery_crash.py": 55.5,
        "integration/test_wsgi_server.py": 28.7,
        "integration/test_api_contract.py": 16.5,
        "integration/test_recovery.py": 15.2,
        "integration/test_live_server.py": 15.0,
        "integration/test_triggers.py": 14.9,
        "integration/test_health.py": 14.2,
        "integration/test_scenarios.py": 8.6,
        "integration/test_splits_and_times.py": 8.4,
        "integration/test_ab_independence.py": 7.6,
        "integration/test_message_log.py": 7.2,
        "integration/test_keepalive.py": 6.1,
        "integration/test_journey_settings_run.py": 6.0,
        "integration/test_contract_defects.py": 6.0,
        "integration/test_live_capacity.py": 5.9,
        "integration/test_api.py": 5.4,
        "integration/test_limits.py": 5.2,
        "integration/test_tags.py": 5.2,
        "integration/test_goal.py": 5.0,
        "integration/test_action_paths.py": 4.9,
        "integration/test_roles.py": 4.9,
        "integration/test_permissions_matrix.py": 4.9,
        "integration/test_poison.py": 4.3,
        "integration/test_demo_traffic.py": 3.5,
        "integration/test_engine_flow.py": 3.3,
        "integration/test_wait_for_event.py": 3.0,
        "integration/test_journey_priority.py": 2.9,
        "integration/test_accounts_cli.py": 2.7,
        "integration/test_workspaces.py": 2.6,
        "integration/test_inbound_hooks.py": 2.2,
        "integration/test_headers_and_docs.py": 2.2,
        "integration/test_migrations.py": 2.2,
        "integration/test_accounts.py": 2.2,
        "integration/test_api_keys.py": 2.0,
        "integration/test_engagement.py": 2.0,
        "integration/test_content.py": 1.9,
        "integration/test_worker_kill.py": 1.9,
        "integration/test_unit_of_work.py": 1.8,
        "integration/test_audience.py": 1.7,
        "integration/test_effects_and_manifest.py": 1.6,
        "integration/test_gallery.py": 1.6,
        "integration/test_live.py": 1.4,
        "integration/test_validation_warnings.py": 1.2,
        "integration/test_insights.py": 1.1,
        "integration/test_message_pipeline.py": 1.1,
        "integration/test_demo_seed.py": 1.1,
        "integration/test_audit_log.py": 0.9,
        "integration/test_schedule_dates_api.py": 0.9,
        "integration/test_members.py": 0.8,
        "integration/test_tracking.py": 0.8,
        "integration/test_password_reset.py": 0.8,
        "integration/test_totp.py": 0.7,
        "integration/test_db_utils.py": 0.7,
        "integration/test_db_locks.py": 0.7,
        "integration/test_host_allow_list.py": 0.6,
        "integration/test_channel_accounts.py": 0.4,
    },
    "other": {
        "integration/test_delivery_crash.py": 49.1,
        "integration/test_api_contract_negative.py": 31.9,
        "integration/test_dev_supervisor.py": 25.4,
        "integration/test_api_contract.py": 20.0,
        "integration/test_recovery.py": 17.6,
        "integration/test_live_server.py": 14.6,
        "integration/test_health.py": 11.1,
        "integration/test_triggers.py": 10.1,
        "integration/test_roles.py": 6.3,
        "integration/test_keepalive.py": 6.1,
        "integration/test_wsgi_server.py": 6.0,
        "integration/test_contract_defects.py": 5.7,
        "integration/test_splits_and_times.py": 5.2,
        "integration/test_scenarios.py": 5.2,
        "integration/test_limits.py": 4.5,
        "integration/test_live_capacity.py": 3.9,
        "integration/test_message_log.py": 3.8,
        "integration/test_journey_settings_run.py": 3.5,
        "integration/test_accounts_cli.py": 3.4,
        "integration/test_sqlite_under_gevent.py": 3.4,
        "integration/test_migrations.py": 3.2,
        "integration/test_ab_independence.py": 3.1,
        "integration/test_worker_kill.py": 3.0,
        "integration/test_worker_shutdown.py": 2.9,
        "integration/test_tags.py": 2.8,
        "integration/test_permissions_matrix.py": 2.7,
        "unit/test_template_limits.py": 2.7,
        "integration/test_poison.py": 2.7,
        "integration/test_api.py": 2.4,
        "integration/test_action_paths.py": 1.9,
        "integration/test_unit_of_work.py": 1.9,
        "integration/test_workspaces.py": 1.8,
        "integration/test_wait_for_event.py": 1.8,
        "integration/test_journey_priority.py": 1.7,
        "integration/test_goal.py": 1.5,
        "integration/test_api_keys.py": 1.4,
        "integration/test_content.py": 1.4,
        "integration/test_inbound_hooks.py": 1.4,
        "integration/test_fcm_provider.py": 1.4,
        "integration/test_webhook_provider.py": 1.4,
        "unit/test_step_types.py": 1.3,
        "integration/test_headers_and_docs.py": 1.3,
        "integration/test_effects_and_manifest.py": 1.2,
        "integration/test_accounts.py": 1.2,
        "unit/test_import_contracts.py": 1.0,
        "integration/test_gallery.py": 1.0,
        "unit/test_warning_policy.py": 1.0,
        "unit/test_import_rules.py": 1.0,
        "integration/test_audience.py": 1.0,
        "integration/test_audit_log.py": 1.0,
        "integration/test_live.py": 0.9,
        "integration/test_schedule_dates_api.py": 0.9,
        "integration/test_sms_providers.py": 0.9,
        "integration/test_db_utils.py": 0.8,
        "integration/test_validation_warnings.py": 0.8,
        "integration/test_line_provider.py": 0.8,
        "integration/test_demo_traffic.py": 0.7,
        "integration/test_members.py": 0.7,
        "integration/test_tracking.py": 0.7,
        "integration/test_totp.py": 0.6,
        "integration/test_insights.py": 0.5,
        "integration/test_host_allow_list.py": 0.5,
        "integration/test_db_locks.py": 0.5,
        "unit/test_passwords.py": 0.4,
        "integration/test_engine_flow.py": 0.4,
        "integration/test_demo_seed.py": 0.4,
        "integration/test_message_pipeline.py": 0.4,
        "integration/test_password_reset.py": 0.4,
        "integration/test_webpush_provider.py": 0.4,
        "integration/test_engagement.py": 0.3,
        "integration/test_channel_accounts.py": 0.3,
    },
}
DEFAULT_SECONDS = 0.05
KINDS = ("postgresql", "other")


def shard_spec() -> tuple[tuple[str, ...], int, int] | None:
    """WAYFINDER_TEST_SHARD as (kinds, index, count): "postgresql" or "other" (one kind of test, whole), either
    followed by ":i/n" (shard i of n of that kind), or "i/n" alone (shard i of n of both kinds dealt together)."""
    spec = os.environ.get("WAYFINDER_TEST_SHARD")
    if not spec:
        return None
    kind, _, part = spec.partition(":")
    try:
        if kind in KINDS:
            return (kind,), *(shards.parse(part) if part else (1, 1))
        return KINDS, *shards.parse(spec)
    except ValueError:
        raise pytest.UsageError(
            f"WAYFINDER_TEST_SHARD={spec!r}: expected i/n, or postgresql or other optionally followed by :i/n"
        ) from None


def shard_database_url() -> str | None:
    """TEST_DATABASE_URL, or for shard i > 1 of n that runs PostgreSQL tests its own database beside it
    (`<name>_<i>`, created when missing): the shards empty their tables after every test, so each needs a
    database of its own."""
    url = os.environ.get("TEST_DATABASE_URL")
    spec = shard_spec()
    if not url or spec is None or "postgresql" not in spec[0] or spec[1] == 1:
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


def _kind(item) -> str:
    callspec = getattr(item, "callspec", None)
    return "postgresql" if callspec is not None and "postgresql" in callspec.params.values() else "other"


def pytest_collection_modifyitems(config, items):
    """WAYFINDER_TEST_SHARD (see `shard_spec`) keeps the tests of its kinds (a test parametrized with PostgreSQL is
    of kind "postgresql", every other test "other"), and of those shard i of n: whole files of one kind, dealt by
    their measured time (TESTS_SECONDS). Unset, all run. backend/bin/test runs the shards as separate pytest
    processes side by side with e2e/."""
    spec = shard_spec()
    if spec is None:
        return
    kinds, index, count = spec
    unit = {id(item): (_kind(item), item.nodeid.split("::")[0]) for item in items}
    wanted = [item for item in items if unit[id(item)][0] in kinds]
    if count > 1:
        tests: dict[tuple[str, str], int] = {}
        for item in wanted:
            tests[unit[id(item)]] = tests.get(unit[id(item)], 0) + 1
        seconds = {
            f"{kind} {path}": TESTS_SECONDS[kind].get(path.removeprefix("tests/"), DEFAULT_SECONDS * n)
            for (kind, path), n in tests.items()
        }
        mine = shards.deal(seconds, count)[index - 1]
        wanted = [item for item in wanted if " ".join(unit[id(item)]) in mine]
    kept = {id(item) for item in wanted}
    drop = [item for item in items if id(item) not in kept]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = wanted
