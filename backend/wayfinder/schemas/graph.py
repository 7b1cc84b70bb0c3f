"""The shape of a journey graph (nodes, edges, settings), close to React Flow's state.

Shape errors (a node without an id, edges that are not a list…) are payload errors (400). Whether the
settings of each step are right is a located validation error (see `journeys.graph`), so a draft can be
saved half-finished.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

ID = validate.Regexp(r"^[A-Za-z0-9_\-:.]{1,64}$", error="Use 1-64 letters, digits, '_', '-', ':' or '.'.")


class PositionSchema(Schema):
    x = fields.Float(required=True)
    y = fields.Float(required=True)


class NodeDataSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the canvas may keep UI-only keys in data; they are not stored

    label = fields.String(load_default="", validate=validate.Length(max=120))
    settings = fields.Dict(keys=fields.String(), load_default=dict)


class NodeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=ID)
    type = fields.String(required=True, validate=validate.Length(min=1, max=64))
    position = fields.Nested(PositionSchema, load_default=lambda: {"x": 0.0, "y": 0.0})
    data = fields.Nested(NodeDataSchema, load_default=lambda: {"label": "", "settings": {}})


class EdgeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=ID)
    source = fields.String(required=True, validate=validate.Length(min=1, max=64))
    sourceHandle = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    target = fields.String(required=True, validate=validate.Length(min=1, max=64))
    targetHandle = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))


class JourneyGraphSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # e.g. React Flow's `viewport`: canvas state, not part of the journey

    nodes = fields.List(fields.Nested(NodeSchema), load_default=list, validate=validate.Length(max=500))
    edges = fields.List(fields.Nested(EdgeSchema), load_default=list, validate=validate.Length(max=2000))
    settings = fields.Dict(keys=fields.String(), load_default=dict)


EMPTY_GRAPH: dict = {"nodes": [], "edges": [], "settings": {}}
