"""S2 Countdown campaign: the anniversary sale starts on a date (30 days from the day the journey is created);
3 days before, at 10:00, women get beauty and fashion picks, men 3C and sports deals, everyone else the
general preview, by email. Whoever has not opened theirs within a day gets a second stage by app push, or by SMS
when they have no app.

The sale date is a concrete day, so the template publishes as it is; the marketer moves it to the real opening.

Node ids (stable):
    countdown     relative-date trigger: 3 days before the sale day, 10:00
    by_gender     split on `gender`: women / men / default (other_email)
    women_email   send_email: beauty and fashion (each email's unreachable → push at once)
    men_email     send_email: 3C and sports
    other_email   send_email: the general preview
    women_open    wait_for_engagement: women_email opened within 1 day (engaged / timeout)
    men_open      wait_for_engagement: men_email opened within 1 day
    other_open    wait_for_engagement: other_email opened within 1 day
    done          exit (opened)
    push          send_push: second stage (unreachable → sms)
    sms           send_sms: second stage by SMS
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, days_ahead, email, open_wait, push, sms, template_record

KEY = "s2_countdown_sale"
CHANNELS = ["email", "push", "sms"]
SALE_IN_DAYS = 30
DAYS_BEFORE = 3

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "週年慶倒數活動",
        "description": (
            "週年慶開跑前 3 天早上 10 點寄出預告信：女性顧客收到美妝服飾精選，男性顧客收到 3C 運動好康；"
            "隔天還沒開信的顧客，改用 App 推播或簡訊再提醒一次；沒有 Email 的顧客當天就直接收到推播或簡訊。"
        ),
        "labels": {
            "countdown": "週年慶前 3 天 10:00",
            "by_gender": "依性別分眾",
            "women": "女性",
            "men": "男性",
            "women_email": "美妝服飾預告信",
            "men_email": "3C 運動預告信",
            "other_email": "週年慶預告信",
            "open": "等待開信（最多 1 天）",
            "done": "已開信",
            "push": "App 推播提醒",
            "sms": "簡訊提醒",
        },
        "women_subject": "{{ customer.first_name | default('親愛的貴賓') }}，週年慶倒數 3 天！美妝保養滿千送百",
        "women_body": (
            "<p>{{ customer.first_name | default('親愛的貴賓') }} 您好：</p>"
            "<p>一年一度的週年慶再 3 天就要開跑了！專櫃保養品滿 NT$1,000 送 NT$100，"
            "秋冬新款服飾全面 8 折起，會員再享點數 5 倍送。</p>"
            "<p>現在就把喜歡的商品加入購物車，開賣當天最快結帳！</p>"
            '<p><a href="https://shop.example.com/anniversary/beauty">搶先看美妝服飾精選</a></p>'
        ),
        "men_subject": "{{ customer.first_name | default('親愛的貴賓') }}，週年慶倒數 3 天！3C 運動好物下殺 7 折",
        "men_body": (
            "<p>{{ customer.first_name | default('親愛的貴賓') }} 您好：</p>"
            "<p>一年一度的週年慶再 3 天就要開跑了！熱門耳機、智慧手錶、運動鞋款下殺 7 折起，"
            "會員再享點數 5 倍送。</p>"
            "<p>先把想買的加入購物車，開賣當天不用搶！</p>"
            '<p><a href="https://shop.example.com/anniversary/3c-sports">搶先看 3C 運動精選</a></p>'
        ),
        "other_subject": "{{ customer.first_name | default('親愛的貴賓') }}，週年慶倒數 3 天，會員點數 5 倍送",
        "other_body": (
            "<p>{{ customer.first_name | default('親愛的貴賓') }} 您好：</p>"
            "<p>一年一度的週年慶再 3 天就要開跑了！全館滿千送百，會員再享點數 5 倍送。</p>"
            '<p><a href="https://shop.example.com/anniversary">搶先看週年慶優惠</a></p>'
        ),
        "push_title": "週年慶倒數 2 天 ⏰",
        "push_body": "{{ customer.first_name | default('您') }}，全館滿千送百、會員點數 5 倍送，先逛先加入購物車！",
        "sms": "週年慶倒數 2 天！全館滿千送百、會員點數 5 倍送，搶先看 https://shop.example.com/anniversary",
    },
    "en": {
        "name": "Anniversary sale countdown",
        "description": (
            "Three days before the anniversary sale, at 10:00, women get beauty and fashion picks and men get 3C "
            "and sports deals by email; a day later, those who didn't open it get an app push or an SMS. Customers "
            "without an email address get the push or SMS right away."
        ),
        "labels": {
            "countdown": "3 days before the sale, 10:00",
            "by_gender": "Split by gender",
            "women": "Women",
            "men": "Men",
            "women_email": "Beauty & fashion preview",
            "men_email": "3C & sports preview",
            "other_email": "Sale preview",
            "open": "Wait for the open (up to 1 day)",
            "done": "Opened",
            "push": "App push reminder",
            "sms": "SMS reminder",
        },
        "women_subject": (
            "{{ customer.first_name | default('Hi') }}, 3 days to our anniversary sale: beauty deals inside"
        ),
        "women_body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Our anniversary sale starts in 3 days! Get NT$100 back on every NT$1,000 of skincare, 20% off "
            "the new autumn collection, and 5× member points.</p>"
            "<p>Add your favourites to the cart now and be first at checkout on opening day.</p>"
            '<p><a href="https://shop.example.com/anniversary/beauty">Preview beauty & fashion picks</a></p>'
        ),
        "men_subject": "{{ customer.first_name | default('Hi') }}, 3 days to our anniversary sale: 30% off 3C & sports",
        "men_body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Our anniversary sale starts in 3 days! Headphones, smartwatches and running shoes from 30% off, "
            "plus 5× member points.</p>"
            "<p>Add what you want to the cart now and skip the rush on opening day.</p>"
            '<p><a href="https://shop.example.com/anniversary/3c-sports">Preview 3C & sports deals</a></p>'
        ),
        "other_subject": "{{ customer.first_name | default('Hi') }}, 3 days to our anniversary sale",
        "other_body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Our anniversary sale starts in 3 days: NT$100 back on every NT$1,000 and 5× member points.</p>"
            '<p><a href="https://shop.example.com/anniversary">Preview the deals</a></p>'
        ),
        "push_title": "2 days to the anniversary sale ⏰",
        "push_body": (
            "{{ customer.first_name | default('Hi') }}, NT$100 back "
            "on every NT$1,000 and 5× points. Fill your cart now!"
        ),
        "sms": "2 days to our anniversary sale! NT$100 back on every NT$1,000: https://shop.example.com/anniversary",
    },
}


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    countdown = {
        "anchor": "date",
        "date": days_ahead(SALE_IN_DAYS).isoformat(),
        "offset": DAYS_BEFORE,
        "unit": "days",
        "direction": "before",
        "time": "10:00",
        "audience": None,
    }
    c.step("countdown", "relative_date_trigger", countdown, label["countdown"], 1, 0)
    branches = [
        {"id": "women", "label": label["women"], "values": ["female"]},
        {"id": "men", "label": label["men"], "values": ["male"]},
    ]
    c.step("by_gender", "split", {"attribute": "gender", "branches": branches}, label["by_gender"], 1, 1)
    c.step("women_email", "send_email", email(text["women_subject"], text["women_body"]), label["women_email"], 0, 2)
    c.step("men_email", "send_email", email(text["men_subject"], text["men_body"]), label["men_email"], 1, 2)
    c.step("other_email", "send_email", email(text["other_subject"], text["other_body"]), label["other_email"], 2, 2)
    for col, group in enumerate(("women", "men", "other")):
        c.step(f"{group}_open", "wait_for_engagement", open_wait(f"{group}_email", 1, "days"), label["open"], col, 3)
    c.step("done", "exit", {}, label["done"], 0, 4)
    c.step(
        "push", "send_push", push(text["push_title"], text["push_body"], "myshop://anniversary"), label["push"], 2, 5
    )
    c.step("sms", "send_sms", sms(text["sms"]), label["sms"], 3, 5)
    c.link(
        ("countdown", "next", "by_gender"),
        ("by_gender", "women", "women_email"),
        ("by_gender", "men", "men_email"),
        ("by_gender", "default", "other_email"),
        *((f"{group}_email", "next", f"{group}_open") for group in ("women", "men", "other")),
        # No email address or no consent: nothing to open, so the second stage goes out at once.
        *((f"{group}_email", "unreachable", "push") for group in ("women", "men", "other")),
        *((f"{group}_open", "engaged", "done") for group in ("women", "men", "other")),
        *((f"{group}_open", "timeout", "push") for group in ("women", "men", "other")),
        ("push", "unreachable", "sms"),
    )
    return template_record(KEY, text, CHANNELS, c.build())
