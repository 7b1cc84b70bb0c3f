"""The engine's implementation of `steps.base.StepContext`: what a step sees while a batch is advanced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.audience.addresses import DEVICE_CHANNELS, address_of
from wayfinder.audience.profile import customer_data
from wayfinder.db_utils import chunked, one_of
from wayfinder.engine.addresses import devices_for
from wayfinder.models import Customer, Event
from wayfinder.steps.base import Effects, Item

DEFAULT_BRAND_TIMEZONE = "Asia/Taipei"
# The customer attribute that holds an IANA time zone name, e.g. "Europe/London".
TIMEZONE_ATTRIBUTE = "timezone"


def zone(name: str | None, fallback: tzinfo) -> tzinfo:
    """The IANA zone `name`, or `fallback` when it is empty or unknown."""
    if not name or not isinstance(name, str):
        return fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


@dataclass
class StepContext:
    session: Session
    now: datetime
    brand_timezone: str = DEFAULT_BRAND_TIMEZONE
    # The journey's own time zone (`settings.timezone`) while one of its steps runs; None: the brand's.
    journey_timezone: tzinfo | None = None
    # Rows with id, external_id, email and attributes.
    customers: dict[int, Any] = field(default_factory=dict)
    trigger_events: dict[int, dict[str, Any]] = field(default_factory=dict)
    trigger_times: dict[int, datetime] = field(default_factory=dict)
    # What the batch's steps asked for (messages, tags, attributes, enrolments); written with its transitions.
    effects: Effects = field(default_factory=Effects)
    # Push devices read so far, per channel ("push", "webpush"): customer id -> active tokens / subscriptions.
    devices: dict[str, dict[int, list[str]]] = field(default_factory=dict)

    def load(self, items: list[Item], wake_events: dict[int, int] | None = None) -> None:
        """Fetch a batch's customers, and the events that enrolled or woke its items, in a few queries.

        `wake_events` maps enrollment ids to the event that woke them; those items get its properties as
        `wake_event`. Customers are read as rows (id, external_id, email, attributes), not ORM objects.
        """
        wake_events = wake_events or {}
        wanted = {i.customer_id for i in items} - set(self.customers)
        c = Customer.__table__.c
        for chunk in chunked(sorted(wanted)):
            for row in self.session.execute(
                select(c.id, c.external_id, c.email, c.attributes).where(one_of(self.session, c.id, chunk))
            ):
                self.customers[row.id] = row
        triggers = {i.trigger_event_id for i in items if i.trigger_event_id} - set(self.trigger_events)
        properties: dict[int, dict[str, Any]] = {}
        e = Event.__table__.c
        for chunk in chunked(sorted(triggers | set(wake_events.values()))):
            for event_id, props, occurred_at in self.session.execute(
                select(e.id, e.properties, e.occurred_at).where(one_of(self.session, e.id, chunk))
            ):
                properties[event_id] = props or {}
                if event_id in triggers:
                    self.trigger_events[event_id] = properties[event_id]
                    self.trigger_times[event_id] = occurred_at
        for item in items:
            if item.enrollment_id in wake_events:
                item.wake_event = properties.get(wake_events[item.enrollment_id], {})

    def reload_customers(self, customer_ids: set[int]) -> None:
        """Read these customers again (their attributes were just written)."""
        if not customer_ids:
            return
        c = Customer.__table__.c
        for chunk in chunked(sorted(customer_ids)):
            for row in self.session.execute(
                select(c.id, c.external_id, c.email, c.attributes).where(one_of(self.session, c.id, chunk))
            ):
                self.customers[row.id] = row

    def customer_data(self, customer_id: int) -> dict[str, Any]:
        """The customer as templates and conditions see it: attributes plus external_id and email."""
        customer = self.customers[customer_id]
        return customer_data(customer.attributes, customer.external_id, customer.email)

    def customer_email(self, customer_id: int) -> str | None:
        return self.customers[customer_id].email

    def address(self, customer_id: int, channel: str) -> tuple[str | None, str | None]:
        """Where the customer is reached on `channel`, or why they cannot be (see audience/addresses.py). A push
        channel's devices are read once per batch, for every customer the batch has loaded."""
        devices: list[str] = []
        if channel in DEVICE_CHANNELS:
            known = self.devices.setdefault(channel, {})
            missing = [c for c in self.customers if c not in known]
            if missing:
                found = devices_for(self.session, missing, channel)
                known.update({c: found.get(c, []) for c in missing})
            devices = known.get(customer_id, [])
        customer = self.customers[customer_id]
        return address_of(channel, customer.email, customer.attributes, customer.external_id, devices)

    def entered_since(self, item: Item) -> datetime:
        """When the customer entered: the time of their enrolling event, else the enrolment itself."""
        return min(self.trigger_times.get(item.trigger_event_id or 0, item.entered_at), item.entered_at)

    def event_properties(self, item: Item) -> dict[str, Any]:
        return self.trigger_events.get(item.trigger_event_id or 0, {})

    def timezone(self, customer_id: int) -> tzinfo:
        """The customer's `timezone` attribute when valid, else the running journey's zone, else the brand's."""
        return self.customer_zone(
            customer_id, self.journey_timezone or zone(self.brand_timezone, ZoneInfo(DEFAULT_BRAND_TIMEZONE))
        )

    def customer_zone(self, customer_id: int, fallback: tzinfo) -> tzinfo:
        """The customer's `timezone` attribute when valid, else `fallback`."""
        customer = self.customers.get(customer_id)
        return zone((customer.attributes or {}).get(TIMEZONE_ATTRIBUTE) if customer else None, fallback)
