"""Remove a tag (and its weight) from the customer; a customer without it moves on all the same. The step
history row leaving the step reads `untag:<name>`."""

from __future__ import annotations

from marshmallow import Schema, fields

from wayfinder.steps.add_tag import TAG_NAME, reason
from wayfinder.steps.base import Move, Output, StepType, TagChange
from wayfinder.steps.registry import register


class RemoveTagSettings(Schema):
    tag = fields.String(required=True, validate=TAG_NAME)


@register
class RemoveTagStep(StepType):
    name = "remove_tag"
    group = "action"
    handles = (Output("next", required=False),)
    defaults = {"tag": ""}
    settings_schema = RemoveTagSettings

    def execute(self, ctx, node, items):
        tag = node["data"]["settings"]["tag"]
        for item in items:
            ctx.effects.add(TagChange(item.customer_id, tag, None, journey_id=item.journey_id))
        return [Move("next", reason=reason(f"untag:{tag}")) for _ in items]
