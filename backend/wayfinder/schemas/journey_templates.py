"""Schemas of the journey gallery's API (GET /api/journey-templates)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.schemas.workspace import LANGUAGES


class TemplateQuerySchema(Schema):
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES))


class JourneyTemplateSchema(Schema):
    key = fields.String(required=True, metadata={"example": "s1_abandoned_cart"})
    name = fields.String(required=True)
    description = fields.String(required=True)
    channels = fields.List(fields.String(), required=True, metadata={"description": "The channels it sends on"})
    steps = fields.Integer(required=True, metadata={"description": "How many steps its graph has"})
