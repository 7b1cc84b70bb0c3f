"""Who may do what: the role × action matrix, and the action each route performs.

Every view declares its action with `@requires("<action>")`, written as the innermost decorator (right above the
`def`, under flask-smorest's decorators: `functools.wraps` carries the tag out to the registered view). The gate
(`auth.gate` → `check_action`) reads it for the request's endpoint (`action_of`) and checks it against the
request's principal: a member's role (owner, admin, marketer, analyst, viewer) or an API key's scope
(`key:track`, `key:read`, `key:write`). A view without a declared action is refused (fail closed), and
tests/unit/test_permissions.py fails for any registered endpoint without one.

`MATRIX` below is the one statement of the rules: docs/permissions.md is generated from it (`python -m
wayfinder.auth.permissions`) and a test fails when the two differ. The front end never copies it: GET
/api/session answers the member's allowed actions.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

ACTIONS: dict[str, str] = {
    "session.self": "one's own session, password, second factor, workspace switch",
    "workspace.read": "read the workspace's brand settings",
    "workspace.settings": "change the workspace's brand settings",
    "journeys.read": "list and read journeys, versions, counts, refusals, the customers at a step; validate a graph",
    "journeys.write": "create, edit and delete drafts",
    "journeys.publish": "publish, pause, resume, archive a journey; enrol customers by hand",
    "insights.read": "read analytics",
    "customers.read": "read customers (a viewer's answers are masked)",
    "personal.read": "see customers' personal data (names, emails, phones) unmasked in every answer",
    "customers.write": "create, change and delete customers",
    "events.track": "send events and identify customers (the intake)",
    "messages.read": "read the message and delivery logs",
    "content.preview": "render previews of content",
    "email.test": "send a test email",
    "members.read": "list the workspace's members and invitations",
    "members.manage": "invite members, change roles, remove members",
    "keys.manage": "create, list and revoke API keys",
    "channels.manage": "the workspace's provider accounts (SMS, LINE, push …) and their credentials",
    "audit.read": "read and export the audit log",
    "devtools.use": "demo traffic and the development mail catcher (only when the app runs in development mode)",
    "health.detail": "the service detail of /healthz (workers' process ids and host names)",
    "docs.read": "the API's description",
}

ROLES = ("owner", "admin", "marketer", "analyst", "viewer")
KEY_SCOPES = ("key:track", "key:read", "key:write")

_EVERYTHING = frozenset(ACTIONS)
# What an analyst reads: every *.read action, but not the audit log (an admin's page).
_READ = frozenset(a for a in ACTIONS if a.endswith(".read")) - {"audit.read"}
# A read key serves integrations (reporting, a CDP): the marketing data, not the people who run the workspace.
_KEY_READ = _READ - {"members.read"} | {"docs.read"}
_KEY_WRITE = _KEY_READ | {"journeys.write", "journeys.publish", "customers.write", "events.track"}

#: principal → the actions it may perform. Only an owner may make or remove an owner: that is a rule of the
#: members service (`members.manage` lets an admin change the other roles), not of this table.
MATRIX: dict[str, frozenset[str]] = {
    "owner": _EVERYTHING,
    "admin": _EVERYTHING,
    "marketer": frozenset(
        {
            "session.self",
            "workspace.read",
            "journeys.read",
            "journeys.write",
            "journeys.publish",
            "insights.read",
            "customers.read",
            "personal.read",
            "customers.write",
            "events.track",
            "messages.read",
            "content.preview",
            "email.test",
            "members.read",
            "docs.read",
        }
    ),
    "analyst": _READ | {"session.self", "content.preview"},
    # Reads without personal data: no `personal.read` (masked answers), no previews (they render a customer's
    # data into the email), no member list (colleagues' emails).
    "viewer": frozenset(
        {
            "session.self",
            "workspace.read",
            "journeys.read",
            "insights.read",
            "customers.read",
            "messages.read",
            "docs.read",
        }
    ),
    "key:track": frozenset({"events.track"}),
    "key:read": _KEY_READ,
    "key:write": _KEY_WRITE,
}

#: How a refusal names an action ("Your role (analyst) cannot publish journeys.").
REFUSALS: dict[str, str] = {
    "session.self": "use this session",
    "workspace.read": "read the workspace's settings",
    "workspace.settings": "change the workspace's settings",
    "journeys.read": "read journeys",
    "journeys.write": "edit journeys",
    "journeys.publish": "publish, pause or resume journeys",
    "insights.read": "read analytics",
    "customers.read": "read customers",
    "personal.read": "see customers' personal data",
    "customers.write": "change customers",
    "events.track": "send events",
    "messages.read": "read the message log",
    "content.preview": "preview content",
    "email.test": "send test emails",
    "members.read": "list members",
    "members.manage": "manage members",
    "keys.manage": "manage API keys",
    "channels.manage": "manage provider accounts",
    "audit.read": "read the audit log",
    "devtools.use": "use the development tools",
    "health.detail": "read the service detail",
    "docs.read": "read the API description",
}


def requires(action: str) -> Callable[[F], F]:
    """Tag a view with the action it performs (see the module docstring)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; add it to ACTIONS")

    def tag(view: F) -> F:
        view.wayfinder_action = action  # type: ignore[attr-defined]
        return view

    return tag


def action_of(view: Callable | None) -> str | None:
    """The action a registered view declared, or None."""
    return getattr(view, "wayfinder_action", None)


def allowed(principal: str | None, action: str) -> bool:
    """Whether a role or key scope may perform `action` (None, an unknown principal: nothing)."""
    return action in MATRIX.get(principal or "", frozenset())


def allowed_actions(principal: str | None) -> list[str]:
    """The principal's actions in ACTIONS' order (what GET /api/session answers)."""
    granted = MATRIX.get(principal or "", frozenset())
    return [a for a in ACTIONS if a in granted]


def refusal(principal: str | None, action: str | None) -> str:
    """The message of a 403 for `principal` lacking `action`."""
    who = f"API key ({principal.removeprefix('key:')})" if principal and principal.startswith("key:") else None
    who = who or f"role ({principal})"
    if action is None:
        return "This route declares no permission, so it is refused to everyone."
    return f"Your {who} cannot {REFUSALS.get(action, action)}."


def matrix_markdown() -> str:
    """The matrix as the Markdown table in docs/permissions.md."""
    principals = ROLES + KEY_SCOPES
    lines = [
        "| action | what it covers | " + " | ".join(principals) + " |",
        "|---|---|" + "|".join(":-:" for _ in principals) + "|",
    ]
    for action, covers in ACTIONS.items():
        marks = " | ".join("✓" if allowed(p, action) else "·" for p in principals)
        lines.append(f"| `{action}` | {covers} | {marks} |")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- matrix:begin (generated by `python -m wayfinder.auth.permissions`) -->", "<!-- matrix:end -->"


def render_doc(text: str) -> str:
    """`text` (docs/permissions.md) with the table between the markers replaced by the current matrix."""
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{matrix_markdown()}{END}{tail}"


if __name__ == "__main__":  # pragma: no cover - `python -m wayfinder.auth.permissions docs/permissions.md`
    path = sys.argv[1] if len(sys.argv) > 1 else "docs/permissions.md"
    with open(path, encoding="utf-8") as handle:
        current = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render_doc(current))
