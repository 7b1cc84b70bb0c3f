"""One place that turns errors into the API's one JSON error shape."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from wayfinder.errors import WayfinderError
from wayfinder.transactions import is_lock_timeout

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 2


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def _invalid_payload(exc: ValidationError):
        return jsonify(error="validation_error", message="Invalid payload", fields=exc.messages), 400

    @app.errorhandler(WayfinderError)
    def _domain(exc: WayfinderError):
        return jsonify(error=exc.code, message=exc.message, **exc.extra), exc.status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if not request.path.startswith("/api/"):
            return exc
        code = "not_found" if exc.code == 404 else (exc.name or "error").lower().replace(" ", "_")
        return jsonify(error=code, message=exc.description), exc.code

    @app.errorhandler(OperationalError)
    def _database_busy(exc: OperationalError):
        # A lock not granted within DB_LOCK_WAIT_REQUEST: the database is busy, not broken; say when to retry.
        if not is_lock_timeout(exc):
            log.exception("database error", exc_info=exc)
            return jsonify(error="database_error", message="The database could not complete the request."), 500
        response = jsonify(error="database_busy", message="The database is busy; retry shortly.")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response, 503
