"""The shape of a journey graph (nodes, edges, settings), close to React Flow's state.

Shape errors (a node without an id, edges that are not a list…) are payload errors (400). Whether the
settings of each step are right is a located validation error (see `journeys.graph`), so a draft can be
saved half-finished.
"""

from __future__ import annotations

import json

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from wayfinder.schemas.fields import JSONObject, Text, example

#: A whole journey graph, serialised, is at most this big (a step's settings at most STEP_SETTINGS_BYTES).
MAX_GRAPH_BYTES = 2 * 1024 * 1024
STEP_SETTINGS_BYTES = 256 * 1024
ID = validate.Regexp(r"^[A-Za-z0-9_\-:.]{1,64}$", error="Use 1-64 letters, digits, '_', '-', ':' or '.'.")


class PositionSchema(Schema):
    x = fields.Float(required=True)
    y = fields.Float(required=True)


class NodeDataSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the canvas may keep UI-only keys in data; they are not stored

    label = Text(load_default="", max_length=120, **example("Cart updated"))
    settings = JSONObject(max_bytes=STEP_SETTINGS_BYTES, load_default=dict)


class NodeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=ID, **example("trigger"))
    type = Text(required=True, min_length=1, max_length=64, **example("event_trigger"))
    position = fields.Nested(PositionSchema, load_default=lambda: {"x": 0.0, "y": 0.0})
    data = fields.Nested(NodeDataSchema, load_default=lambda: {"label": "", "settings": {}})


class EdgeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=ID, **example("trigger-wait"))
    source = Text(required=True, min_length=1, max_length=64, **example("trigger"))
    sourceHandle = Text(load_default=None, allow_none=True, max_length=64, **example("next"))
    target = Text(required=True, min_length=1, max_length=64, **example("wait"))
    targetHandle = Text(load_default=None, allow_none=True, max_length=64, **example(None))


class JourneyGraphSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # e.g. React Flow's `viewport`: canvas state, not part of the journey

    nodes = fields.List(fields.Nested(NodeSchema), load_default=list, validate=validate.Length(max=500))
    edges = fields.List(fields.Nested(EdgeSchema), load_default=list, validate=validate.Length(max=2000))
    settings = JSONObject(load_default=dict)

    @validates_schema
    def _bounded(self, data: dict, **_kwargs: object) -> None:
        size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8"))
        if size > MAX_GRAPH_BYTES:
            raise ValidationError(f"The journey is too large: {size} bytes; at most {MAX_GRAPH_BYTES} bytes.")


EMPTY_GRAPH: dict = {"nodes": [], "edges": [], "settings": {}}
