"""An in-process runner beside RQ: jobs queue in memory and run when drained, on the app's virtual clock.

With `ENGINE_RUNNER="inline"` and a `VirtualClock`, a test or a simulation moves time forward
deterministically: `runner.advance(hours=1)` moves the clock, runs one ticker pass at the new time, then
every job that pass (and those jobs) enqueued, each at the time it carries.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from flask import Flask

from wayfinder.clock import VirtualClock
from wayfinder.engine import service
from wayfinder.engine.queues import inline_jobs
from wayfinder.extensions import db


class InlineRunner:
    def __init__(self, app: Flask, clock: VirtualClock) -> None:
        if app.config.get("ENGINE_RUNNER") != "inline":
            raise ValueError("the app must be created with ENGINE_RUNNER='inline'")
        self.app, self.clock = app, clock
        self.ran: list[tuple[str, Any]] = []

    def run_jobs(self, limit: int = 100_000) -> int:
        """Run queued jobs (and the jobs they enqueue) until none is left; returns how many ran."""
        count = 0
        with self.app.app_context():
            jobs = inline_jobs()
            while jobs:
                if count >= limit:
                    raise RuntimeError("inline runner: too many jobs, is something looping?")
                _name, dotted, ids, kwargs = jobs.popleft()
                module, func = dotted.rsplit(".", 1)
                result = getattr(import_module(module), func)(ids, **kwargs)
                self.ran.append((func, result))
                db.session.remove()
                count += 1
        return count

    def tick(self) -> dict[str, int]:
        """One ticker pass at the clock's time, then every job it led to."""
        with self.app.app_context():
            stats = service.tick(now=self.clock.now())
            db.session.remove()
        self.run_jobs()
        return stats

    def advance(self, **delta: float) -> dict[str, int]:
        """Move the clock forward, then run a ticker pass and its jobs."""
        self.clock.advance(**delta)
        return self.tick()
