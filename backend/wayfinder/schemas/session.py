"""Sign-in and session schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.accounts.passwords import MAX_LENGTH
from wayfinder.models import Role
from wayfinder.schemas.fields import ID_RANGE, Integer32, Text, example


class SignInSchema(Schema):
    email = Text(required=True, min_length=3, max_length=320, **example("owner@example.com"))
    password = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_LENGTH),
        metadata={"example": "a long passphrase", "format": "password"},
    )
    code = fields.String(
        validate=validate.Length(min=6, max=32),
        metadata={
            "example": "123456",
            "description": "With two-step sign-in on: the authenticator app's code, or a recovery code "
            "(a first try without it answers 401 `totp_required`)",
        },
    )


class WorkspaceSwitchSchema(Schema):
    workspace_id = Integer32(required=True, strict=True, validate=ID_RANGE, **example(1))


class UserOutSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    display_name = fields.String(required=True)
    language = fields.String(required=True)


class WorkspaceRefSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


ROLE = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))


class MembershipOutSchema(Schema):
    workspace = fields.Nested(WorkspaceRefSchema, required=True)
    role = ROLE


class SessionOutSchema(Schema):
    user = fields.Nested(UserOutSchema, required=True)
    workspace = fields.Nested(WorkspaceRefSchema, required=True, allow_none=True)
    role = fields.String(required=True, allow_none=True, validate=validate.OneOf([r.value for r in Role]))
    actions = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "what the role may do here (docs/permissions.md): the UI disables the rest"},
    )
    memberships = fields.List(fields.Nested(MembershipOutSchema), required=True)
    csrf_token = fields.String(
        required=True, metadata={"description": "Send it as the X-CSRF-Token header of every state-changing call."}
    )
    idle_timeout_seconds = fields.Integer(required=True)
