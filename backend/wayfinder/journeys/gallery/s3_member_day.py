"""S3 Weekly member day: every Wednesday at 11:00, members split by gender — women get "double points on
cosmetics" on LINE, men "30% off the men's oil-control cleanser" as an app push, everyone else the member-day
email.

Node ids (stable):
    member_day    schedule trigger: weekly, Wednesday 11:00
    by_gender     split on `gender`: women / men / default
    women_line    send_line: double points on cosmetics
    men_push      send_push: oil-control cleanser 30% off
    other_email   send_email: the member-day offers
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, email, line_card, push, template_record

KEY = "s3_member_day"
CHANNELS = ["line", "push", "email"]

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "每週三會員日",
        "description": (
            "每週三上午 11 點會員日：女性會員收到 LINE「彩妝保養點數雙倍送」，"
            "男性會員收到 App 推播「男士控油洗面乳 7 折」，其他會員收到會員日 Email。"
        ),
        "labels": {
            "member_day": "每週三 11:00",
            "by_gender": "依性別分眾",
            "women": "女性",
            "men": "男性",
            "women_line": "LINE：彩妝點數雙倍",
            "men_push": "推播：控油洗面乳 7 折",
            "other_email": "會員日優惠信",
        },
        "line_title": "今天是會員日 💄",
        "line_text": (
            "{{ customer.first_name | default('親愛的會員') }}，今天彩妝保養全品項點數雙倍送，只到今晚 12 點！"
        ),
        "line_button": "立即選購",
        "push_title": "會員日限定：男士控油洗面乳 7 折",
        "push_body": "{{ customer.first_name | default('您') }}，今天買控油洗面乳享 7 折，清爽一整天，只限今天！",
        "subject": "{{ customer.first_name | default('親愛的會員') }}，今天是會員日，全館點數雙倍送",
        "body": (
            "<p>{{ customer.first_name | default('親愛的會員') }} 您好：</p>"
            "<p>每週三是專屬您的會員日！今天全館消費點數雙倍送，指定商品再享 7 折優惠，只到今晚 12 點。</p>"
            '<p><a href="https://shop.example.com/member-day">看看今天的會員日優惠</a></p>'
        ),
    },
    "en": {
        "name": "Weekly member day",
        "description": (
            "Every Wednesday at 11:00: women get double points on cosmetics on LINE, men get 30% off the men's "
            "oil-control cleanser as an app push, and other members get the member-day email."
        ),
        "labels": {
            "member_day": "Every Wednesday, 11:00",
            "by_gender": "Split by gender",
            "women": "Women",
            "men": "Men",
            "women_line": "LINE: double points on cosmetics",
            "men_push": "Push: cleanser 30% off",
            "other_email": "Member-day email",
        },
        "line_title": "It's member day 💄",
        "line_text": (
            "{{ customer.first_name | default('Hi') }}, double points on all makeup and skincare today, until midnight!"
        ),
        "line_button": "Shop now",
        "push_title": "Member day: 30% off oil-control cleanser",
        "push_body": (
            "{{ customer.first_name | default('Hi') }}, our men's oil-control cleanser is 30% off, today only."
        ),
        "subject": "{{ customer.first_name | default('Hi') }}, it's member day: double points on everything",
        "body": (
            "<p>Hi {{ customer.first_name | default('there') }},</p>"
            "<p>Every Wednesday is your member day! Double points on everything today, and 30% off selected "
            "items, until midnight.</p>"
            '<p><a href="https://shop.example.com/member-day">See today\'s member-day offers</a></p>'
        ),
    },
}


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    schedule = {"repeat": "weekly", "time": "11:00", "weekdays": ["wed"], "audience": None}
    c.step("member_day", "schedule_trigger", schedule, label["member_day"], 1, 0)
    branches = [
        {"id": "women", "label": label["women"], "values": ["female"]},
        {"id": "men", "label": label["men"], "values": ["male"]},
    ]
    c.step("by_gender", "split", {"attribute": "gender", "branches": branches}, label["by_gender"], 1, 1)
    card = line_card(
        text["line_title"], text["line_text"], [(text["line_button"], "https://shop.example.com/member-day/beauty")]
    )
    c.step("women_line", "send_line", card, label["women_line"], 0, 2)
    men_push = push(text["push_title"], text["push_body"], "myshop://member-day/men")
    c.step("men_push", "send_push", men_push, label["men_push"], 1, 2)
    c.step("other_email", "send_email", email(text["subject"], text["body"]), label["other_email"], 2, 2)
    c.link(
        ("member_day", "next", "by_gender"),
        ("by_gender", "women", "women_line"),
        ("by_gender", "men", "men_push"),
        ("by_gender", "default", "other_email"),
    )
    return template_record(KEY, text, CHANNELS, c.build())
