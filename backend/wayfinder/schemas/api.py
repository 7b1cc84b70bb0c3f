"""Request and response schemas of the HTTP API (one serialization path: marshmallow in and out)."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from wayfinder.schemas.graph import JourneyGraphSchema

NAME = validate.Length(min=1, max=200)
KEY = validate.Length(min=1, max=128)


class JourneyCreateSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    graph = fields.Nested(JourneyGraphSchema, load_default=None)


class JourneyUpdateSchema(Schema):
    revision = fields.Integer(required=True, strict=True)
    name = fields.String(validate=NAME)
    description = fields.String(validate=validate.Length(max=2000))
    graph = fields.Nested(JourneyGraphSchema)


class ValidateRequestSchema(Schema):
    graph = fields.Nested(JourneyGraphSchema, load_default=None)


class CustomerInSchema(Schema):
    external_id = fields.String(required=True, validate=KEY)
    email = fields.Email(load_default=None, allow_none=True)
    attributes = fields.Dict(keys=fields.String(validate=KEY), load_default=dict)


class EventInSchema(Schema):
    event_id = fields.String(required=True, validate=KEY)
    customer_id = fields.String(required=True, validate=KEY)
    name = fields.String(required=True, validate=KEY)
    properties = fields.Dict(keys=fields.String(), load_default=dict)
    timestamp = fields.AwareDateTime(load_default=None, default_timezone=UTC)


class EnrolRequestSchema(Schema):
    request_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    customer_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=128)),
        required=True,
        validate=validate.Length(min=1, max=10_000),
    )


class RefusalQuerySchema(Schema):
    customer = fields.String(validate=validate.Length(min=1, max=128))


class RefusalOutSchema(Schema):
    customer = fields.String()
    node_id = fields.String()
    reason = fields.String()
    first_at = fields.DateTime()
    last_at = fields.DateTime()
    times = fields.Integer()


class EventBatchSchema(Schema):
    events = fields.List(fields.Nested(EventInSchema), required=True, validate=validate.Length(min=1, max=1000))


class PageSchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class MessageQuerySchema(Schema):
    journey_id = fields.Integer(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class DemoTrafficSchema(Schema):
    customers = fields.Integer(load_default=20, validate=validate.Range(min=1, max=2000))


# --- responses -------------------------------------------------------------------------------------


class VersionOutSchema(Schema):
    number = fields.Integer()
    status = fields.String()
    published_at = fields.DateTime(allow_none=True)


class JourneySummaryOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    status = fields.String()
    revision = fields.Integer()
    updated_at = fields.DateTime()
    live_version = fields.Integer(allow_none=True)
    entered = fields.Integer()
    active = fields.Integer()


class JourneyOutSchema(JourneySummaryOutSchema):
    graph = fields.Dict()
    has_unpublished_changes = fields.Boolean()
    versions = fields.List(fields.Nested(VersionOutSchema))


class CustomerOutSchema(Schema):
    external_id = fields.String()
    email = fields.String(allow_none=True)
    attributes = fields.Dict()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class MessageOutSchema(Schema):
    id = fields.Integer()
    journey_id = fields.Integer(allow_none=True)
    node_id = fields.String()
    customer_id = fields.String(dump_default=None)  # the customer's external id, filled in by the view
    channel = fields.String()
    to = fields.String(attribute="to_address")
    subject = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
