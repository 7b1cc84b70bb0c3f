"""/api/messages (what journeys sent, with status) and /api/outbox (mail caught by the dev catcher)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.content.outbox import read_mailbox
from wayfinder.extensions import db
from wayfinder.journeys.service import step_labels
from wayfinder.models import Customer, Journey, Message
from wayfinder.schemas.api import MessageListOutSchema, MessageQuerySchema, OutboxOutSchema, PageSchema
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint("messages", __name__, url_prefix="/api", description="Messages journeys sent, and the dev outbox.")


@blp.get("/messages")
@blp.arguments(MessageQuerySchema, location="query")
@blp.response(200, MessageListOutSchema)
@requires("messages.read")
def list_messages(query: dict):
    """The newest messages first, optionally of one journey.

    Each message carries its journey's and its step's names, so a delivery log needs no other request."""
    stmt = (
        select(Message, Customer.external_id, Journey.name)
        .join(Customer, Customer.id == Message.customer_id)
        .outerjoin(Journey, Journey.id == Message.journey_id)
        .order_by(Message.id.desc())
        .limit(query["limit"])
    )
    if query["journey_id"] is not None:
        stmt = stmt.where(Message.journey_id == query["journey_id"])
    rows = []
    for message, external_id, journey_name in db.session.execute(stmt):
        message.customer_external_id = external_id
        message.journey_name = journey_name
        rows.append(message)
    labels = step_labels(db.session, {m.journey_id for m in rows if m.journey_id is not None})
    for message in rows:
        message.step_name = labels.get(message.journey_id, {}).get(message.node_id)
    return {"messages": rows}


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
