"""Wait for an event, with a timeout: `happened` when the customer does it in time, `timed_out` otherwise.

The event may have to match property filters and carry the same value as the event that enrolled the
customer for chosen properties (`same_as_trigger: ["cart_id"]`: the purchase of *this* cart). The match is
resolved when the wait begins and stored in the wait index, so the event router finds the customer by
(customer, event name) and checks the filters without reading the journey graph.

`awaited` (and `base.first_match`) are shared with action paths (`steps/action_paths.py`), which waits for the first of
several such events: one way to resolve a wait, one router (`engine/enrol.py`) for both.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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


def timeout_until(ctx, settings: dict[str, Any]):
    return ctx.now + timedelta(seconds=settings["timeout_amount"] * UNITS[settings["timeout_unit"]])


def awaited(spec: dict[str, Any], trigger: dict[str, Any]) -> EventWait:
    """The wait for one awaited event (`event`, `filters`, `same_as_trigger`), its trigger match resolved against
    the enrolling event's properties `trigger`."""
    static = tuple((f["property"], f["op"], f.get("value")) for f in spec.get("filters") or [])
    same = tuple((p, "eq", trigger.get(p)) for p in spec.get("same_as_trigger") or [])
    return EventWait(spec["event"], static + same)


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
        until = timeout_until(ctx, s)
        return [Wait(until, events=(awaited(s, ctx.event_properties(item)),)) for item in items]

    def resume(self, ctx, node, items):
        return [
            Move("happened", reason=item.wake) if item.woke_by_event else Move("timed_out", reason="timed_out")
            for item in items
        ]
