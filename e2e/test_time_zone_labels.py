"""Every date-time a marketer sets or reads names its time zone: the schedule and countdown forms and the journey's
start / end dates in the journey's zone ("Tokyo (UTC+9)" once changed), a wait-until in the customer's zone with
the journey's as fallback, quiet hours likewise; the outbox and delivery log, the journeys list and the customers
at a step give their times with the zone."""

from __future__ import annotations

import re
from pathlib import Path

from pages.editor import EditorPage
from pages.outbox import OutboxPage
from playwright.sync_api import Page, expect
from test_accessibility import WELCOME
from test_flow_screenshots import member_day_graph

ZONED = re.compile(r"\d.* · Taipei \(UTC\+8\)$")  # "Dec 4, 2026, 4:17 PM · Taipei (UTC+8)"
SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots" / "timezones"


def test_date_time_fields_name_the_journeys_zone(page: Page, api):
    graph = member_day_graph()
    graph["settings"] = {"timezone": "Asia/Tokyo"}
    journey = api.create_journey("E2E zone labels", graph)
    editor = EditorPage(page).open(journey["id"])
    page.get_by_test_id("auto-layout-button").click()
    editor.wait_for_steady_canvas()

    editor.select("member_day")
    expect(page.get_by_test_id("setting-time-zone")).to_have_text("Tokyo (UTC+9)")
    expect(page.get_by_test_id("settings-panel")).to_contain_text("Times are in Tokyo (UTC+9)")
    page.get_by_test_id("setting-time").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "schedule-zone-en-1440.png")
    editor.select("countdown")
    expect(page.get_by_test_id("setting-date-zone")).to_have_text("Tokyo (UTC+9)")
    expect(page.get_by_test_id("setting-time-zone")).to_have_text("Tokyo (UTC+9)")
    editor.select("morning")
    expect(page.get_by_test_id("wait-until-zone")).to_have_text("Customer’s time zone, else Tokyo (UTC+9)")

    page.get_by_test_id("journey-settings-button").click()
    expect(page.get_by_test_id("setting-journey-start_at-zone")).to_have_text("Tokyo (UTC+9)")
    page.get_by_test_id("journey-setting-quiet-on").check()
    expect(page.get_by_test_id("journey-setting-quiet-zone")).to_contain_text("Tokyo (UTC+9)")
    page.get_by_test_id("setting-journey-start_at").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "settings-zones-en-1440.png")
    # Choosing another zone renames it everywhere at once.
    page.get_by_test_id("journey-setting-timezone-search").fill("台北")
    page.get_by_test_id("journey-setting-timezone-search").press("Enter")
    expect(page.get_by_test_id("setting-journey-start_at-zone")).to_have_text("Taipei (UTC+8)")
    page.get_by_test_id("journey-settings-done").click()
    editor.select("member_day")
    expect(page.get_by_test_id("setting-time-zone")).to_have_text("Taipei (UTC+8)")

    # zh-TW names it in Chinese.
    page.get_by_test_id("language-switcher").select_option("zh-TW")
    expect(page.get_by_test_id("setting-time-zone")).to_have_text("台北 (UTC+8)")


def test_times_read_in_lists_name_the_zone(page: Page, api):
    journey = api.publish_journey("E2E zone outbox", WELCOME)
    api.post(
        "/api/customers", {"external_id": "zone-kim", "email": "kim@example.com", "attributes": {"first_name": "Kim"}}
    )
    api.post("/api/events", {"event_id": "zone-signup-kim", "customer_id": "zone-kim", "name": "a11y_signed_up"})

    page.goto("/")
    updated = page.get_by_test_id(f"journey-row-{journey['id']}").locator("td.muted[title]")
    expect(updated).to_have_attribute("title", ZONED)
    outbox = OutboxPage(page).open()
    mail = outbox.mails().filter(has_text="Welcome aboard, Kim")
    expect(mail).to_have_count(1, timeout=20_000)
    mail.click()
    expect(page.locator(".mail-meta dd").filter(has_text="UTC+8")).to_contain_text("Taipei (UTC+8)")
    expect(mail.locator(".mail-time")).to_have_attribute("title", ZONED)
    outbox.show_delivery_log()
    row = outbox.message_rows().filter(has_text="kim@example.com")
    expect(row.locator("[data-testid^=message-time-]")).to_have_attribute("title", ZONED)
