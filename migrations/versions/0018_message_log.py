"""The message log's filters: by channel (newest first) and the failed messages, each in its own index.

The log pages a workspace's messages newest first by id (`ix_messages_workspace_id`). Filtered to a channel that
is rare in the workspace, or to the failed messages, that walk would read most of the log to fill a page: these
indexes find them directly. The channel never changes after a message is made, and the partial index of failed
messages gains one entry per failure, so delivery's status updates cost (almost) nothing more.

Revision ID: 0018_message_log
Revises: 0017_message_pipeline
Create Date: 2026-12-05 04:15:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0018_message_log"
down_revision: str | Sequence[str] | None = "0017_message_pipeline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FAILED = sa.text("status = 'failed'")


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_workspace_channel", ["workspace_id", "channel", "id"], unique=False)
        batch_op.create_index(
            "ix_messages_failed", ["workspace_id", "id"], unique=False, sqlite_where=FAILED, postgresql_where=FAILED
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_failed")
        batch_op.drop_index("ix_messages_workspace_channel")
