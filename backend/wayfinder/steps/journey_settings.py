"""Journey settings (the graph's `settings`): re-entry, maximum time inside, start and end dates, quiet hours,
frequency caps across all journeys, the priority among journeys for the last slot of a cap, and the brand time
zone.

One marshmallow schema validates them (errors located on `settings.<field>`), fills their defaults when a
version is published, and is served as JSON Schema in the step manifest (`journey_settings`) so the canvas
builds its settings panel from it. `JourneyRules` is the loaded form the engine reads.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from wayfinder.schemas.fields import check_local_datetime, time_of_day

DEFAULT_TIMEZONE = "Asia/Taipei"
REENTRY = ["always", "once", "cooldown"]  # every time (never twice at once) / once ever / again after a cool-down
DURATION_UNITS = {"minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
# Channels a frequency cap can name; `any` caps the sum of every channel.
# The send steps' channel names (steps/send_*.py); `app_push` / `web_push` are read as the earlier names of push /
# webpush.
CAP_CHANNELS = ["any", "email", "sms", "line", "push", "webpush", "in_app", "webhook"]
_FORMER_CHANNELS = {"app_push": "push", "web_push": "webpush"}
CAP_PERIODS = ["day", "week"]
# Which journey's send takes a customer's last frequency-cap slot when several are decided together.
PRIORITIES = ["high", "normal", "low"]
TIME = time_of_day("21:30")


def _valid_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("Choose a time zone from the list, e.g. Asia/Taipei.") from exc


class DurationSchema(Schema):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000))
    unit = fields.String(required=True, validate=validate.OneOf(list(DURATION_UNITS)))


class QuietHoursSchema(Schema):
    """Sends due from `start` until `end` (local time; may wrap past midnight) wait until `end`."""

    start = fields.String(required=True, validate=TIME)
    end = fields.String(required=True, validate=TIME)

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if data.get("start") and data.get("start") == data.get("end"):
            raise ValidationError({"end": ["Quiet hours must end at a different time than they start."]})


class FrequencyCapSchema(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(CAP_CHANNELS))

    @pre_load
    def _former_names(self, data, **kwargs):
        if isinstance(data, dict) and data.get("channel") in _FORMER_CHANNELS:
            data = {**data, "channel": _FORMER_CHANNELS[data["channel"]]}
        return data

    limit = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1000))
    period = fields.String(required=True, validate=validate.OneOf(CAP_PERIODS))


class JourneySettingsSchema(Schema):
    timezone = fields.String(load_default=DEFAULT_TIMEZONE, validate=_valid_zone)
    reentry = fields.String(load_default="always", validate=validate.OneOf(REENTRY))
    reentry_cooldown = fields.Nested(DurationSchema, allow_none=True, load_default=None)
    max_duration = fields.Nested(DurationSchema, allow_none=True, load_default=None)
    # Local date-times in the journey's time zone ("2026-03-08T09:00"): no entries before start / after end.
    start_at = fields.String(allow_none=True, load_default=None, validate=check_local_datetime)
    end_at = fields.String(allow_none=True, load_default=None, validate=check_local_datetime)
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True, load_default=None)
    frequency_caps = fields.List(
        fields.Nested(FrequencyCapSchema), load_default=list, validate=validate.Length(max=len(CAP_CHANNELS) * 2)
    )
    priority = fields.String(load_default="normal", validate=validate.OneOf(PRIORITIES))

    @validates_schema
    def _together(self, data, **kwargs):
        errors: dict[str, list[str]] = {}
        if data.get("reentry") == "cooldown" and not data.get("reentry_cooldown"):
            errors["reentry_cooldown"] = ["Say how long a customer waits before entering again."]
        start, end = data.get("start_at"), data.get("end_at")
        if start and end and end <= start:
            errors["end_at"] = ["The end date must be after the start date."]
        seen = set()
        for cap in data.get("frequency_caps") or []:
            key = (cap["channel"], cap["period"])
            if key in seen:
                errors["frequency_caps"] = [f"There are two caps for {cap['channel']} per {cap['period']}."]
            seen.add(key)
        if errors:
            raise ValidationError(errors)


DEFAULTS: dict[str, Any] = JourneySettingsSchema().load({})


def load(settings: dict[str, Any] | None) -> dict[str, Any]:
    """Validated settings with defaults filled; raises marshmallow.ValidationError."""
    return JourneySettingsSchema().load(settings or {})


def zone_of(settings: dict[str, Any] | None) -> tzinfo:
    """The journey's time zone (the one its triggers fire in): `settings.timezone` when valid, else the default
    (an invalid one is reported by `load`)."""
    name = (settings or {}).get("timezone") if isinstance(settings, dict) else None
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo(DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def json_schema() -> dict[str, Any]:
    from wayfinder.steps.jsonschema import settings_json_schema

    return settings_json_schema(JourneySettingsSchema)


def manifest() -> dict[str, Any]:
    """What the settings panel needs: the JSON Schema, the defaults and the choices of each enum."""
    return {
        "settings": json_schema(),
        "defaults": DEFAULTS,
        "enums": {
            "reentry": REENTRY,
            "duration_units": list(DURATION_UNITS),
            "cap_channels": CAP_CHANNELS,
            "cap_periods": CAP_PERIODS,
            "priorities": PRIORITIES,
        },
        "timezones": list(offered_zones()),
        "timezone_countries": zone_countries(),
    }


def _zone_tab() -> str | None:
    """tzdata's zone.tab (one canonical zone per line with its country), from the system's zone database or
    the `tzdata` package zoneinfo itself falls back to; None when neither ships it."""
    for root in zoneinfo.TZPATH:
        tab = Path(root) / "zone.tab"
        if tab.is_file():
            return tab.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return None


@functools.cache
def zone_countries() -> dict[str, str]:
    """Canonical zone → ISO country code, from zone.tab (the zones tzdata names for places people live)."""
    found: dict[str, str] = {}
    available = available_timezones()
    for line in (_zone_tab() or "").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2] in available:
            found.setdefault(parts[2], parts[0])
    return found


@functools.cache
def offered_zones() -> tuple[str, ...]:
    """The zones a marketer picks from: every canonical geographic zone of zone.tab plus UTC — no aliases
    (W-SU, Zulu, localtime, Etc/GMT+5, EST5EDT, Asia/Calcutta…). Without zone.tab, the region/city names of the
    zone database. Settings still accept any valid IANA zone (an older journey's alias keeps working)."""
    zones = set(zone_countries())
    if not zones:
        zones = {z for z in available_timezones() if _REGION_CITY.match(z)}
    return tuple(sorted(zones | {"UTC"}))


_REGION_CITY = re.compile(
    r"^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Z][A-Za-z_/-]+$"
)


def duration(value: dict[str, Any] | None) -> timedelta | None:
    return timedelta(seconds=value["amount"] * DURATION_UNITS[value["unit"]]) if value else None


@dataclass(frozen=True)
class JourneyRules:
    """Loaded settings as the engine uses them (instants in UTC, durations as timedeltas)."""

    timezone: tzinfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    reentry: str = "always"
    reentry_cooldown: timedelta | None = None
    max_duration: timedelta | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None
    caps: tuple[tuple[str, int, str], ...] = ()  # (channel, limit, period)
    priority: str = "normal"

    @property
    def rank(self) -> int:
        """Sorts higher priorities first."""
        return PRIORITIES.index(self.priority)

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> JourneyRules:
        """From stored settings (published versions hold loaded settings; older ones `{}`)."""
        try:
            s = load(settings)
        except ValidationError:
            s = DEFAULTS
        tz = ZoneInfo(s["timezone"])

        def instant(local: str | None) -> datetime | None:
            return datetime.fromisoformat(local).replace(tzinfo=tz) if local else None

        quiet = s.get("quiet_hours")
        return cls(
            timezone=tz,
            reentry=s["reentry"],
            reentry_cooldown=duration(s.get("reentry_cooldown")),
            max_duration=duration(s.get("max_duration")),
            start_at=instant(s.get("start_at")),
            end_at=instant(s.get("end_at")),
            quiet_start=time.fromisoformat(quiet["start"]) if quiet else None,
            quiet_end=time.fromisoformat(quiet["end"]) if quiet else None,
            caps=tuple((c["channel"], c["limit"], c["period"]) for c in s.get("frequency_caps") or []),
            priority=s["priority"],
        )

    def entry_refusal(self, now: datetime) -> str | None:
        """Why nobody may enter now (outside the start and end dates), or None."""
        if self.start_at and now < self.start_at:
            return "before_start"
        if self.end_at and now >= self.end_at:
            return "after_end"
        return None
