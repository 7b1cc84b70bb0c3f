"""Members and invitations through the API: the invitation email arrives through the real SMTP catcher, its link
is followed (new account, or an existing one signed in), and the owner rules hold (only an owner grants or
touches the owner role; the last owner stays)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select

from tests.integration.accounts import PASSWORD, make_member, sign_in
from wayfinder import clock
from wayfinder.extensions import db
from wayfinder.models import Invitation, User

NEW_PASSWORD = "a brand new passphrase for amy"


def link_in(message: dict) -> tuple[str, str]:
    """(path, token) of the link in an email the catcher received."""
    href = unescape(re.search(r'href="([^"]+)"', message["html"]).group(1))
    url = urlparse(href)
    return url.path, parse_qs(url.query)["token"][0]


def invite(client, mail, email="amy@shop.tw", role="marketer"):
    res = client.post("/api/invitations", json={"email": email, "role": role})
    assert res.status_code == 201, res.get_json()
    assert res.get_json()["email_sent"] is True
    (received,) = [m for m in mail.wait_for(1) if m["to"] == email][:1]
    return res.get_json(), received


def test_an_invitation_email_is_accepted_with_a_new_password_and_the_member_signs_in(app, client, mail):
    created, received = invite(client, mail)
    assert created["role"] == "marketer" and created["invited_by"] == "owner@example.com"
    assert "Default" in received["subject"] or "default" in received["subject"].lower()
    path, token = link_in(received)
    assert path == "/accept-invitation"
    listed = client.get("/api/members").get_json()
    assert [i["email"] for i in listed["invitations"]] == ["amy@shop.tw"]

    visitor = app.test_client()
    preview = visitor.get(f"/api/invitations/accept?token={token}")
    assert preview.status_code == 200, preview.get_json()
    assert preview.get_json()["account_exists"] is False
    assert preview.get_json()["role"] == "marketer"
    weak = visitor.post("/api/invitations/accept", json={"token": token, "password": "short"})
    assert weak.status_code == 400 and "password" in weak.get_json()["fields"]
    accepted = visitor.post(
        "/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD, "display_name": "Amy Lin"}
    )
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["role"] == "marketer"
    assert accepted.get_json()["user"]["display_name"] == "Amy Lin"
    # The accept answer is a session: the new member is signed in at once.
    visitor.csrf_token = accepted.get_json()["csrf_token"]
    assert visitor.get("/api/journeys").status_code == 200

    # Single use: the same link again is refused, and so would it be for anyone else.
    again = app.test_client().post("/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD})
    assert again.status_code == 410
    assert app.test_client().get(f"/api/invitations/accept?token={token}").status_code == 410

    sign_in(app, "amy@shop.tw", NEW_PASSWORD)
    listed = client.get("/api/members").get_json()
    assert listed["invitations"] == []
    assert {(m["email"], m["role"]) for m in listed["members"]} == {
        ("owner@example.com", "owner"),
        ("amy@shop.tw", "marketer"),
    }
    actions = [e["action"] for e in client.get("/api/audit").get_json()["entries"]]
    assert "member.invited" in actions and "member.joined" in actions


def test_an_existing_account_joins_only_when_signed_in_as_the_invited_address(app, client, mail, workspaces):
    other = workspaces.create("other-brand")
    make_member(app, "ben@shop.tw", "analyst", workspace_id=other)
    _, received = invite(client, mail, "ben@shop.tw", "viewer")
    _, token = link_in(received)

    anonymous = app.test_client()
    assert anonymous.get(f"/api/invitations/accept?token={token}").get_json()["account_exists"] is True
    refused = anonymous.post("/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD})
    assert refused.status_code == 403 and refused.get_json()["reason"] == "sign_in_required"

    someone_else = sign_in(app)  # the owner, not Ben
    wrong = someone_else.post("/api/invitations/accept", json={"token": token})
    assert wrong.status_code == 403 and wrong.get_json()["reason"] == "other_account"

    ben = sign_in(app, "ben@shop.tw", PASSWORD)
    no_csrf = ben.post("/api/invitations/accept", json={"token": token}, headers={"X-CSRF-Token": "forged"})
    assert no_csrf.status_code == 403
    joined = ben.post("/api/invitations/accept", json={"token": token})
    assert joined.status_code == 200, joined.get_json()
    assert joined.get_json()["workspace"]["slug"] == "default"
    assert joined.get_json()["role"] == "viewer"
    assert len(joined.get_json()["memberships"]) == 2


def test_an_invitation_expires_and_a_revoked_one_stops_working(app, client, mail):
    created, received = invite(client, mail)
    _, token = link_in(received)
    assert client.delete(f"/api/invitations/{created['id']}").status_code == 204
    assert app.test_client().get(f"/api/invitations/accept?token={token}").status_code == 410
    assert client.delete(f"/api/invitations/{created['id']}").status_code == 404

    mail.clear()
    _, received = invite(client, mail, "cara@shop.tw")
    _, token = link_in(received)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == "cara@shop.tw"))
        invitation.expires_at = clock.now() - timedelta(seconds=1)
        db.session.commit()
        db.session.remove()
    res = app.test_client().post("/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD})
    assert res.status_code == 410 and res.get_json()["error"] == "invalid_link"
    assert app.test_client().get("/api/invitations/accept?token=" + "x" * 43).status_code == 410


def test_the_database_holds_only_a_hash_of_the_link(app, client, mail):
    _, received = invite(client, mail)
    _, token = link_in(received)
    with app.app_context():
        stored = db.session.scalar(select(Invitation.token_hash))
    assert token not in stored and len(stored) == 64


def test_inviting_a_member_or_the_same_address_twice(app, client, mail):
    assert client.post("/api/invitations", json={"email": "Owner@Example.com", "role": "admin"}).status_code == 409
    first, first_mail = invite(client, mail)
    mail.clear()
    second, second_mail = invite(client, mail)
    _, old_token = link_in(first_mail)
    assert app.test_client().get(f"/api/invitations/accept?token={old_token}").status_code == 410
    assert [i["id"] for i in client.get("/api/members").get_json()["invitations"]] == [second["id"]]
    bad = client.post("/api/invitations", json={"email": "not an address", "role": "boss"})
    assert bad.status_code == 400 and set(bad.get_json()["fields"]) == {"email", "role"}


def test_owner_rules_for_admins_and_the_last_owner(app, client, mail):
    admin_id = make_member(app, "ada@shop.tw", "admin")
    marketer_id = make_member(app, "max@shop.tw", "marketer")
    with app.app_context():
        owner_id = db.session.scalar(select(User.id).where(User.email == "owner@example.com"))
    admin = sign_in(app, "ada@shop.tw")

    # An admin manages non-owners, but can neither grant the owner role nor touch an owner.
    assert admin.patch(f"/api/members/{marketer_id}", json={"role": "analyst"}).get_json()["role"] == "analyst"
    assert admin.patch(f"/api/members/{marketer_id}", json={"role": "owner"}).status_code == 403
    assert admin.patch(f"/api/members/{owner_id}", json={"role": "admin"}).status_code == 403
    assert admin.delete(f"/api/members/{owner_id}").status_code == 403
    assert admin.post("/api/invitations", json={"email": "new@shop.tw", "role": "owner"}).status_code == 403

    # The last owner can be neither demoted nor removed, even by themselves.
    last = client.patch(f"/api/members/{owner_id}", json={"role": "admin"})
    assert last.status_code == 409 and last.get_json()["reason"] == "last_owner"
    assert client.delete(f"/api/members/{owner_id}").status_code == 409
    # With a second owner, the first may step down.
    assert client.patch(f"/api/members/{admin_id}", json={"role": "owner"}).status_code == 200
    assert client.patch(f"/api/members/{owner_id}", json={"role": "admin"}).status_code == 200

    # A removed member's session stops working in that workspace at once.
    marketer = sign_in(app, "max@shop.tw")
    assert admin.delete(f"/api/members/{marketer_id}").status_code == 204
    assert marketer.get("/api/journeys").status_code == 403
    assert admin.delete(f"/api/members/{marketer_id}").status_code == 404

    actions = [e["action"] for e in admin.get("/api/audit").get_json()["entries"]]
    assert actions.count("member.role_changed") == 3 and "member.removed" in actions


def test_members_of_another_workspace_are_not_found(app, client, workspaces):
    other = workspaces.create("other-brand")
    stranger = make_member(app, "sam@else.tw", "marketer", workspace_id=other)
    assert client.patch(f"/api/members/{stranger}", json={"role": "viewer"}).status_code == 404
    assert client.delete(f"/api/members/{stranger}").status_code == 404
    assert "sam@else.tw" not in [m["email"] for m in client.get("/api/members").get_json()["members"]]
