"""S6 Coupon offer (the flight-coupon example): gold members are offered a coupon on LINE, with buttons to
accept or decline (the shop records the answer as a `coupon_reply` event with `answer` accept / decline).

* Accepted: the code is sent; 3 days unused → "you have a coupon"; 4 more days → "it expires soon".
* No reply in 2 days: "limited places left"; accepting then joins the accepted path, otherwise "see you in the
  next wave".
* Declined: one "thank you, see you next time", nothing more.
* A purchase at any point: "thank you for your purchase", and the journey ends (the goal).
* Not reachable on LINE (not a friend, or no consent): the offer cannot go out, so no answer can come; the customer
  leaves at `not_on_line` at once instead of waiting two days for a reply to a message they never got. One who
  blocks the account before "limited places left" leaves likewise, at `left_line`. (An answer is a tap on the LINE
  card, so whoever accepts is on LINE: the code and its reminders go out on the same channel.)

The offer goes out once, at 10:00 a week after the journey is created (a concrete date, so the template
publishes as it is).

Node ids (stable):
    offer_day       schedule trigger: once, 10:00 in 7 days, audience tier = gold
    offer           send_line: the coupon offer card (accept / decline; unreachable → not_on_line)
    reply           action_paths: accept / decline / timed_out (2 days)
    code            send_line: the coupon code
    wait_3d         wait 3 days
    unused          send_line: "you have a coupon"
    wait_4d         wait 4 days
    expiring        send_line: "expires soon"
    last_places     send_line: "limited places left" (unreachable → left_line)
    reply_again     action_paths: accept / decline / timed_out (2 days)
    next_wave       send_line: "see you in the next wave"
    declined        send_line: "thank you, see you next time"
    purchase        goal: purchase
    thanks          send_line: "thank you for your purchase"
    not_on_line     exit: cannot be reached on LINE
    left_line       exit: no longer reachable on LINE (blocked the account after the offer)
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, days_ahead, line_card, line_text, template_record, wait

KEY = "s6_coupon_offer"
CHANNELS = ["line"]
REPLY = "coupon_reply"
ACCEPT_URL = "https://shop.example.com/coupon/reply?answer=accept"
DECLINE_URL = "https://shop.example.com/coupon/reply?answer=decline"

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "限時優惠券邀請",
        "description": (
            "用 LINE 邀請金卡會員領取限時優惠券：領取的人收到序號，沒使用再提醒、快到期再提醒；"
            "沒回覆的人告知名額有限；婉拒的人只道謝一次。顧客一完成購買就感謝並結束旅程。"
        ),
        "labels": {
            "offer_day": "一週後 10:00 發送邀請",
            "offer": "優惠券邀請",
            "reply": "顧客的回覆",
            "accept": "領取",
            "decline": "婉拒",
            "code": "送出優惠序號",
            "wait_3d": "等待 3 天",
            "unused": "提醒：您有一張優惠券",
            "wait_4d": "等待 4 天",
            "expiring": "提醒：優惠券即將到期",
            "last_places": "名額有限提醒",
            "reply_again": "再次等待回覆",
            "next_wave": "下一波再見",
            "declined": "感謝回覆",
            "purchase": "完成購買",
            "thanks": "感謝購買",
            "not_on_line": "非 LINE 好友",
            "left_line": "已封鎖 LINE",
        },
        "tier": "gold",
        "offer_title": "金卡會員專屬優惠券",
        "offer_text": (
            "{{ customer.first_name | default('親愛的會員') }}，送您一張全館 85 折優惠券，名額有限，要領取嗎？"
        ),
        "accept": "我要領取",
        "decline": "下次再說",
        "code": (
            "領取成功！🎉 您的優惠序號是 GOLD85，結帳時輸入即可享全館 85 折，14 天內有效。"
            "立即選購 https://shop.example.com"
        ),
        "unused": (
            "{{ customer.first_name | default('您好') }}，您還有一張 85 折優惠券（序號 GOLD85）尚未使用，別忘了喔！"
        ),
        "expiring": (
            "{{ customer.first_name | default('您好') }}，您的 85 "
            "折優惠券再 3 天就到期了，把握最後機會 https://shop.example.com"
        ),
        "last_places": "{{ customer.first_name | default('您好') }}，金卡會員 85 折優惠券只剩最後名額，還想領取嗎？",
        "next_wave": "這一波優惠券已經發送完畢，下一波活動開跑時我們會第一時間通知您，敬請期待！",
        "declined": "謝謝您的回覆！下次有適合您的優惠，我們再通知您 😊",
        "thanks": "{{ customer.first_name | default('您好') }}，感謝您的購買！訂單出貨後會再通知您，祝您有美好的一天。",
    },
    "en": {
        "name": "Limited-time coupon offer",
        "description": (
            "Offer gold members a coupon on LINE: those who accept get the code with reminders before it expires, "
            "those who don't reply hear that places are limited, and those who decline get one thank-you. "
            "A purchase gets a thank-you and ends the journey."
        ),
        "labels": {
            "offer_day": "In a week, 10:00",
            "offer": "Coupon offer",
            "reply": "Their answer",
            "accept": "Accepted",
            "decline": "Declined",
            "code": "Send the code",
            "wait_3d": "Wait 3 days",
            "unused": "Reminder: you have a coupon",
            "wait_4d": "Wait 4 days",
            "expiring": "Reminder: expires soon",
            "last_places": "Limited places left",
            "reply_again": "Wait for an answer again",
            "next_wave": "See you in the next wave",
            "declined": "Thanks for replying",
            "purchase": "Purchased",
            "thanks": "Thank you for your purchase",
            "not_on_line": "Not on LINE",
            "left_line": "No longer on LINE",
        },
        "tier": "gold",
        "offer_title": "A coupon for gold members",
        "offer_text": (
            "{{ customer.first_name | default('Hi') }}, here's 15% "
            "off everything in store. Places are limited: want it?"
        ),
        "accept": "Yes, I want it",
        "decline": "Not this time",
        "code": "You're in! 🎉 Your code is GOLD85: 15% off everything for 14 days. Shop now: https://shop.example.com",
        "unused": (
            "{{ customer.first_name | default('Hi') }}, you still have a 15% off coupon (code GOLD85) waiting for you!"
        ),
        "expiring": (
            "{{ customer.first_name | default('Hi') }}, your 15% off coupon expires in 3 days: https://shop.example.com"
        ),
        "last_places": (
            "{{ customer.first_name | default('Hi') }}, only a few gold-member coupons are left. Still want one?"
        ),
        "next_wave": "This wave of coupons is gone. We'll let you know as soon as the next one starts!",
        "declined": "Thanks for letting us know! We'll be in touch when there's an offer for you 😊",
        "thanks": (
            "{{ customer.first_name | default('Hi') }}, thank you for your purchase! We'll let you know when it ships."
        ),
    },
}


def _answer_paths(label: dict[str, str]) -> list[dict[str, Any]]:
    def path(answer: str) -> dict[str, Any]:
        return {
            "id": answer,
            "label": label[answer],
            "event": REPLY,
            "filters": [{"property": "answer", "op": "eq", "value": answer}],
            "same_as_trigger": [],
        }

    return [path("accept"), path("decline")]


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    gold = {
        "match": "all",
        "conditions": [{"kind": "attribute", "attribute": "tier", "op": "eq", "value": text["tier"]}],
    }
    at = f"{days_ahead(7).isoformat()}T10:00"
    c.step("offer_day", "schedule_trigger", {"repeat": "once", "at": at, "audience": gold}, label["offer_day"], 1, 0)
    c.step("purchase", "goal", {"event": "purchase", "filters": []}, label["purchase"], 3, 0)
    c.step("thanks", "send_line", line_text(text["thanks"]), label["thanks"], 3, 1)
    card = line_card(
        text["offer_title"], text["offer_text"], [(text["accept"], ACCEPT_URL), (text["decline"], DECLINE_URL)]
    )
    c.step("offer", "send_line", card, label["offer"], 1, 1)
    answer = {"paths": _answer_paths(label), "timeout_amount": 2, "timeout_unit": "days"}
    c.step("reply", "action_paths", answer, label["reply"], 1, 2)
    c.step("code", "send_line", line_text(text["code"]), label["code"], 0, 3)
    c.step("wait_3d", "wait", wait(3, "days"), label["wait_3d"], 0, 4)
    c.step("unused", "send_line", line_text(text["unused"]), label["unused"], 0, 5)
    c.step("wait_4d", "wait", wait(4, "days"), label["wait_4d"], 0, 6)
    c.step("expiring", "send_line", line_text(text["expiring"]), label["expiring"], 0, 7)
    c.step("declined", "send_line", line_text(text["declined"]), label["declined"], 1, 3)
    c.step("last_places", "send_line", line_text(text["last_places"]), label["last_places"], 2, 3)
    c.step("reply_again", "action_paths", {**answer, "paths": _answer_paths(label)}, label["reply_again"], 2, 4)
    c.step("next_wave", "send_line", line_text(text["next_wave"]), label["next_wave"], 2.5, 5)
    # Right of the answer and of the second wait (both wide), each below the message that could not go out.
    c.step("not_on_line", "exit", {}, label["not_on_line"], 2.5, 2)
    c.step("left_line", "exit", {}, label["left_line"], 3.5, 4)
    c.link(
        ("offer_day", "next", "offer"),
        ("offer", "next", "reply"),
        ("offer", "unreachable", "not_on_line"),
        ("reply", "accept", "code"),
        ("reply", "decline", "declined"),
        ("reply", "timed_out", "last_places"),
        ("code", "next", "wait_3d"),
        ("wait_3d", "next", "unused"),
        ("unused", "next", "wait_4d"),
        ("wait_4d", "next", "expiring"),
        ("last_places", "next", "reply_again"),
        ("last_places", "unreachable", "left_line"),
        ("reply_again", "accept", "code"),
        ("reply_again", "decline", "next_wave"),
        ("reply_again", "timed_out", "next_wave"),
        ("purchase", "next", "thanks"),
    )
    return template_record(KEY, text, CHANNELS, c.build())
