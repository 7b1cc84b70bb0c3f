"""Payloads of the email preview and test-send endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class EmailContentSchema(Schema):
    subject = fields.String(load_default="", validate=validate.Length(max=300))
    body = fields.String(load_default="", validate=validate.Length(max=100_000))
    from_name = fields.String(load_default="", validate=validate.Length(max=120))


class PreviewRequestSchema(EmailContentSchema):
    # The external id of a real customer; empty for the sample customer.
    customer_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=128))
    # The journey's trigger event, so `event.*` comes from that customer's latest such event.
    event_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=128))


class TestSendRequestSchema(PreviewRequestSchema):
    to = fields.Email(required=True)


class PreviewCustomerQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=128))
