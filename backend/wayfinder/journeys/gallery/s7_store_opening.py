"""S7 New store opening: one SMS, at 11:00 two weeks after the journey is created (a concrete date, so the
template publishes as it is), to customers whose city is Kaohsiung.

Node ids (stable):
    opening_day   schedule trigger: once, 11:00 in 14 days, audience city = Kaohsiung
    sms           send_sms: the opening invitation
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, days_ahead, sms, template_record

KEY = "s7_store_opening"
CHANNELS = ["sms"]
# The city as the demo data (and Taiwanese shops) write it, per language.
CITY = {"zh-TW": "高雄市", "en": "Kaohsiung"}

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "高雄新店開幕",
        "description": "高雄門市盛大開幕！開幕當天上午 11 點，發一則簡訊邀請住在高雄市的顧客來店。",
        "labels": {"opening_day": "開幕日 11:00", "sms": "開幕邀請簡訊"},
        "sms": (
            "{{ customer.first_name | default('您好') }}，高雄巨蛋門市今天開幕！憑此簡訊到店消費享 85 折，"
            "前 100 名再送精美好禮，期待您的光臨 https://shop.example.com/stores/kaohsiung"
        ),
    },
    "en": {
        "name": "New store opening in Kaohsiung",
        "description": "Our Kaohsiung store opens! At 11:00 on opening day, one SMS invites customers in Kaohsiung.",
        "labels": {"opening_day": "Opening day, 11:00", "sms": "Opening invitation"},
        "sms": (
            "Hi {{ customer.first_name | default('there') }}, our Kaohsiung Arena store opens today! Show this SMS "
            "for 15% off, and the first 100 guests get a gift: https://shop.example.com/stores/kaohsiung"
        ),
    },
}


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    kaohsiung = {
        "match": "all",
        "conditions": [{"kind": "attribute", "attribute": "city", "op": "eq", "value": CITY[lang]}],
    }
    at = f"{days_ahead(14).isoformat()}T11:00"
    c.step(
        "opening_day",
        "schedule_trigger",
        {"repeat": "once", "at": at, "audience": kaohsiung},
        label["opening_day"],
        0,
        0,
    )
    c.step("sms", "send_sms", sms(text["sms"]), label["sms"], 0, 1)
    c.link(("opening_day", "next", "sms"))
    return template_record(KEY, text, CHANNELS, c.build())
