"""Condition: yes/no on a customer attribute, or on whether an event happened since the customer entered."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from wayfinder.db_utils import chunked
from wayfinder.models import Event
from wayfinder.steps.base import Move, Output, StepType
from wayfinder.steps.filters import OPERATORS, matches
from wayfinder.steps.registry import register


class ConditionSettings(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["attribute", "event"]))
    attribute = fields.String(validate=validate.Length(min=1, max=128))
    op = fields.String(validate=validate.OneOf(list(OPERATORS)))
    value = fields.Raw(allow_none=True)
    event = fields.String(validate=validate.Length(min=1, max=128))

    @validates_schema
    def _kind_fields(self, data, **kwargs):
        required = ("attribute", "op") if data.get("kind") == "attribute" else ("event",)
        missing = {name: ["Missing data for required field."] for name in required if not data.get(name)}
        if missing:
            raise ValidationError(missing)


@register
class ConditionStep(StepType):
    name = "condition"
    group = "flow"
    handles = (Output("yes", tone="yes"), Output("no", tone="no"))
    defaults = {"kind": "event", "event": ""}
    settings_schema = ConditionSettings

    def execute(self, ctx, node, items):
        settings = node["data"]["settings"]
        if settings["kind"] == "event":
            hits = self._did_event(ctx, settings["event"], items)
        else:
            hits = [
                matches(
                    ctx.customer_data(item.customer_id), settings["attribute"], settings["op"], settings.get("value")
                )
                for item in items
            ]
        return [Move("yes" if hit else "no") for hit in hits]

    @staticmethod
    def _did_event(ctx, event_name, items):
        """One query for the whole batch: each customer's latest such event, compared to when they entered.

        "Entered" is the time of the event that enrolled them, so a purchase made while that event was still
        queued counts; the enrolling event itself never does.
        """
        since = {item.enrollment_id: ctx.entered_since(item) for item in items}
        latest: dict[int, list[tuple]] = {}
        for chunk in chunked(sorted({item.customer_id for item in items})):
            rows = ctx.session.execute(
                select(Event.customer_id, Event.occurred_at, Event.id).where(
                    Event.customer_id.in_(chunk), Event.name == event_name, Event.occurred_at >= min(since.values())
                )
            )
            for customer_id, occurred_at, event_id in rows:
                latest.setdefault(customer_id, []).append((occurred_at, event_id))
        return [
            any(
                at >= since[item.enrollment_id] and eid != item.trigger_event_id
                for at, eid in latest.get(item.customer_id, ())
            )
            for item in items
        ]
