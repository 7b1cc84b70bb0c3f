"""The one place that reads the wall clock.

The engine, the ticker, the API and column defaults ask `now()`; an app carries a `SystemClock` (the real
time) or a `VirtualClock` (tests, simulations: time moves only when told to). `tests/unit/test_clock_rule.py`
fails when code elsewhere in the package reads the wall clock directly.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

from flask import current_app, has_app_context


class Clock(Protocol):
    virtual: bool

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, in UTC."""

    virtual = False

    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock:
    """A clock that stands still until moved: every reader sees the same instant."""

    virtual = True

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime.now(UTC)).astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, when: datetime) -> datetime:
        if when.tzinfo is None:
            raise ValueError("a virtual clock is set with an aware datetime")
        self._now = when.astimezone(UTC)
        return self._now


SYSTEM = SystemClock()
_EXTENSION_KEY = "wayfinder.clock"


def init_app(app, clock: Clock | None = None) -> None:
    app.extensions[_EXTENSION_KEY] = clock or SYSTEM


def current() -> Clock:
    """The clock of the current app; the system clock outside an app context (scripts, migrations)."""
    if has_app_context():
        return current_app.extensions.get(_EXTENSION_KEY, SYSTEM)
    return SYSTEM


def now() -> datetime:
    return current().now()


def wall_now() -> datetime:
    """The real time, whatever clock the app runs on: for what other parties check against their own clocks
    (webhook signature timestamps, a provider's Retry-After date), never for journey time."""
    return datetime.now(UTC)


def wall_seconds() -> float:
    """Real seconds since the epoch, whatever clock the app runs on: for the liveness of real processes
    (heartbeats, ticker stamps), never for journey time."""
    return time.time()
