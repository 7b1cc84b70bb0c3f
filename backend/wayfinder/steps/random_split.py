"""Random split (A/B/n): 2–10 branches with percentages summing to 100.

The branch is a hash of (customer, node), so the same customer always takes the same branch of the same
node, in this journey run and the next; the choice is also kept in the step's state for the enrollment.
"""

from __future__ import annotations

import hashlib
from typing import Any

from marshmallow import Schema, fields, validate

from wayfinder.steps.base import Move, Output, StepType
from wayfinder.steps.registry import register

BRANCH_ID = validate.Regexp(r"^[A-Za-z0-9_\-]{1,32}$", error="Use 1-32 letters, digits, '_' or '-'.")


class BranchSchema(Schema):
    id = fields.String(required=True, validate=BRANCH_ID)
    label = fields.String(load_default="", validate=validate.Length(max=60))
    percent = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))


class RandomSplitSettings(Schema):
    branches = fields.List(fields.Nested(BranchSchema), required=True, validate=validate.Length(min=2, max=10))


def bucket(customer_id: int, node_id: str) -> float:
    """A stable, uniform number in [0, 100) for this customer at this node."""
    digest = hashlib.sha256(f"{customer_id}:{node_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100


def branches_of(settings: dict[str, Any]) -> list[dict[str, Any]]:
    branches = settings.get("branches")
    return [b for b in branches if isinstance(b, dict) and b.get("id")] if isinstance(branches, list) else []


@register
class RandomSplitStep(StepType):
    name = "random_split"
    group = "flow"
    handles = ()
    defaults = {"branches": [{"id": "a", "label": "A", "percent": 50}, {"id": "b", "label": "B", "percent": 50}]}
    settings_schema = RandomSplitSettings

    def outputs(self, settings):
        return [Output(str(b["id"]), tone="branch", label=b.get("label") or None) for b in branches_of(settings)]

    def outputs_manifest(self):
        return {"from_setting": "branches", "id": "id", "label": "label", "tone": "branch", "then": []}

    def check(self, settings):
        problems = []
        ids = [b["id"] for b in settings["branches"]]
        if len(set(ids)) != len(ids):
            problems.append(("branches", "duplicate_branch", "Two branches share a name"))
        total = sum(b["percent"] for b in settings["branches"])
        if total != 100:
            problems.append(("branches", "percent_sum", f"The percentages add up to {total}, not 100"))
        return problems

    def execute(self, ctx, node, items):
        branches = node["data"]["settings"]["branches"]
        outcomes = []
        for item in items:
            state = item.state(node["id"])
            if "branch" not in state:
                point, edge = bucket(item.customer_id, node["id"]), 0.0
                state["branch"] = branches[-1]["id"]
                for branch in branches:
                    edge += branch["percent"]
                    if point < edge:
                        state["branch"] = branch["id"]
                        break
            outcomes.append(Move(state["branch"]))
        return outcomes
