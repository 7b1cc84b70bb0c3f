"""Bulk statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
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


def _insert(session: Session, table: Table):
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert(table)


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
