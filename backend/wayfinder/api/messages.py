"""/api/messages (the message log: what journeys sent on every channel, and what happened to it since) and
/api/outbox (mail caught by the dev catcher).

The log is read a page at a time, newest first, with a cursor (the last id seen) rather than an offset: a log that
grows while someone reads it neither repeats nor skips a row, and a page deep in it costs what the first one does.
A page is one query: the journey's and customer's names and each message's newest event come in the same SELECT
(the newest event by the `ix_message_events_message` index); the step names come from one more query per page
(the graphs the editor shows), never one per message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.content.outbox import read_mailbox
from wayfinder.extensions import db
from wayfinder.journeys.service import step_nodes
from wayfinder.models import Customer, Journey, Message
from wayfinder.models.message import MessageEvent
from wayfinder.schemas.api import (
    ErrorSchema,
    MessageDetailOutSchema,
    MessageListOutSchema,
    MessageQuerySchema,
    OutboxOutSchema,
    PageSchema,
)
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint("messages", __name__, url_prefix="/api", description="The message log, and the dev outbox.")

PER_PAGE = 50
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
BIGINT_MAX = 2**63 - 1
#: The editor's names of the send steps' types (frontend i18n `type.*`, English), for a step without a label.
STEP_TYPE_NAMES = {
    "send_email": "Send email",
    "send_sms": "Send SMS",
    "send_line": "Send LINE message",
    "send_push": "App push",
    "send_webpush": "Web push",
    "send_in_app": "In-app message",
    "send_webhook": "Webhook call",
}
#: Channels whose recipient is the JSON list of the customer's devices (tokens never leave the server).
DEVICE_CHANNELS = frozenset({"push", "webpush"})
#: Payload keys that could hold a device's secret address; dropped from the detail whatever the channel.
SECRET_PAYLOAD_KEYS = frozenset({"token", "tokens", "subscription", "subscriptions", "endpoint"})


@blp.get("/messages")
@blp.arguments(MessageQuerySchema, location="query")
@blp.response(200, MessageListOutSchema)
@requires("messages.read")
def list_messages(query: dict):
    """The newest messages first, filtered; `next_cursor` fetches the next (older) page.

    Each message carries its journey, its step (named as the editor shows it), its customer and its newest event,
    so the log needs no other request."""
    per_page = query["per_page"] or query["limit"] or PER_PAGE
    stmt = _log_select().where(*_filters(query)).order_by(Message.id.desc()).limit(per_page + 1)
    rows = [_row(*row) for row in db.session.execute(stmt)]
    more = len(rows) > per_page
    rows = rows[:per_page]
    _name_steps(db.session, rows)
    return {"messages": rows, "next_cursor": rows[-1].id if more else None}


@blp.get("/messages/<id:message_id>")
@blp.response(200, MessageDetailOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such message in this workspace")
@requires("messages.read")
def get_message(message_id: int):
    """One message with its rendered content (`payload`, as the customer got it) and its event timeline."""
    # Message ids are 64-bit: a bigger number (the route takes 19 digits) names no message.
    found = message_id <= BIGINT_MAX and db.session.execute(_log_select().where(Message.id == message_id)).first()
    if not found:
        raise NotFound(f"Message {message_id} not found")
    message = _row(*found)
    _name_steps(db.session, [message])
    message.events = list(
        db.session.scalars(select(MessageEvent).where(MessageEvent.message_id == message.id).order_by(MessageEvent.id))
    )
    message.payload_shown = _shown_payload(message.payload)
    message.sent_via = _sent_via(message.events)
    return message


def _sent_via(events: list[MessageEvent]) -> dict[str, Any] | None:
    """The workspace's provider account that sent the message, as its `sent` event recorded it (its name and
    provider then: the log outlives a renamed or deleted account); None for the app's own provider."""
    detail = next((e.detail for e in reversed(events) if e.kind == "sent" and (e.detail or {}).get("account")), None)
    return detail and {"id": detail["account_id"], "name": detail["account"], "provider": detail["provider"]}


def _log_select() -> Select:
    newest_event = (
        select(MessageEvent.kind)
        .where(MessageEvent.message_id == Message.id)
        .order_by(MessageEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(Message, Customer, Journey.name, newest_event)
        .join(Customer, Customer.id == Message.customer_id)
        .outerjoin(Journey, Journey.id == Message.journey_id)
    )


def _filters(query: dict[str, Any]) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query["journey_id"] is not None:
        where.append(Message.journey_id == query["journey_id"])
    if query["node_id"] is not None:
        where.append(Message.node_id == query["node_id"])
    if query["channel"] is not None:
        where.append(Message.channel == query["channel"])
    if query["status"] is not None:
        where.append(Message.status == query["status"])
    if query["customer"] is not None:
        where.append(or_(Customer.external_id == query["customer"], Customer.email == query["customer"]))
    if query["q"] is not None:
        where.append(func.lower(Message.subject).contains(query["q"].lower(), autoescape=True))
    if query["since"] is not None:
        where.append(Message.created_at >= query["since"])
    if query["until"] is not None:
        where.append(Message.created_at < query["until"])
    if query["cursor"] is not None:
        where.append(Message.id < query["cursor"])
    return where


def _row(message: Message, customer: Customer, journey_name: str | None, last_event: str | None) -> Message:
    """The message with what the log shows of it (set on the instance for the schema; never flushed)."""
    message.customer_external_id = customer.external_id
    message.customer = {"external_id": customer.external_id, "name": customer_name(customer)}
    message.journey_name = journey_name
    message.journey = {"id": message.journey_id, "name": journey_name} if message.journey_id is not None else None
    message.recipient = message.to_shown = recipient(message.channel, message.to_address)
    message.last_event = last_event
    return message


def customer_name(customer: Customer) -> str | None:
    """How a person is named: the `name` attribute, else first and last name (a Chinese or Japanese name family
    name first, unspaced: 陳美玲); None when there is neither."""
    attributes = customer.attributes or {}
    if isinstance(attributes.get("name"), str) and attributes["name"].strip():
        return attributes["name"].strip()
    first, last = (
        attributes[k].strip() if isinstance(attributes.get(k), str) else "" for k in ("first_name", "last_name")
    )
    if first and last and _CJK.search(first + last):
        return last + first
    return " ".join(p for p in (first, last) if p) or None


def recipient(channel: str, to_address: str) -> str:
    """The recipient as the log shows it: the address itself, or for push channels how many devices."""
    if channel not in DEVICE_CHANNELS:
        return to_address
    try:
        devices = json.loads(to_address)
    except ValueError:
        devices = None
    count = len(devices) if isinstance(devices, list) else 1
    return f"{count} device" if count == 1 else f"{count} devices"


def _shown_payload(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(payload, dict):
        return None
    return {k: v for k, v in payload.items() if k not in SECRET_PAYLOAD_KEYS}


def _name_steps(session: Session, messages: list[Message]) -> None:
    """Each message's step: its id, type, label and name in the graph the editor shows (one query per page)."""
    steps = step_nodes(session, {m.journey_id for m in messages if m.journey_id is not None})
    for message in messages:
        node = steps.get(message.journey_id, {}).get(message.node_id, {})
        label = (node.get("data") or {}).get("label") or None
        kind = node.get("type") or None
        message.step_name = label
        message.step = {
            "id": message.node_id,
            "type": kind,
            "label": label,
            "name": label or STEP_TYPE_NAMES.get(kind or "", kind or message.node_id),
        }


@blp.get("/outbox")
@blp.arguments(PageSchema, location="query")
@blp.response(200, OutboxOutSchema)
@requires("devtools.use")
def outbox(page: dict):
    """The workspace's mail caught by the development SMTP catcher (`enabled: false` when there is none)."""
    directory = current_app.config.get("MAIL_CATCHER_DIR")
    if not directory:
        return {"enabled": False, "mails": []}
    return {"enabled": True, "mails": read_mailbox(directory, limit=page["limit"], workspace_id=request_workspace())}
