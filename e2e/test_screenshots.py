"""The journeys list and the editor in English and Traditional Chinese, with live counts on the canvas.

Screenshots land in e2e/artifacts/screenshots/ (not committed) so a person can look at them; the assertions
check that each page is really in the chosen language and shows the seeded journey."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph
from wayfinder.journeys.builder import GraphBuilder

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
TEXT = {"en": ("Journeys", "Abandoned cart"), "zh-TW": ("旅程", "Abandoned cart")}


@pytest.fixture
def demo_journey(api):
    journey = api.publish_journey("Abandoned cart", abandoned_cart_graph())
    for i in range(4):
        api.post(
            "/api/events",
            {
                "event_id": f"shot-{journey['id']}-{i}",
                "customer_id": f"shot-{i}",
                "name": "cart_updated",
                "properties": {"product": "Serum", "total": 1280},
            },
        )
    return journey


VIEWPORTS = {"1440x900": {"width": 1440, "height": 900}, "1280x720": {"width": 1280, "height": 720}}


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_pages_in_each_language(page: Page, demo_journey, language, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[size])
    journeys = JourneysPage(page).open()
    journeys.set_language(language)
    heading, name = TEXT[language]
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(journeys.row(demo_journey["id"])).to_contain_text(name)
    page.screenshot(path=SHOTS / f"journeys-{language}-{size}.png")

    editor = EditorPage(page).open(demo_journey["id"])
    expect(editor.status).to_have_attribute("data-status", "published")
    expect(editor.count("wait_1h", "waiting")).to_have_text("4", timeout=20_000)
    if language == "zh-TW":
        expect(page.get_by_test_id("palette")).to_contain_text("等待")
    editor.select("reminder")
    page.screenshot(path=SHOTS / f"editor-{language}-{size}.png")
    page.get_by_test_id("preview-toggle").click()
    expect(page.get_by_test_id("preview-subject")).not_to_be_empty()
    page.screenshot(path=SHOTS / f"editor-email-preview-{language}-{size}.png")
    page.get_by_test_id("email-preview-close").click()
    page.get_by_test_id("fit-view-button").click()
    page.get_by_test_id("node-counts-wait_1h").click()
    expect(page.get_by_test_id("node-customers-total")).to_have_attribute("data-total", "4")
    page.screenshot(path=SHOTS / f"editor-fit-{language}-{size}.png")
    page.goto("/outbox")
    page.get_by_test_id("outbox-page").wait_for()
    page.screenshot(path=SHOTS / f"outbox-{language}-{size}.png")


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_validation_states_in_each_language(page: Page, api, language, size):
    """A blank journey (guidance), steps to finish (calm), then the problems after a publish attempt (loud)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[size])
    journey = api.create_journey("Spring anniversary countdown for members in Kaohsiung and Taipei stores")
    JourneysPage(page).open().set_language(language)
    editor = EditorPage(page).open(journey["id"])
    page.screenshot(path=SHOTS / f"editor-blank-{language}-{size}.png")
    trigger = editor.drag_step("event_trigger", 360, 80)
    editor.drag_step("wait", 360, 260)
    expect(page.get_by_test_id("validation-summary")).to_have_attribute("data-loud", "false")
    page.get_by_test_id("problems-toggle").click()
    page.screenshot(path=SHOTS / f"editor-to-finish-{language}-{size}.png")
    editor.publish()
    expect(page.get_by_test_id("validation-summary")).to_have_attribute("data-loud", "true")
    expect(editor.node(trigger)).to_have_attribute("data-problem", "error")
    page.get_by_test_id("problems-toggle").click()  # collapse: the steps under the list show again
    page.screenshot(path=SHOTS / f"editor-problems-{language}-{size}.png")


def _chips_and_settings_journey(api) -> dict:
    """A split by gender whose values are chips, and journey dates that end before they start (a settings problem)."""
    graph = {
        "nodes": [
            {
                "id": "cart",
                "type": "event_trigger",
                "position": {"x": 0, "y": 0},
                "data": {"label": "Added to cart", "settings": {"event": "cart_updated", "filters": []}},
            },
            {
                "id": "by_gender",
                "type": "split",
                "position": {"x": 0, "y": 180},
                "data": {
                    "label": "Women / men",
                    "settings": {
                        "attribute": "gender",
                        "branches": [
                            {"id": "women", "label": "Women", "values": ["female", "F", "女"]},
                            {"id": "men", "label": "Men", "values": ["male", "M"]},
                            {"id": "vip", "label": "", "values": [1, 2, "gold member"]},
                        ],
                    },
                },
            },
        ]
        + [
            {"id": f"end_{h}", "type": "exit", "position": {"x": -420 + 280 * i, "y": 400}, "data": {"settings": {}}}
            for i, h in enumerate(("women", "men", "vip", "default"))
        ],
        "edges": [{"id": "e0", "source": "cart", "sourceHandle": "next", "target": "by_gender"}]
        + [
            {"id": f"e_{h}", "source": "by_gender", "sourceHandle": h, "target": f"end_{h}"}
            for h in ("women", "men", "vip", "default")
        ],
        "settings": {"start_at": "2030-01-02T09:00", "end_at": "2030-01-01T09:00"},
    }
    return api.create_journey("Member week", graph)


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_split_chips_settings_from_problems_and_delivery_log(page: Page, api, demo_journey, language):
    """The split form with value chips, the settings drawer opened from the problems list, the delivery log."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    journey = _chips_and_settings_journey(api)
    JourneysPage(page).open().set_language(language)
    editor = EditorPage(page).open(journey["id"])
    editor.select("by_gender")
    expect(page.get_by_test_id("branch-2-values-chips").locator(".chip")).to_have_count(3)
    page.get_by_test_id("branch-1-values").focus()
    page.screenshot(path=SHOTS / f"editor-split-chips-{language}.png")
    page.get_by_test_id("settings-panel").screenshot(path=SHOTS / f"editor-split-chips-panel-{language}.png")

    page.get_by_test_id("problems-toggle").click()
    page.locator("[data-testid=problems-list] li[data-field='settings.end_at']").get_by_test_id("problem-item").click()
    expect(page.get_by_test_id("setting-journey-end_at")).to_be_focused()
    page.screenshot(path=SHOTS / f"editor-settings-from-problems-{language}.png")

    # The demo journey's reminders go out after its wait: a message of our own shows the log's names.
    g = GraphBuilder()
    signup = g.trigger("signup", event="signed_up", label="Signed up")
    welcome = g.email(
        "welcome", subject="Welcome, {{ customer.first_name }}", body="<p>Hello</p>", label="Welcome email"
    )
    g.connect(signup, welcome, handle="next")
    mail = g.build()
    api.publish_journey(f"Welcome series ({language})", mail)
    person = f"shot-log-{language}"
    api.post(
        "/api/customers", {"external_id": person, "email": f"{person}@example.com", "attributes": {"first_name": "Mei"}}
    )
    api.post("/api/events", {"event_id": f"{person}-1", "customer_id": person, "name": "signed_up"})
    page.goto("/outbox")
    page.get_by_test_id("outbox-tab-messages").click()
    expect(page.get_by_test_id("messages-table")).to_contain_text(f"Welcome series ({language})", timeout=20_000)
    expect(page.get_by_test_id("messages-table")).to_contain_text("Welcome email")
    page.screenshot(path=SHOTS / f"outbox-delivery-log-{language}.png")
