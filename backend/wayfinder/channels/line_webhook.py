"""LINE webhooks: checking a request's signature and reading the events a journey cares about.

LINE signs each webhook request's body with the channel secret (`X-Line-Signature`: base64 of its HMAC-SHA256), so a
request whose signature does not match is not from LINE, or its body was changed on the way; it must be refused
before the body is read. The signature covers the raw bytes: check it before any decoding.

Of the events, a journey needs four: `follow` (the user added the account as a friend, or unblocked it),
`unfollow` (blocked it: pushes to the user will fail), `message` (what the user wrote; `text` for a text message)
and `postback` (a postback action's `data`). Other events, and events without a user (a group's without one), are
left out. `webhook_event_id` is LINE's id of the event, the same when LINE redelivers it: the key to de-duplicate on.

Only the pure functions live here; the route that receives the requests is the API's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

EventKind = Literal["follow", "unfollow", "message", "postback"]
KINDS: tuple[str, ...] = ("follow", "unfollow", "message", "postback")


@dataclass(frozen=True)
class LineEvent:
    kind: EventKind
    user_id: str
    at: datetime  # UTC
    webhook_event_id: str
    text: str | None = None  # a text message's text
    data: str | None = None  # a postback's data


def compute_signature(channel_secret: str, body: bytes) -> str:
    """The `X-Line-Signature` LINE sends with `body`."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(channel_secret: str, body: bytes, signature: str | None) -> bool:
    """Whether `signature` (the `X-Line-Signature` header) is LINE's signature of `body` with the channel secret
    (compared in constant time)."""
    if not channel_secret or not signature:
        return False
    return hmac.compare_digest(compute_signature(channel_secret, body).encode("ascii"), signature.encode("utf-8"))


def _event(raw: Any) -> LineEvent | None:
    if not isinstance(raw, dict) or raw.get("type") not in KINDS:
        return None
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    user_id = source.get("userId")
    timestamp = raw.get("timestamp")
    if not isinstance(user_id, str) or not user_id or not isinstance(timestamp, int | float):
        return None
    text = data = None
    if raw["type"] == "message":
        message = raw.get("message") if isinstance(raw.get("message"), dict) else {}
        text = message.get("text") if message.get("type") == "text" else None
    elif raw["type"] == "postback":
        postback = raw.get("postback") if isinstance(raw.get("postback"), dict) else {}
        data = postback.get("data")
    return LineEvent(
        kind=raw["type"],
        user_id=user_id,
        at=datetime.fromtimestamp(timestamp / 1000, tz=UTC),
        webhook_event_id=str(raw.get("webhookEventId") or ""),
        text=text,
        data=data,
    )


def parse_events(body: bytes) -> list[LineEvent]:
    """The follow, unfollow, message and postback events of a webhook request's body, in order (ValueError when
    the body is not a LINE webhook's JSON). Check the signature first."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a LINE webhook body: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise ValueError("not a LINE webhook body: no 'events' list")
    return [event for event in map(_event, document["events"]) if event is not None]
