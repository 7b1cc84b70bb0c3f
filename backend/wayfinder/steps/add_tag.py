"""Add a tag to the customer, with a weight (標籤濃度):

* `weight_by: fixed` — add `amount` (default 1) to the tag's weight; a customer without the tag gets it with
  weight `amount`. Each visit adds again ("opened the reminder" twice: weight 2).
* `weight_by: events` — the weight becomes the number of the customer's `event`s (matching `filters`) in the
  last `days` days. It is set, not added: a daily scan (S5, "the more oil-control purchases, the higher the
  weight") would otherwise count the same purchase every day. A customer with no such event is left as they are.

The change is written with the batch's other effects (`engine/effects.py`, in bulk); the step history row
leaving the step says what was done (`tag:<name>+<n>`, `tag:<name>=<n>` or `tag:<name>:no_events`).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import func, select

from wayfinder.audience.matching import FilterSchema, matches_all
from wayfinder.db_utils import chunked, one_of
from wayfinder.models import Event
from wayfinder.schemas.fields import ONE_LINE
from wayfinder.steps.base import Move, Output, StepType, TagChange
from wayfinder.steps.registry import register

# Step history reasons are at most 140 characters.
REASON_LIMIT = 140
TAG_NAME = [validate.Length(min=1, max=128), ONE_LINE]


def reason(text: str) -> str:
    return text[:REASON_LIMIT]


class AddTagSettings(Schema):
    tag = fields.String(required=True, validate=TAG_NAME)
    weight_by = fields.String(load_default="fixed", validate=validate.OneOf(["fixed", "events"]))
    amount = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=1_000_000))
    # Empty unless weighted by events (a new step's settings carry `event: ""`): required only then, below.
    event = fields.String(validate=validate.Length(max=128))
    filters = fields.List(fields.Nested(FilterSchema), load_default=list, validate=validate.Length(max=20))
    days = fields.Integer(strict=True, load_default=30, validate=validate.Range(min=1, max=3650))

    @validates_schema
    def _event_when_counting(self, data, **kwargs):
        if data.get("weight_by") == "events" and not (data.get("event") or "").strip():
            # The form shows this as "needs a value" (the wording of a required field).
            raise ValidationError({"event": ["Missing data for required field."]})


@register
class AddTagStep(StepType):
    name = "add_tag"
    group = "action"
    # Unconnected `next`: the customer's path ends once tagged.
    handles = (Output("next", required=False),)
    defaults = {"tag": "", "weight_by": "fixed", "amount": 1, "event": "", "filters": [], "days": 30}
    settings_schema = AddTagSettings

    def execute(self, ctx, node, items):
        s = node["data"]["settings"]
        tag = s["tag"]
        if s.get("weight_by") != "events":
            amount = s.get("amount") or 1
            for item in items:
                ctx.effects.add(TagChange(item.customer_id, tag, amount, journey_id=item.journey_id))
            return [Move("next", reason=reason(f"tag:{tag}+{amount}")) for _ in items]
        counts = self._event_counts(ctx, s, items)
        outcomes = []
        for item in items:
            n = counts.get(item.customer_id, 0)
            if n:
                ctx.effects.add(TagChange(item.customer_id, tag, n, journey_id=item.journey_id, replace=True))
            outcomes.append(Move("next", reason=reason(f"tag:{tag}={n}" if n else f"tag:{tag}:no_events")))
        return outcomes

    @staticmethod
    def _event_counts(ctx, s, items) -> Counter:
        """The customers' events of that name in the window: counted in SQL without filters, else read (name
        and time through the (customer, name, occurred_at) index) and filtered here; one query per 500."""
        since = ctx.now - timedelta(days=s["days"])
        filters = s.get("filters") or []
        counts: Counter = Counter()
        for chunk in chunked(sorted({item.customer_id for item in items})):
            window = (
                one_of(ctx.session, Event.customer_id, chunk),
                Event.name == s["event"],
                Event.occurred_at >= since,
                Event.occurred_at <= ctx.now,
            )
            if not filters:
                counts.update(
                    dict(
                        ctx.session.execute(
                            select(Event.customer_id, func.count()).where(*window).group_by(Event.customer_id)
                        ).all()
                    )
                )
                continue
            for customer_id, properties in ctx.session.execute(
                select(Event.customer_id, Event.properties).where(*window)
            ):
                if matches_all(properties or {}, filters):
                    counts[customer_id] += 1
        return counts
