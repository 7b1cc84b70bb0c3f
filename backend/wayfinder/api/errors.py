"""One place that turns errors into the API's one JSON error shape."""

from __future__ import annotations

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from wayfinder.errors import WayfinderError


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
