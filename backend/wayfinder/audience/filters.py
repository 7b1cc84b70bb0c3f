"""The audience filter: the one model of "which customers" for triggers (and, later, saved segments).

    {"match": "all",                      # or "any"
     "conditions": [
        {"kind": "attribute", "attribute": "city", "op": "eq", "value": "Kaohsiung"},
        {"kind": "event", "event": "purchase", "days": 30, "min_count": 2},   # did it ≥ 2 times in 30 days
        {"kind": "event", "event": "purchase", "days": 90, "min_count": 1, "negate": true},  # did not
        {"kind": "tag", "tag": "oily skin", "min_weight": 3}]}  # has the tag, with weight ≥ 3 (optional)

It compiles to one SQL condition on `customers` (`audience_condition`), so a schedule enrols a million
customers by paging through an indexed query instead of loading them; an event trigger checks the same
condition for the customers of a batch (`matching_ids`). Attribute operators mean what they mean in
`audience.matching` (text compares case-insensitively, numbers as numbers, a missing value never matches).

A `kind: group` condition nests an audience (`match`, `conditions`). Date conditions (`kind: date`) are
what a relative-date trigger adds for one firing: customers whose date
attribute (e.g. `birthday`, "1990-03-05…") falls on a given day, or on its month and day for yearly dates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import Float, and_, case, cast, exists, false, func, not_, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from wayfinder.audience.matching import OPERATORS
from wayfinder.db_utils import chunked
from wayfinder.models import Customer, CustomerTag, Event, Tag
from wayfinder.schemas.fields import ONE_LINE

KINDS = ["attribute", "event", "tag"]


class ConditionSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    attribute = fields.String(validate=validate.Length(min=1, max=128))
    op = fields.String(validate=validate.OneOf(list(OPERATORS)))
    value = fields.Raw(allow_none=True, load_default=None)
    event = fields.String(validate=validate.Length(min=1, max=128))
    days = fields.Integer(strict=True, load_default=30, validate=validate.Range(min=1, max=3650))
    min_count = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=100_000))
    tag = fields.String(validate=[validate.Length(min=1, max=128), ONE_LINE])
    # "tag X with weight ≥ N"; none: has the tag at all.
    min_weight = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=1_000_000_000))
    # "did not do it": fewer than min_count times in the window; for a tag: does not have it (with that weight).
    negate = fields.Boolean(load_default=False)

    @validates_schema
    def _kind_fields(self, data, **kwargs):
        needed = {"attribute": ("attribute", "op"), "event": ("event",), "tag": ("tag",)}.get(data.get("kind"), ())
        missing = {name: ["Missing data for required field."] for name in needed if not data.get(name)}
        if missing:
            raise ValidationError(missing)


class AudienceSchema(Schema):
    match = fields.String(load_default="all", validate=validate.OneOf(["all", "any"]))
    conditions = fields.List(fields.Nested(ConditionSchema), load_default=list, validate=validate.Length(max=50))


def _text(attribute: str):
    return Customer.attributes[tuple(attribute.split("."))].as_string()


def _number(session: Session, attribute: str):
    """The attribute as a number, NULL when it is not one (never a cast error)."""
    path = tuple(attribute.split("."))
    if session.get_bind().dialect.name == "postgresql":
        text = Customer.attributes[path].as_string()
        return case((text.op("~")(r"^\s*-?[0-9]+(\.[0-9]+)?\s*$"), cast(text, Float)), else_=None)
    # SQLite's json_extract returns numbers as numbers; text that is not numeric has no numeric value.
    raw = func.json_extract(Customer.attributes, "$." + attribute)
    numeric = or_(
        func.typeof(raw).in_(["integer", "real"]), and_(raw.op("GLOB")("*[0-9]*"), raw.op("NOT GLOB")("*[^0-9.-]*"))
    )
    return case((numeric, cast(raw, Float)), else_=None)


def _attribute(session: Session, c: dict[str, Any]) -> ColumnElement[bool]:
    op, value, text = c["op"], c.get("value"), _text(c["attribute"])
    present = and_(text.is_not(None), text != "")
    if op == "exists":
        return present
    if op in ("gt", "gte", "lt", "lte"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            compare = {"gt": text > str(value), "gte": text >= str(value), "lt": text < str(value)}
            return and_(present, compare.get(op, text <= str(value)))
        n = _number(session, c["attribute"])
        return {"gt": n > number, "gte": n >= number, "lt": n < number, "lte": n <= number}[op]
    if op == "contains":
        return func.lower(text).contains(str(value).lower(), autoescape=True)
    if isinstance(value, bool):
        equal = func.lower(text) == ("true" if value else "false")
    elif isinstance(value, int | float):
        equal = _number(session, c["attribute"]) == float(value)
    else:
        equal = func.lower(text) == str(value).lower()
    # neq: present and different (a missing attribute matches neither eq nor neq, as in audience.matching).
    return equal if op == "eq" else and_(text.is_not(None), not_(equal))


def _event(c: dict[str, Any], now: datetime) -> ColumnElement[bool]:
    since = now - timedelta(days=c["days"])
    window = and_(Event.customer_id == Customer.id, Event.name == c["event"], Event.occurred_at >= since)
    if c["min_count"] <= 1:
        did = exists(select(Event.id).where(window))
    else:  # through the (customer, name, occurred_at) index, stopping at min_count rows
        counted = select(Event.id).where(window).limit(c["min_count"]).correlate(Customer).subquery()
        did = select(func.count()).select_from(counted).scalar_subquery() >= c["min_count"]
    return not_(did) if c.get("negate") else did


def tag_condition(c: dict[str, Any]) -> ColumnElement[bool]:
    """Has the tag `tag` of the customer's own workspace (with weight ≥ `min_weight` when given); `negate`:
    does not. Through the (customer, tag) unique index."""
    weight = c.get("min_weight")
    has = exists(
        select(CustomerTag.id)
        .join(Tag, Tag.id == CustomerTag.tag_id)
        .where(
            CustomerTag.customer_id == Customer.id,
            Tag.workspace_id == Customer.workspace_id,
            Tag.name == c["tag"],
            CustomerTag.weight >= weight if weight is not None else true(),
        )
    )
    return not_(has) if c.get("negate") else has


def _date(c: dict[str, Any]) -> ColumnElement[bool]:
    """The date attribute ("YYYY-MM-DD…") falls on `on`; for yearly dates on its month and day (29 February
    counts on 28 February in years without one)."""
    text = _text(c["attribute"])
    on = date.fromisoformat(c["on"])
    if not c.get("yearly"):
        return func.substr(text, 1, 10) == on.isoformat()
    days = [on.strftime("%m-%d")]
    if on.month == 2 and on.day == 28 and (on + timedelta(days=1)).month == 3:
        days.append("02-29")
    return func.substr(text, 6, 5).in_(days)


def audience_condition(session: Session, audience: dict[str, Any] | None, now: datetime) -> ColumnElement[bool]:
    """One SQL condition on `customers` for a loaded audience (None or no conditions: everyone)."""
    conditions = (audience or {}).get("conditions") or []
    if not conditions:
        return true()
    parts = []
    for c in conditions:
        if c["kind"] == "attribute":
            parts.append(_attribute(session, c))
        elif c["kind"] == "event":
            parts.append(_event(c, now))
        elif c["kind"] == "tag":
            parts.append(tag_condition(c))
        elif c["kind"] == "date":
            parts.append(_date(c))
        elif c["kind"] == "group":  # a nested audience (a trigger's own, inside a firing's conditions)
            parts.append(audience_condition(session, c, now))
        else:
            parts.append(false())
    return or_(*parts) if (audience or {}).get("match") == "any" else and_(*parts)


def matching_ids(session: Session, audience: dict[str, Any] | None, customer_ids: list[int], now: datetime) -> set[int]:
    """Which of these customers are in the audience (one query per chunk)."""
    if not (audience or {}).get("conditions"):
        return set(customer_ids)
    condition = audience_condition(session, audience, now)
    found: set[int] = set()
    for chunk in chunked(sorted(set(customer_ids))):
        found.update(session.scalars(select(Customer.id).where(Customer.id.in_(chunk), condition)))
    return found


def page(
    session: Session, audience: dict[str, Any] | None, after_id: int, limit: int, now: datetime, *, workspace_id: int
) -> list[int]:
    """The next `limit` customer ids of a workspace above `after_id` in the audience, in id order (keyset
    paging). An empty audience is every customer of the workspace, never of the installation."""
    query = (
        select(Customer.id)
        .where(
            Customer.workspace_id == workspace_id, Customer.id > after_id, audience_condition(session, audience, now)
        )
        .order_by(Customer.id)
        .limit(limit)
    )
    return list(session.scalars(query))
