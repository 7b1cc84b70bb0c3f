"""Email over SMTP (any server: the dev catcher, Mailpit, SES/SendGrid SMTP relays)."""

from __future__ import annotations

import html
import re
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Any

from wayfinder.channels.base import Channel, OutgoingMessage, SendError, register_channel

_TAGS = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<\s*(br|/p|/div|/h[1-6]|/li)\s*/?>", re.IGNORECASE)


def html_to_text(body: str) -> str:
    """A plain-text alternative for mail clients that do not show HTML."""
    text = _TAGS.sub("", _BREAKS.sub("\n", body))
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def message_id(message: OutgoingMessage) -> str:
    """The email's Message-ID, derived from the message's idempotency key: the same on every attempt, recorded
    before the SMTP call (a bounce or a reply quotes it), and receivers that de-duplicate on it see one message."""
    return f"<{message.idempotency_key.replace(':', '.')}@wayfinder>"


def build_email(message: OutgoingMessage, mail_from: str) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = formataddr((message.from_name, mail_from)) if message.from_name else mail_from
    email["To"] = message.to_address
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(message)
    email["X-Wayfinder-Message"] = str(message.id)
    if message.workspace_id is not None:
        email["X-Wayfinder-Workspace"] = str(message.workspace_id)
    unsubscribe = message.payload.get("list_unsubscribe")
    if unsubscribe:  # RFC 8058 one-click: the mailbox provider POSTs "List-Unsubscribe=One-Click" to the URL
        email["List-Unsubscribe"] = f"<{unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(html_to_text(message.body))
    email.add_alternative(message.body, subtype="html")
    return email


@register_channel("email", "smtp")
class SmtpChannel(Channel):
    """SMTP has no idempotency key: an attempt a crash cut short is recorded `unknown`, never sent again."""

    idempotent_retry = False

    def __init__(self, config: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> None:
        super().__init__(config, account)
        self._smtp: smtplib.SMTP | None = None

    def message_ref(self, message: OutgoingMessage) -> str:
        return message_id(message)

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.config["SMTP_HOST"], int(self.config["SMTP_PORT"]), timeout=30)
            if self.config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if self.config.get("SMTP_USER"):
                smtp.login(self.config["SMTP_USER"], self.config.get("SMTP_PASSWORD", ""))
            self._smtp = smtp
        return self._smtp

    def send(self, message: OutgoingMessage) -> str:
        try:
            email = build_email(message, message.from_address or self.config["MAIL_FROM"])
        except ValueError as exc:  # e.g. a line break in a sender name or subject: no retry can fix it
            raise SendError(f"The email cannot be built: {exc}", permanent=True) from exc
        try:
            refused = self._connection().send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"Recipient refused: {exc.recipients}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SendError(f"SMTP error: {exc}") from exc
        if refused:
            raise SendError(f"Recipient refused: {refused}", permanent=True)
        return email["Message-ID"]

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None
