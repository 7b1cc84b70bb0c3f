"""The channel interface: `send(message) -> provider id`, raising SendError on failure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    idempotency_key: str
    channel: str
    to_address: str
    from_name: str
    subject: str
    body: str


class SendError(Exception):
    """A send that failed. `permanent` failures are not retried (e.g. a rejected address)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel:
    """Opened once per delivery batch, so a connection can be reused for every message in it."""

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, message: OutgoingMessage) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass


# (channel name, adapter name) -> factory(config). The adapter for each channel comes from config,
# e.g. EMAIL_ADAPTER=smtp (default) or sandbox.
_factories: dict[tuple[str, str], Callable[[Mapping[str, Any]], Channel]] = {}


def register_channel(channel: str, adapter: str):
    def decorator(factory):
        _factories[(channel, adapter)] = factory
        return factory

    return decorator


def get_channel(channel: str, config: Mapping[str, Any]) -> Channel:
    adapter = config.get(f"{channel.upper()}_ADAPTER") or "smtp"
    try:
        factory = _factories[(channel, adapter)]
    except KeyError:
        raise SendError(f"No adapter '{adapter}' for channel '{channel}'", permanent=True) from None
    return factory(config)
