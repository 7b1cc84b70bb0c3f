"""RQ job entry points: module-level functions taking ids (and, on a virtual clock, the time `at` they run
at). Each runs in an app context and commits its work before enqueueing follow-up jobs.

Nothing here builds an app at import: a worker process without one builds it on its first job.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from functools import cache

from flask import Flask, current_app, has_app_context

from wayfinder.engine import service


@cache
def _worker_app() -> Flask:
    from wayfinder.app import create_app

    return create_app()


def _app_context() -> AbstractContextManager:
    """The current app's context when there is one (tests, `wayfinder worker`), else this process's app."""
    return nullcontext() if has_app_context() else _worker_app().app_context()


def _at(at: str | None) -> datetime | None:
    return datetime.fromisoformat(at) if at else None


def process_events_job(event_ids: list[int], at: str | None = None) -> dict:
    with _app_context():
        return service.process_events(event_ids, _at(at))


def advance_job(enrollment_ids: list[int], at: str | None = None) -> dict:
    with _app_context():
        return service.advance_enrollments(enrollment_ids, _at(at))


def deliver_job(message_ids: list[int], at: str | None = None) -> dict:
    with _app_context():
        return service.deliver_messages(message_ids, current_app.config, _at(at))


def fire_triggers_job(firing_ids: list[int], at: str | None = None) -> dict:
    with _app_context():
        return service.fire_triggers(firing_ids, _at(at))
