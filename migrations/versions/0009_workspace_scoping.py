"""Workspace scoping: customers, events, journeys, their versions and messages belong to a workspace.

Existing rows move to the default workspace (id 1). A message records the sender address it goes out from
(its workspace's; null: the app's MAIL_FROM). A customer's external id and an event's client id become
unique per workspace instead of across the installation. Rows reached through these (enrollments, counts,
history, waits, firings, refusals, tags) stay without a copy: they are read by journey or customer id.

Revision ID: 0009_workspace_scoping
Revises: 0008_workspaces
Create Date: 2026-12-04 19:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009_workspace_scoping"
down_revision: str | Sequence[str] | None = "0008_workspaces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCOPED = ("customers", "events", "journeys", "journey_versions", "messages")
DEFAULT_WORKSPACE_ID = 1


def upgrade() -> None:
    for table in SCOPED:
        # NOT NULL with a default: existing rows get the default workspace without an UPDATE of every row
        # (PostgreSQL stores the default once); the default is dropped at once, so new rows must name theirs.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("workspace_id", sa.Integer(), nullable=False, server_default=str(DEFAULT_WORKSPACE_ID))
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("workspace_id", existing_type=sa.Integer(), server_default=None)
            batch_op.create_foreign_key(
                op.f(f"fk_{table}_workspace_id_workspaces"), "workspaces", ["workspace_id"], ["id"]
            )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_customers_external_id", type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_customers_workspace_id_external_id"), ["workspace_id", "external_id"]
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_events_event_id", type_="unique")
        batch_op.create_unique_constraint(op.f("uq_events_workspace_id_event_id"), ["workspace_id", "event_id"])
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.create_index("ix_journeys_workspace_updated", ["workspace_id", "updated_at"], unique=False)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_workspace_id", ["workspace_id", "id"], unique=False)
        batch_op.add_column(sa.Column("from_address", sa.String(length=320), nullable=True))


def downgrade() -> None:
    # Going back to one brand per installation is only possible while there is one: rows of other workspaces
    # would break the global unique keys (or mix two brands' data). Refuse rather than lose or merge them.
    bind = op.get_bind()
    for table in SCOPED:
        others = bind.execute(
            sa.text(f"SELECT COUNT(*) FROM {table} WHERE workspace_id <> :default"),
            {"default": DEFAULT_WORKSPACE_ID},
        ).scalar()
        if others:
            raise RuntimeError(
                f"{table} has {others} row(s) outside the default workspace: move or delete them before downgrading"
            )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("from_address")
        batch_op.drop_index("ix_messages_workspace_id")
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.drop_index("ix_journeys_workspace_updated")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_events_workspace_id_event_id", type_="unique")
        batch_op.create_unique_constraint(op.f("uq_events_event_id"), ["event_id"])
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_customers_workspace_id_external_id", type_="unique")
        batch_op.create_unique_constraint(op.f("uq_customers_external_id"), ["external_id"])
    for table in reversed(SCOPED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_workspace_id_workspaces", type_="foreignkey")
            batch_op.drop_column("workspace_id")
