"""Poison isolation: errored enrollments are counted per node (node_counts.errored), the reason is kept in
step history (step_history.error), and an event whose processing failed records why (events.error).

Revision ID: 0002_errored_enrollments
Revises: 0001_initial_schema
Create Date: 2026-12-02 13:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_errored_enrollments"
down_revision: str | Sequence[str] | None = "0001_initial_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("node_counts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("errored", sa.BigInteger(), server_default="0", nullable=False))
    with op.batch_alter_table("step_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error", sa.String(length=500), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("error")
    with op.batch_alter_table("step_history", schema=None) as batch_op:
        batch_op.drop_column("error")
    with op.batch_alter_table("node_counts", schema=None) as batch_op:
        batch_op.drop_column("errored")
