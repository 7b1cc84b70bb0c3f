"""Schedule and relative-date triggers: next firing times (across daylight-saving changes), firing
conditions, and their located validation messages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from wayfinder import steps
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.journeys.graph import validate_graph

NY = ZoneInfo("America/New_York")
TAIPEI = ZoneInfo("Asia/Taipei")
schedule = steps.get("schedule_trigger")
relative = steps.get("relative_date_trigger")


def _load(step, **settings):
    return step.settings_schema().load(settings)


def _firings(step, settings, start: datetime, count: int, tz) -> list[datetime]:
    out, after = [], start
    for _ in range(count):
        after = step.next_due(settings, after, tz)
        if after is None:
            break
        out.append(after)
    return out


def test_daily_at_nine_in_new_york_keeps_local_time_across_both_changes():
    s = _load(schedule, repeat="daily", time="09:00")
    spring = _firings(schedule, s, datetime(2026, 3, 6, tzinfo=UTC), 4, NY)
    assert [d.astimezone(NY).strftime("%m-%d %H:%M %Z") for d in spring] == [
        "03-06 09:00 EST",
        "03-07 09:00 EST",
        "03-08 09:00 EDT",
        "03-09 09:00 EDT",
    ]
    assert [d.hour for d in spring] == [14, 14, 13, 13]
    autumn = _firings(schedule, s, datetime(2026, 10, 31, tzinfo=UTC), 3, NY)
    assert [d.hour for d in autumn] == [13, 14, 14]  # 1 November: back to EST


def test_times_skipped_or_repeated_by_a_change_fire_once():
    s = _load(schedule, repeat="daily", time="02:30")
    spring = _firings(schedule, s, datetime(2026, 3, 7, tzinfo=UTC), 3, NY)
    # 02:30 does not exist on 8 March: it resolves with the offset before the change (03:30 EDT).
    assert spring == [
        datetime(2026, 3, 7, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 9, 6, 30, tzinfo=UTC),
    ]
    s = _load(schedule, repeat="daily", time="01:30")
    autumn = _firings(schedule, s, datetime(2026, 10, 31, 12, tzinfo=UTC), 3, NY)
    # 01:30 happens twice on 1 November: it fires at the first, once.
    assert autumn == [
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
        datetime(2026, 11, 3, 6, 30, tzinfo=UTC),
    ]


def test_weekly_monthly_and_once():
    member_day = _load(schedule, repeat="weekly", time="11:00", weekdays=["wed"])
    fired = _firings(schedule, member_day, datetime(2026, 3, 2, tzinfo=UTC), 3, TAIPEI)
    assert [d.astimezone(TAIPEI).strftime("%a %d %H:%M") for d in fired] == [
        "Wed 04 11:00",
        "Wed 11 11:00",
        "Wed 18 11:00",
    ]
    monthly = _load(schedule, repeat="monthly", time="08:00", month_day=31)
    fired = _firings(schedule, monthly, datetime(2026, 1, 1, tzinfo=UTC), 3, TAIPEI)
    assert [d.astimezone(TAIPEI).strftime("%m-%d") for d in fired] == ["01-31", "03-31", "05-31"]  # others skipped
    once = _load(schedule, repeat="once", at="2026-03-10T11:00")
    assert _firings(schedule, once, datetime(2026, 3, 1, tzinfo=UTC), 3, TAIPEI) == [
        datetime(2026, 3, 10, 3, tzinfo=UTC)
    ]


def test_relative_date_fires_daily_for_the_customers_whose_date_it_counts_towards():
    s = _load(
        relative, anchor="attribute", attribute="birthday", yearly=True, offset=3, direction="before", time="10:00"
    )
    due = relative.next_due(s, datetime(2026, 3, 1, 3, tzinfo=UTC), TAIPEI)
    assert due == datetime(2026, 3, 2, 2, tzinfo=UTC)  # every day at 10:00 Taipei
    assert relative.firing_conditions(s, due, TAIPEI) == [
        {"kind": "date", "attribute": "birthday", "on": "2026-03-05", "yearly": True}
    ]
    hours = _load(
        relative, anchor="attribute", attribute="renewal", offset=14, unit="hours", direction="before", time="09:00"
    )
    due = relative.next_due(hours, datetime(2026, 3, 1, tzinfo=UTC), TAIPEI)
    assert due.astimezone(TAIPEI).strftime("%d %H:%M") == "01 19:00"  # 14 hours before 09:00 the next day
    assert relative.firing_conditions(hours, due, TAIPEI)[0]["on"] == "2026-03-02"
    fixed = _load(relative, anchor="date", date="2026-11-20", offset=3, direction="before", time="10:00")
    assert relative.next_due(fixed, datetime(2026, 3, 1, tzinfo=UTC), TAIPEI) == datetime(2026, 11, 17, 2, tzinfo=UTC)
    assert relative.next_due(fixed, datetime(2026, 11, 18, tzinfo=UTC), TAIPEI) is None


@pytest.mark.parametrize(
    ("node_type", "settings", "field", "code", "message"),
    [
        (
            "schedule_trigger",
            {"repeat": "once", "at": "2020-01-01T09:00"},
            "at",
            "schedule_in_the_past",
            "This date and time is in the past: choose a later one.",
        ),
        ("schedule_trigger", {"repeat": "once"}, "at", "invalid_settings", "at: Choose the date and time to send."),
        (
            "schedule_trigger",
            {"repeat": "weekly", "time": "11:00"},
            "weekdays",
            "invalid_settings",
            "weekdays: Choose at least one weekday.",
        ),
        (
            "schedule_trigger",
            {"repeat": "daily", "time": "9am"},
            "time",
            "invalid_settings",
            "time: Use a time like 11:00 (24-hour).",
        ),
        (
            "relative_date_trigger",
            {"anchor": "date", "date": "2020-05-01"},
            "date",
            "schedule_in_the_past",
            "This countdown would start in the past: choose a later date.",
        ),
        (
            "relative_date_trigger",
            {"anchor": "attribute"},
            "attribute",
            "invalid_settings",
            "attribute: Choose the customer's date attribute, e.g. birthday.",
        ),
    ],
)
def test_validation_messages_are_located_on_the_field(node_type, settings, field, code, message):
    g = GraphBuilder()
    g.chain(g.node("t", node_type, settings), g.exit("done"))
    problems = [(e.node_id, e.field, e.code, e.message) for e in validate_graph(g.build())]
    assert problems == [("t", field, code, message)]


def test_a_monthly_day_past_28_warns_that_short_months_are_skipped():
    g = GraphBuilder()
    g.chain(g.schedule("t", "monthly", time="08:00", month_day=31), g.exit("done"))
    (warning,) = validate_graph(g.build())
    assert (warning.severity, warning.field, warning.message) == (
        "warning",
        "month_day",
        "Months without a day 31 are skipped.",
    )
