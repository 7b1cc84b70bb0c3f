"""Crash-safe delivery: a message's claim has a short lease renewed by its worker's heartbeat, and each attempt is
recorded before its provider call, so a killed worker leaves at most the message it was sending "unknown".

* `messages.claim_token`: the delivery job holding a `sending` message.
* `messages.lease_until`: until when (moved ahead by the worker's heartbeat; the ticker reclaims it after).
* `messages.attempt_started_at`: set and committed right before the provider call.
* The status `unknown` (a String column: no type change); messages a killed worker left "failed: outcome
  unknown" before become `unknown`.

Revision ID: 0007_delivery_attempts
Revises: 0005_edge_counts_caps
Create Date: 2026-12-04 16:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007_delivery_attempts"
down_revision: str | Sequence[str] | None = "0005_edge_counts_caps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_UNKNOWN = "Delivery outcome unknown: the worker stopped while sending. Not retried, to avoid a duplicate."


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempt_started_at", sa.DateTime(timezone=True), nullable=True))
    messages = sa.table("messages", sa.column("status", sa.String), sa.column("error", sa.Text))
    op.execute(
        messages.update().where(messages.c.status == "failed", messages.c.error == OLD_UNKNOWN).values(status="unknown")
    )


def downgrade() -> None:
    messages = sa.table("messages", sa.column("status", sa.String))
    op.execute(messages.update().where(messages.c.status == "unknown").values(status="failed"))
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("attempt_started_at")
        batch.drop_column("lease_until")
        batch.drop_column("claim_token")
