"""/api/messages (what journeys sent, with status) and /api/outbox (mail caught by the dev catcher)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from wayfinder.api import api_bp
from wayfinder.api.util import args
from wayfinder.extensions import db
from wayfinder.models import Customer, Message
from wayfinder.schemas.api import MessageOutSchema, MessageQuerySchema, PageSchema

message_out = MessageOutSchema()


@api_bp.get("/messages")
def list_messages():
    query = args(MessageQuerySchema())
    stmt = (
        select(Message, Customer.external_id)
        .join(Customer, Customer.id == Message.customer_id)
        .order_by(Message.id.desc())
        .limit(query["limit"])
    )
    if query["journey_id"] is not None:
        stmt = stmt.where(Message.journey_id == query["journey_id"])
    rows = [
        {**message_out.dump(message), "customer_id": external_id} for message, external_id in db.session.execute(stmt)
    ]
    return {"messages": rows}


@api_bp.get("/outbox")
def outbox():
    page = args(PageSchema())
    directory = current_app.config.get("MAIL_CATCHER_DIR")
    if not directory:
        return {"enabled": False, "mails": []}
    from wayfinder.devtools.mailcatcher import read_mailbox

    return {"enabled": True, "mails": read_mailbox(directory, limit=page["limit"])}
