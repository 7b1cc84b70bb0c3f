"""Members, invitations, password resets and the audit log: what their routes take and answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.accounts.passwords import MAX_LENGTH
from wayfinder.audit import ACTIONS
from wayfinder.models import Role
from wayfinder.schemas.fields import INT32_MAX, ONE_LINE, Text, example

ROLES = [r.value for r in Role]
#: A link token: what `secrets.token_urlsafe(32)` makes, with room to spare; anything longer is no token of ours.
TOKEN = fields.String(
    required=True,
    validate=[validate.Length(min=16, max=200), validate.Regexp(r"^[A-Za-z0-9_-]+$")],
    metadata={
        "example": "k3Jx9QmZ2v0T7bq1YwR8sLc4NfA6uHdE5pGiOtXyWz0",
        "description": "The `token` of the emailed link",
    },
)
PASSWORD = fields.String(
    validate=validate.Length(min=1, max=MAX_LENGTH), metadata={"format": "password", "example": "a long passphrase"}
)


# --- members ---------------------------------------------------------------------------------------


class MemberOutSchema(Schema):
    user_id = fields.Integer(required=True)
    email = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    joined_at = fields.DateTime(required=True)
    last_login_at = fields.DateTime(required=True, allow_none=True)


class InvitationOutSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    invited_by = fields.String(required=True, allow_none=True, metadata={"description": "The inviter's email"})
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)


class MembersOutSchema(Schema):
    members = fields.List(fields.Nested(MemberOutSchema), required=True)
    invitations = fields.List(
        fields.Nested(InvitationOutSchema), required=True, metadata={"description": "Pending invitations"}
    )


class InvitationCreatedSchema(InvitationOutSchema):
    email_sent = fields.Boolean(
        required=True, metadata={"description": "False when the email channel failed (revoke and invite again)"}
    )


class RoleChangeSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES), metadata={"example": "marketer"})


class InviteSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254), metadata={"example": "amy@shop.tw"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES), metadata={"example": "marketer"})


# --- accepting an invitation -----------------------------------------------------------------------


class TokenQuerySchema(Schema):
    token = TOKEN


class InvitationPreviewSchema(Schema):
    email = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    workspace = fields.String(required=True, metadata={"description": "The workspace's name"})
    invited_by = fields.String(required=True, allow_none=True, metadata={"description": "The inviter's name"})
    account_exists = fields.Boolean(
        required=True, metadata={"description": "True: sign in as this email to accept; false: choose a password"}
    )
    signed_in_as = fields.String(required=True, allow_none=True)
    expires_at = fields.DateTime(required=True)


class AcceptSchema(Schema):
    token = TOKEN
    password = PASSWORD
    display_name = Text(max_length=200, min_length=1, validate=[ONE_LINE], **example("Amy Lin"))
    language = fields.String(validate=validate.OneOf(["zh-TW", "en"]), metadata={"example": "zh-TW"})


# --- password reset --------------------------------------------------------------------------------


class ResetRequestSchema(Schema):
    email = Text(required=True, min_length=3, max_length=320, **example("owner@example.com"))


class ResetAnswerSchema(Schema):
    message = fields.String(required=True)


class ResetLinkSchema(Schema):
    email = fields.String(required=True, metadata={"description": "The account the link resets"})


class ResetConfirmSchema(Schema):
    token = TOKEN
    password = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_LENGTH),
        metadata={"format": "password", "example": "a long passphrase"},
    )


# --- audit log -------------------------------------------------------------------------------------


class AuditQuerySchema(Schema):
    member = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=INT32_MAX), metadata={"description": "A user id"}
    )
    action = fields.String(load_default=None, validate=validate.OneOf(list(ACTIONS)))
    since = fields.AwareDateTime(
        load_default=None, metadata={"description": "From this time (ISO 8601 with a zone), inclusive"}
    )
    until = fields.AwareDateTime(
        load_default=None, metadata={"description": "Up to this time (ISO 8601 with a zone), exclusive"}
    )


class AuditPageQuerySchema(AuditQuerySchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class AuditEntryOutSchema(Schema):
    id = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    actor_user_id = fields.Integer(required=True, allow_none=True)
    actor = fields.String(required=True, metadata={"description": "The actor's email then; empty for the system"})
    ip = fields.String(required=True, allow_none=True)
    action = fields.String(required=True)
    target_type = fields.String(required=True, allow_none=True)
    target_id = fields.String(required=True, allow_none=True)
    detail = fields.Dict(required=True)


class AuditPageOutSchema(Schema):
    entries = fields.List(fields.Nested(AuditEntryOutSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


# --- two-step sign-in (TOTP) -----------------------------------------------------------------------


class TotpStatusSchema(Schema):
    enabled = fields.Boolean(required=True)
    recovery_codes_left = fields.Integer(required=True)


class TotpEnrolmentSchema(Schema):
    secret = fields.String(required=True, metadata={"description": "Base32, for typing into an app by hand"})
    otpauth_uri = fields.String(required=True)
    qr_svg = fields.String(required=True, metadata={"description": "The otpauth URI as a QR code (SVG data URL)"})


class TotpCodeSchema(Schema):
    code = fields.String(
        required=True,
        validate=[validate.Length(min=6, max=8), validate.Regexp(r"^[0-9 ]+$")],
        metadata={"example": "123456"},
    )


class RecoveryCodesSchema(Schema):
    recovery_codes = fields.List(
        fields.String(), required=True, metadata={"description": "Shown once; each works once instead of a code"}
    )


class PasswordCheckSchema(Schema):
    password = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_LENGTH),
        metadata={"format": "password", "example": "a long passphrase"},
    )
