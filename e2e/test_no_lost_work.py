"""Never lose work, never hang: the leave guard (links and browser back), autosave, the conflict choice,
request timeouts with a retry, and the live-connection banner."""

from __future__ import annotations

import re

from pages.editor import EditorPage
from pages.journeys import JourneysPage
from pages.live import LiveSocket
from playwright.sync_api import Page, Route, expect

from wayfinder.demo.seed import abandoned_cart_graph


def _fail_saves(route: Route) -> None:
    """Saves (PUT) fail as if the server were unreachable; everything else goes through."""
    if route.request.method == "PUT":
        route.abort()
    else:
        route.continue_()


def _saved_node_types(api, journey_id: int) -> list[str]:
    return sorted(n["type"] for n in api.get(f"/api/journeys/{journey_id}")["graph"]["nodes"])


def test_leaving_with_unsaved_work_asks_first(page: Page, api):
    journey = api.create_journey("E2E guard")
    journeys = JourneysPage(page).open()
    journeys.row(journey["id"]).click()  # an in-app navigation, so browser back stays inside the app
    editor = EditorPage(page)
    editor.canvas.wait_for()

    page.route(re.compile(r".*/api/journeys/\d+$"), _fail_saves)
    node_id = editor.drag_step("event_trigger", 420, 120)
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-failed", "true")

    # The back arrow asks; "Keep editing" stays with the work intact.
    page.get_by_test_id("back-link").click()
    expect(page.get_by_test_id("leave-dialog")).to_be_visible()
    page.get_by_test_id("leave-stay").click()
    expect(page.get_by_test_id("leave-dialog")).to_be_hidden()
    expect(editor.node(node_id)).to_be_visible()

    # Browser back asks too.
    page.go_back()
    expect(page.get_by_test_id("leave-dialog")).to_be_visible()
    page.get_by_test_id("leave-stay").click()
    expect(editor.node(node_id)).to_be_visible()
    assert page.url.endswith(f"/journeys/{journey['id']}")

    # The top-bar link asks; "Save and leave" saves once the server answers again, then leaves.
    page.unroute(re.compile(r".*/api/journeys/\d+$"))
    page.get_by_test_id("nav-outbox").click()
    expect(page.get_by_test_id("leave-dialog")).to_be_visible()
    page.get_by_test_id("leave-save").click()
    page.get_by_test_id("outbox-page").wait_for()
    assert _saved_node_types(api, journey["id"]) == ["event_trigger"]


def test_discarding_on_leave_keeps_the_last_saved_draft(page: Page, api):
    journey = api.create_journey("E2E discard")
    editor = EditorPage(page).open(journey["id"])
    page.route(re.compile(r".*/api/journeys/\d+$"), _fail_saves)
    editor.drag_step("wait", 420, 120)
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-failed", "true")
    page.get_by_test_id("back-link").click()
    page.get_by_test_id("leave-discard").click()
    page.get_by_test_id("journeys-page").wait_for()
    assert _saved_node_types(api, journey["id"]) == []


def test_autosave_keeps_work_across_a_reload(page: Page, api):
    journey = api.create_journey("E2E autosave")
    editor = EditorPage(page).open(journey["id"])
    trigger = editor.drag_step("event_trigger", 420, 120)
    wait = editor.drag_step("wait", 420, 300)
    editor.connect(trigger, "next", wait)
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-dirty", "false", timeout=10_000)
    assert page.get_by_test_id("save-button").is_enabled()

    page.reload()
    editor.canvas.wait_for()
    expect(editor.node(trigger)).to_be_visible()
    expect(editor.edge_between(trigger, wait)).to_be_attached()
    expect(page.get_by_test_id("leave-dialog")).to_have_count(0)


def test_conflict_keeps_mine_as_a_copy(page: Page, api):
    journey = api.create_journey("E2E conflict")
    editor = EditorPage(page).open(journey["id"])
    # Someone else saves in the meantime.
    response = api.http.put(
        f"{api.base_url}/api/journeys/{journey['id']}",
        json={"revision": journey["revision"], "name": "E2E conflict (theirs)"},
        timeout=10,
    )
    response.raise_for_status()

    node_id = editor.drag_step("send_email", 420, 160)
    banner = page.get_by_test_id("conflict-banner")
    expect(banner).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("conflict-reload-button")).to_be_visible()
    assert _saved_node_types(api, journey["id"]) == []  # theirs was not overwritten

    page.get_by_test_id("conflict-copy-button").click()
    original = journey["id"]
    page.wait_for_url(re.compile(rf"/journeys/(?!{original}$)\d+$"))
    copy_id = int(page.url.rsplit("/", 1)[1])
    api.created.append(copy_id)
    editor.canvas.wait_for()
    expect(editor.node(node_id)).to_be_visible()
    assert _saved_node_types(api, copy_id) == ["send_email"]
    assert api.get(f"/api/journeys/{journey['id']}")["name"] == "E2E conflict (theirs)"


def test_hung_api_shows_an_error_with_retry(page: Page, api):
    journey = api.create_journey("E2E hung API")
    page.add_init_script("localStorage.setItem('wayfinder.apiTimeoutMs', '1500')")
    hang = re.compile(r".*/api/journeys(/\d+)?$")
    page.route(hang, lambda route: None)  # never answered

    page.goto("/")
    error = page.get_by_test_id("journeys-error")
    expect(error).to_be_visible(timeout=10_000)
    expect(error).to_contain_text("too long")
    page.unroute(hang)
    page.get_by_test_id("journeys-retry").click()
    expect(JourneysPage(page).row(journey["id"])).to_be_visible()

    page.route(hang, lambda route: None)
    page.goto(f"/journeys/{journey['id']}")
    expect(page.get_by_test_id("editor-page")).to_have_attribute("data-state", "error", timeout=10_000)
    page.unroute(hang)
    page.get_by_test_id("retry-button").click()
    expect(page.get_by_test_id("editor-page")).to_have_attribute("data-state", "ready")


def test_live_connection_banner_and_fresh_snapshot(page: Page, api):
    journey = api.publish_journey("E2E reconnect", abandoned_cart_graph())
    live = LiveSocket(page)
    editor = EditorPage(page).open(journey["id"])
    expect(page.get_by_test_id("editor-page")).to_have_attribute("data-live", "live")
    expect(editor.count("cart", "entered")).to_have_text("0")
    expect(page.get_by_test_id("live-banner")).to_have_count(0)

    live.drop()
    expect(page.get_by_test_id("live-banner")).to_have_attribute("data-state", "lost")

    # Customers arrive while the page is cut off: only a fresh snapshot on reconnect can show them.
    for i in range(2):
        api.post(
            "/api/events",
            {
                "event_id": f"reconnect-{journey['id']}-{i}",
                "customer_id": f"reconnect-{i}",
                "name": "cart_updated",
                "properties": {"product": "Serum", "total": 900},
            },
        )
    expect(page.get_by_test_id("live-banner")).to_have_attribute("data-state", "lost")
    expect(editor.count("cart", "entered")).to_have_text("0")

    live.restore()
    expect(page.get_by_test_id("live-banner")).to_have_attribute("data-state", "back", timeout=15_000)
    expect(editor.count("cart", "entered")).to_have_text("2", timeout=15_000)
