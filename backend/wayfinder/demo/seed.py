"""Demo data: Taiwanese shoppers and the "Abandoned cart" journey (S1, reduced to today's step types)."""

from __future__ import annotations

import random

from sqlalchemy import select

from wayfinder.extensions import db
from wayfinder.journeys import service
from wayfinder.journeys.builder import GraphBuilder
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
    g = GraphBuilder()
    g.trigger(
        "cart",
        event="cart_updated",
        filters=[{"property": "total", "op": "gte", "value": 300}],
        label="Added to cart",
        x=290,
        y=0,
    )
    g.wait("wait_1h", minutes=1, label="Give them time", x=290, y=150)
    g.condition("purchased", event="purchase", label="Purchased since?", x=290, y=300)
    g.exit("converted", label="Converted", x=120, y=450)
    subject = "{{ customer.first_name | default('Hi') }}, you left {{ event.product | default('items') }} behind"
    g.node(
        "reminder",
        "send_email",
        {"subject": subject, "body": reminder, "from_name": "Wayfinder Shop"},
        label="Cart reminder",
        x=460,
        y=450,
    )
    g.wait("wait_open", minutes=2, label="Wait for the open", x=460, y=600)
    g.condition("opened", event="email_opened", label="Opened the reminder?", x=460, y=750)
    g.exit("engaged", label="Engaged", x=290, y=900)
    g.node(
        "last_chance",
        "send_email",
        {"subject": "Your cart expires soon: 10% off inside", "body": last_chance, "from_name": "Wayfinder Shop"},
        label="Last-chance offer",
        x=630,
        y=900,
    )
    for source, handle, target in [
        ("cart", "next", "wait_1h"),
        ("wait_1h", "next", "purchased"),
        ("purchased", "yes", "converted"),
        ("purchased", "no", "reminder"),
        ("reminder", "next", "wait_open"),
        ("wait_open", "next", "opened"),
        ("opened", "yes", "engaged"),
        ("opened", "no", "last_chance"),
    ]:
        g.connect(source, target, handle=handle)
    return g.build()


def welcome_graph() -> dict:
    g = GraphBuilder()
    g.trigger("signup", event="signed_up", label="Signed up", x=200, y=0)
    g.email(
        "welcome",
        subject="歡迎加入，{{ customer.first_name | default('') }}！",
        body="<p>Thanks for joining us, {{ customer.first_name | default('friend') }}.</p>",
        label="Welcome email",
        x=200,
        y=150,
    )
    g.wait("wait_2d", days=2, label="Wait 2 days", x=200, y=300)
    g.exit("done", label="Done", x=200, y=450)
    for source, target in [("signup", "welcome"), ("welcome", "wait_2d"), ("wait_2d", "done")]:
        g.connect(source, target, handle="next")
    return g.build()


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
