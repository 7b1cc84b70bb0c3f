"""Realistic demo traffic: carts, some purchases, and opens of the reminder emails already sent."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import select

from wayfinder.demo.seed import language
from wayfinder.engine.queues import enqueue_events
from wayfinder.extensions import db
from wayfinder.models import DEFAULT_WORKSPACE_ID, Customer, Message, MessageStatus, utcnow
from wayfinder.tracking import track_events

# The products shoppers put in their carts, in the demo's language (they appear in the demo emails).
PRODUCTS = {
    "zh-TW": [
        ("玻尿酸保濕精華 30ml", 1280),
        ("控油洗面乳", 450),
        ("無線藍牙耳機", 2990),
        ("輕量慢跑鞋", 3680),
        ("清爽防曬乳 SPF50", 690),
        ("珍珠奶茶禮盒", 520),
        ("智慧手錶錶帶", 890),
    ],
    "en": [
        ("Hydrating serum 30ml", 1280),
        ("Oil-control cleanser", 450),
        ("Wireless earbuds", 2990),
        ("Running shoes", 3680),
        ("Sunscreen SPF50", 690),
        ("Bubble-tea gift set", 520),
        ("Smart watch band", 890),
    ],
}
PURCHASE_RATE = 0.3
OPEN_RATE = 0.5
# Engagement spread over the demo journey's waits (seed.abandoned_cart_graph: 1 minute, then the reminder,
# then 2 minutes for the open), so one click gives a believable funnel instead of "nobody opened": some
# shoppers buy during the first wait, and about half of the others open the reminder a little after it goes
# out. These events are recorded now with the moment they stand for (occurred_at), which is at most a few
# minutes ahead; conditions compare occurred_at with when the customer entered, as for any late-arriving event.
PURCHASE_WITHIN_S = (5, 50)
OPEN_AFTER_S = (70, 170)
LATE_PURCHASE_RATE = 0.15
LATE_PURCHASE_AFTER_S = (90, 170)


def emit_demo_traffic(
    customers: int = 20, seed: int | None = None, lang: str | None = None, workspace_id: int = DEFAULT_WORKSPACE_ID
) -> dict[str, int]:
    """Emit cart events for `customers` random demo shoppers, with purchases and reminder opens spread over the
    demo journey's waits, plus opens for about half of the emails sent so far that were not opened yet. Goes
    through the same intake as the API, into `workspace_id`'s demo shoppers. Products are named in `lang`
    (default: the demo's language)."""
    rng = random.Random(seed)
    products = PRODUCTS[language(lang)]
    session = db.session
    now = utcnow()
    pool = list(
        session.scalars(
            select(Customer.external_id).where(
                Customer.workspace_id == workspace_id, Customer.external_id.like("demo-%")
            )
        )
    )
    shoppers = (
        rng.sample(pool, min(customers, len(pool))) if pool else [f"demo-{i:03d}" for i in range(1, customers + 1)]
    )
    events = []
    for external_id in shoppers:
        product, price = rng.choice(products)
        quantity = rng.randint(1, 3)
        events.append(
            _event(
                external_id, "cart_updated", {"product": product, "total": price * quantity, "quantity": quantity}, now
            )
        )
        if rng.random() < PURCHASE_RATE:
            events.append(
                _event(
                    external_id,
                    "purchase",
                    {"product": product, "total": price * quantity},
                    now + timedelta(seconds=rng.randint(*PURCHASE_WITHIN_S)),
                )
            )
            continue
        if rng.random() < OPEN_RATE:
            opened_at = now + timedelta(seconds=rng.randint(*OPEN_AFTER_S))
            events.append(_event(external_id, "email_opened", {"product": product}, opened_at))
            if rng.random() < LATE_PURCHASE_RATE / OPEN_RATE:
                late = now + timedelta(seconds=rng.randint(*LATE_PURCHASE_AFTER_S))
                events.append(_event(external_id, "purchase", {"product": product, "total": price * quantity}, late))
    sent = session.execute(
        select(Message.id, Customer.external_id)
        .join(Customer, Customer.id == Message.customer_id)
        .where(
            Message.status == MessageStatus.SENT,
            Customer.workspace_id == workspace_id,
            Customer.external_id.like("demo-%"),
        )
        .order_by(Message.id.desc())
        .limit(500)
    ).all()
    for message_id, external_id in sent:
        if rng.random() < OPEN_RATE:
            # One open per message: the event id is derived from the message, so repeats are duplicates.
            events.append(
                {
                    "event_id": f"open-{message_id}",
                    "customer_id": external_id,
                    "name": "email_opened",
                    "properties": {"message_id": message_id},
                    "timestamp": now,
                }
            )
    result = track_events(session, events, now, workspace_id=workspace_id)
    session.commit()
    if result.event_ids:
        enqueue_events(result.event_ids)
    return {"events": result.accepted, "duplicates": result.duplicates, "customers": len(shoppers)}


def _event(customer: str, name: str, properties: dict, at) -> dict:
    return {
        "event_id": f"demo-{uuid.uuid4().hex}",
        "customer_id": customer,
        "name": name,
        "properties": properties,
        "timestamp": at,
    }
