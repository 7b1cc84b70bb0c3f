"""Each new step type's executor on the step harness (fixed now, SQLite, no Redis)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from tests.stepkit import StepKit
from wayfinder import steps
from wayfinder.models import Enrollment, Message, MessageEvent
from wayfinder.steps.base import Move, Wait

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 12:00 in Taipei


@pytest.fixture
def kit():
    kit = StepKit(NOW)
    yield kit
    kit.close()


def handles(run):
    return [o.handle for o in run.outcomes]


# --- random split ---


def test_random_split_is_within_3_points_over_2000_customers_and_stable(kit):
    settings = {"branches": [{"id": "a", "percent": 20}, {"id": "b", "percent": 30}, {"id": "c", "percent": 50}]}
    customers = [kit.customer() for _ in range(2000)]
    first = kit.execute("random_split", settings, customers, node_id="ab")
    shares = Counter(handles(first))
    for branch, percent in (("a", 20), ("b", 30), ("c", 50)):
        assert abs(shares[branch] / 20 - percent) <= 3, shares
    again = kit.execute("random_split", settings, customers, node_id="ab")
    assert handles(again) == handles(first)  # same customer, same node: same branch
    other = kit.execute("random_split", settings, customers, node_id="other")
    assert handles(other) != handles(first)  # the node is part of the hash
    assert first.items[0].context["state"]["ab"]["branch"] == handles(first)[0]


def test_random_split_keeps_a_chosen_branch_even_if_percentages_change(kit):
    c = kit.customer()
    item = kit.item(c, node="ab", context={"state": {"ab": {"branch": "b"}}})
    run = kit.execute(
        "random_split", {"branches": [{"id": "a", "percent": 100}, {"id": "b", "percent": 0}]}, [item], "ab"
    )
    assert handles(run) == ["b"]


def test_random_split_settings_rules():
    step = steps.get("random_split")
    schema = step.settings_schema()
    bad = schema.load({"branches": [{"id": "a", "percent": 60}, {"id": "b", "percent": 30}]})
    assert [code for _f, code, _m in step.check(bad)] == ["percent_sum"]
    with pytest.raises(Exception):  # noqa: B017 - marshmallow ValidationError: 1 branch is too few
        schema.load({"branches": [{"id": "a", "percent": 100}]})
    assert [o.id for o in step.outputs({"branches": [{"id": "x"}, {"id": "y"}, {"id": "z"}]})] == ["x", "y", "z"]
    assert step.outputs({"branches": "garbage"}) == []


# --- split by attribute ---


def test_split_by_attribute_with_default_branch(kit):
    settings = {
        "attribute": "gender",
        "branches": [{"id": "women", "values": ["female", "F"]}, {"id": "men", "values": ["male"]}],
    }
    people = [kit.customer({"gender": g}) for g in ("female", "male", "f", "other")] + [kit.customer({})]
    run = kit.execute("split", settings, people)
    assert handles(run) == ["women", "men", "women", "default", "default"]
    assert run.outcomes[3].reason == "default_branch"
    assert [o.id for o in steps.get("split").outputs(settings)] == ["women", "men", "default"]
    assert [code for _f, code, _m in steps.get("split").check({**settings, "branches": [{"id": "default"}]})] == [
        "reserved_branch"
    ]


# --- wait for event ---


def test_wait_for_event_waits_with_timeout_and_trigger_match(kit):
    c = kit.customer()
    cart = kit.event(c, "cart_updated", NOW, cart_id="K1", total=500)
    settings = {
        "event": "purchase",
        "filters": [{"property": "total", "op": "gte", "value": 100}],
        "same_as_trigger": ["cart_id"],
        "timeout_amount": 2,
        "timeout_unit": "hours",
    }
    run = kit.execute("wait_for_event", settings, [kit.item(c, trigger_event_id=cart)])
    (outcome,) = run.outcomes
    assert isinstance(outcome, Wait)
    assert outcome.until == NOW + timedelta(hours=2)
    assert outcome.events[0].name == "purchase"
    assert outcome.events[0].filters == (("total", "gte", 100), ("cart_id", "eq", "K1"))


def test_wait_for_event_resumes_by_wake_reason(kit):
    c = kit.customer()
    settings = {"event": "purchase", "timeout_amount": 1, "timeout_unit": "days"}
    run = kit.resume(
        "wait_for_event", settings, [kit.item(c, wake="event:purchase"), kit.item(c, enrollment_id=99, wake="time")]
    )
    assert run.outcomes == [Move("happened", reason="event:purchase"), Move("timed_out", reason="timed_out")]


def test_wait_for_event_without_timeout_is_an_error():
    step = steps.get("wait_for_event")
    loaded = step.settings_schema().load({"event": "purchase"})
    assert [code for _f, code, _m in step.check(loaded)] == ["missing_timeout"]


# --- goal ---


def test_goal_accepts_its_event_with_property_conditions():
    goal = steps.get("goal")
    settings = {"event": "purchase", "filters": [{"property": "total", "op": "gte", "value": 1000}]}
    assert goal.goal_events(settings) == ["purchase"]
    assert goal.accepts(settings, "purchase", {"total": 1500})
    assert not goal.accepts(settings, "purchase", {"total": 10})
    assert not goal.accepts(settings, "refund", {"total": 1500})
    assert not goal.has_input and goal.outputs(settings)[0].required is False


# --- wait until ---


def test_wait_until_time_of_day_uses_customer_zone_else_brand(kit):
    taipei = kit.customer({})  # brand zone Asia/Taipei: 12:00 now → 09:00 tomorrow = 01:00 UTC
    london = kit.customer({"timezone": "Europe/London"})  # 04:00 now → 09:00 today
    broken = kit.customer({"timezone": "Mars/Olympus"})  # unknown zone: the brand's
    run = kit.execute("wait_until", {"mode": "time_of_day", "time": "09:00"}, [taipei, london, broken])
    assert [o.until for o in run.outcomes] == [
        datetime(2026, 3, 3, 1, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        datetime(2026, 3, 3, 1, 0, tzinfo=UTC),
    ]


def test_wait_until_weekday_across_a_daylight_saving_change():
    # New York springs forward on Sunday 8 March 2026: 09:00 on Monday 9 March is 13:00 UTC (EDT), while
    # 09:00 on Friday 6 March was 14:00 UTC (EST).
    kit = StepKit(datetime(2026, 3, 6, 15, 0, tzinfo=UTC), brand_timezone="America/New_York")  # Fri 10:00 EST
    c = kit.customer()
    run = kit.execute("wait_until", {"mode": "weekday", "time": "09:00", "weekdays": ["mon", "fri"]}, [c])
    assert run.outcomes[0].until == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    kit.now = datetime(2026, 3, 6, 13, 0, tzinfo=UTC)  # Fri 08:00 EST: this Friday still counts
    assert kit.execute("wait_until", {"mode": "weekday", "time": "09:00", "weekdays": ["fri"]}, [c]).outcomes[
        0
    ].until == datetime(2026, 3, 6, 14, 0, tzinfo=UTC)
    kit.close()


@pytest.mark.parametrize(
    ("name", "settings"),
    [("wait_until", {"mode": "date", "time": "10:00"}), ("relative_date_trigger", {"anchor": "date"})],
)
def test_a_date_setting_is_a_calendar_date(name, settings):
    # Both steps keep a date as text in the graph and check it with the one validator (schemas.fields.check_date).
    schema = steps.get(name).settings_schema()
    assert schema.load({**settings, "date": "2028-02-29"})["date"] == "2028-02-29"
    for bad in ("2026-02-30", "08/03/2026", "soon"):
        with pytest.raises(ValidationError) as info:
            schema.load({**settings, "date": bad})
        assert info.value.messages == {"date": ["Use a date like 2026-03-08."]}


@pytest.mark.parametrize(
    ("name", "settings", "example"),
    [
        ("wait_until", {"mode": "time_of_day"}, "09:00"),
        ("schedule_trigger", {"repeat": "daily"}, "11:00"),
        ("relative_date_trigger", {"anchor": "attribute", "attribute": "birthday"}, "11:00"),
    ],
)
def test_a_time_setting_is_a_24_hour_time_to_the_minute(name, settings, example):
    # One pattern (schemas.fields.time_of_day) for every time of day; the message's example is the step's own.
    schema = steps.get(name).settings_schema()
    assert schema.load({**settings, "time": "23:59"})["time"] == "23:59"
    for bad in ("24:00", "9:00", "09:60", "09:00:00"):
        with pytest.raises(ValidationError) as info:
            schema.load({**settings, "time": bad})
        assert info.value.messages == {"time": [f"Use a time like {example} (24-hour)."]}


def test_wait_until_date_in_the_past_moves_on(kit):
    c = kit.customer()
    past = kit.execute("wait_until", {"mode": "date", "date": "2026-03-01", "time": "10:00"}, [c])
    assert past.outcomes == [Move("next", reason="time_passed")]
    future = kit.execute("wait_until", {"mode": "date", "date": "2026-03-10", "time": "10:00"}, [c])
    assert future.outcomes[0].until == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


# --- condition extensions ---


def test_condition_events_in_a_window_with_a_minimum_count(kit):
    settings = {"kind": "event", "event": "purchase", "window": "last_days", "days": 30, "min_count": 2}
    often, once, long_ago = kit.customer(), kit.customer(), kit.customer()
    for days in (1, 10):
        kit.event(often, "purchase", NOW - timedelta(days=days))
    kit.event(once, "purchase", NOW - timedelta(days=2))
    kit.event(long_ago, "purchase", NOW - timedelta(days=40))
    kit.event(long_ago, "purchase", NOW - timedelta(days=3))
    assert handles(kit.execute("condition", settings, [often, once, long_ago])) == ["yes", "no", "no"]


def test_condition_since_entry_ignores_earlier_events_and_the_enrolling_one(kit):
    c, d = kit.customer(), kit.customer()
    kit.event(c, "purchase", NOW - timedelta(hours=1))
    enrolling = kit.event(d, "purchase", NOW)
    kit.event(d, "purchase", NOW + timedelta(minutes=5))
    kit.now = NOW + timedelta(hours=1)
    items = [kit.item(c, entered_at=NOW), kit.item(d, entered_at=NOW, trigger_event_id=enrolling)]
    assert handles(kit.execute("condition", {"kind": "event", "event": "purchase"}, items)) == ["no", "yes"]


def test_condition_on_engagement_with_an_earlier_message(kit):
    # In the kit an item's enrollment id is its customer id; each customer got one email from step "mail".
    people = [kit.customer() for _ in range(3)]
    for c in people:
        kit.session.add(Enrollment(id=c, journey_id=1, version_id=1, customer_id=c, current_node="n"))
    messages = [
        Message(
            idempotency_key=f"k{c}",
            enrollment_id=c,
            customer_id=c,
            node_id="mail",
            channel="email",
            to_address="x",
            status=status,
            created_at=NOW,
        )
        for c, status in zip(people, ["sent", "sent", "failed"], strict=True)
    ]
    kit.session.add_all(messages)
    kit.session.flush()
    # The message event log: human opens and clicks; a machine open (a mail scanner) is not engagement.
    opened = [(messages[0], "opened", None), (messages[1], "opened", {}), (messages[1], "clicked", {"url": "/a"})]
    opened.append((messages[2], "opened", {"machine": True}))
    kit.session.add_all(
        MessageEvent(message_id=m.id, customer_id=m.customer_id, kind=kind, at=NOW, detail=detail)
        for m, kind, detail in opened
    )
    kit.session.flush()

    def check(engagement):
        return handles(kit.execute("condition", {"kind": "message", "step": "mail", "engagement": engagement}, people))

    assert check("delivered") == ["yes", "yes", "no"]
    assert check("opened") == ["yes", "yes", "no"]
    assert check("clicked") == ["no", "yes", "no"]
    assert check("not_opened") == ["no", "no", "yes"]
    assert check("not_clicked") == ["yes", "no", "yes"]


@pytest.mark.parametrize("name", ["event_trigger", "goal"])
def test_an_event_trigger_and_a_goal_take_the_same_events(name):
    # Both match with audience.matching.event_matches: the event's name, then every property filter.
    step = steps.get(name)
    settings = {"event": "purchase", "filters": [{"property": "order.total", "op": "gte", "value": 1000}]}
    assert step.accepts(settings, "purchase", {"order": {"total": "1280"}})
    assert not step.accepts(settings, "purchase", {"order": {"total": 999}})
    assert not step.accepts(settings, "purchase", {})  # a missing property never matches
    assert not step.accepts(settings, "refund", {"order": {"total": 1280}})
    assert step.accepts({"event": "purchase", "filters": []}, "purchase", {})
    assert step.accepts({"event": "purchase"}, "purchase", {})
