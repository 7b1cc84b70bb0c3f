"""Screenshots of the flow-and-time steps (palette, every new form, the journey settings panel) at 1280×720 and
1440×900 in English and Traditional Chinese, into e2e/artifacts/screenshots/ for a person to look at. The
assertions check that each form is the one asked for, in the chosen language."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots" / "flow"
VIEWPORTS = {"1440x900": {"width": 1440, "height": 900}, "1280x720": {"width": 1280, "height": 720}}
AUDIENCE = {
    "match": "all",
    "conditions": [{"kind": "attribute", "attribute": "city", "op": "eq", "value": "Kaohsiung"}],
}


def _node(node_id, type_, label, settings, x, y):
    return {"id": node_id, "type": type_, "position": {"x": x, "y": y}, "data": {"label": label, "settings": settings}}


def _edge(source, handle, target):
    return {"id": f"{source}-{handle}", "source": source, "sourceHandle": handle, "target": target}


def member_day_graph() -> dict:
    """S3-like: weekly member day split by gender, an A/B test, a wait for the email to be opened, a goal."""
    nodes = [
        _node(
            "member_day",
            "schedule_trigger",
            "Member day",
            {"repeat": "weekly", "time": "11:00", "weekdays": ["wed"], "audience": AUDIENCE},
            0,
            0,
        ),
        _node(
            "by_gender",
            "split",
            "Women / men",
            {
                "attribute": "gender",
                "branches": [
                    {"id": "women", "label": "Women", "values": ["female", "F"]},
                    {"id": "men", "label": "Men", "values": ["male", "M"]},
                ],
            },
            0,
            0,
        ),
        _node(
            "ab",
            "random_split",
            "Subject test",
            {
                "branches": [
                    {"id": "a", "label": "A", "percent": 50},
                    {"id": "b", "label": "B", "percent": 30},
                    {"id": "c", "label": "C", "percent": 20},
                ]
            },
            0,
            0,
        ),
        _node(
            "mail",
            "send_email",
            "Double points",
            {"subject": "Double points today, {{ customer.first_name }}", "body": "<p>Hi</p>"},
            0,
            0,
        ),
        _node(
            "opened",
            "wait_for_event",
            "Opened?",
            {
                "event": "email_opened",
                "filters": [],
                "same_as_trigger": ["cart_id"],
                "timeout_amount": 1,
                "timeout_unit": "days",
            },
            0,
            0,
        ),
        _node("clicked", "condition", "Clicked?", {"kind": "message", "step": "mail", "engagement": "clicked"}, 0, 0),
        _node(
            "morning",
            "wait_until",
            "Next morning",
            {"mode": "weekday", "time": "09:00", "weekdays": ["mon", "thu"], "date": None},
            0,
            0,
        ),
        _node("done", "exit", "Done", {}, 0, 0),
        _node("done2", "exit", "No reaction", {}, 0, 0),
        _node("done3", "exit", "Men done", {}, 0, 0),
        _node("done4", "exit", "Others", {}, 0, 0),
        _node(
            "bought",
            "goal",
            "Purchased",
            {"event": "order_completed", "filters": [{"property": "total", "op": "gte", "value": 500}]},
            0,
            0,
        ),
        _node(
            "countdown",
            "relative_date_trigger",
            "Anniversary countdown",
            {
                "anchor": "date",
                "date": "2027-03-20",
                "attribute": None,
                "yearly": False,
                "offset": 3,
                "unit": "days",
                "direction": "before",
                "time": "10:00",
                "audience": None,
            },
            0,
            0,
        ),
        _node("vip", "manual_trigger", "VIP list", {"audience": None}, 0, 0),
    ]
    edges = [
        _edge("member_day", "next", "by_gender"),
        _edge("by_gender", "women", "ab"),
        _edge("by_gender", "men", "done3"),
        _edge("by_gender", "default", "done4"),
        _edge("ab", "a", "mail"),
        _edge("ab", "b", "mail"),
        _edge("ab", "c", "morning"),
        _edge("mail", "next", "opened"),
        _edge("opened", "happened", "clicked"),
        _edge("opened", "timed_out", "done2"),
        _edge("clicked", "yes", "done"),
        _edge("clicked", "no", "done2"),
    ]
    return {"nodes": nodes, "edges": edges, "settings": {}}


FORMS = {
    "member_day": ("setting-repeat", {"en": "Weekly", "zh-TW": "每週"}),
    "by_gender": ("setting-branches", {"en": "Everyone else", "zh-TW": "其他人"}),
    "ab": ("percent-remainder", {"en": "Total 100%", "zh-TW": "合計 100%"}),
    "opened": ("setting-same_as_trigger", {"en": "Match the starting event", "zh-TW": "與觸發旅程的事件相符"}),
    "clicked": ("setting-engagement", {"en": "clicked a link", "zh-TW": "點了連結"}),
    "morning": ("setting-weekdays", {"en": "Weekdays", "zh-TW": "星期"}),
    "bought": ("goal-explainer", {"en": "converted", "zh-TW": "轉換"}),
    "countdown": ("setting-anchor", {"en": "campaign date", "zh-TW": "活動日期"}),
    "vip": ("setting-audience", {"en": "Who can enter", "zh-TW": "誰可以加入"}),
}


@pytest.fixture
def member_day(api):
    return api.create_journey("Weekly member day", member_day_graph())


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_flow_forms_and_settings_panel(page: Page, member_day, language, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[size])
    JourneysPage(page).open().set_language(language)
    editor = EditorPage(page).open(member_day["id"])
    page.get_by_test_id("auto-layout-button").click()
    tag = f"{language}-{size}"
    page.get_by_test_id("palette").screenshot(path=SHOTS / f"palette-{tag}.png")
    page.screenshot(path=SHOTS / f"canvas-{tag}.png")

    # A 3-way split has three labelled handles in its branch colours.
    for handle in ("women", "men", "default"):
        expect(editor.handle("by_gender", handle)).to_be_attached()
    for node_id, (test_id, text) in FORMS.items():
        editor.select(node_id)
        panel = page.get_by_test_id("settings-panel")
        expect(panel.get_by_test_id(test_id)).to_be_visible()
        expect(panel).to_contain_text(text[language])
        page.screenshot(path=SHOTS / f"form-{node_id}-{tag}.png")

    page.get_by_test_id("journey-settings-button").click()
    drawer = page.get_by_test_id("journey-settings-panel")
    expect(drawer).to_be_visible()
    expect(page.get_by_test_id("journey-setting-timezone-current")).to_have_attribute("data-zone", "Asia/Taipei")
    page.get_by_test_id("setting-journey-reentry-cooldown").click()
    page.get_by_test_id("journey-setting-quiet-on").check()
    page.get_by_test_id("journey-setting-cap-add").click()
    page.screenshot(path=SHOTS / f"settings-{tag}.png")
    drawer.get_by_test_id("journey-setting-timezone-search").fill("tokyo")
    page.screenshot(path=SHOTS / f"settings-tz-{tag}.png")
