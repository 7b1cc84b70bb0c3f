"""Web push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), through `pywebpush`.

Why it looks the way it does:

* The recipient is the customer's subscriptions (a JSON array: one per browser the customer allowed
  notifications in), each {"endpoint", "keys": {"p256dh", "auth"}}. The message goes to every one, one POST each;
  it is sent when at least one push service accepted it (201 + Location: the provider id, else the endpoint).
* 404 / 410 from a push service means that subscription is gone for good (the user revoked the permission, the
  browser dropped it): its endpoint goes into `SendResult.dropped` so delivery disables it; when every
  subscription is gone the recipient itself is unusable (`invalid_address`). 429 → retry after Retry-After;
  5xx / network → retryable; other 4xx (a VAPID key the subscription was not made with: 401/403, a payload too
  large: 413) → permanent.
* The data is the JSON the site's service worker shows: {"title", "body", "url", "icon"}.
* Subscriptions come from browsers, so from anyone: an endpoint is a URL an attacker can choose. It goes through
  the webhook module's checked session (the address connected to is checked after DNS; no redirects), and must
  be https, unless WEBPUSH_ALLOW_PRIVATE (app config only: the tests and the dev setup) allows local endpoints.
* VAPID: the private key is the account setting `vapid_private_key` (else WEBPUSH_VAPID_PRIVATE_KEY): the raw
  32-byte key base64url-encoded, DER base64url, or PEM; `vapid_subject` is the "mailto:" contact push services
  can reach the sender at. `vapid_keys()` makes a pair for the setup docs (`python -c "from
  wayfinder.channels.webpush import vapid_keys; print(vapid_keys())"`): the public key is the
  `applicationServerKey` the site subscribes with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from wayfinder.channels.base import (
    DeviceChannel,
    OutgoingMessage,
    SendError,
    SendResult,
    combine_device_errors,
    register_channel,
)
from wayfinder.channels.webhook import RefusedAddress, checked_session, classify, timeouts

if TYPE_CHECKING:  # pywebpush (with aiohttp) takes ~0.1 s to import: only when a push is sent
    from py_vapid import Vapid

TTL = 86400  # a notification waits a day for a browser that is offline
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
GONE = (404, 410)


def vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair: (the private key, raw and base64url-encoded, for `vapid_private_key`; the public
    key, an uncompressed P-256 point base64url-encoded, the site's `applicationServerKey`)."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid
    from py_vapid.utils import b64urlencode

    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64urlencode(private), b64urlencode(public)


def load_vapid(key: str) -> Vapid:
    from py_vapid import Vapid

    key = key.strip()
    if key.startswith("-----BEGIN"):
        return Vapid.from_pem(key.encode())
    return Vapid.from_string(key)


def subscriptions(recipient: str) -> list[dict[str, Any]]:
    """The recipient's subscriptions; SendError(invalid_address) when it is not a non-empty JSON array."""
    try:
        subs = json.loads(recipient)
    except (TypeError, ValueError):
        subs = None
    if not isinstance(subs, list) or not subs:
        raise SendError("The web push recipient is not a JSON array of subscriptions", invalid_address=True)
    return subs


def _endpoint(sub: Any) -> str:
    return str(sub.get("endpoint") or "") if isinstance(sub, dict) else str(sub)


def notification(message: OutgoingMessage) -> str:
    payload = message.payload
    data = {key: payload.get(key) for key in ("title", "body", "url", "icon")}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@register_channel("webpush", "vapid")
class WebPushChannel(DeviceChannel):
    credential_fields = ("vapid_private_key",)
    setting_fields = ("vapid_subject", "vapid_public_key")
    max_batch = 100

    def __init__(self, config: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, account)
        self.allow_private = bool(config.get("WEBPUSH_ALLOW_PRIVATE"))  # app config only
        self._session = checked_session(self.allow_private)
        self._timeout = timeouts(self, CONNECT_TIMEOUT, READ_TIMEOUT)
        self._vapid: Vapid | None = None

    def vapid(self) -> Vapid:
        if self._vapid is None:
            key = self.setting("vapid_private_key")
            if not key:
                raise SendError("No VAPID private key (vapid_private_key) is configured", permanent=True)
            try:
                self._vapid = load_vapid(str(key))
            except Exception as exc:  # py_vapid raises several kinds for a malformed key
                raise SendError(f"The VAPID private key cannot be read: {exc}", permanent=True) from exc
        return self._vapid

    def claims(self) -> dict[str, str | int]:
        subject = str(self.setting("vapid_subject") or "")
        if not subject.startswith(("mailto:", "https://")):
            raise SendError("The VAPID subject (vapid_subject) must be a mailto: or https: URL", permanent=True)
        return {"sub": subject}

    def push(self, sub: dict[str, Any], data: str) -> str:
        """One POST to one subscription's endpoint: the push service's id for it (Location), or SendError."""
        import http_ece
        from pywebpush import WebPushException, webpush

        endpoint = _endpoint(sub)
        scheme = urlsplit(endpoint).scheme
        keys = sub.get("keys") if isinstance(sub, dict) else None
        if scheme not in ("https", "http") or (scheme == "http" and not self.allow_private):
            raise SendError(f"Not an https push endpoint: {endpoint[:100]}", invalid_address=True)
        if not isinstance(keys, dict) or not keys.get("p256dh") or not keys.get("auth"):
            raise SendError("The subscription has no keys", invalid_address=True)
        vapid, claims = self.vapid(), self.claims()  # the account's problems, not the subscription's
        try:
            response = webpush(
                sub,
                data,
                vapid_private_key=vapid,
                vapid_claims=claims,  # a new dict per call: webpush adds aud (the endpoint's origin) and exp
                ttl=TTL,
                timeout=self._timeout,
                requests_session=self._session,
            )
        except WebPushException as exc:
            if exc.response is None:  # a subscription pywebpush cannot encrypt for (bad p256dh)
                raise SendError(f"Unusable subscription: {exc.message}", invalid_address=True) from exc
            raise self.classify(exc.response) from exc
        except (ValueError, http_ece.ECEException) as exc:  # keys that are not base64 / not a P-256 point
            raise SendError(f"Unusable subscription keys: {exc}", invalid_address=True) from exc
        except RefusedAddress as exc:
            raise SendError(str(exc), invalid_address=True) from exc
        except requests.RequestException as exc:
            raise SendError(f"The push service cannot be reached: {exc}") from exc
        assert isinstance(response, requests.Response)
        return response.headers.get("Location") or endpoint

    @staticmethod
    def classify(response: requests.Response) -> SendError:
        if response.status_code in GONE:
            return SendError(f"The subscription is gone ({response.status_code})", invalid_address=True)
        if 300 <= response.status_code < 400:
            return SendError(f"The push service redirected ({response.status_code})", permanent=True)
        error = classify(response)
        error.args = (str(error).replace("webhook receiver", "push service"),)
        return error

    def send_one(self, message: OutgoingMessage) -> SendResult:
        try:
            subs = subscriptions(message.recipient)
            data = notification(message)
        except SendError as exc:
            return SendResult(error=exc)
        ids: list[str] = []
        dropped: list[str] = []
        why_dropped: list[str] = []
        errors: list[SendError] = []
        for sub in subs:
            try:
                ids.append(self.push(sub, data))
            except SendError as exc:
                if exc.invalid_address:
                    dropped.append(_endpoint(sub))
                    why_dropped.append(str(exc))
                else:
                    errors.append(exc)
        if ids:
            return SendResult(provider_id=ids[0], dropped=tuple(dropped))
        if not errors:
            return SendResult(
                error=SendError(
                    f"No usable web push subscription: {'; '.join(sorted(set(why_dropped)))}", invalid_address=True
                ),
                dropped=tuple(dropped),
            )
        return SendResult(error=combine_device_errors(errors), dropped=tuple(dropped))

    def close(self) -> None:
        self._session.close()
