"""The journey settings that govern sends: quiet hours and frequency caps across all journeys.

* Quiet hours: a customer who reaches a sending step inside the journey's quiet hours (in their own zone
  when known, else the journey's) waits there until the quiet hours end, then the step runs.
* Frequency caps count the customer's messages themselves (the database is the truth; no counter table to
  keep in step): every message of any journey created since the start of the customer's local day / week
  (Monday) on the channel (or on every channel, for "any"), except the failed and skipped ones — a send that
  fails does not use a slot. "Local" is the customer's `timezone` attribute, else the zone of the journey
  whose cap is checked (its `settings.timezone`), as for quiet hours. A batch with messages of a capped
  journey first locks those customers' rows (`FOR NO KEY UPDATE`, in id order) and only then counts, so two
  capped journeys racing for the last slot send exactly one: the second waits for the first to commit its
  message and then sees it (SQLite serialises writers with `BEGIN IMMEDIATE`). Within a batch the messages to
  one customer are decided by their journey's priority (high, normal, low), then first decided first (the
  earlier enrollment); a message decided in an earlier transaction keeps its slot. A capped message is
  recorded as `skipped` with the reason and the customer moves on. Journeys without caps pay nothing: their
  messages are counted only when a capped journey asks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.db_utils import chunked, one_of
from wayfinder.models import Customer, Message, MessageStatus
from wayfinder.steps.base import SendMessage
from wayfinder.steps.journey_settings import JourneyRules

ANY = "any"
QUIET_HOURS = "quiet_hours"
FREQUENCY_CAP = "frequency_cap"
# Messages that never reached the customer do not use a slot.
NOT_COUNTED = (MessageStatus.FAILED, MessageStatus.SKIPPED)


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


def period_starts(now: datetime, tz: tzinfo) -> dict[str, datetime]:
    """The starts of `now`'s local day and week (weeks start on Monday) in `tz`, as aware datetimes."""
    local = now.astimezone(tz)
    day = datetime.combine(local.date(), time(0), tzinfo=tz)
    return {"day": day, "week": day - timedelta(days=local.weekday())}


def apply_caps(
    session: Session,
    messages: list[SendMessage],
    rules_of: Callable[[int], JourneyRules],
    tz_of: Callable[[int, tzinfo], tzinfo],
    now: datetime,
) -> tuple[list[SendMessage], list[SendMessage]]:
    """Skip the messages over a frequency cap of their journey (see the module docstring).

    `tz_of(customer id, journey zone)` is the customer's zone, else the journey's. Returns (the messages with
    the capped ones marked skipped, the capped ones). Runs in the batch's transaction; messages are decided in
    (customer, journey priority, enrollment, node) order, each counting the earlier ones of the batch."""
    sendable = [m for m in messages if m.error is None]
    capped_customers = {m.customer_id for m in sendable if rules_of(m.journey_id).caps}
    asking = sorted(capped_customers)
    if not asking:
        return messages, []
    # The local day / week of each (customer, journey): the customer's zone, else that journey's.
    starts = {
        (m.customer_id, m.journey_id): period_starts(now, tz_of(m.customer_id, rules_of(m.journey_id).timezone))
        for m in sendable
        if m.customer_id in capped_customers
    }
    earliest = min(s["week"] for s in starts.values())
    customers, msgs = Customer.__table__.c, Message.__table__.c
    sent: dict[int, list[tuple[str, datetime]]] = defaultdict(list)  # customer -> (channel, created_at)
    for chunk in chunked(asking):
        # The customer rows are the lock every capped decision about them waits on.
        session.execute(
            select(customers.id)
            .where(one_of(session, customers.id, chunk))
            .order_by(customers.id)
            .with_for_update(key_share=True)
        ).all()
        for customer_id, channel, created_at in session.execute(
            select(msgs.customer_id, msgs.channel, msgs.created_at).where(
                one_of(session, msgs.customer_id, chunk),
                msgs.created_at >= earliest,
                msgs.status.not_in(NOT_COUNTED),
            )
        ):
            sent[customer_id].append((channel, created_at))
    capped: list[SendMessage] = []
    order = sorted(sendable, key=lambda m: (m.customer_id, rules_of(m.journey_id).rank, m.enrollment_id, m.node_id))
    for m in order:
        if (m.customer_id, m.journey_id) not in starts:
            continue
        earlier, since = sent[m.customer_id], starts[(m.customer_id, m.journey_id)]
        if any(
            _count(earlier, channel, since[period]) >= limit
            for channel, limit, period in rules_of(m.journey_id).caps
            if channel in (m.channel, ANY)
        ):
            capped.append(m)
            continue
        earlier.append((m.channel, now))
    if not capped:
        return messages, []
    marked = {id(m): _skipped(m, rules_of(m.journey_id)) for m in capped}
    return [marked.get(id(m), m) for m in messages], capped


def _count(sent: list[tuple[str, datetime]], channel: str, since: datetime) -> int:
    return sum(1 for ch, at in sent if at >= since and (channel == ANY or ch == channel))


def _skipped(m: SendMessage, rules: JourneyRules) -> SendMessage:
    caps = ", ".join(f"{limit} {channel} per {period}" for channel, limit, period in rules.caps)
    return replace(m, error=f"Skipped: frequency cap reached ({caps}, across all journeys)", skipped=True)
