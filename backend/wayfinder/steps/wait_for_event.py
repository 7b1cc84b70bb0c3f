"""Wait for an event, with a timeout: `happened` when the customer does it in time, `timed_out` otherwise.

The event may have to match property filters and carry the same value as the event that enrolled the
customer for chosen properties (`same_as_trigger: ["cart_id"]`: the purchase of *this* cart). The match is
resolved when the wait begins and stored in the wait index, so the event router finds the customer by
(customer, event name) and checks the filters without reading the journey graph.
"""

from __future__ import annotations

from datetime import timedelta

from marshmallow import Schema, fields, validate

from wayfinder.audience.matching import FilterSchema
from wayfinder.steps.base import EventWait, Move, Output, StepType, Wait
from wayfinder.steps.registry import register
from wayfinder.steps.wait import UNITS


class WaitForEventSettings(Schema):
    event = fields.String(required=True, validate=validate.Length(min=1, max=128))
    filters = fields.List(fields.Nested(FilterSchema), load_default=list)
    same_as_trigger = fields.List(fields.String(validate=validate.Length(min=1, max=128)), load_default=list)
    timeout_amount = fields.Integer(strict=True, validate=validate.Range(min=1, max=100_000))
    timeout_unit = fields.String(validate=validate.OneOf(list(UNITS)))


@register
class WaitForEventStep(StepType):
    name = "wait_for_event"
    group = "flow"
    handles = (Output("happened", tone="yes"), Output("timed_out", tone="timeout"))
    defaults = {"event": "", "filters": [], "same_as_trigger": [], "timeout_amount": 1, "timeout_unit": "days"}
    settings_schema = WaitForEventSettings

    def check(self, settings):
        # Without a timeout a customer whose event never comes would wait forever.
        if not settings.get("timeout_amount") or not settings.get("timeout_unit"):
            return [("timeout_amount", "missing_timeout", "Set how long to wait before taking the timed-out path")]
        return []

    def execute(self, ctx, node, items):
        s = node["data"]["settings"]
        until = ctx.now + timedelta(seconds=s["timeout_amount"] * UNITS[s["timeout_unit"]])
        static = tuple((f["property"], f["op"], f.get("value")) for f in s.get("filters") or [])
        outcomes = []
        for item in items:
            trigger = ctx.event_properties(item)
            same = tuple((p, "eq", trigger.get(p)) for p in s.get("same_as_trigger") or [])
            outcomes.append(Wait(until, events=(EventWait(s["event"], static + same),)))
        return outcomes

    def resume(self, ctx, node, items):
        return [
            Move("happened", reason=item.wake) if item.woke_by_event else Move("timed_out", reason="timed_out")
            for item in items
        ]
