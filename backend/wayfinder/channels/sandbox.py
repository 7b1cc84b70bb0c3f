"""A sandbox provider that records messages in memory instead of sending them (benchmarks, dry runs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wayfinder.channels.base import Channel, OutgoingMessage, register_channel

# Everything "sent" through the sandbox in this process, in order.
SENT: list[OutgoingMessage] = []


class SandboxChannel(Channel):
    def send(self, message: OutgoingMessage) -> str:
        SENT.append(message)
        return f"sandbox-{message.id}"


@register_channel("email", "sandbox")
def _sandbox(config: Mapping[str, Any]) -> Channel:
    return SandboxChannel()
