"""Update one customer attribute: `set` it to a value, `increment` it by a number (a missing or non-numeric
value counts as 0; a negative amount decrements), or `clear` it. Written with the batch's effects, in order, on
the attributes as they are then (two journeys incrementing one customer in one batch both count). The step
history row reads `attribute:<key>=<value>`, `attribute:<key>+<n>` or `attribute:<key>:cleared`."""

from __future__ import annotations

import json

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.steps.add_tag import reason
from wayfinder.steps.base import Move, Output, SetAttributes, StepType
from wayfinder.steps.registry import register

# `a.b` reads a nested value in filters and templates: a key with a dot could be written but never read back.
ATTRIBUTE_KEY = validate.Regexp(r"^[^.\r\n\u2028\u2029]+\Z", error="One line, without dots.")
# The attributes engines read themselves keep their meaning: they are not a step's to overwrite.
RESERVED = {"external_id", "email"}
VALUE_LIMIT = 1000


class UpdateAttributeSettings(Schema):
    attribute = fields.String(required=True, validate=[validate.Length(min=1, max=128), ATTRIBUTE_KEY])
    operation = fields.String(load_default="set", validate=validate.OneOf(["set", "increment", "clear"]))
    # Text, a number or true/false (set).
    value = fields.Raw(allow_none=True, load_default=None)
    amount = fields.Float(load_default=1, allow_nan=False, validate=validate.Range(min=-1e9, max=1e9))

    @validates_schema
    def _operation_fields(self, data, **kwargs):
        if data.get("attribute") in RESERVED:
            raise ValidationError({"attribute": ["external_id and email are not attributes a step may change."]})
        if data.get("operation", "set") != "set":
            return
        value = data.get("value")
        if value is None or (isinstance(value, str) and not value):
            raise ValidationError({"value": ["Missing data for required field."]})
        if not isinstance(value, str | int | float | bool):
            raise ValidationError({"value": ["Must be text, a number or true/false."]})
        if isinstance(value, str) and len(value) > VALUE_LIMIT:
            raise ValidationError({"value": [f"Longer than maximum length {VALUE_LIMIT}."]})


@register
class UpdateAttributeStep(StepType):
    name = "update_attribute"
    group = "action"
    handles = (Output("next", required=False),)
    defaults = {"attribute": "", "operation": "set", "value": "", "amount": 1}
    settings_schema = UpdateAttributeSettings

    def execute(self, ctx, node, items):
        s = node["data"]["settings"]
        key, operation = s["attribute"], s.get("operation", "set")
        if operation == "increment":
            amount = s.get("amount", 1)
            amount = int(amount) if float(amount).is_integer() else amount
            change = {"values": {}, "increments": {key: amount}}
            why = f"attribute:{key}{'+' if amount >= 0 else ''}{amount}"
        elif operation == "clear":
            change, why = {"values": {key: None}}, f"attribute:{key}:cleared"
        else:
            change = {"values": {key: s["value"]}}
            why = f"attribute:{key}={json.dumps(s['value'], ensure_ascii=False)}"
        for item in items:
            ctx.effects.add(SetAttributes(item.customer_id, **change))
        return [Move("next", reason=reason(why)) for _ in items]
