"""A sandbox provider that records messages instead of sending them (benchmarks, dry runs, crash tests).

It behaves like a provider with an idempotency key (LINE's `X-Line-Retry-Key`, Standard Webhooks'
`webhook-id`): an attempt with a `retry_key` it has already accepted is acknowledged again without a second
arrival, so a message whose attempt a crash cut short is safely retried (`idempotent_retry`).

Arrivals are kept in this process (`SENT`) or, with SANDBOX_OUTBOX set, in Redis under that key prefix, so a
test or a benchmark can count what reached the "provider" across worker processes that were killed:
`<prefix>:arrivals` (hash retry key → message id, one entry per message that arrived) and `<prefix>:calls`
(hash retry key → number of send calls with that key). SANDBOX_LATENCY_MS makes every call take that long.
"""

from __future__ import annotations

import time
from typing import Any

from wayfinder.channels.base import Channel, OutgoingMessage, register_channel

# Everything that arrived through the sandbox in this process, in order (once per retry key).
SENT: list[OutgoingMessage] = []
_SEEN: set[str] = set()


def outbox_counts(conn: Any, prefix: str) -> tuple[dict[str, int], dict[str, int]]:
    """(retry key → message id of each arrival, retry key → send calls) recorded under SANDBOX_OUTBOX `prefix`."""
    arrivals = {k.decode(): int(v) for k, v in conn.hgetall(f"{prefix}:arrivals").items()}
    calls = {k.decode(): int(v) for k, v in conn.hgetall(f"{prefix}:calls").items()}
    return arrivals, calls


class SandboxChannel(Channel):
    idempotent_retry = True
    max_batch = 500

    def send(self, message: OutgoingMessage) -> str:
        latency = int(self.config.get("SANDBOX_LATENCY_MS") or 0)
        if latency:
            time.sleep(latency / 1000)
        key = message.retry_key
        prefix = self.config.get("SANDBOX_OUTBOX")
        if prefix:
            from wayfinder.extensions import redis_client

            pipe = redis_client.conn.pipeline()  # MULTI/EXEC: the call and the arrival are recorded together
            pipe.hincrby(f"{prefix}:calls", key, 1)
            pipe.hsetnx(f"{prefix}:arrivals", key, message.id)
            pipe.execute()
        elif key not in _SEEN:
            _SEEN.add(key)
            SENT.append(message)
        return f"sandbox-{key}"


# The sandbox stands in for the provider of every channel that has one.
SANDBOX_CHANNELS = ("email", "sms", "line", "push", "webpush", "webhook")
for _channel in SANDBOX_CHANNELS:
    register_channel(_channel, "sandbox")(type(f"Sandbox{_channel.title()}Channel", (SandboxChannel,), {}))
