"""Serves the built single-page app (frontend/ builds into static/app)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory
from werkzeug.routing import PathConverter

STATIC_APP = Path(__file__).resolve().parent / "static" / "app"

web_bp = Blueprint("web", __name__)


class SpaPathConverter(PathConverter):
    """Any path outside /api and /socket.io. Without the exclusion, `PUT /api/no-such-thing` would match this
    GET-only rule and answer 405 instead of the API's 404."""

    regex = r"(?!api(?:/|$))(?!socket\.io)[^/].*?"


@web_bp.record_once
def _register_converter(state) -> None:
    state.app.url_map.converters.setdefault("spa", SpaPathConverter)


@web_bp.get("/", defaults={"path": ""})
@web_bp.get("/<spa:path>")
def spa(path: str):
    """Files of the build when they exist, else index.html so client-side routes work on reload."""
    if path.startswith(("api/", "socket.io")):
        abort(404)
    if path and (STATIC_APP / path).is_file():
        return send_from_directory(STATIC_APP, path)
    if not (STATIC_APP / "index.html").is_file():
        return (
            "<h1>Wayfinder</h1><p>The front end is not built. Run <code>npm --prefix frontend ci && "
            "npm --prefix frontend run build</code>.</p>",
            503,
        )
    response = send_from_directory(STATIC_APP, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response
