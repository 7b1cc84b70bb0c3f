"""/api/docs: readable API docs (Swagger UI) that work offline.

Swagger UI's files come from the `flask-swagger-ui` wheel (its `dist` folder: the upstream swagger-ui-dist
build), installed with the Python package, so the docs need neither a CDN nor a front-end build step, and they
pass the Content-Security-Policy (`script-src 'self'`): our page loads them and a start-up script from this
origin, with no inline script. Only the files are used, not that package's blueprint (its page has an inline
script).
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, abort, send_from_directory

SWAGGER_UI_DIST = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
PAGE_DIR = Path(__file__).resolve().parent.parent / "templates" / "api-docs"
ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"}

docs_bp = Blueprint("api_docs", __name__)


@docs_bp.get("/api/docs")
@docs_bp.get("/api/docs/")
def page():
    response = send_from_directory(PAGE_DIR, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@docs_bp.get("/api/docs/init.js")
def init_script():
    return send_from_directory(PAGE_DIR, "init.js", mimetype="text/javascript")


@docs_bp.get("/api/docs/assets/<name>")
def asset(name: str):
    if name not in ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_UI_DIST, name, max_age=86400)
