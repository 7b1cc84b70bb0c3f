"""What a workspace sends with, and whom it must not send to.

* `channel_accounts`: a workspace's provider accounts (its Every8d login, its LINE channel's access token, its FCM
  service account …). Credentials are sealed at rest (`secret_box`, Fernet with keys from the environment) and never
  returned by the API after saving; `settings` holds what is not secret (base URL, sender id, from number).
* `customer_devices`: where app push and web push reach a customer (FCM registration tokens, web push
  subscriptions), disabled when the provider says they are gone.
* `suppressions`: addresses a workspace must not send to on a channel — unsubscribed, hard-bounced, complained, or
  rejected by the provider; every send checks them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wayfinder.models.base import Base, BigIntPK, utcnow
from wayfinder.models.workspace import WorkspaceScoped


class ChannelAccount(WorkspaceScoped, Base):
    __tablename__ = "channel_accounts"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    # The credentials as one sealed JSON object (secret_box.seal); never sent back to a client.
    sealed_credentials: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The account a channel's sends use (one per channel and workspace).
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CustomerDevice(WorkspaceScoped, Base):
    __tablename__ = "customer_devices"
    __table_args__ = (
        UniqueConstraint("workspace_id", "kind", "token_hash"),
        Index("ix_customer_devices_customer", "customer_id", "kind"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # push (FCM token) | webpush (subscription JSON)
    token: Mapped[str] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(String(64))  # sha256 of `token`: the unique key (tokens are long)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]  # the provider said the token / subscription is gone
    disabled_reason: Mapped[str | None] = mapped_column(String(200))


class Suppression(WorkspaceScoped, Base):
    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", "address"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(String(32))  # unsubscribed | bounced | complained | invalid
    detail: Mapped[str | None] = mapped_column(String(500))
    message_id: Mapped[int | None] = mapped_column(BigIntPK, ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
