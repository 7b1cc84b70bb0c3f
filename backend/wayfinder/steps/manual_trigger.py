"""Trigger: manual / API enrolment — customers given by id through `POST /api/journeys/<id>/enrol` (or a
button), optionally narrowed by the trigger's audience filter."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from wayfinder.audience.filters import AudienceSchema
from wayfinder.steps.base import MANUAL_KEY, Move, Output, StepType
from wayfinder.steps.registry import register


class ManualTriggerSettings(Schema):
    audience = fields.Nested(AudienceSchema, allow_none=True, load_default=None)


@register
class ManualTrigger(StepType):
    name = "manual_trigger"
    group = "trigger"
    is_trigger = True
    has_input = False
    handles = (Output("next"),)
    defaults = {"audience": None}
    settings_schema = ManualTriggerSettings

    def trigger_keys(self, settings: dict[str, Any]) -> list[str]:
        return [MANUAL_KEY]

    def execute(self, ctx, node, items):
        return [Move("next") for _ in items]
