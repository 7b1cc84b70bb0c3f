"""A one-off schedule or a date countdown is "in the past" only once its moment has passed in the journey's own
time zone, the zone its trigger fires in (it was compared as if in UTC+14, refusing sends later today)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wayfinder.journeys.builder import GraphBuilder
from wayfinder.journeys.graph import validate_graph

NOW = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)
ZONES = ["Asia/Taipei", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"]


def _local(zone: str, delta: timedelta) -> datetime:
    return (NOW + delta).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _once(zone: str, at: datetime) -> dict:
    g = GraphBuilder()
    g.settings["timezone"] = zone
    g.chain(g.schedule("t", "once", at=at.strftime("%Y-%m-%dT%H:%M")), g.exit("done"))
    return g.build()


def _countdown(zone: str, fires: datetime, days_before: int = 2) -> dict:
    """A countdown firing at `fires` (local): `days_before` days before a campaign date at that time of day."""
    campaign = fires + timedelta(days=days_before)
    g = GraphBuilder()
    g.settings["timezone"] = zone
    settings = {
        "anchor": "date",
        "date": campaign.date().isoformat(),
        "time": campaign.strftime("%H:%M"),
        "offset": days_before,
        "unit": "days",
        "direction": "before",
    }
    g.chain(g.node("t", "relative_date_trigger", settings), g.exit("done"))
    return g.build()


def _codes(graph: dict) -> list[str]:
    return [e.code for e in validate_graph(graph, now=NOW)]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("build", [_once, _countdown], ids=["once", "countdown"])
def test_a_moment_later_today_in_the_journeys_zone_is_accepted(zone, build):
    for ahead in (timedelta(minutes=1), timedelta(hours=1), timedelta(hours=5, minutes=59), timedelta(hours=23)):
        assert _codes(build(zone, _local(zone, ahead))) == [], (zone, ahead)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("build", [_once, _countdown], ids=["once", "countdown"])
def test_a_moment_already_past_in_the_journeys_zone_is_refused(zone, build):
    for behind in (timedelta(0), timedelta(minutes=-1), timedelta(hours=-3)):
        assert _codes(build(zone, _local(zone, behind))) == ["schedule_in_the_past"], (zone, behind)


def test_the_same_wall_clock_time_is_past_in_one_zone_and_ahead_in_another():
    # 12:00 on 2 March: in Taipei (UTC+8) that is 04:00 UTC, ahead of NOW (03:30 UTC); in Kiritimati (UTC+14)
    # it was 22:00 UTC the day before.
    noon = datetime(2026, 3, 2, 12, 0)
    assert _codes(_once("Asia/Taipei", noon)) == []
    assert _codes(_once("Pacific/Kiritimati", noon)) == ["schedule_in_the_past"]


def test_an_invalid_zone_is_reported_and_the_default_zone_checks_the_date():
    graph = _once("Mars/Olympus", _local("Asia/Taipei", timedelta(minutes=30)))
    assert _codes(graph) == ["invalid_journey_settings"]
