"""Step settings as JSON Schema, generated from their marshmallow schemas.

apispec's marshmallow converter is used rather than marshmallow-jsonschema: apispec is maintained by the
marshmallow team and released in step with marshmallow (4.x here), and with OpenAPI 3.1 its output is plain
JSON Schema (2020-12) with enums, lengths, ranges, required fields and defaults taken from the validators.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema


@cache
def _plugin() -> MarshmallowPlugin:
    # No name resolver: nested schemas are inlined instead of becoming $refs to OpenAPI components.
    plugin = MarshmallowPlugin(schema_name_resolver=lambda schema: None)
    APISpec("wayfinder-steps", "1", "3.1.0", plugins=[plugin])  # binds the plugin's converter
    return plugin


def settings_json_schema(schema: type[Schema]) -> dict[str, Any]:
    return _plugin().converter.schema2jsonschema(schema)
