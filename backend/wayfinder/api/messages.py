"""/api/messages (what journeys sent, with status) and /api/outbox (mail caught by the dev catcher)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from wayfinder.api.parser import Blueprint
from wayfinder.extensions import db
from wayfinder.models import Customer, Message
from wayfinder.schemas.api import MessageListOutSchema, MessageQuerySchema, OutboxOutSchema, PageSchema

blp = Blueprint("messages", __name__, url_prefix="/api", description="Messages journeys sent, and the dev outbox.")


@blp.get("/messages")
@blp.arguments(MessageQuerySchema, location="query")
@blp.response(200, MessageListOutSchema)
def list_messages(query: dict):
    """The newest messages first, optionally of one journey."""
    stmt = (
        select(Message, Customer.external_id)
        .join(Customer, Customer.id == Message.customer_id)
        .order_by(Message.id.desc())
        .limit(query["limit"])
    )
    if query["journey_id"] is not None:
        stmt = stmt.where(Message.journey_id == query["journey_id"])
    rows = []
    for message, external_id in db.session.execute(stmt):
        message.customer_external_id = external_id
        rows.append(message)
    return {"messages": rows}


@blp.get("/outbox")
@blp.arguments(PageSchema, location="query")
@blp.response(200, OutboxOutSchema)
def outbox(page: dict):
    """Mail caught by the development SMTP catcher (`enabled: false` when there is none)."""
    directory = current_app.config.get("MAIL_CATCHER_DIR")
    if not directory:
        return {"enabled": False, "mails": []}
    from wayfinder.devtools.mailcatcher import read_mailbox

    return {"enabled": True, "mails": read_mailbox(directory, limit=page["limit"])}
