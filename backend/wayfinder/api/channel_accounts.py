"""/api/channel-accounts: the workspace's provider accounts (which SMS gateway, LINE channel, FCM project … each
channel sends through), and /api/channel-providers: the providers there are and the fields each one's account
holds, for the Settings form. Session only, owners and admins (`channels.manage`): an account's credentials send
in the brand's name. Answers never hold a credential's value (`channel_accounts.public`); changes are audited
with the fields that changed, never their values."""

from __future__ import annotations

from marshmallow import ValidationError

from wayfinder import audit
from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.channels.base import adapter_class, providers
from wayfinder.extensions import db
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.channels import (
    ChannelAccountInSchema,
    ChannelAccountListOutSchema,
    ChannelAccountOutSchema,
    ChannelAccountUpdateSchema,
    ChannelProviderListOutSchema,
)
from wayfinder.workspaces import channel_accounts as service
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint(
    "channel_accounts",
    __name__,
    url_prefix="/api",
    description="Provider accounts: the credentials and settings each channel sends with (owners and admins).",
)


def check_credentials(channel: str, provider: str, credentials: dict | None) -> None:
    """Refuse credential names the provider does not take (a typo would be stored and silently never used)."""
    if not credentials:
        return
    expected = adapter_class(channel, {}, provider).credential_fields
    unknown = sorted(set(credentials) - set(expected))
    if unknown:
        takes = f"it takes {', '.join(expected)}" if expected else "it takes none"
        raise ValidationError({"credentials": [f"{provider} has no credential {', '.join(unknown)}; {takes}."]})


def _audit_detail(account, data: dict) -> dict:
    detail = {"channel": account.channel, "provider": account.provider, "name": account.name}
    changed = sorted(k for k in ("name", "settings", "is_default") if k in data)
    if data.get("credentials") is not None:
        changed.append("credentials")
    return {**detail, "changed": changed}


@blp.get("/channel-providers")
@blp.response(200, ChannelProviderListOutSchema)
@requires("channels.manage")
def list_providers():
    """Every (channel, provider) an account can be made for, with its credential and setting field names."""
    rows = []
    for channel, provider in providers():
        cls = adapter_class(channel, {}, provider)
        rows.append(
            {
                "channel": channel,
                "provider": provider,
                "credentials": list(cls.credential_fields),
                "settings": list(cls.setting_fields),
            }
        )
    return {"providers": rows}


@blp.get("/channel-accounts")
@blp.response(200, ChannelAccountListOutSchema)
@requires("channels.manage")
def list_accounts():
    """The workspace's accounts by channel and name (credential field names only)."""
    return {"accounts": [service.public(a) for a in service.list_accounts(db.session, request_workspace())]}


@blp.post("/channel-accounts")
@blp.arguments(ChannelAccountInSchema)
@blp.response(201, ChannelAccountOutSchema)
@blp.alt_response(409, schema=ErrorSchema, description="An account of that name exists for the channel")
@requires("channels.manage")
def create_account(data: dict):
    """A new account; the first of its channel becomes the channel's default."""
    check_credentials(data["channel"], data["provider"], data.get("credentials"))
    account = service.create_account(db.session, request_workspace(), data)
    audit.record(db.session, "channel_account.created", "channel_account", account.id, _audit_detail(account, data))
    db.session.commit()
    return service.public(account)


@blp.patch("/channel-accounts/<id:account_id>")
@blp.arguments(ChannelAccountUpdateSchema)
@blp.response(200, ChannelAccountOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such account in this workspace")
@requires("channels.manage")
def update_account(data: dict, account_id: int):
    """Rename, change settings, replace the credentials (whole; absent: kept), or make it the default."""
    current = service.get_account(db.session, request_workspace(), account_id)
    check_credentials(current.channel, current.provider, data.get("credentials"))
    account = service.update_account(db.session, request_workspace(), account_id, data)
    audit.record(db.session, "channel_account.updated", "channel_account", account.id, _audit_detail(account, data))
    db.session.commit()
    return service.public(account)


@blp.delete("/channel-accounts/<id:account_id>")
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description="No such account in this workspace")
@requires("channels.manage")
def delete_account(account_id: int):
    """Delete an account (its channel then sends with the app's configured provider until another is default)."""
    account = service.get_account(db.session, request_workspace(), account_id)
    detail = {"channel": account.channel, "provider": account.provider, "name": account.name}
    service.delete_account(db.session, request_workspace(), account_id)
    audit.record(db.session, "channel_account.deleted", "channel_account", account_id, detail)
    db.session.commit()
