"""API keys: how a shop's, app's or POS's server calls the API for one workspace (`Authorization: Bearer <key>`).

A key is `wf_live_<prefix>_<secret>`: the prefix is stored as it is (it names the key in lists and finds its row),
the secret is 32 random bytes of which only the SHA-256 is stored. A slow hash (argon2) protects passwords a
person chose; a 256-bit random secret cannot be guessed from its SHA-256, and a fast hash keeps each keyed request
cheap. `scopes` is a comma-separated subset of track, read and write (`auth.keys`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wayfinder.models.account import User
from wayfinder.models.base import Base, utcnow
from wayfinder.models.workspace import WorkspaceScoped


class ApiKey(WorkspaceScoped, Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # Visible part of the key, e.g. "wf_live_3f9a1c0b7e"; unique across the installation (it finds the row).
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    # Hex SHA-256 of the secret part; never answered by any route.
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written at most once a minute per key (`auth.keys.LAST_USED_RESOLUTION_SECONDS`).
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    created_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def scope_list(self) -> list[str]:
        return [scope for scope in self.scopes.split(",") if scope]
