"""Demo data: Taiwanese shoppers and the "Abandoned cart" journey (S1, reduced to today's step types)."""

from __future__ import annotations

import random

from sqlalchemy import select

from wayfinder.extensions import db
from wayfinder.journeys import service
from wayfinder.models import Journey, utcnow
from wayfinder.tracking import upsert_customer

FIRST_NAMES = [
    "怡君",
    "雅婷",
    "家豪",
    "志明",
    "淑芬",
    "冠宇",
    "詩涵",
    "俊傑",
    "佳穎",
    "承恩",
    "Emily",
    "Kevin",
    "Grace",
    "Jason",
    "Vivian",
    "Allen",
    "Irene",
    "Ryan",
    "Cindy",
    "Leo",
]
CITIES = ["Taipei", "New Taipei", "Taichung", "Kaohsiung", "Tainan", "Hsinchu", "Taoyuan"]
DEMO_CUSTOMERS = 60

ABANDONED_CART = "Abandoned cart"


def _node(node_id: str, node_type: str, x: float, y: float, label: str, settings: dict) -> dict:
    return {
        "id": node_id,
        "type": node_type,
        "position": {"x": x, "y": y},
        "data": {"label": label, "settings": settings},
    }


def _edge(source: str, handle: str, target: str) -> dict:
    return {"id": f"e-{source}-{handle}-{target}", "source": source, "sourceHandle": handle, "target": target}


def abandoned_cart_graph() -> dict:
    """Cart updated → wait → purchased? (yes: converted) → reminder email → wait → opened? → last-chance email."""
    reminder = (
        "<p>Hi {{ customer.first_name | default('there') }},</p>"
        "<p>You left <strong>{{ event.product | default('something special') }}</strong> in your cart "
        "(NT$ {{ event.total | default('') }}). It's still waiting for you.</p>"
        '<p><a href="https://shop.example.com/cart">Return to your cart</a></p>'
    )
    last_chance = (
        "<p>{{ customer.first_name | default('Hi') }}, your cart expires soon.</p>"
        "<p>Use code <strong>COMEBACK10</strong> for 10% off {{ event.product | default('your order') }} today.</p>"
    )
    nodes = [
        _node(
            "cart",
            "event_trigger",
            290,
            0,
            "Added to cart",
            {"event": "cart_updated", "filters": [{"property": "total", "op": "gte", "value": 300}]},
        ),
        _node("wait_1h", "wait", 290, 150, "Give them time", {"amount": 1, "unit": "minutes"}),
        _node("purchased", "condition", 290, 300, "Purchased since?", {"kind": "event", "event": "purchase"}),
        _node("converted", "exit", 120, 450, "Converted", {}),
        _node(
            "reminder",
            "send_email",
            460,
            450,
            "Cart reminder",
            {
                "subject": "{{ customer.first_name | default('Hi') }}, "
                "you left {{ event.product | default('items') }} behind",
                "body": reminder,
                "from_name": "Wayfinder Shop",
            },
        ),
        _node("wait_open", "wait", 460, 600, "Wait for the open", {"amount": 2, "unit": "minutes"}),
        _node("opened", "condition", 460, 750, "Opened the reminder?", {"kind": "event", "event": "email_opened"}),
        _node("engaged", "exit", 290, 900, "Engaged", {}),
        _node(
            "last_chance",
            "send_email",
            630,
            900,
            "Last-chance offer",
            {"subject": "Your cart expires soon: 10% off inside", "body": last_chance, "from_name": "Wayfinder Shop"},
        ),
    ]
    edges = [
        _edge("cart", "next", "wait_1h"),
        _edge("wait_1h", "next", "purchased"),
        _edge("purchased", "yes", "converted"),
        _edge("purchased", "no", "reminder"),
        _edge("reminder", "next", "wait_open"),
        _edge("wait_open", "next", "opened"),
        _edge("opened", "yes", "engaged"),
        _edge("opened", "no", "last_chance"),
    ]
    return {"nodes": nodes, "edges": edges, "settings": {}}


def welcome_graph() -> dict:
    nodes = [
        _node("signup", "event_trigger", 200, 0, "Signed up", {"event": "signed_up", "filters": []}),
        _node(
            "welcome",
            "send_email",
            200,
            150,
            "Welcome email",
            {
                "subject": "歡迎加入，{{ customer.first_name | default('') }}！",
                "body": "<p>Thanks for joining us, {{ customer.first_name | default('friend') }}.</p>",
            },
        ),
        _node("wait_2d", "wait", 200, 300, "Wait 2 days", {"amount": 2, "unit": "days"}),
        _node("done", "exit", 200, 450, "Done", {}),
    ]
    edges = [_edge("signup", "next", "welcome"), _edge("welcome", "next", "wait_2d"), _edge("wait_2d", "next", "done")]
    return {"nodes": nodes, "edges": edges, "settings": {}}


def demo_customer(index: int) -> tuple[str, str, dict]:
    rng = random.Random(index)
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    attributes = {
        "first_name": first,
        "city": rng.choice(CITIES),
        "gender": rng.choice(["female", "male"]),
        "tier": rng.choice(["bronze", "silver", "gold"]),
        "lifetime_value": rng.randrange(500, 40_000, 50),
    }
    return f"demo-{index:03d}", f"demo{index:03d}@example.com", attributes


def seed_demo() -> str:
    """Load the demo data once; running it again changes nothing."""
    session = db.session
    now = utcnow()
    for index in range(1, DEMO_CUSTOMERS + 1):
        external_id, email, attributes = demo_customer(index)
        upsert_customer(session, external_id, email, attributes, now)
    created = []
    if session.scalar(select(Journey).where(Journey.name == ABANDONED_CART)) is None:
        journey = service.create_journey(
            session,
            ABANDONED_CART,
            "S1: remind shoppers who leave items in their cart; a purchase ends it.",
            abandoned_cart_graph(),
        )
        service.publish(session, journey)
        created.append(ABANDONED_CART)
    if session.scalar(select(Journey).where(Journey.name == "Welcome series")) is None:
        service.create_journey(session, "Welcome series", "New sign-ups get a welcome email (draft).", welcome_graph())
        created.append("Welcome series")
    session.commit()
    return f"Demo data: {DEMO_CUSTOMERS} customers; journeys created: {', '.join(created) or 'none (already there)'}."
