"""Render claimed messages at delivery: each from its send step's settings in the frozen journey version it was
decided in (`version_id`, `node_id`), with the customer's data as it is now and the enrolling event's properties.

Rendering runs after the claim has committed, in no transaction that holds customers' or enrollments' rows: a
template that runs to the render limit delays its own job's messages, never an API write or another journey. The
payload is stored with the attempt's outcome, so a retry sends exactly what the first attempt rendered (and the
message log shows what the customer got). A message that cannot be rendered (a template error, a step that no
longer exists) fails permanently with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from wayfinder import steps
from wayfinder.audience.profile import customer_data
from wayfinder.channels import OutgoingMessage
from wayfinder.channels.tracking_links import instrument, public_base_url
from wayfinder.engine import addresses
from wayfinder.engine.versions import load_versions
from wayfinder.templating import TemplateError
from wayfinder.workspaces.settings import settings_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claimed:
    """A claimed message as delivery reads it."""

    id: int
    idempotency_key: str
    channel: str
    to_address: str
    workspace_id: int
    customer_id: int
    version_id: int | None
    node_id: str
    event_id: int | None
    payload: dict[str, Any] | None
    # Read with the claim (delivery._claim), for rendering: the customer's (external id, email, attributes) as they
    # are now, None when the customer is gone; the enrolling event's properties.
    customer: tuple[str, str | None, dict[str, Any] | None] | None = None
    event: dict[str, Any] | None = None

    def outgoing(self, payload: Mapping[str, Any]) -> OutgoingMessage:
        return OutgoingMessage(
            id=self.id,
            idempotency_key=self.idempotency_key,
            channel=self.channel,
            recipient=self.to_address,
            payload=payload,
            workspace_id=self.workspace_id,
        )


@dataclass(frozen=True)
class Rendered:
    ready: list[OutgoingMessage]  # to send
    values: dict[int, dict[str, Any]]  # message id -> columns to store with its outcome (payload, subject)
    failures: dict[int, str]  # message id -> why it cannot be rendered
    suppressed: dict[int, str]  # message id -> why it is not sent (its address is on the suppression list)


def render_claimed(session: Session, claimed: list[Claimed]) -> Rendered:
    """Render the messages that have no payload yet; the others go as they are. A message to an address on its
    workspace's suppression list is neither rendered nor sent. Reads what the claim did not (suppressions,
    versions, brands) in a few queries, then ends the read transaction before any template runs."""
    blocked = addresses.suppressed(session, [(m.workspace_id, m.channel, m.to_address) for m in claimed])
    suppressed = {
        m.id: f"Not sent: the address is on the suppression list ({blocked[key]})"
        for m in claimed
        if (key := (m.workspace_id, m.channel, m.to_address)) in blocked
    }
    claimed = [m for m in claimed if m.id not in suppressed]
    todo = [m for m in claimed if m.payload is None]
    graphs = load_versions(session, {m.version_id for m in todo if m.version_id is not None}) if todo else {}
    brands = {w: settings_for(session, w) for w in {m.workspace_id for m in todo if m.channel == "email"}}
    session.commit()  # nothing below holds a database transaction

    base_url, secret = public_base_url(), str(current_app.config["SECRET_KEY"])
    ready: list[OutgoingMessage] = []
    values: dict[int, dict[str, Any]] = {}
    failures: dict[int, str] = {}
    for message in claimed:
        if message.payload is not None:
            ready.append(message.outgoing(message.payload))
            continue
        graph = graphs.get(message.version_id) if message.version_id is not None else None
        node = graph.nodes.get(message.node_id) if graph else None
        step = steps.get(node["type"]) if node else None
        customer = message.customer
        if step is None or step.channel is None or customer is None:
            failures[message.id] = "The message's step or customer no longer exists"
            continue
        variables = {
            "customer": customer_data(customer[2], customer[0], customer[1]),
            "event": message.event or {},
        }
        try:
            payload = step.render(node["data"]["settings"], variables)
        except TemplateError as exc:
            failures[message.id] = f"Template error: {exc}"[:500]
            continue
        except Exception as exc:  # a bug or bad data in this one message: never hold back the others
            log.exception("rendering message %s failed", message.id)
            failures[message.id] = f"Could not render: {type(exc).__name__}: {exc}"[:500]
            continue
        if message.channel == "email":
            brand = brands[message.workspace_id]
            payload["from_name"] = payload.get("from_name") or brand.sender_name or ""
            payload["from_address"] = brand.sender_email
        payload = instrument(message.channel, payload, message.id, base_url, secret)  # tracked links, pixel
        values[message.id] = {"payload": payload, "subject": step.summary(payload)[:500]}
        ready.append(message.outgoing(payload))
    return Rendered(ready, values, failures, suppressed)
