"""Advance a batch of enrollments through every instantaneous step until each waits or ends.

One call is one transaction: the batch's enrollments are locked, every transition is computed in memory,
and the new states, step history, messages and node counts are written with a handful of bulk statements.
A second run of the same batch finds nothing runnable and does nothing.

Poison isolation: when a step raises for a group, it is run again one customer at a time; the customers it
still raises for are parked `errored` at that node (reason on the enrollment and in step history, counted
per node) and everyone else advances. A batch whose transaction fails as a whole is bisected by the caller
(`service.advance_enrollments`) down to single enrollments; see `park_errored`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.db_utils import bulk_insert, chunked, insert_ignore
from wayfinder.engine.context import StepContext
from wayfinder.engine.counts import CountDeltas
from wayfinder.engine.versions import VersionGraph, load_versions
from wayfinder.models import (
    RUNNABLE,
    Enrollment,
    EnrollmentStatus,
    Message,
    MessageStatus,
    StepAction,
    StepHistory,
)
from wayfinder.steps.base import Complete, Fail, Item, Move, Wait

# A published graph has no cycle, so this only guards against a bug turning into an endless loop.
MAX_STEPS_PER_RUN = 1000


@dataclass
class AdvanceResult:
    advanced: int = 0
    message_ids: list[int] = field(default_factory=list)
    journey_ids: set[int] = field(default_factory=set)


def advance(session: Session, enrollment_ids: list[int], now: datetime, lease_seconds: int = 300) -> AdvanceResult:
    """Advance the runnable enrollments among `enrollment_ids`; the caller commits."""
    result = AdvanceResult()
    items, modes = _lock_runnable(session, enrollment_ids)
    if not items:
        return result
    versions = load_versions(session, {i.version_id for i in items})
    runnable = [i for i in items if versions[i.version_id].runs]  # a paused version holds its customers
    if not runnable:
        return result

    ctx = StepContext(session=session, now=now)
    ctx.load(runnable)
    run = _Run(ctx, versions, lease_seconds)
    run.step_all(runnable, modes)
    run.write()
    result.advanced = len(runnable)
    result.journey_ids = run.counts.journey_ids
    result.message_ids = run.pending_message_ids
    return result


def _lock_runnable(session: Session, ids: list[int]) -> tuple[list[Item], dict[int, str]]:
    """Lock the given enrollments (skipping rows another job holds) and keep the runnable ones.

    The rows are selected by primary key alone and the status is checked here: with a status condition in
    the query, PostgreSQL may scan the whole status index for every batch instead of fetching the ids.
    """
    items: list[Item] = []
    modes: dict[int, str] = {}
    for chunk in chunked(sorted(set(ids))):
        rows = session.execute(
            select(Enrollment).where(Enrollment.id.in_(chunk)).order_by(Enrollment.id).with_for_update(skip_locked=True)
        ).scalars()
        for e in rows:
            if e.status not in RUNNABLE:
                continue
            items.append(
                Item(
                    enrollment_id=e.id,
                    journey_id=e.journey_id,
                    version_id=e.version_id,
                    customer_id=e.customer_id,
                    node=e.current_node,
                    seq=e.seq,
                    entered_at=e.entered_at,
                    node_entered_at=e.node_entered_at,
                    trigger_event_id=e.trigger_event_id,
                    context=e.context or {},
                )
            )
            modes[e.id] = "resume" if e.status == EnrollmentStatus.WAKING else "execute"
    return items, modes


class _Run:
    """The in-memory state of one advance: transitions, history, counts and final states."""

    def __init__(self, ctx: StepContext, versions: dict[int, VersionGraph], lease_seconds: int) -> None:
        self.ctx = ctx
        self.lease_seconds = lease_seconds
        self.versions = versions
        self.counts = CountDeltas()
        self.history: list[dict[str, Any]] = []
        self.final: dict[int, dict[str, Any]] = {}
        self.pending_message_ids: list[int] = []

    def step_all(self, items: list[Item], modes: dict[int, str]) -> None:
        pending = [(item, modes[item.enrollment_id]) for item in items]
        for _ in range(MAX_STEPS_PER_RUN):
            if not pending:
                return
            groups: dict[tuple[int, str, str], list[Item]] = defaultdict(list)
            for item, mode in pending:
                groups[(item.version_id, item.node, mode)].append(item)
            pending = []
            for (version_id, node_id, mode), group in groups.items():
                node = self.versions[version_id].nodes[node_id]
                for item, outcome in self._run_step(node, mode, group):
                    if self._apply(item, outcome):
                        pending.append((item, "execute"))
        for item, _mode in pending:
            self._end(item, EnrollmentStatus.FAILED, error="Too many steps in one run")

    def _run_step(self, node: dict[str, Any], mode: str, group: list[Item]) -> list[tuple[Item, Any]]:
        """The step's outcome for each item of `group`; items the step raises for are parked `errored`.

        The whole group runs in one call (steps work in bulk). If that raises, the messages it produced are
        dropped and each item runs alone, so one customer's bad data never holds back the others.
        """
        step = steps.get(node["type"])
        call = step.resume if mode == "resume" else step.execute
        mark = len(self.ctx.messages)
        try:
            return list(zip(group, call(self.ctx, node, group), strict=True))
        except Exception:
            del self.ctx.messages[mark:]
        results = []
        for item in group:
            mark = len(self.ctx.messages)
            try:
                (outcome,) = call(self.ctx, node, [item])
            except Exception as exc:
                del self.ctx.messages[mark:]
                self._error(item, f"Step '{node['id']}' ({node['type']}) failed: {describe(exc)}")
                continue
            results.append((item, outcome))
        return results

    def _error(self, item: Item, reason: str) -> None:
        """Park the enrollment `errored` where it is, with the reason on it and in its history row."""
        reason = reason[:500]
        self.counts.add(item.journey_id, item.version_id, item.node, StepAction.ERRORED)
        item.seq += 1
        self.history.append(self._history_row(item, None, None, error=reason))
        self.final[item.enrollment_id] = self._state(
            item, EnrollmentStatus.ERRORED, ended_at=self.ctx.now, error=reason
        )

    def _apply(self, item: Item, outcome: Any) -> bool:
        """Record one outcome; True when the item moved to a node that must execute now."""
        now = self.ctx.now
        if isinstance(outcome, Move):
            target = self.versions[item.version_id].target(item.node, outcome.handle)
            if target is None:  # an optional output left unconnected: the path ends here
                self._end(item, EnrollmentStatus.COMPLETED)
                return False
            self._transition(item, outcome.handle, target)
            item.node, item.node_entered_at = target, now
            return True
        if isinstance(outcome, Wait):
            self.final[item.enrollment_id] = self._state(item, EnrollmentStatus.WAITING, wake_at=outcome.until)
            return False
        if isinstance(outcome, Complete):
            self._end(item, EnrollmentStatus.COMPLETED)
            return False
        if isinstance(outcome, Fail):
            self._end(item, EnrollmentStatus.FAILED, error=outcome.error[:500])
            return False
        raise TypeError(f"unknown outcome {outcome!r}")

    def _end(self, item: Item, status: str, error: str | None = None) -> None:
        self._transition(item, None, None)
        self.final[item.enrollment_id] = self._state(item, status, ended_at=self.ctx.now, error=error)

    def _state(self, item: Item, status: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": item.enrollment_id,
            "status": status,
            "current_node": item.node,
            "seq": item.seq,
            "node_entered_at": item.node_entered_at,
            "wake_at": None,
            **extra,
        }

    def _transition(self, item: Item, handle: str | None, target: str | None) -> None:
        """One history row and its tallies: leaving `item.node` for `target` (None: leaving the journey)."""
        if target is None:
            self.counts.add(item.journey_id, item.version_id, item.node, StepAction.EXITED)
        else:
            self.counts.add(item.journey_id, item.version_id, item.node, StepAction.MOVED_ON)
            self.counts.add(item.journey_id, item.version_id, target, StepAction.ENTERED)
        item.seq += 1
        self.history.append(self._history_row(item, handle, target))

    def _history_row(self, item: Item, handle: str | None, target: str | None, error: str | None = None) -> dict:
        return {
            "enrollment_id": item.enrollment_id,
            "journey_id": item.journey_id,
            "version_id": item.version_id,
            "seq": item.seq,
            "from_node": item.node,
            "handle": handle,
            "to_node": target,
            "at": self.ctx.now,
            "error": error,
        }

    def write(self) -> None:
        session = self.ctx.session
        if self.final:
            session.execute(update(Enrollment), list(self.final.values()))
        if self.history:
            bulk_insert(session, StepHistory.__table__, self.history)
        self.counts.write(session)
        self._write_messages()

    def _write_messages(self) -> None:
        if not self.ctx.messages:
            return
        rows = []
        for m in self.ctx.messages:
            failed = m["error"] is not None
            rows.append(
                {
                    "idempotency_key": f"{m['enrollment_id']}:{m['node_id']}:{m['seq']}",
                    "enrollment_id": m["enrollment_id"],
                    "journey_id": m["journey_id"],
                    "customer_id": m["customer_id"],
                    "node_id": m["node_id"],
                    "channel": m["channel"],
                    "to_address": m["to_address"],
                    "subject": m["subject"][:500],
                    "body": m["body"],
                    "from_name": m["from_name"],
                    "status": MessageStatus.FAILED if failed else MessageStatus.PENDING,
                    "error": m["error"],
                    "created_at": self.ctx.now,
                    # If no delivery job has claimed it by then, the ticker enqueues it again.
                    "next_attempt_at": None if failed else self.ctx.now + timedelta(seconds=self.lease_seconds),
                }
            )
        pending = [r for r in rows if r["status"] == MessageStatus.PENDING]
        failed = [r for r in rows if r["status"] != MessageStatus.PENDING]
        table = Message.__table__
        insert_ignore(self.ctx.session, table, failed, conflict=("idempotency_key",))
        self.pending_message_ids += insert_ignore(
            self.ctx.session, table, pending, conflict=("idempotency_key",), returning="id"
        )


def describe(exc: BaseException) -> str:
    """A readable one-line reason for an exception (its type and message), at most 400 characters."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:  # the database's words, without the SQL statement
        exc = exc.orig
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:400] if text else type(exc).__name__


def park_errored(session: Session, enrollment_id: int, reason: str, now: datetime, history: bool = True) -> bool:
    """Park one runnable enrollment `errored` at its node (its own transaction: the caller commits).

    Used when even a batch of this one enrollment cannot be written: the reason is recorded on it and in a
    history row, and the node's `errored` count goes up, so counts still conserve. `history=False` leaves
    the history row out, for when the database refuses this enrollment's history rows themselves.
    """
    items, _modes = _lock_runnable(session, [enrollment_id])
    if not items:
        return False
    item = items[0]
    run = _Run(StepContext(session=session, now=now), {}, 0)
    run._error(item, reason)
    if not history:
        run.history.clear()
    run.write()
    return True
