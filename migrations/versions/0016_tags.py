"""Tags per workspace, and a customer's tags with an integer weight, first / last applied and the journey
that applied them last.

`customer_tags` named its tag by text and had a fractional weight; existing rows keep their tag (a `tags` row
of the customer's workspace is made for each name) and their weight rounded (never below 0).

Revision ID: 0016_tags
Revises: 0015_message_work_indexes
Create Date: 2026-12-05 02:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0016_tags"
down_revision: str | Sequence[str] | None = "0015_message_work_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_tags_workspace_id_workspaces")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_tags_workspace_id_name")),
    )
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tag_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_applied_at", UTC_DATETIME, nullable=True))
        batch_op.add_column(sa.Column("last_applied_at", UTC_DATETIME, nullable=True))
        batch_op.add_column(sa.Column("last_journey_id", sa.Integer(), nullable=True))
    # Existing rows: one tag per (workspace, name), then each row points at its tag.
    op.execute(
        "INSERT INTO tags (workspace_id, name, created_at) "
        "SELECT c.workspace_id, ct.tag, MIN(ct.updated_at) FROM customer_tags ct "
        "JOIN customers c ON c.id = ct.customer_id GROUP BY c.workspace_id, ct.tag"
    )
    op.execute(
        "UPDATE customer_tags SET "
        "tag_id = (SELECT t.id FROM tags t JOIN customers c ON c.workspace_id = t.workspace_id "
        "WHERE c.id = customer_tags.customer_id AND t.name = customer_tags.tag), "
        "first_applied_at = updated_at, last_applied_at = updated_at, "
        "weight = CASE WHEN weight < 0 THEN 0 ELSE round(weight) END"
    )
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_tags_tag")
        batch_op.drop_constraint("uq_customer_tags_customer_id_tag", type_="unique")
        batch_op.drop_column("tag")
        batch_op.drop_column("updated_at")
        batch_op.alter_column("tag_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("first_applied_at", existing_type=UTC_DATETIME, nullable=False)
        batch_op.alter_column("last_applied_at", existing_type=UTC_DATETIME, nullable=False)
        batch_op.alter_column(
            "weight", existing_type=sa.Double(), type_=sa.Integer(), postgresql_using="round(weight)::integer"
        )
        batch_op.create_foreign_key(
            op.f("fk_customer_tags_tag_id_tags"), "tags", ["tag_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_foreign_key(
            op.f("fk_customer_tags_last_journey_id_journeys"),
            "journeys",
            ["last_journey_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_unique_constraint(op.f("uq_customer_tags_customer_id_tag_id"), ["customer_id", "tag_id"])
        batch_op.create_index("ix_customer_tags_tag_weight", ["tag_id", "weight"], unique=False)
        batch_op.create_check_constraint(op.f("ck_customer_tags_weight_not_negative"), "weight >= 0")


def downgrade() -> None:
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tag", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("updated_at", UTC_DATETIME, nullable=True))
    op.execute(
        "UPDATE customer_tags SET tag = (SELECT t.name FROM tags t WHERE t.id = customer_tags.tag_id), "
        "updated_at = last_applied_at"
    )
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_customer_tags_weight_not_negative"), type_="check")
        batch_op.drop_index("ix_customer_tags_tag_weight")
        batch_op.drop_constraint("uq_customer_tags_customer_id_tag_id", type_="unique")
        batch_op.drop_constraint("fk_customer_tags_last_journey_id_journeys", type_="foreignkey")
        batch_op.drop_constraint("fk_customer_tags_tag_id_tags", type_="foreignkey")
        batch_op.drop_column("last_journey_id")
        batch_op.drop_column("last_applied_at")
        batch_op.drop_column("first_applied_at")
        batch_op.drop_column("tag_id")
        batch_op.alter_column("tag", existing_type=sa.String(length=128), nullable=False)
        batch_op.alter_column("updated_at", existing_type=UTC_DATETIME, nullable=False)
        batch_op.alter_column("weight", existing_type=sa.Integer(), type_=sa.Double())
        batch_op.create_unique_constraint(op.f("uq_customer_tags_customer_id_tag"), ["customer_id", "tag"])
        batch_op.create_index("ix_customer_tags_tag", ["tag"], unique=False)
    op.drop_table("tags")
