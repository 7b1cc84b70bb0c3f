"""What a tracked link records: opens, clicks, unsubscribes and bounces, in the message event log and as customer
events journeys react to (`message_opened`, `message_clicked`, `unsubscribed`).

Machine opens and clicks. Mail clients, privacy proxies and security scanners fetch pixels and follow links the
customer never saw. Offline we cannot consult Apple's proxy IP ranges, so these documented heuristics decide:

* an open is machine-made when the request has no User-Agent, when the User-Agent is exactly "Mozilla/5.0"
  (Apple Mail Privacy Protection's prefetch), when it names a known scanner / HTTP library (`_MACHINE_AGENTS`), or
  when it comes within 2 seconds of the send (`sent_at`): no person opens a message that fast.
* Google's and Yahoo's image proxies (GoogleImageProxy, YahooMailProxy) are NOT machine opens: they fetch the
  images when the recipient opens the message (they only hide the recipient's address), so they count as human.
* a click is machine-made with no or a scanner User-Agent, within 2 seconds of the send, or when it is the third
  (or later) click on one message within 2 seconds (a link scanner follows every link at once); the earlier
  clicks of such a burst are then flagged too (their customer event may have gone out already).

Every open and click is kept in the message event log with `detail.machine`; only human ones become customer
events. A message's `message_opened` and `unsubscribed` events, and each link's `message_clicked`, are stored
once (a stable event id: a second open or click of the same link adds a log row, not another event). A click also
counts as an open when none was recorded (the images were blocked).

Rows are read and written with Core statements naming the message's workspace: the tracking routes run without a
signed-in member, so the request's workspace (the default one) says nothing about the message's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from wayfinder.engine import addresses
from wayfinder.models import Customer, Message, MessageEvent, MessageEventKind, utcnow
from wayfinder.tracking import track_events
from wayfinder.workspaces.settings import settings_for

MACHINE_WINDOW = timedelta(seconds=2)
SCANNER_BURST = 3  # clicks on one message within MACHINE_WINDOW that make them a scanner's
LANGUAGES = ("zh-TW", "en")
UNSUBSCRIBED_REASON = "unsubscribed"
BOUNCED_REASON = "bounced"
_MACHINE_AGENTS = (
    "bot",
    "crawler",
    "spider",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "java/",
    "okhttp",
    "barracuda",
    "mimecast",
    "proofpoint",
    "symantec",
    "trendmicro",
    "forcepoint",
    "microsoft office protocol discovery",
)


@dataclass(frozen=True)
class TrackedMessage:
    id: int
    workspace_id: int
    customer_id: int
    journey_id: int | None
    node_id: str
    channel: str
    to_address: str
    payload: dict[str, Any] | None
    sent_at: datetime | None


def find_message(session: Session, message_id: int) -> TrackedMessage | None:
    m = Message.__table__.c
    row = session.execute(
        select(
            m.id,
            m.workspace_id,
            m.customer_id,
            m.journey_id,
            m.node_id,
            m.channel,
            m.to_address,
            m.payload,
            m.sent_at,
        ).where(m.id == message_id)
    ).first()
    return TrackedMessage(*row) if row else None


def machine_agent(user_agent: str | None) -> bool:
    """A User-Agent that is no person's mail client or browser (see the module docstring)."""
    agent = (user_agent or "").strip()
    if not agent or agent == "Mozilla/5.0":
        return True
    lowered = agent.lower()
    if "googleimageproxy" in lowered or "yahoomailproxy" in lowered:
        return False
    return any(marker in lowered for marker in _MACHINE_AGENTS)


def _too_soon(message: TrackedMessage, now: datetime) -> bool:
    return message.sent_at is not None and now - message.sent_at < MACHINE_WINDOW


def _log(session: Session, message: TrackedMessage, kind: str, now: datetime, detail: dict[str, Any]) -> None:
    session.execute(
        insert(MessageEvent.__table__).values(
            message_id=message.id, customer_id=message.customer_id, kind=kind, at=now, detail=detail
        )
    )


def _logged(session: Session, message_id: int, kind: str) -> bool:
    e = MessageEvent.__table__.c
    return session.scalar(select(e.id).where(e.message_id == message_id, e.kind == kind).limit(1)) is not None


def _customer_event(
    session: Session, message: TrackedMessage, name: str, key: str, now: datetime, **extra: Any
) -> list[int]:
    """Store a customer event through the normal intake; the ids of the new rows (none for a repeat)."""
    c = Customer.__table__.c
    external_id = session.scalar(select(c.external_id).where(c.id == message.customer_id))
    if external_id is None:
        return []
    properties = {
        "message_id": message.id,
        "journey_id": message.journey_id,
        "node_id": message.node_id,
        "channel": message.channel,
        **extra,
    }
    event = {"event_id": f"wf-{key}", "customer_id": external_id, "name": name, "properties": properties}
    return track_events(session, [event], now, workspace_id=message.workspace_id).event_ids


def _opened(session: Session, message: TrackedMessage, now: datetime, detail: dict[str, Any]) -> list[int]:
    _log(session, message, MessageEventKind.OPENED, now, detail)
    if detail["machine"]:
        return []
    return _customer_event(session, message, "message_opened", f"opened-{message.id}", now)


def record_open(session: Session, message: TrackedMessage, user_agent: str | None, now: datetime) -> list[int]:
    """The pixel was fetched: an `opened` log row; for a human open the `message_opened` event (ids returned for
    the engine; the caller commits, then enqueues them)."""
    machine = machine_agent(user_agent) or _too_soon(message, now)
    return _opened(session, message, now, {"machine": machine, "user_agent": (user_agent or "")[:300]})


def _scanner_burst(session: Session, message: TrackedMessage, now: datetime) -> bool:
    """Whether this click is the SCANNER_BURST-th or later within MACHINE_WINDOW; if so the burst's earlier clicks
    are flagged machine too."""
    e = MessageEvent.__table__.c
    recent = session.execute(
        select(e.id, e.detail).where(
            e.message_id == message.id, e.kind == MessageEventKind.CLICKED, e.at > now - MACHINE_WINDOW
        )
    ).all()
    if len(recent) + 1 < SCANNER_BURST:
        return False
    for event_id, detail in recent:
        if not (detail or {}).get("machine"):
            session.execute(
                update(MessageEvent.__table__)
                .where(e.id == event_id)
                .values(detail={**(detail or {}), "machine": True, "scanner": True})
            )
    return True


def record_click(
    session: Session, message: TrackedMessage, link: int, url: str, user_agent: str | None, now: datetime
) -> list[int]:
    """A tracked link was followed: a `clicked` log row (and `opened` when the message had none); for a human
    click the `message_clicked` event (and `message_opened`). Returns the new customer events' ids."""
    machine = machine_agent(user_agent) or _too_soon(message, now)
    machine = _scanner_burst(session, message, now) or machine
    detail = {"url": url, "link": link, "machine": machine, "user_agent": (user_agent or "")[:300]}
    event_ids: list[int] = []
    if not _logged(session, message.id, MessageEventKind.OPENED):
        event_ids += _opened(session, message, now, {**detail, "via": "click"})
    _log(session, message, MessageEventKind.CLICKED, now, detail)
    if not machine:
        event_ids += _customer_event(session, message, "message_clicked", f"clicked-{message.id}-{link}", now, url=url)
    return event_ids


def unsubscribe(session: Session, message: TrackedMessage, now: datetime) -> list[int]:
    """The customer unsubscribed from the message's channel: its address goes on the workspace's suppression list
    (reason "unsubscribed"), the customer's `consents.<channel>` becomes false, an `unsubscribed` log row and an
    `unsubscribed` customer event {channel}. Idempotent (a repeat adds nothing)."""
    addresses.suppress(
        session, message.workspace_id, message.channel, message.to_address, UNSUBSCRIBED_REASON, now,
        message_id=message.id,
    )  # fmt: skip
    c = Customer.__table__.c
    attributes = session.scalar(select(c.attributes).where(c.id == message.customer_id))
    if attributes is not None:
        consents = attributes.get("consents") if isinstance(attributes.get("consents"), Mapping) else {}
        if consents.get(message.channel) is not False:
            changed = {**attributes, "consents": {**consents, message.channel: False}}
            session.execute(update(Customer.__table__).where(c.id == message.customer_id).values(
                attributes=changed, updated_at=now
            ))  # fmt: skip
    if _logged(session, message.id, MessageEventKind.UNSUBSCRIBED):
        return []
    _log(session, message, MessageEventKind.UNSUBSCRIBED, now, {"channel": message.channel})
    return _customer_event(session, message, "unsubscribed", f"unsubscribed-{message.id}", now, channel=message.channel)


def language_for(session: Session, message: TrackedMessage) -> str:
    """The customer's language (attribute `language` or `locale`: zh-TW or en), else the workspace's."""
    c = Customer.__table__.c
    attributes = session.scalar(select(c.attributes).where(c.id == message.customer_id)) or {}
    for name in ("language", "locale"):
        value = str(attributes.get(name) or "").strip().lower().replace("_", "-")
        if value.startswith("zh"):
            return "zh-TW"
        if value.startswith("en"):
            return "en"
    language = settings_for(session, message.workspace_id).language
    return language if language in LANGUAGES else "zh-TW"


def brand_name(session: Session, message: TrackedMessage) -> str:
    settings = settings_for(session, message.workspace_id)
    return settings.sender_name or ""


def record_bounce(
    session: Session,
    message: int | str,
    hard: bool,
    detail: Mapping[str, Any] | str | None = None,
    now: datetime | None = None,
    workspace_id: int | None = None,
) -> bool:
    """A bounce for a message, named by its id (int) or its provider id (str: an email's Message-ID): a `bounced`
    log row {hard, ...detail}, and for a hard bounce its address on the suppression list (reason "bounced").
    False when no such message exists (in `workspace_id`, when given: a report through the API names only its own
    workspace's messages). The caller commits."""
    m = Message.__table__.c
    where = m.id == message if isinstance(message, int) else m.provider_id == message
    if workspace_id is not None:
        where = where & (m.workspace_id == workspace_id)
    message_id = session.scalar(select(m.id).where(where).order_by(m.id.desc()).limit(1))
    found = find_message(session, message_id) if message_id is not None else None
    if found is None:
        return False
    now = now or utcnow()
    extra = dict(detail) if isinstance(detail, Mapping) else ({"reason": detail} if detail else {})
    _log(session, found, MessageEventKind.BOUNCED, now, {**extra, "hard": hard})
    if hard:
        reason = str(extra.get("reason") or extra.get("diagnostic") or "hard bounce")
        addresses.suppress(
            session, found.workspace_id, found.channel, found.to_address, BOUNCED_REASON, now, reason, found.id
        )
    return True
