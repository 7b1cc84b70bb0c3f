"""Delivery's work in partial indexes: pending messages by when they are due, sending ones by their lease.

They replace (status, next_attempt_at), which held an entry for every message ever sent: a message now leaves
both indexes when it is sent, so its last UPDATE adds no index entry, and the ticker's look-ups stay as small as
the work in hand however many messages a workspace has sent.

Revision ID: 0015_message_work_indexes
Revises: 0014_api_keys
Create Date: 2026-12-05 01:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015_message_work_indexes"
down_revision: str | Sequence[str] | None = "0014_api_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")
SENDING = sa.text("status = 'sending'")


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_status_next_attempt")
        batch_op.create_index(
            "ix_messages_pending_due", ["next_attempt_at"], sqlite_where=PENDING, postgresql_where=PENDING
        )
        batch_op.create_index(
            "ix_messages_sending_lease", ["lease_until"], sqlite_where=SENDING, postgresql_where=SENDING
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_sending_lease")
        batch_op.drop_index("ix_messages_pending_due")
        batch_op.create_index("ix_messages_status_next_attempt", ["status", "next_attempt_at"], unique=False)
