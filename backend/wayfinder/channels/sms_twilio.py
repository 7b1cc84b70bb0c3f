"""SMS through Twilio's Programmable Messaging, with the `twilio` package's Client: `Messages.create(to, from_ or
messaging_service_sid, body, status_callback)`, i.e. `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with
HTTP Basic auth (Account SID, Auth Token).

* The Client's API domain URL (`client.api.base_url`, https://api.twilio.com) is the account's `base_url` setting
  when it has one (the tests' emulator); the Client is given an environment of its own so TWILIO_EDGE /
  TWILIO_REGION in the process environment cannot rewrite that host.
* Its HTTP client is Twilio's own (requests) on a session that checks the address connected to unless
  SMS_ALLOW_PRIVATE (see sms_http: a workspace's `base_url` must not reach the server's own network), with our
  (connect, read) timeouts and a memory of the last answer:
  TwilioRestException keeps the status and Twilio's error code but not the headers, and a 429's Retry-After is in
  the headers.
* Twilio's Messages API takes no idempotency key: an attempt cut short by a crash is not sent again
  (`idempotent_retry = False`).
* Delivery reports come to the `status_callback` URL, signed (X-Twilio-Signature) with the Auth Token:
  `verify_status_callback` checks it, `parse_status_callback` reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from wayfinder.channels.base import Channel, OutgoingMessage, SendError, register_channel, retry_after_seconds
from wayfinder.channels.reports import DELIVERED, FAILED, DeliveryReport
from wayfinder.channels.sms_http import CONNECT_TIMEOUT, READ_TIMEOUT
from wayfinder.channels.webhook import RefusedAddress, checked_session

DEFAULT_BASE_URL = "https://api.twilio.com"

# Twilio error codes (https://www.twilio.com/docs/api/errors) by what they say of the recipient or the account.
INVALID_TO = {
    21211: "invalid 'To' phone number",
    21614: "'To' number is not a valid mobile number",
    21610: "the recipient has unsubscribed (replied STOP)",
}
AUTH_ERRORS = {20003: "authentication failed", 20005: "the account is not active"}
TOO_MANY_REQUESTS = 20429


class _RememberingHttpClient(TwilioHttpClient):
    """Twilio's requests-based client that keeps the last answer (for the headers of an error) and takes a
    (connect, read) timeout."""

    def __init__(self, timeout: tuple[float, float], session: requests.Session) -> None:
        super().__init__(pool_connections=True)
        self.session = session
        self.timeout = timeout  # type: ignore[assignment]  # requests takes the tuple; the base class checks a float
        self.last_response: Response | None = None

    def request(self, *args: Any, **kwargs: Any) -> Response:
        self.last_response = None
        self.last_response = super().request(*args, **kwargs)
        return self.last_response


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    return retry_after_seconds((headers or {}).get("Retry-After"), None)


def classify(exc: TwilioRestException | TwilioServiceException, headers: Mapping[str, str] | None) -> SendError:
    status, code = int(exc.status or 0), int(exc.code or 0)
    detail = f"Twilio error {code} (HTTP {status})"
    message = getattr(exc, "msg", None) or getattr(exc, "detail", None) or getattr(exc, "title", None)
    if message:
        detail += f": {message}"
    if status == 429 or code == TOO_MANY_REQUESTS:
        return SendError(detail, retry_after=_retry_after(headers))
    if code in INVALID_TO:
        return SendError(f"{detail} ({INVALID_TO[code]})", invalid_address=True)
    if code in AUTH_ERRORS or status in (401, 403):
        return SendError(detail, permanent=True)
    if status >= 500 or status in (408, 425):
        return SendError(detail)
    return SendError(detail, permanent=True)  # another 4xx: the request is wrong, sending it again changes nothing


@register_channel("sms", "twilio")
class TwilioChannel(Channel):
    credential_fields = ("account_sid", "auth_token")
    setting_fields = ("from_number", "messaging_service_sid", "status_callback", "base_url", "rate_per_second")
    idempotent_retry = False

    def __init__(self, config: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, account)
        self._client: Client | None = None
        self._http: _RememberingHttpClient | None = None

    def client(self) -> Client:
        if self._client is None:
            if not self.setting("account_sid") or not self.setting("auth_token"):
                raise SendError("Twilio needs an account_sid and an auth_token", permanent=True)
            timeout = (
                float(self.setting("connect_timeout", CONNECT_TIMEOUT)),
                float(self.setting("read_timeout", READ_TIMEOUT)),
            )
            self._http = _RememberingHttpClient(timeout, checked_session(bool(self.config.get("SMS_ALLOW_PRIVATE"))))
            client = Client(
                str(self.setting("account_sid", "")),
                str(self.setting("auth_token", "")),
                http_client=self._http,
                environment={"TWILIO_EDGE": "", "TWILIO_REGION": ""},
            )
            client.api.base_url = str(self.setting("base_url", DEFAULT_BASE_URL)).rstrip("/")
            self._client = client
        return self._client

    def create_arguments(self, message: OutgoingMessage) -> dict[str, Any]:
        arguments: dict[str, Any] = {"to": message.recipient, "body": str(message.payload.get("text") or "")}
        service = self.setting("messaging_service_sid")
        if service:
            arguments["messaging_service_sid"] = str(service)
        else:
            sender = self.setting("from_number")
            if not sender:
                raise SendError("Twilio needs a from_number or a messaging_service_sid", permanent=True)
            arguments["from_"] = str(sender)
        callback = self.setting("status_callback")
        if callback:
            arguments["status_callback"] = str(callback)
        return arguments

    def send(self, message: OutgoingMessage) -> str:
        arguments = self.create_arguments(message)
        client = self.client()
        try:
            created = client.api.v2010.account.messages.create(**arguments)
        except (TwilioRestException, TwilioServiceException) as exc:
            last = self._http.last_response if self._http else None
            raise classify(exc, last.headers if last is not None else None) from exc
        except RefusedAddress as exc:
            raise SendError(f"Twilio base_url {exc}", permanent=True) from exc
        except requests.RequestException as exc:
            raise SendError(f"Twilio unreachable: {exc.__class__.__name__}: {exc}") from exc
        except TwilioException as exc:  # e.g. an answer that is not JSON
            raise SendError(f"Twilio error: {exc}") from exc
        if not created.sid:
            raise SendError("Twilio accepted the message without a sid")
        return created.sid

    def close(self) -> None:
        if self._http is not None and self._http.session is not None:
            self._http.session.close()
        self._client = self._http = None


def verify_status_callback(auth_token: str, url: str, params: Mapping[str, str], signature: str) -> bool:
    """Whether a status callback's X-Twilio-Signature is Twilio's for this URL (as Twilio requested it) and these
    POST parameters, signed with the account's Auth Token."""
    if not auth_token or not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, dict(params), signature))


def parse_status_callback(params: Mapping[str, str]) -> DeliveryReport | None:
    """A status callback (MessageSid, MessageStatus, ErrorCode) as a DeliveryReport: delivered, or failed for
    `undelivered` / `failed` (with the ErrorCode); None for a status that is not final (queued, sending, sent…)."""
    sid = (params.get("MessageSid") or params.get("SmsSid") or "").strip()
    status = (params.get("MessageStatus") or params.get("SmsStatus") or "").strip().lower()
    if not sid:
        return None
    if status == "delivered":
        return DeliveryReport(sid, DELIVERED)
    if status in ("undelivered", "failed"):
        code = (params.get("ErrorCode") or "").strip()
        return DeliveryReport(sid, FAILED, error=f"{status} (Twilio error {code})" if code else status)
    return None
