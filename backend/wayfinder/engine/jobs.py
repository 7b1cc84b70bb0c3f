"""RQ job entry points: module-level functions taking ids.

Each runs in an app context and in its own unit of work (`job_scope`): the services commit their work
before enqueueing follow-up jobs, and whatever way the job ends — returned, raised, stopped by RQ's timeout
or a shutdown — its transaction is committed or rolled back and its session released before the worker
takes the next job.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
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


def process_events_job(event_ids: list[int]) -> dict:
    with job_scope():
        return service.process_events(event_ids)


def advance_job(enrollment_ids: list[int]) -> dict:
    with job_scope():
        return service.advance_enrollments(enrollment_ids)


def deliver_job(message_ids: list[int]) -> dict:
    with job_scope():
        return service.deliver_messages(message_ids, current_app.config)
