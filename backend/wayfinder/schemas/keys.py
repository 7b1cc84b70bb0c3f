"""API keys as GET/POST /api/keys read and create them (the secret only in the creation's answer)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.auth.keys import SCOPES
from wayfinder.schemas.fields import ONE_LINE, Text, example

SCOPE = fields.String(validate=validate.OneOf(SCOPES))


class ApiKeyInSchema(Schema):
    name = Text(required=True, min_length=1, max_length=100, validate=[ONE_LINE], **example("Shop server"))
    scopes = fields.List(
        fields.String(validate=validate.OneOf(SCOPES)),
        required=True,
        validate=validate.Length(min=1, max=len(SCOPES), error="Choose one to three scopes."),
        metadata={
            "description": "track: send events and identify customers; read: read journeys, customers, messages "
            "and analytics; write: read, plus change journeys and customers and send events",
            "example": ["track"],
        },
    )


class CreatorSchema(Schema):
    id = fields.Integer(required=True)
    display_name = fields.String(required=True)
    email = fields.String(required=True)


class ApiKeyOutSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(
        required=True, metadata={"description": "The visible start of the key, e.g. wf_live_3f9a1c0b7e"}
    )
    scopes = fields.List(fields.String(), required=True, attribute="scope_list")
    created_by = fields.Nested(CreatorSchema, required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    last_used_at = fields.DateTime(required=True, allow_none=True, metadata={"description": "To the minute"})
    revoked_at = fields.DateTime(required=True, allow_none=True)


class ApiKeyListOutSchema(Schema):
    keys = fields.List(fields.Nested(ApiKeyOutSchema), required=True)


class NewApiKeyOutSchema(ApiKeyOutSchema):
    key = fields.String(
        required=True,
        metadata={"description": "The whole key: shown this once, never again. Send it as Authorization: Bearer <key>"},
    )
