"""Messages on every channel for the message-log tests and screenshots: a small published journey that sends one
customer an email, an SMS, a LINE text and button card, an app push and a webhook call, through the dev stack's
providers (email: its SMTP catcher; the SMS: an Every8d account made for the run, pointing at a local emulator of
Every8d's HTTP API (tests/emulators/sms.py) started here; the others: the sandbox, as no account is set up).

The webhook goes through an "http" provider account made for the run, to a loopback address the provider refuses
(the SSRF check): a failed message for the status filter. Its address is then suppressed (the provider called it
unusable), so each seeding calls its own. The account is deleted once the messages settled, so
other tests' webhooks use the sandbox again."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, insert, select
from tests.emulators.sms import SmsGateway

from wayfinder.journeys.builder import GraphBuilder
from wayfinder.models import Message

SMS_TEXT = "Hi {{ customer.first_name }}, your {{ event.product }} ships today. Track it: shop.example/t"
LINE_TEXT = "Hi {{ customer.first_name }}, thanks for your order of {{ event.product }}!"
CARD_TEXT = "Rate your {{ event.product }}"
PUSH_TITLE = "{{ event.product }} is on its way"
EMAIL_SUBJECT = "Order confirmed: {{ event.product }}"
CHANNELS = ("email", "sms", "line", "push", "webhook")


def graph(event: str, tag: str) -> dict:
    g = GraphBuilder()
    g.trigger("ordered", event=event, x=0, y=0)
    g.node("mail", "send_email", {"subject": EMAIL_SUBJECT, "body": "<p>We got it, {{ customer.first_name }}.</p>"})
    g.node("text", "send_sms", {"text": SMS_TEXT}, label="Shipping SMS")
    g.node(
        "chat",
        "send_line",
        {
            "messages": [
                {"type": "text", "text": LINE_TEXT},
                {
                    "type": "buttons",
                    "title": "How was it?",
                    "text": CARD_TEXT,
                    "buttons": [
                        {"label": "Rate it", "url": "https://shop.example/rate"},
                        {"label": "Shop again", "url": "https://shop.example/"},
                    ],
                },
            ]
        },
        label="LINE thanks",
    )
    g.node("app", "send_push", {"title": PUSH_TITLE, "body": "Tap to follow your parcel.", "deep_link": "shop://t"})
    g.node("hook", "send_webhook", {"url": f"https://127.0.0.1/hook/{tag}", "body": '{"id": "{{ customer.id }}"}'})
    for source, target in (("ordered", "mail"), ("mail", "text"), ("text", "chat"), ("chat", "app"), ("app", "hook")):
        g.connect(source, target, handle="next")
    return g.build()


def seed(api, tag: str, first_name: str = "Mia") -> dict:
    """Publish the journey, send one customer through it and wait until its five messages settled (4 sent, the
    webhook failed). Returns the journey."""
    event = f"ordered_{tag}"
    sms = SmsGateway()
    with (
        sms,
        api.channel_account(
            channel="sms",
            provider="every8d",
            name=f"Every8d {tag}",
            is_default=True,
            settings={"base_url": sms.url},
            credentials={"username": sms.username, "password": sms.password},
        ),
        api.channel_account(channel="webhook", provider="http", name=f"Refused hook {tag}", is_default=True),
    ):
        journey = api.publish_journey(f"E2E {tag} order messages", graph(event, tag))
        customer = f"{tag}-{first_name.lower()}"
        api.post(
            "/api/customers",
            {
                "external_id": customer,
                "email": f"{customer}@example.com",
                "attributes": {"first_name": first_name, "phone": "+886912000111", "line_user_id": "U" + "b2" * 16},
            },
        )
        api.post("/api/devices", {"customer_id": customer, "kind": "push", "token": f"fcm-token-{tag}"})
        api.post(
            "/api/events",
            {"event_id": f"{event}-1", "customer_id": customer, "name": event, "properties": {"product": "Serum"}},
        )
        _until_settled(api, journey["id"])
        (received,) = sms.received["every8d"]
        assert received["DEST"].endswith("912000111") and first_name in received["MSG"], received
    return journey


def _until_settled(api, journey_id: int, seconds: float = 30) -> None:
    """Wait (polling the log's API) until the journey's messages are all sent or failed."""
    deadline = time.monotonic() + seconds
    statuses: dict[str, str] = {}
    while time.monotonic() < deadline:
        messages = api.get(f"/api/messages?journey_id={journey_id}")["messages"]
        statuses = {m["channel"]: m["status"] for m in messages}
        if len(statuses) == len(CHANNELS) and all(s in ("sent", "failed") for s in statuses.values()):
            return
        time.sleep(0.2)
    raise AssertionError(f"messages did not settle: {statuses}")


def copy_messages(database: Path, journey_id: int, copies: int, skipped_every: int) -> int:
    """Bulk-insert `copies` copies of each of the journey's messages straight into the dev stack's SQLite database
    (through the backend's model; a log of thousands of messages sent through the pipeline would take minutes),
    each numbered in its subject (and an SMS in its text: "… #17") so a test can tell them apart. Every
    `skipped_every`-th copy of the SMS is skipped (a frequency cap) instead of sent, for a filter with a small, known
    count. Returns how many were inserted."""
    engine = create_engine(f"sqlite:///{database}", connect_args={"timeout": 30})
    table = Message.__table__
    try:
        with engine.begin() as db:
            originals = db.execute(select(table).where(table.c.journey_id == journey_id).order_by(table.c.id))
            originals = [dict(row) for row in originals.mappings()]
            rows = []
            for n in range(copies):
                for original in originals:
                    row = {**original, "idempotency_key": f"{original['idempotency_key']}:copy{n}"}
                    del row["id"]
                    row["subject"] = f"{original['subject']} #{n}"
                    if original["channel"] == "sms":
                        row["payload"] = {**original["payload"], "text": f"{original['payload']['text']} #{n}"}
                        if n % skipped_every == 0:
                            row.update(status="skipped", error="Frequency cap reached", sent_at=None)
                    rows.append(row)
            db.execute(insert(table), rows)
    finally:
        engine.dispose()
    return len(rows)
