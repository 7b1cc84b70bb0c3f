"""The provider interface every channel's adapter implements, shaped by the real providers.

* A message reaches an adapter as an `OutgoingMessage`: its channel, its recipient (an email address, a phone number
  in E.164, a LINE user id, a device token, a web push subscription's JSON, a URL), its `payload` — the content the
  send step's `render` produced, shaped per channel (email: subject / html / from_name; sms: text; line: messages;
  push: title / body / data; webhook: body) — and its idempotency key.
* `send_batch(messages)` hands a provider up to `max_batch` messages in one call (LINE multicast takes 500 user
  ids, FCM 500 tokens; SMTP and most SMS gateways 1) and answers one `SendResult` per message, in order: the
  provider's message id, or a classified `SendError` — retryable (with the provider's `retry_after` when it gave
  one, e.g. a 429), permanent, or an invalid address (the address is then marked unusable for that channel).
* `rate_per_second` is the provider's documented send rate; delivery paces calls of one account to it.
* An adapter is built per delivery job with the app config and, when the workspace has one, its provider account
  (`account`: the credentials, decrypted only for the job, and settings such as `base_url`, which the tests point
  at a local emulator of the provider's HTTP API).

Crash safety (see engine/delivery.py): a worker can die inside a provider call. What happens to that message then
depends on the adapter:

* `idempotent_retry = True`: the provider de-duplicates on a key the adapter sends with every attempt
  (`OutgoingMessage.retry_key`, stable per message: LINE's `X-Line-Retry-Key`, Standard Webhooks'
  `webhook-id`), so the message is simply sent again with the same key.
* `idempotent_retry = False` (SMTP): a second attempt could deliver it twice, so it is recorded `unknown`,
  with `message_ref(message)` (the email's Message-ID) stored beforehand so a bounce or a reply can settle it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from wayfinder.clock import wall_now

# uuid5 namespace of the per-message retry keys (any fixed UUID: the key only has to be stable).
_RETRY_KEY_NAMESPACE = uuid.UUID("7f1c3e0a-52a4-4d8e-9a53-5b2f0d6e8c41")


def uuid5_text(namespace: uuid.UUID, name: str) -> str:
    """`str(uuid.uuid5(namespace, name))`, without building a UUID object (delivery derives one per message)."""
    digest = bytearray(hashlib.sha1(namespace.bytes + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    idempotency_key: str
    channel: str
    # The address: an email address, a phone number, a LINE user id, a URL; for push and web push a JSON array of
    # the customer's device tokens / subscriptions (a message reaches every device; see SendResult.dropped).
    recipient: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    workspace_id: int | None = None  # whose message it is (an email says so in a header, for the dev outbox)

    @property
    def retry_key(self) -> str:
        """A UUID derived from the message's idempotency key: the same for every attempt of this message
        (LINE requires a UUID in `X-Line-Retry-Key`; Standard Webhooks' `webhook-id` takes any string)."""
        return uuid5_text(_RETRY_KEY_NAMESPACE, self.idempotency_key)

    # --- the email payload's fields (subject, html, from_name, from_address) ---
    @property
    def to_address(self) -> str:
        return self.recipient

    @property
    def subject(self) -> str:
        return str(self.payload.get("subject") or "")

    @property
    def body(self) -> str:
        return str(self.payload.get("html") or "")

    @property
    def from_name(self) -> str:
        return str(self.payload.get("from_name") or "")

    @property
    def from_address(self) -> str | None:
        """The workspace's sender address; None: the app's (MAIL_FROM)."""
        return self.payload.get("from_address") or None


def retry_after_seconds(value: str | None, default: float | None = 60.0, now: datetime | None = None) -> float | None:
    """A Retry-After header (delta-seconds or an HTTP date) in seconds from now; `default` when absent or bad."""
    value = (value or "").strip()
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or wall_now())).total_seconds())


class SendError(Exception):
    """A send that failed, classified:

    * retryable (the default): tried again with backoff, or after `retry_after` seconds when the provider said
      (HTTP 429 / Retry-After);
    * `permanent`: never retried (a rejected payload, a revoked credential);
    * `invalid_address`: permanent, and the recipient's address is unusable on this channel (an unregistered
      device token, a phone number the gateway rejects, a blocked LINE user): it is marked so and not tried again.
    """

    def __init__(
        self, message: str, permanent: bool = False, *, retry_after: float | None = None, invalid_address: bool = False
    ) -> None:
        super().__init__(message)
        self.permanent = permanent or invalid_address
        self.retry_after = retry_after
        self.invalid_address = invalid_address


@dataclass(frozen=True)
class SendResult:
    """One message's outcome in a batch: the provider's id for it, or the error."""

    provider_id: str | None = None
    error: SendError | None = None
    # Addresses of this message the provider called unusable while the message still went out to others (a
    # customer's unregistered device tokens, expired web push subscriptions): delivery disables them.
    dropped: tuple[str, ...] = ()


class Channel:
    """A provider adapter, opened once per delivery job so a connection can be reused for every message in it."""

    # True when the provider de-duplicates on `message.retry_key`: an attempt cut short by a crash is retried.
    idempotent_retry: bool = False
    # Messages per `send_batch` call (LINE multicast and FCM: 500).
    max_batch: int = 1
    # The provider's documented send rate per account (messages per second); None: no limit to respect.
    rate_per_second: float | None = None
    # What a workspace's provider account holds for this provider (the Settings form's fields): the secrets,
    # sealed at rest and never shown again, and the plain settings (base URL, sender).
    credential_fields: tuple[str, ...] = ()
    setting_fields: tuple[str, ...] = ()

    def __init__(self, config: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> None:
        self.config = config
        self.account: Mapping[str, Any] = account or {}
        # The rate the workspace's contract with the provider allows (account setting or <CHANNEL>_RATE_PER_SECOND,
        # e.g. a Twilio number's 1 message a second), else the provider's documented default.
        rate = self.setting("rate_per_second")
        if rate is not None:
            try:
                self.rate_per_second = float(rate) if float(rate) > 0 else None
            except (TypeError, ValueError):
                pass

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def setting(self, name: str, default: Any = None) -> Any:
        """A provider setting: the workspace account's (`base_url`, credentials), else the app config's
        `<CHANNEL>_<NAME>` key (e.g. SMS_BASE_URL), else `default`."""
        value = self.account.get(name)
        if value in (None, ""):
            value = self.config.get(f"{self.channel_name.upper()}_{name.upper()}")
        return default if value in (None, "") else value

    channel_name: str = ""  # set by register_channel

    def message_ref(self, message: OutgoingMessage) -> str | None:
        """The id the provider will know this message by, when it is known before sending (an email's
        Message-ID); recorded with the attempt, before the call."""
        return None

    def send(self, message: OutgoingMessage) -> str:
        """Send one message; the provider's id for it, or SendError."""
        raise NotImplementedError

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
        """Send up to `max_batch` messages; one result per message, in order. The default sends them one by one;
        a provider with a batch API (multicast) overrides it. Never raises for one message's failure."""
        results = []
        for message in messages:
            try:
                results.append(SendResult(provider_id=self.send(message)))
            except SendError as exc:
                results.append(SendResult(error=exc))
        return results

    def close(self) -> None:
        pass


class DeviceChannel(Channel):
    """A channel whose message goes to each of the customer's devices (app push, web push): `send_one` answers the
    message's one result — sent when any device took it, `dropped` naming the devices that are gone, else the
    errors combined (`combine_device_errors`)."""

    def send_one(self, message: OutgoingMessage) -> SendResult:
        raise NotImplementedError

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
        return [self.send_one(message) for message in messages]

    def send(self, message: OutgoingMessage) -> str:
        result = self.send_one(message)
        if result.error is not None:
            raise result.error
        assert result.provider_id is not None
        return result.provider_id


def combine_device_errors(errors: list[SendError]) -> SendError:
    """One error for a message none of whose devices took it: retryable if any device may take it later (after the
    longest Retry-After asked for), else the first permanent one."""
    retryable = [e for e in errors if not e.permanent]
    if not retryable:
        return errors[0]
    waits = [e.retry_after for e in retryable if e.retry_after is not None]
    return SendError(str(retryable[0]), retry_after=max(waits) if waits else None)


# (channel name, provider name) -> Channel class. The provider for each channel comes from the workspace's provider
# account, else from config, e.g. EMAIL_ADAPTER=smtp (default) or sandbox, SMS_ADAPTER=every8d.
_adapters: dict[tuple[str, str], type[Channel]] = {}
DEFAULT_ADAPTER = {"email": "smtp", "in_app": "store"}


def register_channel(channel: str, adapter: str) -> Callable[[type[Channel]], type[Channel]]:
    def decorator(cls: type[Channel]) -> type[Channel]:
        _adapters[(channel, adapter)] = cls
        if not cls.channel_name:
            cls.channel_name = channel
        return cls

    return decorator


def providers(channel: str | None = None) -> list[tuple[str, str]]:
    """The registered (channel, provider) pairs, e.g. for the provider-account form."""
    return sorted(key for key in _adapters if channel is None or key[0] == channel)


def adapter_class(channel: str, config: Mapping[str, Any], provider: str | None = None) -> type[Channel]:
    adapter = provider or config.get(f"{channel.upper()}_ADAPTER") or DEFAULT_ADAPTER.get(channel) or "sandbox"
    try:
        return _adapters[(channel, adapter)]
    except KeyError:
        raise SendError(f"No provider '{adapter}' for channel '{channel}'", permanent=True) from None


def retries_safely(channel: str, config: Mapping[str, Any], provider: str | None = None) -> bool:
    """Whether an attempt of `channel` cut short by a crash may be sent again (see the module docstring)."""
    try:
        return adapter_class(channel, config, provider).idempotent_retry
    except SendError:
        return False


def get_channel(
    channel: str, config: Mapping[str, Any], provider: str | None = None, account: Mapping[str, Any] | None = None
) -> Channel:
    return adapter_class(channel, config, provider)(config, account)
