"""`wayfinder web`: the API, Socket.IO and the built front end served by gunicorn's gevent worker, in process.

The same server and entry point (`wayfinder.wsgi:app`) as production, so `wayfinder dev` runs what ships and
prints no "development server" warning. Each connection is a greenlet, not a thread: an open WebSocket (a live
canvas) costs a few kilobytes, and requests keep being served however many canvases are open (with gthread, each
socket held one of 64 threads and the 65th stopped the API). See `wayfinder.wsgi` for why gevent.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from wayfinder import gunicorn_conf  # gunicorn's own error answers (414, 431, 400) in the API's JSON shape

# Seconds an idle keep-alive connection stays open. gunicorn's default (2 s) resets the connections API clients
# and load balancers reuse; 75 s outlasts the common idle timeouts of load balancers (60 s, e.g. AWS ALB, nginx
# upstream keepalive), so the balancer, not the server, closes an idle connection. docker-compose.yml's web
# service runs `wayfinder web`, so it serves with the same value.
KEEPALIVE = 75
#: Simultaneous connections per web process (open WebSockets included); past it gunicorn stops accepting.
CONNECTIONS = 10_000


class WayfinderServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # e.g. control_socket_disable exists from gunicorn 25 on
                self.cfg.set(key, value)

    def load(self):
        from wayfinder.wsgi import app  # built in the worker process, after the fork and gevent's patching

        return app


def serve(host: str, port: int, connections: int = CONNECTIONS) -> None:
    """Serve until SIGTERM/SIGINT; only warnings and errors are logged (no access log)."""
    WayfinderServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "worker_class": "gevent",
            "workers": 1,  # Socket.IO sessions live in one process (see wayfinder.wsgi)
            "worker_connections": connections,
            "keepalive": KEEPALIVE,
            "loglevel": "warning",
            "accesslog": None,
            "graceful_timeout": 3,  # open WebSockets would otherwise hold a stop for 30 s
            "timeout": 120,
            "control_socket_disable": True,
            "limit_request_line": gunicorn_conf.limit_request_line,
        }
    ).run()
