"""Time-driven triggers (schedules, relative dates), fired by the ticker: periodic work as data.

* Publishing (and resuming) a version writes when each of its time-driven triggers is next due
  (`trigger_schedules`).
* Each ticker pass claims the due rows: it moves `next_due_at` to the first firing after *now* with a
  conditional UPDATE (so a missed firing — everything down at that minute — fires once on recovery, not once
  per missed occurrence) and inserts a `trigger_firings` row unique on (journey, node, due time), so a
  firing happens once even with two tickers.
* A firing job enrols the trigger's audience page by page (keyset on customer id, one audience query and a
  bulk insert per page), committing the cursor with each page: a job lost half-way is re-run by the ticker
  once its lease expires and carries on where it stopped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.audience import filters as audience
from wayfinder.db_utils import insert_ignore
from wayfinder.engine.enrol import enrol_at
from wayfinder.engine.versions import VersionGraph, index_graph, load_versions
from wayfinder.models import (
    FiringStatus,
    JourneyVersion,
    TriggerFiring,
    TriggerSchedule,
    VersionStatus,
)
from wayfinder.steps.base import SCHEDULE_KEY


def _time_triggers(graph: dict) -> list[dict]:
    return [
        n
        for n in graph["nodes"]
        if (t := steps.get(n["type"])) is not None
        and t.is_trigger
        and SCHEDULE_KEY in t.trigger_keys(n["data"].get("settings") or {})
    ]


def schedule_version(session: Session, version: JourneyVersion, now: datetime) -> None:
    """Write when each time-driven trigger of a just-published (or resumed) version is next due after `now`."""
    rules = index_graph(version.graph).rules
    for node in _time_triggers(version.graph):
        due = steps.get(node["type"]).next_due(node["data"]["settings"], now, rules.timezone)
        existing = session.scalar(
            select(TriggerSchedule).where(
                TriggerSchedule.version_id == version.id, TriggerSchedule.node_id == node["id"]
            )
        )
        if existing is None:
            session.add(
                TriggerSchedule(
                    journey_id=version.journey_id, version_id=version.id, node_id=node["id"], next_due_at=due
                )
            )
        else:
            existing.next_due_at = due
    session.flush()


def claim_due(session: Session, now: datetime, lease_seconds: int, batch: int = 100) -> list[int]:
    """The ticker's pass over due triggers; returns the ids of firings to run (new, or lost and re-issued).
    The caller commits, then enqueues them."""
    firings: list[int] = []
    rows = session.execute(
        select(TriggerSchedule.id, TriggerSchedule.version_id, TriggerSchedule.node_id, TriggerSchedule.next_due_at)
        .join(JourneyVersion, JourneyVersion.id == TriggerSchedule.version_id)
        .where(TriggerSchedule.next_due_at <= now, JourneyVersion.status == VersionStatus.PUBLISHED)
        .order_by(TriggerSchedule.next_due_at)
        .limit(batch)
    ).all()
    versions = load_versions(session, {r.version_id for r in rows}) if rows else {}
    lease = now + timedelta(seconds=lease_seconds)
    for schedule_id, version_id, node_id, due in rows:
        version = versions[version_id]
        node = version.nodes[node_id]
        rules = version.rules
        following = steps.get(node["type"]).next_due(node["data"]["settings"], now, rules.timezone)
        if rules.end_at and following and following >= rules.end_at:
            following = None
        claimed = session.execute(
            update(TriggerSchedule)
            .where(TriggerSchedule.id == schedule_id, TriggerSchedule.next_due_at == due)
            .values(next_due_at=following)
        ).rowcount
        if claimed != 1 or rules.entry_refusal(due):  # another ticker has it; or outside the journey's dates
            continue
        firings += insert_ignore(
            session,
            TriggerFiring.__table__,
            [
                {
                    "journey_id": version.journey_id,
                    "version_id": version_id,
                    "node_id": node_id,
                    "due_at": due,
                    "fired_at": now,
                    "status": FiringStatus.RUNNING,
                    "lease_until": lease,
                    "cursor": 0,
                    "enrolled": 0,
                }
            ],
            conflict=("journey_id", "node_id", "due_at"),
            returning="id",
        )
    lost = list(
        session.scalars(
            select(TriggerFiring.id)
            .where(TriggerFiring.status == FiringStatus.RUNNING, TriggerFiring.lease_until <= now)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    )
    if lost:
        session.execute(update(TriggerFiring).where(TriggerFiring.id.in_(lost)).values(lease_until=lease))
    return firings + lost


def fire_page(
    session: Session,
    firing_id: int,
    now: datetime,
    lease_seconds: int,
    page_size: int,
    versions: dict[int, VersionGraph] | None = None,
) -> tuple[list[int], bool]:
    """Enrol the next page of a firing's audience; returns (new enrollment ids, whether the firing is done).
    The caller commits after each page. `versions` carries the version graphs loaded by earlier pages from one
    page to the next (it is filled here), so a firing of many pages loads its version once: the firing only
    reads the frozen graph, never the version's status."""
    firing = session.scalar(
        select(TriggerFiring).where(TriggerFiring.id == firing_id).with_for_update(skip_locked=True)
    )
    if firing is None or firing.status != FiringStatus.RUNNING:
        return [], True
    versions = {} if versions is None else versions
    if firing.version_id not in versions:
        versions.update(load_versions(session, {firing.version_id}))
    version = versions[firing.version_id]
    node = version.nodes[firing.node_id]
    step = steps.get(node["type"])
    settings = node["data"]["settings"]
    base = step.audience(settings) or {}
    extra = step.firing_conditions(settings, firing.due_at, version.rules.timezone)
    # The trigger's audience as one group, and this firing's own conditions (e.g. whose birthday it is).
    who = {"match": "all", "conditions": [{"kind": "group", **base}, *extra]} if base else {"conditions": extra}
    ids = audience.page(session, who, firing.cursor, page_size, now, workspace_id=version.workspace_id)
    last = ids[-1] if ids else None
    done = len(ids) < page_size
    created: dict[int, int] = {}
    if ids:
        created, _refused = enrol_at(session, version, firing.node_id, ids, now, lease_seconds, audience_checked=True)
    if last is not None:
        firing.cursor = last
    firing.enrolled += len(created)
    firing.lease_until = now + timedelta(seconds=lease_seconds)
    if done:
        firing.status = FiringStatus.DONE
        firing.finished_at = now
    session.flush()
    return sorted(created.values()), done
