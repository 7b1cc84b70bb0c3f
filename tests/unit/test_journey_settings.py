"""Journey settings: the schema, its located errors, its defaults and its place in the step manifest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError

from wayfinder import steps
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.journeys.graph import normalise_settings, validate_graph
from wayfinder.steps import journey_settings
from wayfinder.steps.journey_settings import JourneyRules


def _graph(settings: dict) -> dict:
    g = GraphBuilder()
    g.chain(g.trigger("t", event="signup"), g.exit("done"))
    g.settings = settings
    return g.build()


def _problems(settings: dict) -> dict[str, tuple[str, str]]:
    return {e.field: (e.code, e.message) for e in validate_graph(_graph(settings))}


def test_empty_settings_are_valid_and_publish_with_defaults():
    assert validate_graph(_graph({})) == []
    graph = normalise_settings(_graph({}))
    assert graph["settings"] == {
        "timezone": "Asia/Taipei",
        "reentry": "always",
        "reentry_cooldown": None,
        "max_duration": None,
        "start_at": None,
        "end_at": None,
        "quiet_hours": None,
        "frequency_caps": [],
        "priority": "normal",
    }


def test_every_setting_filled_in_is_valid():
    settings = {
        "timezone": "America/New_York",
        "reentry": "cooldown",
        "reentry_cooldown": {"amount": 7, "unit": "days"},
        "max_duration": {"amount": 30, "unit": "days"},
        "start_at": "2026-03-01T00:00",
        "end_at": "2026-04-01T00:00",
        "quiet_hours": {"start": "21:00", "end": "08:00"},
        "frequency_caps": [
            {"channel": "email", "limit": 2, "period": "day"},
            {"channel": "any", "limit": 5, "period": "week"},
        ],
    }
    assert validate_graph(_graph(settings)) == []
    rules = JourneyRules.from_settings(settings)
    ny = ZoneInfo("America/New_York")
    assert rules.timezone == ny
    assert rules.reentry_cooldown == timedelta(days=7) and rules.max_duration == timedelta(days=30)
    assert rules.start_at == datetime(2026, 3, 1, tzinfo=ny)
    assert rules.caps == (("email", 2, "day"), ("any", 5, "week"))
    assert (rules.priority, rules.rank, JourneyRules.from_settings({"priority": "high"}).rank) == ("normal", 1, 0)
    assert rules.entry_refusal(datetime(2026, 2, 28, 12, tzinfo=UTC)) == "before_start"
    assert rules.entry_refusal(datetime(2026, 3, 10, tzinfo=UTC)) is None
    assert rules.entry_refusal(datetime(2026, 4, 1, 4, tzinfo=UTC)) == "after_end"  # 00:00 EDT


def test_errors_are_located_on_the_field_in_plain_language():
    problems = _problems(
        {
            "timezone": "Mars/Olympus",
            "reentry": "cooldown",
            "start_at": "2026-04-01T00:00",
            "end_at": "2026-03-01T00:00",
            "quiet_hours": {"start": "25:00", "end": "08:00"},
            "frequency_caps": [{"channel": "email", "limit": 0, "period": "day"}],
        }
    )
    assert problems["settings.timezone"] == (
        "invalid_journey_settings",
        "Choose a time zone from the list, e.g. Asia/Taipei.",
    )
    assert problems["settings.quiet_hours.start"][1] == "Use a time like 21:30 (24-hour)."
    assert "settings.frequency_caps.0.limit" in problems
    # Cross-field rules run only once each field is valid on its own.
    problems = _problems({"reentry": "cooldown", "start_at": "2026-04-01T00:00", "end_at": "2026-03-01T00:00"})
    assert problems["settings.reentry_cooldown"][1] == "Say how long a customer waits before entering again."
    assert problems["settings.end_at"][1] == "The end date must be after the start date."
    assert _problems({"quiet_hours": {"start": "08:00", "end": "08:00"}})["settings.quiet_hours.end"]
    assert _problems({"priority": "urgent"})["settings.priority"] == (
        "invalid_journey_settings",
        "Must be one of: high, normal, low.",
    )
    two = [{"channel": "sms", "limit": 1, "period": "day"}, {"channel": "sms", "limit": 3, "period": "day"}]
    assert _problems({"frequency_caps": two})["settings.frequency_caps"][1] == "There are two caps for sms per day."
    assert (
        _problems({"start_at": "next tuesday"})["settings.start_at"][1] == "Use a date and time like 2026-03-08T09:00."
    )


def test_the_step_manifest_serves_the_settings_panel():
    manifest = steps.manifest()["journey_settings"]
    schema = manifest["settings"]
    assert set(schema["properties"]) == set(journey_settings.DEFAULTS)
    assert schema["properties"]["reentry"]["enum"] == ["always", "once", "cooldown"]
    assert schema["properties"]["priority"]["enum"] == manifest["enums"]["priorities"] == ["high", "normal", "low"]
    assert manifest["defaults"]["timezone"] == "Asia/Taipei"
    assert manifest["enums"]["cap_periods"] == ["day", "week"]
    assert "America/New_York" in manifest["timezones"]


def test_the_settings_panel_is_offered_canonical_zones_only():
    manifest = steps.manifest()["journey_settings"]
    zones = set(manifest["timezones"])
    assert {"Asia/Taipei", "Asia/Hong_Kong", "Asia/Kolkata", "America/New_York", "Europe/London", "UTC"} <= zones
    # Aliases and legacy names are not offered …
    assert not zones & {"W-SU", "Zulu", "localtime", "Etc/GMT+5", "EST5EDT", "Asia/Calcutta", "US/Eastern", "ROC"}
    assert all(z == "UTC" or "/" in z for z in zones)
    assert manifest["timezone_countries"]["Asia/Taipei"] == "TW"
    assert manifest["timezone_countries"]["America/New_York"] == "US"
    # … but a journey that holds one keeps working: validation accepts any valid IANA zone.
    for alias in ("W-SU", "Asia/Calcutta", "Etc/GMT+5"):
        assert journey_settings.load({"timezone": alias})["timezone"] == alias
    with pytest.raises(ValidationError):
        journey_settings.load({"timezone": "Mars/Olympus_Mons"})
