"""S1, the abandoned cart across channels, built with the mouse as a marketer would: cart updated → wait 1 hour →
reminder email → wait 24 hours for it to be opened → opened: tag; not opened: LINE, or SMS for those LINE cannot
reach; a purchase is the goal. Then customers go through it and the SMS shows up in the message log.

The dev stack runs on the real clock: the hour and the 24 hours are waited out with `fast_forward` (the waiting
customers' wake-up time moved into the past; the running ticker wakes them)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import requests
from pages.editor import EditorPage
from playwright.sync_api import Page, expect

JOURNEY = "E2E S1 cart across channels"
# The iPhone Mail app's User-Agent (a person's open; a bare "Mozilla/5.0" would be Apple's prefetch).
MAIL_APP = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile"

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots" / "channels"


def _customer(api, external_id: str, **attributes: str) -> None:
    api.post(
        "/api/customers",
        {
            "external_id": external_id,
            "email": f"{external_id}@example.com",
            "attributes": {"first_name": external_id.split("-")[1].title(), **attributes},
        },
    )


def _event(api, journey_id: int, external_id: str, name: str) -> None:
    api.post(
        "/api/events",
        {
            "event_id": f"{name}-{journey_id}-{external_id}",
            "customer_id": external_id,
            "name": name,
            "properties": {"product": "Serum", "total": 900},
        },
    )


def _open_email(api, instance, journey_id: int, customer: str) -> None:
    """The customer opens their reminder some minutes after it came: its open pixel (from the sent HTML) is loaded
    by their mail app. (Its send time is first moved 10 minutes back: an open within 2 seconds of the send counts
    as a machine's, content/tracking.py.)"""
    (message,) = api.get(f"/api/messages?journey_id={journey_id}&customer={customer}&channel=email")["messages"]
    with sqlite3.connect(instance / "wayfinder.sqlite", timeout=30) as db:
        db.execute("UPDATE messages SET sent_at = datetime(sent_at, '-10 minutes') WHERE id = ?", (message["id"],))
    detail = json.dumps(api.get(f"/api/messages/{message['id']}"))
    pixel = re.search(r"/t/o/[^\"'\\]+\.gif", detail)
    assert pixel, "the reminder has no open pixel"
    response = requests.get(f"{api.base_url}{pixel.group(0)}", headers={"User-Agent": MAIL_APP}, timeout=10)
    assert response.status_code == 200


def test_cart_reminder_goes_email_then_line_or_sms(page: Page, api, fast_forward, instance):
    journey = api.create_journey(JOURNEY)
    editor = EditorPage(page).open(journey["id"])

    # Dropped where a marketer would: one column down, the two outcomes side by side, the goal aside.
    trigger = editor.drag_step("event_trigger", 200, 30)
    wait = editor.drag_step("wait", 200, 150)
    email = editor.drag_step("send_email", 200, 270)
    engagement = editor.drag_step("wait_for_engagement", 200, 390)
    tag = editor.drag_step("add_tag", 150, 540)
    line = editor.drag_step("send_line", 450, 540)
    sms = editor.drag_step("send_sms", 450, 670)
    goal = editor.drag_step("goal", 620, 30)

    # Connected first: the engagement wait offers only the send steps before it.
    editor.connect(trigger, "next", wait)
    editor.connect(wait, "next", email)
    editor.connect(email, "next", engagement)
    editor.connect(engagement, "engaged", tag)
    editor.connect(engagement, "timeout", line)
    editor.connect(line, "unreachable", sms)

    editor.fill(trigger, event="cart_updated")
    editor.fill(wait, amount="1", unit="hours")
    editor.fill(
        email, subject="Your {{ event.product }} is waiting", body="<p>Come back, {{ customer.first_name }}.</p>"
    )
    editor.label(email, "Reminder")
    editor.fill(engagement, message_step=email, timeout_amount="24", timeout_unit="hours")
    expect(page.get_by_test_id("setting-engagement-opened")).to_have_class("segment is-on")
    editor.fill(tag, tag="cart_reminder_opened")
    editor.fill(line, **{"message-0-text": "Hi {{ customer.first_name }}, your {{ event.product }} is still here"})
    editor.fill(sms, text="Hi {{ customer.first_name }}, your {{ event.product }} is waiting: shop.example/cart")
    counter = page.get_by_test_id("sms-counter")
    expect(counter).to_contain_text("1")
    editor.fill(goal, event="purchase")

    for node_id in (trigger, wait, email, engagement, tag, line, sms, goal):
        expect(editor.node(node_id)).to_have_attribute("data-invalid", "false")

    editor.save()
    editor.publish()
    expect(editor.status).to_have_attribute("data-status", "published")

    # Amy is on LINE; Ben only has a phone; Cat buys while her reminder waits to be opened; Dan opens it.
    _customer(api, "s1-amy", line_user_id="U" + "a1" * 16, phone="+886912345001")
    _customer(api, "s1-ben", phone="+886912345002")
    _customer(api, "s1-cat", phone="+886912345003")
    _customer(api, "s1-dan")
    for who in ("s1-amy", "s1-ben", "s1-cat", "s1-dan"):
        _event(api, journey["id"], who, "cart_updated")
    expect(editor.count(wait, "waiting")).to_have_text("4", timeout=20_000)

    assert fast_forward(journey["id"], wait) == 4  # an hour later
    expect(editor.count(email, "sent")).to_have_text("4", timeout=20_000)
    expect(editor.count(engagement, "waiting")).to_have_text("4", timeout=20_000)

    _event(api, journey["id"], "s1-cat", "purchase")
    expect(editor.count(goal, "entered")).to_have_text("1", timeout=20_000)
    _open_email(api, instance, journey["id"], "s1-dan")
    expect(editor.count(engagement, "engaged")).to_have_text("1", timeout=20_000)
    expect(editor.count(tag, "entered")).to_have_text("1", timeout=20_000)
    expect(editor.count(engagement, "waiting")).to_have_text("2", timeout=20_000)

    assert fast_forward(journey["id"], engagement) == 2  # a day later, nobody opened it
    expect(editor.count(engagement, "timeout")).to_have_text("2", timeout=20_000)
    expect(editor.count(line, "entered")).to_have_text("2", timeout=20_000)
    # Every send step shows what it delivered, as the email does (Ben, unreachable on LINE, is the SMS's one).
    expect(editor.count(line, "sent")).to_have_text("1", timeout=20_000)
    expect(editor.count(line, "failed")).to_have_text("0")
    expect(editor.count(sms, "entered")).to_have_text("1", timeout=20_000)
    expect(editor.count(sms, "sent")).to_have_text("1", timeout=20_000)
    expect(editor.node(line).get_by_test_id(f"node-count-{line}-unreachable")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "live-send-counts.png")
    expect(editor.count(tag, "entered")).to_have_text("1")

    # The SMS in the message log: filtered by channel, its bubble and its timeline.
    page.goto("/messages")
    page.get_by_test_id("messages-table").wait_for()
    page.get_by_test_id("messages-filter-channel").select_option("sms")
    rows = page.locator("[data-testid^='message-row-']").filter(has_text=JOURNEY)
    expect(rows).to_have_count(1, timeout=20_000)
    expect(rows).to_have_attribute("data-status", "sent", timeout=20_000)
    rows.click()
    detail = page.get_by_test_id("message-detail")
    expect(detail.get_by_test_id("message-preview-sms")).to_contain_text(
        "Hi Ben, your Serum is waiting: shop.example/cart"
    )
    expect(detail.get_by_test_id("message-timeline").locator("li[data-kind='sent']")).to_have_count(1)

    # The LINE message Amy got is in the log too (and no SMS went to Amy or Cat: the channel filter shows one).
    page.get_by_test_id("messages-filter-channel").select_option("line")
    line_rows = page.locator("[data-testid^='message-row-']").filter(has_text=JOURNEY)
    expect(line_rows).to_have_count(1, timeout=20_000)
    line_rows.click()
    expect(page.get_by_test_id("message-preview-line")).to_contain_text("Hi Amy, your Serum is still here")
