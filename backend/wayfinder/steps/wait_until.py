"""Wait until a time of day, a time on chosen weekdays, or a date and time — in the customer's time zone
(their `timezone` attribute) when known, else the journey's (`settings.timezone`), else the brand's.

Local wall-clock times are found with dateutil's rrule on naive local times and turned into instants with
zoneinfo, so a rule stays at 09:00 local time across daylight-saving changes. A local time that does not
exist (skipped by a spring-forward) resolves as zoneinfo does (fold=0: the offset before the change).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from dateutil.rrule import DAILY, rrule
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.schemas.fields import WEEKDAYS, check_date, time_of_day
from wayfinder.steps.base import Move, Output, StepType, Wait
from wayfinder.steps.registry import register

MODES = ["time_of_day", "weekday", "date"]


class WaitUntilSettings(Schema):
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    time = fields.String(required=True, validate=time_of_day())
    weekdays = fields.List(fields.String(validate=validate.OneOf(WEEKDAYS)), load_default=list)
    # Kept as text ("2026-03-08"): the settings are stored in the journey's JSON graph.
    date = fields.String(allow_none=True, load_default=None, validate=check_date)

    @validates_schema
    def _mode_fields(self, data, **kwargs):
        if data.get("mode") == "weekday" and not data.get("weekdays"):
            raise ValidationError({"weekdays": ["Choose at least one weekday."]})
        if data.get("mode") == "date" and not data.get("date"):
            raise ValidationError({"date": ["Missing data for required field."]})


def next_local(settings: dict, now: datetime, tz) -> datetime:
    """The first instant at or after `now` that matches the rule in zone `tz`, in UTC."""
    hour, minute = (int(p) for p in settings["time"].split(":"))
    local_now = now.astimezone(tz).replace(tzinfo=None)
    if settings["mode"] == "date":
        local = datetime.combine(date.fromisoformat(settings["date"]), time(hour, minute))
    else:
        weekdays = [WEEKDAYS.index(d) for d in settings["weekdays"]] if settings["mode"] == "weekday" else None
        rule = rrule(
            DAILY,
            dtstart=local_now.replace(second=0, microsecond=0),
            byweekday=weekdays,
            byhour=hour,
            byminute=minute,
            bysecond=0,
        )
        local = rule.after(local_now, inc=True)
    return local.replace(tzinfo=tz).astimezone(UTC)


@register
class WaitUntilStep(StepType):
    name = "wait_until"
    group = "flow"
    handles = (Output("next"),)
    defaults = {"mode": "time_of_day", "time": "09:00", "weekdays": [], "date": None}
    settings_schema = WaitUntilSettings

    def execute(self, ctx, node, items):
        settings = node["data"]["settings"]
        outcomes = []
        for item in items:
            until = next_local(settings, ctx.now, ctx.timezone(item.customer_id))
            # A date already past (or this very minute) lets the customer go on at once.
            outcomes.append(Wait(until) if until > ctx.now else Move("next", reason="time_passed"))
        return outcomes

    def resume(self, ctx, node, items):
        return [Move("next") for _ in items]
