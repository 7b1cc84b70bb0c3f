"""Flow and time: the wait-for-event index (enrollment_waits), wake reasons and conversions on enrollments,
goal events on versions, converted counts, decision reasons on step history, customer tags.

Revision ID: 0003_flow_and_time
Revises: 0002_errored_enrollments
Create Date: 2026-12-02 13:27:08.145042

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0003_flow_and_time"
down_revision: str | Sequence[str] | None = "0002_errored_enrollments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_tags",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=128), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_tags_customer_id_customers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_tags")),
        sa.UniqueConstraint("customer_id", "tag", name=op.f("uq_customer_tags_customer_id_tag")),
    )
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.create_index("ix_customer_tags_tag", ["tag"], unique=False)

    op.create_table(
        "enrollment_waits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("enrollment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("event_name", sa.String(length=128), nullable=False),
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["enrollments.id"],
            name=op.f("fk_enrollment_waits_enrollment_id_enrollments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_waits")),
    )
    with op.batch_alter_table("enrollment_waits", schema=None) as batch_op:
        batch_op.create_index("ix_enrollment_waits_customer_event", ["customer_id", "event_name"], unique=False)
        batch_op.create_index("ix_enrollment_waits_enrollment", ["enrollment_id"], unique=False)

    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wake_reason", sa.String(length=140), nullable=True))
        batch_op.add_column(sa.Column("wake_event_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("journey_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goal_events", sa.JSON(), nullable=False, server_default="[]"))

    with op.batch_alter_table("node_counts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("converted", sa.BigInteger(), nullable=False, server_default="0"))

    with op.batch_alter_table("step_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=140), nullable=True))
        batch_op.alter_column(
            "handle", existing_type=sa.VARCHAR(length=32), type_=sa.String(length=64), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("step_history", schema=None) as batch_op:
        batch_op.alter_column(
            "handle", existing_type=sa.String(length=64), type_=sa.VARCHAR(length=32), existing_nullable=True
        )
        batch_op.drop_column("reason")

    with op.batch_alter_table("node_counts", schema=None) as batch_op:
        batch_op.drop_column("converted")

    with op.batch_alter_table("journey_versions", schema=None) as batch_op:
        batch_op.drop_column("goal_events")

    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("converted_at")
        batch_op.drop_column("wake_event_id")
        batch_op.drop_column("wake_reason")

    with op.batch_alter_table("enrollment_waits", schema=None) as batch_op:
        batch_op.drop_index("ix_enrollment_waits_enrollment")
        batch_op.drop_index("ix_enrollment_waits_customer_event")

    op.drop_table("enrollment_waits")
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_tags_tag")

    op.drop_table("customer_tags")
