"""The application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from wayfinder.config import Config
from wayfinder.extensions import db, redis_client, socketio


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """Build a Flask app. `config` may be a `Config`, a dict of overrides, or None (environment)."""
    app = Flask(__name__, static_folder=None)
    settings = config if isinstance(config, Config) else Config(**(config or {}))
    app.config.update(settings.as_flask())
    app.json.sort_keys = False  # type: ignore[attr-defined]

    for extension in (db, redis_client):
        extension.init_app(app)
    # Imported before `init_app`: `@socketio.on` only records a handler for later servers when no server exists
    # yet; imported after, the handlers would be bound to this app's server alone, and a second app built in
    # the same process (tests) would answer no `join`.
    from wayfinder.live import handlers  # noqa: F401  (registers the Socket.IO events)
    from wayfinder.security import allowed_origins, init_security

    socketio.init_app(
        app,
        message_queue=app.config["REDIS_URL"] or None,
        async_mode="threading",
        cors_allowed_origins=allowed_origins(app),
    )

    from wayfinder.api import init_api
    from wayfinder.api.docs import docs_bp
    from wayfinder.api.errors import register_error_handlers
    from wayfinder.health import health_bp
    from wayfinder.web import web_bp

    init_api(app)
    app.register_blueprint(docs_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(web_bp)
    register_error_handlers(app)
    init_security(app)
    return app
