"""Bulk statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Table,
    Text,
    TypeDecorator,
    any_,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")


def chunked(values: Sequence[T] | Iterable[T], size: int = 500) -> Iterator[list[T]]:
    """Lists of at most `size` items (keeps IN (...) lists under every backend's parameter limit)."""
    if isinstance(values, list | tuple):  # slices, not an append per item (the engine chunks every batch's ids)
        for start in range(0, len(values), size):
            yield list(values[start : start + size])
        return
    chunk: list[T] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _IdArray(TypeDecorator):
    """A BIGINT[] parameter given in its text form (`{1,2,3}`): bound as it is, typed by the statement's cast."""

    impl = postgresql.ARRAY(BigInteger)
    cache_ok = True

    def bind_processor(self, dialect: Any) -> None:
        return None


def one_of(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)` for a batch of ids. On PostgreSQL it is one array parameter, `column = ANY(:values)`:
    the statement text stays short and the same for every batch, so psycopg parses it once (it parses again
    every statement with more than 50 parameters: with 500-id IN lists that was a sixth of the engine's time)
    and the server sees one statement shape. Elsewhere a plain IN list."""
    if session.get_bind().dialect.name == "postgresql":
        if all(type(value) is int for value in values):
            # Ids as the array's text form, '{1,2,3}', joined in C and parsed by the server as the parameter's
            # type: psycopg writes a list parameter element by element in Python.
            return column == any_(bindparam(None, "{" + ",".join(map(str, values)) + "}", type_=_IdArray()))
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def ids_by_key(session: Session, scope: Any, scope_value: Any, key: Any, id_column: Any, keys: Sequence[Any]) -> dict:
    """{key: id} of the rows with `scope == scope_value` and `key` in `keys` (e.g. a workspace's customers by
    external id), in chunks. On PostgreSQL the keys are an unnest()ed array joined to the table, so the rows are
    found through the (scope, key) index in every plan: as `scope = $1 AND key = ANY($2)`, the generic plan that
    psycopg's prepared statements get after five runs matched the index on scope alone and filtered the whole
    workspace (300 ms per 500 keys at 20,000 customers whose statistics were not yet analysed)."""
    found: dict = {}
    postgres = session.get_bind().dialect.name == "postgresql"
    for chunk in chunked(keys):
        if postgres:
            array = bindparam(None, list(chunk), type_=postgresql.ARRAY(key.type))
            wanted = func.unnest(array).table_valued("key").render_derived("wanted")
            statement = select(key, id_column).join_from(
                wanted, key.table, (scope == scope_value) & (key == wanted.c.key)
            )
        else:
            statement = select(key, id_column).where(scope == scope_value, key.in_(chunk))
        found.update(session.execute(statement).all())
    return found


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
    of rows is a statement of tens of thousands of parameters, which the driver parses in Python every time).

    On SQLite the ids are the ones SQLite itself would give (an INTEGER PRIMARY KEY without AUTOINCREMENT takes
    the largest id + 1), set explicitly and written with one executemany: the writing transaction holds the
    database's write lock (`BEGIN IMMEDIATE`), so nobody else inserts in between. (INSERT … RETURNING sorted by
    parameter order runs one statement per row there.) Elsewhere INSERT … RETURNING sorted by parameter order."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        last = session.scalar(select(func.max(table.c.id))) or 0
        ids = list(range(last + 1, last + 1 + len(rows)))
        session.execute(insert(table), [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids
    if dialect != "postgresql":
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
    that column for the rows actually inserted (in no particular order).

    On PostgreSQL one statement per set of columns, `INSERT … SELECT FROM unnest(<one array per column>)`: a
    multi-row VALUES list of a thousand 16-column messages is a statement of 16,000 parameters, which psycopg
    parses in Python every time (a fifth of the engine's time in a step that sends). Elsewhere an executemany."""
    postgres = session.get_bind().dialect.name == "postgresql"
    found: list[Any] = []
    for group in _by_columns(rows):
        if postgres:
            names = list(group[0])
            given = _unnested(table, names, group)
            stmt = postgresql.insert(table).from_select(names, select(*(given.c[name] for name in names)))
            params: Any = {}
        else:
            stmt, params = sqlite.insert(table), group
        stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict))
        if returning is None:
            session.execute(stmt, params)
        else:
            found += session.execute(stmt.returning(table.c[returning]), params).scalars()
    return found


def _by_columns(rows: list[dict[str, Any]], skip: str | None = None) -> list[list[dict[str, Any]]]:
    """The rows grouped by the columns they give (one statement per shape; rows built by the same code give their
    keys in the same order, so the keys' tuple is the shape), without shapes that give nothing but `skip`."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return [group for columns, group in groups.items() if any(key != skip for key in columns)]


def _unnested(table: Table, names: Sequence[str], rows: list[dict[str, Any]]):
    """PostgreSQL: the rows as the derived table `given`, from ONE JSON parameter (`json_to_recordset`, each
    column typed as the table's). Not one array parameter per column: psycopg writes a text array element by
    element in Python, escaping each with a regular expression (payloads of kilobytes made the outcomes of a
    delivery job cost more than their rendering); a JSON document is written by the C encoder in one go and
    parsed by the server."""
    dialect = postgresql.dialect()
    columns = [column(name, table.c[name].type) for name in names]
    for col in columns:
        col.type.compile(dialect=dialect)  # fails here, not in the server, for a type PostgreSQL cannot name
    document = json.dumps([{name: row[name] for name in names} for row in rows], default=_json_value)
    given = func.json_to_recordset(cast(bindparam(None, document, type_=Text), JSON))
    return given.table_valued(*columns).render_derived(name="given", with_types=True)


def _json_value(value: Any) -> Any:
    """Values json.dumps does not know: timestamps as ISO 8601 with their offset (a naive one is refused, as the
    UTC column type refuses it)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def upsert_add(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    key: Sequence[str],
    add: Sequence[str],
    replace: Sequence[str] = (),
) -> None:
    """INSERT rows; on a key collision add their `add` columns to the existing row's (counters) and overwrite its
    `replace` columns with theirs. Each key appears at most once in `rows` (PostgreSQL refuses to update a row
    twice in one statement)."""
    if not rows:
        return
    stmt = _insert(session, table)
    set_ = {col: table.c[col] + stmt.excluded[col] for col in add}
    set_.update({col: stmt.excluded[col] for col in replace})
    stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=set_)
    session.execute(stmt, rows)


def update_rows(session: Session, table: Table, rows: list[dict[str, Any]], where: Any = None) -> int:
    """UPDATE many rows by primary key (`id`), each with its own values, in the session's transaction; rows may
    set different columns (one statement per set of columns). Each id appears at most once. `where`: a further
    condition a row must meet to be updated. Returns how many rows were updated.

    On PostgreSQL one statement per set of columns: `UPDATE … FROM unnest(<one array per column>)`, a handful of
    array parameters however many rows (an executemany runs one UPDATE per row on the server). Elsewhere an
    executemany of `UPDATE … WHERE id = ?` (Core: the ORM's bulk UPDATE adds per-row bookkeeping)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    updated = 0
    for group in _by_columns(rows, skip="id"):
        columns = [key for key in group[0] if key != "id"]
        if postgres:
            given = _unnested(table, ["id", *columns], group)
            stmt = update(table).where(table.c.id == given.c.id).values({name: given.c[name] for name in columns})
            result = session.execute(stmt if where is None else stmt.where(where))
            updated += result.rowcount or 0
            continue
        # The SET clause comes from the parameters' keys; the id goes in as `b_id` (a key named after a column
        # would be set too).
        params = []
        for row in group:
            values = dict(row)
            values["b_id"] = values.pop("id")
            params.append(values)
        stmt = update(table).where(table.c.id == bindparam("b_id"))
        result = session.execute(stmt if where is None else stmt.where(where), params)
        updated += result.rowcount or 0
    return updated
