"""Comparison operators shared by trigger filters and attribute conditions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, validate

_MISSING = object()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """Numbers compare as numbers (so "10" > 9), everything else as text; a missing value never matches."""

    def op(actual: Any, expected: Any) -> bool:
        if actual is _MISSING or actual is None:
            return False
        a, e = _number(actual), _number(expected)
        if a is not None and e is not None:
            return compare(a, e)
        return compare(str(actual), str(expected))

    return op


def _eq(actual: Any, expected: Any) -> bool:
    if actual is _MISSING:
        return False
    a, e = _number(actual), _number(expected)
    if a is not None and e is not None:
        return a == e
    return str(actual).casefold() == str(expected).casefold() if isinstance(actual, str) else actual == expected


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _eq,
    "neq": lambda a, e: a is not _MISSING and not _eq(a, e),
    "contains": lambda a, e: a is not _MISSING and a is not None and str(e).casefold() in str(a).casefold(),
    "gt": _ordered(lambda a, e: a > e),
    "gte": _ordered(lambda a, e: a >= e),
    "lt": _ordered(lambda a, e: a < e),
    "lte": _ordered(lambda a, e: a <= e),
    "exists": lambda a, e: a is not _MISSING and a is not None and a != "",
}


def lookup(data: dict[str, Any], path: str) -> Any:
    """`data["a"]["b"]` for the path "a.b"; `_MISSING` when any part is absent."""
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current


def matches(data: dict[str, Any], path: str, op: str, value: Any) -> bool:
    return OPERATORS[op](lookup(data, path), value)


def matches_all(properties: dict[str, Any], filters: list[dict[str, Any]] | None) -> bool:
    """Whether every property filter (`property`, `op`, `value`) holds for an event's properties; none: True."""
    return all(matches(properties, f["property"], f["op"], f.get("value")) for f in filters or [])


def event_matches(settings: dict[str, Any], event_name: str, properties: dict[str, Any]) -> bool:
    """Whether settings naming an `event` with property `filters` (an event trigger's, a goal's) take this event."""
    return settings.get("event") == event_name and matches_all(properties, settings.get("filters"))


class FilterSchema(Schema):
    property = fields.String(required=True, validate=validate.Length(min=1, max=128))
    op = fields.String(required=True, validate=validate.OneOf(list(OPERATORS)))
    value = fields.Raw(load_default=None, allow_none=True)
