"""Channel adapters behind one interface. `get_channel(name, config)` builds the configured adapter."""

from wayfinder.channels import (  # noqa: F401  (register the built-in adapters)
    email_smtp,
    fcm,
    in_app,
    line,
    sandbox,
    sms_every8d,
    sms_mitake,
    sms_twilio,
    webhook,
    webpush,
)
from wayfinder.channels.base import Channel, OutgoingMessage, SendError, get_channel, register_channel

__all__ = ["Channel", "OutgoingMessage", "SendError", "get_channel", "register_channel"]
