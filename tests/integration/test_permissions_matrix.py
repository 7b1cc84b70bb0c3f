"""The generated check of the permission matrix: every operation of the OpenAPI document × every role × an id of
the member's own workspace and of another workspace, each cell's status from docs/permissions.md's rules:

* a role with the route's action: not refused (2xx, or a 4xx of the request itself: 400, 409, 422) on its own
  workspace's objects, and 404 for another workspace's id (never 403: no existence oracle);
* a role without it: 403 `forbidden_role`, whatever the id (the role check runs before any look-up).

An operation without an action, or one that takes a body this test has none for, fails it: a new route needs a
rule before it ships. Runs on SQLite and PostgreSQL (the `app` fixture's database)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.accounts import OWNER_EMAIL, make_member, sign_in
from tests.integration.routes import api_operations
from wayfinder.auth import OPEN_ENDPOINTS
from wayfinder.auth.permissions import ROLES, action_of, allowed
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, Message, utcnow
from wayfinder.transactions import unit_of_work

A = DEFAULT_WORKSPACE_ID
EMAIL = "{role}@example.com"
CONTENT = {"subject": "Hi", "body": "<p>Hi</p>"}
#: A valid body per operation that takes one (by operationId; `{role}` is filled in).
BODIES = {
    "session.switch_workspace": {"workspace_id": A},
    "journeys.create_journey": {"name": "New"},
    "journeys.update_journey": {"revision": 1, "name": "Renamed"},
    "journeys.validate_journey": {},
    "journeys.enrol_customers": {"request_id": "r-{role}", "customer_ids": ["amy"]},
    "events.track_one": {"event_id": "e-{role}", "customer_id": "amy", "name": "viewed"},
    "events.track_batch": {"events": [{"event_id": "b-{role}", "customer_id": "amy", "name": "viewed"}]},
    "customers.upsert": {"external_id": "amy", "email": "amy@example.com"},
    "content.email_preview": CONTENT,
    "content.email_test_send": {**CONTENT, "to": EMAIL},
    "demo.demo_traffic": {"customers": 1},
    "workspace.update_workspace": {"sender_name": "Shop"},
    "keys.create_key": {"name": "Shop {role}", "scopes": ["track"]},
    "account.totp_confirm": {"code": "000000"},
    "account.totp_disable": {"password": "not the password at all"},
    "members.invite": {"email": "invited-{role}@example.com", "role": "viewer"},
    "members.change_role": {"role": "analyst"},
    "members.accept_invitation": {"token": "not-a-token", "password": "a long enough passphrase"},
    "password_reset.request_reset": {"email": "{role}@example.com"},
    "password_reset.confirm": {"token": "not-a-token", "password": "a long enough passphrase"},
    "channel_accounts.create_account": {"channel": "sms", "provider": "sandbox", "name": "SMS {role}"},
    "channel_accounts.update_account": {"name": "Renamed {role}"},
    "devices.register_device": {"customer_id": "amy", "kind": "push", "token": "token-{role}"},
    "devices.disable_device": {"customer_id": "amy", "kind": "push", "token": "token-{role}"},
}
#: The rule of every operation: the action it must declare (a reviewed list, so a view tagged with a weaker action
#: than it performs fails here; the roles of each action are pinned by tests/unit/test_permissions.py). None: open.
RULES = {
    "session.sign_in": None,
    "session.get_session": "session.self",
    "session.sign_out": "session.self",
    "session.switch_workspace": "session.self",
    "journeys.list_journeys": "journeys.read",
    "journeys.get_journey": "journeys.read",
    "journeys.journey_node_counts": "journeys.read",
    "journeys.journey_refusals": "journeys.read",
    "journeys.create_journey": "journeys.write",
    "journey_templates.list_templates": "journeys.write",
    "journeys.update_journey": "journeys.write",
    "journeys.validate_journey": "journeys.read",
    "journeys.delete_journey": "journeys.write",
    "journeys.publish_journey": "journeys.publish",
    "journeys.pause_journey": "journeys.publish",
    "journeys.resume_journey": "journeys.publish",
    "journeys.enrol_customers": "journeys.publish",
    "insights.journey_flow": "insights.read",
    "insights.node_customers": "journeys.read",
    "events.track_one": "events.track",
    "events.track_batch": "events.track",
    "event_names.event_names": "insights.read",
    "tags.tags": "insights.read",
    "customers.upsert": "events.track",
    "customers.list_customers": "customers.read",
    "customers.get_customer": "customers.read",
    "messages.list_messages": "messages.read",
    "messages.get_message": "messages.read",
    "messages.outbox": "devtools.use",
    "content.email_preview": "content.preview",
    "content.email_preview_customers": "content.preview",
    "content.email_test_send": "email.test",
    "demo.demo_traffic": "devtools.use",
    "steps.step_manifest": "journeys.read",
    "workspace.get_workspace": "workspace.read",
    "workspace.update_workspace": "workspace.settings",
    "keys.list_keys": "keys.manage",
    "keys.get_key": "keys.manage",
    "keys.create_key": "keys.manage",
    "keys.revoke_key": "keys.manage",
    "account.totp_status": "session.self",
    "account.totp_start": "session.self",
    "account.totp_confirm": "session.self",
    "account.totp_disable": "session.self",
    "audit.list_audit": "audit.read",
    "audit.export_audit": "audit.read",
    "members.list_members": "members.read",
    "members.invite": "members.manage",
    "members.change_role": "members.manage",
    "members.remove_member": "members.manage",
    "members.revoke_invitation": "members.manage",
    # Links from emails: open (they check a session themselves when there is one).
    "members.preview_invitation": "session.self",
    "members.accept_invitation": "session.self",
    "password_reset.check_link": "session.self",
    "password_reset.request_reset": "session.self",
    "password_reset.confirm": "session.self",
    "channel_accounts.list_providers": "channels.manage",
    "channel_accounts.list_accounts": "channels.manage",
    "channel_accounts.create_account": "channels.manage",
    "channel_accounts.update_account": "channels.manage",
    "channel_accounts.delete_account": "channels.manage",
    # The shop's app or site: devices, the web push key and in-app messages are the intake's.
    "devices.register_device": "events.track",
    "devices.disable_device": "events.track",
    "devices.webpush_config": "events.track",
    "in_app.list_messages": "events.track",
    "in_app.mark_read": "events.track",
}
#: Operations this walk does not make: signing in starts another session (tests/integration/test_accounts.py).
NOT_WALKED = {"session.sign_in"}
#: Made last: signing out ends the session the walk uses.
LAST = "session.sign_out"
PERMITTED_FAILURES = {400, 409, 410, 422}  # 410: an invitation or reset link that is not (or no longer) valid
#: Operations on a member get a spare member each (the walk changes one's role and removes another).
SPARE_MEMBER = {"members.change_role": 0, "members.remove_member": 1}


def _fill(value, role: str):
    if isinstance(value, str):
        return value.replace("{role}", role)
    if isinstance(value, dict):
        return {k: _fill(v, role) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, role) for v in value]
    return value


def _live_journey(client, name: str) -> int:
    g = GraphBuilder()
    g.chain(g.manual("cart"), g.exit("done"))
    journey = client.post("/api/journeys", json={"name": name, "graph": g.build()}).get_json()
    assert client.post(f"/api/journeys/{journey['id']}/publish").status_code == 200
    return journey["id"]


def _invitation(owner, email: str) -> int:
    made = owner.post("/api/invitations", json={"email": email, "role": "viewer"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def _key(owner, name: str, scope: str = "read") -> dict:
    made = owner.post("/api/keys", json={"name": name, "scopes": [scope]})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _channel_account(owner, name: str) -> int:
    made = owner.post("/api/channel-accounts", json={"channel": "email", "provider": "sandbox", "name": name})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def _in_app_message(app, workspace_id: int, external_id: str, key: str) -> int:
    """A sent in-app message of a customer (as delivery leaves one)."""
    with app.app_context(), unit_of_work() as session:
        customer_id = session.scalar(
            select(Customer.id).where(Customer.workspace_id == workspace_id, Customer.external_id == external_id)
        )
        message = Message(
            workspace_id=workspace_id,
            idempotency_key=key,
            customer_id=customer_id,
            node_id="card",
            channel="in_app",
            to_address=external_id,
            status="sent",
            payload={"title": "Hi", "body": "Hello"},
            sent_at=utcnow(),
        )
        session.add(message)
        session.flush()
        return message.id


def test_every_route_by_every_role_and_key_scope_in_its_own_and_another_workspace(app, workspaces):
    make_member(app)
    owner = sign_in(app)
    b = workspaces.create("brand-b")
    with workspaces.use(b):
        other = {
            "journey_id": _live_journey(owner, "B only"),
            "external_id": "only-in-b",
            "node_id": "cart",
            "key_id": _key(owner, "B's key")["id"],
            "user_id": make_member(app, "bee@brand-b.tw", "marketer", workspace_id=b),
            "invitation_id": _invitation(owner, "new@brand-b.tw"),
        }
        assert owner.post("/api/customers", json={"external_id": "only-in-b"}).status_code == 201
        other["account_id"] = _channel_account(owner, "B's account")
        other["message_id"] = _in_app_message(app, b, "only-in-b", "b-card")
    assert owner.post("/api/customers", json={"external_id": "amy", "email": "amy@example.com"}).status_code == 201

    operations = api_operations(owner.get("/api/openapi.json").get_json())
    operations.sort(key=lambda op: op.endpoint == LAST)
    assert len(operations) >= 30
    for op in operations:
        view = app.view_functions[op.endpoint]
        assert action_of(view) or op.endpoint in OPEN_ENDPOINTS, f"{op}: declare an action (@requires)"
        assert op.operation_id in RULES, f"{op}: add its rule (the action it must declare) to RULES"
        assert action_of(view) == RULES[op.operation_id] or op.endpoint in OPEN_ENDPOINTS, op
        if op.body_required and op.operation_id not in NOT_WALKED:
            assert op.operation_id in BODIES, f"{op}: add a valid body to BODIES"

    wrong: list[str] = []
    cells = 0
    for role in ROLES:
        email = OWNER_EMAIL if role == "owner" else EMAIL.format(role=role)
        make_member(app, email, role, display_name=role.title())
        client = sign_in(app, email)  # a session of its own: the walk ends it (sign-out)
        own = {
            "journey_id": _live_journey(owner, f"{role}'s"),
            "external_id": "amy",
            "node_id": "cart",
            "key_id": _key(owner, f"{role}'s key")["id"],
            "invitation_id": _invitation(owner, f"spare-{role}@example.com"),
            "account_id": _channel_account(owner, f"{role}'s account"),
            "message_id": _in_app_message(app, A, "amy", f"{role}-card"),
        }
        spares = [make_member(app, f"spare-{n}-{role}@example.com", "viewer") for n in range(2)]
        for op in operations:
            if op.operation_id in NOT_WALKED:
                continue
            action = action_of(app.view_functions[op.endpoint])
            permitted = op.endpoint in OPEN_ENDPOINTS and action is None or allowed(role, action)
            body = _fill(BODIES.get(op.operation_id), role)
            # Another workspace's id first: the own-workspace call may delete or archive its journey.
            mine = {**own, "user_id": spares[SPARE_MEMBER.get(op.operation_id, 0)]}
            for where, values in (("other", other), ("own", mine)) if op.params else (("own", mine),):
                response = client.open(op.url(values), method=op.method.upper(), json=body)
                status, cells = response.status_code, cells + 1
                if not permitted:
                    ok = status == 403 and response.get_json()["error"] == "forbidden_role"
                elif where == "other":
                    ok = status == 404
                else:
                    ok = 200 <= status < 300 or status in PERMITTED_FAILURES
                if not ok:
                    wrong.append(f"{role:8} {where:5} {op} ({action}): {status} {response.get_json()}")
    # API keys, one per scope: the same walk with `Authorization: Bearer`, no session.
    for scope in ("track", "read", "write"):
        key = _key(owner, f"{scope} key", scope)
        own = {**own, "key_id": _key(owner, f"another {scope} key")["id"], "user_id": spares[0]}  # not the walker
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key['key']}"}
        for op in operations:
            if op.operation_id in NOT_WALKED:
                continue
            action = action_of(app.view_functions[op.endpoint])
            permitted = op.endpoint in OPEN_ENDPOINTS or allowed(f"key:{scope}", action)
            body = _fill(BODIES.get(op.operation_id), f"key-{scope}")
            for where, values in (("other", other), ("own", own)) if op.params else (("own", own),):
                response = client.open(op.url(values), method=op.method.upper(), json=body, headers=headers)
                status, cells = response.status_code, cells + 1
                if not permitted:
                    ok = status == 403
                elif where == "other":
                    ok = status == 404
                else:
                    ok = 200 <= status < 300 or status in PERMITTED_FAILURES
                if not ok:
                    wrong.append(f"key:{scope:5} {where:5} {op} ({action}): {status} {response.get_json()}")
    assert not wrong, "\n".join(wrong)
    assert cells >= 8 * 40


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_a_refusal_says_which_role_cannot_do_what(app, role):
    make_member(app)
    owner = sign_in(app)
    journey = _live_journey(owner, "Welcome")
    make_member(app, EMAIL.format(role=role), role)
    client = sign_in(app, EMAIL.format(role=role))
    refused = client.post(f"/api/journeys/{journey}/pause")
    assert refused.status_code == 403
    assert refused.get_json() == {
        "error": "forbidden_role",
        "message": f"Your role ({role}) cannot publish, pause or resume journeys.",
        "action": "journeys.publish",
        "role": role,
    }
    assert client.get(f"/api/journeys/{journey}").get_json()["status"] == "published"  # nothing changed
    session = client.get("/api/session").get_json()
    assert session["role"] == role and "journeys.read" in session["actions"]
    assert "journeys.publish" not in session["actions"]
    assert "journeys.publish" in owner.get("/api/session").get_json()["actions"]
