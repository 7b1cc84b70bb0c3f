"""Roles in Chromium: an analyst signs in, sees a journey in the editor, finds publish (and pause, save, the
palette) disabled with the reason, and the API refuses the publish with 403; screenshots of the editor as an
analyst at 1280×720 in English and zh-TW. A viewer sees the customers at a step with names and emails masked.

The analyst is made the way an operator makes one (`wayfinder create-user` on the stack's instance) and signs in
through the page in a fresh browser context, so the run's owner session is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from journeys import slow_cart_graph
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from pages.login import LoginPage
from playwright.sync_api import Browser, Page, expect

from wayfinder.demo.seed import abandoned_cart_graph

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
ANALYST = "analyst@wayfinder.local"
PASSWORD = "analyst reads every number"
REASON = {
    "en": "Your role (Analyst) can view journeys but not publish them.",
    "zh-TW": "您的角色（分析師）可以檢視旅程，但無法發布。",
}


VIEWER = "viewer@wayfinder.local"
MARKETER = "marketer@wayfinder.local"
MEMBERS = {
    "analyst": (ANALYST, "Ana Analyst"),
    "viewer": (VIEWER, "Vic Viewer"),
    "marketer": (MARKETER, "Mia Marketer"),
}


@pytest.fixture(scope="module")
def members(make_user, server):
    """The three roles' members, made once per module the way an operator makes them."""
    for role, (email, name) in MEMBERS.items():
        make_user(email, role, PASSWORD, name)


@pytest.fixture
def page_as(browser: Browser, base_url, members):
    """page_as(role): a fresh browser context signed in through the page as that role's member."""
    contexts = []

    def open_page(role: str) -> Page:
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 720}, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.goto("/")
        LoginPage(page).sign_in(MEMBERS[role][0], PASSWORD)
        page.get_by_test_id("journeys-page").wait_for()
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_a_marketer_builds_and_publishes_a_journey(page_as):
    page = page_as("marketer")
    page.get_by_test_id("new-journey-button").click()
    page.get_by_test_id("new-journey-name").fill("Built by a marketer")
    page.get_by_test_id("new-journey-create").click()
    editor = EditorPage(page)
    editor.canvas.wait_for()
    expect(page.get_by_test_id("view-only-banner")).to_have_count(0)
    trigger = editor.drag_step("event_trigger", 420, 120)
    done = editor.drag_step("exit", 420, 320)
    editor.fill(trigger, event="signed_up")
    editor.connect(trigger, "next", done)
    editor.save()
    editor.publish()
    expect(editor.status).to_have_attribute("data-status", "published")


@pytest.fixture
def live_journey(api):
    journey = api.publish_journey("Roles: abandoned cart", abandoned_cart_graph())
    return journey


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_an_analyst_sees_a_journey_but_cannot_publish_it(page_as, live_journey, language):
    page = page_as("analyst")
    JourneysPage(page).open().set_language(language)
    expect(page.get_by_test_id("new-journey-button")).to_be_disabled()
    editor = EditorPage(page).open(live_journey["id"])
    expect(editor.node("cart")).to_be_visible()  # the journey and its steps are there to read

    publish = page.get_by_test_id("publish-button")
    expect(publish).to_be_disabled()
    expect(publish).to_have_attribute("aria-description", REASON[language])
    expect(page.get_by_test_id("publish-locked")).to_have_attribute("title", REASON[language])
    expect(page.get_by_test_id("pause-button")).to_be_disabled()
    expect(page.get_by_test_id("save-button")).to_be_disabled()
    expect(page.get_by_test_id("view-only-banner")).to_be_visible()
    expect(page.get_by_test_id("demo-traffic-button")).to_have_count(0)
    expect(editor.canvas).to_have_attribute("data-readonly", "true")

    # The server is the authority: the same publish through the API, with the analyst's session and CSRF token.
    token = page.evaluate("fetch('/api/session').then((r) => r.json()).then((s) => s.csrf_token)")
    refused = page.request.post(f"/api/journeys/{live_journey['id']}/publish", headers={"X-CSRF-Token": token})
    assert refused.status == 403
    assert refused.json()["error"] == "forbidden_role"
    assert refused.json()["message"] == "Your role (analyst) cannot publish, pause or resume journeys."

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("publish-button").hover(force=True)
    page.screenshot(path=SHOTS / f"editor-analyst-{language}-1280x720.png")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.screenshot(path=SHOTS / f"editor-analyst-{language}-1440x900.png")
    JourneysPage(page).open()
    expect(page.get_by_test_id("journeys-page").get_by_text(live_journey["name"]).first).to_be_visible()
    page.screenshot(path=SHOTS / f"journeys-analyst-{language}-1440x900.png")


@pytest.fixture
def waiting_customer(api):
    """A live journey with one customer (with a name and an email) waiting at its first wait."""
    journey = api.publish_journey("Roles: who is waiting", slow_cart_graph())
    person = {"external_id": "mask-1", "email": "mei.lin@example.com", "attributes": {"first_name": "Mei"}}
    api.post("/api/customers", person)
    event = {"event_id": f"mask-{journey['id']}", "customer_id": "mask-1", "name": "cart_updated"}
    api.post("/api/events", {**event, "properties": {"product": "Serum", "total": 900}})
    return journey


def test_a_viewer_sees_who_waits_at_a_step_without_personal_data(page_as, waiting_customer):
    page = page_as("viewer")
    editor = EditorPage(page).open(waiting_customer["id"])
    expect(editor.count("wait_1h", "waiting")).to_have_text("1", timeout=20_000)
    page.get_by_test_id("node-counts-wait_1h").click()
    expect(page.get_by_test_id("node-customers-search")).to_have_attribute("placeholder", "Search by customer ID")
    row = page.get_by_test_id("node-customer-mask-1")
    expect(row).to_contain_text("m•••@e•••.com")
    expect(row).to_contain_text("M•••")
    expect(page.get_by_test_id("node-customers-panel")).not_to_contain_text("mei.lin")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "editor-viewer-customers-en-1280x720.png")
