"""The demo is seeded in the configured language (zh-TW by default, English on request), once; in zh-TW a
shopper's cart reminder goes out in Chinese with the product's Chinese name."""

from __future__ import annotations

from sqlalchemy import select

from wayfinder.demo.seed import CITIES, seed_demo
from wayfinder.demo.traffic import emit_demo_traffic
from wayfinder.extensions import db
from wayfinder.models import Customer, Journey, Message


def _journeys() -> dict[str, tuple[str, str]]:
    rows = db.session.execute(select(Journey.name, Journey.status, Journey.description)).all()
    return {name: (status, description) for name, status, description in rows}


def test_the_default_demo_is_in_zh_tw_and_seeding_again_in_english_adds_nothing(sim):
    assert sim.app.config["DEMO_LANGUAGE"] == "zh-TW"
    assert "zh-TW" in seed_demo()
    journeys = _journeys()
    assert set(journeys) == {"購物車未結帳提醒", "新會員歡迎信"}
    assert journeys["購物車未結帳提醒"][0] == "published" and journeys["新會員歡迎信"][0] == "draft"
    cities = {a["city"] for a in db.session.scalars(select(Customer.attributes))}
    assert cities <= set(CITIES["zh-TW"])

    assert "none (already there)" in seed_demo("en")
    assert set(_journeys()) == {"購物車未結帳提醒", "新會員歡迎信"}


def test_an_english_demo_on_request(sim):
    seed_demo("en")
    assert set(_journeys()) == {"Abandoned cart", "Welcome series"}
    assert (
        _journeys()["Abandoned cart"][1]
        == "Remind shoppers who leave items in their cart; a purchase ends the reminders."
    )


def test_a_zh_tw_shopper_gets_the_cart_reminder_in_chinese(sim):
    seed_demo()
    emit_demo_traffic(customers=30, seed=3)
    sim.runner.run_jobs()
    sim.advance(seconds=65)  # the one-minute wait ends: no purchase → the reminder
    subjects = list(db.session.scalars(select(Message.subject)))
    assert subjects, "no reminder was sent"
    assert all("還在購物車等您" in s for s in subjects), subjects
    bodies = [p["html"] for p in db.session.scalars(select(Message.payload))]
    products = [
        "玻尿酸保濕精華",
        "控油洗面乳",
        "無線藍牙耳機",
        "輕量慢跑鞋",
        "清爽防曬乳",
        "珍珠奶茶禮盒",
        "智慧手錶錶帶",
    ]
    assert all(any(p in b for p in products) and "您好" in b for b in bodies)
