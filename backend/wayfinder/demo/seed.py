"""Demo data: Taiwanese shoppers and two journeys — "Abandoned cart" (live) and "Welcome series" (a draft).

The shoppers can be reached on every channel the gallery's journeys use (`journeys/gallery`): email, most by SMS
(`phone`), about half on LINE (`line_user_id`), some with the app (a push device), each with their `consents`.

The demo follows one language, `DEMO_LANGUAGE` (zh-TW by default: Wayfinder is made for Taiwanese marketers;
`wayfinder dev --lang en`, `wayfinder seed-demo --lang en`): journey names and descriptions, step names, the
emails, and the demo shoppers' cities and products (`demo/traffic.py`). The zh-TW copy is written as a
Taiwanese marketer would write it, addressing the customer as 您 throughout. Seeding is idempotent in either
language: a demo journey already there under its name in any language is left alone.
"""

from __future__ import annotations

import random
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from wayfinder.engine.addresses import device_key, token_hash
from wayfinder.extensions import db
from wayfinder.journeys import service
from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import DEFAULT_WORKSPACE_ID, CustomerDevice, Journey, utcnow
from wayfinder.tracking import upsert_customer
from wayfinder.workspaces.scoping import scoped_to

LANGUAGES = ("zh-TW", "en")
DEFAULT_LANGUAGE = "zh-TW"

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
CITIES = {
    "zh-TW": ["台北市", "新北市", "台中市", "高雄市", "台南市", "新竹市", "桃園市"],
    "en": ["Taipei", "New Taipei", "Taichung", "Kaohsiung", "Tainan", "Hsinchu", "Taoyuan"],
}
DEMO_CUSTOMERS = 60
# Who can be reached where (seed `_reach`): share of shoppers with a phone, with LINE, with the app; share who said
# no to a channel.
PHONE_SHARE = 0.8
LINE_SHARE = 0.5
APP_SHARE = 0.4
SAID_NO_SHARE = 0.1
# Canvas spacing of the demo journeys, as the editor's auto-layout spaces steps (frontend/src/graph/layout.ts): a
# column is a step's width (248) and a gap; a rank is a step's height with its live numbers (131) and room for
# a branch's chip and label (104), so the published demo's steps never touch.
COLUMN = 304
RANK = 235

# Every word of the demo a marketer reads, per language.
CONTENT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "cart": {
            "name": "購物車未結帳提醒",
            "description": "提醒把商品留在購物車的顧客回來結帳；顧客一完成購買就不再提醒。",
            "labels": {
                "cart": "加入購物車",
                "wait_1h": "給顧客一點時間",
                "purchased": "之後有購買嗎？",
                "converted": "已完成購買",
                "reminder": "購物車提醒信",
                "wait_open": "等待顧客開信",
                "opened": "有打開提醒信嗎？",
                "engaged": "已互動",
                "last_chance": "最後優惠",
            },
            "from_name": "Wayfinder 商店",
            "reminder_subject": (
                "{{ customer.first_name | default('親愛的顧客') }}，"
                "您挑選的{{ event.product | default('商品') }}還在購物車等您"
            ),
            "reminder_body": (
                "<p>{{ customer.first_name | default('親愛的顧客') }} 您好：</p>"
                "<p>您將 <strong>{{ event.product | default('心儀的商品') }}</strong> 留在購物車了"
                "（金額 NT$ {{ event.total | default('') }}），我們已為您保留，隨時歡迎回來完成結帳。</p>"
                '<p><a href="https://shop.example.com/cart">回到購物車</a></p>'
            ),
            "last_subject": "購物車即將清空，今天結帳享 9 折優惠",
            "last_body": (
                "<p>{{ customer.first_name | default('親愛的顧客') }} 您好：</p>"
                "<p>您購物車裡的商品即將清空。今天結帳時輸入優惠碼 <strong>COMEBACK10</strong>，"
                "{{ event.product | default('您的訂單') }}即可享有 9 折優惠。</p>"
            ),
        },
        "welcome": {
            "name": "新會員歡迎信",
            "description": "新會員註冊後，寄一封歡迎信給您的新朋友。",
            "labels": {"signup": "完成註冊", "welcome": "歡迎信", "wait_2d": "等待 2 天", "done": "完成"},
            "subject": "{{ customer.first_name | default('親愛的會員') }}，歡迎您加入！",
            "body": (
                "<p>{{ customer.first_name | default('親愛的會員') }} 您好：</p>"
                "<p>感謝您加入我們！您的會員帳號已經開通，新品與會員專屬優惠都會第一時間通知您。</p>"
            ),
        },
    },
    "en": {
        "cart": {
            "name": "Abandoned cart",
            "description": "Remind shoppers who leave items in their cart; a purchase ends the reminders.",
            "labels": {
                "cart": "Added to cart",
                "wait_1h": "Give them time",
                "purchased": "Purchased since?",
                "converted": "Converted",
                "reminder": "Cart reminder",
                "wait_open": "Wait for the open",
                "opened": "Opened the reminder?",
                "engaged": "Engaged",
                "last_chance": "Last-chance offer",
            },
            "from_name": "Wayfinder Shop",
            "reminder_subject": (
                "{{ customer.first_name | default('Hi') }}, you left {{ event.product | default('items') }} behind"
            ),
            "reminder_body": (
                "<p>Hi {{ customer.first_name | default('there') }},</p>"
                "<p>You left <strong>{{ event.product | default('something special') }}</strong> in your cart "
                "(NT$ {{ event.total | default('') }}). It's still waiting for you.</p>"
                '<p><a href="https://shop.example.com/cart">Return to your cart</a></p>'
            ),
            "last_subject": "Your cart expires soon: 10% off inside",
            "last_body": (
                "<p>{{ customer.first_name | default('Hi') }}, your cart expires soon.</p>"
                "<p>Use code <strong>COMEBACK10</strong> for 10% off "
                "{{ event.product | default('your order') }} today.</p>"
            ),
        },
        "welcome": {
            "name": "Welcome series",
            "description": "New sign-ups get a welcome email.",
            "labels": {"signup": "Signed up", "welcome": "Welcome email", "wait_2d": "Wait 2 days", "done": "Done"},
            "subject": "Welcome aboard, {{ customer.first_name | default('friend') }}!",
            "body": (
                "<p>Hi {{ customer.first_name | default('there') }},</p>"
                "<p>Thanks for joining us! Your account is ready, and you'll be the first to hear about new "
                "arrivals and members-only offers.</p>"
            ),
        },
    },
}
ABANDONED_CART = CONTENT["en"]["cart"]["name"]


def language(lang: str | None = None) -> str:
    """`lang` when given, else the app's `DEMO_LANGUAGE`, else zh-TW; raises ValueError for another language."""
    chosen = lang or (current_app.config.get("DEMO_LANGUAGE") if has_app_context() else None) or DEFAULT_LANGUAGE
    if chosen not in LANGUAGES:
        raise ValueError(f"The demo comes in {' and '.join(LANGUAGES)}, not {chosen!r}.")
    return chosen


def abandoned_cart_graph(lang: str = "en") -> dict:
    """Cart updated → wait → purchased? (yes: converted) → reminder email → wait → opened? → last-chance email.
    Spaced as the editor's auto-layout spaces steps (COLUMN, RANK): room for live numbers and edge labels."""
    text = CONTENT[language(lang)]["cart"]
    label = text["labels"]
    g = GraphBuilder()
    g.trigger(
        "cart",
        event="cart_updated",
        filters=[{"property": "total", "op": "gte", "value": 300}],
        label=label["cart"],
        x=COLUMN,
        y=0,
    )
    g.wait("wait_1h", minutes=1, label=label["wait_1h"], x=COLUMN, y=RANK)
    g.condition("purchased", event="purchase", label=label["purchased"], x=COLUMN, y=2 * RANK)
    g.exit("converted", label=label["converted"], x=0, y=3 * RANK)
    g.node(
        "reminder",
        "send_email",
        {"subject": text["reminder_subject"], "body": text["reminder_body"], "from_name": text["from_name"]},
        label=label["reminder"],
        x=2 * COLUMN,
        y=3 * RANK,
    )
    g.wait("wait_open", minutes=2, label=label["wait_open"], x=2 * COLUMN, y=4 * RANK)
    g.condition("opened", event="email_opened", label=label["opened"], x=2 * COLUMN, y=5 * RANK)
    g.exit("engaged", label=label["engaged"], x=COLUMN, y=6 * RANK)
    g.node(
        "last_chance",
        "send_email",
        {"subject": text["last_subject"], "body": text["last_body"], "from_name": text["from_name"]},
        label=label["last_chance"],
        x=2 * COLUMN,
        y=6 * RANK,
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


def welcome_graph(lang: str = "en") -> dict:
    text = CONTENT[language(lang)]["welcome"]
    label = text["labels"]
    g = GraphBuilder()
    g.trigger("signup", event="signed_up", label=label["signup"], x=0, y=0)
    g.email("welcome", subject=text["subject"], body=text["body"], label=label["welcome"], x=0, y=RANK)
    g.wait("wait_2d", days=2, label=label["wait_2d"], x=0, y=2 * RANK)
    g.exit("done", label=label["done"], x=0, y=3 * RANK)
    for source, target in [("signup", "welcome"), ("welcome", "wait_2d"), ("wait_2d", "done")]:
        g.connect(source, target, handle="next")
    return g.build()


def demo_customer(index: int, lang: str = "en") -> tuple[str, str, dict]:
    rng = random.Random(index)
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    attributes = {
        "first_name": first,
        "city": rng.choice(CITIES[language(lang)]),
        "gender": rng.choice(["female", "male"]),
        "tier": rng.choice(["bronze", "silver", "gold"]),
        "lifetime_value": rng.randrange(500, 40_000, 50),
    }
    attributes.update(_reach(rng))
    return f"demo-{index:03d}", f"demo{index:03d}@example.com", attributes


def _reach(rng: random.Random) -> dict[str, Any]:
    """Where the shopper can be reached besides email, as the gallery's journeys need it: most have a Taiwanese
    mobile number (`phone`, E.164), about half follow the brand on LINE (`line_user_id`: "U" and 32 hex digits, as
    LINE writes them), and each says yes or no per channel (`consents`; a few said no to SMS or LINE). Drawn after
    the other attributes, so they stay what they were."""
    reach: dict[str, Any] = {}
    if rng.random() < PHONE_SHARE:
        reach["phone"] = f"+8869{rng.randrange(10**8):08d}"
    if rng.random() < LINE_SHARE:
        reach["line_user_id"] = f"U{rng.getrandbits(128):032x}"
    consents = {"email": True, "sms": rng.random() >= SAID_NO_SHARE, "line": rng.random() >= SAID_NO_SHARE}
    reach["consents"] = {**consents, "push": True}
    return reach


def demo_push_token(index: int) -> str | None:
    """A fake FCM registration token for the shoppers who installed the app (about 40%), else None."""
    rng = random.Random(f"device-{index}")
    if rng.random() >= APP_SHARE:
        return None
    return f"demo-fcm-{rng.getrandbits(160):040x}:APA91b{rng.getrandbits(256):064x}"


def _add_device(session: Session, customer_id: int, token: str, workspace_id: int, now) -> None:
    """The shopper's app install, once (a device is unique per workspace by its token's hash)."""
    hashed = token_hash(device_key("push", token))
    exists = select(CustomerDevice.id).where(
        CustomerDevice.workspace_id == workspace_id, CustomerDevice.kind == "push", CustomerDevice.token_hash == hashed
    )
    if session.scalar(exists.limit(1)) is None:
        session.add(
            CustomerDevice(
                workspace_id=workspace_id,
                customer_id=customer_id,
                kind="push",
                token=token,
                token_hash=hashed,
                created_at=now,
                last_seen_at=now,
            )
        )


def _exists(key: str) -> bool:
    names = [CONTENT[lang][key]["name"] for lang in LANGUAGES]
    return db.session.scalar(select(Journey.id).where(Journey.name.in_(names)).limit(1)) is not None


def seed_demo(lang: str | None = None, workspace_id: int = DEFAULT_WORKSPACE_ID) -> str:
    """Load the demo data in `lang` (default: `DEMO_LANGUAGE`) into a workspace (default: the default one)
    once; running it again changes nothing."""
    lang = language(lang)
    session = db.session
    with scoped_to(session, workspace_id):
        return _seed(session, lang, workspace_id)


def _seed(session: Session, lang: str, workspace_id: int) -> str:
    now = utcnow()
    for index in range(1, DEMO_CUSTOMERS + 1):
        external_id, email, attributes = demo_customer(index, lang)
        customer, _created = upsert_customer(session, external_id, email, attributes, now, workspace_id=workspace_id)
        token = demo_push_token(index)
        if token:
            session.flush()
            _add_device(session, customer.id, token, workspace_id, now)
    created = []
    cart, welcome = CONTENT[lang]["cart"], CONTENT[lang]["welcome"]
    if not _exists("cart"):
        journey = service.create_journey(session, cart["name"], cart["description"], abandoned_cart_graph(lang))
        service.publish(session, journey)
        created.append(cart["name"])
    if not _exists("welcome"):
        service.create_journey(session, welcome["name"], welcome["description"], welcome_graph(lang))
        created.append(welcome["name"])
    session.commit()
    return (
        f"Demo data ({lang}): {DEMO_CUSTOMERS} customers; journeys created: "
        f"{', '.join(created) or 'none (already there)'}."
    )
