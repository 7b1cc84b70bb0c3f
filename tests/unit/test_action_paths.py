"""Action paths: settings (field-level messages and bounds), outputs by path id, publish-time checks, and the
executor on the step harness (the waits it asks for, the path a waking event takes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from tests.stepkit import StepKit
from wayfinder import steps
from wayfinder.journeys.graph import validate_graph
from wayfinder.steps.base import EventWait, Move, Wait

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
STEP = steps.get("action_paths")


def path(pid: str, label: str, event: str = "coupon_reply", answer: str | None = None, **kw) -> dict:
    filters = [{"property": "answer", "op": "eq", "value": answer}] if answer else []
    return {"id": pid, "label": label, "event": event, "filters": filters, **kw}


def settings(*paths: dict, amount: int = 2, unit: str = "days") -> dict:
    return {"paths": list(paths), "timeout_amount": amount, "timeout_unit": unit}


COUPON = settings(
    path("yes", "接受", answer="accept", same_as_trigger=["coupon_id"]),
    path("no", "婉拒", answer="decline", same_as_trigger=["coupon_id"]),
    path("any", "Any reply"),
)


def load_errors(data: dict) -> dict:
    with pytest.raises(ValidationError) as exc:
        STEP.settings_schema().load(data)
    return exc.value.messages


@pytest.fixture
def kit():
    kit = StepKit(NOW)
    yield kit
    kit.close()


def test_outputs_are_the_path_ids_in_order_then_timed_out_and_survive_renaming_and_reordering():
    assert [(o.id, o.label, o.tone) for o in STEP.outputs(COUPON)] == [
        ("yes", "接受", "branch"),
        ("no", "婉拒", "branch"),
        ("any", "Any reply", "branch"),
        ("timed_out", None, "timeout"),
    ]
    renamed = settings(path("no", "Decline"), path("yes", "Accept"))
    assert STEP.output_ids(renamed) == ["no", "yes", "timed_out"]
    assert STEP.outputs_manifest()["from_setting"] == "paths"
    assert STEP.outputs_manifest()["then"] == [{"id": "timed_out", "required": True, "tone": "timeout", "label": None}]


def test_settings_bounds_and_field_level_messages():
    assert STEP.settings_schema().load(COUPON)["paths"][2]["same_as_trigger"] == []
    assert set(load_errors({"paths": [path("a", "A")]})) == {"timeout_amount", "timeout_unit"}
    assert load_errors(settings())["paths"] == ["Use 1 to 8 paths"]
    assert load_errors(settings(*[path(f"p{i}", f"P{i}") for i in range(9)]))["paths"] == ["Use 1 to 8 paths"]
    assert STEP.settings_schema().load(settings(*[path(f"p{i}", f"P{i}") for i in range(8)]))
    errors = load_errors(settings(path("a", "x" * 61), path("b", "  "), path("c", "C", event=""), path("bad id", "D")))
    assert errors["paths"][0] == {"label": ["Give the path a name of 1 to 60 characters"]}
    assert errors["paths"][1] == {"label": ["Give the path a name of 1 to 60 characters"]}
    assert errors["paths"][2] == {"event": ["Choose the event this path waits for"]}
    assert list(errors["paths"][3]) == ["id"]
    assert STEP.settings_schema().load(settings(path("a", "x" * 60)))
    assert "timeout_amount" in load_errors({**COUPON, "timeout_amount": 0})


def test_checks_distinct_names_and_ids_and_the_reserved_timeout_output():
    def codes(data):
        return [(f, c) for f, c, _m in STEP.check(STEP.settings_schema().load(data))]

    assert codes(COUPON) == []
    assert codes(settings(path("a", "接受"), path("b", " 接受 "))) == [("paths.1.label", "duplicate_path_name")]
    assert codes(settings(path("a", "Yes"), path("b", "yes"))) == [("paths.1.label", "duplicate_path_name")]
    assert codes(settings(path("a", "A"), path("a", "B"))) == [("paths", "duplicate_path")]
    assert codes(settings(path("timed_out", "A"))) == [("paths", "reserved_path")]


def node(node_id, node_type, data):
    return {"id": node_id, "type": node_type, "position": {"x": 0, "y": 0}, "data": {"label": "", "settings": data}}


def test_publish_names_the_path_without_an_event_and_the_unconnected_path_output():
    graph = {
        "nodes": [
            node("t", "event_trigger", {"event": "coupon_sent"}),
            node("r", "action_paths", settings(path("yes", "接受", answer="accept"), path("no", "婉拒", event=""))),
            node("x1", "exit", {}),
            node("x2", "exit", {}),
        ],
        "edges": [
            {"id": "e0", "source": "t", "target": "r"},
            {"id": "e1", "source": "r", "sourceHandle": "yes", "target": "x1"},
            {"id": "e2", "source": "r", "sourceHandle": "timed_out", "target": "x2"},
        ],
        "settings": {},
    }
    problems = {(p.code, p.node_id, p.field): p.message for p in validate_graph(graph)}
    assert problems[("invalid_settings", "r", "paths.1.event")].endswith("Choose the event this path waits for")
    assert problems[("handle_unconnected", "r", "no")] == "Connect the '婉拒' output"
    assert ("handle_unconnected", "r", "yes") not in problems


def test_execute_waits_for_every_path_with_the_trigger_match_resolved(kit):
    c = kit.customer()
    sent = kit.event(c, "coupon_sent", NOW, coupon_id="K1")
    run = kit.execute("action_paths", COUPON, [kit.item(c, trigger_event_id=sent)])
    (outcome,) = run.outcomes
    assert isinstance(outcome, Wait)
    assert outcome.until == NOW + timedelta(days=2)
    assert outcome.events == (
        EventWait("coupon_reply", (("answer", "eq", "accept"), ("coupon_id", "eq", "K1"))),
        EventWait("coupon_reply", (("answer", "eq", "decline"), ("coupon_id", "eq", "K1"))),
        EventWait("coupon_reply", ()),
    )


def test_resume_takes_the_first_path_the_waking_event_meets_else_timed_out(kit):
    c = kit.customer()
    sent = kit.event(c, "coupon_sent", NOW, coupon_id="K1")
    reply = "event:coupon_reply"

    def woke(eid, props, wake=reply):
        return kit.item(c, enrollment_id=eid, trigger_event_id=sent, wake=wake, wake_event=props)

    items = [
        woke(1, {"coupon_id": "K1", "answer": "accept"}),  # matches "yes" and "any": the first wins
        woke(2, {"coupon_id": "K1", "answer": "decline"}),
        woke(3, {"coupon_id": "K2", "answer": "accept"}),  # another coupon: only "any" (not keyed) takes it
        woke(4, None, wake="time"),
    ]
    run = kit.resume("action_paths", COUPON, items)
    assert run.outcomes == [
        Move("yes", reason=reply),
        Move("no", reason=reply),
        Move("any", reason=reply),
        Move("timed_out", reason="timed_out"),
    ]
    # Reordered by the marketer: the catch-all first takes every reply.
    reordered = {**COUPON, "paths": [COUPON["paths"][2], *COUPON["paths"][:2]]}
    assert kit.resume("action_paths", reordered, items[:2]).outcomes == [Move("any", reason=reply)] * 2
