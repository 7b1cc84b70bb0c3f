"""The journey settings that govern sends: quiet hours and frequency caps across all journeys.

* Quiet hours: a customer who reaches a sending step inside the journey's quiet hours (in their own zone
  when known, else the journey's) waits there until the quiet hours end, then the step runs.
* Frequency caps: every message sent (by any journey) counts in `send_counters` rows per customer, channel
  (and "any") and local day / week. A message of a journey with caps takes a slot with a conditional UPDATE
  (`count < limit`) on the row, which PostgreSQL re-checks after waiting for a concurrent writer's row
  lock (and SQLite serialises), so two journeys racing for the last slot send exactly one. A capped
  message is recorded as `skipped` with the reason; the customer moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from wayfinder.db_utils import insert_ignore, upsert_add
from wayfinder.journeys.settings import JourneyRules
from wayfinder.models import SendCounter
from wayfinder.steps.base import SendMessage

ANY = "any"
QUIET_HOURS = "quiet_hours"
FREQUENCY_CAP = "frequency_cap"


def quiet_until(rules: JourneyRules, now: datetime, tz: tzinfo) -> datetime | None:
    """When the quiet hours that `now` falls in end (in `tz`), or None when `now` is not in quiet hours."""
    if rules.quiet_start is None or rules.quiet_end is None:
        return None
    local = now.astimezone(tz).replace(tzinfo=None)
    t, start, end = local.time(), rules.quiet_start, rules.quiet_end
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    ends = datetime.combine(local.date(), end)
    if ends <= local:
        ends += timedelta(days=1)
    until = ends.replace(tzinfo=tz)
    return until if until > now else now + timedelta(minutes=1)


def periods(now: datetime, tz: tzinfo) -> dict[str, str]:
    """The counter keys of `now`'s local day and week (weeks start on Monday)."""
    day = now.astimezone(tz).date()
    return {"day": f"day:{day.isoformat()}", "week": f"week:{(day - timedelta(days=day.weekday())).isoformat()}"}


def apply_caps(
    session: Session,
    messages: list[SendMessage],
    rules_of: Callable[[int], JourneyRules],
    tz_of: Callable[[int], tzinfo],
    now: datetime,
) -> tuple[list[SendMessage], list[SendMessage]]:
    """Count the messages about to be sent and skip those over a cap of their journey.

    Returns (the messages with the capped ones marked skipped, the capped ones). Runs in the batch's
    transaction, customers in id order (a fixed lock order between workers)."""
    sendable = [m for m in messages if m.error is None]
    if not sendable:
        return messages, []
    keys: dict[int, list[tuple[int, str, str]]] = {}  # id(message) -> its counter keys
    limits: dict[int, dict[tuple[int, str, str], int]] = {}  # id(message) -> {counter key: its journey's limit}
    for m in sendable:
        p = periods(now, tz_of(m.customer_id))
        keys[id(m)] = [(m.customer_id, ch, p[kind]) for ch in (m.channel, ANY) for kind in ("day", "week")]
        mine: dict[tuple[int, str, str], int] = {}
        for channel, limit, period in rules_of(m.journey_id).caps:
            if channel in (m.channel, ANY):
                key = (m.customer_id, channel, p[period])
                mine[key] = min(limit, mine.get(key, limit))
        limits[id(m)] = mine
    table = SendCounter.__table__
    # The rows a cap takes a slot from must exist first; the others are created by the counting upsert.
    capped_keys = sorted({k for mine in limits.values() for k in mine})
    insert_ignore(
        session,
        table,
        [{"customer_id": c, "channel": ch, "period": period, "count": 0} for c, ch, period in capped_keys],
        conflict=("customer_id", "channel", "period"),
    )
    capped: list[SendMessage] = []
    counted: dict[tuple[int, str, str], int] = {}
    for m in sorted(sendable, key=lambda m: (m.customer_id, m.enrollment_id, m.node_id)):
        mine = limits[id(m)]
        taken = []
        over = None
        for key in sorted(mine):
            if _take(session, key, mine[key]):
                taken.append(key)
            else:
                over = key
                break
        if over is not None:
            for key in taken:  # give back the slots this message took before hitting the cap
                _give_back(session, key)
            capped.append(m)
            continue
        for key in keys[id(m)]:
            if key not in mine:
                counted[key] = counted.get(key, 0) + 1
    upsert_add(
        session,
        table,
        [{"customer_id": c, "channel": ch, "period": p, "count": n} for (c, ch, p), n in sorted(counted.items())],
        key=("customer_id", "channel", "period"),
        add=("count",),
    )
    if not capped:
        return messages, []
    marked = {id(m): _skipped(m, rules_of(m.journey_id)) for m in capped}
    return [marked.get(id(m), m) for m in messages], capped


def _where(key: tuple[int, str, str]):
    customer_id, channel, period = key
    c = SendCounter.__table__.c
    return (c.customer_id == customer_id, c.channel == channel, c.period == period)


def _take(session: Session, key: tuple[int, str, str], limit: int) -> bool:
    c = SendCounter.__table__.c
    stmt = update(SendCounter.__table__).where(*_where(key), c.count < limit).values(count=c.count + 1)
    return session.execute(stmt).rowcount == 1


def _give_back(session: Session, key: tuple[int, str, str]) -> None:
    c = SendCounter.__table__.c
    session.execute(update(SendCounter.__table__).where(*_where(key)).values(count=c.count - 1))


def _skipped(m: SendMessage, rules: JourneyRules) -> SendMessage:
    caps = ", ".join(f"{limit} {channel} per {period}" for channel, limit, period in rules.caps)
    return replace(m, error=f"Skipped: frequency cap reached ({caps}, across all journeys)", skipped=True)
