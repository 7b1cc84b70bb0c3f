"""Edge counts and frequency caps counted from messages.

* `edge_counts`: customers who left each node through each output, per version, kept in the transitions'
  transaction (the canvas read them by grouping the whole step history of a journey before); filled from
  the step history here.
* Frequency caps now count the customer's messages (index on messages (customer_id, created_at)); the
  `send_counters` table they kept in step goes.

Revision ID: 0005_edge_counts_caps
Revises: 0004_triggers_and_settings
Create Date: 2026-12-02 16:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005_edge_counts_caps"
down_revision: str | Sequence[str] | None = "0004_triggers_and_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "edge_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journey_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["journey_id"], ["journeys.id"], name=op.f("fk_edge_counts_journey_id_journeys"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["journey_versions.id"],
            name=op.f("fk_edge_counts_version_id_journey_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edge_counts")),
        sa.UniqueConstraint(
            "journey_id",
            "version_id",
            "node_id",
            "handle",
            name=op.f("uq_edge_counts_journey_id_version_id_node_id_handle"),
        ),
    )
    op.execute(
        "INSERT INTO edge_counts (journey_id, version_id, node_id, handle, count) "
        "SELECT journey_id, version_id, from_node, handle, count(*) FROM step_history "
        "WHERE from_node IS NOT NULL AND handle IS NOT NULL "
        "GROUP BY journey_id, version_id, from_node, handle"
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_customer_created", ["customer_id", "created_at"], unique=False)
    op.drop_table("send_counters")


def downgrade() -> None:
    op.create_table(
        "send_counters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_send_counters_customer_id_customers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_counters")),
        sa.UniqueConstraint(
            "customer_id", "channel", "period", name=op.f("uq_send_counters_customer_id_channel_period")
        ),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_customer_created")
    op.drop_table("edge_counts")
