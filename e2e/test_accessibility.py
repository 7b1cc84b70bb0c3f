"""Every page passes axe-core with no serious or critical violations, in English and Traditional Chinese: the
journeys list, the new-journey dialog, the editor (blank, with problems, live, and with each of its panels and
drawers open: step settings with its advanced details, email preview, customers at a step, journey settings with
the time-zone list open, the problems list), the outbox with a mail selected, the delivery log, a lost page."""

from __future__ import annotations

import channel_messages
import pytest
from a11y import describe, serious_violations
from pages.editor import EditorPage
from pages.journeys import JourneysPage
from pages.outbox import OutboxPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph
from wayfinder.journeys.builder import GraphBuilder


@pytest.fixture
def page(browser, base_url, storage_state):
    """A page whose CSP lets axe-core's script be injected (the app's own CSP forbids inline scripts; axe only
    reads the page)."""
    context = browser.new_context(
        base_url=base_url,
        bypass_csp=True,
        viewport={"width": 1440, "height": 900},
        locale="en-US",
        storage_state=storage_state,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_journey(api):
    journey = api.publish_journey("A11y cart", abandoned_cart_graph())
    return journey


def welcome_graph() -> dict:
    g = GraphBuilder()
    g.chain(
        g.trigger("signup", event="a11y_signed_up"),
        g.email("welcome", subject="Welcome aboard, {{ customer.first_name }}", body="<p>Hello!</p>"),
    )
    return g.build()


WELCOME = welcome_graph()


@pytest.fixture
def sent_mail(api):
    """One mail in the outbox and one row in the delivery log."""
    api.publish_journey("A11y welcome", WELCOME)
    api.post(
        "/api/customers", {"external_id": "a11y-ann", "email": "ann@example.com", "attributes": {"first_name": "Ann"}}
    )
    api.post("/api/events", {"event_id": "a11y-signup-ann", "customer_id": "a11y-ann", "name": "a11y_signed_up"})
    return "Welcome aboard, Ann"


def _check(page: Page, where: str) -> None:
    found = serious_violations(page)
    assert not found, f"{where}:\n{describe(found)}"


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_page_has_no_serious_accessibility_violations(page: Page, api, live_journey, sent_mail, language):
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

    page.get_by_test_id("validation-summary").get_by_role("button").first.click()
    _check(page, "editor with the problems list open")

    editor = EditorPage(page).open(live_journey["id"])
    expect(editor.status).to_have_attribute("data-status", "published")
    _check(page, "live editor")
    editor.select("reminder")
    page.get_by_test_id("panel-advanced").locator("summary").click()
    expect(page.get_by_test_id("panel-step-id")).to_be_visible()
    _check(page, "step settings with advanced details")
    page.get_by_test_id("preview-toggle").click()
    expect(page.get_by_test_id("preview-subject")).not_to_be_empty()
    _check(page, "live editor with email preview")
    page.get_by_test_id("email-preview-close").click()
    page.get_by_test_id("node-counts-wait_1h").click()
    expect(page.get_by_test_id("node-customers-panel")).to_be_visible()
    _check(page, "customers at a step")
    page.keyboard.press("Escape")

    page.get_by_test_id("journey-settings-button").click()
    expect(page.get_by_test_id("journey-settings-panel")).to_be_visible()
    page.get_by_test_id("journey-setting-timezone-search").focus()
    expect(page.get_by_test_id("journey-setting-timezone")).to_be_visible()
    _check(page, "journey settings with the time-zone list open")
    page.get_by_test_id("journey-setting-timezone-search").fill("Lisbon")
    _check(page, "time-zone search")

    outbox = OutboxPage(page).open()
    mail = outbox.mails().filter(has_text=sent_mail)
    expect(mail).to_have_count(1, timeout=20_000)
    mail.click()
    expect(mail).to_have_attribute("aria-current", "true")
    _check(page, "outbox with a mail selected")
    outbox.show_delivery_log()
    expect(outbox.message_rows().first).to_be_visible()
    _check(page, "delivery log")

    page.goto("/no-such-page")
    page.get_by_test_id("not-found-page").wait_for()
    _check(page, "not found")


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_message_log_and_channels_tab_have_no_serious_accessibility_violations(page: Page, api, language):
    """The message log filtered by channel with an SMS, a LINE message (bubbles, a button card) and a failed
    webhook open; Settings → Channels with an account, and its form open."""
    journey = channel_messages.seed(api, f"a11y{language.replace('-', '')}")
    JourneysPage(page).open().set_language(language)
    page.goto("/messages")
    page.get_by_test_id("messages-table").wait_for()
    for channel in ("sms", "line", "webhook"):
        page.get_by_test_id("messages-filter-channel").select_option(channel)
        row = page.locator("[data-testid^='message-row-']").filter(has_text=journey["name"])
        expect(row).to_have_count(1)
        row.click()
        expect(page.get_by_test_id("message-timeline")).to_be_visible()
        _check(page, f"message log with the {channel} message open")

    line = {"channel_access_token": "t", "channel_secret": "s"}
    with api.channel_account(
        channel="line", provider="line", name=f"LINE shop {language}", credentials=line
    ) as account:
        page.goto("/settings/channels")
        expect(page.get_by_test_id(f"channel-account-{account['id']}")).to_be_visible()
        _check(page, "channels tab")
        page.get_by_test_id("channels-new").click()
        expect(page.get_by_test_id("channel-dialog")).to_be_visible()
        _check(page, "new provider account form")
