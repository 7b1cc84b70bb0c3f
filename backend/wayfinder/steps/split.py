"""Multi-way split by an attribute's value: one branch per list of values (women / men), and a mandatory
default branch for everyone else (the attribute missing included)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from wayfinder.audience.matching import OPERATORS, lookup
from wayfinder.steps.base import Move, Output, StepType
from wayfinder.steps.random_split import BRANCH_ID, branches_of
from wayfinder.steps.registry import register

DEFAULT = "default"


class ValueBranchSchema(Schema):
    id = fields.String(required=True, validate=BRANCH_ID)
    label = fields.String(load_default="", validate=validate.Length(max=60))
    values = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1, max=50))


class SplitSettings(Schema):
    attribute = fields.String(required=True, validate=validate.Length(min=1, max=128))
    branches = fields.List(fields.Nested(ValueBranchSchema), required=True, validate=validate.Length(min=1, max=9))


@register
class SplitStep(StepType):
    name = "split"
    group = "flow"
    handles = (Output(DEFAULT, tone="neutral"),)
    defaults = {"attribute": "", "branches": [{"id": "branch_1", "label": "", "values": [""]}]}
    settings_schema = SplitSettings

    def outputs(self, settings):
        branches = [Output(str(b["id"]), tone="branch", label=b.get("label") or None) for b in branches_of(settings)]
        return [*branches, Output(DEFAULT, tone="neutral")]

    def outputs_manifest(self):
        return {
            "from_setting": "branches",
            "id": "id",
            "label": "label",
            "tone": "branch",
            "then": [Output(DEFAULT, tone="neutral").as_dict()],
        }

    def check(self, settings):
        ids = [b["id"] for b in settings["branches"]]
        if DEFAULT in ids:
            return [("branches", "reserved_branch", "'default' is the name of the branch for everyone else")]
        if len(set(ids)) != len(ids):
            return [("branches", "duplicate_branch", "Two branches share a name")]
        return []

    def execute(self, ctx, node, items):
        settings = node["data"]["settings"]
        eq = OPERATORS["eq"]
        outcomes = []
        for item in items:
            value = lookup(ctx.customer_data(item.customer_id), settings["attribute"])
            branch = next((b["id"] for b in settings["branches"] if any(eq(value, v) for v in b["values"])), None)
            outcomes.append(Move(branch) if branch else Move(DEFAULT, reason="default_branch"))
        return outcomes
