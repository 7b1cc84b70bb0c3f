"""/api/email/preview, /api/email/test and /api/email/preview-customers: email authoring in the editor."""

from __future__ import annotations

from flask import current_app, g

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.content import preview as content
from wayfinder.extensions import db
from wayfinder.models import User
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.content import (
    EmailPreviewOutSchema,
    PreviewCustomerQuerySchema,
    PreviewCustomersOutSchema,
    PreviewRequestSchema,
    TestSendOutSchema,
    TestSendRequestSchema,
)
from wayfinder.workspaces.scoping import request_workspace
from wayfinder.workspaces.settings import settings_for

blp = Blueprint("content", __name__, url_prefix="/api/email", description="Email authoring: preview and test sends.")


@blp.post("/preview")
@blp.arguments(PreviewRequestSchema)
@blp.response(200, EmailPreviewOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such customer")
@requires("content.preview")
def email_preview(data: dict):
    """Render subject and body as a customer (or the sample customer) would get them."""
    sender = settings_for(db.session, request_workspace())
    return content.preview(db.session, data, data["customer_id"], data["event_name"], sender)


@blp.post("/test")
@blp.arguments(TestSendRequestSchema)
@blp.response(200, TestSendOutSchema)
@blp.alt_response(
    422,
    schema=ErrorSchema,
    description="`invalid_email`: `to` is neither your own address nor a test recipient of the workspace, or "
    "the rendered email cannot be sent as one (a customer or event value put a line break in the subject); "
    "`fields` names the field",
)
@blp.alt_response(502, schema=ErrorSchema, description="A template problem, or the channel refused the message")
@requires("email.test")
def email_test_send(data: dict):
    """Send "[Test] …" to your own address or a test recipient of the workspace (any other: 422).

    The test recipients are set with PATCH /api/workspace; any other `to` answers 422 naming the field."""
    sender = settings_for(db.session, request_workspace())
    user = db.session.get(User, g.user_id) if g.get("user_id") else None  # a member (keys never reach this)
    allowed = [*([user.email] if user is not None else []), *sender.test_recipients]
    return content.send_test(
        db.session, current_app.config, data["to"], data, data["customer_id"], data["event_name"], sender, allowed
    )


@blp.get("/preview-customers")
@blp.arguments(PreviewCustomerQuerySchema, location="query")
@blp.response(200, PreviewCustomersOutSchema)
@requires("content.preview")
def email_preview_customers(query: dict):
    """Up to 10 customers to preview as, matching id or email."""
    return {"customers": content.find_customers(db.session, query["q"].strip())}
