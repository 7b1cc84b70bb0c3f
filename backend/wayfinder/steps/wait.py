"""Wait for a fixed duration, then continue."""

from __future__ import annotations

from datetime import timedelta

from marshmallow import Schema, fields, validate

from wayfinder.steps.base import Move, Output, StepType, Wait
from wayfinder.steps.registry import register

UNITS = {"minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}


class WaitSettings(Schema):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000))
    unit = fields.String(required=True, validate=validate.OneOf(list(UNITS)))


@register
class WaitStep(StepType):
    name = "wait"
    group = "flow"
    handles = (Output("next"),)
    defaults = {"amount": 1, "unit": "hours"}
    settings_schema = WaitSettings

    def execute(self, ctx, node, items):
        settings = node["data"]["settings"]
        until = ctx.now + timedelta(seconds=settings["amount"] * UNITS[settings["unit"]])
        return [Wait(until) for _ in items]

    def resume(self, ctx, node, items):
        return [Move("next") for _ in items]
