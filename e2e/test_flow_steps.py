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
        {
            "event_id": "order-amy",
            "customer_id": "e2e-goal-amy",
            "name": "order_completed",
            "properties": {"total": 900},
        },
    )
    expect(editor.count(waiting, "converted")).to_have_text("1", timeout=20_000)
    expect(editor.count(waiting, "waiting")).to_have_text("1")
    expect(editor.count(goal, "entered")).to_have_text("1", timeout=20_000)  # reaching a goal is converting
    expect(editor.count(waiting, "happened")).to_have_text("0")
    expect(editor.count(waiting, "timed_out")).to_have_text("0")

    # Ben views the coupon for his own cart: he takes the "did it" path.
    api.post(
        "/api/events",
        {
            "event_id": "view-ben",
            "customer_id": "e2e-goal-ben",
            "name": "coupon_viewed",
            "properties": {"cart_id": "c-e2e-goal-ben"},
        },
    )
    expect(editor.count(waiting, "happened")).to_have_text("1", timeout=20_000)
    expect(editor.count(waiting, "waiting")).to_have_text("0")
    expect(editor.count(came, "entered")).to_have_text("1", timeout=20_000)  # an exit: finished there


def _schedule_journey(api, name: str, settings: dict) -> dict:
    graph = {
        "nodes": [
            {
                "id": "sched",
                "type": "schedule_trigger",
                "position": {"x": 0, "y": 0},
                "data": {"label": "Member day", "settings": settings},
            },
            {"id": "bye", "type": "exit", "position": {"x": 0, "y": 200}, "data": {"label": "Done", "settings": {}}},
        ],
        "edges": [{"id": "e1", "source": "sched", "sourceHandle": "next", "target": "bye"}],
        "settings": {},
    }
    return api.create_journey(name, graph)


def test_a_warning_shows_in_amber_and_does_not_block_publishing(page: Page, api):
    journey = _schedule_journey(
        api, "E2E monthly on the 31st", {"repeat": "monthly", "time": "11:00", "month_day": 31, "audience": None}
    )
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
    journey = _schedule_journey(
        api, "E2E once in the past", {"repeat": "once", "at": "2001-01-01T09:00", "audience": None}
    )
    editor = EditorPage(page).open(journey["id"])
    editor.publish()
    node = editor.node("sched")
    expect(node).to_have_attribute("data-problem", "error")
    expect(editor.node_error("sched")).to_contain_text("already passed")
    expect(editor.status).to_have_attribute("data-status", "draft")


def _one_step_journey(api, name: str, node: dict) -> dict:
    trigger = {
        "id": "t",
        "type": "event_trigger",
        "position": {"x": 0, "y": 0},
        "data": {"label": "Cart", "settings": {"event": "cart_updated", "filters": []}},
    }
    graph = {
        "nodes": [trigger, node],
        "edges": [{"id": "e1", "source": "t", "sourceHandle": "next", "target": node["id"]}],
        "settings": {},
    }
    return api.create_journey(name, graph)


def test_random_split_branches_editor_keeps_the_remainder_live(page: Page, api):
    node = {
        "id": "ab",
        "type": "random_split",
        "position": {"x": 0, "y": 200},
        "data": {
            "label": "A/B",
            "settings": {
                "branches": [{"id": "a", "label": "A", "percent": 50}, {"id": "b", "label": "B", "percent": 50}]
            },
        },
    }
    journey = _one_step_journey(api, "E2E A/B", node)
    editor = EditorPage(page).open(journey["id"])
    editor.select("ab")
    remainder = page.get_by_test_id("percent-remainder")
    expect(remainder).to_have_attribute("data-left", "0")
    expect(page.get_by_test_id("branch-0-remove")).to_be_disabled()  # two branches is the minimum

    page.get_by_test_id("branch-0-percent").fill("40")
    expect(remainder).to_have_attribute("data-left", "10")
    expect(remainder).to_contain_text("10% left to assign")
    page.get_by_test_id("add-branch-button").click()  # the new branch takes what is left
    expect(page.get_by_test_id("branch-2-percent")).to_have_value("10")
    expect(remainder).to_have_attribute("data-left", "0")
    expect(editor.handle("ab", "c")).to_be_attached()  # the node grew a third handle
    expect(page.get_by_test_id("out-label-ab-c")).to_have_text("C")

    page.get_by_test_id("branch-1-percent").fill("12.5")  # refused, never rounded
    expect(page.get_by_test_id("branch-1-percent")).to_have_attribute("aria-invalid", "true")
    expect(remainder).to_have_attribute("data-left", "0")
    page.get_by_test_id("branch-1-percent").fill("60")
    expect(remainder).to_have_attribute("data-left", "-10")
    expect(remainder).to_contain_text("10% too much")
    page.get_by_test_id("even-split-button").click()
    expect(remainder).to_have_attribute("data-left", "0")
    for i, value in enumerate(("34", "33", "33")):
        expect(page.get_by_test_id(f"branch-{i}-percent")).to_have_value(value)
    page.get_by_test_id("branch-2-remove").click()
    expect(editor.handle("ab", "c")).to_have_count(0)


def test_split_values_are_chips_saved_as_the_backend_expects(page: Page, api):
    node = {
        "id": "by_gender",
        "type": "split",
        "position": {"x": 0, "y": 200},
        "data": {
            "label": "Women / men",
            "settings": {"attribute": "gender", "branches": [{"id": "branch_1", "label": "", "values": ["female"]}]},
        },
    }
    journey = _one_step_journey(api, "E2E chips", node)
    editor = EditorPage(page).open(journey["id"])
    editor.select("by_gender")
    chips = page.get_by_test_id("branch-0-values-chips").locator(".chip")
    field = page.get_by_test_id("branch-0-values")
    expect(chips).to_have_count(1)
    expect(chips.nth(0)).to_have_attribute("data-value", "female")

    field.press_sequentially("F")
    field.press("Enter")  # Enter adds a chip
    field.press_sequentially("25,")  # so does a comma
    field.press_sequentially("w, x,")  # a pasted list adds each value
    expect(chips).to_have_count(5)
    expect(field).to_have_value("")
    field.press("Backspace")  # in the empty input: the last chip goes
    expect(chips).to_have_count(4)
    page.get_by_role("button", name="Remove “w” from branch 1").click()
    expect(chips).to_have_count(3)
    field.press_sequentially("F")  # already there: not added twice
    field.press("Enter")
    expect(chips).to_have_count(3)
    field.press_sequentially("typed")
    page.get_by_test_id("branch-0-label").click()  # leaving the input keeps what was typed, as a chip
    expect(chips).to_have_count(4)
    expect(page.get_by_test_id("out-label-by_gender-branch_1")).to_have_text("female, F, 25, typed")

    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false", timeout=10_000)
    saved = api.get(f"/api/journeys/{journey['id']}")["graph"]["nodes"]
    settings = next(n for n in saved if n["id"] == "by_gender")["data"]["settings"]
    assert settings["branches"] == [{"id": "branch_1", "label": "", "values": ["female", "F", 25, "typed"]}]

    for value in ("typed", "25", "F", "female"):
        page.get_by_role("button", name=f"Remove “{value}” from branch 1").click()
    expect(chips).to_have_count(0)
    expect(field).to_have_attribute("placeholder", "Matching values, e.g. female")
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false", timeout=10_000)
    saved = api.get(f"/api/journeys/{journey['id']}")["graph"]["nodes"]
    # No value is saved as the new-branch placeholder, the shape the backend's schema accepts.
    assert next(n for n in saved if n["id"] == "by_gender")["data"]["settings"]["branches"][0]["values"] == [""]


def test_journey_settings_changes_are_undone_and_redone_with_the_graph(page: Page, api):
    node = {"id": "bye", "type": "exit", "position": {"x": 0, "y": 200}, "data": {"label": "Done", "settings": {}}}
    journey = _one_step_journey(api, "E2E settings undo", node)
    editor = EditorPage(page).open(journey["id"])
    undo, redo = page.get_by_test_id("undo-button"), page.get_by_test_id("redo-button")
    expect(undo).to_be_disabled()
    wait = editor.drag_step("wait", 420, 360)  # a graph edit first
    page.get_by_test_id("journey-settings-button").click()
    quiet = page.get_by_test_id("journey-setting-quiet-on")
    quiet.check()  # then a settings edit
    page.get_by_test_id("journey-setting-cap-add").click()  # and another
    expect(page.get_by_test_id("cap-0")).to_be_visible()

    undo.click()
    expect(page.get_by_test_id("cap-0")).to_have_count(0)
    expect(quiet).to_be_checked()
    undo.click()
    expect(quiet).not_to_be_checked()
    expect(editor.node(wait)).to_be_visible()
    undo.click()  # the same history: the step added before goes next
    expect(editor.node(wait)).to_have_count(0)

    redo.click()
    redo.click()
    expect(quiet).to_be_checked()
    page.get_by_test_id("journey-settings-close").focus()
    page.keyboard.press("Control+z")  # the keyboard shortcut undoes a settings change too
    expect(quiet).not_to_be_checked()
    page.keyboard.press("Control+Shift+z")
    expect(quiet).to_be_checked()
    editor.save()
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false")
    settings = api.get(f"/api/journeys/{journey['id']}")["graph"]["settings"]
    assert settings["quiet_hours"] == {"start": "21:00", "end": "09:00"}
    assert not settings.get("frequency_caps")


def test_journey_settings_are_saved_in_the_graph(page: Page, api):
    node = {"id": "bye", "type": "exit", "position": {"x": 0, "y": 200}, "data": {"label": "Done", "settings": {}}}
    journey = _one_step_journey(api, "E2E settings", node)
    editor = EditorPage(page).open(journey["id"])
    page.get_by_test_id("journey-settings-button").click()
    expect(page.get_by_test_id("journey-setting-timezone-current")).to_have_attribute("data-zone", "Asia/Taipei")
    page.get_by_test_id("setting-journey-reentry-cooldown").click()
    page.get_by_test_id("journey-setting-cooldown-amount").fill("7")
    page.get_by_test_id("journey-setting-cooldown-unit").select_option("days")
    page.get_by_test_id("journey-setting-quiet-on").check()
    page.get_by_test_id("journey-setting-quiet-start").fill("22:00")
    page.get_by_test_id("journey-setting-cap-add").click()
    page.get_by_test_id("cap-0-limit").fill("2")
    page.get_by_test_id("cap-0-channel").select_option("email")
    page.get_by_test_id("cap-0-period").select_option("week")
    page.get_by_test_id("journey-setting-timezone-search").fill("tokyo")
    page.get_by_test_id("journey-setting-timezone-option-Asia/Tokyo").click()
    expect(page.get_by_test_id("journey-setting-timezone-current")).to_contain_text("Tokyo (UTC+9)")
    page.get_by_test_id("journey-settings-done").click()
    editor.save()
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false")

    settings = api.get(f"/api/journeys/{journey['id']}")["graph"]["settings"]
    assert settings["reentry"] == "cooldown"
    assert settings["reentry_cooldown"] == {"amount": 7, "unit": "days"}
    assert settings["quiet_hours"] == {"start": "22:00", "end": "09:00"}
    assert settings["frequency_caps"] == [{"channel": "email", "limit": 2, "period": "week"}]
    assert settings["timezone"] == "Asia/Tokyo"
    editor.publish()
    expect(editor.status).to_have_attribute("data-status", "published")
