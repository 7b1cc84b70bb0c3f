"""/api/email/preview, /api/email/test and /api/email/preview-customers: email authoring in the editor."""

from __future__ import annotations

from flask import current_app

from wayfinder.api.parser import Blueprint
from wayfinder.content import preview as content
from wayfinder.extensions import db
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.content import (
    EmailPreviewOutSchema,
    PreviewCustomerQuerySchema,
    PreviewCustomersOutSchema,
    PreviewRequestSchema,
    TestSendOutSchema,
    TestSendRequestSchema,
)

blp = Blueprint("content", __name__, url_prefix="/api/email", description="Email authoring: preview and test sends.")


@blp.post("/preview")
@blp.arguments(PreviewRequestSchema)
@blp.response(200, EmailPreviewOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such customer")
def email_preview(data: dict):
    """Render subject and body as a customer (or the sample customer) would get them."""
    return content.preview(db.session, data, data["customer_id"], data["event_name"])


@blp.post("/test")
@blp.arguments(TestSendRequestSchema)
@blp.response(200, TestSendOutSchema)
@blp.alt_response(502, schema=ErrorSchema, description="A template problem, or the channel refused the message")
def email_test_send(data: dict):
    """Send "[Test] …" to an address through the configured email channel."""
    return content.send_test(db.session, current_app.config, data["to"], data, data["customer_id"], data["event_name"])


@blp.get("/preview-customers")
@blp.arguments(PreviewCustomerQuerySchema, location="query")
@blp.response(200, PreviewCustomersOutSchema)
def email_preview_customers(query: dict):
    """Up to 10 customers to preview as, matching id or email."""
    return {"customers": content.find_customers(db.session, query["q"].strip())}
