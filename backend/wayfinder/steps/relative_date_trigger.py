"""Trigger: relative to a date — N days or hours before or after a fixed campaign date, or a customer's date
attribute (a birthday, yearly; a membership renewal), at a chosen time of day (S2's countdown).

* A fixed date fires once, at `time` on that date shifted by the offset.
* A date attribute fires every day at the shifted time of day and enrols the customers whose date falls on
  the day the firing counts towards (their month and day, for yearly dates).

Local times are naive wall-clock times in the journey's zone made instants with zoneinfo, as for
schedules, so the countdown keeps its hour across daylight-saving changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from dateutil.rrule import DAILY
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.audience.filters import AudienceSchema
from wayfinder.schemas.fields import check_date
from wayfinder.steps.base import SCHEDULE_KEY, Move, Output, StepType
from wayfinder.steps.registry import register
from wayfinder.steps.schedule_trigger import TIME, local_instant, next_local_time

UNITS = {"days": timedelta(days=1), "hours": timedelta(hours=1)}


class RelativeDateTriggerSettings(Schema):
    anchor = fields.String(required=True, validate=validate.OneOf(["date", "attribute"]))
    date = fields.String(allow_none=True, load_default=None, validate=check_date)
    attribute = fields.String(allow_none=True, load_default=None, validate=validate.Length(min=1, max=128))
    yearly = fields.Boolean(load_default=False)  # birthdays: the month and day, every year
    offset = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=3650))
    unit = fields.String(load_default="days", validate=validate.OneOf(list(UNITS)))
    direction = fields.String(load_default="before", validate=validate.OneOf(["before", "after"]))
    time = fields.String(load_default="10:00", validate=TIME)
    audience = fields.Nested(AudienceSchema, allow_none=True, load_default=None)

    @validates_schema
    def _anchor_fields(self, data, **kwargs):
        if data.get("anchor") == "date" and not data.get("date"):
            raise ValidationError({"date": ["Choose the campaign date."]})
        if data.get("anchor") == "attribute" and not data.get("attribute"):
            raise ValidationError({"attribute": ["Choose the customer's date attribute, e.g. birthday."]})


def _shift(settings: dict[str, Any]) -> timedelta:
    """From the anchor day's chosen time to the firing: negative before, positive after."""
    delta = settings["offset"] * UNITS[settings["unit"]]
    return -delta if settings["direction"] == "before" else delta


def _firing_local(settings: dict[str, Any], anchor: date) -> datetime:
    hour, minute = (int(p) for p in settings["time"].split(":"))
    return datetime.combine(anchor, time(hour, minute)) + _shift(settings)


@register
class RelativeDateTrigger(StepType):
    name = "relative_date_trigger"
    group = "trigger"
    is_trigger = True
    has_input = False
    handles = (Output("next"),)
    defaults = {
        "anchor": "date",
        "date": None,
        "attribute": None,
        "yearly": False,
        "offset": 3,
        "unit": "days",
        "direction": "before",
        "time": "10:00",
        "audience": None,
    }
    settings_schema = RelativeDateTriggerSettings

    def trigger_keys(self, settings: dict[str, Any]) -> list[str]:
        return [SCHEDULE_KEY]

    def next_due(self, settings: dict[str, Any], after: datetime, brand_tz: tzinfo) -> datetime | None:
        if settings["anchor"] == "date":
            due = local_instant(_firing_local(settings, date.fromisoformat(settings["date"])), brand_tz)
            return due if due > after else None
        # Every day at the shifted time of day.
        fire = _firing_local(settings, date(2000, 1, 1))
        return next_local_time(DAILY, fire.hour, fire.minute, after, brand_tz)

    def firing_conditions(self, settings: dict[str, Any], due: datetime, brand_tz: tzinfo) -> list[dict[str, Any]]:
        if settings["anchor"] != "attribute":
            return []
        hour, minute = (int(p) for p in settings["time"].split(":"))
        local_due = due.astimezone(brand_tz).replace(tzinfo=None)
        anchor = (local_due - _shift(settings)).date()
        return [
            {"kind": "date", "attribute": settings["attribute"], "on": anchor.isoformat(), "yearly": settings["yearly"]}
        ]

    def check_when(self, settings: dict[str, Any], tz: tzinfo, now: datetime) -> list[tuple[str, str, str]]:
        # In the journey's zone, where the countdown fires.
        if settings["anchor"] == "date":
            due = local_instant(_firing_local(settings, date.fromisoformat(settings["date"])), tz)
            if due <= now:
                return [
                    ("date", "schedule_in_the_past", "This countdown would start in the past: choose a later date.")
                ]
        return []

    def execute(self, ctx, node, items):
        return [Move("next") for _ in items]
