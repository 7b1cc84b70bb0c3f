"""The permission matrix: every route declares an action, the matrix names only known actions and principals,
and docs/permissions.md shows exactly the matrix in the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from wayfinder import create_app
from wayfinder.auth import OPEN_ENDPOINTS
from wayfinder.auth.permissions import (
    ACTIONS,
    KEY_SCOPES,
    MATRIX,
    REFUSALS,
    ROLES,
    action_of,
    allowed,
    allowed_actions,
    refusal,
    render_doc,
    requires,
)
from wayfinder.models import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = tmp_path_factory.mktemp("app")
    return create_app({"DATABASE_URL": f"sqlite:///{path / 'x.sqlite'}", "INSTANCE_DIR": path, "TESTING": True})


def test_every_registered_endpoint_declares_an_action_or_is_open(app):
    missing = sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in OPEN_ENDPOINTS and action_of(view) is None
    )
    assert missing == [], f"tag these views with @requires(...): {missing}"
    declared = {action_of(view) for view in app.view_functions.values()} - {None}
    assert declared <= set(ACTIONS)
    # Open endpoints are a short, reviewed list: each still exists (a renamed view would silently lose it).
    assert OPEN_ENDPOINTS <= set(app.view_functions)


def test_the_matrix_covers_every_role_and_key_scope_with_known_actions():
    assert set(ROLES) == {r.value for r in Role}
    assert set(MATRIX) == set(ROLES) | set(KEY_SCOPES)
    for principal, actions in MATRIX.items():
        assert actions <= set(ACTIONS), principal
    assert set(REFUSALS) == set(ACTIONS)


def test_the_rules_of_the_brief():
    assert MATRIX["owner"] == MATRIX["admin"] == set(ACTIONS)
    for role in ROLES:
        assert allowed(role, "session.self") and allowed(role, "journeys.read") and allowed(role, "docs.read")
    for action in ("journeys.write", "journeys.publish", "content.preview", "email.test", "customers.write"):
        assert allowed("marketer", action)
    for action in ("members.manage", "keys.manage", "workspace.settings", "devtools.use", "audit.read"):
        assert not allowed("marketer", action)
    # The analyst reads, changes nothing.
    changes = {"journeys.write", "journeys.publish", "customers.write", "events.track", "email.test"}
    changes |= {"members.manage", "keys.manage", "workspace.settings", "devtools.use"}
    assert not MATRIX["analyst"] & changes
    assert {"journeys.read", "customers.read", "personal.read", "messages.read", "insights.read"} <= MATRIX["analyst"]
    # The viewer reads without personal data.
    assert MATRIX["viewer"] < MATRIX["analyst"] and not allowed("viewer", "personal.read")
    # Keys: a track key tracks and nothing else; a read key changes nothing; a write key reads and writes.
    assert MATRIX["key:track"] == {"events.track"}
    assert not MATRIX["key:read"] & (changes | {"session.self", "members.read", "audit.read"})
    assert MATRIX["key:read"] < MATRIX["key:write"]
    assert MATRIX["key:write"] - MATRIX["key:read"] == {
        "journeys.write",
        "journeys.publish",
        "customers.write",
        "events.track",
    }
    assert not allowed(None, "journeys.read") and not allowed("superuser", "journeys.read")


def test_refusal_messages_name_the_role_and_the_action():
    assert refusal("analyst", "journeys.publish") == "Your role (analyst) cannot publish, pause or resume journeys."
    assert refusal("key:track", "customers.read") == "Your API key (track) cannot read customers."
    assert allowed_actions("viewer")[0] == "session.self"  # in ACTIONS' order
    with pytest.raises(ValueError):
        requires("journeys.fly")


def test_the_doc_shows_the_matrix_of_the_code():
    text = DOC.read_text(encoding="utf-8")
    assert render_doc(text) == text, "docs/permissions.md is stale: run python -m wayfinder.auth.permissions"
