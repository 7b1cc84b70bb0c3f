"""RQ job entry points: module-level functions taking ids (and, on a virtual clock, the time `at` they run
at). Nothing here builds an app at import: a worker process without one builds it on its first job.

Each runs in an app context and in its own unit of work (`job_scope`): the services commit their work
before enqueueing follow-up jobs, and whatever way the job ends — returned, raised, stopped by RQ's timeout
or a shutdown — its transaction is committed or rolled back and its session released before the worker
takes the next job.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from functools import cache

from flask import Flask, current_app, has_app_context

from wayfinder.engine import service
from wayfinder.transactions import unit_of_work


@cache
def _worker_app() -> Flask:
    from wayfinder.app import create_app

    return create_app()


def _app_context() -> AbstractContextManager:
    """The current app's context when there is one (tests, `wayfinder worker`), else this process's app."""
    return nullcontext() if has_app_context() else _worker_app().app_context()


@contextmanager
def job_scope() -> Iterator[None]:
    """The app context and the unit of work of one job."""
    with _app_context(), unit_of_work(lock_wait=float(current_app.config["DB_LOCK_WAIT_WORKER"])):
        yield


def _at(at: str | None) -> datetime | None:
    return datetime.fromisoformat(at) if at else None


def process_events_job(event_ids: list[int], at: str | None = None) -> dict:
    with job_scope():
        return service.process_events(event_ids, _at(at))


def advance_job(enrollment_ids: list[int], at: str | None = None) -> dict:
    with job_scope():
        return service.advance_enrollments(enrollment_ids, _at(at))


def deliver_job(message_ids: list[int], at: str | None = None) -> dict:
    with job_scope():
        return service.deliver_messages(message_ids, current_app.config, _at(at))


def fire_triggers_job(firing_ids: list[int], at: str | None = None) -> dict:
    with job_scope():
        return service.fire_triggers(firing_ids, _at(at))
