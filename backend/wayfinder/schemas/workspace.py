"""The current workspace's brand settings, as GET/PATCH /api/workspace read and change them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate

from wayfinder.schemas.fields import ONE_LINE, Text, example

LANGUAGES = ["zh-TW", "en"]
MAX_TEST_RECIPIENTS = 20


def _iana_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("Choose an IANA time zone, e.g. Asia/Taipei.") from exc


class WorkspaceOutSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True, metadata={"description": "Short handle, unique across the installation"})
    name = fields.String(required=True)
    time_zone = fields.String(required=True, metadata={"description": "IANA zone journeys run in by default"})
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    sender_name = fields.String(required=True, allow_none=True, metadata={"description": "Name in the From header"})
    sender_email = fields.String(
        required=True, allow_none=True, metadata={"description": "Address mail is sent from (null: the app's)"}
    )
    test_recipients = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Where test emails may go besides the sending member's own address"},
    )


class WorkspacePatchSchema(Schema):
    """Only what a brand may change about itself: no id, no slug (they name the workspace), no owner."""

    name = Text(max_length=200, min_length=1, validate=[ONE_LINE], **example("DForce Taiwan"))
    time_zone = Text(max_length=64, validate=[_iana_zone], **example("Asia/Taipei"))
    language = fields.String(validate=validate.OneOf(LANGUAGES), metadata={"example": "zh-TW"})
    sender_name = Text(max_length=200, validate=[ONE_LINE], allow_none=True, **example("DForce 商店"))
    sender_email = fields.Email(allow_none=True, validate=validate.Length(max=254), metadata={"example": "hi@shop.tw"})
    test_recipients = fields.List(
        fields.Email(validate=validate.Length(max=254)),
        validate=validate.Length(max=MAX_TEST_RECIPIENTS, error=f"At most {MAX_TEST_RECIPIENTS} addresses."),
        metadata={
            "description": "Addresses test emails may go to besides the sending member's own (replaces the list)",
            "example": ["qa@shop.tw"],
        },
    )
