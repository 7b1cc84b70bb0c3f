"""The Alembic revisions: one head, upgrade a fresh database, match the models, downgrade to nothing."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

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


SCOPED = ("customers", "events", "journeys", "journey_versions", "messages")
NOW = "2026-03-02 01:00:00"


def _seed_one_brand(conn) -> None:
    """An installation's data before workspaces: a customer, an event, a live journey, an enrollment, a message."""
    statements = [
        "INSERT INTO customers (id, external_id, email, attributes, created_at, updated_at) "
        "VALUES (1, 'amy', 'amy@example.com', '{}', :now, :now)",
        "INSERT INTO events (id, event_id, customer_id, name, properties, occurred_at, received_at) "
        "VALUES (1, 'e-1', 1, 'cart_updated', '{}', :now, :now)",
        "INSERT INTO journeys (id, name, description, status, revision, created_at, updated_at) "
        "VALUES (1, 'Cart', '', 'published', 2, :now, :now)",
        "INSERT INTO journey_versions (id, journey_id, number, status, graph, trigger_events, goal_events, "
        "created_at) VALUES (1, 1, 1, 'published', '{}', '[\"cart_updated\"]', '[]', :now)",
        "INSERT INTO enrollments (id, journey_id, version_id, customer_id, status, current_node, seq, entered_at, "
        "node_entered_at, context) VALUES (1, 1, 1, 1, 'waiting', 'wait', 1, :now, :now, '{}')",
        "INSERT INTO messages (id, idempotency_key, enrollment_id, journey_id, customer_id, node_id, channel, "
        "to_address, from_name, subject, body, status, attempts, created_at) "
        "VALUES (1, '1:mail:1', 1, 1, 1, 'mail', 'email', 'amy@example.com', '', 'Hi', '<p>Hi</p>', 'sent', 1, :now)",
    ]
    for statement in statements:
        conn.execute(text(statement), {"now": NOW})


def test_existing_data_moves_to_the_default_workspace_and_back(fresh_url):
    upgrade(fresh_url, "0008_workspaces")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        _seed_one_brand(conn)
    engine.dispose()

    upgrade(fresh_url)
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        for table in SCOPED:
            assert conn.execute(text(f"SELECT workspace_id FROM {table}")).scalars().all() == [1], table
        assert conn.execute(text("SELECT status, current_node FROM enrollments")).one() == ("waiting", "wait")
        # A second brand may reuse the external id and the event id; within a brand they stay unique.
        conn.execute(
            text(
                "INSERT INTO workspaces (id, slug, name, time_zone, language, created_at, updated_at) "
                "VALUES (2, 'brand-b', 'B', 'Asia/Tokyo', 'en', :now, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO customers (id, workspace_id, external_id, attributes, created_at, updated_at) "
                "VALUES (2, 2, 'amy', '{}', :now, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO events (id, workspace_id, event_id, customer_id, name, properties, occurred_at, "
                "received_at) VALUES (2, 2, 'e-1', 2, 'cart_updated', '{}', :now, :now)"
            ),
            {"now": NOW},
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customers (workspace_id, external_id, attributes, created_at, updated_at) "
                "VALUES (2, 'amy', '{}', :now, :now)"
            ),
            {"now": NOW},
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:  # no workspace named: refused, never defaulted
        conn.execute(
            text("INSERT INTO customers (external_id, attributes, created_at, updated_at) VALUES ('x', '{}', :n, :n)"),
            {"n": NOW},
        )
    engine.dispose()

    # Back to one brand per installation only while there is one: B's rows would break the global keys.
    with pytest.raises(RuntimeError, match="outside the default workspace"):
        downgrade(fresh_url, "0008_workspaces")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE workspace_id = 2"))
        conn.execute(text("DELETE FROM customers WHERE workspace_id = 2"))
    engine.dispose()
    downgrade(fresh_url, "0008_workspaces")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        assert "workspace_id" not in {c["name"] for c in inspect(conn).get_columns("customers")}
        assert conn.execute(text("SELECT external_id FROM customers")).scalars().all() == ["amy"]
        assert conn.execute(text("SELECT event_id FROM events")).scalars().all() == ["e-1"]
        assert conn.execute(text("SELECT COUNT(*) FROM enrollments")).scalar() == 1
        assert conn.execute(text("SELECT to_address FROM messages")).scalars().all() == ["amy@example.com"]
    with pytest.raises(IntegrityError), engine.begin() as conn:  # the global key is back
        conn.execute(
            text(
                "INSERT INTO customers (external_id, attributes, created_at, updated_at) "
                "VALUES ('amy', '{}', :now, :now)"
            ),
            {"now": NOW},
        )
    engine.dispose()
    upgrade(fresh_url)


def test_text_tags_become_tags_of_their_customers_workspace_and_back(fresh_url):
    upgrade(fresh_url, "0015_message_work_indexes")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspaces (id, slug, name, time_zone, language, created_at, updated_at) "
                "VALUES (2, 'brand-b', 'B', 'Asia/Tokyo', 'en', :now, :now)"
            ),
            {"now": NOW},
        )
        for cid, workspace in ((1, 1), (2, 1), (3, 2)):
            conn.execute(
                text(
                    "INSERT INTO customers (id, workspace_id, external_id, attributes, created_at, updated_at) "
                    "VALUES (:id, :ws, :x, '{}', :now, :now)"
                ),
                {"id": cid, "ws": workspace, "x": f"c{cid}", "now": NOW},
            )
        for cid, tag, weight in ((1, "vip", 2.6), (2, "vip", -1.0), (3, "vip", 1.0), (1, "oily", 1.0)):
            conn.execute(
                text("INSERT INTO customer_tags (customer_id, tag, weight, updated_at) VALUES (:c, :t, :w, :now)"),
                {"c": cid, "t": tag, "w": weight, "now": NOW},
            )
    engine.dispose()

    upgrade(fresh_url)
    engine = create_engine(fresh_url)
    query = (
        "SELECT ct.customer_id, t.workspace_id, t.name, ct.weight FROM customer_tags ct "
        "JOIN tags t ON t.id = ct.tag_id ORDER BY ct.customer_id, t.name"
    )
    with engine.begin() as conn:
        rows = [tuple(r) for r in conn.execute(text(query))]
        # One "vip" per workspace; weights rounded, never below 0.
        assert rows == [(1, 1, "oily", 1), (1, 1, "vip", 3), (2, 1, "vip", 0), (3, 2, "vip", 1)]
        assert conn.execute(text("SELECT COUNT(*) FROM tags")).scalar() == 3
        assert conn.execute(text("SELECT COUNT(*) FROM customer_tags WHERE first_applied_at IS NULL")).scalar() == 0
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE customer_tags SET weight = -1"))
    engine.dispose()

    downgrade(fresh_url, "0015_message_work_indexes")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        back = conn.execute(text("SELECT customer_id, tag, weight FROM customer_tags ORDER BY customer_id, tag"))
        assert [tuple(r) for r in back] == [(1, "oily", 1.0), (1, "vip", 3.0), (2, "vip", 0.0), (3, "vip", 1.0)]
    engine.dispose()
