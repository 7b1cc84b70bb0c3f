"""Trigger: a schedule — once at a date and time, or daily / weekly on chosen weekdays / monthly on a day, at
a time of day in the journey's time zone (the brand's). Each firing enrols the trigger's audience.

Chosen in a form, never typed as cron. Local times are found with dateutil's rrule on naive local
wall-clock times and turned into instants with zoneinfo, so "every Wednesday 11:00" stays at 11:00 local
across daylight-saving changes (a time skipped by a spring-forward resolves with the offset before it, as
zoneinfo's fold=0 does; a repeated one fires once, at its first occurrence).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.audience.filters import AudienceSchema
from wayfinder.schemas.fields import WEEKDAYS, check_local_datetime, time_of_day
from wayfinder.steps.base import SCHEDULE_KEY, Move, Output, StepType
from wayfinder.steps.registry import register

REPEATS = ["once", "daily", "weekly", "monthly"]
TIME = time_of_day("11:00")


class ScheduleTriggerSettings(Schema):
    repeat = fields.String(required=True, validate=validate.OneOf(REPEATS))
    at = fields.String(allow_none=True, load_default=None, validate=check_local_datetime)  # once: local date and time
    time = fields.String(load_default="09:00", validate=TIME)  # repeating: local time of day
    weekdays = fields.List(fields.String(validate=validate.OneOf(WEEKDAYS)), load_default=list)
    month_day = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1, max=31))
    audience = fields.Nested(AudienceSchema, allow_none=True, load_default=None)

    @validates_schema
    def _repeat_fields(self, data, **kwargs):
        repeat = data.get("repeat")
        if repeat == "once" and not data.get("at"):
            raise ValidationError({"at": ["Choose the date and time to send."]})
        if repeat == "weekly" and not data.get("weekdays"):
            raise ValidationError({"weekdays": ["Choose at least one weekday."]})
        if repeat == "monthly" and not data.get("month_day"):
            raise ValidationError({"month_day": ["Choose the day of the month."]})


def local_instant(local: datetime, tz: tzinfo) -> datetime:
    """A naive local wall-clock time in `tz` as a UTC instant."""
    return local.replace(tzinfo=tz).astimezone(UTC)


def next_occurrence(settings: dict[str, Any], after: datetime, tz: tzinfo) -> datetime | None:
    """The first firing strictly after `after` (UTC), or None when there is none (a one-off in the past)."""
    if settings["repeat"] == "once":
        due = local_instant(datetime.fromisoformat(settings["at"]), tz)
        return due if due > after else None
    hour, minute = (int(p) for p in settings["time"].split(":"))
    freq = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY}[settings["repeat"]]
    extra: dict[str, Any] = {}
    if settings["repeat"] == "weekly":
        extra["byweekday"] = sorted(WEEKDAYS.index(d) for d in settings["weekdays"])
    if settings["repeat"] == "monthly":
        extra["bymonthday"] = settings["month_day"]  # months without that day are skipped
    return next_local_time(freq, hour, minute, after, tz, **extra)


def next_local_time(freq: int, hour: int, minute: int, after: datetime, tz: tzinfo, **extra: Any) -> datetime | None:
    """The first time strictly after `after` (UTC) that a recurrence at `hour`:`minute` local wall-clock time in
    `tz` fires (`freq` and `extra` as for dateutil's rrule), as a UTC instant; None when the rule has no more."""
    local_after = after.astimezone(tz).replace(tzinfo=None)
    rule = rrule(
        freq,
        dtstart=local_after.replace(hour=0, minute=0, second=0, microsecond=0),
        byhour=hour,
        byminute=minute,
        bysecond=0,
        **extra,
    )
    # Local wall-clock times repeat in a fall-back hour: step past any that is not later as an instant.
    candidate = rule.after(local_after, inc=False)
    while candidate is not None and local_instant(candidate, tz) <= after:
        candidate = rule.after(candidate, inc=False)
    return local_instant(candidate, tz) if candidate else None


@register
class ScheduleTrigger(StepType):
    name = "schedule_trigger"
    group = "trigger"
    is_trigger = True
    has_input = False
    handles = (Output("next"),)
    defaults = {
        "repeat": "weekly",
        "at": None,
        "time": "11:00",
        "weekdays": ["wed"],
        "month_day": None,
        "audience": None,
    }
    settings_schema = ScheduleTriggerSettings

    def trigger_keys(self, settings: dict[str, Any]) -> list[str]:
        return [SCHEDULE_KEY]

    def next_due(self, settings: dict[str, Any], after: datetime, brand_tz: tzinfo) -> datetime | None:
        return next_occurrence(settings, after, brand_tz)

    def check_when(self, settings: dict[str, Any], tz: tzinfo, now: datetime) -> list[tuple[str, str, str]]:
        # In the journey's zone, where the trigger fires: a one-off later today is not in the past.
        if settings["repeat"] == "once" and settings.get("at"):
            if local_instant(datetime.fromisoformat(settings["at"]), tz) <= now:
                return [("at", "schedule_in_the_past", "This date and time is in the past: choose a later one.")]
        return []

    def warnings(self, settings: dict[str, Any]) -> list[tuple[str, str, str]]:
        if settings["repeat"] == "monthly" and (settings.get("month_day") or 0) > 28:
            day = settings["month_day"]
            return [("month_day", "month_day_skipped", f"Months without a day {day} are skipped.")]
        return []

    def execute(self, ctx, node, items):
        return [Move("next") for _ in items]
