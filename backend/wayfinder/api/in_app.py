"""/api/in-app/messages: the in-app messages a shop's app or site shows a customer (API key scope track).

An in-app message is "sent" when delivery has run it (channels/in_app.py: there is no provider), and shown until
the customer reads it (POST …/<id>/read writes a `read` message event, once) or it expires: `expires_in_hours`
of its rendered payload after it was sent. Newest first; only the key's workspace's messages (scoped queries).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.errors import NotFound
from wayfinder.extensions import db
from wayfinder.models import Customer, Message, MessageEvent, MessageEventKind, MessageStatus, utcnow
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.channels import InAppListOutSchema, InAppQuerySchema, InAppReadOutSchema

blp = Blueprint(
    "in_app",
    __name__,
    url_prefix="/api/in-app/messages",
    description="In-app messages for a shop's app or site to show its customers (API key scope track).",
)

DEFAULT_HOURS = 72
MAX_HOURS = 720  # the send step's longest expiry: nothing sent before that can still be shown
MAX_LISTED = 50


def expires_at(message: Message) -> datetime:
    hours = (message.payload or {}).get("expires_in_hours") or DEFAULT_HOURS
    return message.sent_at + timedelta(hours=int(hours))


def _read_ids(message_ids: list[int]) -> set[int]:
    if not message_ids:
        return set()
    return set(
        db.session.scalars(
            select(MessageEvent.message_id).where(
                MessageEvent.message_id.in_(message_ids), MessageEvent.kind == MessageEventKind.READ
            )
        )
    )


@blp.get("")
@blp.arguments(InAppQuerySchema, location="query")
@blp.response(200, InAppListOutSchema)
@requires("events.track")
def list_messages(query: dict):
    """The customer's unread, unexpired in-app messages, newest first (an unknown customer has none)."""
    now = utcnow()
    messages = list(
        db.session.scalars(
            select(Message)
            .join(Customer, Customer.id == Message.customer_id)
            .where(
                Customer.external_id == query["customer_id"],
                Message.channel == "in_app",
                Message.status == MessageStatus.SENT,
                Message.sent_at >= now - timedelta(hours=MAX_HOURS),
            )
            .order_by(Message.sent_at.desc(), Message.id.desc())
        )
    )
    read = _read_ids([m.id for m in messages])
    shown = []
    for message in messages:
        if message.id in read or message.sent_at is None or expires_at(message) <= now:
            continue
        payload = message.payload or {}
        shown.append(
            {
                "id": message.id,
                "title": payload.get("title") or "",
                "body": payload.get("body") or "",
                "button_label": payload.get("button_label"),
                "button_url": payload.get("button_url"),
                "sent_at": message.sent_at,
                "expires_at": expires_at(message),
            }
        )
        if len(shown) == MAX_LISTED:
            break
    return {"messages": shown}


@blp.post("/<id:message_id>/read")
@blp.response(200, InAppReadOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such in-app message in this workspace")
@requires("events.track")
def mark_read(message_id: int):
    """Mark a message read: it is no longer listed. Marking it again changes nothing."""
    message = db.session.get(Message, message_id)
    if message is None or message.channel != "in_app" or message.status != MessageStatus.SENT:
        raise NotFound(f"In-app message {message_id} not found")
    if not _read_ids([message.id]):
        read = MessageEvent(message_id=message.id, customer_id=message.customer_id, kind=MessageEventKind.READ)
        read.at = utcnow()
        db.session.add(read)
    db.session.commit()
    return {"id": message.id, "read": True}
