"""Addresses at send time: the devices a push reaches, the suppression list every send checks, and what delivery
learns from providers (a device token that is gone, a phone number a gateway rejects).

Customer devices (`customer_devices`) and suppressions (`suppressions`) are per workspace. Devices a provider calls
gone are disabled, not deleted (the customer's 360° view still lists them); any other unusable address is added to
the suppression list with reason `invalid`, so it is not tried again.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wayfinder.audience.addresses import DEVICE_CHANNELS, MAX_DEVICES
from wayfinder.db_utils import chunked, insert_ignore, one_of
from wayfinder.models import CustomerDevice, Suppression

INVALID = "invalid"


def device_key(kind: str, token: str) -> str:
    """What identifies a device: an FCM token itself; a web push subscription (JSON) by its endpoint."""
    if kind == "webpush":
        try:
            subscription = json.loads(token)
        except ValueError:
            return token
        if isinstance(subscription, dict) and subscription.get("endpoint"):
            return str(subscription["endpoint"])
    return token


def token_hash(key: str) -> str:
    """The unique key of a device row: sha256 of its `device_key` (tokens and endpoints are long)."""
    return hashlib.sha256(key.encode()).hexdigest()


def devices_for(session: Session, customer_ids: Iterable[int], kind: str) -> dict[int, list[str]]:
    """Each customer's active devices of `kind` (push: FCM tokens; webpush: subscription JSON), newest first."""
    found: dict[int, list[str]] = defaultdict(list)
    d = CustomerDevice.__table__.c
    for chunk in chunked(sorted(set(customer_ids))):
        for customer_id, token in session.execute(
            select(d.customer_id, d.token)
            .where(one_of(session, d.customer_id, chunk), d.kind == kind, d.disabled_at.is_(None))
            .order_by(d.customer_id, d.last_seen_at.desc(), d.id.desc())
        ):
            if len(found[customer_id]) < MAX_DEVICES:
                found[customer_id].append(token)
    return found


def suppressed(session: Session, triples: list[tuple[int, str, str]]) -> dict[tuple[int, str, str], str]:
    """Which of these (workspace, channel, address) are on the suppression list, with the reason."""
    wanted = {t for t in triples if t[1] not in DEVICE_CHANNELS and t[2]}
    if not wanted:
        return {}
    s = Suppression.__table__.c
    found = {}
    by_workspace: dict[int, set[str]] = defaultdict(set)
    for workspace_id, _channel, address in wanted:
        by_workspace[workspace_id].add(address)
    for workspace_id, addresses in by_workspace.items():
        for chunk in chunked(sorted(addresses)):
            for channel, address, reason in session.execute(
                select(s.channel, s.address, s.reason).where(
                    s.workspace_id == workspace_id, one_of(session, s.address, chunk)
                )
            ):
                if (workspace_id, channel, address) in wanted:
                    found[(workspace_id, channel, address)] = reason
    return found


def suppress(
    session: Session,
    workspace_id: int,
    channel: str,
    address: str,
    reason: str,
    now: datetime,
    detail: str | None = None,
    message_id: int | None = None,
) -> None:
    """Put an address on the workspace's suppression list (kept as it was when it is there already)."""
    insert_ignore(
        session,
        Suppression.__table__,
        [
            {
                "workspace_id": workspace_id,
                "channel": channel,
                "address": address[:320],
                "reason": reason,
                "detail": (detail or "")[:500] or None,
                "message_id": message_id,
                "created_at": now,
            }
        ],
        conflict=("workspace_id", "channel", "address"),
    )


def unusable(
    session: Session,
    channel: str,
    workspace_id: int,
    gone: list[str],
    reason: str,
    now: datetime,
    message_id: int | None = None,
) -> None:
    """Addresses a provider called unusable (the caller commits): devices are disabled (by FCM token, or web push
    endpoint), other addresses suppressed with reason `invalid`."""
    if channel in DEVICE_CHANNELS:
        hashes = [token_hash(a) for a in gone if a]
        if hashes:
            session.execute(
                update(CustomerDevice)
                .where(
                    CustomerDevice.workspace_id == workspace_id,
                    CustomerDevice.kind == channel,
                    CustomerDevice.token_hash.in_(hashes),
                    CustomerDevice.disabled_at.is_(None),
                )
                .values(disabled_at=now, disabled_reason=reason[:200])
                .execution_options(synchronize_session=False)
            )
        return
    for address in gone:
        suppress(session, workspace_id, channel, address, INVALID, now, reason, message_id)
