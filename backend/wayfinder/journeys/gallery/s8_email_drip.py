"""S8 Email drip: day 1 a product introduction to everyone; 2 days later a promotion only to those who opened
the first; 5 days later a closing reminder to those who opened the promotion; 2 days later a loyalty message
to those who bought since entering. The first email goes out at 10:00 a week after the journey is created (a
concrete date, so the template publishes as it is).

A customer an email cannot reach (no address, no consent, or unsubscribed from an earlier email of the drip) leaves
at once, at the exit beside that email: no wait for the open of an email that never went out, and no count among
those who chose not to open it.

Node ids (stable):
    launch          schedule trigger: once, 10:00 in 7 days, everyone
    intro_email     send_email: product introduction (unreachable → intro_unreached)
    wait_2d         wait 2 days
    opened_intro    condition: opened intro_email
    promo_email     send_email: the promotion (unreachable → promo_unreached)
    wait_5d         wait 5 days
    opened_promo    condition: opened promo_email
    closing_email   send_email: closing reminder (unreachable → closing_unreached)
    wait_2d_more    wait 2 days
    bought          condition: purchase since entering
    loyalty_email   send_email: loyalty thank-you
    not_opened      exit (did not open the intro)
    promo_ignored   exit (did not open the promotion)
    not_bought      exit
    intro_unreached, promo_unreached, closing_unreached
                    exit (that email could not be sent)
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, days_ahead, email, template_record, wait

KEY = "s8_email_drip"
CHANNELS = ["email"]

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "新品 Email 系列信",
        "description": (
            "第 1 天寄新品介紹給所有顧客；2 天後只寄優惠給有開第一封信的人；5 天後再提醒有開優惠信的人；"
            "最後 2 天後寄會員感謝信給已購買的顧客。"
        ),
        "labels": {
            "launch": "一週後 10:00 開始",
            "intro_email": "新品介紹信",
            "wait_2d": "等待 2 天",
            "opened_intro": "有打開新品介紹信嗎？",
            "promo_email": "新品優惠信",
            "wait_5d": "等待 5 天",
            "opened_promo": "有打開優惠信嗎？",
            "closing_email": "優惠倒數提醒信",
            "wait_2d_more": "再等待 2 天",
            "bought": "有購買嗎？",
            "loyalty_email": "會員感謝信",
            "not_opened": "未開信",
            "promo_ignored": "未開優惠信",
            "not_bought": "未購買",
            "intro_unreached": "介紹信未寄出",
            "promo_unreached": "優惠信未寄出",
            "closing_unreached": "提醒信未寄出",
        },
        "intro_subject": "{{ customer.first_name | default('親愛的顧客') }}，全新玻尿酸保濕系列上市了",
        "intro_body": (
            "<p>{{ customer.first_name | default('親愛的顧客') }} 您好：</p>"
            "<p>我們全新的玻尿酸保濕系列正式上市！三重分子玻尿酸深層補水，清爽不黏膩，"
            "一般肌、混合肌都適用。</p>"
            '<p><a href="https://shop.example.com/new/hydration">看看新品介紹</a></p>'
        ),
        "promo_subject": "{{ customer.first_name | default('親愛的顧客') }}，保濕新品限時 8 折，專屬於您",
        "promo_body": (
            "<p>{{ customer.first_name | default('親愛的顧客') }} 您好：</p>"
            "<p>謝謝您關注我們的保濕新品！送上專屬優惠：結帳輸入 <strong>HYDRA20</strong>，新品系列享 8 折，"
            "7 天內有效。</p>"
            '<p><a href="https://shop.example.com/new/hydration">立即選購</a></p>'
        ),
        "closing_subject": "新品 8 折優惠只剩 2 天",
        "closing_body": (
            "<p>{{ customer.first_name | default('親愛的顧客') }} 您好：</p>"
            "<p>提醒您，保濕新品 8 折優惠（優惠碼 <strong>HYDRA20</strong>）再 2 天就結束了，"
            "喜歡的話別錯過喔！</p>"
            '<p><a href="https://shop.example.com/new/hydration">把握最後機會</a></p>'
        ),
        "loyalty_subject": "{{ customer.first_name | default('親愛的顧客') }}，謝謝您的支持",
        "loyalty_body": (
            "<p>{{ customer.first_name | default('親愛的顧客') }} 您好：</p>"
            "<p>謝謝您選擇我們的保濕新品！已為您加贈 200 點會員點數，下次購物可以直接折抵。"
            "使用上有任何問題，歡迎隨時回信告訴我們。</p>"
        ),
    },
    "en": {
        "name": "New product email drip",
        "description": (
            "Day 1, a product introduction to everyone; 2 days later a promotion to those who opened it; 5 days "
            "later a closing reminder to those who opened the promotion; 2 days later a thank-you to buyers."
        ),
        "labels": {
            "launch": "In a week, 10:00",
            "intro_email": "Product introduction",
            "wait_2d": "Wait 2 days",
            "opened_intro": "Opened the introduction?",
            "promo_email": "Promotion",
            "wait_5d": "Wait 5 days",
            "opened_promo": "Opened the promotion?",
            "closing_email": "Closing reminder",
            "wait_2d_more": "Wait 2 more days",
            "bought": "Purchased?",
            "loyalty_email": "Loyalty thank-you",
            "not_opened": "Didn't open",
            "promo_ignored": "Ignored the promotion",
            "not_bought": "Didn't buy",
            "intro_unreached": "Intro not sent",
            "promo_unreached": "Promo not sent",
            "closing_unreached": "Reminder not sent",
        },
        "intro_subject": "{{ customer.first_name | default('Hi') }}, meet our new hyaluronic hydration range",
        "intro_body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Our new hyaluronic hydration range is here: triple hyaluronic acid for deep moisture, light and "
            "never sticky, for normal and combination skin.</p>"
            '<p><a href="https://shop.example.com/new/hydration">Discover the range</a></p>'
        ),
        "promo_subject": "{{ customer.first_name | default('Hi') }}, 20% off our new hydration range, just for you",
        "promo_body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Thanks for checking out our new hydration range! Use <strong>HYDRA20</strong> at checkout for "
            "20% off, valid for 7 days.</p>"
            '<p><a href="https://shop.example.com/new/hydration">Shop now</a></p>'
        ),
        "closing_subject": "2 days left: 20% off the new hydration range",
        "closing_body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Just a reminder: your 20% off (code <strong>HYDRA20</strong>) ends in 2 days.</p>"
            '<p><a href="https://shop.example.com/new/hydration">Don\'t miss out</a></p>'
        ),
        "loyalty_subject": "{{ customer.first_name | default('Hi') }}, thank you for your support",
        "loyalty_body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Thank you for choosing our new hydration range! We've added 200 bonus points to your account "
            "for your next order. Any questions? Just reply to this email.</p>"
        ),
    },
}


def _opened(step: str) -> dict[str, Any]:
    return {"kind": "message", "step": step, "engagement": "opened"}


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    at = f"{days_ahead(7).isoformat()}T10:00"
    c.step("launch", "schedule_trigger", {"repeat": "once", "at": at, "audience": None}, label["launch"], 1, 0)
    c.step("intro_email", "send_email", email(text["intro_subject"], text["intro_body"]), label["intro_email"], 1, 1)
    c.step("wait_2d", "wait", wait(2, "days"), label["wait_2d"], 1, 2)
    c.step("opened_intro", "condition", _opened("intro_email"), label["opened_intro"], 1, 3)
    c.step("not_opened", "exit", {}, label["not_opened"], 2, 4)
    c.step("promo_email", "send_email", email(text["promo_subject"], text["promo_body"]), label["promo_email"], 1, 4)
    c.step("wait_5d", "wait", wait(5, "days"), label["wait_5d"], 1, 5)
    c.step("opened_promo", "condition", _opened("promo_email"), label["opened_promo"], 1, 6)
    c.step("promo_ignored", "exit", {}, label["promo_ignored"], 2, 7)
    closing = email(text["closing_subject"], text["closing_body"])
    c.step("closing_email", "send_email", closing, label["closing_email"], 1, 7)
    c.step("wait_2d_more", "wait", wait(2, "days"), label["wait_2d_more"], 1, 8)
    c.step("bought", "condition", {"kind": "event", "event": "purchase"}, label["bought"], 1, 9)
    c.step("not_bought", "exit", {}, label["not_bought"], 2, 10)
    loyalty = email(text["loyalty_subject"], text["loyalty_body"])
    c.step("loyalty_email", "send_email", loyalty, label["loyalty_email"], 1, 10)
    for email_step, rank in (("intro", 1), ("promo", 4), ("closing", 7)):  # beside its email, as `no` is right
        c.step(f"{email_step}_unreached", "exit", {}, label[f"{email_step}_unreached"], 0, rank + 1)
    c.link(
        ("launch", "next", "intro_email"),
        ("intro_email", "next", "wait_2d"),
        ("intro_email", "unreachable", "intro_unreached"),
        ("wait_2d", "next", "opened_intro"),
        ("opened_intro", "yes", "promo_email"),
        ("opened_intro", "no", "not_opened"),
        ("promo_email", "next", "wait_5d"),
        ("promo_email", "unreachable", "promo_unreached"),
        ("wait_5d", "next", "opened_promo"),
        ("opened_promo", "yes", "closing_email"),
        ("opened_promo", "no", "promo_ignored"),
        ("closing_email", "next", "wait_2d_more"),
        ("closing_email", "unreachable", "closing_unreached"),
        ("wait_2d_more", "next", "bought"),
        ("bought", "yes", "loyalty_email"),
        ("bought", "no", "not_bought"),
    )
    return template_record(KEY, text, CHANNELS, c.build())
