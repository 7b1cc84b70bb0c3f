"""Provider accounts as /api/channel-accounts reads and writes them, the provider list of /api/channel-providers,
and the intake of a shop's app or site: devices (POST/DELETE /api/devices) and in-app messages.

Credentials are write-only: an answer names the credential fields that are set (`credential_fields`), never
their values. Settings and credentials are bounded (keys, values) so an account row stays small.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.channels.base import providers
from wayfinder.schemas.fields import ONE_LINE, Text, check_no_nul, example

MAX_KEYS = 20
KEY_MAX = 64
SETTING_MAX = 2000
CREDENTIAL_MAX = 20_000  # an FCM service account's JSON is a few kilobytes
NAME_MAX = 120
KEY_PATTERN = validate.Regexp(r"^[A-Za-z][A-Za-z0-9_]*\Z", error="Use letters, digits and underscores.")


def _bounded_strings(value_max: int, what: str):
    def check(value: dict[str, Any]) -> None:
        if len(value) > MAX_KEYS:
            raise ValidationError(f"At most {MAX_KEYS} {what}.")
        errors: dict[str, list[str]] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key or len(key) > KEY_MAX or KEY_PATTERN.regex.match(key) is None:
                errors[str(key)[:KEY_MAX]] = [f"A field name is 1 to {KEY_MAX} letters, digits and underscores."]
            elif not isinstance(item, str):
                errors[key] = ["Must be a string."]
            elif len(item) > value_max:
                errors[key] = [f"At most {value_max} characters."]
            elif "\x00" in item:
                errors[key] = ["Must not contain NUL characters."]
        if errors:
            raise ValidationError(errors)

    return check


def _channels() -> list[str]:
    return sorted({channel for channel, _provider in providers()})


class ChannelAccountUpdateSchema(Schema):
    name = Text(min_length=1, max_length=NAME_MAX, validate=[ONE_LINE], **example("Every8d main"))
    settings = fields.Dict(
        validate=_bounded_strings(SETTING_MAX, "settings"),
        metadata={"description": "Not secret: base_url, from_number, callback_url …", "example": {}},
    )
    credentials = fields.Dict(
        load_only=True,
        validate=_bounded_strings(CREDENTIAL_MAX, "credentials"),
        metadata={
            "description": "Secrets (username, password, tokens): sealed at rest, never answered. On an update "
            "they replace the stored ones whole; absent, the stored ones are kept.",
            "example": {"username": "shop", "password": "secret"},
        },
    )
    is_default = fields.Boolean(metadata={"description": "The account every send of its channel uses"})


class ChannelAccountInSchema(ChannelAccountUpdateSchema):
    channel = fields.String(required=True, validate=check_no_nul, **example("sms"))
    provider = fields.String(required=True, validate=check_no_nul, **example("every8d"))
    name = Text(required=True, min_length=1, max_length=NAME_MAX, validate=[ONE_LINE], **example("Every8d main"))

    @validates_schema
    def known_provider(self, data: dict[str, Any], **_kwargs: Any) -> None:
        channels = _channels()
        if data["channel"] not in channels:
            raise ValidationError(f"Unknown channel; choose one of: {', '.join(channels)}.", "channel")
        names = [p for _c, p in providers(data["channel"])]
        if data["provider"] not in names:
            raise ValidationError(
                f"Unknown provider for {data['channel']}; choose one of: {', '.join(names)}.", "provider"
            )


class ChannelAccountOutSchema(Schema):
    id = fields.Integer(required=True)
    channel = fields.String(required=True)
    provider = fields.String(required=True)
    name = fields.String(required=True)
    settings = fields.Dict(required=True)
    credential_fields = fields.List(
        fields.String(), required=True, metadata={"description": "Which credentials are set (never their values)"}
    )
    is_default = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ChannelAccountListOutSchema(Schema):
    accounts = fields.List(fields.Nested(ChannelAccountOutSchema), required=True)


class ChannelProviderSchema(Schema):
    channel = fields.String(required=True)
    provider = fields.String(required=True)
    credentials = fields.List(fields.String(), required=True)
    settings = fields.List(fields.String(), required=True)


class ChannelProviderListOutSchema(Schema):
    providers = fields.List(fields.Nested(ChannelProviderSchema), required=True)


# --- devices and in-app messages (the shop's app or site, with a track key) ---

EXTERNAL_ID_MAX = 128
TOKEN_MAX = 4096


class SubscriptionKeysSchema(Schema):
    p256dh = Text(required=True, min_length=1, max_length=200)
    auth = Text(required=True, min_length=1, max_length=100)


class SubscriptionSchema(Schema):
    """A browser's PushSubscription (`subscription.toJSON()`)."""

    endpoint = fields.Url(required=True, schemes={"https"}, validate=validate.Length(max=2000))
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    expirationTime = fields.Raw(allow_none=True, load_default=None)  # noqa: N815 (the browser's name)


class DeviceInSchema(Schema):
    customer_id = Text(required=True, min_length=1, max_length=EXTERNAL_ID_MAX, **example("cust_42"))
    kind = fields.String(required=True, validate=validate.OneOf(["push", "webpush"]))
    token = Text(min_length=1, max_length=TOKEN_MAX, metadata={"description": "An FCM registration token (push)"})
    subscription = fields.Nested(SubscriptionSchema, metadata={"description": "A web push subscription (webpush)"})

    @validates_schema
    def token_or_subscription(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["kind"] == "push" and not data.get("token"):
            raise ValidationError("An app push device needs its FCM token.", "token")
        if data["kind"] == "webpush" and not data.get("subscription"):
            raise ValidationError("A web push device needs its subscription (endpoint and keys).", "subscription")


class DeviceOutSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    active = fields.Boolean(required=True)
    last_seen_at = fields.DateTime(required=True)


class WebPushConfigOutSchema(Schema):
    vapid_public_key = fields.String(
        required=True, allow_none=True, metadata={"description": "For pushManager.subscribe's applicationServerKey"}
    )


class InAppQuerySchema(Schema):
    customer_id = Text(required=True, min_length=1, max_length=EXTERNAL_ID_MAX)


class InAppMessageSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    button_label = fields.String(required=True, allow_none=True)
    button_url = fields.String(required=True, allow_none=True)
    sent_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)


class InAppListOutSchema(Schema):
    messages = fields.List(fields.Nested(InAppMessageSchema), required=True)


class InAppReadOutSchema(Schema):
    id = fields.Integer(required=True)
    read = fields.Boolean(required=True)


class BounceInSchema(Schema):
    # The bounced message: its Message-ID header (as sent) or the provider's message id.
    message_ref = Text(required=True, min_length=1, max_length=200, **example("<17.mail.1@wayfinder>"))
    kind = fields.String(
        required=True,
        validate=validate.OneOf(["hard", "soft"]),
        metadata={"description": "hard: the address does not exist (it is suppressed); soft: a full mailbox and such"},
    )
    diagnostic = Text(load_default=None, max_length=500, metadata={"description": "The mail system's reason"})


class BounceOutSchema(Schema):
    recorded = fields.Boolean(required=True)
    suppressed = fields.Boolean(required=True, metadata={"description": "the address is now on the suppression list"})
