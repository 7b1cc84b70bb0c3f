"""Who may enter: the trigger's audience, the journey's start and end dates, and its re-entry rule.

Every enrolment path (events, schedules, relative dates, manual/API, enrolments from other journeys) goes
through `admit` before enrollment rows are inserted. A customer turned away by a journey rule is recorded in
`entry_refusals` with the reason (one row per journey, customer and reason, counting how often), so "why
didn't this customer get this message?" answers from data. Not being in a trigger's audience is not a
refusal: a schedule's audience query never even reads those customers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.audience.filters import matching_ids
from wayfinder.db_utils import _insert, chunked, one_of
from wayfinder.engine.versions import VersionGraph
from wayfinder.models import IN_JOURNEY, Customer, Enrollment, EntryRefusal
from wayfinder.steps.journey_settings import JourneyRules

NOT_IN_AUDIENCE = "not_in_audience"

Key = tuple[int, int]  # (journey id, customer id)


def admit(
    session: Session,
    wanted: dict[Key, dict],
    versions: dict[int, VersionGraph],
    now: datetime,
    audience_checked: bool = False,
) -> dict[Key, str]:
    """Remove from `wanted` (rows keyed by (journey, customer), each naming its version and trigger node in
    `current_node`) everyone who may not enter now; returns {key: reason} for them. Journey-rule refusals
    are recorded; audience misses are only returned."""
    refused: dict[Key, str] = {}
    if not wanted:
        return refused
    if not audience_checked:
        by_trigger: dict[tuple[int, str], list[Key]] = defaultdict(list)
        for key, row in wanted.items():
            by_trigger[(row["version_id"], row["current_node"])].append(key)
        for (version_id, node_id), keys in by_trigger.items():
            node = versions[version_id].nodes[node_id]
            audience = steps.get(node["type"]).audience(node["data"].get("settings") or {})
            if audience and audience.get("conditions"):
                inside = matching_ids(session, audience, [c for _j, c in keys], now)
                refused.update({k: NOT_IN_AUDIENCE for k in keys if k[1] not in inside})
    rules = {key[0]: versions[row["version_id"]].rules for key, row in wanted.items()}
    outside = {journey_id: r.entry_refusal(now) for journey_id, r in rules.items()}  # dates: per journey
    recorded: dict[Key, str] = {k: outside[k[0]] for k in wanted if k not in refused and outside[k[0]]}
    asking = [k for k in wanted if k not in refused and k not in recorded]
    recorded.update(_reentry(session, asking, rules, now))
    refused.update(recorded)
    _record(session, {k: (wanted[k]["current_node"], r) for k, r in recorded.items()}, now)
    for key in refused:
        del wanted[key]
    return refused


def _reentry(session: Session, keys: list[Key], rules: dict[int, JourneyRules], now: datetime) -> dict[Key, str]:
    """Customers inside already (never twice at once), or refused by their journey's re-entry rule: one query
    for every journey of the batch, through the (customer, journey) index."""
    refused: dict[Key, str] = {}
    asked = set(keys)
    journeys = sorted({j for j, _c in keys})
    for chunk in chunked(sorted({c for _j, c in keys})):
        query = select(Enrollment.journey_id, Enrollment.customer_id, Enrollment.status, Enrollment.ended_at).where(
            one_of(session, Enrollment.customer_id, chunk), Enrollment.journey_id.in_(journeys)
        )
        for journey_id, customer_id, status, ended_at in session.execute(query):
            key = (journey_id, customer_id)
            if key not in asked:
                continue
            rule = rules[journey_id]
            if status in IN_JOURNEY:
                refused[key] = "already_inside"
            elif key in refused:
                continue
            elif rule.reentry == "once":
                refused[key] = "reentry_once"
            elif rule.reentry == "cooldown" and ended_at is not None and ended_at > now - rule.reentry_cooldown:
                refused[key] = "reentry_cooldown"
    return refused


def _record(session: Session, refusals: dict[Key, tuple[str, str]], now: datetime) -> None:
    if not refusals:
        return
    table = EntryRefusal.__table__
    rows = [
        {
            "journey_id": j,
            "customer_id": c,
            "node_id": node,
            "reason": reason,
            "first_at": now,
            "last_at": now,
            "times": 1,
        }
        for (j, c), (node, reason) in sorted(refusals.items())
    ]
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["journey_id", "customer_id", "reason"],
        set_={"times": table.c.times + 1, "last_at": stmt.excluded.last_at, "node_id": stmt.excluded.node_id},
    )
    for chunk in chunked(rows, 1000):
        session.execute(stmt, chunk)


def refusals(session: Session, journey_id: int, external_id: str | None = None, limit: int = 500) -> list[dict]:
    """The recorded refusals of a journey (one customer's, by external id), newest first."""
    query = (
        select(
            Customer.external_id.label("customer"),
            EntryRefusal.node_id,
            EntryRefusal.reason,
            EntryRefusal.first_at,
            EntryRefusal.last_at,
            EntryRefusal.times,
        )
        .join(Customer, Customer.id == EntryRefusal.customer_id)
        .where(EntryRefusal.journey_id == journey_id)
        .order_by(EntryRefusal.last_at.desc(), EntryRefusal.id.desc())
        .limit(limit)
    )
    if external_id is not None:
        query = query.where(Customer.external_id == external_id)
    return [dict(row._mapping) for row in session.execute(query)]
