"""The JSON API, described by an OpenAPI document generated from the marshmallow schemas (flask-smorest).

Views (on `api.parser.Blueprint`, whose webargs parser answers schema errors with the API's 400 and bounds
JSON bodies) only declare their input and output schemas, call a service and return the result; flask-smorest loads
the arguments (webargs) and dumps the response. The spec is served at /api/openapi.json, readable docs at
/api/docs (see `api.docs`).
"""

from __future__ import annotations

from apispec import BasePlugin
from flask import Flask
from flask_smorest import Api

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
    """flask-smorest's Api with the API's own error shape (see `api.errors`) instead of flask-smorest's."""

    ERROR_SCHEMA = ErrorSchema

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
    api = WayfinderApi(
        app,
        spec_kwargs={
            "extra_plugins": [OperationIdPlugin()],
            "info": {
                "description": "Journeys (draw, validate, publish), customers, events and messages. "
                "Errors share one shape: see the `Error` schema."
            },
        },
    )
    api.register_converter(IdConverter, id_param_schema)

    from wayfinder.api import content, customers, demo, event_names, events, insights, journeys, messages, steps

    for module in (journeys, insights, events, event_names, customers, messages, content, demo, steps):
        api.register_blueprint(module.blp)
    return api
