"""Calm, clear validation: guidance on a blank canvas, unfinished steps marked "to finish" until a publish
attempt, a problems list whose entries take you to the step and field, plain messages, refused numbers."""

from __future__ import annotations

import re

from pages.editor import EditorPage
from playwright.sync_api import Page, expect

from wayfinder.journeys.builder import GraphBuilder


def ends_before_it_starts() -> dict:
    """Cart → Done, in a journey that ends before it starts: a problem of the journey's own settings, on no step."""
    g = GraphBuilder()
    g.connect(g.trigger("cart", event="cart_updated", label="Cart"), g.exit("bye", label="Done", y=200), handle="next")
    g.settings = {"start_at": "2030-01-02T09:00", "end_at": "2030-01-01T09:00"}
    return g.build()


def test_blank_journey_guides_instead_of_scolding(page: Page, api):
    journey = api.create_journey("E2E calm")
    editor = EditorPage(page).open(journey["id"])
    expect(page.get_by_test_id("canvas-empty")).to_contain_text("trigger")
    expect(page.get_by_test_id("validation-summary")).to_have_count(0)

    trigger = editor.drag_step("event_trigger", 420, 100)
    wait = editor.drag_step("wait", 420, 300)
    summary = page.get_by_test_id("validation-summary")
    expect(summary).to_have_attribute("data-loud", "false")
    expect(summary).to_contain_text("to finish")
    for node_id in (trigger, wait):
        expect(editor.node(node_id)).to_have_attribute("data-problem", "todo")
        expect(editor.node_error(node_id)).to_have_count(0)


def test_problems_list_takes_you_to_the_step_and_field(page: Page, api):
    journey = api.create_journey("E2E problems list")
    editor = EditorPage(page).open(journey["id"])
    trigger = editor.drag_step("event_trigger", 420, 100)
    editor.label(trigger, "Added to cart")
    wait = editor.drag_step("wait", 420, 300)
    editor.connect(trigger, "next", wait)
    page.get_by_test_id("canvas").click(position={"x": 40, "y": 40})  # nothing selected

    editor.publish()
    summary = page.get_by_test_id("validation-summary")
    expect(summary).to_have_attribute("data-loud", "true")
    expect(editor.node(trigger)).to_have_attribute("data-problem", "error")
    page.get_by_test_id("problems-toggle").click()  # collapsed by default, so it never covers the canvas
    items = page.get_by_test_id("problem-item")
    expect(items.first).to_be_visible()
    texts = items.all_inner_texts()
    assert not any(re.search(r"Length must|Missing data|wait-\d|event-trigger-\d", text) for text in texts), texts

    entry = page.locator("[data-testid=problems-list] li[data-field=event]").get_by_test_id("problem-item")
    expect(entry).to_contain_text("Added to cart")
    expect(entry).to_contain_text("Event name")
    entry.click()
    expect(page.get_by_test_id("settings-panel")).to_have_attribute("data-node-id", trigger)
    expect(page.get_by_test_id("setting-event")).to_be_focused()

    # Typing the fix clears the field's error at once, without waiting for the server.
    page.get_by_test_id("setting-event").fill("cart_updated")
    expect(page.locator("[data-testid=problems-list] li[data-field=event]")).to_have_count(0)


def test_number_fields_refuse_what_they_cannot_hold(page: Page, api):
    journey = api.create_journey("E2E numbers")
    editor = EditorPage(page).open(journey["id"])
    wait = editor.drag_step("wait", 420, 200)
    editor.fill(wait, amount="3")
    expect(editor.node(wait)).to_contain_text("3")
    summary_before = editor.node(wait).locator(".step-summary").inner_text()

    editor.fill(wait, amount="1.5")
    expect(page.get_by_test_id("settings-panel").locator(".field-error")).to_contain_text("whole number")
    expect(page.get_by_test_id("setting-amount")).to_have_value("1.5")  # kept as typed, not turned into 1
    expect(editor.node(wait).locator(".step-summary")).to_have_text(summary_before)

    editor.fill(wait, amount="2")
    expect(page.get_by_test_id("settings-panel").locator(".field-error")).to_have_count(0)
    expect(editor.node(wait).locator(".step-summary")).not_to_have_text(summary_before)


def test_event_names_come_from_what_the_workspace_has_seen(page: Page, api):
    api.post("/api/customers", {"external_id": "names-1", "email": "names-1@example.com"})
    for i in range(2):
        api.post("/api/events", {"event_id": f"names-{i}", "customer_id": "names-1", "name": "e2e_signed_up"})
    journey = api.create_journey("E2E event names")
    editor = EditorPage(page).open(journey["id"])
    trigger = editor.drag_step("event_trigger", 420, 150)
    editor.select(trigger)
    expect(page.locator("[data-testid=event-options] option[value=e2e_signed_up]")).to_have_count(1)

    editor.fill(trigger, event="e2e_signed_up")
    expect(page.get_by_test_id("event-seen")).to_contain_text("2 times")
    editor.fill(trigger, event="e2e_sigend_up")  # a typo
    expect(page.get_by_test_id("event-unseen")).to_contain_text("Never seen yet")


def test_a_journey_settings_problem_opens_the_settings_drawer_at_its_field(page: Page, api):
    journey = api.create_journey("E2E settings problem", ends_before_it_starts())
    EditorPage(page).open(journey["id"])
    expect(page.get_by_test_id("validation-summary")).to_have_attribute("data-count", "1")
    expect(page.get_by_test_id("journey-settings-panel")).to_have_count(0)
    page.get_by_test_id("problems-toggle").click()
    entry = page.locator("[data-testid=problems-list] li[data-field='settings.end_at']").get_by_test_id("problem-item")
    expect(entry).to_be_enabled()
    expect(entry).to_contain_text("Journey settings")

    entry.click()
    expect(page.get_by_test_id("journey-settings-panel")).to_be_visible()
    expect(page.get_by_test_id("setting-journey-end_at")).to_be_focused()
    expect(page.get_by_test_id("journey-settings-panel")).to_contain_text("“End” isn’t valid yet")

    # Fixed there, the problem goes away.
    page.get_by_test_id("setting-journey-end_at").fill("2030-01-03T09:00")
    expect(page.get_by_test_id("validation-summary")).to_have_count(0)


def test_a_failed_check_is_tried_again_until_the_problems_show(page: Page, api):
    """The server answers the editor's first checks with 503 (busy): the banner still comes, on a later try."""
    journey = api.create_journey("E2E check retried", ends_before_it_starts())
    refused = []

    def busy_twice(route):
        if len(refused) < 2:
            refused.append(route.request.url)
            route.fulfill(status=503, content_type="application/json", body='{"message": "busy"}')
        else:
            route.fallback()

    page.route(re.compile(r".*/api/journeys/\d+/validate$"), busy_twice)
    EditorPage(page).open(journey["id"])
    expect(page.get_by_test_id("validation-summary")).to_have_attribute("data-count", "1")
    assert len(refused) == 2


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _covered_steps(page: Page, editor: EditorPage) -> list[str]:
    banner = page.get_by_test_id("validation-summary").bounding_box()
    return [n for n in sorted(set(editor.node_ids())) if _overlap(banner, editor.node(n).bounding_box())]


def test_the_problems_banner_never_covers_a_step(page: Page, api):
    journey = api.create_journey("E2E banner")
    editor = EditorPage(page).open(journey["id"])
    trigger = editor.drag_step("event_trigger", 420, 300)
    before = editor.node(trigger).bounding_box()
    expect(page.get_by_test_id("validation-summary")).to_be_visible()  # it appears once the step is checked
    editor.wait_for_steady_canvas()
    after = editor.node(trigger).bounding_box()
    assert abs(after["y"] - before["y"]) < 2, "the step should stay where it was dropped when the banner appears"

    wait = editor.drag_step("wait", 420, 4)  # at the very top of the canvas: it lands whole, just inside
    editor.wait_for_steady_canvas()
    assert _covered_steps(page, editor) == []
    page.get_by_test_id("problems-toggle").click()  # the open list takes more room: still nothing covered
    expect(page.get_by_test_id("problems-list")).to_be_visible()
    editor.wait_for_steady_canvas()
    assert _covered_steps(page, editor) == []
    assert editor.node(wait).bounding_box()["y"] >= editor.canvas.bounding_box()["y"]

    # A journey opened with a step at its very top: fitted, and still not covered.
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false", timeout=10_000)
    assert len(api.get(f"/api/journeys/{journey['id']}")["graph"]["nodes"]) == 2
    EditorPage(page).open(journey["id"])
    expect(page.get_by_test_id("validation-summary")).to_be_visible()
    editor.wait_for_steady_canvas()
    assert _covered_steps(page, editor) == []
