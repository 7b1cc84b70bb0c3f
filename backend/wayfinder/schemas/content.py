"""Payloads of the email preview and test-send endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields

from wayfinder.schemas.fields import ONE_LINE, Text, example, text_checks
from wayfinder.schemas.personal import PersonalString


class EmailContentSchema(Schema):
    subject = Text(
        load_default="",
        max_length=300,
        validate=[ONE_LINE],
        **example("{{ customer.first_name }}, your cart is waiting"),
    )
    body = Text(load_default="", max_length=100_000, **example("<p>Hi {{ customer.first_name }},</p>"))
    from_name = Text(load_default="", max_length=120, validate=[ONE_LINE], **example("Wayfinder Shop"))


class PreviewRequestSchema(EmailContentSchema):
    # The external id of a real customer; empty for the sample customer.
    customer_id = Text(load_default=None, allow_none=True, max_length=128, **example("amy"))
    # The journey's trigger event, so `event.*` comes from that customer's latest such event.
    event_name = Text(load_default=None, allow_none=True, max_length=128, **example("cart_updated"))


class TestSendRequestSchema(PreviewRequestSchema):
    to = fields.Email(required=True, validate=text_checks(320, validators=[ONE_LINE]), **example("qa@example.com"))


class PreviewCustomerQuerySchema(Schema):
    q = Text(load_default="", max_length=128)


class PreviewCustomerOutSchema(Schema):
    customer_id = fields.String(allow_none=True)
    email = PersonalString(allow_none=True)
    name = PersonalString(allow_none=True)


class PreviewCustomersOutSchema(Schema):
    customers = fields.List(fields.Nested(PreviewCustomerOutSchema))


class EmailPreviewOutSchema(Schema):
    subject = fields.String(allow_none=True)
    body = fields.String(allow_none=True)
    from_name = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.String())
    sample = fields.Boolean()
    customer = fields.Nested(PreviewCustomerOutSchema)
    event = fields.Dict()


class TestSendOutSchema(Schema):
    sent = fields.Boolean()
    to = fields.String()
    subject = fields.String()
    provider_id = fields.String(allow_none=True)
