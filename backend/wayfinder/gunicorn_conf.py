"""gunicorn settings of the web process, so that errors gunicorn answers itself have the API's JSON shape.

    gunicorn -c python:wayfinder.gunicorn_conf --worker-class gthread ... wayfinder.wsgi:app

gunicorn refuses some requests before the app sees them: a request line (method + URL) longer than
`limit_request_line` gets 414, too many or too large headers 431, a malformed request 400. It answers those with
an HTML page; importing this module makes it answer `{"error": ..., "message": ...}` (the API's error shape,
`schemas.api.ErrorSchema`) with the same status instead, whatever the worker class. The request line is allowed
gunicorn's maximum (8190 bytes); no API URL comes near it (query strings are bounded by their schemas).
`wayfinder web` (devtools/webserver.py) applies the same settings.
"""

from __future__ import annotations

import json
from typing import Any

import gunicorn.util

limit_request_line = 8190  # gunicorn's largest allowed value (its default is 4094)

ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    414: "uri_too_long",
    417: "expectation_failed",
    431: "headers_too_large",
    500: "server_error",
    501: "not_implemented",
}


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error with a JSON body."""
    body = json.dumps({"error": ERROR_CODES.get(status_int, "bad_request"), "message": f"{reason}: {mesg}"[:500]})
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body.encode())}\r\n\r\n"
    )
    gunicorn.util.write_nonblock(sock, (head + body).encode("latin1", "replace"))


def install() -> None:
    """Make gunicorn write its own error answers as JSON (worker processes inherit it from the master)."""
    gunicorn.util.write_error = write_json_error


install()
