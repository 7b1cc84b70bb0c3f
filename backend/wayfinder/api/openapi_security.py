"""The OpenAPI document's security: the two schemes (a signed-in session with its CSRF header, and an API key as a
bearer token) and, per operation, which of them it takes, from the gate's own rules (`auth`, `auth.keys`):
* open routes (sign-in, the API's description): none;
* the intake (`events.track`): an API key (track or write scope) or a session;
* routes whose action a key scope grants (read actions; journeys and customers writes): a session or a key;
* every other route: a session only. State-changing methods with a session also need the CSRF header.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin
from flask import Flask

from wayfinder.auth import OPEN_ENDPOINTS
from wayfinder.auth.csrf import HEADER, SAFE_METHODS
from wayfinder.auth.keys import SCOPE_ACTIONS
from wayfinder.auth.permissions import action_of

SESSION, CSRF, API_KEY = "session", "csrfToken", "apiKey"
KEY_ACTIONS = frozenset().union(*SCOPE_ACTIONS.values())


class SecurityPlugin(BasePlugin):
    def __init__(self, app: Flask) -> None:
        self.app = app

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        spec.components.security_scheme(
            SESSION,
            {
                "type": "apiKey",
                "in": "cookie",
                "name": "wayfinder_session",
                "description": "The session cookie `POST /api/session` sets (sign in with email and password).",
            },
        )
        spec.components.security_scheme(
            CSRF,
            {
                "type": "apiKey",
                "in": "header",
                "name": HEADER,
                "description": "With a session, on POST, PUT, PATCH and DELETE: the `csrf_token` that "
                "`POST /api/session` and `GET /api/session` answer.",
            },
        )
        spec.components.security_scheme(
            API_KEY,
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "wf_live_<prefix>_<secret>",
                "description": "An API key (`POST /api/keys`) with the track, read or write scope, as "
                "`Authorization: Bearer <key>`. No CSRF header.",
            },
        )

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        action = action_of(self.app.view_functions.get(rule.endpoint))
        for method, operation in operations.items():
            operation.setdefault("security", security_of(rule.endpoint, action, method.upper()))


def security_of(endpoint: str, action: str | None, method: str) -> list[dict[str, list]]:
    """The OpenAPI security requirement of one operation (any one of the listed alternatives)."""
    if endpoint in OPEN_ENDPOINTS:
        return []
    session = {SESSION: []} if method in SAFE_METHODS else {SESSION: [], CSRF: []}
    if action in KEY_ACTIONS:
        return [{API_KEY: []}, session]
    return [session]
