"""Units of work: every RQ job, ticker pass and request runs in a session scope that always ends.

A scope starts from a fresh session and ends by committing (normal exit) or rolling back (any exception,
including `BaseException`s such as RQ's `JobTimeoutException` raised from a signal handler, `SystemExit`
on a cold shutdown, `KeyboardInterrupt`), then removes the session so its connection goes back to the
pool with no transaction open. A job that fails therefore leaves no SQLite write lock and no aborted
PostgreSQL transaction behind for the next job of the same long-lived worker process.

Code inside a scope may commit mid-way (engine services commit, then enqueue): the scope keeps going with
a new transaction and still releases it at the end.

The scope also tells the database layer what kind of work it is (see `extensions.make_engine`):
`read_only` work on SQLite begins a deferred transaction that never takes the write lock; `lock_wait` is how
long a statement may wait for a lock before it fails (short for requests, which then answer 503).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from wayfinder.extensions import db

# PostgreSQL: lock_not_available (lock_timeout), query_canceled (statement_timeout).
_PG_LOCK_STATES = {"55P03", "57014"}


def begin_scope(read_only: bool = False, lock_wait: float | None = None) -> Session:
    """Start a fresh session for one unit of work (whatever an earlier one left is released first)."""
    release()
    session = db.session()
    session.info["read_only"] = read_only
    session.info["lock_wait"] = lock_wait
    return session


def release() -> None:
    """Roll back whatever is open and give the connection back; never raises (it runs on the way out of errors)."""
    db.release()


@contextmanager
def unit_of_work(read_only: bool = False, lock_wait: float | None = None) -> Iterator[Session]:
    """Run the block in its own transaction: commit on success, roll back on any exception; always release."""
    session = begin_scope(read_only=read_only, lock_wait=lock_wait)
    try:
        yield session
        session.commit()
    finally:
        # On success the commit above already ended the transaction; on any exception (BaseException too)
        # this rolls it back. Either way the connection leaves with no transaction and no lock.
        release()


def is_lock_timeout(exc: BaseException) -> bool:
    """True for "could not get a lock in time": SQLite busy/locked, PostgreSQL lock or statement timeout."""
    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _PG_LOCK_STATES:
        return True
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text
