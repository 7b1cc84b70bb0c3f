"""A local SMTP server for development and tests that stores every message it receives in a Maildir.

`wayfinder dev` runs it as a child (`wayfinder mailcatcher --port N --dir <instance>/mail`) and points the
app's SMTP settings at it; the Outbox page reads the same folder with `wayfinder.content.outbox.read_mailbox`.
Tests use the `MailCatcher` context manager:

    with MailCatcher(tmp_path / "mail") as catcher:
        send_via_smtp("127.0.0.1", catcher.port, ...)
        [message] = catcher.messages()
"""

from __future__ import annotations

import email
import logging
import mailbox
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from wayfinder.content.outbox import ENVELOPE_FROM, ENVELOPE_TO, RECEIVED_AT, clear_mailbox, read_mailbox
from wayfinder.devtools.embedded_redis import free_port

__all__ = [
    "CountingHandler",
    "ENVELOPE_FROM",
    "ENVELOPE_TO",
    "RECEIVED_AT",
    "MailCatcher",
    "MaildirHandler",
    "clear_mailbox",
    "counting_smtp",
    "read_mailbox",
    "serve",
]


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


class CountingHandler:
    """An SMTP handler that only counts what arrived, by Message-ID: did any email arrive twice? (The crash test
    and bench/crash_delivery.py, where thousands of emails would make a Maildir slow.)"""

    def __init__(self) -> None:
        self.arrived: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        with self.lock:
            self.arrived[message_id] += 1
        return "250 OK"


@contextmanager
def counting_smtp() -> Iterator[tuple[int, CountingHandler]]:
    """A counting SMTP server on a free local port for the block: (port, handler)."""
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()
