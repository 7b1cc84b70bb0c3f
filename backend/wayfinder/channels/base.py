"""The channel interface: `send(message) -> provider id`, raising SendError on failure.

Crash safety (see engine/delivery.py): a worker can die inside `send`. What happens to that message then
depends on the adapter:

* `idempotent_retry = True`: the provider de-duplicates on a key the adapter sends with every attempt
  (`OutgoingMessage.retry_key`, stable per message: LINE's `X-Line-Retry-Key`, Standard Webhooks'
  `webhook-id`), so the message is simply sent again with the same key.
* `idempotent_retry = False` (SMTP): a second attempt could deliver it twice, so it is recorded `unknown`,
  with `message_ref(message)` (the email's Message-ID) stored beforehand so a bounce or a reply can settle it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# uuid5 namespace of the per-message retry keys (any fixed UUID: the key only has to be stable).
_RETRY_KEY_NAMESPACE = uuid.UUID("7f1c3e0a-52a4-4d8e-9a53-5b2f0d6e8c41")


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    idempotency_key: str
    channel: str
    to_address: str
    from_name: str
    subject: str
    body: str
    from_address: str | None = None  # the workspace's sender address; None: the app's (MAIL_FROM)
    workspace_id: int | None = None  # whose message it is (an email says so in a header, for the dev outbox)

    @property
    def retry_key(self) -> str:
        """A UUID derived from the message's idempotency key: the same for every attempt of this message
        (LINE requires a UUID in `X-Line-Retry-Key`; Standard Webhooks' `webhook-id` takes any string)."""
        return str(uuid.uuid5(_RETRY_KEY_NAMESPACE, self.idempotency_key))


class SendError(Exception):
    """A send that failed. `permanent` failures are not retried (e.g. a rejected address)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel:
    """Opened once per delivery batch, so a connection can be reused for every message in it."""

    # True when the provider de-duplicates on `message.retry_key`: an attempt cut short by a crash is retried.
    idempotent_retry: bool = False

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def message_ref(self, message: OutgoingMessage) -> str | None:
        """The id the provider will know this message by, when it is known before sending (an email's
        Message-ID); recorded with the attempt, before the call."""
        return None

    def send(self, message: OutgoingMessage) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass


# (channel name, adapter name) -> Channel class. The adapter for each channel comes from config,
# e.g. EMAIL_ADAPTER=smtp (default) or sandbox.
_adapters: dict[tuple[str, str], type[Channel]] = {}


def register_channel(channel: str, adapter: str) -> Callable[[type[Channel]], type[Channel]]:
    def decorator(cls: type[Channel]) -> type[Channel]:
        _adapters[(channel, adapter)] = cls
        return cls

    return decorator


def adapter_class(channel: str, config: Mapping[str, Any]) -> type[Channel]:
    adapter = config.get(f"{channel.upper()}_ADAPTER") or "smtp"
    try:
        return _adapters[(channel, adapter)]
    except KeyError:
        raise SendError(f"No adapter '{adapter}' for channel '{channel}'", permanent=True) from None


def retries_safely(channel: str, config: Mapping[str, Any]) -> bool:
    """Whether an attempt of `channel` cut short by a crash may be sent again (see the module docstring)."""
    try:
        return adapter_class(channel, config).idempotent_retry
    except SendError:
        return False


def get_channel(channel: str, config: Mapping[str, Any]) -> Channel:
    return adapter_class(channel, config)(config)
