"""Trigger: a tag is added to a customer (optionally: its weight reaches `min_weight`), or removed.

Writing a tag change (`engine/effects.py`) records an event of the customer's — `tag_added` with the tag, its
weight and the weight before (null when the customer did not have it), when the tag is new or its weight went
up; `tag_removed` with the weight it had — and those events are routed like any other. This trigger takes

* `change: added`, no `min_weight`: the tag is new on the customer;
* `change: added`, `min_weight: N`: the weight crosses N (it was below, it is now N or more) — once per
  crossing, so re-adding a tag never re-enrols;
* `change: removed`: the customer had the tag and lost it.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.audience.filters import AudienceSchema
from wayfinder.schemas.fields import ONE_LINE
from wayfinder.steps.base import TAG_ADDED, TAG_REMOVED, Move, Output, StepType
from wayfinder.steps.registry import register


class TagTriggerSettings(Schema):
    tag = fields.String(required=True, validate=[validate.Length(min=1, max=128), ONE_LINE])
    change = fields.String(load_default="added", validate=validate.OneOf(["added", "removed"]))
    min_weight = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1))
    audience = fields.Nested(AudienceSchema, allow_none=True, load_default=None)

    @validates_schema
    def _threshold_on_added(self, data, **kwargs):
        if data.get("change") == "removed" and data.get("min_weight") is not None:
            raise ValidationError({"min_weight": ["A weight applies only when the tag is added."]})


@register
class TagTrigger(StepType):
    name = "tag_trigger"
    group = "trigger"
    is_trigger = True
    has_input = False
    handles = (Output("next"),)
    defaults = {"tag": "", "change": "added", "min_weight": None, "audience": None}
    settings_schema = TagTriggerSettings

    def trigger_keys(self, settings: dict[str, Any]) -> list[str]:
        if not settings.get("tag"):
            return []
        return [f"event:{TAG_REMOVED if settings.get('change') == 'removed' else TAG_ADDED}"]

    def accepts(self, settings: dict[str, Any], event_name: str, properties: dict[str, Any]) -> bool:
        removed = settings.get("change") == "removed"
        if event_name != (TAG_REMOVED if removed else TAG_ADDED) or properties.get("tag") != settings.get("tag"):
            return False
        if removed:
            return True
        previous, weight = properties.get("previous_weight"), properties.get("weight") or 0
        threshold = settings.get("min_weight")
        if threshold is None:
            return previous is None
        return (previous or 0) < threshold <= weight

    def execute(self, ctx, node, items):
        return [Move("next") for _ in items]
