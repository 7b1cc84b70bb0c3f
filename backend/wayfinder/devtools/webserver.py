"""`wayfinder web`: the API, Socket.IO and the built front end served by gunicorn (gthread), in process.

The same server and entry point (`wayfinder.wsgi:app`) as production, so `wayfinder dev` runs what ships and
prints no "development server" warning; WebSockets work as in production (simple-websocket, one thread each).
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

THREADS = 64  # each open WebSocket holds one thread


class WayfinderServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # e.g. control_socket_disable exists from gunicorn 25 on
                self.cfg.set(key, value)

    def load(self):
        from wayfinder.wsgi import app  # built in the worker process, after the fork

        return app


def serve(host: str, port: int, threads: int = THREADS) -> None:
    """Serve until SIGTERM/SIGINT; only warnings and errors are logged (no access log)."""
    WayfinderServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "worker_class": "gthread",
            "workers": 1,  # Socket.IO sessions live in one process (see wayfinder.wsgi)
            "threads": threads,
            "loglevel": "warning",
            "accesslog": None,
            "graceful_timeout": 3,  # open WebSockets would otherwise hold a stop for 30 s
            "timeout": 120,
            "control_socket_disable": True,
        }
    ).run()
