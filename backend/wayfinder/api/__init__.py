"""The JSON API, described by an OpenAPI document generated from the marshmallow schemas (flask-smorest).

Views (on `api.parser.Blueprint`, whose webargs parser answers schema errors with the API's 400 and bounds
JSON bodies) only declare their input and output schemas, call a service and return the result; flask-smorest loads
the arguments (webargs) and dumps the response. The spec is served at /api/openapi.json, readable docs at
/api/docs (see `api.docs`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from apispec import APISpec, BasePlugin
from flask import Flask
from flask_smorest import Api, Blueprint

from wayfinder.api.routing import IdConverter, id_param_schema
from wayfinder.schemas.api import ErrorSchema


class OperationIdPlugin(BasePlugin):
    """operationId = the Flask endpoint (`journeys.get_journey`), so OpenAPI links can name their target."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        for method, operation in operations.items():
            suffix = f".{method}" if len(operations) > 1 else ""
            operation.setdefault("operationId", f"{rule.endpoint}{suffix}")


class WayfinderApi(Api):
    """flask-smorest's Api with the API's own error shape (see `api.errors`) instead of flask-smorest's, and an
    OpenAPI document built on first use rather than in `create_app`.

    Documenting the views and the default responses (resolving marshmallow schemas into the spec) is most of the
    time an app takes to build, and most apps never serve the document: workers, the ticker, CLI commands, and
    the tests, which build an app per test. So those steps are queued and run, in the order flask-smorest runs
    them (the document is the same), the first time `spec` is read: serving /api/openapi.json or the docs.
    """

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._undocumented: list[Callable[[], None]] = []
        self._documenting = threading.RLock()
        self._spec: APISpec | None = None
        super().__init__(*args, **kwargs)

    @property
    def spec(self) -> APISpec | None:  # type: ignore[override]
        # Under the lock: a second thread waits for the document instead of reading it half-built. The steps
        # read `spec` themselves (same thread, nothing left pending then), so they run in their queued order.
        with self._documenting:
            pending, self._undocumented = self._undocumented, []
            for step in pending:
                step()
        return self._spec

    @spec.setter
    def spec(self, value: APISpec | None) -> None:
        self._spec = value

    def _later(self, step: Callable[[], None]) -> None:
        with self._documenting:
            self._undocumented.append(step)

    def _register_responses(self) -> None:
        self._later(super()._register_responses)

    def _register_etag_headers(self) -> None:
        self._later(super()._register_etag_headers)

    def _register_pagination_header(self) -> None:
        self._later(super()._register_pagination_header)

    def register_blueprint(self, blp: Blueprint, *, parameters: list[Any] | None = None, **options: Any) -> None:
        """flask-smorest's `register_blueprint` (0.47): the routes now, their documentation on the first read."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)

        def document() -> None:
            blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
            self._spec.tag({"name": name, "description": blp.description})

        self._later(document)

    def _register_error_handlers(self) -> None:
        pass  # `api.errors.register_error_handlers` owns every error response


def init_api(app: Flask) -> WayfinderApi:
    """Bind the API blueprints and the OpenAPI spec to `app` (one Api object per app: tests build many)."""
    app.url_map.converters["id"] = IdConverter
    app.config.setdefault("API_TITLE", "Wayfinder")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    from wayfinder.api.openapi_security import SecurityPlugin

    api = WayfinderApi(
        spec_kwargs={
            "extra_plugins": [OperationIdPlugin(), SecurityPlugin(app)],
            "info": {
                "description": "Journeys (draw, validate, publish), customers, events and messages. "
                "Errors share one shape: see the `Error` schema."
            },
        },
    )
    api.register_converter(IdConverter, id_param_schema)  # before init_app, which would read (and build) the spec
    api.init_app(app)

    from wayfinder.api import (
        account,
        audit,
        channel_accounts,
        content,
        customers,
        demo,
        devices,
        event_names,
        events,
        in_app,
        insights,
        journey_templates,
        journeys,
        keys,
        members,
        messages,
        password_reset,
        session,
        steps,
        tags,
        workspace,
    )
    from wayfinder.auth.limits import init_limits

    for module in (
        session,
        journeys,
        journey_templates,
        insights,
        events,
        event_names,
        tags,
        customers,
        messages,
        content,
        demo,
        steps,
        workspace,
        keys,
        members,
        password_reset,
        audit,
        account,
        channel_accounts,
        devices,
        in_app,
    ):
        api.register_blueprint(module.blp)
    init_limits(app)
    return api
