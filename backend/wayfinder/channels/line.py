"""LINE Messaging API: push and multicast through line-bot-sdk v3.

* Content. The send step renders a LINE payload `{"messages": [...]}` of 1 to 5 items — text, image, or "buttons"
  (an optional hero image, an optional title, a text and 1 to 4 link buttons) — and `line_messages` turns it into
  LINE message objects; "buttons" becomes a Flex bubble, since LINE's buttons template cannot hold more than 160
  characters of text. A payload LINE cannot take is a permanent error: no retry will fix it.
* Batching. A journey step sends the same rendered content to many users; LINE's multicast takes 500 user ids per
  call (one request instead of 500). Messages of one `send_batch` call whose rendered messages are identical go out
  as multicasts; a message of its own (personalised content) goes out as a push, which also tells which recipient
  LINE refuses.
* Crash safety. LINE de-duplicates on `X-Line-Retry-Key`: a request repeated with a key LINE already accepted is
  answered 409 with the accepted request's id in `x-line-accepted-request-id`, and nothing is sent twice. A push
  carries its message's `retry_key`; a multicast carries a key derived from its members' keys, so the same batch
  retried after a crash carries the same key. A 409 is therefore a success.
* Answers. 200: sent (the provider id is the push's first sent message id, else the `x-line-request-id`);
  429: retryable after `Retry-After` (60 s when absent); a 400 about the recipient ("Failed to send messages": an
  unknown user, one who has not added the account as a friend or has blocked it): invalid address; other 4xx
  (401/403: the channel access token): permanent; 5xx and network errors: retryable. A multicast refused for its
  recipients is sent again as pushes, so only the unusable recipients are marked.

No `rate_per_second`: LINE's limits are per request (2,000 pushes and 200 multicasts a second per channel), far
above what a message-per-second pace could express; a 429 still slows delivery down through `retry_after`.

The SDK's answer models are not used to read answers (`_preload_content=False`): a 200 whose body the model
rejects must still count as sent.

The API's address is the account's `base_url` setting (else https://api.line.me): unless LINE_ALLOW_PRIVATE (app
config only: the tests and the dev setup, whose emulator listens on 127.0.0.1), its host must not resolve to a
loopback, private, link-local or metadata address (the webhook's check) when the job opens the client. The SDK
connects through urllib3 itself, so a name that resolves differently a moment later (DNS rebinding) is not caught
as the webhook's and the SMS gateways' per-connection check would.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
import urllib3

from wayfinder.channels.base import (
    Channel,
    OutgoingMessage,
    SendError,
    SendResult,
    register_channel,
    retry_after_seconds,
)
from wayfinder.channels.webhook import RefusedAddress, resolve_checked

if TYPE_CHECKING:
    from linebot.v3.messaging import ApiClient, MessagingApi

DEFAULT_BASE_URL = "https://api.line.me"
MAX_MESSAGES = 5  # message objects per request
MAX_TEXT = 5000  # characters of a text message
MAX_ALT_TEXT = 400  # characters of a Flex message's altText (shown in notifications and the chat list)
MAX_URL = 2000  # characters of an image URL
MAX_BUTTONS = 4
MAX_MULTICAST = 500  # user ids per multicast
DEFAULT_RETRY_AFTER = 60.0  # seconds, when a 429 carries no Retry-After
BUTTON_SCHEMES = ("http", "https", "line", "tel")  # what a URI action opens
USER_ID = re.compile(r"^U[0-9a-f]{32}$")

# uuid5 namespace of the multicast retry keys (any fixed UUID: the key only has to be stable).
_MULTICAST_KEY_NAMESPACE = uuid.UUID("3b0c6f1e-8d2a-4c57-b1e9-6a4f2d9c0e85")
# What LINE says in a 400 when the recipient, not the content, is the problem.
_RECIPIENT_PROBLEMS = re.compile(r"failed to send messages|friend|block|user ?id|invalid user|'to", re.IGNORECASE)


# --- the payload → LINE message objects -------------------------------------------------------------------------


def _text(item: Mapping[str, Any], name: str, limit: int = MAX_TEXT) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a LINE {item.get('type')} message needs a '{name}'")
    if len(value) > limit:
        raise ValueError(f"'{name}' is longer than {limit} characters")
    return value


def _https_url(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.startswith("https://") or len(value) > MAX_URL:
        raise ValueError(f"'{name}' must be an https URL of at most {MAX_URL} characters")
    return value


def _alt_text(title: str | None, text: str) -> str:
    alt = (title or "").strip() or text
    return alt if len(alt) <= MAX_ALT_TEXT else alt[: MAX_ALT_TEXT - 1] + "…"


def _button(button: Any) -> dict[str, Any]:
    if not isinstance(button, Mapping):
        raise ValueError("a button needs a 'label' and a 'url'")
    label = _text({"type": "button", **button}, "label")
    url = button.get("url")
    if not isinstance(url, str) or url.split(":", 1)[0].lower() not in BUTTON_SCHEMES or ":" not in url:
        raise ValueError(f"a button's 'url' must be one of {', '.join(BUTTON_SCHEMES)}")
    return {
        "type": "button",
        "style": "link",
        "height": "sm",
        "action": {"type": "uri", "label": label, "uri": url},
    }


def _buttons_bubble(item: Mapping[str, Any]) -> dict[str, Any]:
    """A Flex bubble: the image as hero, the title and text as body, the buttons as footer links."""
    text = _text(item, "text")
    title = item.get("title") or None
    if title is not None and not isinstance(title, str):
        raise ValueError("'title' must be text")
    buttons = item.get("buttons")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_BUTTONS:
        raise ValueError(f"a buttons message needs 1 to {MAX_BUTTONS} buttons")
    body: list[dict[str, Any]] = []
    if title:
        body.append({"type": "text", "text": title, "weight": "bold", "size": "lg", "wrap": True})
    body.append({"type": "text", "text": text, "wrap": True})
    bubble: dict[str, Any] = {"type": "bubble"}
    if item.get("image_url"):
        bubble["hero"] = {
            "type": "image",
            "url": _https_url(item["image_url"], "image_url"),
            "size": "full",
            "aspectRatio": "20:13",
            "aspectMode": "cover",
        }
    bubble["body"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body}
    bubble["footer"] = {
        "type": "box",
        "layout": "vertical",
        "spacing": "sm",
        "contents": [_button(button) for button in buttons],
    }
    return {"type": "flex", "altText": _alt_text(title, text), "contents": bubble}


def line_message(item: Mapping[str, Any]) -> dict[str, Any]:
    """One payload item as a LINE message object (ValueError when LINE could not take it)."""
    kind = item.get("type") if isinstance(item, Mapping) else None
    if kind == "text":
        return {"type": "text", "text": _text(item, "text")}
    if kind == "image":
        url = _https_url(item.get("url"), "url")
        preview = _https_url(item.get("preview_url") or url, "preview_url")
        return {"type": "image", "originalContentUrl": url, "previewImageUrl": preview}
    if kind == "buttons":
        return _buttons_bubble(item)
    raise ValueError(f"unknown LINE message type {kind!r}")


def line_messages(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The payload's items as LINE message objects, the JSON the API takes (ValueError when it could not)."""
    items = payload.get("messages")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_MESSAGES:
        raise ValueError(f"a LINE message has 1 to {MAX_MESSAGES} items")
    return [line_message(item) for item in items]


def multicast_retry_key(messages: Sequence[OutgoingMessage]) -> str:
    """The `X-Line-Retry-Key` of a multicast: a UUID derived from its members' retry keys, in any order."""
    return str(uuid.uuid5(_MULTICAST_KEY_NAMESPACE, ",".join(sorted(m.retry_key for m in messages))))


# --- answers ------------------------------------------------------------------------------------------------------


def retry_after(value: str | None, now: datetime | None = None) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); DEFAULT_RETRY_AFTER without one."""
    return retry_after_seconds(value, DEFAULT_RETRY_AFTER, now) or 0.0


def _json(body: Any) -> dict[str, Any]:
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _first_sent_id(data: Mapping[str, Any]) -> str | None:
    sent = data.get("sentMessages")
    if isinstance(sent, list) and sent and isinstance(sent[0], Mapping) and sent[0].get("id"):
        return str(sent[0]["id"])
    return None


def _is_recipient_problem(data: Mapping[str, Any]) -> bool:
    texts = [str(data.get("message") or "")]
    for detail in data.get("details") or []:
        if isinstance(detail, Mapping):
            if str(detail.get("property") or "").split("[")[0] == "to":
                return True
            texts.append(str(detail.get("message") or ""))
    return any(_RECIPIENT_PROBLEMS.search(text) for text in texts)


def _check_base_url(base_url: str) -> None:
    """A permanent SendError when `base_url` is no http(s) URL or its host resolves to a refused address."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SendError(f"LINE base_url is not an http(s) URL: {base_url!r}", permanent=True)
    try:
        resolve_checked(parts.hostname, parts.port)
    except RefusedAddress as exc:
        raise SendError(f"LINE base_url {exc}", permanent=True) from exc
    except requests.ConnectionError as exc:  # the name does not resolve (now): retried later
        raise SendError(f"LINE could not be reached: {exc}") from exc


def classify(status: int, headers: Mapping[str, str], body: Any) -> str | SendError:
    """The provider id of an accepted request (200, or 409: its retry key was already accepted), else the
    classified error."""
    data = _json(body)
    message = str(data.get("message") or "")
    if 200 <= status < 300:
        return _first_sent_id(data) or headers.get("x-line-request-id") or ""
    if status == 409 and headers.get("x-line-accepted-request-id"):
        return _first_sent_id(data) or headers["x-line-accepted-request-id"]
    if status == 429:
        return SendError(f"LINE rate limit: {message}", retry_after=retry_after(headers.get("Retry-After")))
    if status >= 500 or status == 0:
        return SendError(f"LINE answered {status}: {message}")
    if status == 400 and _is_recipient_problem(data):
        return SendError(f"LINE refused the recipient: {message}", invalid_address=True)
    if status in (401, 403):
        return SendError(f"LINE refused the channel access token ({status}): {message}", permanent=True)
    return SendError(f"LINE answered {status}: {message} {data.get('details') or ''}".rstrip(), permanent=True)


# --- the adapter --------------------------------------------------------------------------------------------------


@register_channel("line", "line")
class LineChannel(Channel):
    """Settings: `channel_access_token` (the account's long-lived token), `base_url` (https://api.line.me),
    `connect_timeout` (5 s), `read_timeout` (15 s)."""

    credential_fields = ("channel_access_token", "channel_secret")
    setting_fields = ("base_url", "rate_per_second")

    idempotent_retry = True
    max_batch = MAX_MULTICAST

    def __init__(self, config: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, account)
        self._client: ApiClient | None = None

    def _api(self) -> MessagingApi:
        # The SDK (its hundreds of models) is imported on first use, not by every process that loads the channels.
        from linebot.v3.messaging import ApiClient, Configuration, MessagingApi

        if self._client is None:
            token = self.setting("channel_access_token")
            if not token:
                raise SendError("The LINE account has no channel access token", permanent=True)
            base_url = str(self.setting("base_url", DEFAULT_BASE_URL)).rstrip("/")
            if not self.config.get("LINE_ALLOW_PRIVATE"):
                _check_base_url(base_url)
            configuration = Configuration(host=base_url)
            configuration.access_token = str(token)
            configuration.retries = False  # delivery retries, with backoff; a network error must surface
            self._client = ApiClient(configuration)
        return MessagingApi(self._client)

    def _timeout(self) -> tuple[float, float]:
        return float(self.setting("connect_timeout", 5)), float(self.setting("read_timeout", 15))

    def _call(self, method: str, request: Any, key: str) -> str | SendError:
        """One API call: the provider id, or the classified error."""
        from linebot.v3.messaging import ApiException

        try:
            call = getattr(self._api(), f"{method}_with_http_info")
        except SendError as exc:  # no access token
            return exc
        try:
            response = call(request, key, _preload_content=False, _request_timeout=self._timeout())
        except ApiException as exc:
            return classify(int(exc.status or 0), exc.headers or {}, exc.body)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return SendError(f"LINE could not be reached: {exc}")
        return classify(response.status_code, response.headers or {}, response.raw_data)

    def _push(self, message: OutgoingMessage, messages: list[dict[str, Any]]) -> str | SendError:
        if not USER_ID.match(message.recipient or ""):
            return SendError(f"Not a LINE user id: {message.recipient!r}", invalid_address=True)
        from linebot.v3.messaging import PushMessageRequest

        try:
            request = PushMessageRequest.from_dict({"to": message.recipient, "messages": messages})
        except ValueError as exc:
            return SendError(f"LINE message rejected by the SDK: {exc}", permanent=True)
        return self._call("push_message", request, message.retry_key)

    def _multicast(self, members: Sequence[OutgoingMessage], messages: list[dict[str, Any]]) -> list[str | SendError]:
        from linebot.v3.messaging import MulticastRequest

        try:
            request = MulticastRequest.from_dict({"to": [m.recipient for m in members], "messages": messages})
        except ValueError as exc:
            return [SendError(f"LINE message rejected by the SDK: {exc}", permanent=True)] * len(members)
        outcome = self._call("multicast", request, multicast_retry_key(members))
        if isinstance(outcome, SendError) and outcome.invalid_address:
            # Which recipient? Nothing was sent: push each, so only the unusable ones are marked.
            return [self._push(member, messages) for member in members]
        return [outcome] * len(members)

    def send(self, message: OutgoingMessage) -> str:
        outcome = self.send_batch([message])[0]
        if outcome.error is not None:
            raise outcome.error
        return outcome.provider_id or ""

    def send_batch(self, messages: Sequence[OutgoingMessage]) -> list[SendResult]:
        outcomes: list[str | SendError | None] = [None] * len(messages)
        groups: dict[str, list[int]] = {}  # rendered LINE messages (JSON) → indexes of the messages with them
        rendered: dict[str, list[dict[str, Any]]] = {}
        for index, message in enumerate(messages):
            try:
                objects = line_messages(message.payload)
            except ValueError as exc:
                outcomes[index] = SendError(f"LINE message cannot be built: {exc}", permanent=True)
                continue
            content = json.dumps(objects, sort_keys=True, ensure_ascii=False)
            rendered[content] = objects
            groups.setdefault(content, []).append(index)
        size = max(1, min(self.max_batch, MAX_MULTICAST))
        for content, indexes in groups.items():
            usable = []
            for i in indexes:
                if USER_ID.match(messages[i].recipient or ""):
                    usable.append(i)
                else:  # answered invalid_address by `_push`, without a call
                    outcomes[i] = self._push(messages[i], rendered[content])
            for start in range(0, len(usable), size):
                chunk = usable[start : start + size]
                if len(chunk) == 1:
                    outcomes[chunk[0]] = self._push(messages[chunk[0]], rendered[content])
                    continue
                answers = self._multicast([messages[i] for i in chunk], rendered[content])
                for i, outcome in zip(chunk, answers, strict=True):
                    outcomes[i] = outcome
        return [
            SendResult(error=outcome) if isinstance(outcome, SendError) else SendResult(provider_id=outcome)
            for outcome in outcomes
        ]

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
