"""Render an email step's content as one customer would get it, with the engine's own sandboxed renderer and
the same variables (`customer` = attributes + external_id + email, `event` = the triggering event's
properties), and send a test of it through the configured email channel."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wayfinder.audience.profile import customer_data, display_name
from wayfinder.channels import get_channel
from wayfinder.channels.base import OutgoingMessage, SendError
from wayfinder.errors import NotFound, WayfinderError
from wayfinder.models import Customer, Event
from wayfinder.schemas.fields import LINE_BREAKS
from wayfinder.templating import BODY_LIMIT, SUBJECT_LIMIT, TemplateError, render
from wayfinder.templating.links import safe_links
from wayfinder.workspaces.settings import WorkspaceSettings

# Shown when the marketer previews before any real customer exists; plainly marked as a sample in the UI.
SAMPLE_CUSTOMER = {
    "external_id": "sample",
    "email": "mei.lin@example.com",
    "first_name": "Mei",
    "last_name": "Lin",
    "city": "Taipei",
    "tier": "gold",
}
SAMPLE_EVENT = {"product": "Hydrating serum", "total": 1280, "currency": "TWD"}


NOT_A_TEST_RECIPIENT = "Send tests to your own address or to one of the workspace's test recipients."


class TestSendFailed(WayfinderError):
    status = 502
    code = "test_send_failed"


class TestSendInvalid(WayfinderError):
    """The rendered test email cannot be an email (e.g. a variable put a line break in the subject): the
    client's content, not the channel, is at fault."""

    status = 422
    code = "invalid_email"


def _latest_event(session: Session, customer_id: int, event_name: str | None) -> dict[str, Any]:
    stmt = select(Event.properties).where(Event.customer_id == customer_id)
    if event_name:
        stmt = stmt.where(Event.name == event_name)
    props = session.scalar(stmt.order_by(Event.occurred_at.desc(), Event.id.desc()).limit(1))
    return dict(props or {})


def variables_for(
    session: Session, customer_id: str | None, event_name: str | None
) -> tuple[dict, dict, Customer | None]:
    """(customer vars, event vars, customer) for a real customer, or the sample when `customer_id` is empty.

    For a real customer, `event` is their latest event of the journey's trigger (any event when unknown), as
    it would be for an enrolment started by it.
    """
    if not customer_id:
        return dict(SAMPLE_CUSTOMER), dict(SAMPLE_EVENT), None
    customer = session.scalar(select(Customer).where(Customer.external_id == customer_id))
    if customer is None:
        raise NotFound(f"Customer {customer_id} not found")
    variables = customer_data(customer.attributes, customer.external_id, customer.email)
    return variables, _latest_event(session, customer.id, event_name), customer


def render_email(content: Mapping[str, str], customer: dict, event: dict) -> dict[str, Any]:
    """Subject and body rendered exactly as the send_email step does (plain subject, autoescaped HTML body,
    the same size limits); a field that fails keeps its error and the other still renders."""
    out: dict[str, Any] = {"subject": None, "body": None, "errors": {}}
    variables = {"customer": customer, "event": event}
    try:
        out["subject"] = render(content.get("subject") or "", variables, limit=SUBJECT_LIMIT).strip()
    except TemplateError as exc:
        out["errors"]["subject"] = str(exc)
    try:
        out["body"] = safe_links(render(content.get("body") or "", variables, html=True, limit=BODY_LIMIT))
    except TemplateError as exc:
        out["errors"]["body"] = str(exc)
    return out


def preview(
    session: Session,
    content: Mapping[str, str],
    customer_id: str | None,
    event_name: str | None,
    sender: WorkspaceSettings | None = None,
) -> dict:
    """The email as `customer_id` would get it, from `sender`'s name unless the content names one."""
    customer_vars, event_vars, customer = variables_for(session, customer_id, event_name)
    rendered = render_email(content, customer_vars, event_vars)
    return {
        **rendered,
        "from_name": content.get("from_name") or (sender.sender_name if sender else None) or "",
        "sample": customer is None,
        "customer": {
            "customer_id": customer_vars.get("external_id"),
            "email": customer_vars.get("email"),
            "name": display_name(customer_vars),
        },
        "event": event_vars,
    }


def send_test(
    session: Session,
    config: Mapping[str, Any],
    to: str,
    content: Mapping[str, str],
    customer_id: str | None,
    event_name: str | None,
    sender: WorkspaceSettings | None = None,
    allowed: Collection[str] = (),
) -> dict:
    """Send the rendered content to `to` through the configured email channel, as `sender` (the workspace) sends
    its journeys' mail (not recorded as a journey message: no customer receives it and no count moves).

    `to` must be one of `allowed` (the sending member's own address and the workspace's test recipients): a test
    send is no way to mail anyone else under the brand's name."""
    if to.strip().lower() not in {address.strip().lower() for address in allowed}:
        raise TestSendInvalid(
            "Test emails go only to your own address or to the workspace's test recipients.",
            fields={"to": [NOT_A_TEST_RECIPIENT]},
        )
    customer_vars, event_vars, _ = variables_for(session, customer_id, event_name)
    rendered = render_email(content, customer_vars, event_vars)
    if rendered["errors"]:
        raise TestSendFailed(
            "The email has a template problem; fix it before sending a test.", fields=rendered["errors"]
        )
    from_name = content.get("from_name") or (sender.sender_name if sender else None) or ""
    headers = {"subject": rendered["subject"], "from_name": from_name}
    broken = {field: "Must be on one line (no line breaks)." for field, value in headers.items() if _breaks(value)}
    if broken:
        raise TestSendInvalid("The rendered email has a line break in a header.", fields=broken)
    key = f"test-{uuid.uuid4()}"
    message = OutgoingMessage(
        id=0,
        idempotency_key=key,
        channel="email",
        recipient=to,
        payload={
            "subject": f"[Test] {rendered['subject']}",
            "html": rendered["body"],
            "from_name": from_name,
            "from_address": sender.sender_email if sender else None,
        },
        workspace_id=sender.id if sender else None,
    )
    try:
        with get_channel("email", config) as channel:
            provider_id = channel.send(message)
    except SendError as exc:
        raise TestSendFailed(f"The test could not be sent: {exc}") from exc
    return {"sent": True, "to": to, "subject": message.subject, "provider_id": provider_id}


def _breaks(value: str) -> bool:
    return len(value.splitlines()) > 1 or value.endswith(tuple(LINE_BREAKS))


def find_customers(session: Session, q: str, limit: int = 10) -> list[dict[str, Any]]:
    """Customers to preview as: matching id or email, most recently updated first."""
    stmt = select(Customer).order_by(Customer.updated_at.desc(), Customer.id.desc()).limit(limit)
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(Customer.external_id).like(pattern), func.lower(Customer.email).like(pattern)))
    return [
        {"customer_id": c.external_id, "email": c.email, "name": display_name(c.attributes)}
        for c in session.scalars(stmt)
    ]
