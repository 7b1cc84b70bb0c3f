"""Where a customer is reached on each channel, and whether they may be.

* Addresses: email → the customer's `email`; sms → the `phone` attribute (E.164, e.g. +886912345678); line → the
  `line_user_id` attribute (stored by the LINE webhook on follow); push / webpush → the customer's active devices
  (`customer_devices`: FCM registration tokens, web push subscriptions), newest first, at most MAX_DEVICES;
  in_app → always (the app fetches with the customer's external id); webhook → the step's URL, not the customer.
* Consent: the `consents` attribute maps a channel to true / false; an explicit false means the customer said no to
  that channel (absent: the workspace's lawful basis applies, as for email today). A workspace's suppression list
  (unsubscribes, hard bounces, complaints, addresses a provider rejected) is checked by delivery too.

A customer without the address or the consent takes the send step's `unreachable` output, with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

ADDRESS_ATTRIBUTES = {"sms": "phone", "line": "line_user_id"}
DEVICE_CHANNELS = ("push", "webpush")  # reached through `customer_devices` of the same kind
ALWAYS_REACHABLE = ("in_app", "webhook")
CONSENTS_ATTRIBUTE = "consents"
MAX_DEVICES = 10

NO_ADDRESS = {
    "email": "No email address",
    "sms": "No phone number",
    "line": "Not a LINE friend (no LINE user id)",
    "push": "No app device registered",
    "webpush": "No web push subscription",
}


def address_kind(channel: str | None) -> str | None:
    """Where a channel's address comes from, as the step manifest states it: `email`, an attribute (`phone`,
    `line_user_id`), `devices:<kind>`, `external_id` (in-app) or `url` (a webhook's own); None: not a send channel."""
    if channel is None:
        return None
    if channel == "email":
        return "email"
    if channel in DEVICE_CHANNELS:
        return f"devices:{channel}"
    if channel == "in_app":
        return "external_id"
    if channel == "webhook":
        return "url"
    return ADDRESS_ATTRIBUTES.get(channel)


def consented(attributes: Mapping[str, Any] | None, channel: str) -> bool:
    consents = (attributes or {}).get(CONSENTS_ATTRIBUTE)
    return not (isinstance(consents, Mapping) and consents.get(channel) is False)


def address_of(
    channel: str,
    email: str | None,
    attributes: Mapping[str, Any] | None,
    external_id: str,
    devices: Sequence[str] = (),
) -> tuple[str | None, str | None]:
    """(the address to send to, None) or (None, why the customer cannot be reached on `channel`)."""
    if channel in ALWAYS_REACHABLE:
        return (external_id if channel == "in_app" else ""), None
    if not consented(attributes, channel):
        return None, f"No consent for {channel}"
    if channel == "email":
        address = (email or "").strip()
    elif channel in DEVICE_CHANNELS:  # FCM tokens; web push subscriptions as the objects the browser gave
        chosen = [_device(channel, d) for d in devices[:MAX_DEVICES]]
        address = json.dumps([d for d in chosen if d], separators=(",", ":")) if devices else ""
    else:
        value = (attributes or {}).get(ADDRESS_ATTRIBUTES.get(channel, ""))
        address = value.strip() if isinstance(value, str) else ""
    if not address:
        return None, NO_ADDRESS.get(channel, f"No address for {channel}")
    return address, None


def _device(channel: str, token: str) -> Any:
    if channel != "webpush":
        return token
    try:
        return json.loads(token)
    except ValueError:
        return None
