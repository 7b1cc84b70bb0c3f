"""A workspace's provider accounts: which provider each channel sends through, with which credentials.

Credentials are one JSON object sealed with `secret_box` (Fernet, keys from the environment); the API accepts them
when an account is created or its credentials replaced, and never returns them: a client sees which credential
fields are set, not their values. Delivery opens them only for the job that sends (`default_accounts`). One
account per channel is the default, used by every send step of that channel; without one, the app config's
provider (e.g. SMS_ADAPTER) is used, and the sandbox where none is configured.

A provider that signs nothing it calls back with (Mitake's delivery reports) is given a callback URL that carries the
account's `callback_token`: `<account id>.<HMAC-SHA256 of the id, keyed from SECRET_KEY>` (account 0 is the app's
configured provider). No one who has not seen the URL can make one up, and the hook compares it in constant time.
Changing SECRET_KEY changes every token: reports of messages sent before then are refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wayfinder.errors import Conflict, NotFound
from wayfinder.models import ChannelAccount, utcnow
from wayfinder.secret_box import seal, unseal


@dataclass(frozen=True)
class ProviderAccount:
    """What an adapter is built with: the provider's name and its settings merged with the opened credentials."""

    id: int
    provider: str
    account: dict[str, Any]
    name: str = ""


def public(account: ChannelAccount) -> dict[str, Any]:
    """An account as the API shows it: no credential values, only which credential fields are set."""
    fields = sorted(json.loads(unseal(account.sealed_credentials)).keys()) if account.sealed_credentials else []
    return {
        "id": account.id,
        "channel": account.channel,
        "provider": account.provider,
        "name": account.name,
        "settings": account.settings or {},
        "credential_fields": fields,
        "is_default": account.is_default,
        "created_at": account.created_at,
        "updated_at": account.updated_at,
    }


def create_account(session: Session, workspace_id: int, data: dict[str, Any]) -> ChannelAccount:
    """Create an account (the caller commits). The first account of a channel becomes its default."""
    exists = session.scalar(
        select(ChannelAccount.id).where(
            ChannelAccount.workspace_id == workspace_id,
            ChannelAccount.channel == data["channel"],
            ChannelAccount.name == data["name"],
        )
    )
    if exists:
        raise Conflict(f"An account named '{data['name']}' already exists for {data['channel']}")
    has_default = session.scalar(
        select(ChannelAccount.id).where(
            ChannelAccount.workspace_id == workspace_id,
            ChannelAccount.channel == data["channel"],
            ChannelAccount.is_default.is_(True),
        )
    )
    account = ChannelAccount(
        workspace_id=workspace_id,
        channel=data["channel"],
        provider=data["provider"],
        name=data["name"],
        settings=data.get("settings") or {},
        sealed_credentials=seal(json.dumps(data.get("credentials") or {})),
        is_default=not has_default or bool(data.get("is_default")),
    )
    session.add(account)
    session.flush()
    if account.is_default:
        _only_default(session, account)
    return account


def update_account(session: Session, workspace_id: int, account_id: int, data: dict[str, Any]) -> ChannelAccount:
    account = get_account(session, workspace_id, account_id)
    for key in ("name", "settings"):
        if key in data:
            setattr(account, key, data[key])
    if data.get("credentials") is not None:  # replaced whole; absent: kept
        account.sealed_credentials = seal(json.dumps(data["credentials"]))
    if data.get("is_default"):
        account.is_default = True
        _only_default(session, account)
    account.updated_at = utcnow()
    session.flush()
    return account


def get_account(session: Session, workspace_id: int, account_id: int) -> ChannelAccount:
    account = session.get(ChannelAccount, account_id)
    if account is None or account.workspace_id != workspace_id:
        raise NotFound(f"Provider account {account_id} not found")
    return account


def list_accounts(session: Session, workspace_id: int) -> list[ChannelAccount]:
    return list(
        session.scalars(
            select(ChannelAccount)
            .where(ChannelAccount.workspace_id == workspace_id)
            .order_by(ChannelAccount.channel, ChannelAccount.name)
        )
    )


def delete_account(session: Session, workspace_id: int, account_id: int) -> None:
    session.delete(get_account(session, workspace_id, account_id))
    session.flush()


def _only_default(session: Session, account: ChannelAccount) -> None:
    session.execute(
        update(ChannelAccount)
        .where(
            ChannelAccount.workspace_id == account.workspace_id,
            ChannelAccount.channel == account.channel,
            ChannelAccount.id != account.id,
        )
        .values(is_default=False)
        .execution_options(synchronize_session=False)
    )


def default_accounts(session: Session, pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], ProviderAccount]:
    """The default account of each (workspace, channel), credentials opened: for the delivery job that sends now."""
    pairs = set(pairs)
    if not pairs:
        return {}
    t = ChannelAccount.__table__.c
    rows = session.execute(
        select(t.id, t.workspace_id, t.channel, t.provider, t.name, t.settings, t.sealed_credentials).where(
            t.workspace_id.in_({w for w, _c in pairs}), t.channel.in_({c for _w, c in pairs}), t.is_default.is_(True)
        )
    ).all()
    found = {}
    for account_id, workspace_id, channel, provider, name, settings, sealed in rows:
        if (workspace_id, channel) in pairs:
            credentials = json.loads(unseal(sealed)) if sealed else {}
            opened = {**(settings or {}), **credentials, "account_id": account_id}
            found[(workspace_id, channel)] = ProviderAccount(account_id, provider, opened, name)
    return found


def callback_token(secret_key: str, account_id: int) -> str:
    """The secret part of an unsigned provider callback's URL for the account `account_id` (0: the app's own)."""
    if not secret_key:
        raise ValueError("A callback token needs the app's SECRET_KEY")  # else anyone could compute it
    key = hashlib.sha256(b"wayfinder provider callback\0" + secret_key.encode()).digest()
    return f"{account_id}.{hmac.new(key, str(account_id).encode(), hashlib.sha256).hexdigest()[:40]}"


def callback_account(session: Session, secret_key: str, workspace_id: int, provider: str, token: str) -> int | None:
    """The account a callback token names: its id (0: the app's configured provider), or None when the token is not
    one this app made or names no `provider` account of the workspace."""
    account_id, _dot, _mac = token.partition(".")
    expected = callback_token(secret_key, int(account_id)) if account_id.isdigit() else ""
    if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
        return None
    if int(account_id) == 0:
        return 0
    found = session.scalar(
        select(ChannelAccount.id).where(
            ChannelAccount.id == int(account_id),
            ChannelAccount.workspace_id == workspace_id,
            ChannelAccount.provider == provider,
        )
    )
    return found
