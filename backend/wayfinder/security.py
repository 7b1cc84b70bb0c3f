"""Security headers on every response, and the browser origins the app accepts.

The Content-Security-Policy fits what the built SPA and the API docs need, nothing more:
* scripts and style sheets only from this origin (Vite emits external module scripts and a CSS file; the docs
  page loads Swagger UI's files from /api/docs/assets and its start-up script from a file too);
* `style-src 'self'`, without 'unsafe-inline': React Flow positions nodes and edges through `style` props, which
  React applies through the CSSOM (`element.style`), and CSP does not govern the CSSOM, only `style` attributes
  in markup and <style> elements; neither the SPA nor Swagger UI use those (checked in real Chromium by
  e2e/test_security_and_health.py, which fails on any CSP violation);
* `img-src data:`: Swagger UI's icons are data: URIs;
* `connect-src 'self' ws: wss:`: the API and the Socket.IO WebSocket. CSP 'self' does not cover ws: in every
  browser, so the WebSocket schemes are listed (the Origin check in `allowed_origins` guards the handshake);
* `frame-ancestors 'none'` (and X-Frame-Options for old browsers): no page of ours may be framed.

`HostAllowList` answers 400 to a request whose Host (or X-Forwarded-Host) is not one of ALLOWED_HOSTS, before the
app or the Socket.IO server sees it: with any Host accepted, a page on an attacker's domain that re-points its DNS
name at this server (DNS rebinding) becomes same-origin for the REST API and the live socket.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)


def allowed_origins(app: Flask):
    """A callable for python-engineio's `cors_allowed_origins`: the configured origins plus the request's own.

    engine.io calls it with the handshake's Origin (and, in recent versions, the WSGI environ); same-origin means
    the Origin's host matches the Host the browser connected to, whatever port the dev server or e2e picked.
    """
    configured = {origin.rstrip("/") for origin in app.config.get("ALLOWED_ORIGINS") or []}

    def check(origin: str, environ: dict | None = None) -> bool:
        if origin in configured:
            return True
        env = environ if environ is not None else _current_environ()
        if env is None:
            return False
        host = env.get("HTTP_HOST")
        if not host:
            return False
        own = {f"{env.get('wsgi.url_scheme', 'http')}://{host}"}
        if env.get("HTTP_X_FORWARDED_PROTO") or env.get("HTTP_X_FORWARDED_HOST"):  # behind a proxy
            scheme = (env.get("HTTP_X_FORWARDED_PROTO") or env.get("wsgi.url_scheme", "http")).split(",")[0].strip()
            forwarded_host = (env.get("HTTP_X_FORWARDED_HOST") or host).split(",")[0].strip()
            own.add(f"{scheme}://{forwarded_host}")
        return origin in own

    return check


def _current_environ() -> dict | None:
    try:
        return request.environ
    except RuntimeError:
        return None


def _host_name(host: str) -> str:
    """The name of a Host header without its port, lower-cased ("[::1]:5000" → "[::1]", "Shop.tw:80" → "shop.tw")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.index("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether `host` matches ALLOWED_HOSTS: an exact name, ".example.com" for the domain and its subdomains, or
    "*" for any (only behind a proxy that checks the Host itself)."""
    name = _host_name(host)
    if not name:
        return False
    for pattern in allowed:
        pattern = pattern.strip().lower()
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith(".") and (name == pattern[1:] or name.endswith(pattern)):
            return True
    return False


class HostAllowList:
    """WSGI middleware around the whole app (REST, pages and the Socket.IO server): a request for a host name not
    in ALLOWED_HOSTS gets 400 in the API's error shape. X-Forwarded-Host, when a proxy sets it, must match too."""

    def __init__(self, app: Callable, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = [host for host in allowed if host.strip()]

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        hosts = [environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""]
        if forwarded := environ.get("HTTP_X_FORWARDED_HOST"):
            hosts += [part for part in forwarded.split(",") if part.strip()]
        if all(host_allowed(host, self.allowed) for host in hosts):
            return self.app(environ, start_response)
        body = json.dumps(
            {
                "error": "host_not_allowed",
                "message": "This server does not answer for that host name. An operator adds it to ALLOWED_HOSTS.",
            }
        ).encode()
        start_response(
            "400 Bad Request",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *HEADERS.items()],
        )
        return [body]
