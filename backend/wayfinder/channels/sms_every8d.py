"""SMS through Every8d (互動資通, now e8d), its HTTP API 2.1: `POST /API21/HTTP/sendSMS.ashx`, form fields UID and
PWD (the account), SB (a subject kept in the console, not sent), MSG (UTF-8 text), DEST (the number, local form for
Taiwan: 0912345678) and ST (a scheduled time; empty: now).

The answer is a plain-text line: `CREDIT,SENDED,COST,UNSEND,BATCH_ID` (credit left, messages sent, credit spent,
messages not sent for want of credit, the batch id later reports quote), or an error: a negative code, optionally
followed by `,` and a description. Every8d has no idempotency key, so an attempt cut short by a crash is not sent
again (`idempotent_retry = False`).

The error codes below are those of Every8d's API 2.1 document as we know it; the provider's own list for the
account should be checked when one turns up that is not classified. An unknown negative code is retryable (bounded
by delivery's retry limit): it costs a retry, not a customer's message.
"""

from __future__ import annotations

from wayfinder.channels.base import OutgoingMessage, SendError, register_channel
from wayfinder.channels.sms_http import HttpSmsChannel, taiwan_local

DEFAULT_BASE_URL = "https://api.e8d.tw"
SEND_PATH = "/API21/HTTP/sendSMS.ashx"

# The account cannot send (credentials, source IP, a locked or empty account): no retry helps.
AUTH_ERRORS = {
    -2: "authorisation failed (UID / PWD)",
    -3: "the source IP is not allowed",
    -60002: "the account has no credit left",
    -999979999: "the source IP is locked",
}
# The recipient's number is unusable.
ADDRESS_ERRORS = {
    -5: "the destination number (B number) is invalid",
    -6: "the destination number is closed (suspended or not in service)",
    -60014: "the recipient refuses SMS from this platform",
}
# The request itself is wrong: sending it again gives the same answer.
REQUEST_ERRORS = {
    -4: "the sender (A number) is not allowed",
    -20: "the scheduled time (ST) is malformed",
    -21: "the validity time is malformed",
    -1000: "the content is refused (NCC rules)",
    -999959999: "the same content was sent to this number within 12 hours",
    -999969999: "the same content was sent to this number in the same second",
    -999989999: "the message is empty",
}


def classify(code: int, description: str = "") -> SendError:
    detail = f"Every8d error {code}" + (f": {description}" if description else "")
    if code in AUTH_ERRORS:
        return SendError(f"{detail} ({AUTH_ERRORS[code]})", permanent=True)
    if code in ADDRESS_ERRORS:
        return SendError(f"{detail} ({ADDRESS_ERRORS[code]})", invalid_address=True)
    if code in REQUEST_ERRORS:
        return SendError(f"{detail} ({REQUEST_ERRORS[code]})", permanent=True)
    return SendError(detail)  # -99 (host error) and anything not listed: retryable


def parse_answer(text: str) -> str:
    """The batch id of a successful answer; SendError for an error code or an answer that is neither."""
    text = text.strip().lstrip("\ufeff")
    head, _, rest = text.partition(",")
    if head.startswith("-"):
        try:
            code = int(head)
        except ValueError:
            raise SendError(f"Every8d answered an unreadable error: {text[:200]!r}") from None
        raise classify(code, rest.strip())
    fields = text.split(",")
    if len(fields) != 5 or not fields[4].strip():
        raise SendError(f"Every8d answered an unreadable line: {text[:200]!r}")
    try:
        sent, unsent = int(float(fields[1])), int(float(fields[3]))
    except ValueError:
        raise SendError(f"Every8d answered an unreadable line: {text[:200]!r}") from None
    if sent == 0 and unsent > 0:
        raise SendError(f"Every8d did not send: no credit left (credit {fields[0]})", permanent=True)
    return fields[4].strip()


@register_channel("sms", "every8d")
class Every8dChannel(HttpSmsChannel):
    credential_fields = ("username", "password")
    setting_fields = ("base_url", "rate_per_second")
    provider = "Every8d"
    idempotent_retry = False

    def form(self, message: OutgoingMessage) -> dict[str, str]:
        return {
            "UID": str(self.setting("username", "")),
            "PWD": str(self.setting("password", "")),
            "SB": str(message.payload.get("subject") or ""),
            "MSG": str(message.payload.get("text") or ""),
            "DEST": taiwan_local(message.recipient),
            "ST": "",
        }

    def send(self, message: OutgoingMessage) -> str:
        url = str(self.setting("base_url", DEFAULT_BASE_URL)).rstrip("/") + SEND_PATH
        return parse_answer(self.post(url, self.form(message)).text)
