"""Payloads of the canvas insight endpoints: output split per handle, and the customers at a step."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.schemas.fields import Text
from wayfinder.schemas.personal import PersonalString


class NodeCustomersQuerySchema(Schema):
    q = Text(load_default="", max_length=128)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class NodeCustomerOutSchema(Schema):
    customer_id = fields.String()
    email = PersonalString(allow_none=True)
    name = PersonalString(allow_none=True)
    status = fields.String()
    arrived_at = fields.DateTime()
    moves_on_at = fields.DateTime(allow_none=True)


class NodeCustomersOutSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    customers = fields.List(fields.Nested(NodeCustomerOutSchema))


class FlowCountsOutSchema(Schema):
    journey_id = fields.Integer()
    handles = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()))
    messages = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()))


class EventNamesQuerySchema(Schema):
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class EventNameOutSchema(Schema):
    name = fields.String()
    count = fields.Integer()
    last_seen = fields.DateTime()


class EventNamesOutSchema(Schema):
    events = fields.List(fields.Nested(EventNameOutSchema))


class TagOutSchema(Schema):
    name = fields.String()
    customers = fields.Integer(metadata={"description": "How many customers carry the tag now"})
    created_at = fields.DateTime()


class TagsOutSchema(Schema):
    tags = fields.List(fields.Nested(TagOutSchema))
