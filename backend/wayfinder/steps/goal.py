"""Goal: the journey's conversion event. A customer inside the journey who does it leaves at once — from a
wait or a wait for an event too — counted as converted on the node where they were; the goal's `next`
output, when connected, is a final path they take first (a "thank you for your purchase" message)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from wayfinder.audience.matching import FilterSchema, event_matches
from wayfinder.steps.base import Move, Output, StepType
from wayfinder.steps.registry import register


class GoalSettings(Schema):
    event = fields.String(required=True, validate=validate.Length(min=1, max=128))
    filters = fields.List(fields.Nested(FilterSchema), load_default=list)


@register
class GoalStep(StepType):
    name = "goal"
    group = "end"
    has_input = False
    handles = (Output("next", required=False, tone="goal"),)
    defaults = {"event": "", "filters": []}
    settings_schema = GoalSettings

    def goal_events(self, settings: dict[str, Any]) -> list[str]:
        return [settings["event"]] if settings.get("event") else []

    def accepts(self, settings: dict[str, Any], event_name: str, properties: dict[str, Any]) -> bool:
        return event_matches(settings, event_name, properties)

    def execute(self, ctx, node, items):
        return [Move("next") for _ in items]
