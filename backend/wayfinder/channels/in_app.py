"""In-app messages: there is no provider to call. A sent in-app message is the `messages` row itself, which the
shop's app or site fetches with the customer's external id (GET /api/in-app/messages) until the customer reads it
or it expires; "sending" only marks the row sent. The id it answers is derived from the row's, so a retry after a
crash finds the same message and sends nothing twice (`idempotent_retry`).
"""

from __future__ import annotations

from wayfinder.channels.base import Channel, OutgoingMessage, register_channel


@register_channel("in_app", "store")
class InAppChannel(Channel):
    idempotent_retry = True
    max_batch = 500

    def send(self, message: OutgoingMessage) -> str:
        return f"in-app-{message.id}"
