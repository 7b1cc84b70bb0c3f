"""Delivery reports: what a provider's callback says became of a message it accepted (the send itself only says
it was accepted). Each provider's callback parser turns its parameters into one `DeliveryReport`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DELIVERED = "delivered"
FAILED = "failed"


@dataclass(frozen=True)
class DeliveryReport:
    provider_id: str  # the id the send answered (Every8d's batch id, Mitake's msgid, Twilio's MessageSid)
    status: str  # DELIVERED or FAILED
    at: datetime | None = None  # when the provider says it happened (UTC), when it says
    error: str | None = None  # the provider's reason for a failure
