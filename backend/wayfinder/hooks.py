"""Provider webhooks: what LINE, Twilio and Mitake tell a workspace, at URLs the workspace gives them.

No caller signs in here; each request is checked the provider's way before anything is read or written:

* POST /hooks/line/<workspace>: LINE signs the body with the channel secret (`X-Line-Signature`), checked
  against the workspace's default LINE account; a bad signature is a 401 with no side effect. A `follow` records
  the customer's LINE user id (the customer who already has it, else a new one, external id `line:<userId>`) and
  their consent, an `unfollow` withdraws the consent, a text message and a postback become customer events
  (`line_message` {text}, `line_postback` {data}) that triggers, waits and action paths can use. Each LINE event
  is stored once: its `webhookEventId` is the event id, and LINE's redeliveries are duplicates.
* POST /hooks/twilio/<workspace>: a status callback, signed (`X-Twilio-Signature`) over the URL Twilio requested
  and the form, with the Auth Token of one of the workspace's Twilio accounts.
* GET|POST /hooks/mitake/<workspace>/<token>: Mitake's delivery report. Mitake signs nothing, so the URL Wayfinder
  gives it carries the sending account's callback token (`channels/sms_mitake.py`); without the right one (compared
  in constant time) the answer is a 403 and nothing is recorded, and a report counts only for a message that
  account sent.

A final delivery report of an SMS writes a `delivered` or `failed` message event on the message the provider id
names (in that workspace only); a failure for an invalid number suppresses the number (reason `invalid`).
`<workspace>` is the workspace's slug or id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import select

from wayfinder.channels.line_webhook import LineEvent, parse_events, verify_signature
from wayfinder.channels.reports import FAILED, DeliveryReport
from wayfinder.channels.sms_mitake import parse_delivery_report
from wayfinder.channels.sms_twilio import parse_status_callback, verify_status_callback
from wayfinder.engine.addresses import INVALID, suppress
from wayfinder.engine.queues import enqueue_events
from wayfinder.errors import Forbidden, NotFound, Unauthorized
from wayfinder.extensions import db
from wayfinder.models import (
    ChannelAccount,
    Customer,
    Event,
    Message,
    MessageEvent,
    MessageEventKind,
    Workspace,
    utcnow,
)
from wayfinder.secret_box import unseal
from wayfinder.tracking import track_events, upsert_customer
from wayfinder.workspaces.channel_accounts import callback_account, default_accounts

hooks_bp = Blueprint("hooks", __name__, url_prefix="/hooks")

BAD_SIGNATURE = "The request's signature does not match the workspace's provider account."
BAD_CALLBACK_TOKEN = "The callback URL does not carry a token of the workspace's provider account."
# Twilio error codes that mean the number cannot receive SMS (invalid, not a mobile, unknown, a landline).
TWILIO_INVALID_NUMBER = frozenset({"21211", "21612", "21614", "30005", "30006"})
MITAKE_INVALID_NUMBER = frozenset({"6"})  # "number error"
LINE_EVENT_NAMES = {
    "follow": "line_followed",
    "unfollow": "line_unfollowed",
    "message": "line_message",
    "postback": "line_postback",
}


def _workspace(ref: str) -> int:
    """The workspace a hook URL names (slug or id); the request then serves it (scoped queries)."""
    column = Workspace.id if ref.isdigit() else Workspace.slug
    workspace_id = db.session.scalar(select(Workspace.id).where(column == (int(ref) if ref.isdigit() else ref)))
    if workspace_id is None:
        raise NotFound("No such workspace.")
    g.workspace_id = workspace_id
    return workspace_id


# --- LINE -------------------------------------------------------------------------------------------------------


def _line_customer(workspace_id: int, user_id: str, now) -> Customer:
    customer = db.session.scalars(
        select(Customer)
        .where(Customer.workspace_id == workspace_id, Customer.attributes["line_user_id"].as_string() == user_id)
        .order_by(Customer.id)
    ).first()
    if customer is not None:
        return customer
    customer, _created = upsert_customer(
        db.session, f"line:{user_id}", None, {"line_user_id": user_id}, now, workspace_id=workspace_id
    )
    return customer


def _set_line_consent(customer: Customer, user_id: str, consent: bool, now) -> None:
    attributes = dict(customer.attributes or {})
    consents = attributes.get("consents") if isinstance(attributes.get("consents"), dict) else {}
    attributes["consents"] = {**consents, "line": consent}
    if consent:
        attributes["line_user_id"] = user_id
    customer.attributes = attributes
    customer.updated_at = now


def _line_properties(event: LineEvent) -> dict[str, Any]:
    """`{text}` of a text message (a sticker or an image has none), `{data}` of a postback."""
    if event.kind == "message" and event.text is not None:
        return {"text": event.text}
    if event.kind == "postback" and event.data is not None:
        return {"data": event.data}
    return {}


def _event_id(event: LineEvent) -> str:
    if event.webhook_event_id:
        return event.webhook_event_id[:128]
    return f"line:{event.user_id}:{event.kind}:{int(event.at.timestamp() * 1000)}"[:128]


@hooks_bp.post("/line/<ref>")
def line(ref: str) -> Response:
    workspace_id = _workspace(ref)
    body = request.get_data(cache=True)
    account = default_accounts(db.session, [(workspace_id, "line")]).get((workspace_id, "line"))
    secret = str(account.account.get("channel_secret") or "") if account else ""
    if not verify_signature(secret, body, request.headers.get("X-Line-Signature")):
        raise Unauthorized(BAD_SIGNATURE)
    try:
        events = parse_events(body)
    except ValueError as exc:
        raise ValidationError({"_schema": [str(exc)]}) from None
    ids = [_event_id(e) for e in events]
    seen = set(
        db.session.scalars(select(Event.event_id).where(Event.workspace_id == workspace_id, Event.event_id.in_(ids)))
        if ids
        else []
    )
    now = utcnow()
    tracked = []
    for event in events:
        event_id = _event_id(event)
        if event_id in seen:
            continue  # a redelivery: its effects happened the first time
        seen.add(event_id)
        customer = _line_customer(workspace_id, event.user_id, now)
        if event.kind in ("follow", "unfollow"):
            _set_line_consent(customer, event.user_id, event.kind == "follow", now)
        tracked.append(
            {
                "event_id": event_id,
                "customer_id": customer.external_id,
                "name": LINE_EVENT_NAMES[event.kind],
                "properties": _line_properties(event),
                "timestamp": event.at,
            }
        )
    db.session.flush()
    result = track_events(db.session, tracked, now, workspace_id=workspace_id)
    db.session.commit()  # the job reads these rows, so they are committed before it is enqueued
    if result.event_ids:
        enqueue_events(result.event_ids)
    return jsonify({"accepted": result.accepted})


# --- SMS delivery reports ---------------------------------------------------------------------------------------


def record_report(workspace_id: int, report: DeliveryReport, invalid_number: bool, sent_by: int | None = None) -> bool:
    """Write the report's message event on the SMS the provider id names (once per kind); suppress the number when
    the failure says it is invalid. False when no message of the workspace has that provider id, or (`sent_by`: the
    provider account the callback is for, 0 the app's own) when that account did not send it."""
    message = db.session.scalars(
        select(Message).where(
            Message.workspace_id == workspace_id, Message.channel == "sms", Message.provider_id == report.provider_id
        )
    ).first()
    if message is None or (sent_by is not None and _sent_through(message.id) != sent_by):
        return False
    now = utcnow()
    known = db.session.scalar(
        select(MessageEvent.id).where(MessageEvent.message_id == message.id, MessageEvent.kind == report.status)
    )
    if known is None:
        detail = {"provider_id": report.provider_id, **({"error": report.error} if report.error else {})}
        db.session.add(
            MessageEvent(
                message_id=message.id,
                customer_id=message.customer_id,
                kind=report.status,
                at=report.at or now,
                detail=detail,
            )
        )
    if report.status == FAILED and invalid_number:
        suppress(db.session, workspace_id, "sms", message.to_address, INVALID, now, report.error, message.id)
    db.session.commit()
    return True


def _sent_through(message_id: int) -> int | None:
    """The provider account a message was sent through (its `sent` event says; 0: the app's configured provider),
    None when it was not sent."""
    details = db.session.scalars(
        select(MessageEvent.detail).where(
            MessageEvent.message_id == message_id, MessageEvent.kind == MessageEventKind.SENT
        )
    ).all()
    if not details:
        return None
    return int((details[-1] or {}).get("account_id") or 0)


def _twilio_tokens() -> list[str]:
    tokens = []
    for sealed in db.session.scalars(
        select(ChannelAccount.sealed_credentials)
        .where(ChannelAccount.channel == "sms", ChannelAccount.provider == "twilio")
        .order_by(ChannelAccount.is_default.desc(), ChannelAccount.id)
    ):
        token = json.loads(unseal(sealed)).get("auth_token") if sealed else None
        if token:
            tokens.append(str(token))
    return tokens


@hooks_bp.post("/twilio/<ref>")
def twilio(ref: str) -> Response:
    workspace_id = _workspace(ref)
    params: Mapping[str, str] = request.form.to_dict()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not any(verify_status_callback(token, request.url, params, signature) for token in _twilio_tokens()):
        raise Unauthorized(BAD_SIGNATURE)
    report = parse_status_callback(params)
    if report is not None:
        invalid = (params.get("ErrorCode") or "").strip() in TWILIO_INVALID_NUMBER
        record_report(workspace_id, report, invalid)
    return Response(status=204)


@hooks_bp.route("/mitake/<ref>", methods=["GET", "POST"], defaults={"token": ""})
@hooks_bp.route("/mitake/<ref>/<token>", methods=["GET", "POST"])
def mitake(ref: str, token: str) -> Response:
    workspace_id = _workspace(ref)
    sent_by = callback_account(db.session, current_app.config["SECRET_KEY"], workspace_id, "mitake", token)
    if sent_by == 0 and current_app.config.get("SMS_ADAPTER") != "mitake":
        sent_by = None  # the app's own provider is not Mitake: no report of it can come
    if sent_by is None:
        raise Forbidden(BAD_CALLBACK_TOKEN)
    params = request.values.to_dict()
    report = parse_delivery_report(params)
    if report is not None:
        invalid = (params.get("statuscode") or "").strip() in MITAKE_INVALID_NUMBER
        record_report(workspace_id, report, invalid, sent_by)
    # Mitake's documented acknowledgement of a report.
    body = f"magicid=sms_gateway_rpack\nmsgid={params.get('msgid') or ''}\n"
    return Response(body, mimetype="text/plain")
