"""URL converters: an id in a path is a positive integer that fits the database's INTEGER column."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.fields import INT32_MAX

#: For the spec: every `<id:journey_id>` route answers 404 for an unknown journey (`@blp.alt_response(404, **…)`).
NO_SUCH_JOURNEY = {"schema": ErrorSchema, "description": "No such journey"}


class IdConverter(BaseConverter):
    """`<id:journey_id>`: up to 19 digits. A longer number matches no route at all (404); one that is too big
    for the column (journey ids are PostgreSQL INTEGERs: 1 … 2**31-1) is refused by `journeys.service.get_journey`
    with the same 404 as an unknown journey. Range-checking here instead would make werkzeug answer 405 to a PUT or
    POST (it picks the method before it converts), and passing a larger number on fails in the driver
    (OverflowError beyond 64 bits on SQLite, "integer out of range" beyond 32 on PostgreSQL)."""

    regex = r"\d{1,19}"
    weight = 50  # like werkzeug's number converters: preferred to a plain string segment
    part_isolating = True
    min, max = 1, INT32_MAX  # for the spec; see `id_param_schema`

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


def id_param_schema(converter: IdConverter) -> dict:
    return {"type": "integer", "format": "int32", "minimum": converter.min, "maximum": converter.max}
