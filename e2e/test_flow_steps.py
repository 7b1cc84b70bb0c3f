"""Issue 7 in the browser: build a journey with a wait for an event and a goal from the palette, publish it,
send events over the API, and see on the canvas a customer leave mid-wait as converted."""

from __future__ import annotations

from pages.editor import EditorPage
from playwright.sync_api import Page, expect


def test_goal_converts_a_customer_mid_wait_for_event(page: Page, api):
    journey = api.create_journey("E2E cart with a goal")
    editor = EditorPage(page).open(journey["id"])

    trigger = editor.drag_step("event_trigger", 300, 90)
    waiting = editor.drag_step("wait_for_event", 300, 260)
    came = editor.drag_step("exit", 160, 460)
    timed_out = editor.drag_step("exit", 460, 460)
    goal = editor.drag_step("goal", 620, 90)

    # The wait-for-event node has the manifest's two outputs, labelled.
    expect(editor.handle(waiting, "happened")).to_be_attached()
    expect(editor.handle(waiting, "timed_out")).to_be_attached()
    expect(page.get_by_test_id(f"out-label-{waiting}-timed_out")).to_have_text("Timed out")

    editor.fill(trigger, event="cart_updated")
    editor.fill(waiting, event="coupon_viewed", timeout_amount="2", timeout_unit="days")
    page.get_by_test_id("add-same-button").click()  # "same cart_id as the event that started the journey"
    expect(page.get_by_test_id("same-0-property")).to_have_value("cart_id")
    expect(editor.node(waiting).locator(".step-summary")).to_have_text("Up to 2 days for coupon_viewed · same cart_id")
    editor.fill(goal, event="order_completed")
    expect(page.get_by_test_id("goal-explainer")).to_be_visible()
    expect(editor.node(goal).locator(".step-summary")).to_have_text("Converts on order_completed")
    editor.label(came, "Viewed the coupon")
    editor.label(timed_out, "Never looked")

    editor.connect(trigger, "next", waiting)
    editor.connect(waiting, "happened", came)
    editor.connect(waiting, "timed_out", timed_out)
    for node_id in (trigger, waiting, came, timed_out, goal):
        expect(editor.node(node_id)).to_have_attribute("data-invalid", "false")

    editor.save()
    editor.publish()
    expect(editor.status).to_have_attribute("data-status", "published")

    for external_id in ("e2e-goal-amy", "e2e-goal-ben"):
        api.post("/api/customers", {"external_id": external_id, "email": f"{external_id}@example.com"})
        api.post(
            "/api/events",
            {
                "event_id": f"cart-{external_id}",
                "customer_id": external_id,
                "name": "cart_updated",
                "properties": {"cart_id": f"c-{external_id}"},
            },
        )
    expect(editor.count(waiting, "waiting")).to_have_text("2", timeout=20_000)
    expect(page.get_by_test_id(f"node-count-{waiting}-converted")).to_have_count(0)

    # Amy buys while she waits for the coupon view: she leaves at once, converted, from the wait.
    api.post(
        "/api/events",
        {"event_id": "order-amy", "customer_id": "e2e-goal-amy", "name": "order_completed", "properties": {"total": 900}},
    )
    expect(editor.count(waiting, "converted")).to_have_text("1", timeout=20_000)
    expect(editor.count(waiting, "waiting")).to_have_text("1")
    expect(editor.count(goal, "converted")).to_have_text("1", timeout=20_000)
    expect(editor.count(waiting, "happened")).to_have_text("0")
    expect(editor.count(waiting, "timed_out")).to_have_text("0")

    # Ben views the coupon for his own cart: he takes the "did it" path.
    api.post(
        "/api/events",
        {"event_id": "view-ben", "customer_id": "e2e-goal-ben", "name": "coupon_viewed", "properties": {"cart_id": "c-e2e-goal-ben"}},
    )
    expect(editor.count(waiting, "happened")).to_have_text("1", timeout=20_000)
    expect(editor.count(waiting, "waiting")).to_have_text("0")
    expect(editor.count(came, "exited")).to_have_text("1", timeout=20_000)


def _schedule_journey(api, name: str, settings: dict) -> dict:
    graph = {
        "nodes": [
            {"id": "sched", "type": "schedule_trigger", "position": {"x": 0, "y": 0}, "data": {"label": "Member day", "settings": settings}},
            {"id": "bye", "type": "exit", "position": {"x": 0, "y": 200}, "data": {"label": "Done", "settings": {}}},
        ],
        "edges": [{"id": "e1", "source": "sched", "sourceHandle": "next", "target": "bye"}],
        "settings": {},
    }
    return api.create_journey(name, graph)


def test_a_warning_shows_in_amber_and_does_not_block_publishing(page: Page, api):
    journey = _schedule_journey(api, "E2E monthly on the 31st", {"repeat": "monthly", "time": "11:00", "month_day": 31, "audience": None})
    editor = EditorPage(page).open(journey["id"])
    node = editor.node("sched")
    expect(node).to_have_attribute("data-problem", "warning")
    expect(node).to_have_attribute("data-invalid", "false")
    expect(page.get_by_test_id("node-warning-sched")).to_contain_text("Some months don’t have this day")
    editor.select("sched")
    expect(page.get_by_test_id("node-warnings")).to_be_visible()
    expect(page.get_by_test_id("node-problems")).to_have_count(0)
    editor.publish()
    expect(editor.status).to_have_attribute("data-status", "published")


def test_an_error_blocks_publishing_and_shows_in_red(page: Page, api):
    journey = _schedule_journey(api, "E2E once in the past", {"repeat": "once", "at": "2001-01-01T09:00", "audience": None})
    editor = EditorPage(page).open(journey["id"])
    editor.publish()
    node = editor.node("sched")
    expect(node).to_have_attribute("data-problem", "error")
    expect(editor.node_error("sched")).to_contain_text("already passed")
    expect(editor.status).to_have_attribute("data-status", "draft")
