"""Bounded fields shared by the API schemas: every free-text value and every free-form object has a size.

What a client sends ends up in SQLite or PostgreSQL, so anything a database refuses is refused here first, as a
400 with a field message, instead of surfacing as a driver error (a 500): NUL characters (PostgreSQL text and
jsonb cannot hold them), lone surrogates (not encodable as UTF-8), integers beyond 64 bits (OverflowError in
both drivers) and numbers a JSON column cannot store (NaN and infinities are refused by the JSON parser).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

INT64_MAX = 2**63 - 1
#: Journey ids, revisions, LIMIT/OFFSET values are 32-bit INTEGERs in PostgreSQL; beyond that the driver fails.
INT32_MAX = 2**31 - 1
#: An offset that fits the database's INTEGER.
ID_RANGE = validate.Range(min=0, max=INT32_MAX)
#: Text a database can store: no NUL character (documented as the spec's `pattern`, so clients can know).
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Must not contain NUL characters.")

#: Largest free-form JSON object (event properties, customer attributes, a step's settings), serialised.
MAX_OBJECT_BYTES = 64 * 1024
#: Deepest nesting allowed inside such an object.
MAX_OBJECT_DEPTH = 16
#: Longest string inside such an object.
MAX_STRING = 10_000


#: Every character Python's `str.splitlines` (and so the email package, which refuses such a header) takes for
#: a line break.
LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: One line of text (an email header: sender name, address, subject): a line break would be a header injection.
ONE_LINE = validate.Regexp(rf"^[^{LINE_BREAKS}]*\Z", error="Must be on one line (no line breaks).")

#: A local time of day to the minute, 24-hour: "09:00".
TIME_OF_DAY = r"([01]\d|2[0-3]):[0-5]\d"
#: A local date and time to the minute, without a zone (the journey's time zone applies): "2026-03-08T09:00".
LOCAL_DATETIME = rf"^\d{{4}}-\d{{2}}-\d{{2}}T{TIME_OF_DAY}$"
#: Weekday names, Monday first: a name's index is its `datetime.weekday()` (and dateutil's weekday number).
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def time_of_day(example: str = "09:00") -> validate.Regexp:
    """A validator of a local time of day like `example` (24-hour, to the minute); its message shows `example`."""
    return validate.Regexp(rf"^{TIME_OF_DAY}$", error=f"Use a time like {example} (24-hour).")


def check_local_datetime(value: str) -> None:
    """Refuses anything but a local date and time like 2026-03-08T09:00 that exists on the calendar."""
    try:
        validate.Regexp(LOCAL_DATETIME)(value)
        datetime.fromisoformat(value)
    except (ValidationError, ValueError) as exc:
        raise ValidationError("Use a date and time like 2026-03-08T09:00.") from exc


def example(value: object) -> dict[str, Any]:
    """A field's example in the API docs: `Text(max_length=128, **example("amy"))`."""
    return {"metadata": {"example": value}}


def check_date(value: str) -> None:
    """Refuses anything but a date that exists on the calendar, like 2026-03-08 (kept as text in a graph)."""
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError("Use a date like 2026-03-08.") from exc


def check_no_nul(value: str) -> None:
    """NO_NUL without a regular expression (for fields that document a pattern of their own)."""
    if "\x00" in value:
        raise ValidationError("Must not contain NUL characters.")


def check_text(value: str) -> None:
    """Refuses what no database column can store (NUL, unpaired surrogates)."""
    check_no_nul(value)
    check_unicode(value)


def check_unicode(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must be valid Unicode text (no lone surrogates).") from None


def text_checks(max_length: int, min_length: int | None = None, validators: Any = None) -> list[Any]:
    """The validators of a bounded text: its length, storable (no NUL, valid Unicode), then `validators`.

    The API docs show one regular expression per field (apispec documents the first as the field's `pattern`
    and warns about the others): NO_NUL is that pattern when the field has no expression of its own; a field
    with one (an id, a time of day, one line) documents its own and NUL is refused by a plain check instead.
    """
    extra = list(validators) if isinstance(validators, list | tuple) else [validators] if validators else []
    own_pattern = any(isinstance(getattr(v, "regex", None), re.Pattern) for v in extra)
    return [
        validate.Length(min=min_length, max=max_length),
        check_no_nul if own_pattern else NO_NUL,
        check_unicode,
        *extra,
    ]


class Text(fields.String):
    """A string with a required maximum length that databases can store."""

    def __init__(self, *, max_length: int, min_length: int | None = None, **kwargs: Any) -> None:
        checks = text_checks(max_length, min_length, kwargs.pop("validate", None))
        # Without an example, Swagger UI makes one up from NO_NUL's pattern: a string of random symbols.
        kwargs["metadata"] = {"example": "string", **(kwargs.get("metadata") or {})}
        super().__init__(validate=checks, **kwargs)


class Integer32(fields.Integer):
    """An integer that fits a 32-bit INTEGER column (beyond it: a 400, not a driver error)."""

    def __init__(self, *, min_value: int = -INT32_MAX - 1, **kwargs: Any) -> None:
        validators = kwargs.pop("validate", None)
        extra = validators if isinstance(validators, list) else [validators] if validators else []
        super().__init__(validate=[validate.Range(min=min_value, max=INT32_MAX), *extra], **kwargs)


def _check_value(value: Any, depth: int, path: str) -> None:
    """Walks a decoded JSON value without recursion limits of its own (depth is bounded first)."""
    stack = [(value, depth, path)]
    while stack:
        item, level, where = stack.pop()
        if level > MAX_OBJECT_DEPTH:
            raise ValidationError(f"Nested deeper than {MAX_OBJECT_DEPTH} levels (at {where or 'the top'}).")
        if isinstance(item, str):
            if len(item) > MAX_STRING:
                raise ValidationError(f"A text value is longer than {MAX_STRING} characters (at {where}).")
            check_text(item)
        elif isinstance(item, bool) or item is None or isinstance(item, float):
            continue
        elif isinstance(item, int):
            if not -(2**63) <= item <= INT64_MAX:
                raise ValidationError(f"A number is beyond 64 bits (at {where}).")
        elif isinstance(item, dict):
            for key, sub in item.items():
                if not isinstance(key, str):
                    raise ValidationError("Keys must be strings.")
                check_text(key)
                stack.append((sub, level + 1, f"{where}.{key}" if where else key))
        elif isinstance(item, list):
            stack.extend((sub, level + 1, f"{where}[{i}]") for i, sub in enumerate(item))
        else:
            raise ValidationError("Not a JSON value.")


class JSONObject(fields.Dict):
    """A free-form JSON object bounded in serialised size, depth and text (keys up to 128 characters)."""

    def __init__(self, *, max_bytes: int = MAX_OBJECT_BYTES, **kwargs: Any) -> None:
        self.max_bytes = max_bytes
        kwargs.setdefault("metadata", {})
        kwargs["metadata"] = {
            "description": f"A JSON object of at most {max_bytes} bytes, nested at most {MAX_OBJECT_DEPTH} levels.",
            **kwargs["metadata"],
        }
        super().__init__(keys=fields.String(validate=validate.Length(min=1, max=128)), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict:
        loaded = super()._deserialize(value, attr, data, **kwargs)
        _check_value(loaded, 1, "")
        size = len(json.dumps(loaded, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        if size > self.max_bytes:
            raise ValidationError(f"Too large: {size} bytes; at most {self.max_bytes} bytes are accepted.")
        return loaded
