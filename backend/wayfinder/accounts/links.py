"""Single-use links (invitations, password resets): a random token in the email, its SHA-256 in the database,
and the email that carries it, sent through the project's own email channel.

The token is 256 random bits (`secrets.token_urlsafe(32)`): unguessable, so a hash without a salt or a
signature is enough to find its row; storing only the hash means the database alone hands out no link.
"""

from __future__ import annotations

import hashlib
import html
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from wayfinder.channels import OutgoingMessage, SendError, get_channel


def new_token() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).hexdigest()


def link(base_url: str, path: str, token: str) -> str:
    """The page of the single-page app that takes the token (`/accept-invitation`, `/reset-password`)."""
    return f"{base_url.rstrip('/')}{path}?{urlencode({'token': token})}"


@dataclass(frozen=True)
class LinkEmail:
    """An email carrying one link, ready to send (built inside the transaction, sent after it)."""

    to: str
    subject: str
    body: str
    from_name: str
    from_address: str | None
    workspace_id: int | None
    kind: str


def paragraph_email(
    *,
    to: str,
    subject: str,
    lines: list[str],
    url: str,
    button: str,
    from_name: str,
    from_address: str | None,
    workspace_id: int | None,
    kind: str,
) -> LinkEmail:
    """A short HTML email: the lines (escaped here), a button with the link, and the link spelled out."""
    escaped = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    href = html.escape(url, quote=True)
    body = (
        f'<div style="font-family:sans-serif;font-size:15px;line-height:1.5;color:#1f2933">{escaped}'
        f'<p><a href="{href}" style="display:inline-block;padding:10px 18px;background:#2563eb;color:#fff;'
        f'border-radius:6px;text-decoration:none">{html.escape(button)}</a></p>'
        f'<p style="font-size:13px;color:#52606d">{href}</p></div>'
    )
    return LinkEmail(to, subject, body, from_name, from_address, workspace_id, kind)


def send(config: Mapping[str, Any], mail: LinkEmail) -> bool:
    """Send `mail` through the configured email channel (SMTP, or the sandbox); False when the channel failed.
    Called after the transaction that made the link has committed: a slow or failing mail server holds no lock."""
    message = OutgoingMessage(
        id=0,
        idempotency_key=f"{mail.kind}-{uuid.uuid4()}",
        channel="email",
        recipient=mail.to,
        payload={
            "subject": mail.subject,
            "html": mail.body,
            "from_name": mail.from_name,
            "from_address": mail.from_address,
        },
        workspace_id=mail.workspace_id,
    )
    try:
        with get_channel("email", config) as channel:
            channel.send(message)
    except SendError:
        return False
    return True
