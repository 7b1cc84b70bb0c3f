"""Action paths: wait for the first of up to 8 events, one output per path, plus `timed_out` (S6: a coupon reply
with accept / decline / no reply, in one step).

Each path has a name the marketer types, a stable id (its output handle, which survives renaming and
reordering, as a split's branches), an event with optional property filters and optional `same_as_trigger`
properties, as a wait for an event has. The customer waits in the same wait index, one row per path, and the
same router wakes them (`engine/enrol.py`): the earliest matching event wins. An event that matches several
paths takes the first of them in the marketer's order.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wayfinder.audience.matching import FilterSchema
from wayfinder.steps.base import WAKE_EVENT_PREFIX, Move, Output, StepType, Wait, first_match
from wayfinder.steps.random_split import BRANCH_ID
from wayfinder.steps.registry import register
from wayfinder.steps.wait import UNITS
from wayfinder.steps.wait_for_event import awaited, timeout_until

TIMED_OUT = "timed_out"
MAX_PATHS = 8
NAME_MAX = 60


class PathSchema(Schema):
    id = fields.String(required=True, validate=BRANCH_ID)
    label = fields.String(
        required=True,
        validate=validate.Length(min=1, max=NAME_MAX, error="Give the path a name of 1 to {max} characters"),
    )
    event = fields.String(
        required=True, validate=validate.Length(min=1, max=128, error="Choose the event this path waits for")
    )
    filters = fields.List(fields.Nested(FilterSchema), load_default=list)
    same_as_trigger = fields.List(fields.String(validate=validate.Length(min=1, max=128)), load_default=list)

    @validates_schema
    def _name_not_blank(self, data, **_kw):
        if isinstance(data.get("label"), str) and not data["label"].strip():
            raise ValidationError("Give the path a name of 1 to 60 characters", "label")


class ActionPathsSettings(Schema):
    paths = fields.List(
        fields.Nested(PathSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_PATHS, error="Use 1 to {max} paths"),
    )
    timeout_amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000))
    timeout_unit = fields.String(required=True, validate=validate.OneOf(list(UNITS)))


def paths_of(settings: dict[str, Any]) -> list[dict[str, Any]]:
    paths = settings.get("paths")
    return [p for p in paths if isinstance(p, dict) and p.get("id")] if isinstance(paths, list) else []


@register
class ActionPathsStep(StepType):
    name = "action_paths"
    group = "flow"
    handles = (Output(TIMED_OUT, tone="timeout"),)
    defaults = {
        "paths": [
            {"id": "path_1", "label": "", "event": "", "filters": [], "same_as_trigger": []},
            {"id": "path_2", "label": "", "event": "", "filters": [], "same_as_trigger": []},
        ],
        "timeout_amount": 3,
        "timeout_unit": "days",
    }
    settings_schema = ActionPathsSettings

    def outputs(self, settings):
        paths = [
            Output(str(p["id"]), tone="branch", label=str(p.get("label") or "") or None) for p in paths_of(settings)
        ]
        return [*paths, Output(TIMED_OUT, tone="timeout")]

    def outputs_manifest(self):
        return {
            "from_setting": "paths",
            "id": "id",
            "label": "label",
            "tone": "branch",
            "then": [Output(TIMED_OUT, tone="timeout").as_dict()],
        }

    def check(self, settings):
        problems = []
        paths = settings.get("paths") or []
        ids = [p["id"] for p in paths]
        if TIMED_OUT in ids:
            problems.append(("paths", "reserved_path", "'timed_out' is the name of the output for no reply"))
        if len(set(ids)) != len(ids):
            problems.append(("paths", "duplicate_path", "Two paths share an id"))
        seen: dict[str, int] = {}
        for i, p in enumerate(paths):
            name = p["label"].strip().casefold()
            if name in seen:
                problems.append(
                    (f"paths.{i}.label", "duplicate_path_name", f"Path {seen[name] + 1} already has this name")
                )
            seen.setdefault(name, i)
        return problems

    def execute(self, ctx, node, items):
        s = node["data"]["settings"]
        until = timeout_until(ctx, s)
        outcomes = []
        for item in items:
            trigger = ctx.event_properties(item)
            outcomes.append(Wait(until, events=tuple(awaited(p, trigger) for p in s["paths"])))
        return outcomes

    def resume(self, ctx, node, items):
        paths = node["data"]["settings"]["paths"]
        outcomes = []
        for item in items:
            if not item.woke_by_event:
                outcomes.append(Move(TIMED_OUT, reason="timed_out"))
                continue
            # The router woke the customer for this event: the first path (in the marketer's order) it meets.
            waits = [awaited(p, ctx.event_properties(item)) for p in paths]
            hit = first_match(waits, item.wake.removeprefix(WAKE_EVENT_PREFIX), item.wake_event or {})
            outcomes.append(
                Move(paths[hit]["id"], reason=item.wake) if hit is not None else Move(TIMED_OUT, reason="no_path")
            )
        return outcomes
