"""Trigger: a customer does an event (optionally with matching properties) and enters the journey."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from wayfinder.audience.filters import AudienceSchema
from wayfinder.audience.matching import FilterSchema, event_matches
from wayfinder.steps.base import Move, Output, StepType
from wayfinder.steps.registry import register


class EventTriggerSettings(Schema):
    event = fields.String(required=True, validate=validate.Length(min=1, max=128))
    filters = fields.List(fields.Nested(FilterSchema), load_default=list)
    # Who may enter through this trigger (checked in SQL for each batch of events).
    audience = fields.Nested(AudienceSchema, allow_none=True, load_default=None)


@register
class EventTrigger(StepType):
    name = "event_trigger"
    group = "trigger"
    is_trigger = True
    has_input = False
    handles = (Output("next"),)
    defaults = {"event": "", "filters": [], "audience": None}
    settings_schema = EventTriggerSettings

    def trigger_keys(self, settings: dict[str, Any]) -> list[str]:
        return [f"event:{settings['event']}"] if settings.get("event") else []

    def accepts(self, settings: dict[str, Any], event_name: str, properties: dict[str, Any]) -> bool:
        return event_matches(settings, event_name, properties)

    def execute(self, ctx, node, items):
        return [Move("next") for _ in items]
