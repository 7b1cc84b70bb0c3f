"""Provider accounts through the API: owners and admins manage them, credentials go in and never come out (and
are sealed at rest), field errors say what is wrong, and the provider list names each provider's fields."""

from __future__ import annotations

from sqlalchemy import select, text

from tests.integration.accounts import make_member, sign_in
from wayfinder.extensions import db
from wayfinder.models import AuditEntry

SECRET = "pa55-w0rd-that-must-never-leak"
EVERY8D = {
    "channel": "sms",
    "provider": "every8d",
    "name": "Every8d main",
    "settings": {"base_url": "http://127.0.0.1:9/"},
    "credentials": {"username": "shop", "password": SECRET},
}


def test_crud_never_answers_credentials_and_seals_them_at_rest(client, app):
    created = client.post("/api/channel-accounts", json=EVERY8D)
    assert created.status_code == 201, created.get_json()
    account = created.get_json()
    assert account["credential_fields"] == ["password", "username"]
    assert account["is_default"] is True  # the channel's first account
    assert "credentials" not in account and SECRET not in created.get_data(as_text=True)

    raw = db.session.execute(text("SELECT sealed_credentials FROM channel_accounts")).scalar_one()
    assert SECRET not in raw and "shop" not in raw

    second = client.post("/api/channel-accounts", json={**EVERY8D, "name": "Backup", "credentials": {}}).get_json()
    assert second["is_default"] is False
    # Rename and make it the default; credentials absent: kept (none), the first one is no longer default.
    patched = client.patch(f"/api/channel-accounts/{second['id']}", json={"name": "Backup 2", "is_default": True})
    assert patched.status_code == 200 and patched.get_json()["is_default"] is True
    # Replace the first one's credentials: only the new field names come back.
    replaced = client.patch(f"/api/channel-accounts/{account['id']}", json={"credentials": {"password": "x"}})
    assert replaced.get_json()["credential_fields"] == ["password"]

    listed = client.get("/api/channel-accounts")
    assert SECRET not in listed.get_data(as_text=True)
    by_name = {a["name"]: a for a in listed.get_json()["accounts"]}
    assert (by_name["Backup 2"]["is_default"], by_name["Every8d main"]["is_default"]) == (True, False)

    assert client.delete(f"/api/channel-accounts/{account['id']}").status_code == 204
    assert client.delete(f"/api/channel-accounts/{account['id']}").status_code == 404
    assert [a["name"] for a in client.get("/api/channel-accounts").get_json()["accounts"]] == ["Backup 2"]

    db.session.remove()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    actions = [e.action for e in entries if e.action.startswith("channel_account.")]
    assert actions == ["channel_account.created"] * 2 + ["channel_account.updated"] * 2 + ["channel_account.deleted"]
    assert all(SECRET not in str(e.detail) for e in entries)


def test_field_messages(client):
    def errors(body):
        response = client.post("/api/channel-accounts", json=body)
        assert response.status_code == 400, response.get_json()
        return response.get_json()["fields"]

    assert "Unknown channel" in errors({**EVERY8D, "channel": "fax"})["channel"][0]
    message = errors({**EVERY8D, "provider": "nope"})["provider"][0]
    assert "Unknown provider for sms" in message and "every8d" in message and "twilio" in message
    assert "name" in errors({**EVERY8D, "name": "x" * 121})
    assert "At most 20 settings" in errors({**EVERY8D, "settings": {f"k{i}": "v" for i in range(21)}})["settings"][0]
    too_long = errors({**EVERY8D, "settings": {"base_url": "x" * 2001}})["settings"]
    assert too_long == [{"base_url": ["At most 2000 characters."]}]
    unknown = errors({**EVERY8D, "credentials": {"pasword": "x"}})["credentials"][0]
    assert unknown == "every8d has no credential pasword; it takes username, password."
    assert errors({**EVERY8D, "credentials": {"password": 5}})["credentials"] == [{"password": ["Must be a string."]}]


def test_an_editor_is_refused_and_a_key_too(client, app):
    make_member(app, "mia@example.com", role="marketer")
    marketer = sign_in(app, "mia@example.com")
    for response in (marketer.get("/api/channel-accounts"), marketer.post("/api/channel-accounts", json=EVERY8D)):
        assert response.status_code == 403 and response.get_json()["error"] == "forbidden_role"
    key = client.post("/api/keys", json={"name": "k", "scopes": ["write"]}).get_json()["key"]
    anonymous = app.test_client()
    refused = anonymous.get("/api/channel-providers", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 403


def test_the_provider_list_names_each_providers_fields(client):
    rows = client.get("/api/channel-providers").get_json()["providers"]
    by = {(r["channel"], r["provider"]): (r["credentials"], r["settings"]) for r in rows}
    assert by[("sms", "mitake")] == (["username", "password"], ["base_url", "callback_url", "rate_per_second"])
    assert by[("sms", "twilio")] == (
        ["account_sid", "auth_token"],
        ["from_number", "messaging_service_sid", "status_callback", "base_url", "rate_per_second"],
    )
    assert by[("line", "line")] == (["channel_access_token", "channel_secret"], ["base_url", "rate_per_second"])
    assert by[("webpush", "vapid")] == (["vapid_private_key"], ["vapid_subject", "vapid_public_key"])
    assert by[("email", "smtp")] == ([], [])
    assert ("in_app", "store") in by
