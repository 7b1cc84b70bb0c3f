"""What a step sees while a batch of enrollments is advanced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.db_utils import chunked
from wayfinder.models import Customer, Event
from wayfinder.steps.base import Item


@dataclass
class StepContext:
    session: Session
    now: datetime
    customers: dict[int, Customer] = field(default_factory=dict)
    trigger_events: dict[int, dict[str, Any]] = field(default_factory=dict)
    trigger_times: dict[int, datetime] = field(default_factory=dict)
    # Messages the batch's send steps rendered; inserted with the batch's transitions.
    messages: list[dict[str, Any]] = field(default_factory=list)

    def load(self, items: list[Item]) -> None:
        """Fetch the customers and trigger events of a batch in a few queries."""
        wanted = {i.customer_id for i in items} - set(self.customers)
        for chunk in chunked(sorted(wanted)):
            for customer in self.session.scalars(select(Customer).where(Customer.id.in_(chunk))):
                self.customers[customer.id] = customer
        events = {i.trigger_event_id for i in items if i.trigger_event_id} - set(self.trigger_events)
        for chunk in chunked(sorted(events)):
            for event_id, properties, occurred_at in self.session.execute(
                select(Event.id, Event.properties, Event.occurred_at).where(Event.id.in_(chunk))
            ):
                self.trigger_events[event_id] = properties or {}
                self.trigger_times[event_id] = occurred_at

    def customer_data(self, customer_id: int) -> dict[str, Any]:
        """The customer as templates and conditions see it: attributes plus external_id and email."""
        customer = self.customers[customer_id]
        return {**(customer.attributes or {}), "external_id": customer.external_id, "email": customer.email}

    def entered_since(self, item: Item) -> datetime:
        """When the customer entered: the time of their enrolling event, else the enrolment itself."""
        return min(self.trigger_times.get(item.trigger_event_id or 0, item.entered_at), item.entered_at)

    def event_properties(self, item: Item) -> dict[str, Any]:
        return self.trigger_events.get(item.trigger_event_id or 0, {})
