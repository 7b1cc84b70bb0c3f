"""App push through Firebase Cloud Messaging (FCM HTTP v1), with `firebase-admin`.

Why it looks the way it does:

* The recipient is the customer's registration tokens (a JSON array: one per app install). A message goes to all
  of them in one `send_each` call (what `send_each_for_multicast` does; at most 500 tokens each: FCM's limit;
  see `FcmChannel.messages` for why not a MulticastMessage); it is sent when at least one token took it (the
  provider id: the first "projects/<p>/messages/<id>").
* Per token: UNREGISTERED (`UnregisteredError`: the app was uninstalled, the token expired), SENDER_ID_MISMATCH
  and an INVALID_ARGUMENT that FCM says is about the token (a `message.token` field violation) mean that token is
  unusable: it goes into `SendResult.dropped`; when every token is, the recipient is an invalid address.
  QUOTA_EXCEEDED → retry after Retry-After (else 60 s); UNAVAILABLE / INTERNAL / network → retryable;
  THIRD_PARTY_AUTH_ERROR (APNs / web push credentials in the Firebase project), auth and other rejections →
  permanent.
* One firebase-admin App per service account (the account's `service_account` setting: the JSON Google gives, as
  a dict or a string; the project id comes from it), named by a digest of the account's settings and cached in
  firebase-admin's registry, so every delivery job of a workspace reuses its OAuth token (fetched from the JSON's
  `token_uri` with a JWT signed by the service account's key, refreshed when it expires).
* The FCM endpoint: the `base_url` setting (account, else PUSH_BASE_URL; default https://fcm.googleapis.com),
  which the tests point at an emulator. firebase-admin has no option for it (its FCM_URL is a class constant
  formatted into the messaging service's `_fcm_url` when the service is created), so `_messaging_service()`
  sets that attribute on this App's own messaging service: the one hook, per App, nothing global.
* firebase-admin's HTTP client retries 500/503 four times with backoff (sleeping out a Retry-After): delivery
  already retries with backoff and paces the account, so the App's session gets a plain adapter without retries
  — a call takes at most the timeouts (`connect_timeout` 5 s, `read_timeout` 15 s).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wayfinder.channels.base import (
    DeviceChannel,
    OutgoingMessage,
    SendError,
    SendResult,
    combine_device_errors,
    register_channel,
)
from wayfinder.channels.webhook import CheckedAddressAdapter, RefusedAddress, retry_after_seconds, timeouts

DEFAULT_BASE_URL = "https://fcm.googleapis.com"
MAX_TOKENS = 500  # per send_each call (FCM's limit)
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
_apps_lock = threading.Lock()

if TYPE_CHECKING:  # firebase-admin and google-auth take ~0.1 s to import: only when a push is sent
    import firebase_admin
    from firebase_admin import exceptions, messaging


def service_account_info(value: Any) -> dict[str, Any]:
    """The service account JSON as a dict; SendError(permanent) when it is missing or not one."""
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise SendError("The FCM service account is not valid JSON", permanent=True) from exc
    if not isinstance(value, Mapping) or value.get("type") != "service_account" or not value.get("project_id"):
        raise SendError("No FCM service account (service_account) with a project_id is configured", permanent=True)
    return dict(value)


def app_for(
    info: Mapping[str, Any], base_url: str, timeout: tuple[float, float], allow_private: bool = False
) -> firebase_admin.App:
    """The cached App of this service account and endpoint (made on first use)."""
    import firebase_admin
    from firebase_admin import credentials

    key = [info, base_url, timeout, allow_private]
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
    name = f"wayfinder-fcm-{digest}"
    with _apps_lock:
        try:
            return firebase_admin.get_app(name)
        except ValueError:
            pass
        try:
            credential = credentials.Certificate(dict(info))
        except (ValueError, KeyError) as exc:
            raise SendError(f"The FCM service account cannot be used: {exc}", permanent=True) from exc
        app = firebase_admin.initialize_app(
            credential, {"projectId": info["project_id"], "httpTimeout": timeout[1]}, name=name
        )
        _configure_messaging(app, base_url, timeout, allow_private)
        return app


def _configure_messaging(
    app: firebase_admin.App, base_url: str, timeout: tuple[float, float], allow_private: bool
) -> None:
    """Point this App's messaging service at `base_url`, give its requests the (connect, read) timeouts (the
    httpTimeout option is one number, also given to an httpx client that takes no pair) and take the library's
    own retries off (see the module docstring). `base_url` is a workspace's setting: unless PUSH_ALLOW_PRIVATE,
    the connection goes through the webhooks' address check (no private, loopback, metadata addresses)."""
    import requests
    from firebase_admin import messaging

    service = messaging._get_messaging_service(app)  # noqa: SLF001  (firebase-admin has no public hook)
    base = base_url.rstrip("/")
    service._fcm_url = f"{base}/v1/projects/{app.project_id}/messages:send"  # noqa: SLF001
    service._client._timeout = timeout  # noqa: SLF001
    session = service._client.session  # noqa: SLF001
    pools = {"pool_connections": 10, "pool_maxsize": 100}  # send_each sends from up to 500 threads
    if allow_private:
        plain = requests.adapters.HTTPAdapter(max_retries=0, **pools)
        session.mount("http://", plain)
        session.mount("https://", plain)
    else:  # max_retries defaults to 0
        session.mount("http://", CheckedAddressAdapter(False, **pools))
        session.mount("https://", CheckedAddressAdapter(True, **pools))
    session.adapters.pop("https://fcm.googleapis.com", None)  # the library's retrying adapter for its own URL


def fresh_token(app: firebase_admin.App) -> None:
    """Fetch the App's OAuth token when it has none valid, before the concurrent sends: send_each's threads
    would each fetch one (google-auth does not serialise refreshes), and a refused credential is reported once."""
    import google.auth.exceptions

    credential = app.credential.get_credential()
    if credential.valid:
        return
    try:
        app.credential.get_access_token()
    except google.auth.exceptions.RefreshError as exc:
        if exc.retryable:
            raise SendError(f"FCM token endpoint: {exc}"[:400]) from exc
        raise SendError(f"FCM credentials refused: {exc}"[:400], permanent=True) from exc
    except google.auth.exceptions.TransportError as exc:
        raise SendError(f"FCM token endpoint cannot be reached: {exc}"[:400]) from exc


def tokens(recipient: str) -> list[str]:
    try:
        value = json.loads(recipient)
    except (TypeError, ValueError):
        value = None
    if not isinstance(value, list) or not value or not all(isinstance(t, str) and t for t in value):
        raise SendError("The push recipient is not a JSON array of registration tokens", invalid_address=True)
    return list(dict.fromkeys(value))  # a token listed twice gets the message once


def _response_json(error: exceptions.FirebaseError) -> dict[str, Any]:
    response = error.http_response
    if response is None:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body.get("error") or {} if isinstance(body, dict) else {}


def _token_is_invalid(error: exceptions.FirebaseError) -> bool:
    """Whether an INVALID_ARGUMENT is about the registration token (not the message's content)."""
    for detail in _response_json(error).get("details") or []:
        for violation in detail.get("fieldViolations") or []:
            if violation.get("field") == "message.token":
                return True
    return "registration token" in str(error).lower()


def _retry_after(error: exceptions.FirebaseError) -> float:
    response = error.http_response
    return retry_after_seconds(response.headers.get("Retry-After") if response is not None else None)


def classify(error: Exception) -> SendError:
    """The SendError for one token's failure (invalid_address: drop that token)."""
    from firebase_admin import exceptions, messaging

    text = f"FCM: {error}"[:400]
    if isinstance(getattr(error, "cause", None), RefusedAddress):  # base_url resolves to a refused address
        return SendError(f"FCM base_url {error.cause}", permanent=True)
    if isinstance(error, messaging.UnregisteredError | messaging.SenderIdMismatchError):
        return SendError(text, invalid_address=True)
    if isinstance(error, exceptions.InvalidArgumentError) and _token_is_invalid(error):
        return SendError(text, invalid_address=True)
    if isinstance(error, messaging.QuotaExceededError | exceptions.ResourceExhaustedError):
        return SendError(text, retry_after=_retry_after(error))
    if isinstance(error, exceptions.UnavailableError):
        response = error.http_response
        wait = response.headers.get("Retry-After") if response is not None else None
        return SendError(text, retry_after=retry_after_seconds(wait) if wait else None)
    if isinstance(error, exceptions.InternalError | exceptions.DeadlineExceededError | exceptions.UnknownError):
        return _unknown(error, text)
    return SendError(text, permanent=True)  # third-party auth, unauthenticated, permission denied, bad message


def _unknown(error: exceptions.FirebaseError, text: str) -> SendError:
    """An error with no FCM answer: a network problem (retryable), or the OAuth token could not be had."""
    import google.auth.exceptions

    cause = error.cause
    if isinstance(cause, google.auth.exceptions.RefreshError) and not cause.retryable:
        return SendError(f"FCM credentials refused: {cause}"[:400], permanent=True)
    return SendError(text)


@register_channel("push", "fcm")
class FcmChannel(DeviceChannel):
    credential_fields = ("service_account",)
    setting_fields = ("base_url", "rate_per_second")
    max_batch = 100  # messages per send_batch: each is one multicast call to its tokens

    def __init__(self, config: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, account)
        self._app: firebase_admin.App | None = None

    def app(self) -> firebase_admin.App:
        if self._app is None:
            info = service_account_info(self.setting("service_account"))
            base_url = str(self.setting("fcm_url") or self.setting("base_url", DEFAULT_BASE_URL))
            allow_private = bool(self.config.get("PUSH_ALLOW_PRIVATE"))  # app config only
            self._app = app_for(info, base_url, timeouts(self, CONNECT_TIMEOUT, READ_TIMEOUT), allow_private)
        return self._app

    @staticmethod
    def messages(message: OutgoingMessage, chunk: list[str]) -> list[messaging.Message]:
        """One FCM message per registration token (what `send_each_for_multicast` makes of a MulticastMessage).

        firebase-admin 7.7 deprecates `Message.token` / `MulticastMessage.tokens` for Firebase installation ids
        (`fid`), with a DeprecationWarning from the constructor; the recipients here are registration tokens,
        which FCM HTTP v1 still takes in `message.token`. The token is set after construction, so no warning
        filter (process-wide state) has to be changed while other threads send."""
        from firebase_admin import messaging

        payload = message.payload
        data = payload.get("data") or None
        notification = messaging.Notification(
            title=payload.get("title") or None,
            body=payload.get("body") or None,
            image=payload.get("image_url") or None,
        )
        built = []
        for token in chunk:
            fcm_message = messaging.Message(
                notification=notification, data={str(k): str(v) for k, v in data.items()} if data else None
            )
            fcm_message.token = token
            built.append(fcm_message)
        return built

    def send_one(self, message: OutgoingMessage) -> SendResult:
        from firebase_admin import exceptions, messaging

        try:
            recipients = tokens(message.recipient)
            app = self.app()
            fresh_token(app)
        except SendError as exc:
            return SendResult(error=exc)
        ids: list[str] = []
        dropped: list[str] = []
        errors: list[SendError] = []
        for start in range(0, len(recipients), MAX_TOKENS):
            chunk = recipients[start : start + MAX_TOKENS]
            try:
                batch = messaging.send_each(self.messages(message, chunk), app=app)
            except ValueError as exc:  # the message cannot be built (e.g. a malformed image URL)
                return SendResult(error=SendError(f"FCM message refused: {exc}", permanent=True))
            except exceptions.FirebaseError as exc:  # the whole call failed
                errors.append(classify(exc))
                continue
            for token, response in zip(chunk, batch.responses, strict=True):
                if response.success:
                    ids.append(response.message_id)
                    continue
                error = classify(response.exception)
                if error.invalid_address:
                    dropped.append(token)
                else:
                    errors.append(error)
        if ids:
            return SendResult(provider_id=ids[0], dropped=tuple(dropped))
        if not errors:
            return SendResult(
                error=SendError("Every FCM registration token is unregistered", invalid_address=True),
                dropped=tuple(dropped),
            )
        return SendResult(error=combine_device_errors(errors), dropped=tuple(dropped))
