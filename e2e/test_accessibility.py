"""Every page passes axe-core with no serious or critical violations, in English and Traditional Chinese."""

from __future__ import annotations

import pytest
from a11y import describe, serious_violations
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph


@pytest.fixture
def page(browser, base_url):
    """A page whose CSP lets axe-core's script be injected (the app's own CSP forbids inline scripts; axe only
    reads the page)."""
    context = browser.new_context(
        base_url=base_url, bypass_csp=True, viewport={"width": 1440, "height": 900}, locale="en-US"
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_journey(api):
    journey = api.create_journey("A11y cart", abandoned_cart_graph())
    api.post(f"/api/journeys/{journey['id']}/publish")
    return journey


def _check(page: Page, where: str) -> None:
    found = serious_violations(page)
    assert not found, f"{where}:\n{describe(found)}"


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_page_has_no_serious_accessibility_violations(page: Page, api, live_journey, language):
    draft = api.create_journey("A11y draft")
    journeys = JourneysPage(page).open()
    journeys.set_language(language)
    expect(journeys.row(live_journey["id"])).to_be_visible()
    _check(page, "journeys list")

    page.get_by_test_id("new-journey-button").click()
    page.get_by_test_id("new-journey-name").wait_for()
    _check(page, "new journey dialog")
    page.keyboard.press("Escape")

    editor = EditorPage(page).open(draft["id"])
    expect(page.get_by_test_id("canvas-empty")).to_be_visible()
    _check(page, "blank editor")
    editor.drag_step("event_trigger", 400, 120)
    editor.publish()
    expect(page.get_by_test_id("validation-summary")).to_have_attribute("data-loud", "true")
    _check(page, "editor with problems")

    editor = EditorPage(page).open(live_journey["id"])
    expect(editor.status).to_have_attribute("data-status", "published")
    editor.select("reminder")
    page.get_by_test_id("preview-toggle").click()
    expect(page.get_by_test_id("preview-subject")).not_to_be_empty()
    _check(page, "live editor with email preview")
    page.get_by_test_id("email-preview-close").click()
    page.get_by_test_id("node-counts-wait_1h").click()
    expect(page.get_by_test_id("node-customers-panel")).to_be_visible()
    _check(page, "customers at a step")

    page.goto("/outbox")
    page.get_by_test_id("outbox-page").wait_for()
    _check(page, "outbox mail")
    page.get_by_test_id("outbox-tab-messages").click()
    _check(page, "delivery log")

    page.goto("/no-such-page")
    page.get_by_test_id("not-found-page").wait_for()
    _check(page, "not found")
