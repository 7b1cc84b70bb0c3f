"""Channel adapters behind one interface. `get_channel(name, config)` builds the configured adapter."""

from wayfinder.channels import email_smtp, fcm, sandbox, webhook, webpush  # noqa: E402,F401  (register the built-in adapters)
from wayfinder.channels.base import Channel, OutgoingMessage, SendError, get_channel, register_channel

__all__ = ["Channel", "OutgoingMessage", "SendError", "get_channel", "register_channel"]
