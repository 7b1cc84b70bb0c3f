"""The in-memory state of one advance (`Transitions`): each step's outcomes for a batch become transitions, step
history, node counts, wait index rows and final states, written with a handful of bulk statements.

Poison isolation: when a step raises for a group, it is run again one customer at a time; the customers it
still raises for are parked `errored` at that node (reason on the enrollment and in step history, counted
per node) and everyone else advances.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError

from wayfinder import steps
from wayfinder.db_utils import bulk_insert, chunked, one_of, update_rows
from wayfinder.engine.context import StepContext
from wayfinder.engine.counts import CountDeltas
from wayfinder.engine.sending import FREQUENCY_CAP, QUIET_HOURS, apply_caps, quiet_until
from wayfinder.engine.versions import VersionGraph
from wayfinder.models import Enrollment, EnrollmentStatus, EnrollmentWait, StepAction, StepHistory
from wayfinder.steps.base import WAKE_GOAL_PREFIX, Complete, Fail, Item, Move, Wait

# Reasons recorded on the step history for the journey settings' decisions.
MAX_TIME = "max_time"
# The context key of a customer waiting out quiet hours at a sending step (the node id).
DEFERRED = "deferred_send"
# A published graph has no cycle, so this only guards against a bug turning into an endless loop.
MAX_STEPS_PER_RUN = 1000


class Transitions:
    """The in-memory state of one advance: transitions, history, counts, waits and final states."""

    def __init__(
        self,
        ctx: StepContext,
        versions: dict[int, VersionGraph],
        lease_seconds: int,
        between_rounds: Callable[[], None] | None = None,
    ) -> None:
        self.ctx = ctx
        # Called after each round of steps: writes the tag and attribute changes so far, so that a condition
        # after an "add tag" in the same run sees the tag.
        self.between_rounds = between_rounds
        self.lease_seconds = lease_seconds
        self.versions = versions
        self.counts = CountDeltas()
        self.history: list[dict[str, Any]] = []
        self.final: dict[int, dict[str, Any]] = {}
        self.waits: list[dict[str, Any]] = []
        self.resumed: list[int] = []  # enrollments that were waiting: their wait index rows go
        self.converted: set[int] = set()

    def step_all(self, items: list[Item], modes: dict[int, str]) -> None:
        pending: list[tuple[Item, str]] = []
        for item in items:
            mode = modes[item.enrollment_id]
            if mode == "resume":
                self.resumed.append(item.enrollment_id)
            if item.context.get("converted_at"):
                self.converted.add(item.enrollment_id)
            if item.wake and item.wake.startswith(WAKE_GOAL_PREFIX):
                self._convert(item, item.wake.removeprefix(WAKE_GOAL_PREFIX))
                mode = "execute"
            elif mode == "resume" and item.context.get(DEFERRED) == item.node:
                # The quiet hours of a deferred send are over: the sending step runs now.
                item.context.pop(DEFERRED)
                mode = "execute"
            item.context.pop(DEFERRED, None)
            pending.append((item, mode))
        for _ in range(MAX_STEPS_PER_RUN):
            if not pending:
                return
            groups: dict[tuple[int, str, str], list[Item]] = defaultdict(list)
            for item, mode in pending:
                groups[(item.version_id, item.node, mode)].append(item)
            pending = []
            for (version_id, node_id, mode), group in groups.items():
                node = self.versions[version_id].nodes[node_id]
                group, mode = self._journey_rules(self.versions[version_id], node, group, mode)
                if not group:
                    continue
                # Steps reading `ctx.timezone` (wait until) fall back to this journey's zone while they run.
                self.ctx.journey_timezone = self.versions[version_id].timezone
                try:
                    results = self._run_step(node, mode, group)
                finally:
                    self.ctx.journey_timezone = None
                for item, outcome in results:
                    item.wake = item.wake_event = None
                    if self._apply(item, outcome):
                        pending.append((item, "execute"))
            if pending and self.between_rounds is not None:
                self.between_rounds()
        for item, _mode in pending:
            self._end(item, EnrollmentStatus.FAILED, error="Too many steps in one run")

    def _journey_rules(self, version: VersionGraph, node: dict, group: list[Item], mode: str):
        """The journey settings that act before a step runs: customers past the maximum time leave; a send
        inside quiet hours waits until they end (then the step runs, rather than resumes). Returns the items
        that go on to the step, and the mode they go in."""
        rules, now, step = version.rules, self.ctx.now, steps.get(node["type"])
        kept: list[Item] = []
        for item in group:
            converted = item.enrollment_id in self.converted
            if rules.max_duration and not converted and now >= item.entered_at + rules.max_duration:
                self._end(item, EnrollmentStatus.COMPLETED, reason=MAX_TIME)
                continue
            kept.append(item)
        if mode != "execute" or step.channel is None or rules.quiet_start is None:
            return kept, mode
        runs: list[Item] = []
        for item in kept:
            until = quiet_until(rules, now, self.ctx.customer_zone(item.customer_id, rules.timezone))
            if until is None:
                runs.append(item)
                continue
            # Deferred: recorded as a step onto the same node, then asleep until the quiet hours end.
            self._history(item, None, item.node, reason=QUIET_HOURS)
            item.context[DEFERRED] = item.node
            self._apply(item, Wait(until))
        return runs, mode

    def apply_caps(self) -> None:
        """Frequency caps across all journeys: skip the capped messages and give the step history row of
        their send the reason."""
        effects = self.ctx.effects
        if not effects.messages:
            return
        rules = {v.journey_id: v.rules for v in self.versions.values()}
        effects.messages, capped = apply_caps(
            self.ctx.session,
            effects.messages,
            rules.__getitem__,
            self.ctx.customer_zone,
            self.ctx.now,
        )
        if not capped:
            return
        leaving = {(m.enrollment_id, m.seq + 1) for m in capped}
        for row in self.history:
            if (row["enrollment_id"], row["seq"]) in leaving:
                row["reason"] = FREQUENCY_CAP

    def _run_step(self, node: dict[str, Any], mode: str, group: list[Item]) -> list[tuple[Item, Any]]:
        """The step's outcome for each item of `group`; items the step raises for are parked `errored`.

        The whole group runs in one call (steps work in bulk). If that raises, the effects it produced are
        dropped (and its per-step state changes undone) and each item runs alone, so one customer's bad data
        never holds back the others.
        """
        step = steps.get(node["type"])
        call = step.resume if mode == "resume" else step.execute
        mark = self.ctx.effects.mark()
        # Only non-empty contexts need a copy to undo a failed call (most items carry none: no deep copy on the
        # hot path); an empty one is restored as a fresh empty dict.
        saved = {item.enrollment_id: copy.deepcopy(item.context) for item in group if item.context}
        try:
            return list(zip(group, call(self.ctx, node, group), strict=True))
        except Exception:
            self.ctx.effects.rollback(mark)
            for item in group:
                item.context = saved.get(item.enrollment_id, {})
        results = []
        for item in group:
            mark = self.ctx.effects.mark()
            try:
                (outcome,) = call(self.ctx, node, [item])
            except Exception as exc:
                self.ctx.effects.rollback(mark)
                item.context = saved.get(item.enrollment_id, {})
                self.error(item, f"Step '{node['id']}' ({node['type']}) failed: {describe(exc)}")
                continue
            results.append((item, outcome))
        return results

    def error(self, item: Item, reason: str) -> None:
        """Park the enrollment `errored` where it is, with the reason on it and in its history row."""
        reason = reason[:500]
        self.counts.add(item.journey_id, item.version_id, item.node, StepAction.ERRORED)
        self._history(item, None, None, error=reason)
        self.final[item.enrollment_id] = self._state(
            item, EnrollmentStatus.ERRORED, ended_at=self.ctx.now, error=reason
        )

    def _convert(self, item: Item, goal_node: str) -> None:
        """The customer reached the goal: they leave the node they were at as converted (wherever it was, a
        wait included) and go to the goal node, whose output is the optional final path."""
        self.counts.add(item.journey_id, item.version_id, item.node, StepAction.EXITED)
        self.counts.add(item.journey_id, item.version_id, item.node, StepAction.CONVERTED)
        self.counts.add(item.journey_id, item.version_id, goal_node, StepAction.ENTERED)
        self._history(item, None, goal_node, reason="goal")
        item.node, item.node_entered_at = goal_node, self.ctx.now
        item.context["converted_at"] = self.ctx.now.isoformat()
        self.converted.add(item.enrollment_id)

    def _apply(self, item: Item, outcome: Any) -> bool:
        """Record one outcome; True when the item moved to a node that must execute now."""
        now = self.ctx.now
        if isinstance(outcome, Move):
            graph = self.versions[item.version_id]
            target = graph.target(item.node, outcome.handle)
            if target is None and outcome.otherwise is not None:  # e.g. `unreachable` not connected: on via `next`
                outcome = Move(outcome.otherwise, outcome.reason)
                target = graph.target(item.node, outcome.handle)
            if target is None:  # an optional output left unconnected: the path ends here
                self._end(item, self._ended_status(item), handle=outcome.handle, reason=outcome.reason)
                return False
            self.counts.add(item.journey_id, item.version_id, item.node, StepAction.MOVED_ON)
            self.counts.add(item.journey_id, item.version_id, target, StepAction.ENTERED)
            self._history(item, outcome.handle, target, reason=outcome.reason)
            item.node, item.node_entered_at = target, now
            return True
        if isinstance(outcome, Wait):
            until = outcome.until
            max_duration = self.versions[item.version_id].rules.max_duration
            if max_duration and item.enrollment_id not in self.converted:
                # Wake at the journey's time limit at the latest, to leave then.
                deadline = item.entered_at + max_duration
                until = deadline if until is None else min(until, deadline)
            self.final[item.enrollment_id] = self._state(item, EnrollmentStatus.WAITING, wake_at=until)
            for wait in outcome.events:
                self.waits.append(
                    {
                        "enrollment_id": item.enrollment_id,
                        "customer_id": item.customer_id,
                        "event_name": wait.name,
                        "node_id": item.node,
                        "filters": [list(f) for f in wait.filters],
                        "since": now,
                    }
                )
            return False
        if isinstance(outcome, Complete):
            self._end(item, self._ended_status(item), reason=outcome.reason)
            return False
        if isinstance(outcome, Fail):
            self._end(item, EnrollmentStatus.FAILED, error=outcome.error[:500])
            return False
        raise TypeError(f"unknown outcome {outcome!r}")

    def _ended_status(self, item: Item) -> str:
        return EnrollmentStatus.CONVERTED if item.enrollment_id in self.converted else EnrollmentStatus.COMPLETED

    def _end(
        self, item: Item, status: str, error: str | None = None, handle: str | None = None, reason: str | None = None
    ) -> None:
        self.counts.add(item.journey_id, item.version_id, item.node, StepAction.EXITED)
        self._history(item, handle, None, reason=reason or (error and "failed"))
        self.final[item.enrollment_id] = self._state(item, status, ended_at=self.ctx.now, error=error)

    def _state(self, item: Item, status: str, **extra: Any) -> dict[str, Any]:
        converted_at = item.context.get("converted_at")
        return {
            "id": item.enrollment_id,
            "status": status,
            "current_node": item.node,
            "seq": item.seq,
            "node_entered_at": item.node_entered_at,
            "wake_at": None,
            "wake_reason": None,
            "wake_event_id": None,
            "context": item.context,
            "converted_at": datetime.fromisoformat(converted_at) if converted_at else None,
            **extra,
        }

    def _history(
        self, item: Item, handle: str | None, target: str | None, reason: str | None = None, error: str | None = None
    ) -> None:
        """One history row: leaving `item.node` for `target` (None: leaving the journey)."""
        item.seq += 1
        if handle is not None:
            self.counts.add_edge(item.journey_id, item.version_id, item.node, handle)
        self.history.append(
            {
                "enrollment_id": item.enrollment_id,
                "journey_id": item.journey_id,
                "version_id": item.version_id,
                "seq": item.seq,
                "from_node": item.node,
                "handle": handle,
                "to_node": target,
                "at": self.ctx.now,
                "reason": reason,
                "error": error,
            }
        )

    def write(self) -> None:
        session = self.ctx.session
        for chunk in chunked(self.resumed):
            session.execute(delete(EnrollmentWait).where(one_of(session, EnrollmentWait.enrollment_id, chunk)))
        if self.final:
            update_rows(session, Enrollment.__table__, list(self.final.values()))
        if self.history:
            bulk_insert(session, StepHistory.__table__, self.history)
        if self.waits:
            bulk_insert(session, EnrollmentWait.__table__, self.waits)
        self.counts.write(session)


def describe(exc: BaseException) -> str:
    """A readable one-line reason for an exception (its type and message), at most 400 characters."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:  # the database's words, without the SQL statement
        exc = exc.orig
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:400] if text else type(exc).__name__
