"""S5 Daily tagging: every day at 00:00 in the brand's time zone, customers who bought in the last 90 days are
scanned; whoever bought oil-control products (cleanser, blotting paper: purchases whose `category` is oil
control) gets the tag "oily skin", its weight (標籤濃度) the number of such purchases in those 90 days — the more
they buy, the stronger the tag. A tag an audience filter can use with "weight ≥ N".

Node ids (stable):
    midnight    schedule trigger: daily 00:00, audience: purchased in the last 90 days
    oily_skin   add_tag: weight = count of oil-control purchases in 90 days
    done        exit
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, template_record

KEY = "s5_daily_tagging"
CHANNELS: list[str] = []
WINDOW_DAYS = 90
# The product category as the shop's system sends it with each purchase, per language of the demo data.
CATEGORY = {"zh-TW": "控油保養", "en": "Oil control"}

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "每日油性肌膚貼標",
        "description": (
            "每天凌晨 12 點掃描近 90 天有消費的顧客，買過控油洗面乳、吸油面紙等控油商品的人貼上「油性肌膚」標籤，"
            "買得越多標籤濃度越高，方便之後精準分眾。"
        ),
        "labels": {"midnight": "每天 00:00", "oily_skin": "貼上「油性肌膚」標籤", "done": "完成"},
        "tag": "油性肌膚",
    },
    "en": {
        "name": "Daily skin-type tagging",
        "description": (
            "Every day at midnight, customers who bought oil-control products (cleanser, blotting paper) in the "
            'last 90 days get the tag "Oily skin"; the more they buy, the higher its weight.'
        ),
        "labels": {"midnight": "Every day, 00:00", "oily_skin": "Tag: Oily skin", "done": "Done"},
        "tag": "Oily skin",
    },
}


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    buyers = {"match": "all", "conditions": [{"kind": "event", "event": "purchase", "days": WINDOW_DAYS}]}
    schedule = {"repeat": "daily", "time": "00:00", "weekdays": [], "audience": buyers}
    c.step("midnight", "schedule_trigger", schedule, label["midnight"], 0, 0)
    tag = {
        "tag": text["tag"],
        "weight_by": "events",
        "event": "purchase",
        "filters": [{"property": "category", "op": "eq", "value": CATEGORY[lang]}],
        "days": WINDOW_DAYS,
    }
    c.step("oily_skin", "add_tag", tag, label["oily_skin"], 0, 1)
    c.step("done", "exit", {}, label["done"], 0, 2)
    c.link(("midnight", "next", "oily_skin"), ("oily_skin", "next", "done"))
    return template_record(KEY, text, CHANNELS, c.build())
