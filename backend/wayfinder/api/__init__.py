"""The JSON API. Views only load input, call a service and dump output."""

from __future__ import annotations

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api")

from wayfinder.api import (  # noqa: E402,F401
    content,
    customers,
    demo,
    event_names,
    events,
    insights,
    journeys,
    messages,
    steps,
)
