"""Tracked links in a rendered message: open pixel, click redirects and the one-click unsubscribe link.

`instrument(channel, payload, message_id, base_url)` runs once per message, right after its send step rendered it
(engine/rendering.py), and the payload it returns is what is stored and sent:

* email: every http(s) `href` of the HTML (`<a>`, `<area>`) becomes `{base}/t/c/<token>` — except links marked
  `data-wf-notrack` and mailto:, tel:, #anchors —, a 1×1 open pixel `{base}/t/o/<token>.gif` goes before
  `</body>`, and `payload["list_unsubscribe"]` is `{base}/t/u/<token>` (the SMTP adapter makes it the RFC 8058
  `List-Unsubscribe` + `List-Unsubscribe-Post` headers);
* sms: every http(s) URL of the text becomes `{base}/t/c/<short token>` (an SMS is billed per segment: the short
  token is at most 20 characters);
* line: URLs in text and buttons messages' text, and buttons' URLs, likewise (short tokens);
* other channels are left as they are.

The original URLs are kept in the payload (`payload["tracked_links"]`, stored with the message): a click token
carries the message id and the link's index into that list, never a URL, so the redirect can only lead to a link
that was in the message (no open redirect), and a forged or altered token finds nothing.

Tokens are signed with the app's SECRET_KEY, with a salt per purpose (an open token cannot unsubscribe):

* email: itsdangerous `Signer` tokens of the base62 message id (`<id>.<signature>`, a click `<id>-<link>.<signature>`);
  tokens of the older JSON serializer form (`[message id]`, `[message id, link index]`) are still read;
* sms / line: base62 message id + one base62 character of link index + an 8-character base62 HMAC-SHA256
  truncation (47 bits: guessing one is an online attack against a rate-limited route).

This module is pure (no database, no request): the routes that read the tokens are in api/tracking_links.py,
what they record in content/tracking.py.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import html
import re
from collections.abc import Mapping
from typing import Any

from itsdangerous import BadSignature, Signer, URLSafeSerializer

OPEN, CLICK, UNSUBSCRIBE = "open", "click", "unsubscribe"
_SALT = "wayfinder.tracking-links.{}"
LINKS_KEY = "tracked_links"

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MAC_CHARS = 8
SHORT_MAX = 20
MAX_SHORT_LINKS = len(BASE62)  # one character of link index

# An <a> or <area> tag and its href (quoted or not).
_LINK_TAG = re.compile(r"<(?:a|area)\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""(\bhref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_NOTRACK = re.compile(r"\bdata-wf-notrack\b", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
# A URL in plain text: ASCII URL characters only, so "請點 https://shop.tw/x，謝謝" ends at the full-width comma.
_TEXT_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}"


# --- tokens ---------------------------------------------------------------------------------------------------


def _derived_key(secret: str, purpose: str) -> tuple[bytes, str]:
    """The purpose's signing key, derived once (HMAC-SHA1 of the purpose's salt under the secret, as itsdangerous's
    own "hmac" derivation does) rather than on every token; and the salt."""
    salt = _SALT.format(f"v2.{purpose}")
    return hmac.new(secret.encode(), salt.encode(), hashlib.sha1).digest(), salt


@functools.lru_cache(maxsize=64)
def _signer(secret: str, purpose: str) -> Signer:
    """Reads (unsigns) the purpose's tokens."""
    key, salt = _derived_key(secret, purpose)
    return Signer(key, salt=salt, key_derivation="none", digest_method=hashlib.sha1)


@functools.lru_cache(maxsize=64)
def _keyed(secret: str, purpose: str) -> hmac.HMAC:
    """An HMAC-SHA1 already keyed for the purpose: signing copies it (delivery signs two or more tokens per email;
    `Signer.sign` re-keys and goes through several layers each time)."""
    return hmac.new(_derived_key(secret, purpose)[0], digestmod=hashlib.sha1)


@functools.lru_cache(maxsize=64)
def _legacy_serializer(secret: str, purpose: str) -> URLSafeSerializer:
    """Reads the tokens of emails sent before 2026-12 (JSON `[id]` / `[id, link]` serializer tokens), so their
    links keep working."""
    salt = _SALT.format(purpose)
    derived = hmac.new(secret.encode(), salt.encode(), hashlib.sha1).digest()
    return URLSafeSerializer(derived, salt=salt, signer_kwargs={"key_derivation": "none"})


def sign(secret: str, purpose: str, message_id: int, link: int | None = None) -> str:
    """An email token: the base62 message id (and `-` link index for a click), signed: exactly what itsdangerous's
    `Signer(...).sign` gives (`value.base64url(HMAC)`, read back with `Signer.unsign`), one HMAC, no JSON or
    compression."""
    value = _b62(message_id) if link is None else f"{_b62(message_id)}-{_b62(link)}"
    mac = _keyed(secret, purpose).copy()
    mac.update(value.encode())
    return f"{value}.{base64.urlsafe_b64encode(mac.digest()).rstrip(b'=').decode()}"


def _b62(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 62)
        digits = BASE62[rest] + digits
        if not number:
            return digits


def _from_b62(text: str) -> int:
    number = 0
    for char in text:
        number = number * 62 + BASE62.index(char)
    return number


@functools.lru_cache(maxsize=8)
def _short_key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _SALT.format("short").encode(), hashlib.sha256).digest()


def _short_mac(secret: str, body: str) -> str:
    digest = int.from_bytes(hmac.new(_short_key(secret), body.encode(), hashlib.sha256).digest()[:8], "big")
    return _b62(digest).rjust(11, "0")[-_MAC_CHARS:]


def short_click(secret: str, message_id: int, link: int) -> str:
    """A compact click token (SMS, LINE): base62 message id + link index + short HMAC."""
    if not 0 <= link < MAX_SHORT_LINKS:
        raise ValueError("link index out of range")
    body = _b62(message_id) + BASE62[link]
    return body + _short_mac(secret, body)


def read(secret: str, purpose: str, token: str) -> tuple[int, int | None] | None:
    """(message id, link index or None) from a token of `purpose`, or None when it is forged or malformed.
    Click tokens may be either form."""
    if purpose == CLICK and "." not in token:
        if not (_MAC_CHARS + 2 <= len(token) <= SHORT_MAX) or any(c not in BASE62 for c in token):
            return None
        body, mac = token[:-_MAC_CHARS], token[-_MAC_CHARS:]
        if not hmac.compare_digest(mac, _short_mac(secret, body)):
            return None
        return _from_b62(body[:-1]), BASE62.index(body[-1])
    try:
        value = _signer(secret, purpose).unsign(token).decode()
    except BadSignature:
        return _read_legacy(secret, purpose, token)
    parts = value.split("-")
    if len(parts) != (2 if purpose == CLICK else 1) or not all(p and all(c in BASE62 for c in p) for p in parts):
        return None
    return _from_b62(parts[0]), (_from_b62(parts[1]) if purpose == CLICK else None)


def _read_legacy(secret: str, purpose: str, token: str) -> tuple[int, int | None] | None:
    try:
        value = _legacy_serializer(secret, purpose).loads(token)
    except BadSignature:
        return None
    if not isinstance(value, list) or not value or not all(type(v) is int for v in value):
        return None
    if purpose == CLICK:
        return (value[0], value[1]) if len(value) == 2 else None
    return (value[0], None) if len(value) == 1 else None


# --- instrumenting ----------------------------------------------------------------------------------------------


class _Links:
    """The message's tracked URLs, each once, in order of first appearance."""

    def __init__(self, limit: int | None = None) -> None:
        self.urls: list[str] = []
        self.limit = limit

    def index(self, url: str) -> int | None:
        if url in self.urls:
            return self.urls.index(url)
        if self.limit is not None and len(self.urls) >= self.limit:
            return None
        self.urls.append(url)
        return len(self.urls) - 1


def _trackable(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


def _instrument_html(body: str, links: _Links, click_url) -> str:
    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        if _NOTRACK.search(text):
            return text

        def href(found: re.Match[str]) -> str:
            raw = next(g for g in found.groups()[1:] if g is not None)
            url = html.unescape(raw).strip()
            if not _trackable(url):
                return found.group(0)
            return f'{found.group(1)}"{html.escape(click_url(links.index(url)))}"'

        return _HREF.sub(href, text, count=1)

    return _LINK_TAG.sub(tag, body)


def _instrument_text(text: str, links: _Links, click_url) -> str:
    def url(match: re.Match[str]) -> str:
        found = match.group(0)
        stripped = found.rstrip(_TRAILING)
        # A closing parenthesis that belongs to the URL (Wikipedia style) stays.
        while found[len(stripped) :].startswith(")") and stripped.count("(") > stripped.count(")"):
            stripped += ")"
        index = links.index(stripped)
        if index is None:
            return found
        return click_url(index) + found[len(stripped) :]

    return _TEXT_URL.sub(url, text)


def _pixel(url: str) -> str:
    return f'<img src="{html.escape(url)}" width="1" height="1" alt="" style="border:0;width:1px;height:1px">'


def instrument(
    channel: str, payload: Mapping[str, Any], message_id: int, base_url: str, secret: str | None = None
) -> dict[str, Any]:
    """The payload with its links tracked (see the module docstring); `secret` defaults to the app's SECRET_KEY."""
    if secret is None:
        from flask import current_app

        secret = str(current_app.config["SECRET_KEY"])
    base = base_url.rstrip("/")
    out = dict(payload)
    if channel == "email":
        links = _Links()
        body = _instrument_html(
            str(payload.get("html") or ""), links, lambda i: f"{base}/t/c/{sign(secret, CLICK, message_id, i)}"
        )
        pixel = _pixel(f"{base}/t/o/{sign(secret, OPEN, message_id)}.gif")
        ends = list(_BODY_END.finditer(body))
        if ends:
            at = ends[-1].start()
            body = body[:at] + pixel + body[at:]
        else:
            body += pixel
        out["html"] = body
        out["list_unsubscribe"] = f"{base}/t/u/{sign(secret, UNSUBSCRIBE, message_id)}"
        if links.urls:
            out[LINKS_KEY] = links.urls
        return out
    if channel not in ("sms", "line"):
        return out
    links = _Links(limit=MAX_SHORT_LINKS)

    def short(i: int) -> str:
        return f"{base}/t/c/{short_click(secret, message_id, i)}"

    if channel == "sms":
        out["text"] = _instrument_text(str(payload.get("text") or ""), links, short)
    else:
        messages = []
        for message in payload.get("messages") or []:
            message = dict(message)
            if message.get("type") in ("text", "buttons") and message.get("text"):
                message["text"] = _instrument_text(str(message["text"]), links, short)
            if message.get("buttons"):
                buttons = []
                for button in message["buttons"]:
                    button = dict(button)
                    url = str(button.get("url") or "")
                    index = links.index(url.strip()) if _trackable(url) else None
                    if index is not None:
                        button["url"] = short(index)
                    buttons.append(button)
                message["buttons"] = buttons
            messages.append(message)
        out["messages"] = messages
    if links.urls:
        out[LINKS_KEY] = links.urls
    return out


def link_of(payload: Mapping[str, Any] | None, index: int | None) -> str | None:
    """The original URL of link `index` of a stored payload, if it is one."""
    urls = (payload or {}).get(LINKS_KEY)
    if index is None or not isinstance(urls, list) or not 0 <= index < len(urls):
        return None
    url = urls[index]
    return url if isinstance(url, str) and _trackable(url) else None


def public_base_url() -> str:
    """The app's PUBLIC_BASE_URL (tracked links start with it)."""
    from flask import current_app

    return str(current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000")
