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


class Unauthorized(WayfinderError):
    """No signed-in session (or it ended): the SPA shows its sign-in page."""

    status = 401
    code = "unauthorized"


class InvalidApiKey(Unauthorized):
    """A bearer credential that is no valid key (unknown, revoked, malformed), or none where one is needed: the
    answer carries `WWW-Authenticate: Bearer` (RFC 6750)."""

    challenge = 'Bearer realm="wayfinder"'


class Forbidden(WayfinderError):
    status = 403
    code = "forbidden"


class ForbiddenRole(Forbidden):
    """The member's role (or the key's scope) may not perform the route's action (docs/permissions.md)."""

    code = "forbidden_role"


class TooManyAttempts(WayfinderError):
    """Sign-in refused for a while (rate limit or lockout); `retry_after` seconds become the Retry-After header."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int, **extra: Any) -> None:
        super().__init__(message, retry_after=retry_after, **extra)
        self.retry_after = retry_after
