"""Random split (A/B/n): 2–10 branches with percentages summing to 100.

The branch is a hash of (the split's seed, customer, node), so the same customer always takes the same branch
of the same split, in this journey run and the next; the choice is also kept in the step's state for the
enrollment. The seed is drawn by the backend when the split is first saved and kept across versions, so two
journeys' splits (the editor names the first split of every journey `random-split-1`) assign independently.
A split already published without a seed (before seeds existed) keeps hashing (customer, node) in every later
version, so a live test is never reshuffled.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from marshmallow import Schema, fields, validate

from wayfinder.steps.base import Move, Output, StepType
from wayfinder.steps.registry import register

BRANCH_ID = validate.Regexp(r"^[A-Za-z0-9_\-]{1,32}$", error="Use 1-32 letters, digits, '_' or '-'.")


class BranchSchema(Schema):
    id = fields.String(required=True, validate=BRANCH_ID)
    label = fields.String(load_default="", validate=validate.Length(max=60))
    percent = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))


SEED = validate.Regexp(r"^[A-Za-z0-9_\-]{1,64}$", error="Use 1-64 letters, digits, '_' or '-'.")


class RandomSplitSettings(Schema):
    branches = fields.List(fields.Nested(BranchSchema), required=True, validate=validate.Length(min=2, max=10))
    # Filled by the backend (see the module docstring); null only for splits published before seeds existed.
    seed = fields.String(allow_none=True, load_default=None, validate=SEED)


def bucket(customer_id: int, node_id: str, seed: str | None = None) -> float:
    """A stable, uniform number in [0, 100) for this customer at this split."""
    key = f"{seed}:{customer_id}:{node_id}" if seed else f"{customer_id}:{node_id}"
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100


def new_seed() -> str:
    return secrets.token_hex(8)


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

    def on_save(self, settings, draft, frozen):
        if settings.get("seed"):
            return settings
        seed = next((s["seed"] for s in [draft or {}, *frozen] if s.get("seed")), None)
        if seed is None and frozen:
            return settings  # published before seeds existed: keeps its assignment
        return {**settings, "seed": seed or new_seed()}

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
        seed = node["data"]["settings"].get("seed")
        outcomes = []
        for item in items:
            state = item.state(node["id"])
            if "branch" not in state:
                point, edge = bucket(item.customer_id, node["id"], seed), 0.0
                state["branch"] = branches[-1]["id"]
                for branch in branches:
                    edge += branch["percent"]
                    if point < edge:
                        state["branch"] = branch["id"]
                        break
            outcomes.append(Move(state["branch"]))
        return outcomes
