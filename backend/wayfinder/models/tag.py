"""Tags a workspace puts on its customers, each with a weight (標籤濃度, tag concentration).

A tag is a name in one workspace (`tags`); a customer carries it with a weight, when it was first and last
applied, and the journey that applied it last (`customer_tags`). Adding a tag again adds to its weight.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wayfinder.models.base import Base, BigIntPK, utcnow
from wayfinder.models.workspace import WorkspaceScoped


class Tag(WorkspaceScoped, Base):
    __tablename__ = "tags"
    # Two brands may both have a "VIP" tag: names are unique within a workspace only.
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomerTag(Base):
    """A tag on a customer (reached through the customer, so it carries no workspace of its own)."""

    __tablename__ = "customer_tags"
    __table_args__ = (
        UniqueConstraint("customer_id", "tag_id"),
        # "Who has tag X (with weight ≥ N)": audiences and conditions start from the tag.
        Index("ix_customer_tags_tag_weight", "tag_id", "weight"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(default=1)
    first_applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A deleted journey leaves the tags it applied.
    last_journey_id: Mapped[int | None] = mapped_column(ForeignKey("journeys.id", ondelete="SET NULL"))
