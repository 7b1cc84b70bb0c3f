"""Workspaces (one brand each), with the default workspace an existing installation's data belongs to.

Revision ID: 0008_workspaces
Revises: 0007_delivery_attempts
Create Date: 2026-12-04 19:10:00

"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008_workspaces"
down_revision: str | Sequence[str] | None = "0007_delivery_attempts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    workspaces = op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=True),
        sa.Column("sender_email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("slug", name=op.f("uq_workspaces_slug")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        workspaces,
        [
            {
                "id": 1,
                "slug": "default",
                "name": "Default workspace",
                "time_zone": "Asia/Taipei",
                "language": "zh-TW",
                "sender_name": None,
                "sender_email": None,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    if op.get_bind().dialect.name == "postgresql":  # the next workspace created gets id 2
        op.execute("SELECT setval(pg_get_serial_sequence('workspaces', 'id'), 1)")


def downgrade() -> None:
    op.drop_table("workspaces")
