"""URL converters: an id in a path is a positive 64-bit integer; anything else is simply no such resource."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from wayfinder.schemas.fields import INT64_MAX


class IdConverter(IntegerConverter):
    """`<id:journey_id>`: 1 … 2**63-1. A larger number does not match the route, so it is a 404 (it cannot name a
    row) rather than an OverflowError from the database driver."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", INT64_MAX)
        super().__init__(map, *args, **kwargs)


def id_param_schema(converter: IdConverter) -> dict:
    return {"type": "integer", "format": "int64", "minimum": converter.min, "maximum": converter.max}
