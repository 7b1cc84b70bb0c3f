"""Bulk statements of `wayfinder.db_utils` on each backend (PostgreSQL's and SQLite's paths differ)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from wayfinder.db_utils import ids_by_key, update_rows
from wayfinder.extensions import db
from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, utcnow


def _customers(count: int, now, values) -> dict[str, int]:
    """Customers c0… with `values(i)`; their ids by external id."""
    table = Customer.__table__
    rows = [
        {"workspace_id": DEFAULT_WORKSPACE_ID, "external_id": f"c{i}", "created_at": now, **values(i)}
        for i in range(count)
    ]
    db.session.execute(insert(table), rows)
    return dict(db.session.execute(select(table.c.external_id, table.c.id)).all())


def test_update_rows_sets_each_rows_own_values_and_only_its_columns(app):
    now = utcnow()
    table = Customer.__table__
    ids = _customers(4, now, lambda i: {"email": f"c{i}@example.com", "attributes": {"n": i}})
    later = now + timedelta(hours=1)

    update_rows(
        db.session,
        table,
        [
            # Two shapes: rows setting email, attributes and created_at, and one setting its email alone.
            {"id": ids["c0"], "email": "zero@example.com", "attributes": {"n": 0, "tags": ["a"]}, "created_at": later},
            {"id": ids["c2"], "email": None},
            {"id": ids["c1"], "email": "one@example.com", "attributes": {}, "created_at": later},
        ],
    )
    db.session.commit()

    columns = (table.c.external_id, table.c.email, table.c.attributes, table.c.created_at)
    rows = {row.external_id: row for row in db.session.execute(select(*columns))}
    assert (rows["c0"].email, rows["c0"].attributes, rows["c0"].created_at) == (
        "zero@example.com",
        {"n": 0, "tags": ["a"]},
        later,
    )
    assert (rows["c1"].email, rows["c1"].attributes, rows["c1"].created_at) == ("one@example.com", {}, later)
    assert (rows["c2"].email, rows["c2"].attributes, rows["c2"].created_at) == (None, {"n": 2}, now)  # email only
    assert (rows["c3"].email, rows["c3"].attributes, rows["c3"].created_at) == ("c3@example.com", {"n": 3}, now)


def test_update_rows_with_nothing_to_do(app):
    update_rows(db.session, Customer.__table__, [])
    update_rows(db.session, Customer.__table__, [{"id": 1}])  # no column to set: no statement
    db.session.commit()


def test_ids_by_key_finds_a_scopes_rows_by_key_in_chunks_and_nothing_of_another_scope(app):
    from wayfinder.workspaces.settings import create_workspace

    other = create_workspace(db.session, "other-brand", "Other brand").id
    now = utcnow()
    rows = [
        {"workspace_id": workspace, "external_id": f"c{i}", "attributes": {}, "created_at": now}
        for workspace in (DEFAULT_WORKSPACE_ID, other)
        for i in range(1200)  # more than one chunk of 500
    ]
    db.session.execute(insert(Customer.__table__), rows)
    db.session.commit()
    table = Customer.__table__
    mine = dict(
        db.session.execute(
            select(table.c.external_id, table.c.id).where(table.c.workspace_id == DEFAULT_WORKSPACE_ID)
        ).all()
    )

    wanted = [f"c{i}" for i in range(0, 1200, 2)] + ["nobody"]
    found = ids_by_key(db.session, table.c.workspace_id, DEFAULT_WORKSPACE_ID, table.c.external_id, table.c.id, wanted)

    assert found == {key: mine[key] for key in wanted if key != "nobody"}
    assert ids_by_key(db.session, table.c.workspace_id, DEFAULT_WORKSPACE_ID, table.c.external_id, table.c.id, []) == {}


def test_insert_ignore_skips_collisions_and_returns_only_the_new_rows(app):
    from wayfinder.db_utils import insert_ignore
    from wayfinder.models import Event

    now = utcnow()
    customer = Customer(workspace_id=DEFAULT_WORKSPACE_ID, external_id="ann", attributes={}, created_at=now)
    db.session.add(customer)
    db.session.flush()
    table = Event.__table__

    def event(key: str, properties: dict) -> dict:
        return {
            "workspace_id": DEFAULT_WORKSPACE_ID,
            "event_id": key,
            "customer_id": customer.id,
            "name": "cart_updated",
            "properties": properties,
            "occurred_at": now,
            "received_at": now,
        }

    first = insert_ignore(db.session, table, [event("a", {"n": 1})], ("workspace_id", "event_id"), returning="id")
    # "a" is already there, "b" comes twice in one call: one row each, only "b"'s id comes back.
    again = insert_ignore(
        db.session,
        table,
        [event("a", {"n": 9}), event("b", {"items": [{"sku": "X", "qty": 2}], "note": None}), event("b", {})],
        ("workspace_id", "event_id"),
        returning="id",
    )
    insert_ignore(db.session, table, [], ("workspace_id", "event_id"))
    db.session.commit()

    rows = {row.event_id: row for row in db.session.execute(select(table.c.id, table.c.event_id, table.c.properties))}
    assert sorted(rows) == ["a", "b"]
    assert first == [rows["a"].id] and again == [rows["b"].id]
    assert rows["a"].properties == {"n": 1}  # the collision changed nothing
    assert rows["b"].properties == {"items": [{"sku": "X", "qty": 2}], "note": None}


def test_update_rows_only_touches_rows_that_meet_the_condition(app):
    table = Customer.__table__
    ids = _customers(3, utcnow(), lambda i: {"email": None, "attributes": {}})
    updated = update_rows(
        db.session,
        table,
        [{"id": ids[key], "email": f"{key}@example.com"} for key in ("c0", "c1", "c2")],
        where=table.c.external_id != "c1",
    )
    db.session.commit()
    assert updated == 2
    emails = dict(db.session.execute(select(table.c.external_id, table.c.email)).all())
    assert emails == {"c0": "c0@example.com", "c1": None, "c2": "c2@example.com"}
