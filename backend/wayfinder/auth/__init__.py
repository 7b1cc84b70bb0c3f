"""Who may call what: the gate in front of every view (API keys, signed-in sessions, CSRF, the role check) and the
rate limits.

Every route needs a caller except the ones in `OPEN_ENDPOINTS`: the sign-in itself, the SPA's files, `/healthz`
(anonymous callers get only ok / not ok) and the API's description. A caller is either
* an API key (`Authorization: Bearer <key>`, `auth.keys`): the key's workspace, no CSRF token, never a
  session-only route; or
* a signed-in member (session cookie, plus the `X-CSRF-Token` header on a state-changing method).
Without one a route answers 401 (the intake with `WWW-Authenticate: Bearer`, since it is what keys are for), and
403 without the CSRF header. The tracking intake (`POST /api/events`, `/api/events/batch`, `POST /api/customers`,
which identifies) takes a key with the track or write scope, or a member who may track (marketer and up); it
writes into the key's or the member's workspace. Before any view runs, `g.workspace_id` is the caller's workspace
(the scoping layer reads it) and `g.role` the member's role or the key's `key:<scope>` (its widest; `g.scopes`
all of them). Each caller's requests are counted against its rate limit (`auth.limits`): 429 with Retry-After.

Then the role check, at this one place: the endpoint's view declares its action (`permissions.requires`), and a
role (or key scope) without it gets 403 `forbidden_role` ("Your role (analyst) cannot publish journeys.") before
the view runs, so before any look-up by id (see docs/permissions.md for why that order). A view that declares no
action is refused to everyone (fail closed).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, request

from wayfinder.auth.csrf import check_csrf
from wayfinder.auth.keys import INTAKE_ACTIONS, authenticate_key, bearer_token
from wayfinder.auth.limits import check_api_limit, check_failure_limit, count_failure
from wayfinder.auth.permissions import action_of, allowed, refusal
from wayfinder.auth.sessions import check_session, current_membership, login_manager, set_request_member
from wayfinder.errors import Forbidden, ForbiddenRole, InvalidApiKey, NotFound, Unauthorized

OPEN_ENDPOINTS = frozenset(
    {
        "session.sign_in",
        # Links from emails, used before (or instead of) signing in; they check a session themselves when there is one.
        "members.preview_invitation",
        "members.accept_invitation",
        "password_reset.request_reset",
        "password_reset.check_link",
        "password_reset.confirm",
        "health.healthz",
        # Tracked links in messages (open pixel, clicks, unsubscribe): the signed token is the credential.
        "tracking_links.open_pixel",
        "tracking_links.click",
        "tracking_links.unsubscribe_page",
        "tracking_links.unsubscribe",
        "web.spa",
        "api-docs.openapi_json",
        "api_docs.page",
        "api_docs.init_script",
        "api_docs.asset",
        # Provider webhooks: each checks the provider's signature itself (`wayfinder.hooks`).
        "hooks.line",
        "hooks.twilio",
        "hooks.mitake",
    }
)
SIGN_IN_REQUIRED = "Sign in to use this."
SESSION_ENDED = {"expired": "Your session has expired; sign in again.", "revoked": "Your session has ended."}
NO_WORKSPACE = "Your account is not a member of any workspace."
INTAKE_NEEDS_KEY = "Send events with an API key (Authorization: Bearer <key>) or as a signed-in member."


def _principals() -> list[str]:
    """Who the request acts as: the member's role, or every scope of its API key."""
    scopes = g.get("scopes")
    if scopes:
        return [f"key:{scope}" for scope in sorted(scopes)]
    return [g.role] if g.role else []


def check_action() -> None:
    """403 unless the request's principal (`g.role`, or any of a key's scopes) may perform the endpoint's declared
    action. Also decides, once per request, whether its answers carry personal data unmasked
    (`schemas.personal`)."""
    principals = _principals()
    g.sees_personal = any(allowed(p, "personal.read") for p in principals)
    action = action_of(current_app.view_functions.get(request.endpoint))
    if action == "devtools.use" and not current_app.config.get("DEV_MODE"):
        raise NotFound("The development tools exist only when Wayfinder runs in development mode.")
    # `session.self` is every signed-in user's, a member of no workspace (no role) included: they may still
    # read their session and sign out. Never a key's: a key reaches no session-only route.
    own_session = action == "session.self" and g.get("user_id") is not None
    if action is None or not (own_session or any(allowed(p, action) for p in principals)):
        raise ForbiddenRole(refusal(g.role, action), action=action, role=g.role)


def gate() -> None:
    """The before-request check (see the module docstring)."""
    # Flask-Login caches the user in `g`; an app context outliving a request (tests, a CLI command) would hand the
    # next request a user from the previous request's (closed) database session.
    g.pop("_login_user", None)
    g.workspace_id = None
    g.role = None
    g.user_id = None
    g.sees_personal = False
    for name in ("scopes", "api_key_id"):
        g.pop(name, None)
    if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS or request.method == "OPTIONS":
        return  # unknown routes answer their 404/405 as before
    action = action_of(current_app.view_functions.get(request.endpoint))
    # API keys: a request that carries one is the key's and nothing else (no session, no CSRF); `auth.keys`.
    token = bearer_token()
    if token is not None:
        authenticate_key(token)
        check_action()
        return
    state = check_session()
    if state.user is None:
        if action in INTAKE_ACTIONS:
            check_failure_limit()
            count_failure()
            raise InvalidApiKey(INTAKE_NEEDS_KEY)
        if state.ended:
            raise Unauthorized(SESSION_ENDED[state.ended], reason=state.ended)
        raise Unauthorized(SIGN_IN_REQUIRED)
    check_csrf()
    current = current_membership(state.user)
    if current.workspace is None and request.endpoint not in ("session.get_session", "session.sign_out"):
        raise Forbidden(NO_WORKSPACE, reason="no_workspace")
    set_request_member(current)
    check_action()
    check_api_limit(user_id=state.user.id)


def init_auth(app: Flask) -> None:
    """Cookies, Flask-Login and the gate (registered after the database's request hook, so the gate's reads run
    in the request's unit of work). The sign-in limits are bound by `api.init_api` (`auth.limits`)."""
    app.config.update(
        SESSION_COOKIE_NAME="wayfinder_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=int(app.config["SESSION_ABSOLUTE_SECONDS"])),
    )
    login_manager.init_app(app)
    app.before_request(gate)
