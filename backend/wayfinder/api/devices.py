"""/api/devices and /api/webpush/config: what a shop's app or site tells Wayfinder about where its customers can
be pushed, with an API key of scope track (the intake, like POST /api/events).

* POST /api/devices registers a device for a customer (by the shop's external id; a customer seen for the first
  time is created): an app's FCM registration token (`push`) or a browser's web push subscription (`webpush`).
  The same device again (same token, same subscription endpoint) is the same row: it is seen now, re-enabled
  when it was disabled, and belongs to the customer who registered it last (a shared tablet changes hands).
* DELETE /api/devices (same body) disables it: the customer signed out, or turned notifications off.
* GET /api/webpush/config answers the public VAPID key of the workspace's default web push account, which the
  browser snippet (static/wayfinder-webpush.js) subscribes with.
"""

from __future__ import annotations

import json

from sqlalchemy import select, update

from wayfinder.api.parser import Blueprint
from wayfinder.auth.permissions import requires
from wayfinder.db_utils import insert_ignore
from wayfinder.engine.addresses import device_key, token_hash
from wayfinder.errors import NotFound
from wayfinder.extensions import db
from wayfinder.models import ChannelAccount, Customer, CustomerDevice, utcnow
from wayfinder.schemas.api import ErrorSchema
from wayfinder.schemas.channels import DeviceInSchema, DeviceOutSchema, WebPushConfigOutSchema
from wayfinder.tracking import customer_ids_for
from wayfinder.workspaces.scoping import request_workspace

blp = Blueprint(
    "devices",
    __name__,
    url_prefix="/api",
    description="Devices a shop's app or site registers for app push and web push (API key scope track).",
)


def device_token(data: dict) -> str:
    """What the device row stores: the FCM token, or the subscription's JSON (endpoint and keys)."""
    if data["kind"] == "webpush":
        subscription = data["subscription"]
        return json.dumps({"endpoint": subscription["endpoint"], "keys": subscription["keys"]}, sort_keys=True)
    return data["token"]


@blp.post("/devices")
@blp.arguments(DeviceInSchema)
@blp.response(200, DeviceOutSchema)
@requires("events.track")
def register_device(data: dict):
    """Register (or refresh) a customer's device; a disabled one is enabled again."""
    workspace_id, now = request_workspace(), utcnow()
    customer_id = customer_ids_for(db.session, {data["customer_id"]}, now, workspace_id)[data["customer_id"]]
    token = device_token(data)
    digest = token_hash(device_key(data["kind"], token))
    row = {"workspace_id": workspace_id, "kind": data["kind"], "token_hash": digest}
    insert_ignore(
        db.session,
        CustomerDevice.__table__,
        [{**row, "customer_id": customer_id, "token": token, "created_at": now, "last_seen_at": now}],
        conflict=("workspace_id", "kind", "token_hash"),
    )
    d = CustomerDevice.__table__.c
    db.session.execute(
        update(CustomerDevice.__table__)
        .where(d.workspace_id == workspace_id, d.kind == data["kind"], d.token_hash == digest)
        .values(customer_id=customer_id, token=token, last_seen_at=now, disabled_at=None, disabled_reason=None)
    )
    device = db.session.scalars(
        select(CustomerDevice)
        .where(CustomerDevice.kind == data["kind"], CustomerDevice.token_hash == digest)
        .execution_options(populate_existing=True)
    ).one()
    db.session.commit()
    return {"id": device.id, "kind": device.kind, "active": True, "last_seen_at": device.last_seen_at}


@blp.delete("/devices")
@blp.arguments(DeviceInSchema)
@blp.response(200, DeviceOutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="The customer has no such device")
@requires("events.track")
def disable_device(data: dict):
    """Disable a customer's device: no push reaches it until it is registered again."""
    digest = token_hash(device_key(data["kind"], device_token(data)))
    device = db.session.scalars(
        select(CustomerDevice)
        .join(Customer, Customer.id == CustomerDevice.customer_id)
        .where(
            Customer.external_id == data["customer_id"],
            CustomerDevice.kind == data["kind"],
            CustomerDevice.token_hash == digest,
        )
    ).one_or_none()
    if device is None:
        raise NotFound("This customer has no such device.")
    if device.disabled_at is None:
        device.disabled_at = utcnow()
        device.disabled_reason = "unregistered by the app"
    db.session.commit()
    return {"id": device.id, "kind": device.kind, "active": False, "last_seen_at": device.last_seen_at}


@blp.get("/webpush/config")
@blp.response(200, WebPushConfigOutSchema)
@requires("events.track")
def webpush_config():
    """The public VAPID key browsers subscribe with (null when the workspace has no web push account)."""
    settings = db.session.scalar(
        select(ChannelAccount.settings).where(ChannelAccount.channel == "webpush", ChannelAccount.is_default.is_(True))
    )
    return {"vapid_public_key": (settings or {}).get("vapid_public_key") or None}
