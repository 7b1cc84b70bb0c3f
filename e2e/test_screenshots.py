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

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
TEXT = {"en": ("Journeys", "Abandoned cart"), "zh-TW": ("旅程", "Abandoned cart")}


@pytest.fixture
def demo_journey(api):
    journey = api.create_journey("Abandoned cart", abandoned_cart_graph())
    api.post(f"/api/journeys/{journey['id']}/publish")
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
