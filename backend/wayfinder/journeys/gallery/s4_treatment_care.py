"""S4 Post-treatment care: 2 hours after a laser-toning treatment, an SMS with aftercare advice and a
sunscreen recommendation; 7 days later a check-in and a reminder to book the next session. Only customers whose
`treatment_completed` event names laser toning enter.

Node ids (stable):
    treatment       event trigger: treatment_completed, treatment = laser toning
    wait_2h         wait 2 hours
    aftercare_sms   send_sms: aftercare and sunscreen (unreachable → no_sms)
    wait_7d         wait 7 days
    checkin_sms     send_sms: check-in and next appointment (its last step: an unreachable customer leaves anyway)
    no_sms          exit: no phone number or no SMS consent (counted on the canvas, not kept waiting 7 days)
"""

from __future__ import annotations

from typing import Any

from wayfinder.journeys.gallery.base import Canvas, sms, template_record, wait

KEY = "s4_treatment_care"
CHANNELS = ["sms"]
# The treatment's name as the clinic's system sends it, per language of the demo data.
TREATMENT = {"zh-TW": "雷射淨膚", "en": "Laser toning"}

TEXT: dict[str, dict[str, Any]] = {
    "zh-TW": {
        "name": "療程後關懷",
        "description": "雷射淨膚療程結束 2 小時後，以簡訊提醒術後保養與防曬；7 天後關心恢復狀況並提醒預約下次療程。",
        "labels": {
            "treatment": "完成雷射淨膚療程",
            "wait_2h": "等待 2 小時",
            "aftercare_sms": "術後保養提醒",
            "wait_7d": "等待 7 天",
            "checkin_sms": "關心與回診提醒",
            "no_sms": "無法收簡訊",
        },
        "aftercare": (
            "{{ customer.first_name | default('您好') }}，感謝您今天來做雷射淨膚。術後 3 天請避免熱敷、去角質，"
            "加強保濕，外出記得擦 SPF50 防曬。推薦您使用診所的溫和物理防曬，櫃台結帳享會員 9 折。"
        ),
        "checkin": (
            "{{ customer.first_name | default('您好') }}，療程後一週肌膚狀況還好嗎？有任何不適歡迎來電詢問。"
            "建議 3 至 4 週後進行下一次療程，效果最好，線上預約 https://clinic.example.com/booking"
        ),
    },
    "en": {
        "name": "Post-treatment care",
        "description": (
            "Two hours after a laser-toning treatment, an SMS with aftercare tips and a sunscreen recommendation; "
            "7 days later, a check-in and a reminder to book the next session."
        ),
        "labels": {
            "treatment": "Laser toning completed",
            "wait_2h": "Wait 2 hours",
            "aftercare_sms": "Aftercare tips",
            "wait_7d": "Wait 7 days",
            "checkin_sms": "Check-in & next booking",
            "no_sms": "Can't get SMS",
        },
        "aftercare": (
            "Hi {{ customer.first_name | default('there') }}, thanks for your laser-toning session today. For the "
            "next 3 days avoid heat and exfoliation, keep your skin moisturised and wear SPF50 outdoors. Our gentle "
            "mineral sunscreen is 10% off for members at the front desk."
        ),
        "checkin": (
            "Hi {{ customer.first_name | default('there') }}, how is your skin a week after your treatment? Call us "
            "with any questions. The next session works best in 3-4 weeks: https://clinic.example.com/booking"
        ),
    },
}


def build(lang: str) -> dict[str, Any]:
    text = TEXT[lang]
    label = text["labels"]
    c = Canvas()
    only_laser = [{"property": "treatment", "op": "eq", "value": TREATMENT[lang]}]
    c.step(
        "treatment", "event_trigger", {"event": "treatment_completed", "filters": only_laser}, label["treatment"], 0, 0
    )
    c.step("wait_2h", "wait", wait(2, "hours"), label["wait_2h"], 0, 1)
    c.step("aftercare_sms", "send_sms", sms(text["aftercare"]), label["aftercare_sms"], 0, 2)
    c.step("wait_7d", "wait", wait(7, "days"), label["wait_7d"], 0, 3)
    c.step("checkin_sms", "send_sms", sms(text["checkin"]), label["checkin_sms"], 0, 4)
    # Beside the 7-day wait: the `unreachable` edge runs between the SMS and the wait, not behind the wait.
    c.step("no_sms", "exit", {}, label["no_sms"], 1, 3)
    c.link(
        ("treatment", "next", "wait_2h"),
        ("wait_2h", "next", "aftercare_sms"),
        ("aftercare_sms", "next", "wait_7d"),
        ("aftercare_sms", "unreachable", "no_sms"),
        ("wait_7d", "next", "checkin_sms"),
    )
    return template_record(KEY, text, CHANNELS, c.build())
