"""What the canvas shows beside the node counts: how customers split over each step's outputs, what each send
step delivered, and who is at a step right now. Read-only queries over the database (the truth)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wayfinder.audience.profile import display_name
from wayfinder.engine.counts import edge_counts
from wayfinder.models import Customer, Enrollment, Message
from wayfinder.models.enrollment import IN_JOURNEY


def flow_counts(session: Session, journey_id: int) -> dict[str, Any]:
    """Transitions out of each node by handle (so edges can show "yes 40 · 62 %") and messages per send node."""
    handles = edge_counts(session, journey_id)

    messages: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(Message.node_id, Message.status, func.count())
        .where(Message.journey_id == journey_id)
        .group_by(Message.node_id, Message.status)
    )
    for node_id, status, n in rows:
        messages.setdefault(node_id, {"sent": 0, "failed": 0, "pending": 0, "unknown": 0})[str(status)] = int(n)
    return {"journey_id": journey_id, "handles": handles, "messages": messages}


def customers_at_node(
    session: Session,
    journey_id: int,
    node_id: str,
    *,
    search: str = "",
    page: int = 1,
    per_page: int = 20,
    search_email: bool = True,
) -> dict[str, Any]:
    """The customers in the journey whose current step is `node_id`, longest-waiting first, paginated. `search`
    matches the external id, and the email unless `search_email` is off (a caller who sees emails masked must
    not learn them by searching)."""
    where = [Enrollment.journey_id == journey_id, Enrollment.current_node == node_id, Enrollment.status.in_(IN_JOURNEY)]
    if search:
        pattern = f"%{search.lower()}%"
        by_id = func.lower(Customer.external_id).like(pattern)
        where.append(or_(by_id, func.lower(Customer.email).like(pattern)) if search_email else by_id)
    base = select(Enrollment, Customer).join(Customer, Customer.id == Enrollment.customer_id).where(*where)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.order_by(Enrollment.node_entered_at, Enrollment.id).offset((page - 1) * per_page).limit(per_page)
    )
    customers = [
        {
            "customer_id": customer.external_id,
            "email": customer.email,
            "name": display_name(customer.attributes),
            "status": enrollment.status,
            "arrived_at": enrollment.node_entered_at,
            "moves_on_at": _moves_on_at(enrollment.status, enrollment.wake_at),
        }
        for enrollment, customer in rows
    ]
    return {"total": int(total), "page": page, "per_page": per_page, "customers": customers}


def _moves_on_at(status: str, wake_at: datetime | None) -> datetime | None:
    # Only a waiting enrollment's wake_at is a schedule; for the others it is a worker's lease deadline.
    return wake_at if status == "waiting" else None
