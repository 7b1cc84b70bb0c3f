"""S1 Abandoned cart: a customer adds an item to the cart → 1 hour later an email reminder → up to 24 hours for
them to open it → opened: tagged (the tag count is how the marketer measures the playbook); not opened: a LINE
message, or an SMS for a customer without LINE. A purchase at any moment ends the journey as a conversion.

The reminder escalates down the channels a customer can be reached on, and no one waits for an email that never
went out: a customer the email cannot reach (no address, or no consent) gets the LINE reminder at once, one not on
LINE the SMS, and one no channel reaches leaves at `unreached` (its count is how many the playbook cannot reach).

Node ids (stable, for tests and live counts):
    cart            event trigger: cart_updated
    wait_1h         wait 1 hour
    reminder_email  send_email: the cart reminder (unreachable → line)
    wait_open       wait_for_engagement: reminder_email opened, up to 24 hours (outputs engaged / timeout)
    opened          add_tag: opened the cart reminder (+1)
    engaged         exit
    line            send_line: the reminder on LINE (unreachable → sms)
    sms             send_sms: the reminder by SMS (unreachable → unreached)
    unreached       exit: no channel reaches them
    purchase        goal: purchase (conversion)
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, email, line_text, open_wait, sms, template_record, wait

KEY = "s1_abandoned_cart"
CHANNELS = ["email", "line", "sms"]

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "購物車未結帳提醒",
        "description": (
            "顧客把商品加入購物車後 1 小時還沒結帳，就寄提醒信；24 小時內沒開信，改用 LINE 或簡訊再提醒一次。"
            "沒有 Email 的顧客直接收到 LINE 或簡訊提醒。顧客一完成購買就結束旅程。"
        ),
        "labels": {
            "cart": "加入購物車",
            "wait_1h": "等待 1 小時",
            "reminder_email": "購物車提醒信",
            "wait_open": "等待開信（最多 24 小時）",
            "opened": "貼上「已開購物車提醒信」標籤",
            "engaged": "已互動",
            "line": "LINE 提醒",
            "sms": "簡訊提醒",
            "unreached": "無法聯繫",
            "purchase": "完成購買",
        },
        "tag": "已開購物車提醒信",
        "subject": (
            "{{ customer.first_name | default('親愛的顧客') }}，您的{{ event.product | default('商品') }}還在購物車等您"
        ),
        "body": (
            "<p>{{ customer.first_name | default('親愛的顧客') }} 您好：</p>"
            "<p>您挑選的 <strong>{{ event.product | default('商品') }}</strong> 還在購物車裡，"
            "我們已經幫您保留好了。熱門商品庫存有限，建議您早點完成結帳喔！</p>"
            '<p><a href="https://shop.example.com/cart">回到購物車結帳</a></p>'
            "<p>如有任何問題，歡迎直接回覆這封信，我們很樂意為您服務。</p>"
        ),
        "line": (
            "{{ customer.first_name | default('您好') }}，"
            "您放在購物車的{{ event.product | default('商品') }}還沒結帳喔！"
            "現在回來結帳，商品就能盡快寄到您手上 👉 https://shop.example.com/cart"
        ),
        "sms": (
            "{{ customer.first_name | default('您好') }}，您的{{ event.product | default('商品') }}還在購物車，"
            "點此完成結帳 https://shop.example.com/cart"
        ),
    },
    "en": {
        "name": "Abandoned cart",
        "description": (
            "An hour after a shopper leaves items in the cart, send a reminder email; if it isn't opened within "
            "24 hours, follow up on LINE or by SMS. Shoppers without email get the LINE or SMS reminder right "
            "away. A purchase ends the journey."
        ),
        "labels": {
            "cart": "Added to cart",
            "wait_1h": "Wait 1 hour",
            "reminder_email": "Cart reminder email",
            "wait_open": "Wait for the open (up to 24 h)",
            "opened": "Tag: opened cart reminder",
            "engaged": "Engaged",
            "line": "LINE reminder",
            "sms": "SMS reminder",
            "unreached": "Can't be reached",
            "purchase": "Purchased",
        },
        "tag": "Opened cart reminder",
        "subject": "{{ customer.first_name | default('Hi') }}, your {{ event.product | default('items') }} are waiting",
        "body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>You left <strong>{{ event.product | default('something special') }}</strong> in your cart. "
            "We've saved it for you, but popular items sell out fast.</p>"
            '<p><a href="https://shop.example.com/cart">Return to your cart</a></p>'
            "<p>Questions? Just reply to this email and we'll be happy to help.</p>"
        ),
        "line": (
            "Hi {{ customer.first_name | default('there') }}, your {{ event.product | default('items') }} are "
            "still in your cart. Check out now and we'll ship them right away: https://shop.example.com/cart"
        ),
        "sms": (
            "Hi {{ customer.first_name | default('there') }}, your {{ event.product | default('items') }} are "
            "still in your cart: https://shop.example.com/cart"
        ),
    },
}


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    c.step("cart", "event_trigger", {"event": "cart_updated", "filters": []}, label["cart"], 1, 0)
    c.step("purchase", "goal", {"event": "purchase", "filters": []}, label["purchase"], 2.2, 0)
    c.step("wait_1h", "wait", wait(1, "hours"), label["wait_1h"], 1, 1)
    c.step("reminder_email", "send_email", email(text["subject"], text["body"]), label["reminder_email"], 1, 2)
    c.step("wait_open", "wait_for_engagement", open_wait("reminder_email", 24, "hours"), label["wait_open"], 1, 3)
    c.step("opened", "add_tag", {"tag": text["tag"], "weight_by": "fixed", "amount": 1}, label["opened"], 0, 4)
    c.step("engaged", "exit", {}, label["engaged"], 0, 5)
    # Half a rank below the wait, so the email's `unreachable` edge passes above the wait, its `timeout` below.
    c.step("line", "send_line", line_text(text["line"]), label["line"], 2, 3.5)
    c.step("sms", "send_sms", sms(text["sms"]), label["sms"], 3, 4.5)
    c.step("unreached", "exit", {}, label["unreached"], 3, 5.5)
    c.link(
        ("cart", "next", "wait_1h"),
        ("wait_1h", "next", "reminder_email"),
        ("reminder_email", "next", "wait_open"),
        ("reminder_email", "unreachable", "line"),
        ("wait_open", "engaged", "opened"),
        ("opened", "next", "engaged"),
        ("wait_open", "timeout", "line"),
        ("line", "unreachable", "sms"),
        ("sms", "unreachable", "unreached"),
    )
    return template_record(KEY, text, CHANNELS, c.build())
