"""Realistic demo traffic: carts, some purchases, and opens of the emails already sent; and the events the gallery's
journeys listen to (`journeys/gallery`): purchases with a product `category` (the daily oily-skin tagging counts
oil-control ones), clinic `treatment_completed` events (post-treatment care), `coupon_reply` answers (the coupon
offer), and tracked opens of sent emails as tracking records them (`message_opened` and the message's `opened` log
row: engagement waits and conditions), so a published template shows live counts."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.demo.seed import language
from wayfinder.engine.queues import enqueue_events
from wayfinder.extensions import db
from wayfinder.models import (
    DEFAULT_WORKSPACE_ID,
    Customer,
    Message,
    MessageEvent,
    MessageEventKind,
    MessageStatus,
    utcnow,
)
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
# The category each product is sold under, as the shop's system sends it with a purchase (S5 counts oil control).
CATEGORIES = {
    "zh-TW": {
        "玻尿酸保濕精華 30ml": "保濕保養",
        "控油洗面乳": "控油保養",
        "無線藍牙耳機": "3C 家電",
        "輕量慢跑鞋": "運動用品",
        "清爽防曬乳 SPF50": "防曬",
        "珍珠奶茶禮盒": "美食",
        "智慧手錶錶帶": "3C 家電",
    },
    "en": {
        "Hydrating serum 30ml": "Hydration",
        "Oil-control cleanser": "Oil control",
        "Wireless earbuds": "3C",
        "Running shoes": "Sports",
        "Sunscreen SPF50": "Sun care",
        "Bubble-tea gift set": "Food",
        "Smart watch band": "3C",
    },
}
# Clinic treatments (S4 follows laser toning), the first the most common.
TREATMENTS = {
    "zh-TW": ["雷射淨膚", "雷射淨膚", "保濕導入", "皮秒雷射"],
    "en": ["Laser toning", "Laser toning", "Hydrating infusion", "Picosecond laser"],
}
TREATMENT_RATE = 0.15
COUPON_REPLY_RATE = 0.3
COUPON_ACCEPT_RATE = 0.6
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
    lang = language(lang)
    products = PRODUCTS[lang]
    categories = CATEGORIES[lang]
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
                    {"product": product, "category": categories[product], "total": price * quantity},
                    now + timedelta(seconds=rng.randint(*PURCHASE_WITHIN_S)),
                )
            )
            continue
        if rng.random() < OPEN_RATE:
            opened_at = now + timedelta(seconds=rng.randint(*OPEN_AFTER_S))
            events.append(_event(external_id, "email_opened", {"product": product}, opened_at))
            if rng.random() < LATE_PURCHASE_RATE / OPEN_RATE:
                late = now + timedelta(seconds=rng.randint(*LATE_PURCHASE_AFTER_S))
                bought = {"product": product, "category": categories[product], "total": price * quantity}
                events.append(_event(external_id, "purchase", bought, late))
    sent = session.execute(
        select(Message.id, Customer.external_id, Message.journey_id, Message.node_id, Message.channel, Customer.id)
        .join(Customer, Customer.id == Message.customer_id)
        .where(
            Message.status == MessageStatus.SENT,
            Customer.workspace_id == workspace_id,
            Customer.external_id.like("demo-%"),
        )
        .order_by(Message.id.desc())
        .limit(500)
    ).all()
    opened = []
    for message_id, external_id, journey_id, node_id, channel, customer_id in sent:
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
            if channel == "email":
                opened.append((message_id, external_id, journey_id, node_id, channel, customer_id))
    # A generator of its own, so the events above stay what a seed made them before.
    events += _gallery_events(random.Random(rng.random()), lang, shoppers, now)
    events += _tracked_opens(session, opened, now)
    result = track_events(session, events, now, workspace_id=workspace_id)
    session.commit()
    if result.event_ids:
        enqueue_events(result.event_ids)
    return {"events": result.accepted, "duplicates": result.duplicates, "customers": len(shoppers)}


def _gallery_events(rng: random.Random, lang: str, shoppers: list[str], now: datetime) -> list[dict]:
    """Treatments at the clinic and answers to the coupon offer, from some of this click's shoppers."""
    events = []
    for external_id in shoppers:
        if rng.random() < TREATMENT_RATE:
            treatment = rng.choice(TREATMENTS[lang])
            events.append(_event(external_id, "treatment_completed", {"treatment": treatment}, now))
        if rng.random() < COUPON_REPLY_RATE:
            answer = "accept" if rng.random() < COUPON_ACCEPT_RATE else "decline"
            events.append(_event(external_id, "coupon_reply", {"answer": answer, "coupon": "GOLD85"}, now))
    return events


def _tracked_opens(session: Session, opened: list[tuple], now: datetime) -> list[dict]:
    """What tracking records when a customer opens an email (content/tracking.py): the message's `opened` log row
    and the `message_opened` event naming the message, its journey and step (the same event id tracking uses, so
    a real open later is a duplicate). Messages already opened are left alone."""
    already = set(
        session.scalars(
            select(MessageEvent.message_id).where(
                MessageEvent.message_id.in_([row[0] for row in opened] or [0]),
                MessageEvent.kind == MessageEventKind.OPENED,
            )
        )
    )
    events = []
    for message_id, external_id, journey_id, node_id, channel, customer_id in opened:
        if message_id in already:
            continue
        session.add(
            MessageEvent(
                message_id=message_id,
                customer_id=customer_id,
                kind=MessageEventKind.OPENED,
                at=now,
                detail={"machine": False, "demo": True},
            )
        )
        properties = {"message_id": message_id, "journey_id": journey_id, "node_id": node_id, "channel": channel}
        events.append(
            {
                "event_id": f"wf-opened-{message_id}",
                "customer_id": external_id,
                "name": "message_opened",
                "properties": properties,
                "timestamp": now,
            }
        )
    return events


def _event(customer: str, name: str, properties: dict, at) -> dict:
    return {
        "event_id": f"demo-{uuid.uuid4().hex}",
        "customer_id": customer,
        "name": name,
        "properties": properties,
        "timestamp": at,
    }
