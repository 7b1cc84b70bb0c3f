"""The application factory."""

from __future__ import annotations

import sys
from typing import Any

from flask import Flask

from wayfinder import clock as clocks
from wayfinder.clock import Clock
from wayfinder.config import Config
from wayfinder.extensions import db, redis_client, socketio


def async_mode() -> str:
    """Flask-SocketIO's mode: "gevent" inside the web server's gevent worker (the process is monkey-patched),
    "threading" everywhere else (worker, ticker, CLI, tests: they only emit through the Redis message queue)."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        return "gevent"
    return "threading"


def create_app(config: Config | dict[str, Any] | None = None, clock: Clock | None = None) -> Flask:
    """Build a Flask app. `config` may be a `Config`, a dict of overrides, or None (environment);
    `clock` defaults to the system clock (tests and simulations pass a `VirtualClock`)."""
    app = Flask(__name__, static_folder=None)
    settings = config if isinstance(config, Config) else Config(**(config or {}))
    app.config.update(settings.as_flask())
    app.json.sort_keys = False  # type: ignore[attr-defined]

    clocks.init_app(app, clock)
    for extension in (db, redis_client):
        extension.init_app(app)
    # Imported before `init_app`: `@socketio.on` only records a handler for later servers when no server exists
    # yet; imported after, the handlers would be bound to this app's server alone, and a second app built in
    # the same process (tests) would answer no `join`.
    from wayfinder.live import handlers  # noqa: F401  (registers the Socket.IO events)
    from wayfinder.security import HostAllowList, allowed_origins, init_security

    socketio.init_app(
        app,
        message_queue=app.config["REDIS_URL"] or None,
        async_mode=async_mode(),
        cors_allowed_origins=allowed_origins(app),
    )

    from wayfinder.api import init_api
    from wayfinder.api.docs import docs_bp
    from wayfinder.api.errors import register_error_handlers
    from wayfinder.api.tracking_links import bp as tracking_links_bp
    from wayfinder.auth import init_auth
    from wayfinder.health import health_bp
    from wayfinder.hooks import hooks_bp
    from wayfinder.web import web_bp
    from wayfinder.workspaces import scoping as workspace_scoping

    init_api(app)
    app.register_blueprint(docs_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(tracking_links_bp)  # /t/...: tracked links in messages, no sign-in
    app.register_blueprint(web_bp)
    app.register_blueprint(hooks_bp)
    register_error_handlers(app)
    init_security(app)
    init_auth(app)
    # Last: a sign-in hook registered before it decides the request's workspace; this one fills in the default.
    workspace_scoping.init_app(app)
    # Outermost, around the Socket.IO server too (it wraps `wsgi_app` in `socketio.init_app` above).
    app.wsgi_app = HostAllowList(app.wsgi_app, app.config["ALLOWED_HOSTS"])  # type: ignore[method-assign]
    return app
