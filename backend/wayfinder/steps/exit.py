"""Exit: the customer leaves the journey here."""

from __future__ import annotations

from marshmallow import Schema

from wayfinder.steps.base import Complete, StepType
from wayfinder.steps.registry import register


class ExitSettings(Schema):
    pass


@register
class ExitStep(StepType):
    name = "exit"
    group = "end"
    handles = ()
    defaults = {}
    settings_schema = ExitSettings

    def execute(self, ctx, node, items):
        return [Complete() for _ in items]
