"""Alembic environment for Wayfinder.

Run through `wayfinder migrate` / `python -m wayfinder.db_migrations ...` (see README.md here), which build
the Alembic config in code: `script_location` is this folder and `sqlalchemy.url` the target database.
A caller may also pass an open connection as `config.attributes["connection"]` (handy in tests).
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import TypeDecorator, create_engine, pool

from wayfinder.models import Base  # importing the package registers every table on Base.metadata

config = context.config

if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from wayfinder.config import Config

    return Config().DATABASE_URL


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our TypeDecorators (e.g. UTCDateTime) as their plain SQLAlchemy type, so revisions do not
    import application code that may change later."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl_instance
        if type(impl).__module__.startswith("sqlalchemy."):
            return f"sa.{impl!r}"
    return False


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things in place
        compare_type=True,
        compare_server_default=True,
        render_item=_render_item,
    )


def run_migrations_offline() -> None:
    """`--sql` mode: emit SQL to stdout instead of running it."""
    url = _database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return

    # A plain engine (not wayfinder.extensions.make_engine): no `PRAGMA foreign_keys=ON` on SQLite, because
    # batch migrations copy and drop tables, and with foreign keys on that would cascade into other tables.
    engine = create_engine(_database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
