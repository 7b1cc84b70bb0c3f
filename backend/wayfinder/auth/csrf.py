"""CSRF: every state-changing request made with a session cookie carries the session's token in `X-CSRF-Token`.

The token lives in the signed session and reaches the SPA in the body of the sign-in and `GET /api/session`
answers (never in a cookie a script could plant). A cross-site page can make the browser send the cookie
(SameSite=Lax still sends it on top-level navigations, and same-site sub-domains send it always) but cannot
read the token nor set a custom header without a CORS preflight, which this app never grants: so a `<form>`
POST, with or without a body, is refused.
"""

from __future__ import annotations

import hmac

from flask import request, session

from wayfinder.errors import Forbidden

HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MISSING = "This request needs the X-CSRF-Token header (the token GET /api/session answers)."
WRONG = "The X-CSRF-Token header does not match this session's token."


def check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER, "")
    expected = session.get("csrf") or ""
    if not sent:
        raise Forbidden(MISSING, reason="csrf_missing")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden(WRONG, reason="csrf_mismatch")
