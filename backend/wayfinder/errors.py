"""Domain errors; `api.errors` turns them into the one JSON error shape."""

from __future__ import annotations

from typing import Any


class WayfinderError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(WayfinderError):
    status = 404
    code = "not_found"


class Conflict(WayfinderError):
    status = 409
    code = "conflict"


class InvalidJourney(WayfinderError):
    status = 422
    code = "invalid_journey"
