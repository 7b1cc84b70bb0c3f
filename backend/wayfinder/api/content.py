"""/api/email/preview, /api/email/test and /api/email/preview-customers: email authoring in the editor."""

from __future__ import annotations

from flask import current_app

from wayfinder.api import api_bp
from wayfinder.api.util import args, body
from wayfinder.content import preview as content
from wayfinder.extensions import db
from wayfinder.schemas.content import PreviewCustomerQuerySchema, PreviewRequestSchema, TestSendRequestSchema


@api_bp.post("/email/preview")
def email_preview():
    data = body(PreviewRequestSchema())
    return content.preview(db.session, data, data["customer_id"], data["event_name"])


@api_bp.post("/email/test")
def email_test_send():
    data = body(TestSendRequestSchema())
    return content.send_test(db.session, current_app.config, data["to"], data, data["customer_id"], data["event_name"])


@api_bp.get("/email/preview-customers")
def email_preview_customers():
    query = args(PreviewCustomerQuerySchema())
    return {"customers": content.find_customers(db.session, query["q"].strip())}
