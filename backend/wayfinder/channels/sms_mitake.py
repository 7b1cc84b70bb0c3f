"""SMS through Mitake (三竹資訊), its HTTP API: `POST /api/mtk/SmSend?CharsetURL=UTF-8` with form fields username,
password, dstaddr (the number, local form for Taiwan: 0912345678), smbody (UTF-8, as CharsetURL says; a line break
is ASCII 6), clientid and optionally response (the delivery-report callback URL).

Mitake signs nothing it calls back with, so the `response` URL is the account's `callback_url` setting (the
workspace's hook, `https://…/hooks/mitake/<workspace>`) followed by `/<callback token>`: the account id and an HMAC
of it keyed from SECRET_KEY (`workspaces.channel_accounts.callback_token`). The hook refuses, with a 403 and nothing
recorded, a report without the right token, and takes one only for a message that account sent.

`clientid` is the message's `retry_key`: Mitake keeps a clientid for 12 hours and answers a repeated one with the
first message's msgid (and `Duplicate=Y`) instead of sending it again, so an attempt cut short by a crash is simply
sent again (`idempotent_retry = True`).

The answer is a block per recipient, `[1]` then `key=value` lines: `msgid`, `statuscode`, `AccountPoint` (credit
left). A statuscode of 0 (scheduled), 1 or 2 (handed to the carrier) or 4 (delivered to the handset) means accepted;
a letter or `*` is an error of the request or the account, a digit 5–9 a failure of the message. An error of the
account can come without `[1]` and without msgid; both forms are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone

from wayfinder.channels.base import OutgoingMessage, SendError, register_channel
from wayfinder.channels.reports import DELIVERED, FAILED, DeliveryReport
from wayfinder.channels.sms_http import HttpSmsChannel, taiwan_local
from wayfinder.workspaces.channel_accounts import callback_token

DEFAULT_BASE_URL = "https://smsapi.mitake.com.tw"
SEND_PATH = "/api/mtk/SmSend"
TAIPEI = timezone(timedelta(hours=8))  # Mitake's times are Taiwan's, without a zone

ACCEPTED = {"0", "1", "2", "4"}
# Mitake's status codes (its HTTP API document), by what a retry can do about them.
RETRYABLE = {
    "*": "system error",
    "a": "sending temporarily suspended",
    "b": "sending temporarily suspended",
    "l": "the account's concurrent connection limit is reached",
    "r": "the system is paused",
}
ACCOUNT_ERRORS = {
    "c": "the username is missing",
    "d": "the password is missing",
    "e": "wrong username or password",
    "f": "the account has expired",
    "h": "the account is disabled",
    "k": "the connecting address (IP) is not allowed",
    "m": "the password must be changed",
    "n": "the password has expired",
    "p": "the account may not use the HTTP interface",
    "s": "billing failed (no credit)",
}
ADDRESS_ERRORS = {
    "v": "invalid mobile number",
    "6": "the number is wrong",
}
REQUEST_ERRORS = {
    "t": "the message has expired",
    "u": "the message body is empty",
    "x": "the message is too large",
    "y": "invalid parameters",
    "5": "the content is wrong",
    "7": "the message is disabled",
    "9": "the scheduled message was cancelled",
}
FAILED_STATUS = {
    "5": "content error",
    "6": "number error",
    "7": "disabled",
    "8": "expired undelivered",
    "9": "cancelled",
}


def mitake_body(text: str) -> str:
    """The text as smbody: Mitake takes a line break as ASCII 6 (ACK); a raw newline would end the message there."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\x06")


def parse_answer(text: str) -> list[dict[str, str]]:
    """The answer's blocks, one per recipient (`[1]`, `[2]`…), as dicts; key=value lines before any `[n]` (an
    account error) make a block of their own."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in text.lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = {}
            blocks.append(current)
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        if current is None:
            current = {}
            blocks.append(current)
        current[key.strip()] = value.strip()
    return blocks


def classify(code: str, error: str = "") -> SendError:
    detail = f"Mitake statuscode {code}" + (f": {error}" if error else "")
    if code in RETRYABLE:
        return SendError(f"{detail} ({RETRYABLE[code]})")
    if code in ACCOUNT_ERRORS:
        return SendError(f"{detail} ({ACCOUNT_ERRORS[code]})", permanent=True)
    if code in ADDRESS_ERRORS:
        return SendError(f"{detail} ({ADDRESS_ERRORS[code]})", invalid_address=True)
    if code in REQUEST_ERRORS:
        return SendError(f"{detail} ({REQUEST_ERRORS[code]})", permanent=True)
    return SendError(detail)


def message_id(text: str) -> str:
    """The msgid of a single-recipient answer; SendError when Mitake did not accept it."""
    blocks = parse_answer(text)
    if not blocks or "statuscode" not in blocks[0]:
        raise SendError(f"Mitake answered without a statuscode: {text[:200]!r}")
    block = blocks[0]
    code = block["statuscode"]
    if code not in ACCEPTED:
        raise classify(code, block.get("Error", ""))
    if not block.get("msgid"):
        raise SendError(f"Mitake accepted the message without a msgid: {text[:200]!r}")
    return block["msgid"]


def _taipei_time(value: str | None) -> datetime | None:
    try:
        return datetime.strptime(value or "", "%Y%m%d%H%M%S").replace(tzinfo=TAIPEI).astimezone(UTC)
    except ValueError:
        return None


def parse_delivery_report(params: Mapping[str, str]) -> DeliveryReport | None:
    """Mitake's delivery-report callback (the `response` URL; query parameters msgid, dstaddr, dlvtime, donetime,
    statuscode, statusstr, StatusFlag) as a DeliveryReport: statuscode 4 delivered, 5–9 failed. None for a report
    that is not final (0–2: scheduled or still at the carrier) or has no msgid."""
    msgid = (params.get("msgid") or "").strip()
    code = (params.get("statuscode") or "").strip()
    if not msgid:
        return None
    at = _taipei_time(params.get("donetime"))
    if code == "4":
        return DeliveryReport(msgid, DELIVERED, at)
    if code in FAILED_STATUS:
        reason = params.get("statusstr") or FAILED_STATUS[code]
        return DeliveryReport(msgid, FAILED, at, f"{code}: {reason}")
    return None


@register_channel("sms", "mitake")
class MitakeChannel(HttpSmsChannel):
    credential_fields = ("username", "password")
    setting_fields = ("base_url", "callback_url", "rate_per_second")
    provider = "Mitake"
    idempotent_retry = True

    def form(self, message: OutgoingMessage) -> dict[str, str]:
        form = {
            "username": str(self.setting("username", "")),
            "password": str(self.setting("password", "")),
            "dstaddr": taiwan_local(message.recipient),
            "smbody": mitake_body(str(message.payload.get("text") or "")),
            "clientid": message.retry_key,
        }
        callback = self.setting("callback_url")
        if callback:
            token = callback_token(str(self.config["SECRET_KEY"]), int(self.account.get("account_id") or 0))
            form["response"] = f"{str(callback).rstrip('/')}/{token}"
        return form

    def send(self, message: OutgoingMessage) -> str:
        url = str(self.setting("base_url", DEFAULT_BASE_URL)).rstrip("/") + SEND_PATH
        response = self.post(url, self.form(message), params={"CharsetURL": "UTF-8"})
        return message_id(response.text)
