"""Add tag, remove tag and update attribute: their settings (field-level messages) and what each asks the
engine to write, on the step harness (fixed now, SQLite, no Redis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from tests.stepkit import StepKit
from wayfinder import steps
from wayfinder.steps.base import SetAttributes, TagChange

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
def kit():
    kit = StepKit(NOW)
    yield kit
    kit.close()


def load(step_type: str, settings: dict) -> dict:
    return steps.get(step_type).settings_schema().load(settings)


def errors(step_type: str, settings: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        load(step_type, settings)
    return caught.value.messages


# --- settings ---


def test_add_tag_settings_defaults_and_field_messages():
    assert load("add_tag", {"tag": "油性肌"}) == {
        "tag": "油性肌",
        "weight_by": "fixed",
        "amount": 1,
        "filters": [],
        "days": 30,
    }
    assert set(errors("add_tag", {"tag": ""})) == {"tag"}
    assert set(errors("add_tag", {"tag": "two\nlines"})) == {"tag"}
    assert set(errors("add_tag", {"tag": "x" * 129})) == {"tag"}
    assert set(errors("add_tag", {"tag": "vip", "amount": 0})) == {"amount"}
    assert set(errors("add_tag", {"tag": "vip", "amount": 1.5})) == {"amount"}  # whole weights only
    assert set(errors("add_tag", {"tag": "vip", "weight_by": "sometimes"})) == {"weight_by"}
    assert errors("add_tag", {"tag": "vip", "weight_by": "events"}) == {"event": ["Missing data for required field."]}
    assert errors("add_tag", {"tag": "vip", "weight_by": "events", "event": " "}) == {
        "event": ["Missing data for required field."]
    }
    # A step as the palette drops it (the defaults carry `event: ""`) needs only its tag.
    assert load("add_tag", {**steps.get("add_tag").defaults, "tag": "vip"})["tag"] == "vip"
    assert set(errors("add_tag", {"tag": "vip", "weight_by": "events", "event": "purchase", "days": 0})) == {"days"}
    too_many = [{"property": "sku", "op": "eq", "value": i} for i in range(21)]
    assert set(errors("add_tag", {"tag": "vip", "weight_by": "events", "event": "p", "filters": too_many})) == {
        "filters"
    }


def test_remove_tag_settings():
    assert load("remove_tag", {"tag": "vip"}) == {"tag": "vip"}
    assert set(errors("remove_tag", {})) == {"tag"}
    assert set(errors("remove_tag", {"tag": ""})) == {"tag"}


def test_update_attribute_settings_per_operation():
    assert load("update_attribute", {"attribute": "tier", "value": "gold"})["operation"] == "set"
    assert load("update_attribute", {"attribute": "points", "operation": "increment", "amount": -5})["amount"] == -5
    assert load("update_attribute", {"attribute": "coupon", "operation": "clear"})["operation"] == "clear"
    assert set(errors("update_attribute", {"attribute": "tier"})) == {"value"}  # set needs a value
    assert set(errors("update_attribute", {"attribute": "tier", "value": ""})) == {"value"}
    assert set(errors("update_attribute", {"attribute": "tier", "value": {"a": 1}})) == {"value"}
    assert set(errors("update_attribute", {"attribute": "tier", "value": "x" * 1001})) == {"value"}
    assert set(errors("update_attribute", {"attribute": "a.b", "value": 1})) == {"attribute"}
    assert set(errors("update_attribute", {"attribute": "email", "value": "x@example.com"})) == {"attribute"}
    assert set(errors("update_attribute", {"attribute": "n", "operation": "increment", "amount": "lots"})) == {"amount"}
    assert set(errors("update_attribute", {"attribute": "n", "operation": "bump"})) == {"operation"}


def test_condition_and_audience_take_tag_conditions():
    assert load("condition", {"kind": "tag", "tag": "vip", "min_weight": 3})["min_weight"] == 3
    assert set(errors("condition", {"kind": "tag"})) == {"tag"}
    assert set(errors("condition", {"kind": "tag", "tag": "vip", "min_weight": -1})) == {"min_weight"}
    audience = {"conditions": [{"kind": "tag", "tag": "vip", "min_weight": 2, "negate": True}]}
    loaded = load("manual_trigger", {"audience": audience})["audience"]["conditions"][0]
    assert (loaded["tag"], loaded["min_weight"], loaded["negate"]) == ("vip", 2, True)
    assert "tag" in str(errors("manual_trigger", {"audience": {"conditions": [{"kind": "tag"}]}}))


# --- execution ---


def test_add_tag_by_a_fixed_amount_records_it(kit):
    a, b = kit.customer(), kit.customer()
    run = kit.execute("add_tag", {"tag": "opened reminder", "amount": 2}, [a, b])
    assert run.effects.tags == [
        TagChange(a, "opened reminder", 2, journey_id=1),
        TagChange(b, "opened reminder", 2, journey_id=1),
    ]
    assert [(o.handle, o.reason) for o in run.outcomes] == [("next", "tag:opened reminder+2")] * 2


def test_add_tag_by_events_in_a_window_sets_the_weight_to_their_count(kit):
    often, once, stale, never = (kit.customer() for _ in range(4))
    for days in (1, 5, 29):
        kit.event(often, "purchase", NOW - timedelta(days=days), sku="cleanser")
    kit.event(often, "purchase", NOW - timedelta(days=2), sku="lipstick")  # filtered out
    kit.event(once, "purchase", NOW - timedelta(hours=3), sku="blotting paper")
    kit.event(stale, "purchase", NOW - timedelta(days=31), sku="cleanser")  # outside the window
    kit.event(never, "page_view", NOW - timedelta(days=1), sku="cleanser")
    settings = {
        "tag": "oily skin",
        "weight_by": "events",
        "event": "purchase",
        "days": 30,
        "filters": [{"property": "sku", "op": "neq", "value": "lipstick"}],
    }
    run = kit.execute("add_tag", settings, [often, once, stale, never])
    assert run.effects.tags == [
        TagChange(often, "oily skin", 3, journey_id=1, replace=True),
        TagChange(once, "oily skin", 1, journey_id=1, replace=True),
    ]
    assert [o.reason for o in run.outcomes] == [
        "tag:oily skin=3",
        "tag:oily skin=1",
        "tag:oily skin:no_events",
        "tag:oily skin:no_events",
    ]
    # Without filters the count is made in SQL: the same answer.
    unfiltered = kit.execute("add_tag", {**settings, "filters": []}, [often, once, stale])
    assert [t.weight for t in unfiltered.effects.tags] == [4, 1]


def test_remove_tag_and_update_attribute(kit):
    c = kit.customer({"points": 3})
    removed = kit.execute("remove_tag", {"tag": "vip"}, [c])
    assert removed.effects.tags == [TagChange(c, "vip", None, journey_id=1)]
    assert removed.outcomes[0].reason == "untag:vip"
    cases = [
        ({"attribute": "tier", "value": "金卡"}, SetAttributes(c, {"tier": "金卡"}), 'attribute:tier="金卡"'),
        (
            {"attribute": "points", "operation": "increment", "amount": 2},
            SetAttributes(c, {}, {"points": 2}),
            "attribute:points+2",
        ),
        (
            {"attribute": "points", "operation": "increment", "amount": -0.5},
            SetAttributes(c, {}, {"points": -0.5}),
            "attribute:points-0.5",
        ),
        ({"attribute": "coupon", "operation": "clear"}, SetAttributes(c, {"coupon": None}), "attribute:coupon:cleared"),
    ]
    for settings, effect, why in cases:
        run = kit.execute("update_attribute", settings, [c])
        assert run.effects.attributes == [effect]
        assert run.outcomes[0].reason == why


def test_a_long_value_is_cut_to_the_history_reason_limit(kit):
    c = kit.customer()
    run = kit.execute("update_attribute", {"attribute": "note", "value": "標" * 1000}, [c])
    assert run.outcomes[0].reason == 'attribute:note="' + "標" * 124
    assert run.effects.attributes == [SetAttributes(c, {"note": "標" * 1000})]  # the value itself is whole


def test_tag_trigger_takes_its_tag_events():
    trigger = steps.get("tag_trigger")
    added = load("tag_trigger", {"tag": "vip"})
    third = load("tag_trigger", {"tag": "vip", "min_weight": 3})
    removed = load("tag_trigger", {"tag": "vip", "change": "removed"})
    assert trigger.trigger_keys(added) == ["event:tag_added"] and trigger.trigger_keys(removed) == ["event:tag_removed"]
    new = {"tag": "vip", "weight": 1, "previous_weight": None}
    again = {"tag": "vip", "weight": 2, "previous_weight": 1}
    jump = {"tag": "vip", "weight": 5, "previous_weight": 2}
    assert trigger.accepts(added, "tag_added", new) and not trigger.accepts(added, "tag_added", again)
    assert not trigger.accepts(added, "tag_added", {**new, "tag": "other"})
    assert not trigger.accepts(third, "tag_added", again) and trigger.accepts(third, "tag_added", jump)
    assert not trigger.accepts(third, "tag_added", {"tag": "vip", "weight": 6, "previous_weight": 5})
    assert trigger.accepts(removed, "tag_removed", {"tag": "vip", "previous_weight": 4})
    assert not trigger.accepts(removed, "tag_added", new)
    assert set(errors("tag_trigger", {"tag": "vip", "change": "removed", "min_weight": 2})) == {"min_weight"}
    assert set(errors("tag_trigger", {"tag": "vip", "min_weight": 0})) == {"min_weight"}
