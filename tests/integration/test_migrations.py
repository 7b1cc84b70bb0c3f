"""The Alembic revisions: one head, upgrade a fresh database, match the models, downgrade to nothing."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from wayfinder.db_migrations import alembic_config, downgrade, upgrade
from wayfinder.models import Base


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    name = f"wayfinder_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_one_head_with_descriptive_names():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions():
        assert revision.doc and "empty message" not in revision.doc


def test_upgrade_matches_models_and_downgrades_cleanly(fresh_url):
    upgrade(fresh_url)
    engine = create_engine(fresh_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()

    downgrade(fresh_url, "base")
    engine = create_engine(fresh_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(fresh_url)  # and up again from nothing
