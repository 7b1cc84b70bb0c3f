"""The webargs parser behind every `@blp.arguments`: the API's 400 (not webargs' 422) and bounded JSON bodies."""

from __future__ import annotations

import functools
import json
from typing import Any

import flask
import flask_smorest
from marshmallow import ValidationError
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

#: How deep a JSON body may nest. Python's json module recurses once per level, so a body nested thousands of
#: levels deep would raise RecursionError (a 500); the schemas never need more than a few levels.
MAX_JSON_DEPTH = 64
NOT_AN_OBJECT = "The body must be a JSON object."
BODY_REQUIRED = "A JSON body is required."


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")  # NaN / Infinity: JSON has no such numbers, jsonb refuses them


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _nesting_prefix_too_deep(raw: bytes) -> bool:
    """Cheap check before parsing: more than MAX_JSON_DEPTH brackets opened before any closes (ignores strings,
    which can only make it stricter on bodies that are refused anyway)."""
    depth = 0
    for byte in raw:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
        elif byte == 0x22:  # a string starts: brackets inside strings are text, stop counting
            return False
    return False


def parse_json_body(raw: bytes) -> Any:
    """Decode a request body; ValidationError (a 400 with the API's shape) for anything that is not plain JSON."""
    if _nesting_prefix_too_deep(raw):
        raise ValidationError({"_schema": [f"The body is nested deeper than {MAX_JSON_DEPTH} levels."]})
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValidationError({"_schema": [f"The body is nested deeper than {MAX_JSON_DEPTH} levels."]}) from None
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({"_schema": [NOT_AN_OBJECT]}) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise ValidationError({"_schema": [f"The body is nested deeper than {MAX_JSON_DEPTH} levels."]})
    return data


class Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: flask.Request) -> Any:
        raw = req.get_data(cache=True)
        if not raw:
            return core.missing  # no body: the schema's defaults (e.g. POST /publish with nothing)
        if not is_json_request(req):
            raise ValidationError({"_schema": [NOT_AN_OBJECT]})
        data = parse_json_body(raw)
        if not isinstance(data, dict):
            raise ValidationError({"_schema": [NOT_AN_OBJECT]})
        return data


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with this parser behind `@blp.arguments`."""

    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema: Any, *, location: str = "json", required: bool = True, **kwargs: Any):
        """flask-smorest's `arguments`; a required JSON body (the default, and what the OpenAPI document says) is
        refused with a 400 when the request has none, instead of loading the schema's defaults. Operations whose
        body is optional say `required=False`."""
        decorator = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required:
            return decorator

        def wrap(func: Any) -> Any:
            parsed = decorator(func)

            @functools.wraps(parsed)
            def check_body(*args: Any, **kw: Any) -> Any:
                if not flask.request.get_data(cache=True):
                    raise ValidationError({"_schema": [BODY_REQUIRED]})
                return parsed(*args, **kw)

            return check_body

        return wrap
