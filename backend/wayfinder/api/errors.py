"""One place that turns errors into the API's one JSON error shape (`schemas.api.ErrorSchema`)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from wayfinder.errors import InvalidApiKey, TooManyAttempts, WayfinderError
from wayfinder.transactions import is_lock_timeout

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 2


def _field_messages(messages: Any) -> Any:
    """webargs namespaces messages by location (`{"json": {...}, "query": {...}}`); the API reports fields."""
    if isinstance(messages, dict) and messages and set(messages) <= {"json", "query", "querystring", "view_args"}:
        merged: dict[str, Any] = {}
        for part in messages.values():
            if isinstance(part, dict):
                merged.update(part)
            else:
                merged.setdefault("_schema", []).extend(part if isinstance(part, list) else [part])
        return merged
    return messages


def validation_error(messages: Any):
    return jsonify(error="validation_error", message="Invalid payload", fields=_field_messages(messages)), 400


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def _invalid_payload(exc: ValidationError):
        return validation_error(exc.messages)

    @app.errorhandler(WayfinderError)
    def _domain(exc: WayfinderError):
        response = jsonify(error=exc.code, message=exc.message, **exc.extra)
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, InvalidApiKey):
            response.headers["WWW-Authenticate"] = exc.challenge
        return response, exc.status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if not request.path.startswith("/api/"):
            return exc
        data = getattr(exc, "data", None)  # webargs' abort() keeps the schema errors here
        if exc.code == 400 and isinstance(data, dict) and "messages" in data:
            response, status = validation_error(data["messages"])
        else:
            code = "not_found" if exc.code == 404 else (exc.name or "error").lower().replace(" ", "_")
            response, status = jsonify(error=code, message=exc.description), exc.code
        for name, value in exc.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value  # e.g. Allow on a 405
        return response, status

    @app.errorhandler(OperationalError)
    def _database_busy(exc: OperationalError):
        # A lock not granted within DB_LOCK_WAIT_REQUEST: the database is busy, not broken; say when to retry.
        if not is_lock_timeout(exc):
            log.exception("database error", exc_info=exc)
            return jsonify(error="database_error", message="The database could not complete the request."), 500
        response = jsonify(error="database_busy", message="The database is busy; retry shortly.")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response, 503
