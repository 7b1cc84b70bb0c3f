"""A local SMTP server for development and tests that stores every message it receives in a Maildir.

`wayfinder dev` runs it as a child (`wayfinder mailcatcher --port N --dir <instance>/mail`) and points the
app's SMTP settings at it; the Outbox page reads the same folder with `read_mailbox`. Tests use the
`MailCatcher` context manager:

    with MailCatcher(tmp_path / "mail") as catcher:
        send_via_smtp("127.0.0.1", catcher.port, ...)
        [message] = catcher.messages()
"""

from __future__ import annotations

import email.policy
import email.utils
import logging
import mailbox
import os
import signal
import threading
import time
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from wayfinder.devtools.embedded_redis import free_port

__all__ = ["MailCatcher", "MaildirHandler", "read_mailbox", "serve"]

# Envelope data is recorded in these headers, prepended to the stored message.
ENVELOPE_FROM = "X-Wayfinder-Envelope-From"
ENVELOPE_TO = "X-Wayfinder-Envelope-To"
RECEIVED_AT = "X-Wayfinder-Received-At"


class MaildirHandler:
    """aiosmtpd handler: write each DATA into a `mailbox.Maildir` (atomically, via tmp/ → new/)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._ensure_folders()
        self.maildir = mailbox.Maildir(self.directory, create=True)
        self._lock = threading.Lock()

    def _ensure_folders(self) -> None:
        """tmp/ new/ cur/ (again if someone deleted the folder to clear the outbox while we run)."""
        for sub in ("tmp", "new", "cur"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", errors="surrogateescape")
        content = content.replace(b"\r\n", b"\n")  # Maildir files use the local line ending
        received = datetime.now(UTC).isoformat(timespec="microseconds")
        recipients = ", ".join(str(rcpt) for rcpt in envelope.rcpt_tos)
        prefix = (
            f"{ENVELOPE_FROM}: {envelope.mail_from or ''}\n{ENVELOPE_TO}: {recipients}\n{RECEIVED_AT}: {received}\n"
        ).encode()
        with self._lock:
            self._ensure_folders()
            self.maildir.add(prefix + content)
        return "250 Message accepted for delivery"


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


def read_mailbox(directory: str | os.PathLike[str], limit: int | None = 50) -> list[dict[str, Any]]:
    """The caught messages, newest first: `{id, from, to, recipients, subject, date, html, text}`.

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


class MailCatcher:
    """An SMTP server on `host:port` (a free port by default) storing into the Maildir `directory`."""

    def __init__(self, directory: str | os.PathLike[str], host: str = "127.0.0.1", port: int | None = None) -> None:
        self.directory = Path(directory)
        self.host = host
        self.port = port or 0
        self.handler = MaildirHandler(self.directory)
        self.controller: Controller | None = None

    def start(self) -> MailCatcher:
        if self.controller is not None:
            return self
        self.port = self.port or free_port(self.host)
        self.controller = Controller(
            self.handler,
            hostname=self.host,
            port=self.port,
            enable_SMTPUTF8=True,
            data_size_limit=50 * 1024 * 1024,
            ready_timeout=10.0,
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.stop()

    def messages(self, limit: int | None = 50) -> list[dict[str, Any]]:
        return read_mailbox(self.directory, limit=limit)

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Poll (bounded) until at least `count` messages were caught; returns them (newest first)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages(limit=None)
            if len(found) >= count or time.monotonic() >= deadline:
                return found
            time.sleep(0.05)

    def clear(self) -> None:
        clear_mailbox(self.directory)

    def __enter__(self) -> MailCatcher:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve(host: str, port: int, directory: str | os.PathLike[str]) -> None:
    """Run the catcher in the foreground until SIGINT or SIGTERM."""
    stop = threading.Event()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # not one INFO line per connection

    def _stop(signum: int, _frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    catcher = MailCatcher(directory, host=host, port=port)
    try:
        catcher.start()
        print(f"Mail catcher on smtp://{host}:{catcher.port}, storing into {Path(directory).resolve()}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        catcher.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Mail catcher stopped.", flush=True)
