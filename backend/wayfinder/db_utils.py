"""Bulk statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, any_, bindparam, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")


def chunked(values: Sequence[T] | Iterable[T], size: int = 500) -> Iterator[list[T]]:
    """Lists of at most `size` items (keeps IN (...) lists under every backend's parameter limit)."""
    chunk: list[T] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def one_of(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)` for a batch of ids. On PostgreSQL it is one array parameter, `column = ANY(:values)`:
    the statement text stays short and the same for every batch, so psycopg parses it once (it parses again
    every statement with more than 50 parameters: with 500-id IN lists that was a sixth of the engine's time)
    and the server sees one statement shape. Elsewhere a plain IN list."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def _insert(session: Session, table: Table):
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert(table)


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Append-only rows in bulk: COPY on PostgreSQL (several times faster than INSERT for thousands of
    rows), executemany elsewhere. Runs in the session's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_copy_value(row[c]) for c in columns])


def insert_returning_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows and return their new ids, in the rows' order. On PostgreSQL the ids are drawn from the
    table's sequence in one query and the rows written with COPY (a multi-row INSERT … RETURNING of thousands
    of rows is a statement of tens of thousands of parameters, which the driver parses in Python every time);
    elsewhere INSERT … RETURNING sorted by parameter order."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "postgresql":
        return list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    ids = list(
        session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": len(rows)},
        )
    )
    bulk_insert(session, table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
    return ids


def _copy_value(value: Any) -> Any:
    """COPY takes Python values as psycopg adapts them, except containers, which go as JSON text."""
    return json.dumps(value) if isinstance(value, dict | list) else value


def insert_ignore(
    session: Session, table: Table, rows: list[dict[str, Any]], conflict: Sequence[str], returning: str | None = None
) -> list[Any]:
    """INSERT rows, skipping those that collide on the unique columns `conflict`; with `returning`, the values of
    that column for the rows actually inserted."""
    if not rows:
        return []
    stmt = _insert(session, table).on_conflict_do_nothing(index_elements=list(conflict))
    if returning is None:
        session.execute(stmt, rows)
        return []
    return list(session.execute(stmt.returning(table.c[returning]), rows).scalars())


def upsert_add(
    session: Session, table: Table, rows: list[dict[str, Any]], key: Sequence[str], add: Sequence[str]
) -> None:
    """INSERT rows; on a key collision add their `add` columns to the existing row's (counters)."""
    if not rows:
        return
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key), set_={col: table.c[col] + stmt.excluded[col] for col in add}
    )
    session.execute(stmt, rows)
