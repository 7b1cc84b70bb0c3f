"""Leases held by the jobs running in this process, renewed by one keeper thread while the process lives.

A job that takes work out of the database's shared pool marks it with a short lease (a deadline after which the
ticker hands the work out again) and registers what it holds here for as long as it runs (`hold`). `wayfinder
worker` runs one keeper thread (`start_lease_keeper`) beside its RQ heartbeat: every third of the shortest lease
it moves the lease of everything held in this process ahead. A job that ends, however it ends, stops being
renewed; a process that dies stops renewing altogether, and the ticker re-issues its work once the lease passes.

Two kinds of lease are registered (`register`), each with its own renewal and its own length in the config:

* ``delivery`` (engine/delivery.py): claim tokens; `DELIVERY_LEASE_SECONDS`, on `messages.lease_until`.
* ``engine`` (engine/service.py): enrollment ids; `ENGINE_LEASE_SECONDS`, on `enrollments.wake_at` of the
  runnable (`active` / `waking`) rows a running engine job holds.

Without a keeper (the inline runner, a test calling a service directly) nothing is renewed: the work runs
synchronously on a clock that does not move during a job, so its leases cannot pass mid-run.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from wayfinder import clock

log = logging.getLogger(__name__)

#: renew(session, keys, now, lease_seconds) -> how many rows were renewed; the caller commits.
Renew = Callable[[Session, list, datetime, int], int]


@dataclass
class LeaseKind:
    name: str
    config_key: str
    default_seconds: int
    renew: Renew
    # What the jobs of this process hold, counted (two jobs, or a job and a nested step, may hold the same key).
    held: Counter = field(default_factory=Counter)
    # Held keys the keeper leaves alone for now: their job is working on them in a transaction (see `pause`).
    paused: Counter = field(default_factory=Counter)
    # Taken by the keeper for a whole renewal transaction, and by `pause` to wait until one is over.
    renewing: threading.Lock = field(default_factory=threading.Lock)

    def seconds(self, config) -> int:
        return int(config.get(self.config_key) or self.default_seconds)


_kinds: dict[str, LeaseKind] = {}
_lock = threading.Lock()


def register(name: str, config_key: str, default_seconds: int, renew: Renew) -> None:
    """Declare a kind of lease (at import of the module that takes it); registering it again replaces it."""
    with _lock:
        previous = _kinds.get(name)
        _kinds[name] = LeaseKind(name, config_key, default_seconds, renew)
        if previous:
            _kinds[name].held, _kinds[name].paused = previous.held, previous.paused


@contextmanager
def hold(kind: str, keys: Iterable[Hashable]) -> Iterator[None]:
    """Have the keeper renew these keys' leases until the block ends (however it ends)."""
    keys = list(keys)
    with _lock:
        _kinds[kind].held.update(keys)
    try:
        yield
    finally:
        with _lock:
            _drop(_kinds[kind].held, keys)


@contextmanager
def pause(kind: str, keys: Iterable[Hashable]) -> Iterator[None]:
    """The keeper leaves these held keys alone until the block ends; waits for a renewal in flight first.

    For a job about to lock its rows itself (`SELECT ... FOR UPDATE SKIP LOCKED`): a keeper's renewal holding
    the same rows for a moment would make the job skip its own rows. While the job's transaction holds them, the
    lock (PostgreSQL) or the write lock (SQLite) keeps the ticker off them anyway. Enter it with no transaction
    open (on SQLite the keeper's renewal may be waiting for the write lock)."""
    keys = list(keys)
    lease = _kinds[kind]
    with lease.renewing, _lock:
        lease.paused.update(keys)
    try:
        yield
    finally:
        with _lock:
            _drop(lease.paused, keys)


def _drop(counter: Counter, keys: list) -> None:
    counter.subtract(keys)
    for key in keys:
        if counter[key] <= 0:
            del counter[key]


def held(kind: str) -> list:
    """The keys of this kind the jobs of this process hold now."""
    with _lock:
        return sorted(_kinds[kind].held) if kind in _kinds else []


def renew_all(app: Flask, now: datetime | None = None) -> dict[str, int]:
    """One beat of the keeper: renew every kind's held leases, each in its own unit of work (one kind's failure
    does not hold back the other's). Returns {kind: rows renewed}."""
    from wayfinder.transactions import unit_of_work

    with _lock:
        kinds = list(_kinds.values())
    renewed: dict[str, int] = {}
    for kind in kinds:
        seconds = kind.seconds(app.config)
        with kind.renewing:
            with _lock:
                keys = sorted(key for key in kind.held if key not in kind.paused)
            if not keys:
                continue
            try:
                with app.app_context(), unit_of_work(lock_wait=seconds / 3) as session:
                    renewed[kind.name] = kind.renew(session, keys, now or clock.now(), seconds)
            except Exception:  # noqa: BLE001 - the database is busy or restarting: the next beat retries
                log.warning("renewing %s leases failed", kind.name, exc_info=True)
    return renewed


def beat_seconds(app: Flask) -> float:
    """A third of the shortest lease: a lease survives two missed beats."""
    with _lock:
        seconds = [kind.seconds(app.config) for kind in _kinds.values()]
    return min(seconds, default=30) / 3


def start_lease_keeper(app: Flask) -> threading.Event:
    """Renew the leases of the jobs running in this process every `beat_seconds`, from a daemon thread, until
    the returned event is set."""
    # Each kind registers itself when its module is imported, at the latest by the first job that holds one;
    # every beat looks at the kinds registered by then.
    stop = threading.Event()

    def keep() -> None:
        while not stop.wait(beat_seconds(app)):
            renew_all(app)

    threading.Thread(target=keep, name="lease-keeper", daemon=True).start()
    return stop
