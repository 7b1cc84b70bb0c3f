"""The Outbox: the mail a development SMTP catcher stored in a Maildir (`MAIL_CATCHER_DIR`), read for the
Outbox page. The catcher itself (`wayfinder.devtools.mailcatcher`) writes the folder with the envelope headers
named here."""

from __future__ import annotations

import email.policy
import email.utils
import mailbox
import os
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from wayfinder.models import DEFAULT_WORKSPACE_ID

# The workspace whose mail it is (set by the email channel): the outbox shows each workspace its own.
WORKSPACE_HEADER = "X-Wayfinder-Workspace"
# Envelope data is recorded in these headers, prepended to the stored message.
ENVELOPE_FROM = "X-Wayfinder-Envelope-From"
ENVELOPE_TO = "X-Wayfinder-Envelope-To"
RECEIVED_AT = "X-Wayfinder-Received-At"


def _decode(value: Any) -> str:
    """A header as readable text (RFC 2047 encoded-words decoded, whatever the parsing policy was)."""
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:
        try:
            return str(make_header(decode_header(text)))
        except (UnicodeDecodeError, LookupError, ValueError):
            return text
    return text


def _part_text(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):  # unknown charset: best effort
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    return content if isinstance(content, str) else content.decode("utf-8", errors="replace")


def _iso_date(message: EmailMessage, fallback: float) -> str:
    for header in ("Date", RECEIVED_AT):
        raw = message.get(header)
        if not raw:
            continue
        try:
            parsed = email.utils.parsedate_to_datetime(str(raw)) if header == "Date" else datetime.fromisoformat(raw)
        except (TypeError, ValueError, IndexError):
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.isoformat()
    return datetime.fromtimestamp(fallback, UTC).isoformat()


def _key_time(key: str) -> float:
    """Maildir unique names start with the delivery time in seconds."""
    try:
        return float(key.split(".", 1)[0])
    except ValueError:
        return 0.0


def read_mailbox(
    directory: str | os.PathLike[str], limit: int | None = 50, workspace_id: int | None = None
) -> list[dict[str, Any]]:
    """The caught messages, newest first: `{id, from, to, recipients, subject, date, html, text}`; with
    `workspace_id`, only the mail that workspace sent (its `X-Wayfinder-Workspace` header; mail without one
    counts as the default workspace's).

    `to` is the To header (falling back to the envelope recipients), `recipients` the envelope recipients
    as a list, `date` ISO 8601 from the Date header (else the time it was received). A missing folder
    means no messages yet.
    """
    path = Path(directory)
    if not (path / "new").is_dir() and not (path / "cur").is_dir():
        return []
    box = mailbox.Maildir(path, factory=None, create=False)
    parser = BytesParser(policy=email.policy.default)
    entries: list[tuple[tuple[str, float, str], str, bytes]] = []
    for key in box.keys():
        try:
            raw = box.get_bytes(key)
        except (KeyError, FileNotFoundError):  # removed while we were reading
            continue
        headers = parser.parsebytes(raw, headersonly=True)
        if workspace_id is not None and str(headers.get(WORKSPACE_HEADER) or DEFAULT_WORKSPACE_ID) != str(workspace_id):
            continue
        entries.append(((str(headers.get(RECEIVED_AT, "")), _key_time(key), key), key, raw))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    if limit is not None:
        entries = entries[:limit]

    result = []
    for _, key, raw in entries:
        message = parser.parsebytes(raw)
        assert isinstance(message, EmailMessage)
        envelope_to = [addr.strip() for addr in str(message.get(ENVELOPE_TO, "")).split(",") if addr.strip()]
        result.append(
            {
                "id": key,
                "from": _decode(message.get("From")) or _decode(message.get(ENVELOPE_FROM)),
                "to": _decode(message.get("To")) or ", ".join(envelope_to),
                "recipients": envelope_to,
                "subject": _decode(message.get("Subject")),
                "date": _iso_date(message, _key_time(key)),
                "html": _part_text(message, "html"),
                "text": _part_text(message, "plain"),
            }
        )
    return result


def clear_mailbox(directory: str | os.PathLike[str]) -> None:
    """Delete every caught message (keeps the folder)."""
    path = Path(directory)
    if (path / "new").is_dir() or (path / "cur").is_dir():
        mailbox.Maildir(path, create=False).clear()
