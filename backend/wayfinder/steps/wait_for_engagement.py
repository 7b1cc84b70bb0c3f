"""Wait for the customer to engage with the message an earlier send step of this journey sent them: `engaged` when
they open it / click in it / click a chosen link in time, `timeout` otherwise.

Tracking records a human open or click as the customer event `message_opened` / `message_clicked` with properties
{message_id, journey_id, node_id, channel, url (clicks)}, through the normal event intake; the wait is an ordinary
event wait on those events with filters journey_id == this journey and node_id == the chosen step, resolved when the
wait begins, so the engine's event router wakes the customer as it does for `wait_for_event`. An open also answers
to a click (whoever clicked read the message).

A customer may have engaged before reaching the wait (opened the email while a delay ran): `execute` reads the
message event log for the message of this enrollment (`steps/engagement.py`, one query per batch) and sends them
through `engaged` at once.

`message_step` must name a send step upstream of this one; the graph check (`journeys/graph.py`) says so on the
field when it does not.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.steps.base import EventWait, Move, Output, StepType, Wait
from wayfinder.steps.engagement import CLICKED, CLICKED_LINK, OPENED, engagement_of
from wayfinder.steps.registry import register
from wayfinder.steps.wait import UNITS
from wayfinder.steps.wait_for_event import timeout_until

ENGAGED = "engaged"
TIMEOUT = "timeout"
ENGAGEMENTS = [OPENED, CLICKED, CLICKED_LINK]
# The customer events tracking records (h5's intake), and which of them answer each engagement.
MESSAGE_OPENED = "message_opened"
MESSAGE_CLICKED = "message_clicked"
CHOOSE_STEP = "Choose the message step whose message to wait on"
AWAITED = {OPENED: (MESSAGE_OPENED, MESSAGE_CLICKED), CLICKED: (MESSAGE_CLICKED,), CLICKED_LINK: (MESSAGE_CLICKED,)}


class WaitForEngagementSettings(Schema):
    message_step = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64, error=CHOOSE_STEP),
        error_messages={"required": CHOOSE_STEP, "null": CHOOSE_STEP},
    )
    engagement = fields.String(load_default=OPENED, validate=validate.OneOf(ENGAGEMENTS))
    url_contains = fields.String(load_default="", validate=validate.Length(max=2000))
    timeout_amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000))
    timeout_unit = fields.String(required=True, validate=validate.OneOf(list(UNITS)))

    @validates_schema
    def _link_named(self, data, **_kw):
        if data.get("engagement") == CLICKED_LINK and not (data.get("url_contains") or "").strip():
            raise ValidationError("Enter part of the link's address (e.g. /sale)", "url_contains")


def awaited_events(settings: dict[str, Any], journey_id: int) -> tuple[EventWait, ...]:
    """The tracking events that answer this wait, for the message of `message_step` in journey `journey_id`."""
    engagement = settings.get("engagement") or OPENED
    match = (("journey_id", "eq", journey_id), ("node_id", "eq", settings["message_step"]))
    if engagement == CLICKED_LINK:
        match += (("url", "contains", settings["url_contains"].strip()),)
    return tuple(EventWait(name, match) for name in AWAITED[engagement])


@register
class WaitForEngagementStep(StepType):
    name = "wait_for_engagement"
    group = "flow"
    handles = (Output(ENGAGED, tone="yes"), Output(TIMEOUT, tone="no"))
    defaults = {
        "message_step": "",
        "engagement": OPENED,
        "url_contains": "",
        "timeout_amount": 2,
        "timeout_unit": "days",
    }
    settings_schema = WaitForEngagementSettings

    def execute(self, ctx, node, items):
        s = node["data"]["settings"]
        until = timeout_until(ctx, s)
        url = (s.get("url_contains") or "").strip()
        already = engagement_of(ctx.session, s["message_step"], (i.enrollment_id for i in items))
        outcomes = []
        for item in items:
            seen = already.get(item.enrollment_id)
            if seen is not None and seen.has(s["engagement"], url):
                outcomes.append(Move(ENGAGED, reason="engaged_before"))
            else:
                outcomes.append(Wait(until, events=awaited_events(s, item.journey_id)))
        return outcomes

    def resume(self, ctx, node, items):
        return [
            Move(ENGAGED, reason=item.wake) if item.woke_by_event else Move(TIMEOUT, reason="timed_out")
            for item in items
        ]
