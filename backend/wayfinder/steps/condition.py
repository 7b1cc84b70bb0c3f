"""Condition (yes/no) on

* a customer attribute (`kind: attribute`);
* events in a window (`kind: event`): "purchased since entering" (`window: since_entry`, the default) or
  "did X at least N times in the last D days" (`window: last_days`, `days`, `min_count`), with optional
  property filters;
* engagement with the message an earlier send step of this journey sent in this enrollment (`kind: message`,
  `step`, `engagement`: delivered / opened / clicked / not_opened / not_clicked), from the message's status and
  the message event log (human opens and clicks; `steps/engagement.py`, shared with `wait_for_engagement`), so a
  branch "opened the reminder?" needs no wait. It lives in the condition step only: the audience filter
  (`audience/filters.py`) is about customers, and "this enrollment's message" means nothing there;
* a tag (`kind: tag`, `tag`, optional `min_weight`): "has tag X", "tag X with weight ≥ N" — the audience
  filter's tag condition, so a condition and an audience mean the same thing.
"""

from __future__ import annotations

from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from wayfinder.audience.filters import matching_ids
from wayfinder.audience.matching import OPERATORS, FilterSchema, matches, matches_all
from wayfinder.db_utils import chunked, one_of
from wayfinder.models import Event
from wayfinder.schemas.fields import ONE_LINE
from wayfinder.steps.base import Move, Output, StepType
from wayfinder.steps.engagement import engagement_of
from wayfinder.steps.registry import register

ENGAGEMENTS = ["delivered", "opened", "clicked", "not_opened", "not_clicked"]


class ConditionSettings(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["attribute", "event", "message", "tag"]))
    attribute = fields.String(validate=validate.Length(min=1, max=128))
    op = fields.String(validate=validate.OneOf(list(OPERATORS)))
    value = fields.Raw(allow_none=True)
    event = fields.String(validate=validate.Length(min=1, max=128))
    filters = fields.List(fields.Nested(FilterSchema), load_default=list)
    window = fields.String(load_default="since_entry", validate=validate.OneOf(["since_entry", "last_days"]))
    days = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=3650))
    min_count = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=100_000))
    step = fields.String(validate=validate.Length(min=1, max=64))
    engagement = fields.String(validate=validate.OneOf(ENGAGEMENTS))
    tag = fields.String(validate=[validate.Length(min=1, max=128), ONE_LINE])
    min_weight = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=1_000_000_000))

    @validates_schema
    def _kind_fields(self, data, **kwargs):
        required = {
            "attribute": ("attribute", "op"),
            "event": ("event",),
            "message": ("step", "engagement"),
            "tag": ("tag",),
        }
        needed = list(required.get(data.get("kind"), ()))
        if data.get("kind") == "event" and data.get("window") == "last_days":
            needed.append("days")
        missing = {name: ["Missing data for required field."] for name in needed if not data.get(name)}
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
            hits = self._did_event(ctx, settings, items)
        elif settings["kind"] == "message":
            hits = self._engaged(ctx, settings, items)
        elif settings["kind"] == "tag":
            tag = {"kind": "tag", "tag": settings["tag"], "min_weight": settings.get("min_weight")}
            tagged = matching_ids(ctx.session, {"conditions": [tag]}, [i.customer_id for i in items], ctx.now)
            hits = [item.customer_id in tagged for item in items]
        else:
            hits = [
                matches(
                    ctx.customer_data(item.customer_id), settings["attribute"], settings["op"], settings.get("value")
                )
                for item in items
            ]
        return [Move("yes" if hit else "no") for hit in hits]

    @staticmethod
    def _did_event(ctx, settings, items):
        """One query per 500 customers: their such events in the window, counted per enrollment.

        "Since entry" starts at the time of the event that enrolled them, so a purchase made while that event
        was still queued counts; the enrolling event itself never does.
        """
        if settings.get("window") == "last_days":
            since = dict.fromkeys((i.enrollment_id for i in items), ctx.now - timedelta(days=settings["days"]))
        else:
            since = {item.enrollment_id: ctx.entered_since(item) for item in items}
        filters = settings.get("filters") or []
        found: dict[int, list[tuple]] = {}
        for chunk in chunked(sorted({item.customer_id for item in items})):
            rows = ctx.session.execute(
                select(Event.customer_id, Event.occurred_at, Event.id, Event.properties).where(
                    one_of(ctx.session, Event.customer_id, chunk),
                    Event.name == settings["event"],
                    Event.occurred_at >= min(since.values()),
                    Event.occurred_at <= ctx.now,
                )
            )
            for customer_id, occurred_at, event_id, properties in rows:
                if matches_all(properties or {}, filters):
                    found.setdefault(customer_id, []).append((occurred_at, event_id))
        need = settings.get("min_count") or 1
        return [
            sum(
                1
                for at, eid in found.get(item.customer_id, ())
                if at >= since[item.enrollment_id] and eid != item.trigger_event_id
            )
            >= need
            for item in items
        ]

    @staticmethod
    def _engaged(ctx, settings, items):
        """From the message event log of the enrollment's message(s) from step `step` (one query per 500)."""
        seen = engagement_of(ctx.session, settings["step"], (i.enrollment_id for i in items))
        engagement = settings["engagement"]
        if engagement == "delivered":
            return [i.enrollment_id in seen and seen[i.enrollment_id].delivered for i in items]
        asked = engagement.removeprefix("not_")
        hits = [i.enrollment_id in seen and seen[i.enrollment_id].has(asked) for i in items]
        return [not h for h in hits] if engagement.startswith("not_") else hits
