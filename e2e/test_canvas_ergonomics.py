"""Canvas ergonomics and keyboard use: clicked steps placed below the selection (and connected), drops kept
where they land, multi-select with actions, "+" on an edge, auto-layout in output order, one notice at a
time, connecting from the keyboard, edges named by their steps, Esc clears the selection."""

from __future__ import annotations

from pages.editor import EditorPage
from playwright.sync_api import Page, expect

from wayfinder.demo.seed import abandoned_cart_graph


def _box(editor: EditorPage, node_id: str) -> dict:
    return editor.node(node_id).bounding_box()


def _new_node(editor: EditorPage, before: set[str]) -> str:
    editor.page.wait_for_function("n => document.querySelectorAll('[data-node-id]').length > n", arg=len(before))
    (new_id,) = set(editor.node_ids()) - before
    return new_id


def test_clicked_steps_go_below_the_selection_and_connect(page: Page, api):
    journey = api.create_journey("E2E placement")
    editor = EditorPage(page).open(journey["id"])
    trigger = editor.drag_step("event_trigger", 300, 80)
    drop = _box(editor, trigger)
    canvas = editor.canvas.bounding_box()
    # The drop point is honoured (the first step does not jump to the centre).
    assert abs(drop["x"] + drop["width"] / 2 - (canvas["x"] + 300)) < 40
    assert abs(drop["y"] - (canvas["y"] + 80)) < 60

    before = set(editor.node_ids())
    page.get_by_test_id("palette-item-wait").click()  # the trigger is still selected
    wait = _new_node(editor, before)
    expect(editor.edge_between(trigger, wait)).to_be_attached()
    wait_box = _box(editor, wait)
    assert wait_box["y"] > drop["y"] + drop["height"]

    before = set(editor.node_ids())
    page.get_by_test_id("palette-item-condition").click()  # the wait is now selected
    check = _new_node(editor, before)
    expect(editor.edge_between(wait, check)).to_be_attached()
    check_box = _box(editor, check)
    assert check_box["y"] > wait_box["y"] + wait_box["height"]  # below, never stacked on it

    before = set(editor.node_ids())
    page.get_by_test_id("palette-item-exit").click()  # a condition has two free outputs: no guess
    done = _new_node(editor, before)
    expect(page.locator(f"[data-edge-id][data-source='{check}']")).to_have_count(0)
    # Placed below the view's bottom, the view follows it: both boxes are read at once (same viewport).
    check_box, done_box = page.evaluate(
        "ids => ids.map(id => { const r = document.querySelector(`[data-node-id='${id}']`).getBoundingClientRect();"
        " return { y: r.y, height: r.height }; })",
        [check, done],
    )
    assert done_box["y"] > check_box["y"] + check_box["height"]
    canvas = editor.canvas.bounding_box()
    page.wait_for_function(
        "([id, bottom]) => document.querySelector(`[data-node-id='${id}']`).getBoundingClientRect().bottom <= bottom",
        arg=[done, canvas["y"] + canvas["height"]],
    )


def test_multi_select_and_act_on_the_selection(page: Page, api):
    journey = api.create_journey("E2E multi-select")
    editor = EditorPage(page).open(journey["id"])
    a = editor.drag_step("wait", 200, 100)
    b = editor.drag_step("wait", 520, 100)
    c = editor.drag_step("exit", 360, 320)
    editor.node(a).click()
    editor.node(b).click(modifiers=["Shift"])
    expect(page.get_by_test_id("selection-count")).to_contain_text("2")
    page.get_by_test_id("selection-duplicate").click()
    expect(page.locator("[data-node-type=wait]")).to_have_count(4)
    page.get_by_test_id("selection-delete").click()  # the two copies are the selection now
    expect(page.locator("[data-node-type=wait]")).to_have_count(2)

    # Rubber band: Shift-drag around all three steps, from the canvas's top-left corner (the steps dropped near
    # its top stay where they were when the problems banner took its strip above the canvas).
    editor.wait_for_steady_canvas()
    box = editor.canvas.bounding_box()
    page.keyboard.down("Shift")
    page.mouse.move(box["x"] + 8, box["y"] + 6)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] - 60, steps=10)
    page.mouse.up()
    page.keyboard.up("Shift")
    expect(page.get_by_test_id("selection-count")).to_contain_text("3")

    page.keyboard.press("Escape")
    expect(page.locator(".react-flow__node.selected")).to_have_count(0)
    for node_id in (a, b, c):
        expect(editor.node(node_id)).to_be_visible()


def test_plus_on_an_edge_inserts_a_step_between(page: Page, api):
    journey = api.create_journey("E2E insert")
    editor = EditorPage(page).open(journey["id"])
    trigger = editor.drag_step("event_trigger", 360, 80)
    done = editor.drag_step("exit", 360, 300)
    editor.connect(trigger, "next", done)
    edge_id = editor.edge_between(trigger, done).get_attribute("data-edge-id")
    before = set(editor.node_ids())
    page.get_by_test_id(f"edge-insert-{edge_id}").click()
    page.get_by_test_id("edge-insert-option-wait").click()
    wait = _new_node(editor, before)
    expect(editor.edge_between(trigger, wait)).to_be_attached()
    expect(editor.edge_between(wait, done)).to_be_attached()
    expect(editor.edge_between(trigger, done)).to_have_count(0)
    assert _box(editor, trigger)["y"] < _box(editor, wait)["y"] < _box(editor, done)["y"]


def test_auto_layout_keeps_yes_left_of_no(page: Page, api):
    graph = abandoned_cart_graph()
    for node in graph["nodes"]:  # scramble the positions
        node["position"] = {"x": 0, "y": 0}
    journey = api.create_journey("E2E layout", graph)
    EditorPage(page).open(journey["id"])
    page.get_by_test_id("auto-layout-button").click()
    # Both boxes are read in one go (the fit-view animation scales them, never reorders them).
    for condition in ("purchased", "opened"):
        edge = "[data-edge-id][data-source='{0}'][data-source-handle='{1}']"
        yes = page.locator(edge.format(condition, "yes")).get_attribute("data-target")
        no = page.locator(edge.format(condition, "no")).get_attribute("data-target")
        page.wait_for_function(
            """([yes, no]) => {
                const x = (id) => document.querySelector(`[data-node-id='${id}']`).getBoundingClientRect().x;
                return x(yes) + 1 < x(no);
            }""",
            arg=[yes, no],
        )
        # And it stays so: the final layout, not a moment of it.
        boxes = page.evaluate(
            "([yes, no]) => [yes, no].map(id => document.querySelector(`[data-node-id='${id}']`)"
            ".getBoundingClientRect().x)",
            [yes, no],
        )
        assert boxes[0] < boxes[1], condition


def test_connect_from_the_keyboard_and_edges_named_by_steps(page: Page, api):
    journey = api.create_journey("E2E keyboard connect")
    editor = EditorPage(page).open(journey["id"])
    check = editor.drag_step("condition", 360, 80)
    editor.label(check, "Bought?")
    done = editor.drag_step("exit", 200, 300)
    editor.label(done, "Thanks")
    editor.select(check)
    page.get_by_test_id("connect-yes").focus()
    page.get_by_test_id("connect-yes").select_option(done)  # a native select: fully keyboard-operable
    edge = editor.edge_between(check, done)
    expect(edge).to_be_attached()
    assert edge.get_attribute("data-source-handle") == "yes"
    edge_id = edge.get_attribute("data-edge-id")
    expect(page.get_by_test_id(f"rf__edge-{edge_id}")).to_have_attribute(
        "aria-label", "Connection from “Bought?”, Yes to “Thanks”"
    )
    page.get_by_test_id("connect-yes").select_option("")
    expect(editor.edge_between(check, done)).to_have_count(0)


def test_a_newer_notice_replaces_the_older_one(page: Page, api):
    journey = api.create_journey("E2E notices")
    editor = EditorPage(page).open(journey["id"])
    editor.drag_step("wait", 360, 120)
    editor.publish()
    expect(page.get_by_test_id("toast")).to_have_count(1)
    expect(page.get_by_test_id("toast")).to_have_attribute("data-kind", "error")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("toast")).to_have_attribute("data-kind", "success")
    expect(page.get_by_test_id("toast")).to_have_count(1)


def test_escape_closes_one_panel_at_a_time_topmost_first(page: Page, api):
    journey = api.create_journey("E2E escape")
    editor = EditorPage(page).open(journey["id"])
    mail = editor.drag_step("send_email", 420, 160)
    editor.select(mail)
    page.get_by_test_id("preview-toggle").click()
    preview = page.get_by_test_id("email-preview")
    expect(preview).to_be_visible()
    page.get_by_test_id("journey-settings-button").click()
    drawer = page.get_by_test_id("journey-settings-panel")
    expect(drawer).to_be_visible()

    page.keyboard.press("Escape")  # the drawer is on top: it alone closes
    expect(drawer).to_be_hidden()
    expect(preview).to_be_visible()
    expect(page.get_by_test_id("settings-panel")).to_have_attribute("data-node-id", mail)

    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(page.get_by_test_id("settings-panel")).to_have_attribute("data-node-id", mail)

    page.keyboard.press("Escape")  # no panel left: the selection goes
    expect(page.locator(".react-flow__node.selected")).to_have_count(0)
