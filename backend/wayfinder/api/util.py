"""Small helpers shared by the views."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError


def body(schema: Schema) -> dict[str, Any]:
    """The request's JSON body loaded through `schema` (a missing or non-object body is a 400 too)."""
    data = request.get_json(silent=True)
    if data is None:
        data = {} if not request.get_data(cache=True) else None
    if not isinstance(data, dict):
        raise ValidationError({"_schema": ["The body must be a JSON object."]})
    return schema.load(data)


def args(schema: Schema) -> dict[str, Any]:
    return schema.load(request.args.to_dict())
